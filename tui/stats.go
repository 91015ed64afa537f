package tui

import (
	"math"
)

// histRatio is the width of one p95 histogram bucket: values within 1% of
// each other share a bucket, so p95 is exact to about half a percent with
// memory that does not grow with time.
const histRatio = 1.01

// logHistRatio is math.Log(histRatio), computed once.
var logHistRatio = math.Log(histRatio)

// stats are one direction's readouts since start or the last reset. Every
// rate counts with the time it covers, so a backfilled 3 s rate weighs
// three times a 1 s one and the average is total bits over total time.
type stats struct {
	n        int
	seconds  float64   // time covered by rates
	bits     float64   // sum of rate × seconds
	min, max float64   // extremes of the rates
	zero     float64   // seconds at rates below 1/s
	buckets  []float64 // seconds per histRatio bucket, from 1/s up
}

// add records a rate v (units per second) that held for seconds.
func (s *stats) add(v, seconds float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || !(seconds > 0) {
		return
	}
	if s.n == 0 || v < s.min {
		s.min = v
	}
	if s.n == 0 || v > s.max {
		s.max = v
	}
	s.n++
	s.seconds += seconds
	s.bits += v * seconds
	if v < 1 {
		s.zero += seconds
		return
	}
	i := int(math.Log(v) / logHistRatio)
	if i >= len(s.buckets) {
		grown := make([]float64, i+1, i+1+i/4)
		copy(grown, s.buckets)
		s.buckets = grown
	}
	s.buckets[i] += seconds
}

// mean returns the time-weighted average rate, 0 without data.
func (s *stats) mean() float64 {
	if s.seconds == 0 {
		return 0
	}
	return s.bits / s.seconds
}

// total returns the amount transferred: rate × time summed, in the units
// of the rate (bits for b/s).
func (s *stats) total() float64 { return s.bits }

// p95 returns the rate the link stayed at or below for 95% of the covered
// time, within half a bucket (0.5%), clamped to [min, max].
func (s *stats) p95() float64 {
	if s.seconds == 0 {
		return 0
	}
	want := 0.95 * s.seconds
	acc := s.zero
	if acc >= want {
		return s.min
	}
	for i, w := range s.buckets {
		acc += w
		if acc >= want {
			mid := math.Exp((float64(i) + 0.5) * logHistRatio)
			return math.Min(math.Max(mid, s.min), s.max)
		}
	}
	return s.max
}
