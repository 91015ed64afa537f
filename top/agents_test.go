package top

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/faultproxy"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// dial returns an SNMP v2c client of the agent.
func dial(t *testing.T, target snmp.Target, community string) snmp.Client {
	t.Helper()
	c, err := snmp.Dial(context.Background(), snmp.Config{Target: target, Community: secret.Secret(community), Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// run makes n cycles of a top run at 1 s and returns them.
func run(t *testing.T, c snmp.Client, router string, n int) []ranking.Cycle {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := make(chan ranking.Cycle, n)
	tp := New(c, Config{Router: router, Interval: time.Second, Timeout: 2 * time.Second, Retries: 1, Count: n})
	if err := tp.Run(ctx, out); err != nil {
		t.Fatal(err)
	}
	close(out)
	var got []ranking.Cycle
	for c := range out {
		if c.Err != "" {
			t.Errorf("cycle %d: %s", c.Number, c.Err)
		}
		got = append(got, c)
	}
	if len(got) != n {
		t.Fatalf("%d cycles, want %d", len(got), n)
	}
	return got
}

// hog is a subscriber that must rank first, with its rates in b/s.
type hog struct {
	user          string
	inBps, outBps float64
}

// checkHogs checks that the hogs are the cycle's first rows, in order,
// with rates within 2% of the truth.
func checkHogs(t *testing.T, c ranking.Cycle, hogs []hog) {
	t.Helper()
	if len(c.Rows) < len(hogs) {
		t.Fatalf("%d rows, want at least the %d hogs", len(c.Rows), len(hogs))
	}
	for k, h := range hogs {
		row := c.Rows[k]
		if row.User != h.user || row.Rank != k+1 {
			t.Errorf("rank %d: %q, want hog %q", k+1, row.User, h.user)
			continue
		}
		t.Logf("hog %s: in %+.3f%% out %+.3f%% (%s, interval %v)", h.user, 100*(row.LatestIn/h.inBps-1), 100*(row.LatestOut/h.outBps-1), row.Status, row.Interval)
		if !row.HasLatest || !within(row.LatestIn, h.inBps, 0.02) || !within(row.LatestOut, h.outBps, 0.02) {
			t.Errorf("hog %s (%s): %.0f/%.0f b/s, want %.0f/%.0f within 2%%", h.user, row.Status, row.LatestIn, row.LatestOut, h.inBps, h.outBps)
		}
	}
}

func within(got, want, frac float64) bool {
	return got >= want*(1-frac) && got <= want*(1+frac)
}

// TestTopSimulatorHogs: on the simulated BRAS with 4000 sessions and five
// backhaul hogs, the hogs rank first, the DNS-amplification victim on
// top, each within 2% of its rate, and a cycle fits in its second.
func TestTopSimulatorHogs(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 4000, Hogs: 5, Seed: 7, NoSSH: true})
	target, err := snmp.ParseTarget(sim.Addr())
	if err != nil {
		t.Fatal(err)
	}
	var hogs []hog
	for _, h := range sim.Hogs() {
		hogs = append(hogs, hog{h.User, h.InBps, h.OutBps})
	}
	cs := run(t, dial(t, target, sim.Community()), sim.Addr(), 5)
	last := cs[len(cs)-1]
	if len(last.Rows) != 4000 {
		t.Errorf("%d rows, want the 4000 sessions", len(last.Rows))
	}
	checkHogs(t, last, hogs)
	t.Logf("walk of 4000 sessions: %v", last.Walk())
}

// TestTopSnmpsimHogs: the same on snmpsim serving a generated BRAS of
// 2000 casn sessions whose counters grow at configured rates.
func TestTopSnmpsimHogs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpsimd")
	}
	const n = 2000
	hogAt := map[int][2]uint64{1500: {150_000, 100_000_000}, 20: {2_000_000, 60_000_000}, 999: {10_000, 40_000_000}}
	rate := func(i int) (uint64, uint64) {
		if r, ok := hogAt[i]; ok {
			return r[0], r[1]
		}
		return uint64(100 + i%50*37), uint64(1000 + i%97*1013) // at most 100 kB/s
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bras.snmprec"), agenttest.BRASSnmprec(n, rate), 0o644); err != nil {
		t.Fatal(err)
	}
	sim := agenttest.StartSnmpsim(t, dir)
	var hogs []hog
	for _, i := range []int{1500, 20, 999} {
		in, out := rate(i)
		hogs = append(hogs, hog{agenttest.BRASUser(i), float64(8 * in), float64(8 * out)})
	}
	cs := run(t, dial(t, sim.Target, "bras"), sim.Addr(), 5)
	last := cs[len(cs)-1]
	if len(last.Rows) != n {
		t.Errorf("%d rows, want the %d sessions", len(last.Rows), n)
	}
	checkHogs(t, last, hogs)
	t.Logf("walk of %d sessions: %v", n, last.Walk())
}

