package snmp

import (
	"math"
	"time"
)

// How an agent refreshes its counters, learnt from the polls that saw them
// change.
//
// A counter value an agent serves from a cache is the traffic up to the
// cache's last refresh, not up to the poll. A poll that sees the counters
// change only tells that a refresh happened after the poll before it (which
// still read the old values) and no later than itself: a window of one poll
// interval. A rate divided by the time between the two polls that saw two
// changes is right only when both refreshes sat at the same place in their
// windows. Two kinds of cache decide where they sit:
//
//   - a cache refreshed on request (the agent reloads a stale cache when
//     asked) refreshes at the poll that sees the change: the poll-to-poll
//     time is exact, however many polls the spans take;
//   - a cache refreshed on a timer (net-snmp reloads its interface table
//     every 3 s; IOS-XR's statistics collector and switch firmware every 5
//     to 60 s) refreshes at φ + k·T on the agent's own clock. When a refresh
//     lands within the poll timing noise of a poll, it is seen at that poll
//     or at the next one depending on a millisecond: spans of T−P, T and
//     T+P seconds follow each other while every change holds T seconds of
//     traffic, and poll-to-poll rates come out 1.5× or 0.75× the truth
//     (T = 3 s, P = 1 s).
//
// refreshModel keeps the recent changes and tests both explanations on
// them. A timer must fit every window: the pairs of changes bound T
// (changes i and j of the window are j−i refreshes apart, so (j−i)·T lies
// between the earliest and the latest refresh times the two windows
// allow). A cache refreshed on request must have one threshold between the
// poll-to-poll times of the polls that still read the old values and those
// that saw a change. A rate uses the poll-to-poll time whenever the timer
// explanation allows it too (regular spans, where both agree); when they
// disagree, the explanation that survives decides, and while both survive
// the change waits (pending) and is folded into the next rate.

// Tuning of the refresh model.
const (
	// refreshWindow is how many recent counter changes the model keeps.
	refreshWindow = 16
	// minPinTolerance is how close to a poll a refresh must at least be
	// allowed to be to count as landing on it (see pinnedPeriods); more
	// when the polls jitter more.
	minPinTolerance = 4 * time.Millisecond
	// agreeWithin: a poll-to-poll span within 1/agreeWithin of what a
	// timer allows agrees with it (the polls' timing noise).
	agreeWithin = 200
	// deferPolls bounds how long a change may wait for the explanations to
	// settle: over that many polls the two differ by less than a poll in
	// 60, so the poll-to-poll time is within 2% whichever is right.
	deferPolls = 60
)

// refreshKind is what the changes seen so far say about the agent's cache.
type refreshKind int8

const (
	refreshUnknown   refreshKind = iota
	refreshOnRequest             // the timer explanation failed, the request one holds
	refreshTimer                 // the request explanation failed, the timer one holds
)

// refreshObs is one observed counter change: the agent refreshed after the
// poll at from, which still read the old values, and no later than the
// poll at at, which read the new ones (times of marks, at the microsecond:
// see refreshRec).
type refreshObs struct {
	from, at time.Duration
	// slack is half the larger round trip of the two polls: the agent took
	// each reading within that of the poll's midpoint.
	slack time.Duration
	// polls is how many polls the change took since the previous change in
	// the window (1: seen at the very next poll); 0 for the first.
	polls int
}

// window is the recent changes of a refreshModel, oldest first, without a
// gap between them. Its changes are taken to be consecutive refreshes (see
// refreshModel.add): change i of the window is the i-th refresh after the
// first, so changes i and j took j−i periods.
type window []refreshObs

// cached reports whether a change of the window took more than one poll.
func (w window) cached() bool {
	for _, o := range w[min(1, len(w)):] {
		if o.polls > 1 {
			return true
		}
	}
	return false
}

// fits reports whether a span of polls polls is within two polls of every
// span of the window.
func (w window) fits(polls int) bool {
	lo, hi := polls, polls
	for _, o := range w[1:] {
		lo, hi = min(lo, o.polls), max(hi, o.polls)
	}
	return hi-lo <= 2
}

// pollInterval returns the mean time between two polls over the window.
func (w window) pollInterval() time.Duration {
	var d time.Duration
	polls := 0
	for i := 1; i < len(w); i++ {
		if p := w[i].polls; p > 0 {
			d += w[i].at - w[i-1].at
			polls += p
		}
	}
	if polls == 0 {
		return 0
	}
	return d / time.Duration(polls)
}

