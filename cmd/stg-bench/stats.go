package main

import (
	"math"
	"slices"
	"time"
)

// percentile returns the q-quantile (0..1) of xs by linear interpolation
// between closest ranks; NaN when xs is empty. xs is not modified.
func percentile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if q <= 0 {
		return s[0]
	}
	if q >= 1 {
		return s[len(s)-1]
	}
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

// median returns the median of durations; 0 when there are none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d)
	}
	return time.Duration(percentile(xs, 0.5))
}

// errorStats summarises per-sample errors in percent.
type errorStats struct {
	N             int
	P50, P95, Max float64
}

// summarise returns the p50, p95 and maximum of errs.
func summarise(errs []float64) errorStats {
	return errorStats{N: len(errs), P50: percentile(errs, 0.5), P95: percentile(errs, 0.95), Max: percentile(errs, 1)}
}

// relErrorPct is |got − truth| / truth in percent; ok is false when the
// truth is not positive.
func relErrorPct(got, truth float64) (pct float64, ok bool) {
	if truth <= 0 {
		return 0, false
	}
	return math.Abs(got-truth) / truth * 100, true
}
