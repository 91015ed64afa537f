package ciscoresolve

import (
	"fmt"
	"time"
)

// Progress describes a walk that has run longer than a second.
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
	return fmt.Sprintf("%s %s on %s: %d rows, %.0f rows/s, %.1fs", state, p.Column, p.Router, p.Rows, p.RowsPerSecond(), p.Elapsed.Seconds())
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

// done sends the final report when earlier ones were sent.
func (m *progressMeter) done() {
	if m.report == nil || !m.reported {
		return
	}
	m.p.Elapsed = m.now().Sub(m.start)
	m.p.Done = true
	m.report(m.p)
}
