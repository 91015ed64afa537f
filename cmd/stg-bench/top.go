package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/top"
)

// topSessions is the router size of measurement 7's cycle and accuracy
// rows; topCostSizes are the sizes its cost rows are priced at.
var (
	topSessions  = 32000
	topCostSizes = []int{1000, 8000, 32000}
)

// Measurement 7's repetitions: topReps cycles, walks and scrapes,
// interleaved; topAccuracyCycles cycles for the rates; topCostCycles
// cycles of the long cost run (the short one makes one).
const (
	topReps           = 3
	topAccuracyCycles = 6
	topCostCycles     = 11
)

// topHogs are the snmpsim sessions with a rate of their own (octets per
// second in, out), the truth of the accuracy rows; the others carry at
// most 100 kB/s.
var topHogs = map[int][2]uint64{
	31000: {150_000, 100_000_000},
	7:     {2_000_000, 60_000_000},
	16000: {10_000, 40_000_000},
	24000: {500_000, 25_000_000},
	1234:  {3_000_000, 15_000_000},
}

// topRate is session i's rate in the snmpsim data of measurement 7.
func topRate(i int) (in, out uint64) {
	if r, ok := topHogs[i]; ok {
		return r[0], r[1]
	}
	return uint64(100 + i%50*37), uint64(1000 + i%97*1013)
}

// topMethod explains measurement 7 in the report's Method section.
const topMethod = "**7 top.** stg top's engine (package top) in the driver's process, started once (its walks of the names and sessions not counted), then " +
	"3 cycles, each followed by `snmpbulkwalk -v2c -Cr50` of ifHCInOctets and then of ifHCOutOctets (process start included) and by a scrape of " +
	"Debian's prometheus-snmp-exporter (snmp_exporter 0.21) with a module walking ifName, ifHCInOctets and ifHCOutOctets at max-repetitions 50, " +
	"on the same agent; medians. Agents: `stg sim --sessions 32000`, and snmpsim serving a generated BRAS of 32,000 CISCO-AAA-SESSION-MIB " +
	"sessions whose counters grow at set rates (numeric module). Hog rate error: 6 cycles on a 32,000-session simulator with 5 hogs (`stg sim --hogs 5`, run " +
	"in the driver, which reads the hogs' true rates from it) and on the snmpsim BRAS, whose 5 busiest sessions have rates of their own; |rate − truth| / truth of " +
	"in and out of every hog row with a rate, and whether the hogs held the first ranks. Cost: CPU (rusage) of `stg top -o csv --count 11` minus " +
	"`--count 1`, ÷ 10, and its peak RSS (VmHWM), at its own GC target (GOGC and GOMEMLIMIT unset), on simulators of 1k, 8k and 32k sessions."

// topCycleTimes are the medians of one agent's cycle comparison.
type topCycleTimes struct {
	Cycle, Walks, Scrape time.Duration
	Rows                 int
}

// dialAgent returns an SNMP v2c client of a, as stg top's would be.
func dialAgent(ctx context.Context, a *agent) (snmp.Client, error) {
	target, err := snmp.ParseTarget(a.Addr)
	if err != nil {
		return nil, err
	}
	return snmp.Dial(ctx, snmp.Config{Target: target, Version: "2c", Community: secret.Secret(a.Community), Timeout: 5 * time.Second, Retries: 1})
}

// newTop starts stg top's engine on a in this process (its start-up
// walks done) with what it prices.
func newTop(ctx context.Context, a *agent) (*top.Top, snmp.Client, error) {
	c, err := dialAgent(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	tp := top.New(c, top.Config{Router: a.Addr, Version: "2c", Interval: time.Second, Timeout: 5 * time.Second, Retries: 1})
	if err := tp.Start(ctx); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("start top on %s: %w", a.Addr, err)
	}
	return tp, c, nil
}

// measureTopCycle times topReps cycles of stg top's engine on a against
// `snmpbulkwalk -v2c -Cr50` of ifHCInOctets then ifHCOutOctets and against
// an snmp_exporter scrape of the same agent, interleaved, and checks that
// each read all rows rows.
func measureTopCycle(ctx context.Context, a *agent, e *exporter, rows int) (topCycleTimes, error) {
	tp, c, err := newTop(ctx, a)
	if err != nil {
		return topCycleTimes{}, err
	}
	defer c.Close()
	var cycles, walks, scrapes []time.Duration
	for i := 0; i < topReps; i++ {
		cy := tp.Cycle(ctx)
		if cy.Err != "" || len(cy.Rows) != rows {
			return topCycleTimes{}, fmt.Errorf("top cycle on %s: %d rows, want %d: %s", a.Addr, len(cy.Rows), rows, cy.Err)
		}
		cycles = append(cycles, cy.Walk())
		var both time.Duration
		for _, col := range []string{oidIfHCIn, oidIfHCOut} {
			res, err := run(ctx, nil, "snmpbulkwalk", "-v2c", "-c", a.Community, "-Cr50", "-On", a.Addr, col)
			if err != nil {
				return topCycleTimes{}, err
			}
			if n := strings.Count(string(res.Stdout), "Counter64"); n < rows {
				return topCycleTimes{}, fmt.Errorf("snmpbulkwalk of %s on %s: %d rows, want %d", col, a.Addr, n, rows)
			}
			both += res.Wall
		}
		walks = append(walks, both)
		took, series, err := e.scrape(ctx, a)
		if err != nil {
			return topCycleTimes{}, err
		}
		if series < rows {
			return topCycleTimes{}, fmt.Errorf("snmp_exporter scraped %d ifHCInOctets series of %s, want %d", series, a.Addr, rows)
		}
		scrapes = append(scrapes, took)
	}
	return topCycleTimes{Cycle: median(cycles), Walks: median(walks), Scrape: median(scrapes), Rows: rows}, nil
}

