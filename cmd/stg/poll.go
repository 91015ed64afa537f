package main

import (
	"context"
	"fmt"
	"io"

	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/fullscreen"
	"github.com/stg-project/stg/internal/metrics"
	"github.com/stg-project/stg/internal/prompt"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/session"
)

// runPoll is stg's main mode: it polls the targets and shows the samples
// in the terminal UI, or writes them as CSV/JSONL/line protocol when
// stdout is not a terminal, with --log recording and --listen's /metrics
// beside either.
func runPoll(ctx context.Context, args []string, env cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int {
	p, err := cli.ParsePoll(args, env, hostFiles())
	if code, ok := parsed(err, "", stdout, stderr); !ok {
		return code
	}
	output, err := p.Output.Resolve(prompt.IsTerminal(stdout))
	if err != nil {
		return usageError(stderr, "", err)
	}
	closeLog, err := p.Begin(stderr)
	if err != nil {
		return failure(stderr, err)
	}
	defer closeLog()
	out := cli.StartupOutputs(stderr)
	var scr *fullscreen.Screen
	if output == cli.OutputTUI {
		scr = fullscreen.New(stdin, stdout)
		out.Consumers, out.Note = []session.Consumer{scr.Samples(fullscreen.Options{Window: p.Window, Bytes: p.Bytes})}, scr.Note
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
	return finish(ctx, stderr, session.Run(ctx, p.Session, out), scr.Unshown())
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
