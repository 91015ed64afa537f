package snmp

import (
	"math"
	"time"

	"github.com/stg-project/stg/sample"
)

// Tuning of the rate math. Each is explained where it is used.
const (
	// wrapMargin is how far above the link speed an unwound 32-bit delta
	// may be and still count as a wrap (bursts, speed rounding, timing).
	wrapMargin = 1.5
	// upTimeSlackTicks and upTimeSlackRatio bound how far an unwound
	// sysUpTime delta may stray from the wall time that passed for a
	// decreasing sysUpTime to count as a 2^32 wrap rather than a restart.
	upTimeSlackTicks = 100 // 1 s
	upTimeSlackRatio = 0.1
	// upTimeResolution is the uncertainty of a sysUpTime difference: one
	// 10 ms tick at each end. When the round trips make the midpoints less
	// certain than that, the rate is timed by sysUpTime instead.
	upTimeResolution = 20 * time.Millisecond
	// idleGuess is how long both counters must stay frozen before they are
	// believed to be idle when nothing is known about the agent's cache:
	// longer than the slowest caches in the field (switches that copy
	// their hardware counters every 60 s), whose first refresh may take
	// that long.
	idleGuess = 65 * time.Second
	// cacheSpans is how many recent change-to-change spans the cache
	// period detection looks at; minCacheSpans must be known before it
	// decides anything.
	cacheSpans    = 4
	minCacheSpans = 3
)

// Reading is one poll of one interface, the input of RateState.Update.
type Reading struct {
	// Time is the midpoint of the poll's send and receive. It should carry
	// a monotonic clock reading (time.Now does), since rates divide by the
	// difference of two Readings' Times.
	Time time.Time
	// RTT is the poll's round-trip time (0 when unknown). The midpoint is
	// uncertain by up to half of it, which decides whether sysUpTime times
	// the rate better.
	RTT time.Duration
	// TimedOut is true when the poll got no answer; the other fields are
	// then ignored.
	TimedOut bool
	// UpTimeTicks is sysUpTime.0 in hundredths of a second; valid when
	// HasUpTime is true.
	UpTimeTicks uint64
	HasUpTime   bool
	// InOctets and OutOctets are the counter values read.
	InOctets, OutOctets uint64
	// InKind and OutKind are the SNMP kinds the counters came back as.
	// KindCounter64 and KindCounter32 are counters; any other kind means
	// the counter is missing (noSuchInstance, wrong type, Null), and so
	// does a Counter64 of 2^64−1, the value some agents serve for a
	// counter they cannot read. (The poller passes a 32-bit counter an
	// agent serves as INTEGER or Gauge32 as a Counter32.)
	InKind, OutKind Kind
	// DiscontinuityTicks is ifCounterDiscontinuityTime; valid when
	// HasDiscontinuity is true.
	DiscontinuityTicks uint64
	HasDiscontinuity   bool
}

// Rate is what RateState.Update makes of a Reading: the rate fields of a
// Sample.
type Rate struct {
	// Status says what the rate means.
	Status sample.Status
	// InBps and OutBps are bits per second over Interval; zero unless
	// Status.HasRate().
	InBps, OutBps float64
	// Interval is the time the rate covers; zero unless Status.HasRate().
	Interval time.Duration
	// CachePeriod is the detected agent counter refresh period, 0 while
	// the counters follow every poll or nothing is known yet.
	CachePeriod time.Duration
}

