package metrics

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/top"
)

// series returns the samples of one metric family, by ifIndex label
// ("user/ifIndex" when the user label is set).
func series(t *testing.T, s *Store, name string) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(s); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			key := label(m, "ifIndex")
			if u := label(m, "user"); u != "" {
				key = u + "/" + key
			}
			out[key] = m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return out
}

// label returns the value of m's label name.
func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// handRow is a row of a hand-made cycle on 32-bit counters, ranked by
// its rate.
func handRow(in *ranking.Interface, raw uint64, bps float64, st sample.Status) ranking.Row {
	return ranking.Row{Interface: in, Status: st, InBps: bps, OutBps: bps, InOctets: raw, OutOctets: raw, HasOctets: true,
		CounterBits: 32, LatestIn: bps, LatestOut: bps, HasLatest: st.HasRate(), Interval: time.Second}
}

// TestTopCycleBounded: only the first n rows of the latest cycle have
// series; a row that leaves them has none, and when it comes back its
// 32-bit counter goes on unwound from where it was (its wraps while it was
// out of view counted); a session that ended has none; a row on the same
// interface as a polled target shows once.
func TestTopCycleBounded(t *testing.T) {
	ifs := make([]*ranking.Interface, 4)
	for i := range ifs {
		ifs[i] = &ranking.Interface{IfIndex: 100 + i, IfName: "Vi2." + strconv.Itoa(i), User: "u" + strconv.Itoa(i), Target: "u" + strconv.Itoa(i)}
	}
	cycle := func(n int, rows ...ranking.Row) ranking.Cycle {
		ranking.Sort(rows, ranking.ByTotal)
		return ranking.Cycle{Router: "bras1", Number: n, Rows: rows, Ranked: len(rows)}
	}
	s := NewStore(BuildInfo{})
	s.TopCycle(cycle(1,
		handRow(ifs[0], 4_000_000_000, 1e9, sample.StatusOK), handRow(ifs[1], 10, 2e9, sample.StatusOK),
		handRow(ifs[2], 10, 10, sample.StatusOK), handRow(ifs[3], 10, 5, sample.StatusOK)), 2)
	got := series(t, s, "ifInOctets")
	if _, ok := got["u0/100"]; len(got) != 2 || got["u1/101"] != 0 || !ok {
		t.Errorf("cycle 1: %v, want the two first rows, u1 and u0, at 0", got)
	}
	// u0 wraps while it ranks third.
	s.TopCycle(cycle(2,
		handRow(ifs[0], 5, 1, sample.StatusWrap), handRow(ifs[1], 20, 2e9, sample.StatusOK),
		handRow(ifs[2], 20, 1e9, sample.StatusOK), handRow(ifs[3], 20, 5, sample.StatusOK)), 2)
	got = series(t, s, "ifInOctets")
	if _, ok := got["u0/100"]; len(got) != 2 || ok {
		t.Errorf("cycle 2: %v, want u1 and u2 only", got)
	}
	// u0 is back, u3's session ended, u2 reads nothing this cycle.
	s.TopCycle(cycle(3,
		handRow(ifs[0], 50, 3e9, sample.StatusOK), handRow(ifs[1], 30, 2e9, sample.StatusOK),
		ranking.Row{Interface: ifs[2], Status: sample.StatusGapTimeout, LatestIn: 1e9, LatestOut: 1e9, HasLatest: true}), 3)
	got = series(t, s, "ifInOctets")
	if len(got) != 2 || got["u0/100"] != 1<<32+50-4e9 || got["u1/101"] != 20 {
		t.Errorf("cycle 3: %v, want u0 at 2^32+50-4e9 (its wrap out of view counted) and u1 at 20 (u2 read nothing)", got)
	}
	if rates := series(t, s, "stg_if_in_bytes_per_second"); len(rates) != 2 || rates["u0/100"] != 3e9/8 {
		t.Errorf("cycle 3 rates: %v, want u0 and u1, u0 at 3e9/8 B/s", rates)
	}
	if _, ok := s.routers["bras1"].top.counters[ifs[3]]; ok {
		t.Error("the counters of u3, whose session ended, are still kept")
	}
	// A polled target on u1's interface: one series, the poll's.
	s.Record(sample.Sample{Router: "bras1", Target: "u1", User: "u1", IfIndex: 101, IfName: "Vi2.1", CounterBits: 32,
		InOctets: 31, OutOctets: 31, HasOctets: true, Status: sample.StatusOK})
	if got = series(t, s, "ifInOctets"); got["u1/101"] != 0 || len(got) != 2 {
		t.Errorf("with a poll of u1: %v, want u1 once, from the poll's first reading (0)", got)
	}
	if n := testutil.CollectAndCount(s, "stg_top_rows", "stg_top_cycles_total", "stg_top_cycle_seconds", "stg_top_lost_rows"); n != 4 {
		t.Errorf("%d top health series, want 4", n)
	}
	s.DropTop("bras1")
	if got = series(t, s, "ifInOctets"); len(got) != 1 {
		t.Errorf("after the top run ended: %v, want the polled target only", got)
	}
}

