package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/stg-project/stg/internal/faultproxy"
)

// Measurement 6: starts through a bad link.
const (
	// lossyStarts is how many starts each tool makes.
	lossyStarts = 40
	// lossyAtOnce is how many starts run at the same time, each through
	// its own proxy.
	lossyAtOnce = 10
)

// lossyLink drops 20% of the agent's replies and holds back 30% of the
// others by up to 800 ms.
var lossyLink = faultproxy.Faults{Drop: 0.2, Delayed: 0.3, MaxDelay: 800 * time.Millisecond}

// lossyTool is one way to start against an agent at addr; ok says whether
// the start succeeded.
type lossyTool struct {
	name string
	path string
	args func(addr string) []string
	ok   func(out []byte, err error) bool
}

// lossyTools are stg's start with default flags (a probe and the lookup
// of ifIndex 1, then two polls) and net-snmp's snmpget of sysUpTime.0 with
// its defaults (-t 1 -r 5).
func lossyTools(stg stgBin, community string) []lossyTool {
	return []lossyTool{
		{"stg", stg.path, func(addr string) []string {
			return []string{"--router", addr, "-c", community, "--if", "1", "--count", "2", "-o", "csv"}
		}, func(out []byte, err error) bool { return err == nil && strings.Count(string(out), "\n") == 3 }},
		{"snmpget (defaults)", snmpgetPath, func(addr string) []string {
			return []string{"-v2c", "-c", community, "-On", addr, oidSysUpTime}
		}, func(out []byte, err error) bool { return err == nil && strings.Contains(string(out), "Timeticks") }},
	}
}

// lossyResult is how a tool fared through a link.
type lossyResult struct {
	ok   int           // starts that succeeded
	wall time.Duration // median wall time of a start
}

// throughProxies runs tool n times, lossyAtOnce at a time, the i-th
// through a proxy of its own in front of upstream with faults, seeded i.
func throughProxies(ctx context.Context, tool lossyTool, upstream string, faults faultproxy.Faults, n int) (lossyResult, error) {
	var (
		mu    sync.Mutex
		res   lossyResult
		walls []time.Duration
		first error
	)
	slots := make(chan struct{}, lossyAtOnce)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			p, err := faultproxy.New(faultproxy.Config{Upstream: upstream, ToClient: faults, Seed: uint64(i + 1)})
			if err != nil {
				mu.Lock()
				first = err
				mu.Unlock()
				return
			}
			defer p.Close()
			r, err := run(ctx, nil, tool.path, tool.args(p.Addr())...)
			mu.Lock()
			defer mu.Unlock()
			walls = append(walls, r.Wall)
			if tool.ok(r.Stdout, err) {
				res.ok++
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return res, fmt.Errorf("%s through a fault proxy: %w", tool.name, first)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.wall = median(walls)
	return res, nil
}

// lossyRows runs measurement 6 against a: the share of lossyStarts starts
// of stg and of snmpget that succeed through lossyLink, and the time each
// takes to give up on a link that drops every reply.
func lossyRows(ctx context.Context, stg stgBin, a *agent) ([]row, error) {
	tools := lossyTools(stg, a.Community)
	var lossy, dead [2]lossyResult
	for k, tool := range tools {
		var err error
		if lossy[k], err = throughProxies(ctx, tool, a.Addr, lossyLink, lossyStarts); err != nil {
			return nil, err
		}
		if dead[k], err = throughProxies(ctx, tool, a.Addr, faultproxy.Faults{Drop: 1}, 3); err != nil {
			return nil, err
		}
		if dead[k].ok != 0 {
			return nil, fmt.Errorf("%s succeeded through a link that drops every reply", tool.name)
		}
	}
	share := func(r lossyResult) float64 { return 100 * float64(r.ok) / lossyStarts }
	ok := newRow("6", fmt.Sprintf("starts that succeed through 20%% reply loss + 30%% delayed ≤800 ms (of %d)", lossyStarts), "%", share(lossy[0])).
		vs(tools[1].name, share(lossy[1]))
	ok.HigherBetter = true
	ok.Note = fmt.Sprintf("median start: stg %s (probe, lookup, 2 polls 1 s apart), snmpget %s (one GET)",
		lossy[0].wall.Round(10*time.Millisecond), lossy[1].wall.Round(time.Millisecond))
	// To a tenth of a second: the milliseconds are process start-up.
	tenths := func(d time.Duration) float64 { return d.Round(100 * time.Millisecond).Seconds() }
	fail := newRow("6", "time to give up on a link that drops every reply (median of 3)", "s", tenths(dead[0].wall)).
		vs(tools[1].name, tenths(dead[1].wall))
	fail.Note = "both: 1 request + 5 resends of 1 s"
	return []row{ok, fail}, nil
}
