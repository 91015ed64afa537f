package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/snmp"
)

// sampleBuffer is how many samples may wait between the poller and the
// consumer, so a slow terminal never delays a poll.
const sampleBuffer = 256

// runPoll is stg's main mode: it finds the targets on the router, polls them
// and hands the samples to the TUI, or writes them as CSV/JSONL when stdout
// is not a terminal.
func runPoll(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, getenv)
	if errors.Is(err, errHelp) {
		usage(stdout)
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "", err)
	}
	target, err := snmp.ParseTarget(o.Router)
	if err != nil {
		return usageError(stderr, "", err)
	}
	cfg := o.snmpConfig(target)
	if err := cfg.Validate(); err != nil {
		return usageError(stderr, "", errors.New(scrub(err.Error(), o.secrets()...)))
	}
	format := o.Output
	switch {
	case format == "auto" && isTerminal(stdout):
		format = "tui"
	case format == "auto":
		format = "csv" // piped: never start the TUI
	case format == "tui" && !isTerminal(stdout):
		return usageError(stderr, "", errors.New("-o tui needs a terminal on stdout: use -o csv or -o jsonl"))
	}
	debug, closeDebug, err := openDebugLog(o.Debug)
	if err != nil {
		return failure(stderr, o, err)
	}
	defer closeDebug()
	s := &session{o: o, cfg: cfg, format: format, debug: debug, find: newFinder(getenv, stderr), stdin: stdin, stdout: stdout, stderr: stderr}
	code, err := s.run(ctx)
	if err != nil {
		debug.Printf("end: %s", scrub(err.Error(), o.secrets()...))
		if ctx.Err() != nil {
			return exitOK // interrupted while starting: nothing to report
		}
		return failure(stderr, o, err)
	}
	return code
}

// secrets lists the options that must never be printed.
func (o *options) secrets() []snmp.Secret {
	return []snmp.Secret{o.Community, o.AuthPass, o.PrivPass, o.SSHPass}
}

// snmpConfig builds the client configuration of the options.
func (o *options) snmpConfig(t snmp.Target) snmp.Config {
	return snmp.Config{
		Target: t, Version: o.Version, Community: o.Community,
		SecLevel: o.SecLevel, SecName: o.SecName,
		AuthProto: o.AuthProto, AuthPass: o.AuthPass,
		PrivProto: o.PrivProto, PrivPass: o.PrivPass,
		Context: o.Context, Timeout: o.Timeout, Retries: o.Retries,
	}
}

// pollTimeout is the per-poll deadline: -t, but never past 80% of the
// interval, so a poll ends before the next one is due.
func (o *options) pollTimeout() time.Duration {
	limit := o.Interval * 4 / 5
	if o.Timeout > 0 && o.Timeout < limit {
		return o.Timeout
	}
	return limit
}

// isTerminal reports whether w is a terminal (a bytes.Buffer never is).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// openDebugLog opens the --debug file, or returns a logger that discards.
func openDebugLog(path string) (*log.Logger, func(), error) {
	if path == "" {
		return log.New(io.Discard, "", 0), func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open debug log: %w", err)
	}
	return log.New(f, "", log.LstdFlags|log.Lmicroseconds), func() { f.Close() }, nil
}

