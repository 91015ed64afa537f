package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/prompt"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/top"
	"github.com/stg-project/stg/tui"
)

// runTop is `stg top`: every subscriber or interface of a router ranked
// by its rate, in the terminal UI, or each cycle's rows as CSV/JSONL when
// stdout is not a terminal.
func runTop(ctx context.Context, args []string, env cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int {
	s, err := cli.ParseTop(args, env, hostFiles())
	if errors.Is(err, cli.ErrHelp) {
		cli.Help(stdout, "top")
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "top", err)
	}
	output, err := s.Output.Resolve(prompt.IsTerminal(stdout))
	if err != nil {
		return usageError(stderr, "top", err)
	}
	for _, w := range s.Warnings {
		fmt.Fprintf(stderr, "stg: %s\n", cli.OneLine(w))
	}
	if s.GCPercent > 0 {
		debug.SetGCPercent(s.GCPercent)
	}
	so := startupOutputs(stderr)
	out := top.Outputs{Note: so.Note, Retry: so.Retry, Progress: so.Progress}
	var scr *screen
	if output == cli.OutputTUI {
		scr = &screen{stdin: stdin, stdout: stdout}
		out.Consumers, out.Note = []top.Consumer{&topOutput{screen: scr, window: s.Window, bytes: s.Bytes}}, scr.note
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
	return finish(ctx, stderr, top.Run(ctx, s.Run, out), scr.unshown())
}

// topOutput is the consumer that shows the cycles in stg top's table, and
// a row's chart on Enter.
type topOutput struct {
	*screen
	window time.Duration
	bytes  bool
	info   top.Info
}

// Start implements top.Consumer.
func (u *topOutput) Start(info top.Info) error {
	u.info = info
	return nil
}

// Consume implements top.Consumer: it runs the table on the cycles.
func (u *topOutput) Consume(ctx context.Context, in <-chan ranking.Cycle) error {
	drill := func(r ranking.Row) (tui.Drill, error) {
		samples, stop, err := u.info.Follow(ctx, r)
		return tui.Drill{Samples: samples, Stop: stop}, err
	}
	return u.show(ctx, func(notes []string) tea.Model {
		return tui.NewTop(tui.TopOptions{Router: u.info.Router, Cycles: in, Drill: drill, Interval: u.info.Interval,
			Window: u.window, Bytes: u.bytes, Save: savePicture("."), Now: time.Now, Output: u.stdout, Notes: notes})
	})
}
