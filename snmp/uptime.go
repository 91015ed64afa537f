package snmp

import (
	"fmt"
	"time"
)

// frozenUpTimeAfter is how long sysUpTime.0 may read the same value before
// the agent's clock is taken to be frozen: longer than the coarsest clock
// resolution agents have (some tick once a second), short enough that a
// frozen clock is found within the first polls.
const frozenUpTimeAfter = 2 * time.Second

// wallClockTiming is what stg does without a usable agent clock, for notes.
const wallClockTiming = "rates are timed by this host's clock, resets judged by the counters and ifCounterDiscontinuityTime"

// agentClock follows an agent's sysUpTime.0 from poll to poll and decides
// whether it can be used: to time rates on slow paths and to see agent
// restarts. An agent that does not serve it, or whose clock stands still,
// is timed by the poller's clock from then on, and the poller stops asking
// for sysUpTime.0.
type agentClock struct {
	off     bool      // sysUpTime.0 is no longer asked for or used
	has     bool      // last holds a reading
	last    uint64    // the last sysUpTime.0 read
	changed time.Time // when last was first read
}

// clockReading is what one poll learnt from sysUpTime.0.
type clockReading struct {
	ticks uint64
	ok    bool // ticks can be used
	// note, when not "", says the clock was just found unusable and why.
	note string
}

// read takes the sysUpTime.0 a poll read at time at.
func (c *agentClock) read(up Variable, at time.Time) clockReading {
	if c.off {
		return clockReading{}
	}
	if up.Kind != KindTimeTicks {
		c.off = true
		return clockReading{note: fmt.Sprintf("the agent has no usable sysUpTime.0 (it answered %s): %s", up.Kind, wallClockTiming)}
	}
	if !c.has || up.Uint != c.last {
		c.has, c.last, c.changed = true, up.Uint, at
		return clockReading{ticks: up.Uint, ok: true}
	}
	if stood := at.Sub(c.changed); stood >= frozenUpTimeAfter {
		c.off = true
		return clockReading{note: fmt.Sprintf("the agent's sysUpTime.0 stood still at %d for %s (a frozen agent clock): %s",
			up.Uint, stood.Round(time.Millisecond), wallClockTiming)}
	}
	return clockReading{ticks: up.Uint, ok: true}
}
