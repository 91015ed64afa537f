package top

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// recorder is a Consumer that keeps what it was given; it returns after
// stopAfter cycles when that is set, with err.
type recorder struct {
	stopAfter int
	err       error
	startErr  error

	mu     sync.Mutex
	info   Info
	cycles []ranking.Cycle
}

func (r *recorder) Start(info Info) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.info = info
	return r.startErr
}

func (r *recorder) Consume(_ context.Context, in <-chan ranking.Cycle) error {
	for c := range in {
		r.mu.Lock()
		r.cycles = append(r.cycles, c)
		n := len(r.cycles)
		r.mu.Unlock()
		if r.stopAfter > 0 && n >= r.stopAfter {
			return r.err
		}
	}
	return nil
}

// runSettings are the settings of a run on sim.
func runSettings(t *testing.T, sim *brassim.Sim, count int) Settings {
	t.Helper()
	target, err := snmp.ParseTarget(sim.Addr())
	if err != nil {
		t.Fatal(err)
	}
	return Settings{
		SNMP:   snmp.Config{Target: target, Version: snmp.Version2c, Community: secret.Secret(sim.Community()), Timeout: time.Second, Retries: 2},
		Config: Config{Router: sim.Addr(), Version: "2c", Interval: 200 * time.Millisecond, Timeout: time.Second, Retries: 2, Count: count},
	}
}

// TestRunFansOutCycles: every consumer gets every cycle, in order, with
// the run's Info; the start's progress and the notes reach Outputs; the
// pipe's rows carry the rank.
func TestRunFansOutCycles(t *testing.T) {
	const n = 100 // a walk reports its progress every 64 rows
	sim := agenttest.StartSim(t, brassim.Options{Sessions: n, Hogs: 2, Seed: 3, NoSSH: true})
	a, b := &recorder{}, &recorder{}
	var rows bytes.Buffer
	// Until the consumers start, each reading of the clock is 2 s later:
	// the start's walks run long enough to show their progress.
	var mu sync.Mutex
	var skew time.Duration
	started := func() bool { a.mu.Lock(); defer a.mu.Unlock(); return a.info.Router != "" }
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		if !started() {
			skew += 2 * time.Second
		}
		return time.Now().Add(skew)
	}
	var progress, late int
	out := Outputs{Consumers: []Consumer{a, b, PipeRows(&rows, record.FormatCSV)}, Progress: func(ciscoresolve.Progress) {
		progress++
		if started() {
			late++
		}
	}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := runSettings(t, sim, 4)
	s.Config.Now = now
	if err := Run(ctx, s, out); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*recorder{a, b} {
		if len(r.cycles) != 4 || r.info.Router != sim.Addr() || r.info.Interval != 200*time.Millisecond || r.info.Follow == nil {
			t.Fatalf("a consumer got %d cycles and %+v, want 4 and the run's info", len(r.cycles), r.info)
		}
		for i, c := range r.cycles {
			if c.Number != i+1 || len(c.Rows) != n {
				t.Errorf("cycle %d: number %d, %d rows; want %d and %d", i, c.Number, len(c.Rows), i+1, n)
			}
		}
	}
	if progress == 0 || late > 0 {
		t.Errorf("%d progress reports of the start-up walks, %d after the start; want some, then none", progress, late)
	}
	rec, err := record.ReadRecording(&rows)
	if err != nil || len(rec.Samples) != 4*n || len(rec.Ranks) != 4*n {
		t.Fatalf("piped rows: %d rows, %d ranks, %v", len(rec.Samples), len(rec.Ranks), err)
	}
	// The reader sorts rows by time: a cycle's rows are timed each by its
	// answer, not ranked in time order.
	hogs := sim.Hogs()
	first := map[int]string{}
	for k := len(rec.Samples) - n; k < len(rec.Samples); k++ {
		first[rec.Ranks[k]] = rec.Samples[k].Target
	}
	if first[1] != hogs[0].User || first[2] != hogs[1].User {
		t.Errorf("the last cycle ranks %s, %s first; want the hogs %s, %s", first[1], first[2], hogs[0].User, hogs[1].User)
	}
}