// RateState turns the successive Readings of one interface into rates that
// tell the truth (README.md, How rates are measured). It keeps a baseline: the counters and time
// the next rate is measured from. The zero value is the state of an
// interface of unknown speed.
type RateState struct {
	speedBps uint64

	// started is set once a baseline was ever taken: later baselines are
	// gaps, not the first reading.
	started bool
	// prev is the last answered Reading (timeouts are not answers).
	prev    Reading
	hasPrev bool

	// The baseline: where the counters last changed (or were first read).
	hasBase           bool
	baseTime          time.Time
	baseClock         Reading // the baseline's Time, RTT and sysUpTime
	baseIn, baseOut   uint64
	baseKindIn        Kind
	baseKindOut       Kind
	baseIsChange      bool // the baseline is an observed counter change
	pending           int  // polls since the baseline with frozen counters
	timedOutSinceBase bool
	idle              bool // frozen counters are being reported as real zeros

	// Cache period detection over recent change-to-change spans.
	spans      [cacheSpans]cacheSpan
	nSpans     int
	nextSpan   int
	period     time.Duration // detected refresh period; 0 = none
	followSpan time.Duration // poll spacing while counters follow every poll; 0 = unknown

	// history holds the recent rates a 32-bit wrap is judged by when the
	// speed is unknown.
	history rateHistory

	// The last counter change, which is the baseline unless a change is
	// deferred (counter_cache.go).
	last                Reading
	sinceChange         int  // polls since the last change with frozen counters
	timedOutSinceChange bool // a poll got no answer since the last change
	lastInModel         bool // the last change is the refresh model's latest
	deferred            bool // a change since the baseline waits for its rate
	refresh             refreshModel
	primed              Reading // read right before the first reading (Prime)
	hasPrimed           bool
}

// cacheSpan is the time between two observed counter changes and the number
// of polls it took (1 when the counters changed at the very next poll).
type cacheSpan struct {
	span  time.Duration
	polls int
}

// NewRateState returns the state of one interface whose link speed is
// speedBps bits per second (0 when unknown: a 32-bit counter that goes down
// is then judged by the interface's recent rates, see wrapCeiling).
func NewRateState(speedBps uint64) *RateState {
	return &RateState{speedBps: speedBps}
}

// ForInterface returns a fresh state for another interface of the same
// agent (a subscriber's new session, the same session found again): no
// baseline, but what was learnt about how the agent refreshes its counters
// carries over, since that belongs to the agent, not to the interface.
func (s *RateState) ForInterface(speedBps uint64) *RateState {
	return &RateState{speedBps: speedBps, period: s.period, followSpan: s.followSpan, refresh: s.refresh.forInterface()}
}

// CachePeriod returns the detected agent counter refresh period (0 when the
// counters follow every poll or nothing is known yet).
func (s *RateState) CachePeriod() time.Duration { return s.period }

// Update feeds one poll's Reading and returns what it means.
//
// The order of the checks is the order of trust: a timeout says nothing; a
// missing, retyped or unreadable counter, an agent restart (sysUpTime went back without
// wrapping) and an announced discontinuity each end the baseline before any
// counter arithmetic is tried; only then are the counters compared with the
// baseline.
func (s *RateState) Update(r Reading) Rate {
	if r.TimedOut {
		// The baseline is kept: the next answer bridges the gap.
		if s.hasBase {
			s.timedOutSinceBase = true
			s.timedOutSinceChange = true
		}
		return s.result(sample.StatusGapTimeout)
	}
	prev, hadPrev := s.prev, s.hasPrev
	s.prev, s.hasPrev = r, true

	if !readable(r) {
		// A missing value is never 0: no rate, and nothing to measure the
		// next one from.
		s.hasBase = false
		return s.result(sample.StatusGapDiscontinuity)
	}
	if !s.hasBase {
		status := sample.StatusFirst
		if s.started {
			status = sample.StatusGapDiscontinuity
		}
		s.rebase(r, false)
		return s.result(status)
	}
	switch {
	case r.InKind != s.baseKindIn || r.OutKind != s.baseKindOut:
		s.rebase(r, false)
		return s.result(sample.StatusGapDiscontinuity)
	case hadPrev && restarted(prev, r):
		s.rebase(r, false)
		return s.result(sample.StatusGapReset)
	case hadPrev && prev.HasDiscontinuity && r.HasDiscontinuity &&
		prev.DiscontinuityTicks != r.DiscontinuityTicks:
		s.rebase(r, false)
		return s.result(sample.StatusGapDiscontinuity)
	}

	span := s.span(r)
	if span <= 0 {
		// The clock did not advance: no rate can be measured over nothing.
		s.rebase(r, false)
		return s.result(sample.StatusGapReset)
	}
	dIn, wrapIn, okIn := s.delta(s.baseIn, r.InOctets, r.InKind, false, span)
	dOut, wrapOut, okOut := s.delta(s.baseOut, r.OutOctets, r.OutKind, true, span)
	if !okIn || !okOut {
		s.rebase(r, false)
		return s.result(sample.StatusGapReset)
	}
	return s.moved(prev, r, span, dIn, dOut, wrapIn || wrapOut)
}

