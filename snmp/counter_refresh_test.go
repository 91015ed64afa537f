package snmp

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// crRate is the steady traffic of the simulated agents below, in octets
// per second in (out is half of it).
const crRate = 1_250_000

// crPoll is the poll interval of the simulated runs.
const crPoll = time.Second

// crAgent is an agent whose interface counters sit behind a cache, polled
// on a fixed grid whose polls land a little late, as the poller's do.
type crAgent struct {
	period time.Duration // refresh period
	timer  bool          // refreshes at phase + k×period; else on a request period after the last
	phase  time.Duration // a timer's refresh offset from the polls' grid
	jitter time.Duration // each poll's midpoint lands up to this much after its slot
	rtt    time.Duration // the polls' round trip
	polls  int
	seed   int64
}

func (a crAgent) String() string {
	mode := "request"
	if a.timer {
		mode = fmt.Sprintf("timer phase %v", a.phase)
	}
	return fmt.Sprintf("%v %s jitter %v seed %d", a.period, mode, a.jitter, a.seed)
}

// crRow is one poll of a crAgent run and what RateState made of it.
type crRow struct {
	r    Reading
	rate Rate
}

// run polls the agent and feeds the readings to a fresh RateState.
func (a crAgent) run() []crRow {
	rng := rand.New(rand.NewSource(a.seed))
	s := NewRateState(0)
	// A request cache was last refreshed, by someone else, up to a period
	// before the first poll.
	lastRefresh := -time.Duration(rng.Int63n(int64(a.period)))
	var rows []crRow
	for i := 0; i < a.polls; i++ {
		at := time.Duration(i)*crPoll + time.Duration(rng.Int63n(int64(a.jitter)+1))
		var served time.Duration
		if a.timer {
			n := (at - a.phase) / a.period
			if at < a.phase && (at-a.phase)%a.period != 0 {
				n--
			}
			served = a.phase + n*a.period
		} else {
			if at-lastRefresh >= a.period {
				lastRefresh = at
			}
			served = lastRefresh
		}
		octets := uint64(10_000_000_000 + crRate*served.Seconds())
		r := Reading{
			Time: rsT0.Add(at), RTT: a.rtt,
			UpTimeTicks: uint64(at / (10 * time.Millisecond)), HasUpTime: true,
			InOctets: octets, OutOctets: octets / 2, InKind: KindCounter64, OutKind: KindCounter64,
		}
		rows = append(rows, crRow{r: r, rate: s.Update(r)})
	}
	return rows
}

// crCheck checks a run: every rate is within tol of the truth, and the
// rates cover at least minCover of the time from the first rate on.
//
// One case is let through, and only it: on a cache of two polls, the first
// rate of the run when it covers a single poll. The first change after the
// first reading only sets the baseline; the next change, one poll later,
// is what an agent without a cache shows at every poll, and stg rates it at
// once. When the agent refreshes every two polls and its refreshes land
// within the polls' jitter, that change may hold two polls of traffic.
// Nothing seen by then tells the two apart (the README's rate section says
// so).
func crCheck(t *testing.T, a crAgent, rows []crRow, tol, minCover float64) {
	t.Helper()
	truth := float64(crRate * 8)
	var covered time.Duration
	first, bad := -1, 0
	for i, row := range rows {
		g := row.rate
		if !g.Status.HasRate() {
			continue
		}
		if first < 0 {
			first = i
			if a.period == 2*crPoll && g.Interval < crPoll*3/2 {
				continue
			}
		}
		covered += g.Interval
		if e := math.Abs(g.InBps-truth) / truth; e > tol || math.Abs(g.OutBps*2-truth)/truth > tol {
			bad++
			if bad <= 5 {
				t.Errorf("%v: poll %d (%s over %v, cache period %v): %.0f b/s, truth %.0f (%+.1f%%)",
					a, i, g.Status, g.Interval, g.CachePeriod, g.InBps, truth, 100*(g.InBps/truth-1))
			}
		}
	}
	if first < 0 {
		t.Fatalf("%v: no rate in %d polls", a, len(rows))
	}
	span := rows[len(rows)-1].r.Time.Sub(rows[first].r.Time)
	if c := float64(covered) / float64(span); c < minCover {
		t.Errorf("%v: rates cover %.0f%% of the %v from the first rate, want at least %.0f%%", a, 100*c, span, 100*minCover)
	}
	if bad > 5 {
		t.Errorf("%v: %d rates off by more than %.0f%% in all", a, bad, 100*tol)
	}
}

