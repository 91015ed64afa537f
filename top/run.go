package top

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/fanout"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// GCPercent is the garbage collector's target stg top runs under when
// neither GOGC nor GOMEMLIMIT is set (runtime/debug.SetGCPercent). At
// 32,000 rows about 21 MB live on from cycle to cycle (some 660 bytes a
// row, BenchmarkEngineMemory) and each cycle leaves its decoded answers
// behind; Go's default (100) lets the process peak near 73 MB of RSS. At
// 50 it peaks near 60 MB for about a fifth more CPU per cycle. A fixed
// memory limit would do worse: set below what lives, the collector runs
// without pause.
const GCPercent = 50

// cycleBuffer is how many cycles may wait for each consumer: none. A
// cycle of 32,000 rows is some 6 MB, and a consumer that falls behind
// holds the next cycle back rather than memory growing.
const cycleBuffer = 0

// Settings are one stg top run: how to reach the router, and the engine's
// Config (its Now, OnNote and Progress are set by Run).
type Settings struct {
	// SNMP reaches the router; it has passed snmp.Config's Validate.
	SNMP snmp.Config
	// Config is the engine's.
	Config Config
}

// Outputs are where a run's cycles and what it tells the user go. Every
// field is optional.
type Outputs struct {
	// Consumers each take the whole cycle stream, of the first
	// Config.Limit rows when it is set.
	Consumers []Consumer
	// AllRows each take the whole cycle stream with every row, whatever
	// Config.Limit: a metrics endpoint that follows every row's counters.
	// When there are any, the engine ranks every row and Limit cuts the
	// cycles of Consumers only (limitRows).
	AllRows []Consumer
	// Note is told each note once, secrets taken out: how the router
	// serves its counters, the 32-bit counters read for some rows.
	Note func(text string)
	// Retry is told of each start-up request sent again because the
	// agent left it unanswered.
	Retry func(snmp.Retry)
	// Progress shows the walks of the names and sessions at start; it is
	// not called once the first cycle is under way.
	Progress func(ciscoresolve.Progress)
}

// Info is what a consumer knows of a run before its first cycle.
type Info struct {
	// Router is the router as the user gave it.
	Router string
	// Interval is the least time between cycle starts.
	Interval time.Duration
	// Follow starts polling one row for its 1-second chart (stg top's
	// Enter) on a client of its own, at Interval, until stop is called;
	// the stream is closed then. It ends with ctx too.
	Follow func(ctx context.Context, r ranking.Row) (samples <-chan sample.Sample, stop func(), err error)
}

// A Consumer is one output of a top run: the table of the terminal UI,
// the CSV or JSONL rows, a metrics endpoint. Run starts every consumer
// once the router's rows are known, then gives each its own copy of the
// cycle stream. A cycle's rows are shared and never change: a consumer
// reads them and keeps no copy it changes.
type Consumer interface {
	// Start prepares the output (it opens a socket, say); an error ends
	// the run before the first cycle.
	Start(run Info) error
	// Consume takes the cycles from in, in order, until in is closed
	// (the run made its last cycle), then returns. Returning earlier
	// (the user quit, the reader of a pipe went away) ends the run; an
	// error then is the run's, and ends the other consumers through ctx.
	Consume(ctx context.Context, in <-chan ranking.Cycle) error
}

// Run is a whole stg top run: it dials the router and probes it, starts
// the engine (the counter columns, the names, the sessions), then makes
// cycles and hands them to out's consumers until Config.Count cycles are
// done, a consumer ends the run, or ctx ends (not an error). It returns
// the error that ended the run, its message free of secrets, or nil.
func Run(ctx context.Context, s Settings, out Outputs) error {
	r := &runner{s: s, out: out}
	return secret.RedactError(r.run(ctx), s.SNMP.Secrets()...)
}

// runner is one Run's state.
type runner struct {
	s        Settings
	out      Outputs
	interval time.Duration // the engine's: Config.Interval, or its default
}