// caching reports whether the window shows a counter cache at all: changes
// took 1.5 polls or more on average. Below that the counters follow the
// polls and an occasional frozen poll is a quiet second, not a refresh
// that was missed.
func (w window) caching() bool {
	polls, spans := 0, 0
	for _, o := range w[min(1, len(w)):] {
		polls += o.polls
		spans++
	}
	return spans > 0 && 2*polls >= 3*spans
}

// timerBounds returns the range of timer periods that fits every change in
// the window (and the bounds learnt before, tLo..tHi, when they agree with
// it), and false when no timer fits.
func (w window) timerBounds(tLo, tHi time.Duration) (lo, hi time.Duration, ok bool) {
	lo, hi = 0, time.Duration(math.MaxInt64)
	for j := 1; j < len(w); j++ {
		b := w[j]
		for i, a := range w[:j] {
			dk := time.Duration(j - i)
			widen := a.slack + b.slack
			lo = max(lo, (b.from-a.at-widen)/dk)
			hi = min(hi, (b.at-a.from+widen)/dk)
		}
	}
	if lo >= hi {
		return 0, 0, false
	}
	if tHi > 0 && max(lo, tLo) < min(hi, tHi) {
		lo, hi = max(lo, tLo), min(hi, tHi)
	}
	return lo, hi, true
}

// requestFails reports whether the window rules out a cache refreshed on
// request: some poll read old values later after a change than another
// poll saw a change after the one before it. Spans that may hold a refresh
// that found no traffic prove nothing and are left out.
func (w window) requestFails() bool {
	frozen, changed := time.Duration(math.MinInt64), time.Duration(math.MaxInt64)
	for i := 1; i < len(w); i++ {
		a, b := w[i-1], w[i]
		if b.polls == 0 {
			continue
		}
		slack := a.slack + b.slack
		changed = min(changed, b.at-a.at+slack)
		if b.polls > 1 {
			frozen = max(frozen, b.from-a.at-slack)
		}
	}
	return frozen >= changed
}

// pinnedPeriods returns the periods, within lo..hi, of the timers whose
// every refresh in the window lands on a poll (within the polls' timing
// noise of the poll before or after the change): the refreshes of a timer
// whose period is a multiple of the poll interval, seen on either side of
// a poll as the polls jitter. Such a timer is pinned down by a few
// changes, where the bounds of all the timers that fit narrow slowly. Each
// candidate runs through a poll of the first and of the last change; its
// period is then fitted to the polls all the changes land on.
func (w window) pinnedPeriods(lo, hi time.Duration) []time.Duration {
	n := len(w)
	if n < 3 {
		return nil
	}
	first, last := w[0], w[n-1]
	dk := time.Duration(n - 1)
	poll := w.pollInterval()
	tol := w.pinTolerance(poll)
	var found []time.Duration
	for _, a := range [2]time.Duration{first.from, first.at} {
		for _, b := range [2]time.Duration{last.from, last.at} {
			t, ok := w.pinnedFit(a, (b-a)/dk, tol)
			if !ok || t < poll*3/2 || t < lo-tol/dk || t > hi+tol/dk {
				continue
			}
			t = min(max(t, lo), hi)
			dup := false
			for _, f := range found {
				dup = dup || (f-t).Abs() <= 2*tol/dk
			}
			if !dup {
				found = append(found, t)
			}
		}
	}
	return found
}

// pinTolerance returns how far from a poll a refresh may be to count as
// landing on it: twice the polls' own timing noise (how far the polls that
// saw the changes, and the polls before them, stray from a regular grid of
// poll intervals), at least minPinTolerance. The read before the first
// change may be the poller's pre-read, off the grid: it is left out.
func (w window) pinTolerance(poll time.Duration) time.Duration {
	first := w[0].at
	stray := time.Duration(0)
	idx := 0
	for i, o := range w {
		if i > 0 {
			idx += o.polls
		}
		at := first + time.Duration(idx)*poll
		stray = max(stray, (o.at-at).Abs()+o.slack)
		if i > 0 {
			stray = max(stray, (o.from-(at-poll)).Abs()+o.slack)
		}
	}
	return max(minPinTolerance, 2*stray)
}

