package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/stg-project/stg/internal/prompt"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/tui"
)

// replayUsage is the help of `stg replay`.
const replayUsage = `usage: stg replay [--window D] [--bytes] FILE.csv

Shows a CSV recording (stg -o csv, or --log FILE) in the terminal UI.
A last line cut short (an interrupted recording) is skipped and rows out
of time order are sorted, each with a warning; any other bad line is
refused, naming it.
--window is 10s to 24h (default 5m); a recording shorter than the window
is shown whole. Keys: left/right scroll, w steps the window (1m, 5m, 15m,
1h and --window), end jumps to the end, ? lists every key, q quits.
`

// runReplay is `stg replay FILE.csv`: it reads a recording and shows it in
// the terminal UI. A missing or foreign file is one line on stderr and
// exit 1; a bad command line exits 2.
func runReplay(ctx context.Context, args []string, _ env, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("stg replay", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	window := fs.Duration("window", tui.DefaultWindow, "chart window, 10s to 24h")
	bytes := fs.Bool("bytes", false, "show bytes/s instead of bits/s")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, replayUsage)
			return exitOK
		}
		return usageError(stderr, "replay", flagError(err))
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "replay", errors.New("replay takes one FILE.csv"))
	}
	if err := tui.CheckWindow(*window, 0); err != nil {
		return usageError(stderr, "replay", fmt.Errorf("--window: %w", err))
	}
	path := fs.Arg(0)
	samples, warnings, err := readRecording(path)
	if err != nil {
		fmt.Fprintf(stderr, "stg: replay: %s\n", oneLine(err.Error()))
		return exitFailure
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "stg: replay: %s: %s\n", path, w)
	}
	if !prompt.IsTerminal(stdout) {
		return usageError(stderr, "replay", errors.New("the replay needs a terminal to draw on: run it without piping its output"))
	}
	m := tui.New(tui.Options{Router: samples[0].Router, Window: *window, Bytes: *bytes, Recording: samples, Output: stdout})
	if err := runProgram(ctx, newProgram(ctx, m, stdin, stdout)); err != nil {
		fmt.Fprintf(stderr, "stg: replay %s: %v\n", path, err)
		return exitFailure
	}
	return exitOK
}

// replayHelp writes the help of `stg replay`.
func replayHelp(w io.Writer) { fmt.Fprint(w, replayUsage) }

// readRecording reads a CSV recording with at least one row, and says what
// had to be set right: a last line cut short, rows out of time order.
func readRecording(path string) ([]sample.Sample, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rec, err := record.ReadRecording(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rec.Samples) == 0 {
		return nil, rec.Warnings, fmt.Errorf("%s: the recording has no rows", path)
	}
	return rec.Samples, rec.Warnings, nil
}
