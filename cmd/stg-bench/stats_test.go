package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		q    float64
		want float64
	}{
		{"empty is NaN", nil, 0.5, math.NaN()},
		{"one value", []float64{7}, 0.99, 7},
		{"median of odd count, unsorted", []float64{9, 1, 5}, 0.5, 5},
		{"median of even count interpolates", []float64{4, 1, 3, 2}, 0.5, 2.5},
		{"p0 is the minimum", []float64{3, 1, 2}, 0, 1},
		{"p100 is the maximum", []float64{3, 10, 2}, 1, 10},
		{"p95 of 0..100", seq(101), 0.95, 95},
		{"p99 interpolates between ranks", []float64{0, 10}, 0.99, 9.9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := percentile(tt.xs, tt.q)
			if math.IsNaN(tt.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-tt.want) > 1e-9) {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.xs, tt.q, got, tt.want)
			}
		})
	}
}

func TestPercentileKeepsInput(t *testing.T) {
	xs := []float64{3, 1, 2}
	percentile(xs, 0.5)
	if xs[0] != 3 || xs[1] != 1 || xs[2] != 2 {
		t.Errorf("percentile reordered its input: %v", xs)
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		ds   []time.Duration
		want time.Duration
	}{
		{"none", nil, 0},
		{"three", []time.Duration{3 * time.Second, time.Second, 2 * time.Second}, 2 * time.Second},
		{"two", []time.Duration{time.Second, 2 * time.Second}, 1500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(tt.ds); got != tt.want {
				t.Errorf("median(%v) = %v, want %v", tt.ds, got, tt.want)
			}
		})
	}
}

func TestRelErrorPct(t *testing.T) {
	tests := []struct {
		name       string
		got, truth float64
		wantPct    float64
		wantOK     bool
	}{
		{"exact", 100, 100, 0, true},
		{"over", 103, 100, 3, true},
		{"under", 0, 100, 100, true},
		{"triple", 300, 100, 200, true},
		{"no truth", 5, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pct, ok := relErrorPct(tt.got, tt.truth)
			if ok != tt.wantOK || math.Abs(pct-tt.wantPct) > 1e-9 {
				t.Errorf("relErrorPct(%v, %v) = %v, %v; want %v, %v", tt.got, tt.truth, pct, ok, tt.wantPct, tt.wantOK)
			}
		})
	}
}

func TestSummarise(t *testing.T) {
	s := summarise(seq(101))
	if s.N != 101 || s.P50 != 50 || s.P95 != 95 || s.Max != 100 {
		t.Errorf("summarise(0..100) = %+v, want N 101, p50 50, p95 95, max 100", s)
	}
}

func TestParseFrameBench(t *testing.T) {
	out := strings.Join([]string{
		"goos: linux",
		"BenchmarkFrame/1s-2   \t     300\t   4123456 ns/op\t         3.700 p50-ms\t         6.300 p99-ms\t         0.4123 %cpu@1fps",
		"PASS",
	}, "\n")
	got, err := parseFrameBench([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if got.P50 != 3.7 || got.P99 != 6.3 || got.CPUPct != 0.4123 {
		t.Errorf("parseFrameBench = %+v, want p50 3.7, p99 6.3, cpu 0.4123", got)
	}
	if _, err := parseFrameBench([]byte("BenchmarkFrame/1s-2 300 4123456 ns/op\n")); err == nil {
		t.Error("parseFrameBench without metrics: no error")
	}
}

func TestParseTopCycleBench(t *testing.T) {
	out := strings.Join([]string{
		"goos: linux",
		"BenchmarkTopCycle/total-2  	      50	    188025 ns/op	         0.01880 %cpu@1Hz	   87692 B/op",
		"BenchmarkTopCycle/filter-2 	      50	   1546842 ns/op	         0.1547 %cpu@1Hz	   87504 B/op",
		"PASS",
	}, "\n")
	got, err := parseTopCycleBench([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (topFrame{"total", 0.0188}) || got[1] != (topFrame{"filter", 0.1547}) {
		t.Errorf("parseTopCycleBench = %+v, want total 0.0188, filter 0.1547", got)
	}
	if _, err := parseTopCycleBench([]byte("BenchmarkTopCycle/total-2 50 188025 ns/op\n")); err == nil {
		t.Error("parseTopCycleBench without metrics: no error")
	}
}

// seq returns 0, 1, ..., n-1.
func seq(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	return xs
}

func TestParseHWM(t *testing.T) {
	tests := []struct {
		name, status string
		want         int64
	}{
		{"live process", "Name:\tstg\nVmPeak:\t  812345 kB\nVmHWM:\t   12345 kB\nVmRSS:\t   12000 kB\n", 12345},
		{"zombie has none", "Name:\tstg\nState:\tZ (zombie)\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseHWM([]byte(tt.status)); got != tt.want {
				t.Errorf("parseHWM = %d, want %d", got, tt.want)
			}
		})
	}
}