// TestRunAllRows: with a consumer of every row, the engine ranks every
// row and Config.Limit cuts the cycles of the other consumers only: those
// get the first Limit rows of the same cycles, the sums and the number of
// rows ranked unchanged; a consumer of the cut cycles that quits still
// ends the run.
func TestRunAllRows(t *testing.T) {
	const sessions, limit = 12, 3
	sim := agenttest.StartSim(t, brassim.Options{Sessions: sessions, Hogs: 2, Seed: 3, NoSSH: true})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := runSettings(t, sim, 3)
	s.Config.Limit = limit
	cut, all := &recorder{}, &recorder{}
	var rows bytes.Buffer
	if err := Run(ctx, s, Outputs{Consumers: []Consumer{cut, PipeRows(&rows, record.FormatCSV)}, AllRows: []Consumer{all}}); err != nil {
		t.Fatal(err)
	}
	if len(all.cycles) != 3 || len(cut.cycles) != 3 || all.info.Router != sim.Addr() {
		t.Fatalf("%d and %d cycles, info %+v; want 3 each and the run's info", len(all.cycles), len(cut.cycles), all.info)
	}
	for i, c := range all.cycles {
		k := cut.cycles[i]
		if len(c.Rows) != sessions || c.Ranked != sessions {
			t.Errorf("cycle %d: %d rows of %d ranked to the consumer of every row, want %d", i+1, len(c.Rows), c.Ranked, sessions)
		}
		if len(k.Rows) != limit || k.Ranked != c.Ranked || k.Number != c.Number || k.InBps != c.InBps || k.OutBps != c.OutBps {
			t.Errorf("cycle %d cut: %d rows of %d ranked, sums %.0f/%.0f; want %d of %d, sums %.0f/%.0f",
				i+1, len(k.Rows), k.Ranked, k.InBps, k.OutBps, limit, c.Ranked, c.InBps, c.OutBps)
		}
		for j := range k.Rows {
			if k.Rows[j].Interface != c.Rows[j].Interface || k.Rows[j].Rank != j+1 {
				t.Errorf("cycle %d row %d: %+v, want the row ranked %d of every row", i+1, j, k.Rows[j], j+1)
			}
		}
	}
	if rec, err := record.ReadRecording(&rows); err != nil || len(rec.Samples) != 3*limit {
		t.Errorf("piped rows: %d, %v; want %d", len(rec.Samples), err, 3*limit)
	}
	quit := &recorder{stopAfter: 1}
	s.Config.Count = 0
	if err := Run(ctx, s, Outputs{Consumers: []Consumer{quit}, AllRows: []Consumer{&recorder{}}}); err != nil || len(quit.cycles) != 1 {
		t.Errorf("a consumer of cut cycles that quit: %v after %d cycles, want nil after 1", err, len(quit.cycles))
	}
}

// TestRunEndsWithAConsumer: a consumer that returns ends the run (nil, or
// its error), one whose Start fails ends it before the first cycle.
func TestRunEndsWithAConsumer(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 10, Seed: 3, NoSSH: true})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	quit := &recorder{stopAfter: 2}
	other := &recorder{}
	if err := Run(ctx, runSettings(t, sim, 0), Outputs{Consumers: []Consumer{quit, other}}); err != nil {
		t.Errorf("a consumer that quit: %v, want nil", err)
	}
	if len(quit.cycles) != 2 || len(other.cycles) < 2 {
		t.Errorf("the quitter got %d cycles, the other %d", len(quit.cycles), len(other.cycles))
	}
	failed := errors.New("disk full")
	if err := Run(ctx, runSettings(t, sim, 0), Outputs{Consumers: []Consumer{&recorder{stopAfter: 1, err: failed}}}); !errors.Is(err, failed) {
		t.Errorf("a consumer that failed: %v, want its error", err)
	}
	never := &recorder{startErr: errors.New("listen :9100: address in use")}
	if err := Run(ctx, runSettings(t, sim, 0), Outputs{Consumers: []Consumer{never}}); err == nil || len(never.cycles) != 0 {
		t.Errorf("a consumer that failed to start: %v after %d cycles, want its error before any", err, len(never.cycles))
	}
}

// TestRunFollow: Info.Follow polls one row for its chart until stop.
func TestRunFollow(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 10, Hogs: 1, Seed: 3, NoSSH: true})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r := &recorder{}
	if err := Run(ctx, runSettings(t, sim, 3), Outputs{Consumers: []Consumer{r}}); err != nil {
		t.Fatal(err)
	}
	row := r.cycles[2].Rows[0]
	samples, stop, err := r.info.Follow(ctx, row)
	if err != nil {
		t.Fatal(err)
	}
	var got []sample.Sample
	for s := range samples {
		got = append(got, s)
		if len(got) == 3 {
			stop()
		}
	}
	if len(got) < 3 || got[0].Target != brassim.UserVictim || got[0].IfIndex != row.IfIndex || got[2].Status == sample.StatusGapDiscontinuity {
		t.Errorf("followed %s: %+v", row.Target, got)
	}
}

// TestRunErrorsHoldNoSecret: an agent that does not answer is a start-up
// error naming the router, without the community.
func TestRunErrorsHoldNoSecret(t *testing.T) {
	h := agenttest.StartHostile(t, func(agenttest.HostileRequest) []agenttest.HostileReply { return nil })
	s := Settings{
		SNMP:   snmp.Config{Target: h.Target, Version: snmp.Version2c, Community: "s3cret-community", Timeout: 100 * time.Millisecond, Retries: 1},
		Config: Config{Router: h.Target.Addr() + " (s3cret-community)"},
	}
	err := Run(context.Background(), s, Outputs{})
	if err == nil || strings.Contains(err.Error(), "s3cret-community") || !strings.Contains(err.Error(), h.Target.Addr()) {
		t.Errorf("error %v: want one naming the agent without the community", err)
	}
}
