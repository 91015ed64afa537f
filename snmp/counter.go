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
//
// stg top keeps one per row, 32,000 on a large BRAS, so it keeps of each
// Reading only what later polls use (a mark: times as offsets from
// markEpoch rather than whole time.Times), and nothing it may not need:
// a primed reading only until the first one, a rate history only for
// 32-bit counters of unknown speed, a window of counter changes only on an
// agent that caches them (refresh.go).
type RateState struct {
	speedBps uint64

	// prev is the last answered poll (timeouts are not answers), with its
	// ifCounterDiscontinuityTime.
	prev     mark
	prevDisc uint64

	// The baseline: where the counters last changed (or were first read).
	base            mark
	baseIn, baseOut uint64

	// The last counter change, which is the baseline unless a change is
	// deferred (counter_cache.go).
	lastAt          time.Duration
	lastIn, lastOut uint64

	// Cache period detection over recent change-to-change spans.
	period     time.Duration // detected refresh period; 0 = none
	followSpan time.Duration // poll spacing while counters follow every poll; 0 = unknown
	// spanLens and spanPolls are a ring of the recent spans: the time
	// between two changes and how many polls it took (1 when the counters
	// changed at the very next poll; at most 65535, 18 hours of 1 s polls).
	spanLens  [cacheSpans]time.Duration
	spanPolls [cacheSpans]uint16

	refresh refreshModel
	// history holds the recent rates a 32-bit wrap is judged by when the
	// speed is unknown; nil until such a rate is kept (wrapCeiling).
	history *rateHistory
	// primed is the reading taken right before the first one (Prime); nil
	// once the first reading has used it.
	primed *Reading

	pending     int32 // polls since the baseline with frozen counters
	sinceChange int32 // polls since the last change with frozen counters
	nSpans      int8
	nextSpan    int8

	// started is set once a baseline was ever taken: later baselines are
	// gaps, not the first reading.
	started      bool
	hasPrev      bool
	prevHasDisc  bool
	hasBase      bool
	baseIsChange bool // the baseline is an observed counter change
	// base32In and base32Out say whether the baseline's counters are
	// Counter32 (else Counter64: a baseline has counters).
	base32In, base32Out bool
	timedOutSinceBase   bool
	idle                bool // frozen counters are being reported as real zeros
	timedOutSinceChange bool // a poll got no answer since the last change
	lastInModel         bool // the last change is the refresh model's latest
	deferred            bool // a change since the baseline waits for its rate
}

// markEpoch is the time marks count from. Any fixed time would do: a mark
// is only ever subtracted from another.
var markEpoch = time.Now()

// noUpTime is a mark's up without a sysUpTime.0 (2^64−1 ticks: no
// TimeTicks, which have 32 bits).
const noUpTime = math.MaxUint64

// mark is what RateState keeps of an answered poll for the polls after it:
// its midpoint as an offset from markEpoch (exact: the difference of two
// marks is the difference of the two Readings' Times, both measured on
// the monotonic clock when they carry it), its round trip, and the
// agent's sysUpTime.0 in ticks (noUpTime when it was not read).
type mark struct {
	at  time.Duration
	rtt time.Duration
	up  uint64
}

// hasUp reports whether the poll read sysUpTime.0.
func (m mark) hasUp() bool { return m.up != noUpTime }

// poll is a Reading as Update works with it: its mark and its counters.
type poll struct {
	mark
	in, out         uint64
	inKind, outKind Kind
}

