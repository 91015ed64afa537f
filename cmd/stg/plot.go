package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/plot"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/tui"
)

// runPlot is `stg plot FILE.csv --out FILE.png`: it reads a recording and
// draws it as a PNG or SVG picture. A bad command line exits 2; a file
// that cannot be read, is not a recording, or has nothing to draw is one
// line on stderr and exit 1.
func runPlot(_ context.Context, args []string, _ cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	p, err := cli.ParsePlot(args, time.Local)
	if errors.Is(err, cli.ErrHelp) {
		cli.Help(stdout, "plot")
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "plot", err)
	}
	rec, err := record.ReadFile(p.Path)
	if err != nil {
		fmt.Fprintf(stderr, "stg: plot: %s\n", cli.OneLine(err.Error()))
		return exitFailure
	}
	for _, w := range rec.Warnings {
		fmt.Fprintf(stderr, "stg: plot: %s: %s\n", p.Path, w)
	}
	samples := rec.Samples
	opts := p.Options
	first, last := plot.Span(samples)
	if p.From != nil {
		opts.From = p.From.At(first, last)
	}
	if p.To != nil {
		opts.To = p.To.At(first, last)
	}
	if p.From != nil && p.To != nil && !opts.From.Before(opts.To) {
		return usageError(stderr, "plot", fmt.Errorf("--from %s is not before --to %s", p.FromText, p.ToText))
	}
	if p.SizeGiven {
		if err := plot.CheckSize(opts.Width, opts.Height, plotTargets(samples, opts.Targets)); err != nil {
			return usageError(stderr, "plot", fmt.Errorf("--size: %w", err))
		}
	}
	if err := plot.WriteFile(p.Out, samples, opts); err != nil {
		fmt.Fprintf(stderr, "stg: plot: %s: %s\n", p.Path, cli.OneLine(err.Error()))
		return exitFailure
	}
	return exitOK
}

// plotTargets returns how many targets a picture shows: those asked for,
// else every target of the recording.
func plotTargets(samples []sample.Sample, asked []string) int {
	if len(asked) > 0 {
		return len(asked)
	}
	seen := map[string]bool{}
	for _, s := range samples {
		seen[s.Target] = true
	}
	return len(seen)
}

// savePicture returns the terminal UI's save hook: a PNG of the view in
// dir (plot.Save).
func savePicture(dir string) func(tui.Picture) (string, error) {
	return func(p tui.Picture) (string, error) {
		return plot.Save(dir, p.Router, p.Samples, plot.Options{From: p.From, To: p.To, Bytes: p.Bytes, LogScale: p.LogScale})
	}
}
