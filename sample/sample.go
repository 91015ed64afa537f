// Package sample is stg's sample stream: the Sample a poll produces for one
// target and the Status that says what its rate means. It is the contract
// between the poller and everything that consumes its output (the CSV and
// JSONL writers, the terminal UI, the recordings read back), and depends on
// nothing else of stg, so that a consumer needs no SNMP library to read a
// Sample. The statuses are the CSV status column (README.md, "CSV and
// JSONL output"; docs/ARCHITECTURE.md, "Rates and statuses").
package sample

import "time"

// Status says what a Sample's rate means. Its values are the CSV status
// column.
type Status string

// The statuses a Sample can carry.
const (
	// StatusOK is a normal rate over the interval.
	StatusOK Status = "ok"
	// StatusWrap is a rate over an interval in which a 32-bit counter
	// wrapped and was unwound.
	StatusWrap Status = "wrap"
	// StatusBackfilled is a rate spread over the agent's real counter
	// refresh period, covering the pending rows before it.
	StatusBackfilled Status = "backfilled"
	// StatusFirst is the first reading of a target: a baseline, no rate.
	StatusFirst Status = "first"
	// StatusPending is a poll without a rate for one of three reasons. Its
	// counters had not moved because the agent caches them: the rate
	// arrives later as StatusBackfilled, spread over these rows. Or it is
	// the first change after a baseline that was read rather than seen
	// changing, on an agent not yet known to refresh its counters on every
	// poll: a cached baseline may hold seconds of traffic, so that change
	// becomes the new baseline instead of a spike, and no later rate covers
	// this row. Or it is a change that waits until the agent's way of
	// refreshing is known (on a timer or on request); the next rate covers
	// it.
	StatusPending Status = "pending"
	// StatusGapTimeout is a poll that got no answer.
	StatusGapTimeout Status = "gap-timeout"
	// StatusGapReset is a counter or agent reset: a new baseline, no rate.
	StatusGapReset Status = "gap-reset"
	// StatusGapDiscontinuity is a discontinuity the agent announced
	// (ifCounterDiscontinuityTime changed) or a counter that went missing
	// or changed type: a new baseline, no rate.
	StatusGapDiscontinuity Status = "gap-discontinuity"
	// StatusReconnected is the first reading after a subscriber came back
	// on a new interface: a new baseline, no rate.
	StatusReconnected Status = "reconnected"
	// StatusOffline is a poll while a followed subscriber has no session:
	// no interface to read, no rate, never a zero.
	StatusOffline Status = "offline"
)

// Statuses returns every Status, in the order of the README's table.
func Statuses() []Status {
	return []Status{
		StatusOK, StatusWrap, StatusBackfilled, StatusFirst, StatusPending,
		StatusGapTimeout, StatusGapReset, StatusGapDiscontinuity,
		StatusReconnected, StatusOffline,
	}
}

// Valid reports whether s is one of the statuses Statuses lists.
func (s Status) Valid() bool {
	for _, known := range Statuses() {
		if s == known {
			return true
		}
	}
	return false
}

// HasRate reports whether rows with this status carry a rate.
func (s Status) HasRate() bool {
	return s == StatusOK || s == StatusWrap || s == StatusBackfilled
}

// IsGap reports whether the status breaks the line in a chart.
func (s Status) IsGap() bool {
	return !s.HasRate()
}

// Sample is one row of the sample stream: one target at one poll.
type Sample struct {
	// Time is the end of the interval the rate covers: the midpoint of the
	// poll's send and receive, in local wall time.
	Time time.Time
	// Router is the router as the user named it (never with credentials).
	Router string
	// Target is the --user or --if value this row belongs to.
	Target string
	// IfIndex is the polled interface's ifIndex; 0 when unknown.
	IfIndex int
	// IfName is the interface's ifName (or ifDescr when it has none).
	IfName string
	// IfDescr and IfAlias are the interface's ifDescr and ifAlias, as
	// read when the target was found ("" when it has none, and on
	// offline rows).
	IfDescr, IfAlias string
	// User is the subscriber on the interface: the --user value of a
	// subscriber target, "" for an --if interface.
	User string
	// InBps and OutBps are bits per second over Interval; valid only when
	// Status.HasRate().
	InBps, OutBps float64
	// InOctets and OutOctets are the raw counter values read; valid only
	// when HasOctets is true.
	InOctets, OutOctets uint64
	// HasOctets is false when the poll read no counters (timeout, missing).
	HasOctets bool
	// Interval is the time the rate covers (midpoint to midpoint).
	Interval time.Duration
	// Status says what the rate means.
	Status Status
	// CounterBits is 64 for ifHCIn/OutOctets and 32 for ifIn/OutOctets.
	CounterBits int
	// RTT is the round-trip time of the poll; 0 on a timeout.
	RTT time.Duration
	// CachePeriod is the agent's detected counter refresh period; 0 while
	// the counters follow every poll.
	CachePeriod time.Duration
	// Err is the last error seen for this target on this poll, or "", with
	// the notes of the poll about the target appended ("; note: ...").
	Err string
}
