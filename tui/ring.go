package tui

import (
	"sort"

	"github.com/stg-project/stg/sample"
)

// point is one sample as the chart needs it, kept small: a ring of an
// hour of 10 Hz samples is under 2 MB.
type point struct {
	at       int64 // Unix nanoseconds of the end of the interval
	interval int64 // nanoseconds the rate covers
	in, out  float64
	status   sample.Status
}

// ring is a fixed-capacity buffer of points in arrival (time) order; when
// full, a push drops the oldest point.
type ring struct {
	buf   []point
	start int
	n     int
}

// newRing returns an empty ring holding at most capacity points.
func newRing(capacity int) *ring {
	if capacity < 1 {
		capacity = 1
	}
	return &ring{buf: make([]point, capacity)}
}

// push appends p, dropping the oldest point when the ring is full.
func (r *ring) push(p point) {
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = p
		r.n++
		return
	}
	r.buf[r.start] = p
	r.start = (r.start + 1) % len(r.buf)
}

// len returns how many points the ring holds.
func (r *ring) len() int { return r.n }

// at returns the i-th oldest point.
func (r *ring) at(i int) point { return r.buf[(r.start+i)%len(r.buf)] }

// search returns the index of the first point at or after t (Unix
// nanoseconds), or len() when there is none.
func (r *ring) search(t int64) int {
	return sort.Search(r.n, func(i int) bool { return r.at(i).at >= t })
}
