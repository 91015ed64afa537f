package main

import (
	"math"
	"time"

	"github.com/stg-project/stg/sample"
)

// byTarget splits rows by target, keeping their order.
func byTarget(rows []sample.Sample) map[string][]sample.Sample {
	m := map[string][]sample.Sample{}
	for _, r := range rows {
		m[r.Target] = append(m[r.Target], r)
	}
	return m
}

// naiveRate is one rate of the naive method: Δoctets·8 / the configured
// interval between consecutive polls, over the span From..To the two polls
// really covered.
type naiveRate struct {
	From, To      time.Time
	InBps, OutBps float64
}

// naiveRates computes the naive series from one target's raw octets, as
// STG, LibreNMS's realtime graph and ttyplot pipelines do. Rows without
// octets (timeouts) are skipped; a decrease gives no rate.
func naiveRates(rows []sample.Sample, configured time.Duration) []naiveRate {
	var out []naiveRate
	var prev *sample.Sample
	for i := range rows {
		r := &rows[i]
		if !r.HasOctets {
			continue
		}
		if prev != nil && r.InOctets >= prev.InOctets && r.OutOctets >= prev.OutOctets {
			s := configured.Seconds()
			out = append(out, naiveRate{From: prev.Time, To: r.Time,
				InBps:  float64(r.InOctets-prev.InOctets) * 8 / s,
				OutBps: float64(r.OutOctets-prev.OutOctets) * 8 / s})
		}
		prev = r
	}
	return out
}

// jitterMs returns |interval_s − configured| in milliseconds for every
// `ok` row (a row whose interval is one poll spacing; a poll that skipped
// a slot shows as a doubled interval) and counts rows whose status is a
// gap other than pending.
func jitterMs(rows []sample.Sample, configured time.Duration) (jitter []float64, gaps int) {
	for _, r := range rows {
		if r.Status.IsGap() && r.Status != sample.StatusFirst && r.Status != sample.StatusPending {
			gaps++
		}
		if r.Status != sample.StatusOK {
			continue
		}
		jitter = append(jitter, math.Abs(float64(r.Interval-configured))/1e6)
	}
	return jitter, gaps
}
