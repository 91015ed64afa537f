package ciscoresolve

import (
	"fmt"
	"time"

	"github.com/stg-project/stg/snmp"
)

// Progress describes a walk that has run longer than a second, or that
// waits for a request it sent again.
type Progress struct {
	// Router is the router walked.
	Router string
	// Column is the MIB column walked, such as "casnUserId".
	Column string
	// Rows is how many rows were read so far.
	Rows int
	// Elapsed is the time since the walk started.
	Elapsed time.Duration
	// Done is true on the last report of a walk.
	Done bool
	// Waiting says that the walk waits for a request the agent left
	// unanswered and that was sent again, such as "no answer for 2s,
	// asking again (3 of 6)"; "" once rows come again.
	Waiting string
}

// RowsPerSecond is the walk's average rate so far.
func (p Progress) RowsPerSecond() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Rows) / p.Elapsed.Seconds()
}

// String formats the progress for a status line.
func (p Progress) String() string {
	state := "walking"
	if p.Done {
		state = "walked"
	}
	s := fmt.Sprintf("%s %s on %s: %d rows, %.0f rows/s, %.1fs", state, p.Column, p.Router, p.Rows, p.RowsPerSecond(), p.Elapsed.Seconds())
	if p.Waiting != "" {
		s += "; " + p.Waiting
	}
	return s
}

// Progress reports start after progressDelay and repeat every progressEvery.
const (
	progressDelay = time.Second
	progressEvery = 250 * time.Millisecond
)

// progressMeter counts a walk's rows and calls report, throttled.
type progressMeter struct {
	p        Progress
	report   func(Progress)
	now      func() time.Time
	start    time.Time
	last     time.Time
	reported bool
}

func newProgressMeter(router, column string, report func(Progress), now func() time.Time) *progressMeter {
	t := now()
	return &progressMeter{p: Progress{Router: router, Column: column}, report: report, now: now, start: t}
}

// row counts one row and reports when due.
func (m *progressMeter) row() {
	m.p.Rows++
	m.p.Waiting = ""
	if m.report == nil || m.p.Rows%64 != 0 {
		return
	}
	t := m.now()
	if t.Sub(m.start) < progressDelay || (m.reported && t.Sub(m.last) < progressEvery) {
		return
	}
	m.last, m.reported = t, true
	m.p.Elapsed = t.Sub(m.start)
	m.report(m.p)
}

// retry reports at once that the walk waits for a request sent again:
// without it, a walk stalled on a lossy link would look frozen.
func (m *progressMeter) retry(r snmp.Retry) {
	if m.report == nil {
		return
	}
	t := m.now()
	m.last, m.reported = t, true
	m.p.Elapsed = t.Sub(m.start)
	m.p.Waiting = r.Status()
	m.report(m.p)
}

// done sends the final report when earlier ones were sent.
func (m *progressMeter) done() {
	if m.report == nil || !m.reported {
		return
	}
	m.p.Elapsed = m.now().Sub(m.start)
	m.p.Done, m.p.Waiting = true, ""
	m.report(m.p)
}