// delta returns how many octets a counter of the given kind and direction
// counted from prev to cur over span, whether that unwound a 32-bit wrap,
// and false when the decrease is a reset. A 32-bit counter that went down
// wrapped only when the unwound delta is plausible (unwrap32); a 64-bit
// counter going down never wrapped (it would take decades).
func (s *RateState) delta(prev, cur uint64, kind Kind, out bool, span time.Duration) (octets uint64, wrapped, ok bool) {
	if cur >= prev {
		return cur - prev, false, true
	}
	if kind != KindCounter32 {
		return 0, false, false
	}
	unwound, ok := s.unwrap32(prev, cur, out, span.Seconds())
	return unwound, ok, ok
}

// span returns the time the rate from the baseline to r covers: the time
// between the two polls' midpoints, or the sysUpTime difference when the
// round trips make the midpoints less certain than sysUpTime's ticks and the
// two agree within that uncertainty (a slow or lossy path: sysUpTime as a
// cross-check put to use).
func (s *RateState) span(r Reading) time.Duration {
	mid := r.Time.Sub(s.baseTime)
	b := s.baseClock
	uncertainty := (b.RTT + r.RTT) / 2
	if !b.HasUpTime || !r.HasUpTime || uncertainty <= upTimeResolution {
		return mid
	}
	ticks := (r.UpTimeTicks - b.UpTimeTicks) & math.MaxUint32
	up := time.Duration(ticks) * 10 * time.Millisecond
	if d := up - mid; d > uncertainty+upTimeResolution || -d > uncertainty+upTimeResolution {
		return mid
	}
	return up
}

// restarted reports whether the agent restarted between prev and r:
// sysUpTime went back for another reason than its 2^32-tick wrap (every 497
// days; a wrap leaves an unwound delta close to the wall time that passed),
// or it advanced far less than the wall time that passed (the agent was down
// longer than it had been up before, so its uptime ends up higher anyway).
// A sysUpTime that did not move at all is no evidence either way.
func restarted(prev, r Reading) bool {
	if !prev.HasUpTime || !r.HasUpTime || r.UpTimeTicks == prev.UpTimeTicks {
		// A clock that did not move says nothing: a frozen agent clock
		// (an agent restart never lands on the very same tick).
		return false
	}
	elapsed := float64(r.Time.Sub(prev.Time)) / float64(10*time.Millisecond)
	slack := upTimeSlackTicks + upTimeSlackRatio*math.Abs(elapsed)
	if r.UpTimeTicks >= prev.UpTimeTicks {
		return float64(r.UpTimeTicks-prev.UpTimeTicks) < elapsed-slack
	}
	if prev.UpTimeTicks > math.MaxUint32 {
		return true
	}
	unwound := float64(r.UpTimeTicks + (1 << 32) - prev.UpTimeTicks)
	return math.Abs(unwound-elapsed) > slack
}

// rebase makes r the new baseline; changed says it is an observed counter
// change, so the span to the next change is evidence of the cache period.
func (s *RateState) rebase(r Reading, changed bool) {
	s.started = true
	s.hasBase = true
	s.baseTime = r.Time
	s.baseClock = r
	s.baseIn, s.baseOut = r.InOctets, r.OutOctets
	s.baseKindIn, s.baseKindOut = r.InKind, r.OutKind
	s.baseIsChange = changed
	s.pending = 0
	s.timedOutSinceBase = false
	s.idle = false
	s.rebaseCache(r, changed)
}

// result is a Rate without a rate.
func (s *RateState) result(status sample.Status) Rate {
	return Rate{Status: status, CachePeriod: s.period}
}

// readable reports whether both counters of r carry a value to measure
// from: counters, and neither the "cannot read" marker (unreadable).
func readable(r Reading) bool {
	return r.InKind.IsCounter() && r.OutKind.IsCounter() &&
		!unreadable(r.InOctets, r.InKind) && !unreadable(r.OutOctets, r.OutKind)
}
