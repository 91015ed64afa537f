package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/stg-project/stg/internal/metrics"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/session"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/top"
)

// Back-off of a part of a router that does not start: it waits minBackoff,
// then twice as long each time up to maxBackoff; a run that lasted
// steadyRun starts the count again.
const (
	minBackoff = time.Second
	maxBackoff = time.Minute
	steadyRun  = time.Minute
)

// Options are what Run needs.
type Options struct {
	// ConfigPath is the file of routers; Listen where /metrics is
	// served (see metrics.ListenAddr).
	ConfigPath, Listen string
	// JSON logs as JSON lines; else logfmt.
	JSON bool
	// Env looks up the secrets the file names by variable.
	Env func(string) (string, bool)
	// Log receives the log (stderr).
	Log io.Writer
	// Reload receives a value for each reload asked for (SIGHUP).
	Reload <-chan os.Signal
}

// Run reads the file, serves /metrics and polls every router until ctx
// ends; on each value of Reload it reads the file again and adds,
// restarts or stops the routers that changed, or logs why the file does
// not read and keeps the running configuration. It returns an error when
// it cannot start: the file does not read, the address cannot be opened.
func Run(ctx context.Context, o Options) error {
	var h slog.Handler = slog.NewTextHandler(o.Log, nil)
	if o.JSON {
		h = slog.NewJSONHandler(o.Log, nil)
	}
	log := slog.New(h)
	cfg, err := Load(o.ConfigPath, o.Env)
	if err != nil {
		return err
	}
	store := metrics.NewStore(metrics.ReadBuildInfo())
	srv, err := metrics.Listen(o.Listen, store, slog.NewLogLogger(h, slog.LevelWarn).Writer())
	if err != nil {
		return err
	}
	defer srv.Close()
	log.Info("serving", "metrics", "http://"+srv.Addr()+"/metrics", "config", o.ConfigPath, "routers", len(cfg.Routers))
	if w := srv.Warning(); w != "" {
		log.Warn(w)
	}
	s := newSupervisor(ctx, func(ctx context.Context, r Router) { runRouter(ctx, r, store, log) }, store.Forget)
	defer s.stopAll()
	s.apply(cfg)
	for {
		select {
		case <-ctx.Done():
			log.Info("stopping")
			return nil
		case <-o.Reload:
			next, err := Load(o.ConfigPath, o.Env)
			if err != nil {
				log.Error("reload failed: the running configuration stays", "err", err)
				continue
			}
			added, changed, removed := s.apply(next)
			log.Info("reloaded", "config", o.ConfigPath, "added", added, "changed", changed, "removed", removed)
		}
	}
}

// supervisor runs each router of the configuration in a goroutine of its
// own.
type supervisor struct {
	ctx context.Context
	// run polls a router until its context ends; forget takes the
	// series of a router that stopped away.
	run     func(ctx context.Context, r Router)
	forget  func(name string)
	running map[string]*running
}

// running is one router's goroutine.
type running struct {
	r      Router
	cancel context.CancelFunc
	done   chan struct{}
}

func newSupervisor(ctx context.Context, run func(ctx context.Context, r Router), forget func(name string)) *supervisor {
	return &supervisor{ctx: ctx, run: run, forget: forget, running: map[string]*running{}}
}

// apply makes the running routers those of cfg: it stops the routers it
// no longer lists and those that changed, and starts the changed and new
// ones; a router that did not change keeps running. It returns the names
// of each kind.
func (s *supervisor) apply(cfg *Config) (added, changed, removed []string) {
	want := map[string]Router{}
	for _, r := range cfg.Routers {
		want[r.Name] = r
	}
	for name, run := range s.running {
		if r, ok := want[name]; !ok || !r.same(run.r) {
			run.cancel()
			<-run.done
			delete(s.running, name)
			s.forget(name)
			if ok {
				changed = append(changed, name)
			} else {
				removed = append(removed, name)
			}
		}
	}
	for _, r := range cfg.Routers {
		if _, ok := s.running[r.Name]; ok {
			continue
		}
		if !slices.Contains(changed, r.Name) {
			added = append(added, r.Name)
		}
		ctx, cancel := context.WithCancel(s.ctx)
		run := &running{r: r, cancel: cancel, done: make(chan struct{})}
		s.running[r.Name] = run
		go func() {
			defer close(run.done)
			s.run(ctx, r)
		}()
	}
	return added, changed, removed
}

// stopAll stops every router and waits for them.
func (s *supervisor) stopAll() {
	for name, run := range s.running {
		run.cancel()
		<-run.done
		delete(s.running, name)
	}
}

