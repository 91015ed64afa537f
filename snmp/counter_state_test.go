package snmp

import (
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

func TestRateStateMissingKinds(t *testing.T) {
	for _, k := range []Kind{KindNull, KindNoSuchObject, KindNoSuchInstance, KindEndOfMibView,
		KindGauge32, KindInteger, KindOctetString, KindTimeTicks, KindOther} {
		for _, dir := range []string{"in", "out"} {
			t.Run(k.String()+"/"+dir, func(t *testing.T) {
				s := NewRateState(0)
				rsCheck(t, 0, s.Update(Reading(rsPoll(0, 10, 10))), rsWant(rsPoll(0, 10, 10), sample.StatusFirst))
				r := rsPoll(oneSec, 20, 20)
				if dir == "in" {
					r = r.inKind(k)
				} else {
					r = r.outKind(k)
				}
				rsCheck(t, 1, s.Update(Reading(r)), rsWant(r, sample.StatusGapDiscontinuity))
			})
		}
	}
}

func TestRateStateCachePeriod(t *testing.T) {
	tests := []struct {
		name  string
		every int // seconds between agent refreshes, polled every second
	}{
		{name: "net-snmp 3 s cache", every: 3},
		{name: "Junos 5 s cache", every: 5},
		{name: "2 s cache", every: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewRateState(0)
			const perRefresh = 3000
			period := time.Duration(tt.every) * oneSec
			// The baseline-to-first-change span is partial and not evidence;
			// minCacheSpans full spans after it are.
			detectedAt := (1 + minCacheSpans) * tt.every
			run := rsCacheRun(0, 12*tt.every, tt.every, perRefresh)
			for i, r := range run {
				got := s.Update(Reading(r))
				switch {
				case i == 0:
					rsCheck(t, i, got, rsWant(r, sample.StatusFirst))
				case i%tt.every != 0:
					rsCheck(t, i, got, rsWant(r, sample.StatusPending))
				case i == tt.every:
					// The first change after the cold baseline is the
					// baseline: the first reading may have been stale.
					rsCheck(t, i, got, rsWant(r, sample.StatusPending))
				default:
					wantPeriod := period
					if i < detectedAt {
						wantPeriod = 0
					}
					rsCheck(t, i, got, rsRate(r, sample.StatusBackfilled, perRefresh, perRefresh/2, period).withPeriod(wantPeriod))
				}
			}
			// The agent stops caching: the counters follow every poll again.
			last := run[len(run)-1]
			var got Rate
			for i := 1; i <= cacheSpans; i++ {
				at := last.Time.Sub(rsT0) + time.Duration(i)*oneSec
				got = s.Update(Reading(rsPoll(at, last.InOctets+uint64(i), last.OutOctets)))
			}
			if got.Status != sample.StatusOK || got.CachePeriod != 0 {
				t.Errorf("after caching stopped: %+v, want ok with period 0", got)
			}
		})
	}
}

func TestRateStateCachePeriodTolerance(t *testing.T) {
	// Spans of 3, 2, 4, 3 polls (a 3.05 s cache near a poll boundary) still
	// agree; sporadic traffic (spans 2, 9, 3) does not set a period.
	tests := []struct {
		name    string
		changes []int // seconds of the polls at which counters change
		want    time.Duration
	}{
		{name: "jittered 3 s cache", changes: []int{3, 6, 8, 12, 15}, want: 3 * oneSec},
		{name: "sporadic traffic", changes: []int{3, 5, 14, 17}, want: 0},
		{name: "1.5 s cache", changes: []int{2, 3, 5, 6, 8}, want: 1500 * time.Millisecond},
		{name: "an occasional frozen poll is no cache", changes: []int{1, 2, 3, 5, 6}, want: 0},
		{name: "spans more than a poll apart do not agree", changes: []int{2, 4, 8, 10}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewRateState(0)
			var v uint64
			last := tt.changes[len(tt.changes)-1]
			var got Rate
			for i, c := 0, 0; i <= last; i++ {
				if c < len(tt.changes) && tt.changes[c] == i {
					v += 1000
					c++
				}
				got = s.Update(Reading(rsPoll(time.Duration(i)*oneSec, v, v)))
			}
			if !got.Status.HasRate() || got.CachePeriod != tt.want {
				t.Errorf("last poll: %+v, want a rate with cache period %v", got, tt.want)
			}
		})
	}
}

func TestRateStateIdleHoldoffFollowsPeriod(t *testing.T) {
	s := NewRateState(0)
	const every = 3
	rs := rsCacheRun(0, 4*every, every, 3000)
	for _, r := range rs {
		s.Update(Reading(r))
	}
	if s.CachePeriod() != every*oneSec {
		t.Fatalf("cache period %v after %d refreshes, want %v", s.CachePeriod(), 4, every*oneSec)
	}
	last := rs[len(rs)-1]
	holdoff := 2 * s.CachePeriod()
	for at := oneSec; at <= holdoff; at += oneSec {
		r := last
		r.Time = last.Time.Add(at)
		if got := s.Update(Reading(r)); got.Status != sample.StatusPending {
			t.Fatalf("frozen for %v (holdoff %v): %+v, want pending", at, holdoff, got)
		}
	}
	r := last
	r.Time = last.Time.Add(holdoff + oneSec)
	rsCheck(t, 0, s.Update(Reading(r)), rsRate(r, sample.StatusOK, 0, 0, holdoff+oneSec))
}

