package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

func TestCounterBits(t *testing.T) {
	c32, c64 := snmp.KindCounter32, snmp.KindCounter64
	hc := snmp.Interface{IfIndex: 1, HasHC: true, Counters: snmp.CounterKinds{HCIn: c64, HCOut: c64, In: c32, Out: c32}}
	noHC := snmp.Interface{IfIndex: 2, Counters: snmp.CounterKinds{HCIn: snmp.KindNoSuchInstance, HCOut: snmp.KindNoSuchInstance, In: c32, Out: c32}}
	hcOnly := snmp.Interface{IfIndex: 3, HasHC: true, Counters: snmp.CounterKinds{HCIn: c64, HCOut: c64, In: snmp.KindNoSuchInstance, Out: snmp.KindNoSuchInstance}}
	tests := []struct {
		name, mode, version string
		it                  snmp.Interface
		want                int
		wantErr             bool
	}{
		{"hc", "auto", "2c", hc, 64, false},
		{"hc", "auto", "3", hc, 64, false},
		{"hc", "auto", "1", hc, 32, false},
		{"noHC", "auto", "2c", noHC, 32, false},
		{"hc", "64", "2c", hc, 64, false},
		{"noHC", "64", "2c", noHC, 0, true},
		{"hc", "32", "2c", hc, 32, false},
		{"noHC", "32", "1", noHC, 32, false},
		{"hcOnly", "auto", "1", hcOnly, 0, true},
		{"hcOnly", "32", "2c", hcOnly, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.mode+"/v"+tt.version+"/"+tt.name, func(t *testing.T) {
			got, err := counterBits(tt.mode, tt.version, tt.it)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("counterBits = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestPollTimeout(t *testing.T) {
	tests := []struct {
		timeout, interval, want time.Duration
	}{
		{time.Second, time.Second, 800 * time.Millisecond},
		{300 * time.Millisecond, time.Second, 300 * time.Millisecond},
		{time.Second, 500 * time.Millisecond, 400 * time.Millisecond},
		{time.Second, 5 * time.Second, time.Second},
		{10 * time.Second, 5 * time.Second, 4 * time.Second},
	}
	for _, tt := range tests {
		o := &options{Timeout: tt.timeout, Interval: tt.interval}
		if got := o.pollTimeout(); got != tt.want {
			t.Errorf("-t %v -i %v: poll timeout %v, want %v", tt.timeout, tt.interval, got, tt.want)
		}
	}
}

func TestSnmpConfigCarriesEveryOption(t *testing.T) {
	o, err := parseOptions([]string{"-v3", "-u", "ops", "-A", "authpass1", "-X", "privpass1", "-a", "SHA-512", "-x", "AES-256-C",
		"-n", "vrf1", "-t", "0.7", "-r", "1", "udp6:[::1]:1161", "1"}, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	target, err := snmp.ParseTarget(o.Router)
	if err != nil {
		t.Fatal(err)
	}
	cfg := o.snmpConfig(target)
	want := snmp.Config{Target: target, Version: "3", SecLevel: "authPriv", SecName: "ops", AuthProto: "SHA-512", AuthPass: "authpass1",
		PrivProto: "AES-256-C", PrivPass: "privpass1", Context: "vrf1", Timeout: 700 * time.Millisecond, Retries: 1}
	if cfg != want {
		t.Errorf("config\n%+v\nwant\n%+v", cfg, want)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// errWriter accepts ok writes, then fails every write with err.
type errWriter struct {
	ok  int
	err error
	buf bytes.Buffer
}

func (w *errWriter) Write(p []byte) (int, error) {
	if w.ok == 0 {
		return 0, w.err
	}
	w.ok--
	return w.buf.Write(p)
}

// feed returns a closed channel holding n samples.
func feed(n int) <-chan sample.Sample {
	ch := make(chan sample.Sample, n)
	for i := range n {
		ch <- sample.Sample{Time: time.Unix(int64(i), 0), Router: "r", Target: "Gi0/1", IfIndex: 1, Status: sample.StatusFirst}
	}
	close(ch)
	return ch
}

func TestWriteRows(t *testing.T) {
	epipe := &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
	tests := []struct {
		name       string
		format     string
		ok         int // writes that succeed
		err        error
		wantErr    string // "" = no error
		wantCancel bool
		wantLines  int
	}{
		{"all rows", "csv", 100, nil, "", false, 6},
		{"all rows jsonl", "jsonl", 100, nil, "", false, 5},
		{"pipe closed at the header", "csv", 0, epipe, "", true, 0},
		{"pipe closed after two rows", "csv", 3, epipe, "", true, 3},
		{"pipe closed jsonl", "jsonl", 1, epipe, "", true, 1},
		{"disk full", "csv", 2, &os.PathError{Op: "write", Path: "out.csv", Err: syscall.ENOSPC}, "write output", true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &errWriter{ok: tt.ok, err: tt.err}
			s := &session{o: &options{}, format: tt.format, stdout: w, debug: log.New(io.Discard, "", 0)}
			cancelled := false
			err := s.writeRows(func() { cancelled = true }, feed(5), nil)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("writeRows error = %v, want %q", err, tt.wantErr)
			}
			if cancelled != tt.wantCancel {
				t.Errorf("cancelled = %v, want %v", cancelled, tt.wantCancel)
			}
			if got := strings.Count(w.buf.String(), "\n"); got != tt.wantLines {
				t.Errorf("wrote %d lines, want %d:\n%s", got, tt.wantLines, w.buf.String())
			}
		})
	}
}

func TestWriteRowsRecordsLog(t *testing.T) {
	var out, logged bytes.Buffer
	s := &session{o: &options{}, format: "jsonl", stdout: &out, debug: log.New(io.Discard, "", 0)}
	if err := s.writeRows(func() {}, feed(3), &logged); err != nil {
		t.Fatal(err)
	}
	got, err := record.ReadCSV(&logged)
	if err != nil || len(got) != 3 {
		t.Errorf("log holds %d rows (%v), want 3 in CSV", len(got), err)
	}
	broken := &errWriter{err: errors.New("disk gone")}
	cancelled := false
	if err := s.writeRows(func() { cancelled = true }, feed(3), broken); err == nil || !strings.Contains(err.Error(), "--log") {
		t.Errorf("error %v, want one naming --log", err)
	}
	if !cancelled {
		t.Error("a failed --log write did not stop the poller")
	}
}

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