// TestTopEngineRows: the cycles of stg top's engine on the simulated BRAS
// with three hogs show, with n = 3, exactly the three hogs: their users
// as the user label, their rates in bytes per second, and nothing of the
// 300 other sessions.
func TestTopEngineRows(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 300, Hogs: 3, Seed: 5, NoSSH: true})
	target, err := snmp.ParseTarget(sim.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c, err := snmp.Dial(context.Background(), snmp.Config{Target: target, Community: secret.Secret(sim.Community()), Timeout: time.Second, Retries: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := NewStore(BuildInfo{})
	cycles := make(chan ranking.Cycle)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for cy := range cycles {
			s.TopCycle(cy, 3)
		}
	}()
	err = top.New(c, top.Config{Router: "bras1", Interval: 200 * time.Millisecond, Count: 5}).Run(ctx, cycles)
	close(cycles)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	in := series(t, s, "stg_if_in_bytes_per_second")
	out := series(t, s, "stg_if_out_bytes_per_second")
	if n := len(series(t, s, "ifHCInOctets")); n != 3 {
		t.Errorf("%d ifHCInOctets series, want 3", n)
	}
	if len(in) != 3 {
		t.Fatalf("rates of %v, want the 3 hogs", in)
	}
	for _, h := range sim.Hogs() {
		ifIndex, _, _ := sim.Lookup(h.User)
		key := fmt.Sprintf("%s/%d", h.User, ifIndex)
		if math.Abs(in[key]*8-h.InBps) > 0.02*h.InBps || math.Abs(out[key]*8-h.OutBps) > 0.02*h.OutBps {
			t.Errorf("hog %s: %.0f/%.0f B/s, want %.0f/%.0f within 2%%", key, in[key], out[key], h.InBps/8, h.OutBps/8)
		}
	}
}

// TestTopConsumer: the top.Consumer of a store keeps the first n rows of
// each cycle of the run's router while the run lasts, and drops them when
// the cycles end.
func TestTopConsumer(t *testing.T) {
	ifs := []*ranking.Interface{{IfIndex: 7, IfName: "Vi2.7", User: "anna"}, {IfIndex: 8, IfName: "Vi2.8", User: "ben"}, {IfIndex: 9, IfName: "Vi2.9", User: "cleo"}}
	s := NewStore(BuildInfo{})
	c := s.TopConsumer(2)
	if err := c.Start(top.Info{Router: "bras1", Interval: time.Second}); err != nil {
		t.Fatal(err)
	}
	in := make(chan ranking.Cycle)
	done := make(chan error, 1)
	go func() { done <- c.Consume(context.Background(), in) }()
	in <- ranking.Cycle{Router: "bras1", Number: 1, Ranked: 3, Rows: []ranking.Row{
		handRow(ifs[0], 30, 3e6, sample.StatusOK), handRow(ifs[1], 20, 2e6, sample.StatusOK), handRow(ifs[2], 10, 1e6, sample.StatusOK)}}
	in <- ranking.Cycle{Router: "bras1", Number: 2, Ranked: 3, Rows: []ranking.Row{
		handRow(ifs[2], 40, 4e6, sample.StatusOK), handRow(ifs[0], 30, 3e6, sample.StatusOK), handRow(ifs[1], 20, 2e6, sample.StatusOK)}}
	// The second cycle was taken once the third is: Collect shows it.
	last := ranking.Cycle{Router: "bras1", Number: 3, Ranked: 3, Rows: []ranking.Row{
		handRow(ifs[2], 50, 4e6, sample.StatusOK), handRow(ifs[0], 40, 3e6, sample.StatusOK), handRow(ifs[1], 30, 2e6, sample.StatusOK)}}
	in <- last
	got := series(t, s, "stg_if_in_bytes_per_second")
	if _, ok := got["cleo/9"]; len(got) != 2 || !ok || got["anna/7"] != 3e6/8 {
		t.Errorf("during the run: %v, want cleo and anna, the first 2 rows", got)
	}
	close(in)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := series(t, s, "stg_if_in_bytes_per_second"); len(got) != 0 {
		t.Errorf("after the run: %v, want no row", got)
	}
}
