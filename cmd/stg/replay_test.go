package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReplayErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	header := "time,router,target,ifindex,ifname,in_bps,out_bps,in_octets,out_octets,interval_s,status\n"
	good := write("good.csv", header+"2026-03-14T09:26:01.000+01:30,bras1,alice,257,Vi1.195,8000,4000,1000,500,1.000,ok\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring of stdout
		stderr string // substring of the one stderr line
	}{
		{"help", []string{"-h"}, exitOK, "usage: stg replay", ""},
		{"no file", nil, exitUsage, "", "replay takes one FILE.csv"},
		{"two files", []string{"a.csv", "b.csv"}, exitUsage, "", "replay takes one FILE.csv"},
		{"bad flag", []string{"--nope", good}, exitUsage, "", "unknown flag"},
		{"missing file", []string{filepath.Join(dir, "missing.csv")}, exitFailure, "", "no such file or directory"},
		{"not our CSV", []string{write("other.csv", "a,b,c\n1,2,3\n")}, exitFailure, "", "not an stg CSV recording"},
		{"empty file", []string{write("empty.csv", "")}, exitFailure, "", "not an stg CSV recording"},
		{"header only", []string{write("header.csv", header)}, exitFailure, "", "the recording has no rows"},
		{"broken row", []string{write("broken.csv", header+"yesterday,bras1,alice,257,Vi1.195,1,2,3,4,1.000,ok\n")}, exitFailure, "", "line 2"},
		{"not a terminal", []string{good}, exitUsage, "", "needs a terminal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, append([]string{"replay"}, tt.args...), envOf(nil), strings.NewReader(""), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderr)
			}
			if n := strings.Count(stderr.String(), "\n"); n > 1 {
				t.Errorf("stderr has %d lines, want at most one: %q", n, stderr.String())
			}
		})
	}
}

func TestReplayWindowFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runReplay(context.Background(), []string{"--window", "5s", "rec.csv"}, envOf(nil), strings.NewReader(""), &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--window: the chart window must be from 10s to 24h, got 5s") {
		t.Errorf("replay --window 5s: exit %d, stderr %q; want exit 2 and the allowed range", code, stderr.String())
	}
}
