package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunInterruptedWhileStarting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as after Ctrl-C
	var stdout, stderr bytes.Buffer
	// Nobody answers on port 9 (discard) of 127.0.0.1; the cancelled
	// context ends the probe at once.
	code := run(ctx, []string{"127.0.0.1:9", "1", "-t", "10"}, envOf(nil), strings.NewReader(""), &stdout, &stderr)
	if code != exitOK || stdout.Len() > 0 || stderr.Len() > 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and no output", code, stdout.String(), stderr.String())
	}
}

func TestRunInProcess(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"help", []string{"-h"}, exitOK, "Usage:", ""},
		{"usage error", []string{"r1"}, exitUsage, "", "stg: nothing to poll on r1: add --if IFACE or --user USERNAME (see stg --help)\n"},
		{"bad target", []string{"--router", "udp:host:99999", "--if", "1"}, exitUsage, "", "(see stg --help)\n"},
		{"tui without a terminal", []string{"r1", "1", "-o", "tui"}, exitUsage, "", "stg: -o tui needs a terminal on stdout"},
		{"debug file cannot be created", []string{"r1", "1", "--debug", "/nonexistent-dir/x.log"}, exitFailure, "", "stg: open debug log:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, envOf(nil), strings.NewReader(""), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) || tt.wantStdout == "" && stdout.Len() > 0 {
				t.Errorf("stdout %q, want %q", stdout.String(), tt.wantStdout)
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) || tt.wantStderr == "" && stderr.Len() > 0 {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.wantStderr)
			}
		})
	}
}