// pinnedFit checks that every change i of the window is within tol of a
// refresh at first + i·t, on the poll before it or on itself, and returns
// the period fitted (least squares) to those polls.
func (w window) pinnedFit(first, t, tol time.Duration) (time.Duration, bool) {
	near := func(x, y time.Duration) bool { return (x - y).Abs() <= tol }
	var sk, sy, skk, sky float64
	for i, o := range w {
		k := float64(i)
		at := first + time.Duration(i)*t
		var on time.Duration
		switch {
		case near(at, o.from):
			on = o.from
		case near(at, o.at):
			on = o.at
		default:
			return 0, false
		}
		y := float64(on - first)
		sk, sy, skk, sky = sk+k, sy+y, skk+k*k, sky+k*y
	}
	n := float64(len(w))
	return time.Duration((n*sky - sk*sy) / (n*skk - sk*sk)), true
}

// rateSpan returns the time a rate from the change at index base of the
// window to the latest change covers, given that the polls that saw them
// are polled apart (the poll-to-poll span the rate would otherwise use).
// It returns false when the change should wait for more evidence.
//
// The poll-to-poll span stands when no timer is possible (the changes fit
// none), when a cache refreshed on request is the explanation left, or
// when a timer would allow it too and either the window's spans are all
// alike (a refresh seen the same number of polls after it every time) or
// the period is known within 1%. Otherwise, when the timer is the
// explanation left, its period does: the one that puts every refresh on a
// poll if there is one (a period a multiple of the poll interval, seen on
// either side of the polls), else the middle of the periods that fit. When
// both explanations still fit, the change waits.
func (m *refreshModel) rateSpan(base int, polled time.Duration) (time.Duration, bool) {
	var buf [refreshWindow]refreshObs
	w := m.window(&buf)
	last := len(w) - 1
	switch {
	case base < 0 || base >= last:
		return polled, true
	case last == 1 && w[1].polls > 1 && m.kind == refreshUnknown && !m.knowsPeriod() && !w.firstSpanSure():
		// The first span of a run of changes on an agent that caches:
		// one span cannot show whether a refresh was seen a poll early
		// or late. The next one tells.
		return polled, false
	case m.kind != refreshTimer && !w.caching():
		return polled, true
	}
	lo, hi, timerFits := w.timerBounds(m.tLo, m.tHi)
	requestFits := !w.requestFails()
	if timerFits {
		m.tLo, m.tHi = lo, hi
	}
	switch {
	case !timerFits && requestFits:
		m.kind = refreshOnRequest
	case !timerFits:
		m.kind = refreshUnknown
	case !requestFits:
		m.kind = refreshTimer
	}
	if !timerFits {
		return polled, true
	}
	dk := time.Duration(last - base)
	slack := w[base].slack + w[last].slack + polled/agreeWithin
	allowed := polled >= dk*lo-slack && polled <= dk*hi+slack
	if (allowed && (w.regular() || m.knowsPeriod())) || m.kind == refreshOnRequest {
		return polled, true
	}
	pinned := w.pinnedPeriods(lo, hi)
	if m.kind == refreshUnknown && len(pinned) == 1 && len(w) == refreshWindow {
		// One timer on the polls fits a whole window holding a refresh
		// seen a poll early or late; a cache refreshed on request that
		// was late once would, as polls jitter, have been late again.
		m.kind = refreshTimer
	}
	switch {
	case m.kind != refreshTimer:
		return polled, false
	case len(pinned) == 1:
		return dk * pinned[0], true
	case len(pinned) == 0:
		return dk * (lo + hi) / 2, true
	}
	return polled, false
}

// knowsPeriod reports whether the timer period is known within 1%, from
// windows seen before.
func (m *refreshModel) knowsPeriod() bool {
	return m.tHi > 0 && (m.tHi-m.tLo)*100 <= m.tHi
}

// regular reports whether every change of the window took as many polls
// as the others.
func (w window) regular() bool {
	for _, o := range w[min(2, len(w)):] {
		if o.polls != w[1].polls {
			return false
		}
	}
	return true
}

// firstSpanSure reports whether the span between the window's first two
// changes is certain to be the refresh period's without a second span: the
// polls came on an exact grid of a millisecond or more with no round trip
// (a simulated clock). Only timing noise moves a poll across a refresh, so
// a refresh is then seen the same number of polls after it every time.
func (w window) firstSpanSure() bool {
	first := w[0].at
	var grid time.Duration
	for _, o := range w {
		if o.slack != 0 {
			return false
		}
		grid = gcd(gcd(grid, (o.from-first).Abs()), (o.at - first).Abs())
	}
	return grid >= time.Millisecond
}

// gcd returns the greatest common divisor of two non-negative durations.
func gcd(a, b time.Duration) time.Duration {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