// pollOf returns r as a poll.
func pollOf(r Reading) poll {
	m := mark{at: r.Time.Sub(markEpoch), rtt: r.RTT, up: noUpTime}
	if r.HasUpTime {
		m.up = r.UpTimeTicks
	}
	return poll{mark: m, in: r.InOctets, out: r.OutOctets, inKind: r.InKind, outKind: r.OutKind}
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
	p := pollOf(r)
	prev, hadPrev := s.prev, s.hasPrev
	prevDisc, prevHasDisc := s.prevDisc, s.prevHasDisc
	s.prev, s.hasPrev = p.mark, true
	s.prevDisc, s.prevHasDisc = r.DiscontinuityTicks, r.HasDiscontinuity

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
		s.rebase(p, false)
		return s.result(status)
	}
	switch {
	case (p.inKind == KindCounter32) != s.base32In || (p.outKind == KindCounter32) != s.base32Out:
		s.rebase(p, false)
		return s.result(sample.StatusGapDiscontinuity)
	case hadPrev && restarted(prev, p.mark):
		s.rebase(p, false)
		return s.result(sample.StatusGapReset)
	case hadPrev && prevHasDisc && r.HasDiscontinuity && prevDisc != r.DiscontinuityTicks:
		s.rebase(p, false)
		return s.result(sample.StatusGapDiscontinuity)
	}

	span := s.span(p.mark)
	if span <= 0 {
		// The clock did not advance: no rate can be measured over nothing.
		s.rebase(p, false)
		return s.result(sample.StatusGapReset)
	}
	dIn, wrapIn, okIn := s.delta(s.baseIn, p.in, p.inKind, false, span)
	dOut, wrapOut, okOut := s.delta(s.baseOut, p.out, p.outKind, true, span)
	if !okIn || !okOut {
		s.rebase(p, false)
		return s.result(sample.StatusGapReset)
	}
	return s.moved(prev, p, span, dIn, dOut, wrapIn || wrapOut)
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

// span returns the time the rate from the baseline to the poll at p covers:
// the time between the two polls' midpoints, or the sysUpTime difference
// when the round trips make the midpoints less certain than sysUpTime's
// ticks and the two agree within that uncertainty (a slow or lossy path:
// sysUpTime as a cross-check put to use).
func (s *RateState) span(p mark) time.Duration {
	b := s.base
	mid := p.at - b.at
	uncertainty := (b.rtt + p.rtt) / 2
	if !b.hasUp() || !p.hasUp() || uncertainty <= upTimeResolution {
		return mid
	}
	ticks := (p.up - b.up) & math.MaxUint32
	up := time.Duration(ticks) * 10 * time.Millisecond
	if d := up - mid; d > uncertainty+upTimeResolution || -d > uncertainty+upTimeResolution {
		return mid
	}
	return up
}

// restarted reports whether the agent restarted between the polls prev and
// p: sysUpTime went back for another reason than its 2^32-tick wrap (every
// 497 days; a wrap leaves an unwound delta close to the wall time that
// passed), or it advanced far less than the wall time that passed (the
// agent was down longer than it had been up before, so its uptime ends up
// higher anyway). A sysUpTime that did not move at all is no evidence
// either way.
func restarted(prev, p mark) bool {
	if !prev.hasUp() || !p.hasUp() || p.up == prev.up {
		// A clock that did not move says nothing: a frozen agent clock
		// (an agent restart never lands on the very same tick).
		return false
	}
	elapsed := float64(p.at-prev.at) / float64(10*time.Millisecond)
	slack := upTimeSlackTicks + upTimeSlackRatio*math.Abs(elapsed)
	if p.up >= prev.up {
		return float64(p.up-prev.up) < elapsed-slack
	}
	if prev.up > math.MaxUint32 {
		return true
	}
	unwound := float64(p.up + (1 << 32) - prev.up)
	return math.Abs(unwound-elapsed) > slack
}

// rebase makes the poll p the new baseline; changed says it is an observed
// counter change, so the span to the next change is evidence of the cache
// period.
func (s *RateState) rebase(p poll, changed bool) {
	s.started = true
	s.hasBase = true
	s.base = p.mark
	s.baseIn, s.baseOut = p.in, p.out
	s.base32In, s.base32Out = p.inKind == KindCounter32, p.outKind == KindCounter32
	s.baseIsChange = changed
	s.pending = 0
	s.timedOutSinceBase = false
	s.idle = false
	s.rebaseCache(p, changed)
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
