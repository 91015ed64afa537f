package plot

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestRateLabel(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{0, "b/s", "0 b/s"},
		{999, "b/s", "999 b/s"},
		{1000, "b/s", "1 kb/s"},
		{2500, "B/s", "2.5 kB/s"},
		{8007689.063, "b/s", "8.01 Mb/s"},
		{999_600, "b/s", "1 Mb/s"},
		{12_345_678_901, "b/s", "12.3 Gb/s"},
		{100e9, "b/s", "100 Gb/s"},
	}
	for _, tt := range tests {
		if got := rateLabel(tt.v, tt.unit); got != tt.want {
			t.Errorf("rateLabel(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

// labels returns the labelled ticks of an axis.
func labels(ticks []tick) []string {
	var out []string
	for _, t := range ticks {
		if t.label != "" {
			out = append(out, t.label)
		}
	}
	return out
}

func TestYAxis(t *testing.T) {
	tests := []struct {
		name   string
		top    float64
		log    bool
		hi     float64
		labels []string
	}{
		{"idle link", 0, false, 1000, []string{"0 b/s", "200 b/s", "400 b/s", "600 b/s", "800 b/s", "1 kb/s"}},
		{"8 Mb/s", 8.007e6, false, 10e6, []string{"0 b/s", "2 Mb/s", "4 Mb/s", "6 Mb/s", "8 Mb/s", "10 Mb/s"}},
		{"headroom over a round rate", 10e6, false, 12.5e6, []string{"0 b/s", "2.5 Mb/s", "5 Mb/s", "7.5 Mb/s", "10 Mb/s", "12.5 Mb/s"}},
		{"log, 54.8 Mb/s", 54.8e6, true, 100e6, []string{"1 kb/s", "10 kb/s", "100 kb/s", "1 Mb/s", "10 Mb/s", "100 Mb/s"}},
		{"log, idle", 0, true, 10e3, []string{"1 kb/s", "10 kb/s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newYAxis(tt.top, "b/s", tt.log)
			if a.hi != tt.hi {
				t.Errorf("hi %v, want %v", a.hi, tt.hi)
			}
			if a.hi < tt.top*headroom {
				t.Errorf("hi %v leaves no headroom over %v", a.hi, tt.top)
			}
			if got := labels(a.ticks); !slices.Equal(got, tt.labels) {
				t.Errorf("labels %q, want %q", got, tt.labels)
			}
		})
	}
	// On the log scale a zero rate sits on the floor, not at -Inf.
	logScale := newYAxis(54.8e6, "b/s", true)
	for _, tt := range []struct{ v, want float64 }{{0, 0}, {logFloor, 0}, {1e5, 0.4}, {100e6, 1}} {
		if n := logScale.norm(tt.v); math.Abs(n-tt.want) > 1e-12 {
			t.Errorf("log scale puts %v at %v, want %v", tt.v, n, tt.want)
		}
	}
	if n := newYAxis(8e6, "b/s", false).norm(2.5e6); n != 0.25 {
		t.Errorf("linear scale puts 2.5 Mb/s at %v of 10 Mb/s, want 0.25", n)
	}
}

func TestTimeTicks(t *testing.T) {
	tt := timeTicks{loc: testZone, maxLabels: 10}
	at := func(d time.Duration) float64 { return unixSeconds(t0.Add(d)) }
	got := labels(tt.ticks(at(300*time.Millisecond), at(59*time.Second)))
	want := []string{"10:54:10", "10:54:20", "10:54:30", "10:54:40", "10:54:50"}
	if !slices.Equal(got, want) {
		t.Errorf("a minute: %q, want %q", got, want)
	}
	// Across midnight (local), the label of the new day carries its date.
	midnight := time.Date(2026, 11, 28, 0, 0, 0, 0, testZone)
	tt.maxLabels = 5
	got = labels(tt.ticks(unixSeconds(midnight.Add(-2*time.Hour)), unixSeconds(midnight.Add(2*time.Hour))))
	want = []string{"22:00", "23:00", "Nov 28 00:00", "01:00", "02:00"}
	if !slices.Equal(got, want) {
		t.Errorf("across midnight: %q, want %q", got, want)
	}
}