// crPhases are refresh offsets from the poll grid: within a millisecond
// either side of the polls (where the polls' jitter puts a refresh on
// either side of a poll), and all around the interval.
var crPhases = []time.Duration{
	-time.Millisecond, -300 * time.Microsecond, 0, 300 * time.Microsecond, 700 * time.Microsecond,
	time.Millisecond, 1800 * time.Microsecond, 5 * time.Millisecond,
	100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond, 750 * time.Millisecond, 999 * time.Millisecond,
}

// TestRateStateTimerCachePhases polls timer caches of 2, 5 and 10 s at
// phases all around the poll grid, including refreshes within a
// millisecond of the polls, with the polls jittering by up to 2 ms (a
// refresh then lands on either side of a poll from one period to the next)
// and by up to 15 ms: every rate is within 2% of the truth. On main, polls
// whose refresh was seen a poll early or late made rows of 1.5× and 0.75×
// (and 2× and 0.67× for 2 s).
func TestRateStateTimerCachePhases(t *testing.T) {
	for _, period := range []time.Duration{2 * time.Second, 5 * time.Second, 10 * time.Second} {
		for _, jitter := range []time.Duration{2 * time.Millisecond, 15 * time.Millisecond} {
			for _, phase := range crPhases {
				for seed := int64(1); seed <= 6; seed++ {
					a := crAgent{period: period, timer: true, phase: phase, jitter: jitter, rtt: 200 * time.Microsecond,
						polls: int(30 * period / crPoll), seed: seed}
					t.Run(a.String(), func(t *testing.T) { crCheck(t, a, a.run(), 0.02, 0.9) })
				}
			}
		}
	}
}

// TestRateStateRequestCache polls caches refreshed on request, whose period
// is a multiple of the poll interval: as polls jitter, a poll comes just
// before the period is up and the refresh waits for the next one, so spans
// take one poll more now and then. Every rate is the poll-to-poll truth.
func TestRateStateRequestCache(t *testing.T) {
	for _, period := range []time.Duration{2 * time.Second, 3 * time.Second, 2500 * time.Millisecond, 5 * time.Second} {
		for _, jitter := range []time.Duration{0, 2 * time.Millisecond} {
			for seed := int64(1); seed <= 6; seed++ {
				a := crAgent{period: period, jitter: jitter, rtt: 200 * time.Microsecond, polls: int(30 * period / crPoll), seed: seed}
				t.Run(a.String(), func(t *testing.T) { crCheck(t, a, a.run(), 0.001, 0.7) })
			}
		}
	}
}

// TestRateStateTimerCacheExactClock: on a clock without jitter a refresh
// is seen the same number of polls after it every time, whatever the
// phase, and the rates are exact from the first.
func TestRateStateTimerCacheExactClock(t *testing.T) {
	for _, period := range []time.Duration{2 * time.Second, 3 * time.Second, 5 * time.Second, 10 * time.Second} {
		for _, phase := range crPhases {
			a := crAgent{period: period, timer: true, phase: phase, polls: int(20 * period / crPoll), seed: 1}
			rows := a.run()
			crCheck(t, a, rows, 1e-6, 0.95)
			first := 0
			for first < len(rows) && !rows[first].rate.Status.HasRate() {
				first++
			}
			if limit := 2*int(period/crPoll) + 1; first > limit {
				t.Errorf("%v: the first rate at poll %d, want it by poll %d (the second change)", a, first, limit)
			}
		}
	}
}