// hogTruth is a row that must rank first, with its true rates in b/s.
type hogTruth struct {
	user          string
	inBps, outBps float64
}

// topAccuracy runs topAccuracyCycles cycles on a and returns the error
// (percent, in and out pooled) of every hog's rate in every cycle that
// measured one, and how many cycles ranked every hog first.
func topAccuracy(ctx context.Context, a *agent, hogs []hogTruth) (errs []float64, ranked int, err error) {
	tp, c, err := newTop(ctx, a)
	if err != nil {
		return nil, 0, err
	}
	defer c.Close()
	for i := 0; i < topAccuracyCycles; i++ {
		start := time.Now()
		cy := tp.Cycle(ctx)
		if cy.Err != "" {
			return nil, 0, fmt.Errorf("top cycle on %s: %s", a.Addr, cy.Err)
		}
		if len(cy.Rows) < len(hogs) {
			return nil, 0, fmt.Errorf("top cycle on %s: %d rows, want at least the %d hogs", a.Addr, len(cy.Rows), len(hogs))
		}
		first := true
		for k, h := range hogs {
			r := cy.Rows[k]
			first = first && r.User == h.user
			if r.User != h.user || !r.Status.HasRate() {
				continue
			}
			for _, p := range [][2]float64{{r.InBps, h.inBps}, {r.OutBps, h.outBps}} {
				if e, ok := relErrorPct(p[0], p[1]); ok {
					errs = append(errs, e)
				}
			}
		}
		if first && i >= 2 { // from the third cycle on, rows have rates
			ranked++
		}
		time.Sleep(time.Second - time.Since(start))
	}
	return errs, ranked, nil
}

// topCost runs `stg top -o csv` on a for one cycle and for topCostCycles
// and prices a cycle from the difference; it checks the rows written.
func topCost(ctx context.Context, stg stgBin, a *agent, rows int) (cpu time.Duration, rssK int64, err error) {
	var short runResult
	for _, n := range []int{1, topCostCycles} {
		args := []string{"top", "--router", a.Addr, "-c", a.Community, "--count", strconv.Itoa(n), "-o", "csv"}
		res, err := run(ctx, []string{"GOGC=", "GOMEMLIMIT="}, stg.path, args...) // stg top's own GC target
		if err != nil {
			return 0, 0, fmt.Errorf("stg top of %d rows: %w", rows, err)
		}
		if got := strings.Count(string(res.Stdout), "\n") - 1; got != n*rows {
			return 0, 0, fmt.Errorf("stg top of %d rows, %d cycles: %d CSV rows, want %d", rows, n, got, n*rows)
		}
		if n == 1 {
			short = res
			continue
		}
		return (res.CPU - short.CPU) / time.Duration(topCostCycles-1), res.MaxRSSk, nil
	}
	return 0, 0, nil
}

