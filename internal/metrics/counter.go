package metrics

import "github.com/stg-project/stg/sample"

// counter is one direction of a target's octet counter as /metrics shows
// it. A 64-bit counter is shown as read. A 32-bit one is not: Prometheus'
// rate() takes any decrease of a counter for a restart from 0, so a
// counter that wraps every few seconds would lose up to a scrape's
// traffic at each wrap. stg has already told wraps from resets (README.md,
// "How rates are measured"), so it shows the octets it counted since its
// baseline: 0 at the first reading (and at a reset, a discontinuity, a
// reconnect), then every delta it measured, wraps unwound. Prometheus
// sees each new baseline as a reset to 0, which it is: neither a restart
// of stg nor a reset of the agent's counter can make rate() count traffic
// that did not happen.
type counter struct {
	last  uint64 // the value last read
	bits  int
	total uint64 // 32-bit: the octets counted since the baseline
	has   bool
}

// next takes the value read at a sample of status st from a counter of
// bits bits and returns the value to show.
func (c *counter) next(raw uint64, bits int, st sample.Status) uint64 {
	switch {
	case bits != 32:
		c.total = raw
	case !c.has || c.bits != bits || newBaseline(st):
		c.total = 0
	default:
		// Any status but a new baseline went through stg's wrap check:
		// a decrease it did not take for a reset is one wrap.
		c.total += (raw - c.last) & (1<<32 - 1)
	}
	c.last, c.bits, c.has = raw, bits, true
	return c.total
}

// newBaseline reports whether a sample of status st starts its counters
// again: nothing before it may be counted into it.
func newBaseline(st sample.Status) bool {
	switch st {
	case sample.StatusFirst, sample.StatusGapReset, sample.StatusGapDiscontinuity, sample.StatusReconnected:
		return true
	}
	return false
}
