package snmp

import (
	"math"
	"time"

	"github.com/stg-project/stg/sample"
)

// moved handles a poll whose counters were compared with the baseline:
// dIn and dOut octets since it (a 32-bit counter unwound when wrapped), over
// span. prev is the answered poll before r.
//
// Counters equal to the last change's are frozen. Otherwise at least one
// counter moved, so the agent's cache (if any) refreshed: a direction that
// did not move truly carried nothing, a real zero. The rate is spread over
// the time the refresh model says the change covers (refresh.go): the
// poll-to-poll span, unless the agent is known to refresh on a timer that
// was seen a poll early or late. While the model cannot tell, the change
// waits (pending) and the next rate covers both.
func (s *RateState) moved(prev mark, r poll, span time.Duration, dIn, dOut uint64, wrapped bool) Rate {
	if r.in == s.lastIn && r.out == s.lastOut {
		return s.frozen(r, span, dIn, dOut, wrapped)
	}
	polls := 0
	if s.lastInModel && !s.timedOutSinceChange {
		polls = int(s.sinceChange) + 1
	}
	s.refresh.add(prev, r.mark, polls)
	if (s.baseIsChange || s.deferred) && !s.timedOutSinceChange {
		sinceLast := span
		if s.deferred {
			sinceLast = r.at - s.lastAt
		}
		s.recordSpan(sinceLast, int(s.sinceChange)+1)
	}

	status := sample.StatusOK
	switch {
	case wrapped:
		// A wrap is the riskier claim, so it wins over backfilled; the
		// Interval still shows the whole span the rate is spread over.
		status = sample.StatusWrap
	case s.pending > 0 || s.deferred:
		status = sample.StatusBackfilled
	}
	if s.idle && s.speedBps > 0 && float64(max(dIn, dOut))*8/span.Seconds() > float64(s.speedBps)*wrapMargin {
		// Right after idle zeros and faster than the link: the counters
		// were held back (a hung linecard, a stale cache) and caught up,
		// so the zeros were not real either. Never a spike.
		s.rebase(r, false)
		return s.result(sample.StatusGapReset)
	}
	if !s.baseIsChange && s.followSpan == 0 {
		// The baseline was read, not seen changing, and the agent is not
		// known to refresh its counters on every poll: on an agent with a
		// counter cache that reading may be up to a refresh period old,
		// so this change can hold more than the span's traffic (a 3 s
		// cache read 1 s apart makes a 4× spike). The change becomes the
		// baseline; the rates start from it.
		s.rebase(r, true)
		return s.result(sample.StatusPending)
	}
	covers, ok := s.refresh.rateSpan(s.refresh.indexOf(s.base.at), span)
	if !ok && s.canDefer(r.mark) {
		s.deferred = true
		s.pending++
		s.lastAt, s.lastIn, s.lastOut = r.at, r.in, r.out
		s.sinceChange = 0
		s.timedOutSinceChange = false
		s.lastInModel = true
		return s.result(sample.StatusPending)
	}
	s.rebase(r, true)
	secs := covers.Seconds()
	s.remember(r, dIn, dOut, secs)
	return Rate{
		Status:      status,
		InBps:       float64(dIn) * 8 / secs,
		OutBps:      float64(dOut) * 8 / secs,
		Interval:    span,
		CachePeriod: s.period,
	}
}

// canDefer reports whether a change at the poll r may still wait for the refresh
// model: the baseline's change stays in the model's window after one more
// change, and the wait has not grown past deferPolls polls (by then the
// poll-to-poll span is within 2% whatever the agent does).
func (s *RateState) canDefer(r mark) bool {
	i := s.refresh.indexOf(s.base.at)
	if i < 0 || (i == 0 && s.refresh.size() >= refreshWindow) {
		return false
	}
	poll := s.refresh.pollInterval()
	return poll > 0 && r.at-s.base.at < deferPolls*poll
}