// TestRateStateRefreshSeenLate walks through the case behind the timer
// rates: a 3 s timer refreshing 0.2 ms before every third poll, polled
// every second 0.3 ms late, except that the polls at 12 and 18 s run
// 0.3 ms early and miss the refresh that comes right after them. The
// changes are seen at 3, 6, 9, 13, 15, 19, 21, 24... s: spans of 4 and 2
// polls, each change 3 s of traffic (main drew 0.75× and 1.5×). The first
// span waits for the second (9 s covers 3..9 s); the first late refresh
// cannot be told from a cache refreshed on request yet, so 13 s waits and
// 15 s covers both; a refresh seen early after one seen late is no
// request cache, so from then on every change is rated at once over its
// own polls (4 s at 19 s, 2 s at 21 s), at the truth.
func TestRateStateRefreshSeenLate(t *testing.T) {
	const perRefresh = 3000
	const refreshLead = 200 * time.Microsecond
	s := NewRateState(0)
	var got []Rate
	for sec := 0; sec <= 30; sec++ {
		at := time.Duration(sec)*oneSec + 300*time.Microsecond
		if sec == 12 || sec == 18 {
			at = time.Duration(sec)*oneSec - 300*time.Microsecond
		}
		refreshes := (at + refreshLead) / (3 * oneSec) // refreshes at 3k s − 0.2 ms, k ≥ 0
		v := uint64(refreshes) * perRefresh
		got = append(got, s.Update(Reading(rsPoll(at, v, v).rtt(100*time.Microsecond))))
	}
	want := float64(perRefresh) * 8 / 3
	for sec, g := range got {
		if g.Status.HasRate() && math.Abs(g.InBps-want)/want > 0.02 {
			t.Errorf("poll %d s: %s %.0f b/s over %v, want %.0f b/s (3 s of traffic in every change)", sec, g.Status, g.InBps, g.Interval, want)
		}
	}
	for sec, span := range map[int]time.Duration{9: 6 * oneSec, 13: 0, 15: 6 * oneSec, 19: 4 * oneSec, 21: 2 * oneSec, 24: 3 * oneSec} {
		g := got[sec]
		switch {
		case span == 0 && g.Status != sample.StatusPending:
			t.Errorf("poll %d s: %+v, want pending", sec, g)
		case span > 0 && (g.Status != sample.StatusBackfilled || g.Interval.Round(oneSec) != span):
			t.Errorf("poll %d s: %+v, want backfilled over %v", sec, g, span)
		}
	}
}

// TestRateStatePrime: a reading given to Prime right before the first one
// tells whether the first reading is fresh.
func TestRateStatePrime(t *testing.T) {
	tests := []struct {
		name   string
		primed rsReading
		steps  []rsStep
	}{
		{name: "counters moved in between: the second poll has a rate",
			primed: rsPoll(-time.Millisecond, 900, 450),
			steps: []rsStep{
				rsWant(rsPoll(0, 1000, 500), sample.StatusFirst),
				rsRate(rsPoll(oneSec, 101_000, 50_500), sample.StatusOK, 100_000, 50_000, oneSec),
			}},
		{name: "counters frozen in between: the first change is the baseline",
			primed: rsPoll(-time.Millisecond, 1000, 500),
			steps: []rsStep{
				rsWant(rsPoll(0, 1000, 500), sample.StatusFirst),
				rsWant(rsPoll(oneSec, 101_000, 50_500), sample.StatusPending),
				rsRate(rsPoll(2*oneSec, 201_000, 100_500), sample.StatusOK, 100_000, 50_000, oneSec),
			}},
		{name: "counters went down in between: no change",
			primed: rsPoll(-time.Millisecond, 5000, 500),
			steps: []rsStep{
				rsWant(rsPoll(0, 1000, 500), sample.StatusFirst),
				rsWant(rsPoll(oneSec, 101_000, 50_500), sample.StatusPending),
			}},
		{name: "agent restarted in between: no change",
			primed: rsPoll(-time.Millisecond, 900, 450).up(9_000_000),
			steps: []rsStep{
				rsWant(rsPoll(0, 1000, 500), sample.StatusFirst),
				rsWant(rsPoll(oneSec, 101_000, 50_500), sample.StatusPending),
			}},
		{name: "counters of another type in between: no change",
			primed: rsPoll(-time.Millisecond, 900, 450).c32(),
			steps: []rsStep{
				rsWant(rsPoll(0, 1000, 500), sample.StatusFirst),
				rsWant(rsPoll(oneSec, 101_000, 50_500), sample.StatusPending),
			}},
		{name: "a cache that refreshed in between: the next change waits for the one after",
			primed: rsPoll(-time.Millisecond, 900, 450).rtt(time.Millisecond),
			steps: []rsStep{
				rsWant(rsPoll(0, 3900, 1950).rtt(time.Millisecond), sample.StatusFirst),
				rsWant(rsPoll(oneSec, 3900, 1950).rtt(time.Millisecond), sample.StatusPending),
				rsWant(rsPoll(2*oneSec, 3900, 1950).rtt(time.Millisecond), sample.StatusPending),
				rsWant(rsPoll(3*oneSec, 6900, 3450).rtt(time.Millisecond), sample.StatusPending),
				rsWant(rsPoll(4*oneSec, 6900, 3450).rtt(time.Millisecond), sample.StatusPending),
				rsWant(rsPoll(5*oneSec, 6900, 3450).rtt(time.Millisecond), sample.StatusPending),
				rsRate(rsPoll(6*oneSec, 9900, 4950).rtt(time.Millisecond), sample.StatusBackfilled, 6000, 3000, 6*oneSec),
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewRateState(0)
			s.Prime(Reading(tt.primed))
			for i, st := range tt.steps {
				rsCheck(t, i, s.Update(Reading(st.r)), st)
			}
		})
	}
	t.Run("after the first reading Prime is ignored", func(t *testing.T) {
		s := NewRateState(0)
		rsCheck(t, 0, s.Update(Reading(rsPoll(0, 1000, 500))), rsWant(rsPoll(0, 1000, 500), sample.StatusFirst))
		s.Prime(Reading(rsPoll(oneSec, 10, 10)))
		rsCheck(t, 1, s.Update(Reading(rsPoll(2*oneSec, 2000, 1000))), rsWant(rsPoll(2*oneSec, 2000, 1000), sample.StatusPending))
	})
}

