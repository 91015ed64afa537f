package brassim

import (
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/stg-project/stg/snmp"
)

// TestCacheModes checks when each mode refreshes: on request, a request
// Cache after the last refresh refreshes it (and moves the next one); on a
// timer, refreshes happen at start + CachePhase + k×Cache whatever the
// requests, also before the first one.
func TestCacheModes(t *testing.T) {
	const period = 2 * time.Second
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	tests := []struct {
		name  string
		mode  CacheMode
		phase time.Duration
		// at[i] is when (after the start) a request comes; want[i] the
		// time (after the start) of the counters it is served.
		at, want []time.Duration
	}{
		{name: "on request", mode: CacheOnRequest,
			at:   []time.Duration{0, ms(1999), ms(2500), ms(4000), ms(4499), ms(4500)},
			want: []time.Duration{0, 0, ms(2500), ms(2500), ms(2500), ms(4500)}},
		{name: "timer, phase 700 ms", mode: CacheTimer, phase: ms(700),
			at:   []time.Duration{0, ms(699), ms(700), ms(2500), ms(2699), ms(2700), ms(9000)},
			want: []time.Duration{ms(-1300), ms(-1300), ms(700), ms(700), ms(700), ms(2700), ms(8700)}},
		{name: "timer, phase beyond the period", mode: CacheTimer, phase: ms(4300),
			at:   []time.Duration{ms(200), ms(300), ms(2299), ms(2300)},
			want: []time.Duration{ms(-1700), ms(300), ms(300), ms(2300)}},
		{name: "timer refreshing at the start", mode: CacheTimer,
			at:   []time.Duration{0, ms(1), ms(1999), ms(2000), ms(3999)},
			want: []time.Duration{0, 0, 0, ms(2000), ms(2000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := newSim(t, Options{Sessions: 5, Cache: period, CacheMode: tt.mode, CachePhase: tt.phase})
			start := clock.Now()
			for i, at := range tt.at {
				clock.Add(start.Add(at).Sub(clock.Now()))
				if got := s.requestView().ctrTime.Sub(start); got != tt.want[i] {
					t.Errorf("request at %v: counters of %v, want %v", at, got, tt.want[i])
				}
			}
		})
	}
}

// TestCacheTimerOverSNMP polls a timer cache every second over SNMP: the
// counter changes once per refresh, at the polls right after each refresh,
// however often it is asked.
func TestCacheTimerOverSNMP(t *testing.T) {
	s, clock := startSim(t, Options{Sessions: 5, Cache: 3 * time.Second, CacheMode: CacheTimer, CachePhase: 1500 * time.Millisecond})
	g := client(t, s, gosnmp.Version2c)
	idx, _, _ := s.Lookup(UserLNS)
	read := func() uint64 {
		r, err := g.Get([]string{oidf(snmp.OIDIfHCOutOctets, idx)})
		if err != nil {
			t.Fatal(err)
		}
		return gosnmp.ToBigInt(r.Variables[0].Value).Uint64()
	}
	// Polls at 0..9 s; refreshes at 1.5, 4.5, 7.5 s: changes at 2, 5, 8 s.
	prev := read()
	var changedAt []int
	for sec := 1; sec <= 9; sec++ {
		clock.Add(time.Second)
		// Extra requests between polls must not refresh a timer cache.
		read()
		if v := read(); v != prev {
			changedAt = append(changedAt, sec)
			prev = v
		}
	}
	if want := []int{2, 5, 8}; !equalInts(changedAt, want) {
		t.Errorf("counter changed at %v s, want %v", changedAt, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseCacheMode(t *testing.T) {
	for _, m := range []CacheMode{CacheOnRequest, CacheTimer} {
		if got, err := ParseCacheMode(m.String()); err != nil || got != m {
			t.Errorf("ParseCacheMode(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseCacheMode("periodic"); err == nil {
		t.Error("ParseCacheMode(\"periodic\") succeeded")
	}
	if _, err := New(Options{CacheMode: 7}); err == nil {
		t.Error("New with an unknown cache mode succeeded")
	}
}

// TestTimerPhase: the same seed gives the same phase, always within the
// period, and seeds spread phases over the whole period.
func TestTimerPhase(t *testing.T) {
	const period = 5 * time.Second
	var quarters [4]int
	for seed := uint64(0); seed < 200; seed++ {
		p := TimerPhase(seed, period)
		if p < 0 || p >= period || p != TimerPhase(seed, period) {
			t.Fatalf("TimerPhase(%d) = %v: outside [0, %v) or not stable", seed, p, period)
		}
		quarters[p*4/period]++
	}
	for q, n := range quarters {
		if n < 30 {
			t.Errorf("quarter %d of the period got %d of 200 seeds: %v", q, n, quarters)
		}
	}
	if TimerPhase(1, 0) != 0 {
		t.Error("TimerPhase of a zero period is not 0")
	}
}
