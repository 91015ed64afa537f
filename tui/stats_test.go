package tui

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

func TestStats(t *testing.T) {
	type in struct{ v, secs float64 }
	tests := []struct {
		name                string
		add                 []in
		mean, min, max, tot float64
		p95                 float64
	}{
		{name: "empty"},
		{name: "one", add: []in{{8e6, 1}}, mean: 8e6, min: 8e6, max: 8e6, tot: 8e6, p95: 8e6},
		{name: "time weighted", add: []in{{10e6, 1}, {40e6, 3}}, mean: 32.5e6, min: 10e6, max: 40e6, tot: 130e6, p95: 40e6},
		{name: "zeros count", add: []in{{0, 1}, {0, 1}, {100, 2}}, mean: 50, min: 0, max: 100, tot: 200, p95: 100},
		{name: "mostly idle", add: []in{{0, 19}, {1e9, 1}}, mean: 50e6, min: 0, max: 1e9, tot: 1e9, p95: 0},
		{name: "NaN, Inf, negative and zero time ignored", add: []in{{math.NaN(), 1}, {math.Inf(1), 1}, {-5, 1}, {7, 0}, {5, 1}},
			mean: 5, min: 5, max: 5, tot: 5, p95: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s stats
			for _, a := range tt.add {
				s.add(a.v, a.secs)
			}
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"mean", s.mean(), tt.mean}, {"total", s.total(), tt.tot}, {"p95", s.p95(), tt.p95}} {
				if !near(c.got, c.want, 0.005) {
					t.Errorf("%s = %g, want %g", c.what, c.got, c.want)
				}
			}
			if s.n > 0 && (s.min != tt.min || s.max != tt.max) {
				t.Errorf("min/max = %g/%g, want %g/%g", s.min, s.max, tt.min, tt.max)
			}
		})
	}
}

// near reports whether got is within rel (relative) of want.
func near(got, want, rel float64) bool {
	if want == 0 {
		return math.Abs(got) < 1e-9
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func TestStatsP95MatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{20, 1000, 50000} {
		var s stats
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = math.Exp(rng.Float64()*20) * 10 // 10 b/s .. 5 Gb/s, log-spread
			s.add(vals[i], 1)
		}
		sort.Float64s(vals)
		want := vals[int(math.Ceil(0.95*float64(n)))-1]
		if got := s.p95(); !near(got, want, 0.01) {
			t.Errorf("n=%d: p95 %g, exact %g", n, got, want)
		}
	}
}

func TestStatsMemoryIsBounded(t *testing.T) {
	var s stats
	for i := range 86400 {
		s.add(float64(i%1000)*1e6, 1)
	}
	if len(s.buckets) > 3100 {
		t.Errorf("24 h of samples made %d buckets; the histogram should stay bounded by value range", len(s.buckets))
	}
}

func TestTargetResetAndLoss(t *testing.T) {
	tg := newTarget("alice", 100)
	for _, s := range stream("alice", 20, 1e9, wave, statusAt(0, 5, "gap-timeout")) {
		tg.ingest(s, 1e9)
	}
	if got := tg.lossPercent(); got != 25 {
		t.Errorf("loss = %g%%, want 25%%", got)
	}
	if tg.in.n != 15 {
		t.Errorf("rates counted = %d, want 15", tg.in.n)
	}
	tg.reset()
	if tg.lossPercent() != 0 || tg.in.n != 0 || tg.in.total() != 0 || tg.lastErr != "" {
		t.Errorf("after reset: loss %g n %d total %g err %q", tg.lossPercent(), tg.in.n, tg.in.total(), tg.lastErr)
	}
}
