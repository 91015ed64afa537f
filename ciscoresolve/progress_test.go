package ciscoresolve

import (
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
)

// TestProgressUnderRetries: a walk waiting for a resent request says so at
// once, with its rows and time so far true; the next rows clear it.
func TestProgressUnderRetries(t *testing.T) {
	var reports []Progress
	m := newProgressMeter("bras1", "casnUserId", func(p Progress) { reports = append(reports, p) }, stepClock(10*time.Millisecond))
	for range 64 {
		m.row()
	}
	if len(reports) != 0 {
		t.Fatalf("%d reports before the progress delay, want none", len(reports))
	}
	m.retry(snmp.Retry{Op: "getbulk 8 OIDs", Addr: "10.0.0.1:161", Attempt: 2, Attempts: 6, Waited: time.Second})
	if len(reports) != 1 {
		t.Fatalf("%d reports after a resend, want 1", len(reports))
	}
	got := reports[0]
	if got.Rows != 64 || got.Waiting != "no answer for 1s, asking again (2 of 6)" || got.Done {
		t.Errorf("report %+v, want 64 rows and the resend", got)
	}
	want := "walking casnUserId on bras1: 64 rows, "
	if s := got.String(); !strings.HasPrefix(s, want) || !strings.HasSuffix(s, "; no answer for 1s, asking again (2 of 6)") {
		t.Errorf("String() = %q, want %q... ending with the resend", s, want)
	}
	for range 200 {
		m.row()
	}
	m.done()
	last := reports[len(reports)-1]
	if !last.Done || last.Rows != 264 || last.Waiting != "" || strings.Contains(last.String(), "asking again") {
		t.Errorf("last report %+v (%q), want done after 264 rows without the old resend", last, last.String())
	}
}