// run dials, starts the engine and runs the cycles and the consumers.
func (r *runner) run(ctx context.Context) error {
	c, err := snmp.Dial(ctx, r.s.SNMP)
	if err != nil {
		return err
	}
	defer c.Close()
	start := ctx // the start-up's requests are resent; a cycle's are its own
	if r.out.Retry != nil {
		start = snmp.WithRetryReport(ctx, r.out.Retry)
	}
	if err := snmp.Probe(start, c); err != nil {
		return fmt.Errorf("probe %s: %w", r.s.SNMP.Target, err)
	}
	cfg := r.s.Config
	if len(r.out.AllRows) > 0 {
		cfg.Limit = 0 // the cycles of Consumers are cut (consumers)
	}
	var starting atomic.Bool
	starting.Store(true)
	cfg.OnNote = r.note
	cfg.Progress = func(p ciscoresolve.Progress) {
		if starting.Load() && r.out.Progress != nil {
			r.out.Progress(p)
		}
	}
	tp := New(c, cfg)
	r.interval = tp.cfg.Interval
	if err := tp.Start(start); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	starting.Store(false)
	info := Info{Router: cfg.Router, Interval: r.interval, Follow: r.follow}
	var consume []fanout.Consume[ranking.Cycle]
	for _, cons := range r.consumers() {
		if err := cons.Start(info); err != nil {
			return err
		}
		consume = append(consume, cons.Consume)
	}
	// cycleCtx ends the cycles early: a signal, a consumer that stopped.
	// consumeCtx ends the consumers: a signal, a consumer that failed.
	cycleCtx, stopCycles := context.WithCancel(ctx)
	defer stopCycles()
	consumeCtx, stopConsumers := context.WithCancel(ctx)
	defer stopConsumers()
	cycles := make(chan ranking.Cycle)
	runErr := make(chan error, 1)
	go func() {
		runErr <- tp.Run(cycleCtx, cycles)
		close(cycles)
	}()
	consumeErr := fanout.Run(consumeCtx, cycles, consume, cycleBuffer, func(err error) {
		stopCycles()
		if err != nil {
			stopConsumers()
		}
	})
	if err := <-runErr; err != nil {
		return err
	}
	return consumeErr
}

// consumers returns every consumer of the run: those of Outputs.Consumers,
// given the first Config.Limit rows of each cycle when the engine ranks
// every row for those of Outputs.AllRows, then these.
func (r *runner) consumers() []Consumer {
	out := slices.Clone(r.out.Consumers)
	if len(r.out.AllRows) > 0 {
		for i, c := range out {
			out[i] = limitRows(c, r.s.Config.Limit)
		}
	}
	return append(out, r.out.AllRows...)
}

// note tells the user something once, without secrets.
func (r *runner) note(text string) {
	if r.out.Note != nil {
		r.out.Note(secret.Redact(text, r.s.SNMP.Secrets()...))
	}
}

// follow is Info.Follow: a poller of its own, on a client of its own, for
// the chart of one row.
func (r *runner) follow(ctx context.Context, row ranking.Row) (<-chan sample.Sample, func(), error) {
	c, err := snmp.Dial(ctx, r.s.SNMP)
	if err != nil {
		return nil, nil, secret.RedactError(err, r.s.SNMP.Secrets()...)
	}
	samples, stop := Follow(ctx, c, snmp.PollerConfig{
		Router: r.s.Config.Router, Interval: r.interval, Timeout: pollTimeout(r.s.SNMP.Timeout, r.interval),
		OnNote: r.note, PreRead: true,
	}, row)
	return samples, func() { stop(); c.Close() }, nil
}

// pollTimeout is the chart's per-poll deadline: -t, but never past 80% of
// the interval, as the poller of stg --if has it.
func pollTimeout(timeout, interval time.Duration) time.Duration {
	if limit := interval * 4 / 5; timeout <= 0 || timeout > limit {
		return limit
	}
	return timeout
}