// topRows runs measurement 7 (stg top) and returns its table rows: on the
// 32,000-session simulator and on snmpsim serving a generated
// 32,000-session BRAS, a cycle against two snmpbulkwalks and against an
// snmp_exporter scrape; the rates of the hogs against the truth; the CPU
// per cycle and peak RSS of `stg top` at 1k, 8k and 32k rows.
func topRows(ctx context.Context, stg stgBin, cacheDir, tmp string, logf func(string, ...any)) ([]row, error) {
	data := filepath.Join(cacheDir, "data", "top")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, fmt.Errorf("make top data dir: %w", err)
	}
	community := "top" + sizeName(topSessions)
	if err := writeIfChanged(filepath.Join(data, community+".snmprec"), agenttest.BRASSnmprec(topSessions, topRate)); err != nil {
		return nil, err
	}
	ss, err := startSnmpsim(ctx, data, filepath.Join(cacheDir, "snmpsim-cache"), community)
	if err != nil {
		return nil, err
	}
	defer ss.stop()
	sim, err := startSim(stg.path, topSessions, tmp)
	if err != nil {
		return nil, err
	}
	defer sim.stop()
	exp, err := startExporter(ctx, tmp, sim.Community, ss.Community)
	if err != nil {
		return nil, err
	}
	defer exp.stop()

	var rows []row
	for _, a := range []struct {
		kind string
		a    *agent
		rows int
	}{{"sim", sim, topSessions}, {"snmpsim", ss, topSessions}} {
		logf("top: cycle of %s %s against snmpbulkwalk and snmp_exporter, %d times", sizeName(topSessions), a.kind, topReps)
		t, err := measureTopCycle(ctx, a.a, exp, a.rows)
		if err != nil {
			return nil, err
		}
		m := fmt.Sprintf("top cycle, %s %s (%d rows)", sizeName(topSessions), a.kind, t.Rows)
		rows = append(rows,
			newRow("7", m, "s", t.Cycle.Seconds()).vs("snmpbulkwalk -Cr50 ifHCInOctets, then ifHCOutOctets", t.Walks.Seconds()).goal(1),
			newRow("7", m, "s", t.Cycle.Seconds()).vs("snmp_exporter scrape of ifName, ifHCInOctets, ifHCOutOctets", t.Scrape.Seconds()).goal(0.5))
	}

	logf("top: hog rates on the simulator (in this process) and on snmpsim, %d cycles each", topAccuracyCycles)
	acc, err := topAccuracyRows(ctx, ss)
	if err != nil {
		return nil, err
	}
	rows = append(rows, acc...)

	for _, n := range topCostSizes {
		logf("top: CPU and peak RSS of stg top at %s rows", sizeName(n))
		a := sim
		if n != topSessions {
			small, err := startSim(stg.path, n, tmp)
			if err != nil {
				return nil, err
			}
			defer small.stop()
			a = small
		}
		cpu, rss, err := topCost(ctx, stg, a, n)
		if err != nil {
			return nil, err
		}
		rows = append(rows,
			withNote(newRow("7", "top CPU per cycle, "+sizeName(n)+" sim", "ms", float64(cpu.Microseconds())/1000),
				fmt.Sprintf("(CPU of a %d-cycle run − a 1-cycle run) ÷ %d; %.1f%% of a core at 1 cycle/s", topCostCycles, topCostCycles-1, cpu.Seconds()*100)),
			newRow("7", "top peak RSS, "+sizeName(n)+" sim", "MB", float64(rss)*1024/1e6).goal(topRSSGoal(n)))
	}
	return rows, nil
}

// topRSSGoal is the most peak RSS stg top may take at n rows, in MB: the
// issue's ~64 MB at 32,000 rows; no goal at the other sizes.
func topRSSGoal(n int) float64 {
	if n == 32000 {
		return 64
	}
	return 0
}

// topAccuracyRows measures the hogs' rate errors on a simulator with the
// hogs scenario (`stg sim --hogs`, run in this process to read the hogs'
// true rates) and on snmpsim ss.
func topAccuracyRows(ctx context.Context, ss *agent) ([]row, error) {
	bs, err := brassim.New(brassim.Options{Sessions: topSessions, Hogs: 5, Seed: 1, NoSSH: true})
	if err != nil {
		return nil, err
	}
	if err := bs.Start(ctx); err != nil {
		return nil, err
	}
	defer bs.Close()
	var simHogs []hogTruth
	for _, h := range bs.Hogs() {
		simHogs = append(simHogs, hogTruth{h.User, h.InBps, h.OutBps})
	}
	var ssHogs []hogTruth
	for i := range topHogs {
		in, out := topRate(i)
		ssHogs = append(ssHogs, hogTruth{agenttest.BRASUser(i), float64(8 * in), float64(8 * out)})
	}
	sortHogs(ssHogs)
	var rows []row
	for _, a := range []struct {
		kind string
		a    *agent
		hogs []hogTruth
	}{{"sim", &agent{Addr: bs.Addr(), Community: bs.Community()}, simHogs}, {"snmpsim", ss, ssHogs}} {
		errs, ranked, err := topAccuracy(ctx, a.a, a.hogs)
		if err != nil {
			return nil, err
		}
		s := summarise(errs)
		note := fmt.Sprintf("%d hogs among %d sessions; %d rates; the hogs ranked first in %d of %d cycles with rates", len(a.hogs), topSessions, s.N, ranked, topAccuracyCycles-2)
		m := fmt.Sprintf("top hog rate error, %s %s", sizeName(topSessions), a.kind)
		rows = append(rows, newRow("7", m+" p50", "%", s.P50), withNote(newRow("7", m+" max", "%", s.Max), note))
	}
	return rows, nil
}

// sortHogs orders hogs by total rate, the largest first, as top ranks them.
func sortHogs(hogs []hogTruth) {
	rs := make([]ranking.Row, len(hogs))
	for i, h := range hogs {
		rs[i] = ranking.Row{Interface: &ranking.Interface{IfIndex: i, User: h.user}, LatestIn: h.inBps, LatestOut: h.outBps, HasLatest: true}
	}
	ranking.Sort(rs, ranking.ByTotal)
	sorted := make([]hogTruth, len(hogs))
	for i, r := range rs {
		sorted[i] = hogs[r.IfIndex]
	}
	copy(hogs, sorted)
}