// runRouter polls one router until ctx ends: its interfaces in one
// session, each user in a session of its own (a subscriber offline at the
// start holds no other target back), and its top, each part started again
// with a back-off when it fails to start.
func runRouter(ctx context.Context, r Router, store *metrics.Store, log *slog.Logger) {
	log = log.With("router", r.Name)
	log.Info("polling", "address", r.SNMP.Target.String(), "interfaces", len(r.Interfaces), "users", len(r.Users), "top", r.Top, "interval", r.Interval.String())
	var wg sync.WaitGroup
	part := func(what string, run func(ctx context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keepRunning(ctx, log.With("part", what), r, store, run)
		}()
	}
	out := session.Outputs{Note: func(text string) { log.Info("note", "text", text) }}
	if len(r.Interfaces) > 0 {
		part("interfaces", func(ctx context.Context) error {
			return session.Run(ctx, sessionConfig(r, r.Interfaces, nil), withConsumer(out, store, log))
		})
	}
	for _, u := range r.Users {
		part("user "+u, func(ctx context.Context) error {
			return session.Run(ctx, sessionConfig(r, nil, []string{u}), withConsumer(out, store, log))
		})
	}
	if r.Top > 0 {
		part("top", func(ctx context.Context) error { return runTop(ctx, r, store, out.Note) })
	}
	wg.Wait()
}

// withConsumer returns out with consumers of its own: the samples into
// store, and the log of targets that stop or start answering.
func withConsumer(out session.Outputs, store *metrics.Store, log *slog.Logger) session.Outputs {
	out.Consumers = []session.Consumer{store.Consumer(), answers{log}}
	return out
}

// answers is the consumer that logs a target that stops answering (a
// timeout after an answer), one that goes offline, and each that comes
// back: once per change, not once per poll.
type answers struct{ log *slog.Logger }

// Start implements session.Consumer.
func (answers) Start(session.Info) error { return nil }

// Consume implements session.Consumer.
func (a answers) Consume(_ context.Context, in <-chan sample.Sample) error {
	last := map[string]sample.Status{}
	for s := range in {
		was, seen := last[s.Target]
		last[s.Target] = s.Status
		switch {
		case s.Status == was || !seen && !s.Status.IsGap():
		case s.Status == sample.StatusGapTimeout || s.Status == sample.StatusOffline:
			a.log.Warn("target lost", "target", s.Target, "status", string(s.Status))
		case was == sample.StatusGapTimeout || was == sample.StatusOffline:
			a.log.Info("target back", "target", s.Target, "status", string(s.Status), "ifName", s.IfName)
		}
	}
	return nil
}

// keepRunning runs one part of a router until ctx ends, again after a
// back-off each time it returns early with an error (it could not
// start), which it logs.
func keepRunning(ctx context.Context, log *slog.Logger, r Router, store *metrics.Store, run func(ctx context.Context) error) {
	backoff := minBackoff
	for {
		start := time.Now()
		err := run(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) >= steadyRun {
			backoff = minBackoff
		}
		if err == nil {
			err = fmt.Errorf("stopped polling")
		}
		store.StartFailed(r.Name, errors.Is(err, snmp.ErrTimeout))
		log.Warn("not polling: trying again", "err", secret.RedactError(err, r.SNMP.Secrets()...).Error(), "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// sessionConfig is the session that polls ifaces and users of r.
func sessionConfig(r Router, ifaces, users []string) session.Config {
	return session.Config{SNMP: r.SNMP, Router: r.Name, Ifaces: ifaces, Users: users, Interval: r.Interval,
		Counters: r.Counters, Resolve: session.ResolveSNMP}
}

// runTop runs stg top's engine on r, its first r.Top rows into store,
// until ctx ends; it returns an error when it cannot start.
func runTop(ctx context.Context, r Router, store *metrics.Store, note func(string)) error {
	c, err := snmp.Dial(ctx, r.SNMP)
	if err != nil {
		return err
	}
	defer c.Close()
	cfg := top.Config{Router: r.Name, Version: string(r.SNMP.Version), Counters: string(r.Counters), Interval: r.Interval,
		Timeout: r.SNMP.Timeout, Retries: r.SNMP.Retries, OnNote: note}
	if r.Filter != "" {
		if cfg.Filter, err = regexp.Compile(r.Filter); err != nil {
			return fmt.Errorf("top of %s: filter: %w", r.Name, err)
		}
	}
	cycles := make(chan ranking.Cycle, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		store.ConsumeCycles(r.Name, cycles, r.Top)
	}()
	err = top.New(c, cfg).Run(ctx, cycles)
	close(cycles)
	<-done
	if err != nil {
		return fmt.Errorf("top of %s: %w", r.Name, err)
	}
	return nil
}
