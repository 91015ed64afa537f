package session

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
)

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

// consume runs the consumers on n samples as a run does and reports
// whether one of them stopped the run.
func consume(t *testing.T, n int, consumers ...Consumer) (stoppedRun bool, err error) {
	t.Helper()
	for _, c := range consumers {
		if err := c.Start(Info{Router: "r", Targets: []string{"Gi0/1"}, Interval: time.Second}); err != nil {
			t.Fatal(err)
		}
	}
	err = fanOut(context.Background(), feed(n), consumers, func(error) { stoppedRun = true })
	return stoppedRun, err
}

func TestWriteRows(t *testing.T) {
	epipe := &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
	tests := []struct {
		name       string
		format     record.Format
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
			cancelled, err := consume(t, 5, PipeRows(w, tt.format))
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
	var out bytes.Buffer
	logPath := filepath.Join(t.TempDir(), "log.csv")
	if _, err := consume(t, 3, PipeRows(&out, record.FormatJSONL), LogRows(logPath)); err != nil {
		t.Fatal(err)
	}
	logged, err := os.Open(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logged.Close()
	got, err := record.ReadCSV(logged)
	if err != nil || len(got) != 3 {
		t.Errorf("log holds %d rows (%v), want 3 in CSV", len(got), err)
	}
	broken := &Rows{format: record.FormatCSV, what: "--log", out: &errWriter{err: errors.New("disk gone")}}
	cancelled, err := consume(t, 3, PipeRows(&out, record.FormatJSONL), broken)
	if err == nil || !strings.Contains(err.Error(), "--log") {
		t.Errorf("error %v, want one naming --log", err)
	}
	if !cancelled {
		t.Error("a failed --log write did not stop the poller")
	}
	if err := LogRows(filepath.Join(t.TempDir(), "no-such-dir", "log.csv")).Start(Info{}); err == nil || !strings.Contains(err.Error(), "create --log file") {
		t.Errorf("Start in a missing directory: %v, want the --log file's error", err)
	}
}
