package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
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
	output := p.Output
	switch {
	case output == cli.OutputAuto && prompt.IsTerminal(stdout):
		output = cli.OutputTUI
	case output == cli.OutputAuto:
		output = cli.OutputCSV // piped: never start the TUI
	case output == cli.OutputTUI && !prompt.IsTerminal(stdout):
		return usageError(stderr, "", errors.New("-o tui needs a terminal on stdout: use -o csv or -o jsonl"))
	}
	var closeDebug func()
	if p.Session.Debug, closeDebug, err = openDebugLog(p.DebugPath); err != nil {
		return failure(stderr, err)
	}
	defer closeDebug()
	tellSources(p, stderr)
	out := startupOutputs(stderr)
	var ui *tuiOutput
	if output == cli.OutputTUI {
		ui = &tuiOutput{window: p.Window, bytes: p.Bytes, stdin: stdin, stdout: stdout}
		out.Consumers, out.Note = []session.Consumer{ui}, ui.note
	} else {
		out.Consumers = []session.Consumer{session.PipeRows(stdout, record.Format(output))}
	}
	if p.LogPath != "" {
		out.Consumers = append(out.Consumers, session.LogRows(p.LogPath))
	}
	if p.Listen != "" {
		store := metrics.NewStore(metrics.ReadBuildInfo())
		srv, err := metrics.Listen(p.Listen, store, nil)
		if err != nil {
			return failure(stderr, err)
		}
		defer srv.Close()
		if w := srv.Warning(); w != "" {
			fmt.Fprintf(stderr, "stg: warning: %s\n", w)
		}
		out.Consumers = append(out.Consumers, store.Consumer())
	}
	err = session.Run(ctx, p.Session, out)
	for _, note := range ui.unshown() { // the run ended before the UI showed them
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

// startupOutputs are what a run on stderr tells the user: notes as
// `stg: note: ...` lines; on a terminal also each request sent again, the
// progress of long walks and the SSH password prompt.
func startupOutputs(stderr io.Writer) session.Outputs {
	out := session.Outputs{Note: func(text string) { fmt.Fprintf(stderr, "stg: note: %s\n", text) }}
	if prompt.IsTerminal(stderr) {
		out.Retry = func(r snmp.Retry) { fmt.Fprintf(stderr, "stg: %s\n", r) }
		out.AskPassword = prompt.Password
	}
	out.Progress = newProgressPrinter(stderr)
	return out
}

// newProgressPrinter shows long walks on w: rewritten in place on a
// terminal, else one line every few seconds and at the end.
func newProgressPrinter(w io.Writer) func(ciscoresolve.Progress) {
	tty := prompt.IsTerminal(w)
	var last time.Duration
	return func(p ciscoresolve.Progress) {
		switch {
		case tty && p.Done:
			fmt.Fprintf(w, "\r\x1b[Kstg: %s\n", p)
		case tty:
			fmt.Fprintf(w, "\r\x1b[Kstg: %s", p)
		case p.Done || p.Elapsed-last >= 5*time.Second:
			last = p.Elapsed
			fmt.Fprintf(w, "stg: %s\n", p)
		}
	}
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
