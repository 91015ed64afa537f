package main

import (
	"math"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// TestSpreadRates: the peer of the cache rows spreads each counter change
// over the polls since the change before it, from the first change on.
func TestSpreadRates(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	row := func(sec int, in uint64) sample.Sample {
		return sample.Sample{Time: t0.Add(time.Duration(sec) * time.Second), InOctets: in, OutOctets: in / 2, HasOctets: true}
	}
	rows := []sample.Sample{row(0, 100), row(1, 100), row(2, 400), row(3, 400), {Time: t0.Add(4 * time.Second)}, row(5, 400), row(6, 1000), row(7, 1300)}
	got := spreadRates(rows)
	want := []struct {
		from, to int
		in       float64
	}{{2, 6, 600 * 8 / 4.0}, {6, 7, 300 * 8}}
	if len(got) != len(want) {
		t.Fatalf("%d rates %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if !g.From.Equal(t0.Add(time.Duration(w.from)*time.Second)) || !g.To.Equal(t0.Add(time.Duration(w.to)*time.Second)) ||
			math.Abs(g.InBps-w.in) > 1e-9 || math.Abs(g.OutBps-w.in/2) > 1e-9 {
			t.Errorf("rate %d: %+v, want %d..%d s at %v b/s", i, g, w.from, w.to, w.in)
		}
	}
}

// TestCacheRow: a cache kind's row shows stg's largest error beside the
// spread's, and says so when stg made no rate.
func TestCacheRow(t *testing.T) {
	r := cacheRow(cacheResult{Kind: cacheKinds[1], Stg: []float64{0.1, 0.3}, Spread: []float64{50, 25}, Rated: 2, Polls: 60, Covered: 0.95})
	if r.Stg != 0.3 || r.Peer != 50 || r.PeerName != "poll-to-poll spread" || r.verdict() != "stg ahead" {
		t.Errorf("row %+v: want stg 0.3 vs spread 50", r)
	}
	if r := cacheRow(cacheResult{Kind: cacheKinds[1], Polls: 60}); !math.IsNaN(r.Stg) || r.Note != "no rate in 60 polls" {
		t.Errorf("row without rates %+v", r)
	}
}