// session is one polling run from start-up to the last row.
type session struct {
	o      *options
	cfg    snmp.Config
	format string // "tui", "csv" or "jsonl"
	debug  *log.Logger
	find   finder // how --user is found: environment, SSH password, notes
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// run connects, finds the targets, polls and consumes the samples. It
// returns the exit code, or an error for exit 1.
func (s *session) run(ctx context.Context) (int, error) {
	o := s.o
	s.debug.Printf("start: router %s, SNMP v%s, interval %s, output %s, targets %q %q",
		s.cfg.Target, o.Version, o.Interval, s.format, o.Ifaces, o.Users)
	c, err := snmp.Dial(ctx, s.cfg)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	start := startupContext(ctx, s.stderr) // polls below use ctx: never resent
	if err := snmp.Probe(start, c); err != nil {
		return 0, fmt.Errorf("probe %s: %w", s.cfg.Target, err)
	}
	targets, err := s.selectInterfaces(start, c)
	if err != nil {
		return 0, err
	}
	if len(o.Users) > 0 {
		users, err := resolveUsers(start, o, s.find, c)
		if err != nil {
			return 0, err
		}
		targets = append(users, targets...)
	}
	return s.poll(ctx, c, targets)
}

// poll runs the poller and the consumer until the count, the duration, the
// consumer or ctx ends the run.
func (s *session) poll(ctx context.Context, c snmp.Client, targets []snmp.PollTarget) (int, error) {
	o := s.o
	var logFile io.Writer
	if o.LogPath != "" {
		f, err := os.Create(o.LogPath)
		if err != nil {
			return 0, fmt.Errorf("create --log file: %w", err)
		}
		defer f.Close()
		logFile = f
	}
	// --count and --duration are the poller's: it ends after a complete
	// poll. pctx ends the run early: a signal, a failed write, the TUI
	// quitting.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// lost carries the targets whose session dropped or whose interface
	// went away to follow, which finds them again; OnLost runs in the
	// poller and must not block.
	// The buffer covers the usual case; should it ever be full, the name is
	// handed over by a goroutine instead of being dropped, since the poller
	// reports each loss only once.
	lost := make(chan string, 2*len(targets))
	p := snmp.NewPoller(c, snmp.PollerConfig{
		Router: o.Router, Interval: o.Interval, Timeout: o.pollTimeout(), Count: o.Count, Duration: o.Duration,
		OnNote: s.note, PreRead: true,
		OnLost: func(name string) {
			select {
			case lost <- name:
			default:
				go func() {
					select {
					case lost <- name:
					case <-pctx.Done():
					}
				}()
			}
		},
	}, targets)
	following := make(chan struct{})
	go func() {
		defer close(following)
		follow(pctx, o, s.find, p, lost)
	}()
	raw := make(chan snmp.Sample, sampleBuffer)
	runErr := make(chan error, 1)
	go func() {
		runErr <- p.Run(pctx, raw)
		close(raw)
	}()
	var consumeErr error
	if s.format == "tui" {
		consumeErr = s.showTUI(pctx, cancel, raw, logFile, targets)
	} else {
		consumeErr = s.writeRows(cancel, raw, logFile)
	}
	for range raw { // the consumer stopped early: let the poller finish
	}
	err := <-runErr
	if pctx.Err() != nil {
		err = nil // stopped by a signal or the consumer: not a failure
	}
	cancel()
	<-following
	if err != nil {
		return 0, err
	}
	if consumeErr != nil {
		return 0, consumeErr
	}
	s.debug.Printf("end: normal")
	return exitOK, nil
}

// selectInterfaces finds every --if interface and picks its counters.
func (s *session) selectInterfaces(ctx context.Context, c snmp.Client) ([]snmp.PollTarget, error) {
	var targets []snmp.PollTarget
	for _, spec := range s.o.Ifaces {
		t, it, err := interfaceTarget(ctx, s.o, c, spec)
		if err != nil {
			return nil, err
		}
		s.debug.Printf("target %q: ifIndex %d %q, %d-bit counters, speed %d b/s", spec, it.IfIndex, it.Label(), t.CounterBits, it.SpeedBps)
		if note := counterNote(s.o, it); note != "" && s.format != "tui" {
			fmt.Fprintf(s.stderr, "stg: note: %s: %s\n", it.Label(), note)
		}
		targets = append(targets, t)
	}
	return targets, nil
}

// interfaceTarget finds one --if interface and picks its counters. An
// interface given by name (not by ifIndex) carries its ifDescr as identity:
// should its ifIndex go away or come to hold another interface (a
// Virtual-Access that dropped, a reload without `snmp-server ifindex
// persist`), the poller reports it lost and follow looks it up by name
// again.
func interfaceTarget(ctx context.Context, o *options, c snmp.Client, spec string) (snmp.PollTarget, snmp.Interface, error) {
	router := mustTarget(o.Router)
	it, err := snmp.SelectInterface(ctx, c, spec)
	if err != nil {
		return snmp.PollTarget{}, it, fmt.Errorf("on %s: %w", router, err)
	}
	bits, err := counterBits(o.Counters, o.Version, it)
	if err != nil {
		return snmp.PollTarget{}, it, fmt.Errorf("interface %q on %s: %w", spec, router, err)
	}
	t := snmp.PollTarget{Name: spec, IfIndex: it.IfIndex, IfName: it.Label(), CounterBits: bits, SpeedBps: it.SpeedBps}
	if _, err := strconv.Atoi(spec); err != nil && it.Descr != "" {
		t.IdentityOID, t.IdentityValue = snmp.OIDIfDescr+"."+strconv.Itoa(it.IfIndex), it.Descr
	}
	return t, it, nil
}

// counterBits chooses 64- or 32-bit counters for an interface (--counters).
// Counters the agent does not serve for it are an error that says which.
func counterBits(mode, version string, it snmp.Interface) (int, error) {
	choice, err := snmp.ChooseCounters(mode, version, it)
	return choice.Bits, err
}

// counterNote says why --counters auto chose 32-bit counters for an
// interface; "" when it did not.
func counterNote(o *options, it snmp.Interface) string {
	choice, _ := snmp.ChooseCounters(o.Counters, o.Version, it)
	return choice.Note
}

// writeRows is the piped consumer: one CSV or JSONL row per sample, flushed
// as it comes. A closed pipe ends the run quietly; every other write error
// is returned. It returns when samples is closed, or earlier after calling
// cancel to stop the poller.
func (s *session) writeRows(cancel context.CancelFunc, samples <-chan snmp.Sample, log io.Writer) error {
	err := s.writeAll(samples, log)
	if err != nil {
		cancel()
	}
	if errors.Is(err, errPipeClosed) {
		return nil
	}
	return err
}

// errPipeClosed means the reader of stdout went away, as `| head` does.
var errPipeClosed = errors.New("output pipe closed")

// writeAll writes every sample until samples is closed or a write fails.
func (s *session) writeAll(samples <-chan snmp.Sample, log io.Writer) error {
	// Receive SIGPIPE so that a write to a closed stdout fails with EPIPE
	// instead of killing the process (os/signal, "SIGPIPE").
	sigpipe := make(chan os.Signal, 1)
	signal.Notify(sigpipe, syscall.SIGPIPE)
	defer signal.Stop(sigpipe)
	out, err := record.NewWriter(s.stdout, s.format)
	if err != nil {
		return err
	}
	rec, err := newRecorder(log)
	if err != nil {
		return err
	}
	if err := out.WriteHeader(); err != nil {
		return outputError(err)
	}
	for sm := range samples {
		s.debugSample(sm)
		if err := rec.write(sm); err != nil {
			return err
		}
		if err := out.Write(sm); err != nil {
			return outputError(err)
		}
	}
	return nil
}

// outputError classifies a failed write to stdout.
func outputError(err error) error {
	if errors.Is(err, syscall.EPIPE) {
		return errPipeClosed
	}
	return fmt.Errorf("write output: %w", err)
}

// showTUI runs the terminal UI on the samples, recording them to --log
// first when asked.
func (s *session) showTUI(ctx context.Context, cancel context.CancelFunc, raw <-chan snmp.Sample, log io.Writer, targets []snmp.PollTarget) error {
	rec, err := newRecorder(log)
	if err != nil {
		cancel()
		return err
	}
	view := make(chan snmp.Sample, sampleBuffer)
	tuiDone := make(chan struct{})
	recErr := make(chan error, 1)
	go func() {
		defer close(view)
		var failed error
		for sm := range raw {
			s.debugSample(sm)
			if failed == nil {
				if failed = rec.write(sm); failed != nil {
					cancel()
				}
			}
			select {
			case view <- sm:
			case <-tuiDone:
			}
		}
		recErr <- failed
	}()
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.Name
	}
	err = runTUI(ctx, tuiConfig{Router: s.o.Router, Targets: names, Interval: s.o.Interval, Window: s.o.Window, Bytes: s.o.Bytes}, view, s.stdin, s.stdout)
	close(tuiDone) // the recorder goes on until the poller has stopped
	cancel()
	if rerr := <-recErr; rerr != nil {
		return rerr
	}
	if err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// note tells the user once about how the agent serves its counters or its
// clock (the poller's OnNote): on stderr when the output is piped, in the
// debug log always. The TUI shows the same text from the rows' Err.
func (s *session) note(note string) {
	note = scrub(note, s.o.secrets()...)
	s.debug.Printf("note: %s", note)
	if s.format != "tui" {
		fmt.Fprintf(s.stderr, "stg: note: %s\n", note)
	}
}

// debugSample logs rows worth a look: errors and statuses without a rate.
func (s *session) debugSample(sm snmp.Sample) {
	if sm.Err != "" || !sm.Status.HasRate() {
		s.debug.Printf("sample %s ifIndex %d: %s rtt %s err %q", sm.Target, sm.IfIndex, sm.Status, sm.RTT, scrub(sm.Err, s.o.secrets()...))
	}
}

// recorder writes the --log CSV; its zero value records nothing.
type recorder struct{ w *record.Writer }

// newRecorder returns a recorder on w, or one that records nothing when w
// is nil.
func newRecorder(w io.Writer) (recorder, error) {
	if w == nil {
		return recorder{}, nil
	}
	rw, err := record.NewWriter(w, record.FormatCSV)
	if err != nil {
		return recorder{}, err
	}
	if err := rw.WriteHeader(); err != nil {
		return recorder{}, fmt.Errorf("write --log: %w", err)
	}
	return recorder{rw}, nil
}

// write records one sample.
func (r recorder) write(sm snmp.Sample) error {
	if r.w == nil {
		return nil
	}
	if err := r.w.Write(sm); err != nil {
		return fmt.Errorf("write --log: %w", err)
	}
	return nil
}
