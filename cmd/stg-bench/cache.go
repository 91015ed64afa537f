package main

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"

	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/sample"
)

// cacheKind is one counter cache of the simulator that the cache rows of
// measurement 2 poll.
type cacheKind struct {
	Label    string
	Mode     string        // stg sim --cache-mode
	Period   time.Duration // stg sim --cache
	Interval time.Duration // stg -i
	Polls    int
	Seed     uint64 // stg sim --seed: the timer's phase
}

// cacheKinds are the caches measured: a cache refreshed on request, and
// timers of 2, 5 and 10 s polled every second (the refreshes at a phase
// the seed sets) and every 0.95 s (the refreshes slide across the polls,
// so some land within the polls' jitter of a poll, where a refresh is seen
// a poll early or late; the period is then no multiple of the interval).
var cacheKinds = []cacheKind{
	{"request cache 3 s", "request", 3 * time.Second, time.Second, 60, 21},
	{"timer cache 2 s", "timer", 2 * time.Second, time.Second, 60, 22},
	{"timer cache 5 s", "timer", 5 * time.Second, time.Second, 90, 23},
	{"timer cache 10 s", "timer", 10 * time.Second, time.Second, 120, 24},
	{"timer cache 2 s, -i 0.95", "timer", 2 * time.Second, 950 * time.Millisecond, 60, 25},
	{"timer cache 5 s, -i 0.95", "timer", 5 * time.Second, 950 * time.Millisecond, 90, 26},
	{"timer cache 10 s, -i 0.95", "timer", 10 * time.Second, 950 * time.Millisecond, 120, 27},
}

// cacheSessions is the size of the simulators the cache rows poll.
const cacheSessions = 8

// lnsRE finds brassim.UserLNS's ifIndex in `stg sim`'s banner.
var lnsRE = regexp.MustCompile(regexp.QuoteMeta(brassim.UserLNS) + `\s+\S+\s+ifIndex (\d+)`)

// cacheResult is one cache kind measured: the errors (percent, in and out)
// of stg's rates and of the poll-to-poll spread over the same raw samples.
type cacheResult struct {
	Kind         cacheKind
	Stg, Spread  []float64
	Rated, Polls int
	Covered      float64 // share of the run from the first rate that rates cover
}

// cacheRows runs every cache kind at once, each on its own `stg sim`, and
// returns one row per kind.
func cacheRows(ctx context.Context, stg stgBin, configDir string) ([]row, error) {
	results := make([]cacheResult, len(cacheKinds))
	errs := make(chan error, len(cacheKinds))
	for i, k := range cacheKinds {
		go func() {
			r, err := measureCache(ctx, stg, configDir, k)
			results[i] = r
			errs <- err
		}()
	}
	var first error
	for range cacheKinds {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	rows := make([]row, 0, len(results))
	for _, r := range results {
		rows = append(rows, cacheRow(r))
	}
	return rows, nil
}

// measureCache polls brassim.UserLNS, whose traffic is steady, on a
// simulator with the kind's cache: truth is the simulator's own rate.
func measureCache(ctx context.Context, stg stgBin, configDir string, k cacheKind) (cacheResult, error) {
	res := cacheResult{Kind: k}
	// The same seed and size build the same subscribers in the child.
	model, err := brassim.New(brassim.Options{Seed: k.Seed, Sessions: cacheSessions, NoSSH: true})
	if err != nil {
		return res, fmt.Errorf("cache %s: %w", k.Label, err)
	}
	ifIndex, _, _ := model.Lookup(brassim.UserLNS)
	var inTruth, outTruth float64
	for _, s := range model.Sessions() {
		if s.User == brassim.UserLNS {
			inTruth, outTruth = float64(s.Shape.InLow*8), float64(s.Shape.OutLow*8)
		}
	}
	a, err := startSim(stg.path, cacheSessions, configDir, "--seed", strconv.FormatUint(k.Seed, 10),
		"--cache", k.Period.String(), "--cache-mode", k.Mode)
	if err != nil {
		return res, err
	}
	defer a.stop()
	if m := lnsRE.FindStringSubmatch(a.out.String()); m == nil || m[1] != strconv.Itoa(ifIndex) {
		return res, fmt.Errorf("cache %s: stg sim's banner does not show %s on ifIndex %d:\n%s", k.Label, brassim.UserLNS, ifIndex, a.out)
	}
	rows, _, err := stg.poll(ctx, a, "cache-"+k.Mode+"-"+k.Period.String()+"-"+k.Interval.String(),
		"--if", strconv.Itoa(ifIndex), "--count", strconv.Itoa(k.Polls), "-i", k.Interval.String())
	if err != nil {
		return res, fmt.Errorf("poll the %s: %w", k.Label, err)
	}
	res.Polls = len(rows)
	var covered time.Duration
	first := -1
	for i, r := range rows {
		if !r.Status.HasRate() {
			continue
		}
		if first < 0 {
			first = i
		}
		res.Rated++
		covered += r.Interval
		res.Stg = appendErrors(res.Stg, r.InBps, inTruth, r.OutBps, outTruth)
	}
	if first >= 0 {
		res.Covered = float64(covered) / float64(rows[len(rows)-1].Time.Sub(rows[first].Time.Add(-rows[first].Interval)))
	}
	for _, s := range spreadRates(rows) {
		res.Spread = appendErrors(res.Spread, s.InBps, inTruth, s.OutBps, outTruth)
	}
	return res, nil
}

// spreadRates is the poll-to-poll spread of a cache's changes, stg's method
// before it learnt how agents refresh: each counter change's octets over
// the time since the poll that saw the change before it.
func spreadRates(rows []sample.Sample) []naiveRate {
	var out []naiveRate
	var prev, last *sample.Sample
	for i := range rows {
		r := &rows[i]
		if !r.HasOctets {
			continue
		}
		if last != nil && (r.InOctets != last.InOctets || r.OutOctets != last.OutOctets) {
			if prev != nil && r.InOctets >= prev.InOctets && r.OutOctets >= prev.OutOctets {
				s := r.Time.Sub(prev.Time).Seconds()
				out = append(out, naiveRate{From: prev.Time, To: r.Time,
					InBps:  float64(r.InOctets-prev.InOctets) * 8 / s,
					OutBps: float64(r.OutOctets-prev.OutOctets) * 8 / s})
			}
			prev = r
		}
		last = r
	}
	return out
}

// cacheRow turns one cache kind into a table row: stg's largest error
// beside the poll-to-poll spread's.
func cacheRow(r cacheResult) row {
	s, p := summarise(r.Stg), summarise(r.Spread)
	note := fmt.Sprintf("stg p50 %.2f%%, p95 %.2f%%; %d rows with a rate of %d polls, covering %.0f%% of the run from the first",
		s.P50, s.P95, r.Rated, r.Polls, 100*r.Covered)
	if math.IsNaN(s.Max) {
		note = fmt.Sprintf("no rate in %d polls", r.Polls)
	}
	return withNote(newRow("2", r.Kind.Label+": backfill error max", "%", s.Max).vs("poll-to-poll spread", p.Max), note)
}