// TestRateStateInvariants feeds random sequences (restarts, wraps, timeouts,
// missing values, frozen counters) and checks what must always hold.
func TestRateStateInvariants(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	kinds := []Kind{KindCounter64, KindCounter32, KindNoSuchInstance}
	for seq := 0; seq < 200; seq++ {
		s := NewRateState(uint64(rng.Intn(3)) * 1_000_000)
		at := time.Duration(0)
		var in, out, up uint64
		for i := 0; i < 100; i++ {
			at += time.Duration(rng.Intn(2000)) * time.Millisecond
			r := Reading{Time: rsT0.Add(at), TimedOut: rng.Intn(10) == 0, HasUpTime: rng.Intn(10) != 0}
			switch rng.Intn(6) {
			case 0: // frozen
			case 1:
				in, out = rng.Uint64(), rng.Uint64()
			default:
				in += uint64(rng.Intn(1_000_000))
				out += uint64(rng.Intn(1_000_000))
			}
			up += uint64(rng.Intn(300))
			if rng.Intn(20) == 0 {
				up = uint64(rng.Intn(100))
			}
			r.InOctets, r.OutOctets, r.UpTimeTicks = in, out, up
			r.InKind = kinds[rng.Intn(len(kinds))*rng.Intn(2)]
			r.OutKind = r.InKind
			got := s.Update(r)
			if got.Status.HasRate() {
				for _, v := range []float64{got.InBps, got.OutBps} {
					if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("seq %d poll %d: rate %v from %+v", seq, i, v, r)
					}
				}
				if got.Interval <= 0 {
					t.Fatalf("seq %d poll %d: rate over interval %v", seq, i, got.Interval)
				}
			} else if got.InBps != 0 || got.OutBps != 0 || got.Interval != 0 {
				t.Fatalf("seq %d poll %d: %q row carries a rate: %+v", seq, i, got.Status, got)
			}
			if r.TimedOut && got.Status != sample.StatusGapTimeout {
				t.Fatalf("seq %d poll %d: timeout gave %q", seq, i, got.Status)
			}
			if !r.TimedOut && !r.InKind.IsCounter() && got.Status.HasRate() {
				t.Fatalf("seq %d poll %d: missing counter gave a rate", seq, i)
			}
		}
	}
}

// TestRateStateColdBaseline: a baseline that was read rather than seen
// changing may be up to a cache period old, so the first change after it
// carries no rate unless the agent is known to refresh on every poll.
func TestRateStateColdBaseline(t *testing.T) {
	t.Run("stale first reading of a 3 s cache is no 3x spike", func(t *testing.T) {
		s := NewRateState(0)
		// The agent refreshed 2 s before the first poll and refreshes
		// every 3 s, at 1, 4, 7 s; 1000 octets/s of true traffic.
		steps := []rsStep{
			rsWant(rsPoll(0, 10_000, 0), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 13_000, 0), sample.StatusPending), // holds 3 s of traffic
			rsWant(rsPoll(2*oneSec, 13_000, 0), sample.StatusPending),
			rsWant(rsPoll(3*oneSec, 13_000, 0), sample.StatusPending),
			rsRate(rsPoll(4*oneSec, 16_000, 0), sample.StatusBackfilled, 3000, 0, 3*oneSec),
		}
		for i, st := range steps {
			rsCheck(t, i, s.Update(Reading(st.r)), st)
		}
	})
	t.Run("counters known to follow every poll are rated at once after a reset", func(t *testing.T) {
		s := NewRateState(0)
		steps := []rsStep{
			rsWant(rsPoll(0, 0, 0), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 100, 100), sample.StatusPending),
			rsRate(rsPoll(2*oneSec, 200, 200), sample.StatusOK, 100, 100, oneSec),
			rsRate(rsPoll(3*oneSec, 300, 300), sample.StatusOK, 100, 100, oneSec),
			rsRate(rsPoll(4*oneSec, 400, 400), sample.StatusOK, 100, 100, oneSec),
			rsRate(rsPoll(5*oneSec, 500, 500), sample.StatusOK, 100, 100, oneSec).withPeriod(0),
			rsWant(rsPoll(6*oneSec, 5, 5), sample.StatusGapReset),
			rsRate(rsPoll(7*oneSec, 105, 105), sample.StatusOK, 100, 100, oneSec),
		}
		for i, st := range steps {
			rsCheck(t, i, s.Update(Reading(st.r)), st)
		}
	})
}

// TestRateStateForInterface: a new interface of the same agent starts without
// a baseline but keeps what was learnt about the agent's counter refresh, so
// a subscriber's new session is rated from its first change when the agent
// is known to refresh on every poll.
func TestRateStateForInterface(t *testing.T) {
	s := NewRateState(0)
	for i := 0; i <= 5; i++ {
		s.Update(Reading(rsPoll(time.Duration(i)*oneSec, uint64(100*i), uint64(100*i))))
	}
	n := s.ForInterface(0)
	steps := []rsStep{
		rsWant(rsPoll(6*oneSec, 7, 7), sample.StatusFirst),
		rsRate(rsPoll(7*oneSec, 107, 57), sample.StatusOK, 100, 50, oneSec),
	}
	for i, st := range steps {
		rsCheck(t, i, n.Update(Reading(st.r)), st)
	}

	cached := NewRateState(0)
	for i, r := range rsCacheRun(0, 30, 3, 3000) {
		if got := cached.Update(Reading(r)); i == 30 && got.CachePeriod != 3*oneSec {
			t.Fatalf("cache period %v after 30 polls, want 3s", got.CachePeriod)
		}
	}
	if got := cached.ForInterface(0).Update(Reading(rsPoll(31*oneSec, 1, 1))); got.Status != sample.StatusFirst || got.CachePeriod != 3*oneSec {
		t.Errorf("new interface of a caching agent: %q with period %v, want first with 3s", got.Status, got.CachePeriod)
	}
}
