package snmp

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Scan tuning. A column is walked by one cursor until scanSplitAfter rows
// have been read; from then on by up to scanWays cursors, each over its own
// stretch of the index, all in the same GETBULK.
const (
	scanWays       = 8
	scanSplitAfter = 256
	// scanMaxGrowth bounds how far the varbinds asked per GETBULK grow
	// past DefaultMaxRepetitions while the agent answers them in full.
	scanMaxGrowth = 4
	// scanProbes is how many far-ahead starting points one split of the
	// open-ended stretch adds, each 4 times further than the one before.
	scanProbes = 12
)

// ScanColumn reads every row of one table column and calls fn for each, in
// no particular order, until the column ends or fn returns an error. It
// finds the same rows as BulkWalk with fewer agent operations: once a
// column indexed by a number proves long, several stretches of the index
// are walked at once, each a varbind of the same GETBULK. An agent answers
// each varbind of a repetition in one pass, so its per-pass work is shared,
// and the varbinds asked per GETBULK grow until the agent cuts its answers
// short. Within a stretch OIDs must increase, or ErrNotIncreasing is
// returned.
func ScanColumn(ctx context.Context, c Client, column string, fn func(Variable) error) error {
	s := &scan{
		column:  NormalizeOID(column),
		fn:      fn,
		perPDU:  DefaultMaxRepetitions,
		ceiling: scanMaxGrowth * DefaultMaxRepetitions,
		numeric: true,
	}
	s.stretches = []*stretch{{from: s.column, open: true}}
	for len(s.stretches) > 0 {
		s.split()
		if err := s.step(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// stretch is one cursor of a scan: the rows after from, up to and including
// last (to the end of the column when open).
type stretch struct {
	from string
	last string
	open bool
}

type scan struct {
	column    string
	fn        func(Variable) error
	stretches []*stretch
	perPDU    int // varbinds asked per GETBULK
	ceiling   int // most varbinds per GETBULK worth asking for
	rows      int
	numeric   bool   // every row's index starts with a number
	low, high uint64 // smallest and largest first index arc read
}

// step sends one GETBULK for every stretch and hands out what it returns.
func (s *scan) step(ctx context.Context, c Client) error {
	n := len(s.stretches)
	reps := max(1, s.perPDU/n)
	oids := make([]string, n)
	for i, st := range s.stretches {
		oids[i] = st.from
	}
	vars, err := c.GetBulk(ctx, oids, reps)
	if err != nil {
		return err
	}
	if len(vars) == 0 {
		// No varbinds at all: as BulkWalk, take it as the end.
		s.stretches = nil
		return nil
	}
	done := make([]bool, n)
	for i, v := range vars {
		k := i % n
		st := s.stretches[k]
		if done[k] {
			continue
		}
		if !v.Exists() || !HasPrefix(v.OID, s.column) || v.OID == s.column {
			done[k] = true
			continue
		}
		if CompareOIDs(v.OID, st.from) <= 0 {
			return fmt.Errorf("scan %s: %s after %s: %w", s.column, v.OID, st.from, ErrNotIncreasing)
		}
		if !st.open && CompareOIDs(v.OID, st.last) > 0 {
			done[k] = true // the next stretch's rows
			continue
		}
		s.note(v.OID)
		if err := s.fn(v); err != nil {
			return err
		}
		st.from = v.OID
	}
	switch {
	case len(vars) < n*reps:
		// The agent cut the answer short: that is its size.
		s.perPDU, s.ceiling = max(len(vars), 1), max(len(vars), 1)
	case s.perPDU < s.ceiling:
		s.perPDU = min(2*s.perPDU, s.ceiling)
	}
	live := s.stretches[:0]
	for k, st := range s.stretches {
		if !done[k] {
			live = append(live, st)
		}
	}
	s.stretches = live
	return nil
}

// note records a row's index for the splitting arithmetic.
func (s *scan) note(oid string) {
	s.rows++
	arc, ok := s.firstArc(oid)
	if !ok {
		s.numeric = false
		return
	}
	if s.rows == 1 || arc < s.low {
		s.low = arc
	}
	s.high = max(s.high, arc)
}

// firstArc returns the first index arc of a row of the column.
func (s *scan) firstArc(oid string) (uint64, bool) {
	if oid == s.column {
		return 0, true
	}
	rest := strings.TrimPrefix(oid, s.column+".")
	arc, _, _ := strings.Cut(rest, ".")
	n, err := strconv.ParseUint(arc, 10, 64)
	return n, err == nil && n < math.MaxUint32
}

// split adds cursors until there are scanWays of them, once the column has
// proved long: the open-ended stretch gets starting points further and
// further ahead; a bounded one is cut in half. Stretches with fewer index
// numbers left than two GETBULKs' worth of rows are not split.
func (s *scan) split() {
	if s.rows < scanSplitAfter || !s.numeric {
		return
	}
	gap := max(1, (s.high-s.low)/uint64(s.rows))
	minSpan := 2 * gap * uint64(s.perPDU)
	for len(s.stretches) < scanWays {
		k, from, span := s.widest()
		if k < 0 || span < minSpan {
			return
		}
		var cut bool
		if s.stretches[k].open {
			cut = s.probe(k, from, gap*uint64(s.perPDU))
		} else {
			cut = s.cut(k, from+span/2)
		}
		if !cut {
			return
		}
	}
}

// widest returns the stretch with the most index numbers left, where it
// is, and how many are left.
func (s *scan) widest() (best int, from, span uint64) {
	best = -1
	for k, st := range s.stretches {
		at, ok := s.firstArc(st.from)
		if !ok {
			continue
		}
		to := uint64(math.MaxUint32)
		if !st.open {
			if to, ok = s.firstArc(st.last); !ok {
				continue
			}
		}
		if to > at && to-at > span {
			best, from, span = k, at, to-at
		}
	}
	return best, from, span
}

// probe splits the open stretch k, at index from, at from+step·4,
// from+step·16, … as far as index numbers go. It reports whether it cut.
func (s *scan) probe(k int, from, step uint64) bool {
	open, cut := k, false
	for i := 0; i < scanProbes && step <= (math.MaxUint32-from)/4; i++ {
		step *= 4
		if s.cut(open, from+step) {
			open, cut = len(s.stretches)-1, true
		}
	}
	return cut
}

// cut ends stretch k at index at and starts a new stretch after it. It
// reports whether at lies ahead of the stretch's cursor.
func (s *scan) cut(k int, at uint64) bool {
	st := s.stretches[k]
	mark := s.column + "." + strconv.FormatUint(at, 10)
	if CompareOIDs(mark, st.from) <= 0 || (!st.open && CompareOIDs(mark, st.last) >= 0) {
		return false
	}
	s.stretches = append(s.stretches, &stretch{from: mark, last: st.last, open: st.open})
	st.last, st.open = mark, false
	return true
}
