package session

import (
	"context"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/fanout"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// sampleBuffer is how many samples may wait for each consumer, so a slow
// terminal never delays a poll.
const sampleBuffer = 256

// run is one Run's state: its settings, where it tells things, and the SSH
// password of the run.
type run struct {
	cfg      Config
	out      Outputs
	debug    *log.Logger
	password *sshPassword
	keys     *ciscoresolve.Keys // SSH keys decrypted in this run
}

// newRun returns the state of a run of cfg.
func newRun(cfg Config, out Outputs) *run {
	r := &run{cfg: cfg, out: out, debug: cfg.Debug, password: newSSHPassword(out.AskPassword), keys: &ciscoresolve.Keys{}}
	if r.debug == nil {
		r.debug = log.New(io.Discard, "", 0)
	}
	return r
}

// Run polls cfg's targets and hands the samples to out's consumers until
// the count or the duration is done, a consumer ends the run, or ctx ends
// (a signal: not an error). It returns the error that ended the run, its
// message free of secrets, or nil.
func Run(ctx context.Context, cfg Config, out Outputs) error {
	r := newRun(cfg, out)
	err := r.run(ctx)
	if err != nil {
		err = secret.RedactError(err, r.secrets()...)
		r.debug.Printf("end: %s", err)
		return err
	}
	r.debug.Printf("end: normal")
	return nil
}

// run connects, finds the targets and polls them.
func (r *run) run(ctx context.Context) error {
	cfg := r.cfg
	r.debug.Printf("start: router %s, SNMP v%s, interval %s, targets %q %q",
		cfg.SNMP.Target, cfg.SNMP.Version, cfg.Interval, cfg.Ifaces, cfg.Users)
	c, err := snmp.Dial(ctx, cfg.SNMP)
	if err != nil {
		return err
	}
	defer c.Close()
	start := r.startupContext(ctx) // polls use ctx: they are never resent
	if err := snmp.Probe(start, c); err != nil {
		return fmt.Errorf("probe %s: %w", cfg.SNMP.Target, err)
	}
	targets, err := r.findTargets(start, c)
	if err != nil {
		return err
	}
	return r.poll(ctx, c, targets)
}

// startupContext returns ctx for the start-up requests (probe, interface
// lookup, resolution), which tells Outputs.Retry of each request sent
// again.
func (r *run) startupContext(ctx context.Context) context.Context {
	if r.out.Retry == nil {
		return ctx
	}
	return snmp.WithRetryReport(ctx, r.out.Retry)
}

// secrets lists what no message of the run may show.
func (r *run) secrets() []secret.Secret {
	return append(r.cfg.SNMP.Secrets(), r.cfg.SSH.Password, r.password.remembered())
}

// note tells the user something once: on Outputs.Note and in the debug
// log, without secrets.
func (r *run) note(text string) {
	text = secret.Redact(text, r.secrets()...)
	r.debug.Printf("note: %s", text)
	if r.out.Note != nil {
		r.out.Note(text)
	}
}

// poll runs the poller and the consumers until the count, the duration, a
// consumer or ctx ends the run.
func (r *run) poll(ctx context.Context, c snmp.Client, targets []snmp.PollTarget) error {
	cfg := r.cfg
	consumers := append([]Consumer{debugLog{r}}, r.out.Consumers...)
	info := Info{Router: cfg.Router, Interval: cfg.Interval}
	for _, t := range targets {
		info.Targets = append(info.Targets, t.Name)
	}
	for _, cons := range consumers {
		if err := cons.Start(info); err != nil {
			return err
		}
	}
	// --count and --duration are the poller's: it ends after a complete
	// poll. pctx ends the run early: a signal, a consumer that stopped.
	// cctx ends the consumers: a signal, a consumer that failed.
	pctx, stopPolling := context.WithCancel(ctx)
	defer stopPolling()
	cctx, stopConsumers := context.WithCancel(ctx)
	defer stopConsumers()
	p := snmp.NewPoller(c, snmp.PollerConfig{
		Router: cfg.Router, Interval: cfg.Interval, Timeout: r.pollTimeout(), Count: cfg.Count, Duration: cfg.Duration,
		OnNote: r.note, PreRead: true,
		Refind: r.refind,
	}, targets)
	raw := make(chan sample.Sample, sampleBuffer)
	pollErr := make(chan error, 1)
	go func() {
		pollErr <- p.Run(pctx, raw)
		close(raw)
	}()
	consumeErr := fanOut(cctx, raw, consumers, func(err error) {
		stopPolling()
		if err != nil {
			stopConsumers()
		}
	})
	err := <-pollErr
	if pctx.Err() != nil {
		err = nil // stopped by a signal or a consumer: not a failure
	}
	if err != nil {
		return err
	}
	return consumeErr
}

// fanOut hands every sample of in to each consumer (fanout.Run), in order,
// until in is closed and every consumer has returned, and returns the first
// error of a consumer. stopped is called, with its error, for a consumer
// that fails or returns before it took its last sample.
func fanOut(ctx context.Context, in <-chan sample.Sample, consumers []Consumer, stopped func(error)) error {
	consume := make([]fanout.Consume[sample.Sample], len(consumers))
	for i, c := range consumers {
		consume[i] = c.Consume
	}
	return fanout.Run(ctx, in, consume, sampleBuffer, stopped)
}

// pollTimeout is the per-poll deadline: -t, but never past 80% of the
// interval, so a poll ends before the next one is due.
func (r *run) pollTimeout() time.Duration {
	limit := r.cfg.Interval * 4 / 5
	if t := r.cfg.SNMP.Timeout; t > 0 && t < limit {
		return t
	}
	return limit
}

// debugLog is the consumer that logs the rows worth a look to --debug:
// errors and statuses without a rate.
type debugLog struct{ r *run }

// Start implements Consumer.
func (debugLog) Start(Info) error { return nil }

// Consume implements Consumer.
func (d debugLog) Consume(_ context.Context, in <-chan sample.Sample) error {
	for s := range in {
		if s.Err != "" || !s.Status.HasRate() {
			d.r.debug.Printf("sample %s ifIndex %d: %s rtt %s err %q", s.Target, s.IfIndex, s.Status, s.RTT,
				secret.Redact(s.Err, d.r.secrets()...))
		}
	}
	return nil
}
