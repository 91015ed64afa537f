// Package ranking is the table stg top produces once per cycle: every
// interface or subscriber session of a router with its rate, ranked. It
// holds the row and cycle types and the orders they are ranked in, and is
// shared by the engine that measures them (package top), the terminal UI
// and the CSV writer; it does no I/O.
package ranking

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/stg-project/stg/sample"
)

// TrendLen is how many cycles a row's trend holds.
const TrendLen = 12

// Identity says where a row's subscriber was read, which is also what a
// poller checks to see that the session is still the same one.
type Identity uint8

// The places a subscriber can come from.
const (
	// IdentityNone is an interface without a known subscriber.
	IdentityNone Identity = iota
	// IdentityCsub is CISCO-SUBSCRIBER-SESSION-MIB csubSessionUsername,
	// indexed by the ifIndex.
	IdentityCsub
	// IdentityCasn is CISCO-AAA-SESSION-MIB casnUserId of the session
	// Row.Session.
	IdentityCasn
	// IdentityIfMIB is the interface's own names: MikroTik's
	// <pppoe-USER>, or the user in a Virtual-Access's ifAlias.
	IdentityIfMIB
)

// Interface is what a row is about: an interface and the subscriber on
// it. It never changes (a new session on the same ifIndex is a new
// Interface), so the rows of every cycle share it.
type Interface struct {
	// IfIndex, IfName, IfDescr and IfAlias are the interface's.
	IfIndex                  int
	IfName, IfDescr, IfAlias string
	// User is the subscriber on the interface; "" when none is known.
	User string
	// Target names the row as a poll row's target does: the subscriber
	// when known, else the ifName.
	Target string
	// Identity and Session say where User was read (Session is the
	// CISCO-AAA-SESSION-MIB session index).
	Identity Identity
	Session  string
}

// Row is one interface or session in a cycle: what this cycle read of
// it, as a poll row has it (see Sample), its latest rate and its trend.
type Row struct {
	*Interface
	// Rank is the row's place by total rate in its cycle, from 1.
	Rank int
	// Time is the end of the interval the rate covers: the middle of the
	// request and answer that read the row.
	Time time.Time
	// Status says what this cycle's reading means, as a poll row's.
	Status sample.Status
	// InBps and OutBps are this cycle's rates in bits/s over Interval;
	// valid only when Status.HasRate().
	InBps, OutBps float64
	Interval      time.Duration
	// InOctets and OutOctets are the counters read; valid when HasOctets.
	InOctets, OutOctets uint64
	HasOctets           bool
	// CounterBits is 64 for ifHCIn/OutOctets, 32 for ifIn/OutOctets.
	CounterBits int
	// Err says what went wrong with this cycle's reading; "" when nothing.
	Err string
	// LatestIn and LatestOut are the last rates measured, in bits/s:
	// this cycle's when it has one, else an earlier cycle's (a cycle
	// without a rate never shows as 0). Valid when HasLatest.
	LatestIn, LatestOut float64
	// HasLatest is false until the row has a rate, and again when its
	// last one is too old to rank by.
	HasLatest bool
	// Trend holds the row's total rate (bits/s) of the last TrendLen
	// cycles, oldest first; NaN where a cycle had none.
	Trend [TrendLen]float32
}

// Sample returns the row as the poll row of a target on router: the rows
// stg top writes have the columns of a poll row, and a rank.
func (r *Row) Sample(router string) sample.Sample {
	return sample.Sample{
		Time: r.Time, Router: router, Target: r.Target, IfIndex: r.IfIndex, IfName: r.IfName,
		IfDescr: r.IfDescr, IfAlias: r.IfAlias, User: r.User,
		InBps: r.InBps, OutBps: r.OutBps, InOctets: r.InOctets, OutOctets: r.OutOctets, HasOctets: r.HasOctets,
		Interval: r.Interval, Status: r.Status, CounterBits: r.CounterBits, Err: r.Err,
	}
}

// Total returns the row's latest total rate, in and out, in bits/s; 0
// when it has none (see HasLatest).
func (r *Row) Total() float64 {
	if !r.HasLatest {
		return 0
	}
	return r.LatestIn + r.LatestOut
}

// Key is an order rows are ranked in.
type Key int

// The orders of a table: the largest first.
const (
	ByTotal Key = iota
	ByIn
	ByOut
)

// String names the order as the UI shows it.
func (k Key) String() string {
	switch k {
	case ByIn:
		return "in"
	case ByOut:
		return "out"
	}
	return "total"
}

// Value returns the row's rate the key ranks by; -1 without one, so that
// rows without a rate come last.
func (k Key) Value(r *Row) float64 {
	return k.Of(r.LatestIn, r.LatestOut, r.HasLatest)
}

// Of returns what Value returns for a row whose latest rates are in and
// out (valid when has).
func (k Key) Of(in, out float64, has bool) float64 {
	if !has {
		return -1
	}
	switch k {
	case ByIn:
		return in
	case ByOut:
		return out
	}
	return in + out
}

// Sort orders rows by key, the largest first; rows without a rate come
// last, ties by ifIndex. It is stable across cycles: the same rates give
// the same order.
func Sort(rows []Row, key Key) {
	slices.SortFunc(rows, func(a, b Row) int { return Compare(key, &a, &b) })
}

// SortView orders view, indexes into rows, as Sort orders the rows, without
// moving them.
func SortView(rows []Row, view []int, key Key) {
	slices.SortFunc(view, func(a, b int) int { return Compare(key, &rows[a], &rows[b]) })
}

// Compare orders two rows by key, the largest first, then by ifIndex.
func Compare(key Key, a, b *Row) int {
	return CompareValues(key.Value(a), a.IfIndex, key.Value(b), b.IfIndex)
}

// CompareValues orders two rows as Compare does, given the values a key
// gives them (Key.Value) and their ifIndexes: the largest value first,
// then the lower ifIndex.
func CompareValues(a float64, aIfIndex int, b float64, bIfIndex int) int {
	if c := cmp.Compare(b, a); c != 0 {
		return c
	}
	return cmp.Compare(aIfIndex, bIfIndex)
}

// Cycle is one round of stg top: every row read, ranked by total.
type Cycle struct {
	// Router is the router as the user named it.
	Router string
	// Number counts the cycles of a run from 1.
	Number int
	// Start and End are when the cycle's walk began and ended.
	Start, End time.Time
	// Interval is the least time between cycle starts asked for; a walk
	// that takes longer makes the cycle the walk.
	Interval time.Duration
	// Rows are the rows in scope, ranked by total (Rank 1 first); only
	// the first ones when the run keeps a limited number.
	Rows []Row
	// Ranked is how many rows were ranked: len(Rows) unless a limit
	// left some out.
	Ranked int
	// InBps and OutBps are the sums of the rows' latest rates: the load
	// the rows put on the router's uplinks.
	InBps, OutBps float64
	// Lost is how many rows the cycle could not read (gap-timeout).
	Lost int
	// Err says why the cycle is incomplete; "" when it is not.
	Err string
}

// Walk returns how long the cycle's walk took.
func (c *Cycle) Walk() time.Duration { return c.End.Sub(c.Start) }

// Overran reports whether the walk took longer than the interval, so
// that the cycle is as long as the walk.
func (c *Cycle) Overran() bool { return c.Walk() > c.Interval }

// Share returns a row's part of the cycle's total, from 0 to 1; NaN when
// the row or the cycle has no rate.
func (c *Cycle) Share(r *Row) float64 {
	sum := c.InBps + c.OutBps
	if !r.HasLatest || sum <= 0 {
		return math.NaN()
	}
	return r.Total() / sum
}