// TestRateStateDeferredThenIdle: a change that waits for its rate when the
// counters then stop: once they have been frozen past the hold-off, one
// row spreads the change over the whole span since the baseline (the
// truth over that span), then idle zeros follow.
func TestRateStateDeferredThenIdle(t *testing.T) {
	s := NewRateState(0)
	r := func(sec int, v uint64) rsReading {
		return rsPoll(time.Duration(sec)*oneSec, v, v).rtt(time.Millisecond)
	}
	steps := []rsStep{
		rsWant(r(0, 0), sample.StatusFirst),
		rsWant(r(1, 3000), sample.StatusPending), // the first change: the baseline
		rsWant(r(2, 3000), sample.StatusPending),
		rsWant(r(3, 3000), sample.StatusPending),
		rsWant(r(4, 6000), sample.StatusPending), // the first span of a cache waits for the next
	}
	for at := 5; at <= 4+int(idleGuess/oneSec); at++ {
		steps = append(steps, rsWant(r(at, 6000), sample.StatusPending))
	}
	settle := 5 + int(idleGuess/oneSec)
	steps = append(steps,
		rsRate(r(settle, 6000), sample.StatusBackfilled, 3000, 3000, time.Duration(settle-1)*oneSec),
		rsRate(r(settle+1, 6000), sample.StatusOK, 0, 0, oneSec),
	)
	for i, st := range steps {
		rsCheck(t, i, s.Update(Reading(st.r)), st)
	}
}

// TestRateStateSlowCacheNoFakeZero: a switch that copies its hardware
// counters every 30 s leaves them frozen for up to 30 s before the first
// refresh. Nothing is known about the agent yet, so those polls are
// pending, not idle zeros (on main the guess ran out after 10 s and the
// interface showed 0 b/s for 20 s of traffic); the rates that follow are
// the truth.
func TestRateStateSlowCacheNoFakeZero(t *testing.T) {
	a := crAgent{period: 30 * time.Second, timer: true, phase: 29500 * time.Millisecond, jitter: time.Millisecond,
		rtt: 200 * time.Microsecond, polls: 160, seed: 1}
	rows := a.run()
	for i, row := range rows[:30] {
		if want := map[bool]sample.Status{true: sample.StatusFirst, false: sample.StatusPending}[i == 0]; row.rate.Status != want {
			t.Fatalf("poll %d before the first refresh: %+v, want %s", i, row.rate, want)
		}
	}
	crCheck(t, a, rows, 0.02, 0.9)
}
