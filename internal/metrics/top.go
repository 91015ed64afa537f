package metrics

import (
	"context"
	"time"

	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/top"
)

// TopConsumer returns a top.Consumer that keeps the first n rows of each
// cycle of one `stg top` run in s (TopCycle); when the run ends, its rows'
// series go. Give it every row (top.Outputs.AllRows), so that the
// counters of the rows out of view stay followed.
func (s *Store) TopConsumer(n int) top.Consumer { return &topConsumer{s: s, n: n} }

// topConsumer is one top run's top.Consumer.
type topConsumer struct {
	s      *Store
	n      int
	router string
}

// Start implements top.Consumer.
func (c *topConsumer) Start(info top.Info) error {
	c.router = info.Router
	return nil
}

// Consume implements top.Consumer.
func (c *topConsumer) Consume(_ context.Context, in <-chan ranking.Cycle) error {
	c.s.ConsumeCycles(c.router, in, c.n)
	return nil
}

// ConsumeCycles keeps router's top n rows of every cycle of in until in
// is closed, then drops them (see TopCycle).
func (s *Store) ConsumeCycles(router string, in <-chan ranking.Cycle, n int) {
	defer s.DropTop(router)
	for c := range in {
		s.TopCycle(c, n)
	}
}

// topState is one router's `stg top`: the rows shown and what the latest
// cycle said of itself.
type topState struct {
	rows     []topRow
	counters map[*ranking.Interface]*[2]counter
	cycles   uint64
	walk     time.Duration
	ranked   int
	lost     int
}

// topRow is a row shown, with its counters as exposed.
type topRow struct {
	ranking.Row
	inRaw, outRaw uint64
}

// TopCycle keeps the first n rows of c (its rows are ranked) as c.Router's
// top rows, replacing the last cycle's: a row that left the first n, or
// whose session ended, has no series any more, so the series stay at most
// n. It follows the counters of every row of c, so that a 32-bit counter
// counted past its wraps goes on from where it was when its row comes
// back among the first n: feed it cycles of every row (top's Limit 0).
// A row seen for the first time shows its 32-bit counters from 0.
func (s *Store) TopCycle(c ranking.Cycle, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.router(c.Router)
	if r.top == nil {
		r.top = &topState{counters: map[*ranking.Interface]*[2]counter{}}
	}
	t := r.top
	t.cycles++
	t.walk, t.ranked, t.lost = c.Walk(), c.Ranked, c.Lost
	r.up, r.known = c.Err == "" || c.Lost < c.Ranked, true
	seen := make(map[*ranking.Interface]bool, len(c.Rows))
	t.rows = t.rows[:0]
	for i, row := range c.Rows {
		seen[row.Interface] = true
		cs := t.counters[row.Interface]
		if cs == nil {
			cs = &[2]counter{}
			t.counters[row.Interface] = cs
		}
		var in, out uint64
		if row.HasOctets {
			in = cs[0].next(row.InOctets, row.CounterBits, row.Status)
			out = cs[1].next(row.OutOctets, row.CounterBits, row.Status)
		}
		if i < n {
			t.rows = append(t.rows, topRow{Row: row, inRaw: in, outRaw: out})
		}
	}
	for in := range t.counters {
		if !seen[in] {
			delete(t.counters, in)
		}
	}
}
