package snmp_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// TestFaultFrozenCachedCounters polls every 200 ms a hostile agent that
// refreshes its counters every 600 ms (as net-snmp does every ~3 s), whose
// counters then stay frozen for 6 s (an idle interface), then move again.
// The documented rules: the first reading may be up to a period stale, so
// the first change after it is pending (the rates' baseline) and the first
// rate is the truth, not a burst of the stale span's traffic; the cache
// period is detected and the rates are spread over it (backfilled, the
// truth); once frozen, polls are pending for at most the hold-off of twice
// the period, then one ok 0 row covers the frozen span and ok 0 rows follow;
// when traffic resumes (right after the last frozen poll), the first change
// after the zeros is pending again (the cache read before it may be stale)
// and every rate after it is the truth.
//
// The cache refreshes half-way between two polls, so that scheduling noise
// cannot move a refresh from one side of a poll to the other: that would
// make the change-to-change spans 2 and 4 polls instead of 3.
func TestFaultFrozenCachedCounters(t *testing.T) {
	t.Parallel()
	const (
		interval   = 200 * time.Millisecond
		period     = 600 * time.Millisecond
		polls      = 70
		freezeFrom = 25 // polls, 1-based
		freezeTo   = 54
	)
	a := ftNewAgent()
	// The cache refreshes at origin + k×period: half-way between polls
	// 3k+1 and 3k+2. The first request sets origin (a period before the
	// first refresh, so that every request comes after it).
	var origin, frozeAt, resumedAt time.Time
	cached := func(at time.Time) time.Time {
		return origin.Add(at.Sub(origin).Truncate(period))
	}
	change := func(req agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
		switch {
		case req.N == 1 && origin.IsZero():
			origin = req.Time.Add(interval/2 - period)
		case req.N == freezeFrom-1:
			frozeAt = req.Time
		case req.N == freezeTo+1 && resumedAt.IsZero():
			resumedAt = req.Time
		}
		switch {
		case !ftIsCounter(oid):
			return v
		case req.N < freezeFrom:
			return a.value(oid, cached(req.Time))
		case req.N <= freezeTo:
			return a.value(oid, cached(frozeAt))
		default:
			// Traffic resumes at the first poll after the freeze: the
			// counters grow from their frozen value by what came since,
			// as of the last refresh.
			stopped := cached(frozeAt)
			return a.value(oid, maxTime(stopped, stopped.Add(cached(req.Time).Sub(resumedAt))))
		}
	}
	h := agenttest.StartHostile(t, ftAnswer(a, change))
	rows, _ := ftPoll(t, ftDial(t, h), interval, polls, ftTarget(false))
	t.Logf("%s", itStatuses(rows))

	truth := float64(ftInRate * 8)
	lastChange, zeros, lastZero := -1, 0, -1
	for i, s := range rows {
		frozen := i >= freezeFrom-1 && i <= freezeTo
		switch {
		case i == 0:
			ftWant(t, rows, 0, sample.StatusFirst)
		case s.Status == sample.StatusPending:
			if frozen && lastChange >= 0 && time.Duration(i-lastChange)*interval > 2*period+2*interval {
				t.Errorf("row %d pending %v after the last change, past the hold-off of %v", i, time.Duration(i-lastChange)*interval, 2*period)
			}
		case s.Status.HasRate() && s.InBps == 0 && s.OutBps == 0:
			zeros++
			lastZero = i
			if !frozen {
				t.Errorf("row %d (%s): a zero while the counters moved", i, s.Status)
			}
			// The hold-off is twice the detected period, give or take jitter.
			if zeros == 1 && s.Interval < 2*period-interval/2 {
				t.Errorf("row %d: the first idle zero covers %v, want the frozen span", i, s.Interval)
			}
		case s.Status.HasRate():
			lastChange = i
			if e := math.Abs(s.InBps-truth) / truth; e > ftTruth.tol {
				t.Errorf("row %d (%s, %v): in %.0f b/s, truth %.0f", i, s.Status, s.Interval, s.InBps, truth)
			}
		default:
			t.Errorf("row %d: %s (%s)", i, s.Status, s.Err)
		}
	}

	// The first change after the first reading and the first after the
	// zeros are pending; the first rate is the truth.
	firstChange := slices.IndexFunc(rows, func(s sample.Sample) bool { return s.HasOctets && s.InOctets != rows[0].InOctets })
	firstRate := slices.IndexFunc(rows, func(s sample.Sample) bool { return s.Status.HasRate() })
	switch {
	case firstChange < 0 || firstRate < 0 || firstRate >= freezeFrom-1:
		t.Errorf("no counter change (row %d) or no rate (row %d) before the freeze", firstChange, firstRate)
	default:
		ftWant(t, rows, firstChange, sample.StatusPending)
		s := rows[firstRate]
		if e := math.Abs(s.InBps-truth) / truth; e > ftTruth.tol || firstRate <= firstChange {
			t.Errorf("first rate: row %d (%s, %v, after the first change at row %d): in %.0f b/s, truth %.0f (error %.1f%%)",
				firstRate, s.Status, s.Interval, firstChange, s.InBps, truth, 100*e)
		}
	}
	if lastZero < 0 || lastZero+1 >= len(rows) {
		t.Errorf("no idle zero, or no row after the last one at row %d", lastZero)
	} else {
		ftWant(t, rows, lastZero+1, sample.StatusPending)
	}

	if got := rows[freezeFrom-2].CachePeriod; got < period-interval/2 || got > period+interval/2 {
		t.Errorf("cache period before the freeze %v, want about %v", got, period)
	}
	if n := itCount(rows[:freezeFrom-1], sample.StatusBackfilled); n < 4 {
		t.Errorf("%d backfilled rows before the freeze, want the cache's rates spread", n)
	}
	if zeros < freezeTo-freezeFrom-8 {
		t.Errorf("%d idle zero rows over a %d-poll freeze", zeros, freezeTo-freezeFrom+1)
	}
}

// maxTime returns the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
