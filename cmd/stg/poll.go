package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/metrics"
	"github.com/stg-project/stg/internal/prompt"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/session"
	"github.com/stg-project/stg/snmp"
)

// runPoll is stg's main mode: it polls the targets and shows the samples
// in the terminal UI, or writes them as CSV/JSONL/line protocol when
// stdout is not a terminal, with --log recording and --listen's /metrics
// beside either.
func runPoll(ctx context.Context, args []string, env cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int {
	p, err := cli.ParsePoll(args, env, hostFiles())
	if errors.Is(err, cli.ErrHelp) {
		cli.Usage(stdout)
		return exitOK
	}
	if errors.Is(err, cli.ErrVersion) {
		fmt.Fprint(stdout, cli.BuildOf())
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "", err)
	}
	output, err := p.Output.Resolve(prompt.IsTerminal(stdout))
	if err != nil {
		return usageError(stderr, "", err)
	}
	var closeDebug func()
	if p.Session.Debug, closeDebug, err = openDebugLog(p.DebugPath); err != nil {
		return failure(stderr, err)
	}
	defer closeDebug()
	tellSources(p, stderr)
	out := startupOutputs(stderr)
	var scr *screen
	if output == cli.OutputTUI {
		scr = &screen{stdin: stdin, stdout: stdout}
		out.Consumers, out.Note = []session.Consumer{&tuiOutput{screen: scr, window: p.Window, bytes: p.Bytes}}, scr.note
	} else {
		out.Consumers = []session.Consumer{session.PipeRows(stdout, record.Format(output))}
	}
	if p.LogPath != "" {
		out.Consumers = append(out.Consumers, session.LogRows(p.LogPath))
	}
	if p.Listen != "" {
		store, stop, err := serveMetrics(p.Listen, stderr)
		if err != nil {
			return failure(stderr, err)
		}
		defer stop()
		out.Consumers = append(out.Consumers, store.Consumer())
	}
	return finish(ctx, stderr, session.Run(ctx, p.Session, out), scr.unshown())
}

// finish reports how a run ended: the notes a UI that never started did
// not show (the run ended before it), then the run's error, if any; it
// returns the exit code.
func finish(ctx context.Context, stderr io.Writer, err error, unshown []string) int {
	for _, note := range unshown {
		fmt.Fprintf(stderr, "stg: note: %s\n", note)
	}
	if err != nil {
		if ctx.Err() != nil {
			return exitOK // interrupted while starting: nothing to report
		}
		return failure(stderr, err)
	}
	return exitOK
}

// serveMetrics starts the /metrics endpoint of --listen on addr, saying
// so on stderr when it is not on loopback; stop closes it.
func serveMetrics(addr string, stderr io.Writer) (store *metrics.Store, stop func(), err error) {
	store = metrics.NewStore(metrics.ReadBuildInfo())
	srv, err := metrics.Listen(addr, store, nil)
	if err != nil {
		return nil, nil, err
	}
	if w := srv.Warning(); w != "" {
		fmt.Fprintf(stderr, "stg: warning: %s\n", w)
	}
	return store, func() { srv.Close() }, nil
}

// startupOutputs are what a run on stderr tells the user: notes as
// `stg: note: ...` lines; on a terminal also each request sent again, the
// progress of long walks and the SSH password prompt.
func startupOutputs(stderr io.Writer) session.Outputs {
	out := session.Outputs{Note: func(text string) { fmt.Fprintf(stderr, "stg: note: %s\n", text) }}
	if prompt.IsTerminal(stderr) {
		out.Retry = func(r snmp.Retry) { fmt.Fprintf(stderr, "stg: %s\n", r) }
		out.AskPassword = prompt.Password
	}
	out.Progress = cli.ProgressPrinter(stderr, prompt.IsTerminal(stderr))
	return out
}

// tellSources prints what stg found wrong in the configuration files it
// read, before the run owns the terminal, and logs what it took from
// them to the --debug log.
func tellSources(p *cli.PollSettings, stderr io.Writer) {
	for _, w := range p.Warnings {
		fmt.Fprintf(stderr, "stg: %s\n", cli.OneLine(w))
	}
	if p.Session.Debug != nil {
		for _, s := range p.Sources {
			p.Session.Debug.Print(s)
		}
	}
}

// openDebugLog opens the --debug file, or returns a logger that discards.
func openDebugLog(path string) (*log.Logger, func(), error) {
	if path == "" {
		return nil, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open debug log: %w", err)
	}
	return log.New(f, "", log.LstdFlags|log.Lmicroseconds), func() { f.Close() }, nil
}
