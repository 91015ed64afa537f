package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/prompt"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/tui"
)

// runReplay is `stg replay FILE.csv`: it reads a recording and shows it in
// the terminal UI. A missing or foreign file is one line on stderr and
// exit 1; a bad command line exits 2.
func runReplay(ctx context.Context, args []string, _ cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int {
	r, err := cli.ParseReplay(args)
	if errors.Is(err, cli.ErrHelp) {
		cli.Help(stdout, "replay")
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "replay", err)
	}
	rec, err := record.ReadFile(r.Path)
	if err != nil {
		fmt.Fprintf(stderr, "stg: replay: %s\n", cli.OneLine(err.Error()))
		return exitFailure
	}
	for _, w := range rec.Warnings {
		fmt.Fprintf(stderr, "stg: replay: %s: %s\n", r.Path, w)
	}
	samples := rec.Samples
	if !prompt.IsTerminal(stdout) {
		return usageError(stderr, "replay", errors.New("the replay needs a terminal to draw on: run it without piping its output"))
	}
	m := tui.New(tui.Options{Router: samples[0].Router, Window: r.Window, Bytes: r.Bytes, Recording: samples, Output: stdout})
	if err := runProgram(ctx, newProgram(ctx, m, stdin, stdout)); err != nil {
		fmt.Fprintf(stderr, "stg: replay %s: %v\n", r.Path, err)
		return exitFailure
	}
	return exitOK
}
