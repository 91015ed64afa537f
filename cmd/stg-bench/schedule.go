package main

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/stg-project/stg/sample"
)

// schedulePolls is the number of polls of each schedule run.
const schedulePolls = 300

// scheduleResult is measurement 3 at one interval, and the sleep-loop
// peer's CPU cost (measurement 4's peer) from the same run.
type scheduleResult struct {
	Interval          time.Duration
	Stg, Peer         []float64 // |interval − configured| in ms
	StgGaps, PeerGaps int
	PeerCPU           time.Duration // user+sys of all snmpget runs
	PeerMaxRSSk       int64
	PeerPolls         int
}

// measureSchedule polls the busy interface 1 of the simulator a with stg
// (schedulePolls polls at interval) and, at the same time, with the
// sleep-loop method of shell pipelines: `snmpget; sleep interval`.
func measureSchedule(ctx context.Context, stg stgBin, a *agent, interval time.Duration) (scheduleResult, error) {
	res := scheduleResult{Interval: interval}
	peerc := make(chan error, 1)
	go func() { peerc <- sleepLoop(ctx, a, interval, &res) }()
	rows, _, err := stg.poll(ctx, a, "schedule-"+interval.String(), "--if", "1", "--count", strconv.Itoa(schedulePolls),
		"-i", interval.String())
	perr := <-peerc
	if err != nil {
		return res, fmt.Errorf("stg at %s: %w", interval, err)
	}
	if perr != nil {
		return res, perr
	}
	res.Stg, res.StgGaps = jitterMs(rows, interval)
	return res, nil
}

// sleepLoop is the peer of measurement 3: snmpget of the counters, then
// sleep for the interval, schedulePolls times. Its intervals are the
// differences of the midpoints of the snmpget runs.
func sleepLoop(ctx context.Context, a *agent, interval time.Duration, res *scheduleResult) error {
	var mids []time.Time
	timeout := fmt.Sprintf("%.3f", 0.8*interval.Seconds())
	for i := 0; i < schedulePolls; i++ {
		start := time.Now()
		r, err := run(ctx, nil, snmpgetPath, "-v2c", "-c", a.Community, "-t", timeout, "-r", "0", a.Addr,
			oidSysUpTime, oidIfHCIn+".1", oidIfHCOut+".1")
		end := time.Now()
		res.PeerCPU += r.CPU
		res.PeerMaxRSSk = max(res.PeerMaxRSSk, r.MaxRSSk)
		res.PeerPolls++
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			res.PeerGaps++
		} else {
			mids = append(mids, start.Add(end.Sub(start)/2))
		}
		time.Sleep(interval)
	}
	for i := 1; i < len(mids); i++ {
		d := mids[i].Sub(mids[i-1])
		res.Peer = append(res.Peer, math.Abs(float64(d-interval))/1e6)
	}
	return nil
}

// scheduleRows turns measurement 3 into table rows.
func scheduleRows(r scheduleResult) []row {
	peer := "snmpget+sleep loop"
	iv := r.Interval.String()
	s, p := r.Stg, r.Peer
	note := fmt.Sprintf("%d stg intervals, %d gaps; peer %d intervals, %d failed", len(s), r.StgGaps, len(p), r.PeerGaps)
	return []row{
		newRow("3", "jitter |interval_s − "+iv+"| p50", "ms", percentile(s, 0.5)).vs(peer, percentile(p, 0.5)),
		withNote(newRow("3", "jitter |interval_s − "+iv+"| p99", "ms", percentile(s, 0.99)).vs(peer, percentile(p, 0.99)), note),
	}
}

// scaleSteps are the target counts measurement 5 tries, in order.
var scaleSteps = []int{100, 500, 1000, 2000, 4000, 8000, 16000, 32000}

// scalePolls is the number of 1 Hz polls of each scale step.
const scalePolls = 15

// scaleStep is the outcome of one step of measurement 5.
type scaleStep struct {
	Targets    int
	OK         bool
	MaxDevMs   float64 // largest |interval_s − 1 s| of interface 1
	Gaps       int
	Rows, Want int
}

// measureScale polls n interfaces of a in one GET per tick (split across
// PDUs by stg) at 1 Hz and checks for overruns: every poll present, no
// gap rows, and interface 1's interval within 100 ms of 1 s.
func measureScale(ctx context.Context, stg stgBin, a *agent, ifIndexes []int, n int) (scaleStep, error) {
	st := scaleStep{Targets: n, Want: n * scalePolls}
	args := []string{"--count", strconv.Itoa(scalePolls), "-i", "1s"}
	for _, ix := range ifIndexes[:n] {
		args = append(args, "--if", strconv.Itoa(ix))
	}
	rows, _, err := stg.poll(ctx, a, fmt.Sprintf("scale-%d", n), args...)
	if err != nil {
		return st, fmt.Errorf("poll %d targets: %w", n, err)
	}
	st.Rows = len(rows)
	for _, r := range byTarget(rows)["1"] {
		if r.Status == sample.StatusOK {
			st.MaxDevMs = max(st.MaxDevMs, math.Abs(float64(r.Interval-time.Second))/1e6)
		}
	}
	_, st.Gaps = jitterMs(rows, time.Second)
	st.OK = st.Rows == st.Want && st.Gaps == 0 && st.MaxDevMs <= 100
	return st, nil
}

// scaleRow turns the steps of measurement 5 into a table row.
func scaleRow(steps []scaleStep) row {
	best := 0
	note := ""
	for _, s := range steps {
		if s.OK {
			best = s.Targets
		}
		if note != "" {
			note += "; "
		}
		verdict := "ok"
		if !s.OK {
			verdict = "overrun"
		}
		note += fmt.Sprintf("%d: %s (rows %d/%d, gaps %d, max |Δ| %.0f ms)", s.Targets, verdict, s.Rows, s.Want, s.Gaps, s.MaxDevMs)
	}
	if len(steps) > 0 && steps[len(steps)-1].OK {
		note = "all steps passed, the largest tried is a lower bound; " + note
	}
	r := newRow("5", "targets at 1 Hz on one router, no overrun", "targets", float64(best))
	r.HigherBetter = true
	r.Note = note
	return r
}
