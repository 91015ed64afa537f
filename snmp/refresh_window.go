package snmp

import (
	"math"
	"time"
)

// refreshModel is what RateState learns about an agent's counter refresh.
// The zero value knows nothing.
type refreshModel struct {
	// recs are the recent changes (window), oldest first, as compact
	// records whose times count from base (a time of marks).
	recs []refreshRec
	base time.Duration
	// tLo and tHi bound the timer period from every window seen so far
	// (both 0: no bound yet). They outlive the window, so a period pinned
	// down once stays known across gaps and new interfaces.
	tLo, tHi time.Duration
	kind     refreshKind
}

// refreshRec is a refreshObs as the model keeps it, in 16 bytes rather than
// 32: on an agent that caches its counters every interface keeps a whole
// window (refreshWindow changes), and stg top keeps 32,000 interfaces. Its
// times are whole microseconds from the window's base, rounded down, and
// its slack whole microseconds rounded up: the model reasons about the
// polls' timing noise, milliseconds (minPinTolerance), so a microsecond
// changes nothing it concludes. A window spans at most recSpan.
type refreshRec struct {
	from, at uint32
	slack    uint32
	polls    int32
}

// recSpan is the longest time a window's records can hold: 2^32 µs, 71
// minutes, 16 refreshes of a 4-minute timer. A change further from the
// window's first starts a new window.
const recSpan = math.MaxUint32 * time.Microsecond

// forInterface returns what carries over to another interface of the same
// agent: its kind of cache and period, not the changes.
func (m *refreshModel) forInterface() refreshModel {
	return refreshModel{kind: m.kind, tLo: m.tLo, tHi: m.tHi}
}

// reset forgets the recent changes, after a gap in them (a timeout, idle
// counters, a new baseline): what they taught stays.
func (m *refreshModel) reset() { m.recs = m.recs[:0] }

// size returns how many changes the window holds.
func (m *refreshModel) size() int { return len(m.recs) }

// window decodes the changes into buf and returns them.
func (m *refreshModel) window(buf *[refreshWindow]refreshObs) window {
	w := buf[:len(m.recs)]
	for i, r := range m.recs {
		w[i] = refreshObs{
			from:  m.base + time.Duration(r.from)*time.Microsecond,
			at:    m.base + time.Duration(r.at)*time.Microsecond,
			slack: time.Duration(r.slack) * time.Microsecond,
			polls: int(r.polls),
		}
	}
	return w
}

// add records a counter change seen at the poll at, whose previous answered
// poll was at from; polls is how many polls it took since the previous
// change (0 when that one is not in the window). Consecutive changes are
// taken to be consecutive refreshes: a span that does not fit with the
// others (longer or shorter by more than two polls, as a refresh that found
// no traffic makes it) starts a new window instead. A timer seen on either
// side of a poll makes spans a poll shorter and longer than usual: they fit.
//
// Until a change takes more than one poll the counters follow the polls and
// only the latest change is kept: a window costs memory only on an agent
// that caches, and there it is made whole at its second change.
func (m *refreshModel) add(from, at mark, polls int) {
	var buf [refreshWindow]refreshObs
	w := m.window(&buf)
	if len(w) == 0 || polls == 0 || !w.fits(polls) || (polls == 1 && !w.cached()) {
		m.recs = m.recs[:0]
		polls = 0
	}
	if len(m.recs) == refreshWindow {
		m.dropFirst()
	}
	slack := max(from.rtt, at.rtt, 0) / 2
	if len(m.recs) == 0 {
		m.start(from.at, at.at)
	}
	r, ok := m.pack(from.at, at.at, slack, polls)
	if !ok {
		// Too far from the window's first change (or before it, on a
		// clock that went back): this change starts a new window.
		m.recs = m.recs[:0]
		m.start(from.at, at.at)
		r, _ = m.pack(max(from.at, m.base), max(at.at, m.base), slack, 0)
	}
	if len(m.recs) == 1 && cap(m.recs) < refreshWindow {
		m.recs = append(make([]refreshRec, 0, refreshWindow), m.recs...)
	}
	m.recs = append(m.recs, r)
}

// start makes the base of a new window whose first change is seen at the
// poll at after the poll from: the earlier of the two, or recSpan before
// the later one when they are further apart (an answer after a long
// silence: the refresh was then at most recSpan before it).
func (m *refreshModel) start(from, at time.Duration) {
	m.base = max(min(from, at), max(from, at)-recSpan)
}

// pack returns the record of a change, false when its times are not within
// recSpan after the window's base.
func (m *refreshModel) pack(from, at, slack time.Duration, polls int) (refreshRec, bool) {
	f, fok := m.offset(from)
	a, aok := m.offset(at)
	micros := min((slack+time.Microsecond-1)/time.Microsecond, math.MaxUint32)
	return refreshRec{from: f, at: a, slack: uint32(micros), polls: int32(polls)}, fok && aok
}

// offset returns the microseconds from the window's base to t, false when t
// is not within recSpan after it.
func (m *refreshModel) offset(t time.Duration) (uint32, bool) {
	d := t - m.base
	if d < 0 || d > recSpan {
		return 0, false
	}
	return uint32(d / time.Microsecond), true
}

// dropFirst forgets the window's first change, and counts the times of the
// others from the earliest of them.
func (m *refreshModel) dropFirst() {
	copy(m.recs, m.recs[1:])
	m.recs = m.recs[:len(m.recs)-1]
	m.recs[0].polls = 0 // its span's start is gone
	shift := uint32(math.MaxUint32)
	for _, r := range m.recs {
		shift = min(shift, r.from, r.at)
	}
	for i := range m.recs {
		m.recs[i].from -= shift
		m.recs[i].at -= shift
	}
	m.base += time.Duration(shift) * time.Microsecond
}

// indexOf returns the index of the change seen at the poll at at, -1 when
// it is not in the window.
func (m *refreshModel) indexOf(at time.Duration) int {
	a, ok := m.offset(at)
	if !ok {
		return -1
	}
	for i := len(m.recs) - 1; i >= 0; i-- {
		if m.recs[i].at == a {
			return i
		}
	}
	return -1
}

// pollInterval returns the mean time between two polls over the window.
func (m *refreshModel) pollInterval() time.Duration {
	var buf [refreshWindow]refreshObs
	return m.window(&buf).pollInterval()
}
