package main

import (
	"context"
	"io"
	"runtime/debug"

	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/fullscreen"
	"github.com/stg-project/stg/internal/prompt"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/top"
)

// runTop is `stg top`: every subscriber or interface of a router ranked
// by its rate, in the terminal UI, or each cycle's rows as CSV/JSONL when
// stdout is not a terminal, with --listen's /metrics beside either.
func runTop(ctx context.Context, args []string, env cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int {
	s, err := cli.ParseTop(args, env, hostFiles())
	if code, ok := parsed(err, "top", stdout, stderr); !ok {
		return code
	}
	output, err := s.Output.Resolve(prompt.IsTerminal(stdout))
	if err != nil {
		return usageError(stderr, "top", err)
	}
	cli.WriteWarnings(stderr, s.Warnings)
	if s.GCPercent > 0 {
		debug.SetGCPercent(s.GCPercent)
	}
	so := cli.StartupOutputs(stderr)
	out := top.Outputs{Note: so.Note, Retry: so.Retry, Progress: so.Progress}
	var scr *fullscreen.Screen
	if output == cli.OutputTUI {
		scr = fullscreen.New(stdin, stdout)
		out.Consumers, out.Note = []top.Consumer{scr.Cycles(fullscreen.Options{Window: s.Window, Bytes: s.Bytes})}, scr.Note
	} else {
		out.Consumers = []top.Consumer{top.PipeRows(stdout, record.Format(output))}
	}
	if s.Listen != "" {
		store, stop, err := serveMetrics(s.Listen, stderr)
		if err != nil {
			return failure(stderr, err)
		}
		defer stop()
		out.AllRows = []top.Consumer{store.TopConsumer(s.ListenRows)}
	}
	return finish(ctx, stderr, top.Run(ctx, s.Run, out), scr.Unshown())
}
