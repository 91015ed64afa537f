package snmp_test

import (
	"math"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/snmp"
)

// TestFaultFrozenCachedCounters polls every 200 ms a hostile agent that
// refreshes its counters every 600 ms (as net-snmp does every ~3 s), whose
// counters then stay frozen for 6 s (an idle interface), then move again.
// The documented rules: the cache period is detected and the rates are
// spread over it (backfilled, the truth); once frozen, polls are pending for
// at most the hold-off of twice the period, then one ok 0 row covers the
// frozen span and ok 0 rows follow; when traffic resumes, the one row the
// cache catches right after a zero may be a burst of at most one period's
// traffic (the documented cost), and every rate after it is the truth.
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
	cached := func(at time.Time) time.Time {
		return a.boot.Add(at.Sub(a.boot).Truncate(period))
	}
	var frozeAt, resumedAt time.Time
	change := func(req agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
		switch {
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
			return a.value(oid, cached(req.Time.Add(-resumedAt.Sub(frozeAt))))
		}
	}
	h := agenttest.StartHostile(t, ftAnswer(a, change))
	rows, _ := ftPoll(t, ftDial(t, h), interval, polls, ftTarget(false))
	t.Logf("%s", itStatuses(rows))

	truth := float64(ftInRate * 8)
	lastChange, zeros, bursts := -1, 0, 0
	for i, s := range rows {
		frozen := i >= freezeFrom-1 && i <= freezeTo
		switch {
		case i == 0:
			ftWant(t, rows, 0, snmp.StatusFirst)
		case s.Status == snmp.StatusPending:
			if frozen && lastChange >= 0 && time.Duration(i-lastChange)*interval > 2*period+2*interval {
				t.Errorf("row %d pending %v after the last change, past the hold-off of %v", i, time.Duration(i-lastChange)*interval, 2*period)
			}
		case s.Status.HasRate() && s.InBps == 0 && s.OutBps == 0:
			zeros++
			if !frozen {
				t.Errorf("row %d (%s): a zero while the counters moved", i, s.Status)
			}
			// The hold-off is twice the detected period, give or take jitter.
			if zeros == 1 && s.Interval < 2*period-interval/2 {
				t.Errorf("row %d: the first idle zero covers %v, want the frozen span", i, s.Interval)
			}
		case s.Status.HasRate():
			lastChange = i
			e := math.Abs(s.InBps-truth) / truth
			switch {
			case e <= ftTruth.tol:
			case zeros > 0 && bursts == 0 && i > freezeTo && s.InBps <= truth*float64(period/interval)*(1+ftTruth.tol):
				bursts++ // the documented cost right after the idle zeros
			default:
				t.Errorf("row %d (%s, %v): in %.0f b/s, truth %.0f", i, s.Status, s.Interval, s.InBps, truth)
			}
		default:
			t.Errorf("row %d: %s (%s)", i, s.Status, s.Err)
		}
	}
	if got := rows[freezeFrom-2].CachePeriod; got < period-interval/2 || got > period+interval/2 {
		t.Errorf("cache period before the freeze %v, want about %v", got, period)
	}
	if n := itCount(rows[:freezeFrom-1], snmp.StatusBackfilled); n < 4 {
		t.Errorf("%d backfilled rows before the freeze, want the cache's rates spread", n)
	}
	if zeros < freezeTo-freezeFrom-8 {
		t.Errorf("%d idle zero rows over a %d-poll freeze", zeros, freezeTo-freezeFrom+1)
	}
}
