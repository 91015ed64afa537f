package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// costTargets are the target counts of measurement 4.
var costTargets = []int{1, 10, 100}

// costPolls and costBasePolls are the polls of the long and of the short
// run; their difference prices the polling without start-up.
const (
	costPolls     = 61
	costBasePolls = 1
)

// costResult is the CPU and memory of stg polling n targets at 1 Hz.
type costResult struct {
	Targets     int
	CPUPerPoll  time.Duration // start-up excluded
	MaxRSSk     int64
	LongCPU     time.Duration
	LongWall    time.Duration
	StartupCPU  time.Duration
	PollsPriced int
}

// measureCost runs stg on the first n interfaces of a for costBasePolls
// and for costPolls polls at 1 Hz and prices one poll from the difference.
func measureCost(ctx context.Context, stg stgBin, a *agent, ifIndexes []int, n int) (costResult, error) {
	args := func(polls int) []string {
		as := []string{"--count", strconv.Itoa(polls), "-i", "1s"}
		for _, ix := range ifIndexes[:n] {
			as = append(as, "--if", strconv.Itoa(ix))
		}
		return as
	}
	_, short, err := stg.poll(ctx, a, fmt.Sprintf("cost-%d-short", n), args(costBasePolls)...)
	if err != nil {
		return costResult{}, fmt.Errorf("cost of %d targets, short run: %w", n, err)
	}
	rows, long, err := stg.poll(ctx, a, fmt.Sprintf("cost-%d", n), args(costPolls)...)
	if err != nil {
		return costResult{}, fmt.Errorf("cost of %d targets: %w", n, err)
	}
	if len(rows) != n*costPolls {
		return costResult{}, fmt.Errorf("cost of %d targets: %d rows, want %d", n, len(rows), n*costPolls)
	}
	polls := costPolls - costBasePolls
	return costResult{Targets: n, CPUPerPoll: (long.CPU - short.CPU) / time.Duration(polls), MaxRSSk: long.MaxRSSk,
		LongCPU: long.CPU, LongWall: long.Wall, StartupCPU: short.CPU, PollsPriced: polls}, nil
}

// measureCosts runs measureCost for every costTargets count at once.
func measureCosts(ctx context.Context, stg stgBin, a *agent, ifIndexes []int) ([]costResult, error) {
	res := make([]costResult, len(costTargets))
	errs := make([]error, len(costTargets))
	var wg sync.WaitGroup
	for i, n := range costTargets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = measureCost(ctx, stg, a, ifIndexes, n)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// costRows turns measurement 4 into rows; the 1-target row is compared
// with the snmpget+sleep loop of the 1 s schedule run.
func costRows(cs []costResult, peer scheduleResult) []row {
	var rows []row
	peerCPUh := float64(peer.PeerCPU) / float64(max(peer.PeerPolls, 1)) * 3600 / 1e9
	for _, c := range cs {
		cpuh := c.CPUPerPoll.Seconds() * 3600
		r := newRow("4", fmt.Sprintf("CPU per hour at 1 Hz, %d target(s)", c.Targets), "s", cpuh)
		r.Note = fmt.Sprintf("(CPU of %d-poll run − %d-poll run) ÷ %d × 3600; %.0f µs/poll; start-up %.3f s CPU",
			costPolls, costBasePolls, c.PollsPriced, float64(c.CPUPerPoll)/1e3, c.StartupCPU.Seconds())
		rss := newRow("4", fmt.Sprintf("peak RSS, %d target(s)", c.Targets), "MB", float64(c.MaxRSSk)/1024)
		if c.Targets == 1 {
			r = r.vs("snmpget+sleep loop", peerCPUh)
			rss = rss.vs("snmpget (one run)", float64(peer.PeerMaxRSSk)/1024)
		}
		rows = append(rows, r, rss)
	}
	return rows
}

// tuiFrame is the TUI's frame render time at 200x50 from its Go benchmark,
// and the share of a core stg top's table takes per 32,000-row cycle.
type tuiFrame struct {
	P50, P99, CPUPct float64
	Top              []topFrame
}

// topFrame is one case of BenchmarkTopCycle: how the table was sorted or
// filtered, and its share of one core at one cycle a second.
type topFrame struct {
	Case   string
	CPUPct float64
}

// measureTUI runs the tui package's BenchmarkFrame (1 s case) and
// BenchmarkTopCycle and parses their metrics.
func measureTUI(ctx context.Context, repo string) (tuiFrame, error) {
	res, err := run(ctx, nil, "go", "-C", repo, "test", "-run", "^$", "-bench", "Frame/1s", "-benchtime", "300x", "./tui")
	if err != nil {
		return tuiFrame{}, err
	}
	t, err := parseFrameBench(res.Stdout)
	if err != nil {
		return tuiFrame{}, err
	}
	res, err = run(ctx, nil, "go", "-C", repo, "test", "-run", "^$", "-bench", "TopCycle", "-benchtime", "50x", "./tui")
	if err != nil {
		return tuiFrame{}, err
	}
	t.Top, err = parseTopCycleBench(res.Stdout)
	return t, err
}

// parseTopCycleBench reads the %cpu@1Hz metric of every BenchmarkTopCycle
// case.
func parseTopCycleBench(out []byte) ([]topFrame, error) {
	var fs []topFrame
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || !strings.HasPrefix(f[0], "BenchmarkTopCycle/") {
			continue
		}
		name := strings.TrimPrefix(f[0], "BenchmarkTopCycle/")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i]
		}
		for i := 1; i+1 < len(f); i++ {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil && f[i+1] == "%cpu@1Hz" {
				fs = append(fs, topFrame{name, v})
			}
		}
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("no BenchmarkTopCycle line with %%cpu@1Hz in:\n%s", out)
	}
	return fs, nil
}

// parseFrameBench finds the metrics of the first BenchmarkFrame line.
func parseFrameBench(out []byte) (tuiFrame, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || !strings.HasPrefix(f[0], "BenchmarkFrame") {
			continue
		}
		var t tuiFrame
		found := 0
		for i := 1; i+1 < len(f); i++ {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "p50-ms":
				t.P50, found = v, found+1
			case "p99-ms":
				t.P99, found = v, found+1
			case "%cpu@1fps":
				t.CPUPct, found = v, found+1
			}
		}
		if found == 3 {
			return t, nil
		}
	}
	return tuiFrame{}, fmt.Errorf("no BenchmarkFrame line with p50-ms, p99-ms and %%cpu@1fps in:\n%s", out)
}

// tuiRows turns the frame benchmark into rows.
func tuiRows(t tuiFrame) []row {
	rows := []row{
		newRow("4", "TUI frame 200x50, 2 targets, 1h window, p50", "ms", t.P50),
		withNote(newRow("4", "TUI frame 200x50, 2 targets, 1h window, p99", "ms", t.P99),
			fmt.Sprintf("%.2f%% of one core at 1 frame/s (go test -bench Frame/1s ./tui)", t.CPUPct)),
	}
	for _, f := range t.Top {
		how := "sorted by " + f.Case
		if f.Case == "filter" {
			how = "filtered"
		}
		rows = append(rows, withNote(newRow("7", "top TUI, 32k rows 200x50, "+how, "% core", f.CPUPct).goal(2),
			"taking a cycle and drawing a frame, at 1 cycle/s (go test -bench TopCycle ./tui)"))
	}
	return rows
}