// TestTopSimulatorChurn: on the simulated BRAS, on a clock of the test's,
// a third of the sessions reconnect every 5 s and take back the freed
// Virtual-Accesses in another order (IOS reuses them): after every cycle
// each row names the subscriber the router has on its ifIndex, every
// session is a row, and no rate is more than its subscriber can send.
func TestTopSimulatorChurn(t *testing.T) {
	clock := snmptest.NewClock(time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC))
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 300, Seed: 11, NoSSH: true, Now: clock.Now,
		Flap: 5 * time.Second, FlapShare: 0.3, ReuseInterfaces: true})
	target, err := snmp.ParseTarget(sim.Addr())
	if err != nil {
		t.Fatal(err)
	}
	tp := New(dial(t, target, sim.Community()), Config{Router: sim.Addr(), Now: clock.Now})
	if err := tp.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	back := 0 // rows of sessions that came back
	for k := 0; k < 22; k++ {
		c := tp.Cycle(context.Background())
		if c.Err != "" {
			t.Fatalf("cycle %d: %s", c.Number, c.Err)
		}
		now := map[int]brassim.Session{}
		for _, s := range sim.Sessions() {
			now[s.IfIndex] = s
		}
		if len(c.Rows) != len(now) {
			t.Errorf("cycle %d: %d rows, %d sessions", c.Number, len(c.Rows), len(now))
		}
		for _, r := range c.Rows {
			s, ok := now[r.IfIndex]
			if !ok || s.User != r.User {
				t.Fatalf("cycle %d: ifIndex %d is %q's row, but the router has %q on it", c.Number, r.IfIndex, r.User, s.User)
			}
			if r.Status == sample.StatusFirst && k > 0 {
				back++
			}
			if r.Status.HasRate() && (r.InBps > 8*float64(s.Shape.InHigh)*1.001+8 || r.OutBps > 8*float64(s.Shape.OutHigh)*1.001+8) {
				t.Errorf("cycle %d: %s at %.0f/%.0f b/s, more than its %d/%d B/s peak", c.Number, r.User, r.InBps, r.OutBps, s.Shape.InHigh, s.Shape.OutHigh)
			}
		}
		clock.Add(time.Second)
	}
	if back == 0 {
		t.Errorf("no session came back in 22 cycles")
	}
}

// TestTopLossySimulator: through a link that loses 15% of the datagrams
// each way, requests are sent again (each timed by its own attempt), rows
// a cycle could not read are gaps, and every rate measured is still true:
// the hogs within 2%, no row above its subscriber's peak.
func TestTopLossySimulator(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 400, Hogs: 3, Seed: 5, NoSSH: true})
	lossy := faultproxy.Start(t, faultproxy.Config{Upstream: sim.Addr(), Seed: 9,
		ToAgent: faultproxy.Faults{Drop: 0.15}, ToClient: faultproxy.Faults{Drop: 0.15}})
	target, err := snmp.ParseTarget(lossy.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c, err := snmp.Dial(context.Background(), snmp.Config{Target: target, Community: secret.Secret(sim.Community()), Timeout: 200 * time.Millisecond, Retries: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	peak := map[string][2]float64{}
	for _, s := range sim.Sessions() {
		peak[s.User] = [2]float64{8 * float64(s.Shape.InHigh), 8 * float64(s.Shape.OutHigh)}
	}
	truth := map[string]brassim.Hog{}
	for _, h := range sim.Hogs() {
		truth[h.User] = h
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := make(chan ranking.Cycle, 8)
	if err := New(c, Config{Router: lossy.Addr(), Timeout: 200 * time.Millisecond, Retries: 5, Count: 6}).Run(ctx, out); err != nil {
		t.Fatal(err)
	}
	close(out)
	rated := 0
	for cy := range out {
		for _, r := range cy.Rows {
			if !r.Status.HasRate() {
				continue
			}
			p := peak[r.User]
			if r.InBps > p[0]*1.02+8 || r.OutBps > p[1]*1.02+8 {
				t.Errorf("cycle %d: %s at %.0f/%.0f b/s, above its peak %.0f/%.0f", cy.Number, r.User, r.InBps, r.OutBps, p[0], p[1])
			}
			if h, ok := truth[r.User]; ok {
				rated++
				if !within(r.InBps, h.InBps, 0.02) || !within(r.OutBps, h.OutBps, 0.02) {
					t.Errorf("cycle %d: hog %s at %.0f/%.0f b/s, want %.0f/%.0f within 2%%", cy.Number, r.User, r.InBps, r.OutBps, h.InBps, h.OutBps)
				}
			}
		}
	}
	st := lossy.Stats()
	if rated == 0 || st.ToAgent.Dropped+st.ToClient.Dropped == 0 {
		t.Errorf("%d hog rates, %d+%d datagrams lost: want both", rated, st.ToAgent.Dropped, st.ToClient.Dropped)
	}
}
