package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
)

func TestProgressPrinter(t *testing.T) {
	progress := func(rows int, elapsed time.Duration, done bool) ciscoresolve.Progress {
		return ciscoresolve.Progress{Router: "bras1", Column: "casnUserId", Rows: rows, Elapsed: elapsed, Done: done}
	}
	var buf bytes.Buffer
	show := ProgressPrinter(&buf, false) // not a terminal: throttled lines
	for i := 1; i <= 40; i++ {
		show(progress(i*250, time.Duration(i)*250*time.Millisecond, false))
	}
	show(progress(10000, 10*time.Second, true))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want one at 5s, one at 10s and the last:\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[2], "walked casnUserId on bras1: 10000 rows, 1000 rows/s, 10.0s") {
		t.Errorf("last line %q", lines[2])
	}
	buf.Reset()
	show = ProgressPrinter(&buf, true) // a terminal: one line rewritten, ended when done
	show(progress(250, time.Second, false))
	show(progress(500, 2*time.Second, true))
	if got := buf.String(); strings.Count(got, "\r\x1b[K") != 2 || strings.Count(got, "\n") != 1 || !strings.HasSuffix(got, "\n") {
		t.Errorf("on a terminal: %q, want two rewrites of one line, then its end", got)
	}
}
