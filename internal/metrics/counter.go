package metrics

import "github.com/stg-project/stg/sample"

// counter is one direction of a target's octet counter as /metrics shows
// it. Prometheus' rate() takes any decrease of a counter for a restart
// from 0, so a 32-bit counter that wraps every few seconds would lose up
// to an interval's traffic at each wrap. stg has already told wraps from
// resets (README.md, "How rates are measured"), so it shows a 32-bit
// counter unwound: the value read plus 2^32 for each wrap since the last
// baseline. A reset, a discontinuity, a reconnect or a first reading
// start again from the value read, which Prometheus sees as the restart
// it is. 64-bit counters are shown as read.
type counter struct {
	last   uint64 // the value last read
	bits   int
	offset uint64 // 2^32 × the wraps unwound since the baseline
	has    bool
}

// next takes the value read at a sample of status st from a counter of
// bits bits and returns the value to show.
func (c *counter) next(raw uint64, bits int, st sample.Status) uint64 {
	switch {
	case !c.has || bits != 32 || c.bits != bits || newBaseline(st):
		c.offset = 0
	case raw < c.last:
		// Any other status went through stg's wrap check: a decrease
		// it did not take for a reset is a wrap (at most one per
		// interval, which the check makes sure of).
		c.offset += 1 << 32
	}
	c.last, c.bits, c.has = raw, bits, true
	return raw + c.offset
}

// newBaseline reports whether a sample of status st starts its counters
// again: nothing before it may be unwound into it.
func newBaseline(st sample.Status) bool {
	switch st {
	case sample.StatusFirst, sample.StatusGapReset, sample.StatusGapDiscontinuity, sample.StatusReconnected:
		return true
	}
	return false
}
