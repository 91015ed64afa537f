package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/fullscreen"
	"github.com/stg-project/stg/internal/plot"
	"github.com/stg-project/stg/internal/prompt"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/tui"
)

// runReplay is `stg replay FILE.csv`: it reads a recording and shows it in
// the terminal UI. A missing or foreign file is one line on stderr and
// exit 1; a bad command line exits 2.
func runReplay(ctx context.Context, args []string, _ cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int {
	r, err := cli.ParseReplay(args)
	if code, ok := parsed(err, "replay", stdout, stderr); !ok {
		return code
	}
	samples := readRecording(stderr, "replay", r.Path)
	if samples == nil {
		return exitFailure
	}
	if !prompt.IsTerminal(stdout) {
		return usageError(stderr, "replay", errors.New("the replay needs a terminal to draw on: run it without piping its output"))
	}
	m := tui.New(tui.Options{Router: samples[0].Router, Window: r.Window, Bytes: r.Bytes, Recording: samples, Output: stdout})
	if err := fullscreen.Run(ctx, m, stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "stg: replay %s: %v\n", r.Path, err)
		return exitFailure
	}
	return exitOK
}

// runPlot is `stg plot FILE.csv --out FILE.png`: it reads a recording and
// draws it as a PNG or SVG picture. A bad command line exits 2; a file
// that cannot be read, is not a recording, or has nothing to draw is one
// line on stderr and exit 1.
func runPlot(_ context.Context, args []string, _ cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	p, err := cli.ParsePlot(args, time.Local)
	if code, ok := parsed(err, "plot", stdout, stderr); !ok {
		return code
	}
	samples := readRecording(stderr, "plot", p.Path)
	if samples == nil {
		return exitFailure
	}
	opts, err := p.Picture(samples)
	if err != nil {
		return usageError(stderr, "plot", err)
	}
	if err := plot.WriteFile(p.Out, samples, opts); err != nil {
		fmt.Fprintf(stderr, "stg: plot: %s: %s\n", p.Path, cli.OneLine(err.Error()))
		return exitFailure
	}
	return exitOK
}

// readRecording reads the recording at path for `stg sub`, its warnings
// on stderr; nil when it cannot be read (which it says on stderr).
func readRecording(stderr io.Writer, sub, path string) []sample.Sample {
	rec, err := record.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "stg: %s: %s\n", sub, cli.OneLine(err.Error()))
		return nil
	}
	for _, w := range rec.Warnings {
		fmt.Fprintf(stderr, "stg: %s: %s: %s\n", sub, path, w)
	}
	return rec.Samples
}