// frozen handles a poll whose counters both equal the last change's.
//
// Frozen counters are ambiguous: the agent may not have refreshed its
// cache yet (net-snmp every ~3 s, Junos 5 s), or the interface is idle.
// The poll is `pending` (no rate, never a fake 0) until the counters have
// been frozen longer than a holdoff: twice the detected cache period, twice
// the poll spacing when the counters are known to follow every poll, or
// idleGuess when nothing is known yet. Past the holdoff the interface is
// idle: one `ok` 0 row covers the whole frozen span (or, when a change was
// still waiting for its rate, one `backfilled` row spreads it over the
// whole span since the baseline), then one `ok` 0 per poll while it stays
// frozen. Idle zeros leave a baseline that was read, not seen changing, so
// on an agent with a cache the first change after them is `pending` (or
// `gap-reset` when it is faster than the link) rather than a burst.
func (s *RateState) frozen(r poll, span time.Duration, dIn, dOut uint64, wrapped bool) Rate {
	holdoff := idleGuess
	switch {
	case s.period > 0:
		holdoff = 2 * s.period
	case s.followSpan > 0:
		holdoff = 2 * s.followSpan
	}
	s.sinceChange++
	quiet := span
	if s.deferred {
		quiet = r.at - s.lastAt
	}
	if !s.idle && quiet <= holdoff {
		s.pending++
		return s.result(sample.StatusPending)
	}
	if s.deferred {
		status := sample.StatusBackfilled
		if wrapped {
			status = sample.StatusWrap
		}
		s.rebase(r, false)
		s.idle = true
		secs := span.Seconds()
		s.remember(r, dIn, dOut, secs)
		return Rate{Status: status, InBps: float64(dIn) * 8 / secs, OutBps: float64(dOut) * 8 / secs,
			Interval: span, CachePeriod: s.period}
	}
	s.idle = true
	s.base = r.mark
	s.baseIsChange = false
	s.pending = 0
	s.timedOutSinceBase = false
	s.rebaseCache(r, false)
	return Rate{Status: sample.StatusOK, Interval: span, CachePeriod: s.period}
}

// rebaseCache is rebase's part for the cache handling: r is the last change
// (changed) or a reading that breaks the run of changes. A first reading
// whose counters moved since the one Prime was given is a change: the
// agent refreshed them between the two.
func (s *RateState) rebaseCache(r poll, changed bool) {
	s.lastAt, s.lastIn, s.lastOut = r.at, r.in, r.out
	s.sinceChange = 0
	s.timedOutSinceChange = false
	s.deferred = false
	s.lastInModel = changed
	if !changed {
		s.refresh.reset()
	}
	if s.primed != nil && !changed {
		p := pollOf(*s.primed)
		s.primed = nil
		if p.inKind == r.inKind && p.outKind == r.outKind && r.at > p.at && !restarted(p.mark, r.mark) &&
			r.in >= p.in && r.out >= p.out && (r.in != p.in || r.out != p.out) {
			s.baseIsChange = true
			s.lastInModel = true
			s.refresh.add(p.mark, r.mark, 0)
		}
	}
}

// Prime gives the state a reading taken right before its first one (the
// poller's PreRead), and is ignored once a reading was made. When the
// first reading's counters moved since, the agent refreshed them in
// between: the first reading is as fresh as a counter change, and the next
// change is rated at once. Without it, a first reading may be a cache
// period old, so the first change only becomes the rates' baseline.
func (s *RateState) Prime(r Reading) {
	if s.started || s.hasPrev || r.TimedOut || !r.InKind.IsCounter() || !r.OutKind.IsCounter() {
		return
	}
	s.primed = &r
}

// recordSpan adds a change-to-change span and re-detects the cache period.
//
// Over the recent spans: when every one took a single poll, the counters
// follow every poll (period 0). When they took 1.5 polls or more on average
// and each is within one poll of that average, they agree, and the period
// is their mean length (a 3.05 s cache polled every second gives spans of
// 3 and sometimes 2 or 4 polls). Anything else (sporadic traffic) keeps the
// previous estimate.
func (s *RateState) recordSpan(span time.Duration, polls int) {
	s.spanLens[s.nextSpan], s.spanPolls[s.nextSpan] = span, uint16(min(polls, math.MaxUint16))
	s.nextSpan = (s.nextSpan + 1) % cacheSpans
	if s.nSpans < cacheSpans {
		s.nSpans++
	}
	n := int(s.nSpans)
	if n < minCacheSpans {
		return
	}
	var total time.Duration
	all := 0
	for i := range n {
		total += s.spanLens[i]
		all += int(s.spanPolls[i])
	}
	mean := float64(all) / float64(n)
	if all == n {
		s.period = 0
		s.followSpan = total / time.Duration(n)
		return
	}
	if mean < 1.5 {
		return
	}
	for _, p := range s.spanPolls[:n] {
		if math.Abs(float64(p)-mean) > 1 {
			return
		}
	}
	s.period = total / time.Duration(n)
	s.followSpan = 0
}
