package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/stg-project/stg/internal/plot"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/tui"
)

// plotUsageHead is the help of `stg plot` before its flags.
const plotUsageHead = `usage: stg plot FILE.csv --out FILE.png|FILE.svg [flags]

Draws a CSV recording (stg -o csv, or --log FILE) as a picture for a
ticket: each target's in rate as a green area and out rate as a blue line,
on one time axis in local time. A poll without a rate is a break in the
line, never a zero; X marks a counter reset or discontinuity, R a
subscriber that reconnected. An existing --out file is replaced only once
the new picture is complete.

Flags:
`

// plotUsageTail is the help of `stg plot` after its flags.
const plotUsageTail = `
--from and --to take 10:54[:10] (that time on the recording's day),
2026-11-27 10:54[:10], RFC 3339, or +5m / -5m (after the recording's
start / before its end). The default size is 1200x600 for one target,
300 pixels higher for each other one.
`

// plotFlags are the options of `stg plot`.
type plotFlags struct {
	out, from, to, size string
	targets             []string
	logScale, bytes     bool
}

// newPlotFlags returns the flag set of `stg plot`, filling f.
func newPlotFlags(f *plotFlags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("stg plot", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVar(&f.out, "out", "", "the picture to write: `FILE`.png or FILE.svg")
	fs.StringVar(&f.from, "from", "", "draw from this `TIME` on (default: the first row)")
	fs.StringVar(&f.to, "to", "", "draw up to this `TIME` (default: the last row)")
	fs.StringArrayVar(&f.targets, "target", nil, "draw this `TARGET` only; repeat for more (default: all)")
	fs.StringVar(&f.size, "size", "", "picture size in pixels, `WxH` (default 1200x600)")
	fs.BoolVar(&f.logScale, "log-scale", false, "rates on a log scale, decades from 1k")
	fs.BoolVar(&f.bytes, "bytes", false, "bytes/s instead of bits/s")
	return fs
}

// plotHelp writes the help of `stg plot`.
func plotHelp(w io.Writer) {
	fmt.Fprint(w, plotUsageHead+newPlotFlags(&plotFlags{}).FlagUsagesWrapped(80)+plotUsageTail)
}

// runPlot is `stg plot FILE.csv --out FILE.png`: it reads a recording and
// draws it as a PNG or SVG picture. A bad command line exits 2; a file
// that cannot be read, is not a recording, or has nothing to draw is one
// line on stderr and exit 1.
func runPlot(_ context.Context, args []string, _ env, _ io.Reader, stdout, stderr io.Writer) int {
	var f plotFlags
	fs := newPlotFlags(&f)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			plotHelp(stdout)
			return exitOK
		}
		return usageError(stderr, "plot", flagError(err))
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "plot", errors.New("plot takes one FILE.csv"))
	}
	if f.out == "" {
		return usageError(stderr, "plot", errors.New("--out FILE.png or --out FILE.svg is required"))
	}
	if _, err := plot.FormatOf(f.out); err != nil {
		return usageError(stderr, "plot", fmt.Errorf("--out %w", err))
	}
	opts := plot.Options{Targets: f.targets, LogScale: f.logScale, Bytes: f.bytes}
	if f.size != "" {
		var err error
		if opts.Width, opts.Height, err = plot.ParseSize(f.size); err != nil {
			return usageError(stderr, "plot", fmt.Errorf("--size: %w", err))
		}
	}
	var moments [2]*plot.Moment
	for i, v := range []struct{ flag, value string }{{"--from", f.from}, {"--to", f.to}} {
		if v.value == "" {
			continue
		}
		m, err := plot.ParseMoment(v.value, time.Local)
		if err != nil {
			return usageError(stderr, "plot", fmt.Errorf("%s: %w", v.flag, err))
		}
		moments[i] = &m
	}

	path := fs.Arg(0)
	samples, warnings, err := readRecording(path)
	if err != nil {
		fmt.Fprintf(stderr, "stg: plot: %s\n", oneLine(err.Error()))
		return exitFailure
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "stg: plot: %s: %s\n", path, w)
	}
	first, last := plot.Span(samples)
	if moments[0] != nil {
		opts.From = moments[0].At(first, last)
	}
	if moments[1] != nil {
		opts.To = moments[1].At(first, last)
	}
	if moments[0] != nil && moments[1] != nil && !opts.From.Before(opts.To) {
		return usageError(stderr, "plot", fmt.Errorf("--from %s is not before --to %s", f.from, f.to))
	}
	if f.size != "" {
		if err := plot.CheckSize(opts.Width, opts.Height, plotTargets(samples, opts.Targets)); err != nil {
			return usageError(stderr, "plot", fmt.Errorf("--size: %w", err))
		}
	}
	if err := plot.WriteFile(f.out, samples, opts); err != nil {
		fmt.Fprintf(stderr, "stg: plot: %s: %s\n", path, oneLine(err.Error()))
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

// savePicture returns the terminal UI's save hook: it writes the view as
// a PNG in dir, named after the router and the view's end in local time
// (stg-bras1-20261127-105429.png; -2, -3, ... keep earlier pictures), and
// returns the file's name.
func savePicture(dir string) func(tui.Picture) (string, error) {
	return func(p tui.Picture) (string, error) {
		name, err := pictureName(dir, p.Router, p.To)
		if err != nil {
			return "", err
		}
		opts := plot.Options{From: p.From, To: p.To, Bytes: p.Bytes, LogScale: p.LogScale}
		if err := plot.WriteFile(name, p.Samples, opts); err != nil {
			return "", err
		}
		return name, nil
	}
}

// pictureName returns the first free name for a picture of router's view
// ending at end.
func pictureName(dir, router string, end time.Time) (string, error) {
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, router)
	base := filepath.Join(dir, "stg-"+safe+"-"+end.Local().Format("20060102-150405"))
	for n := 1; n <= 100; n++ {
		name := base + ".png"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.png", base, n)
		}
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			return name, nil
		}
	}
	return "", fmt.Errorf("name a picture in %s: %s.png and 99 more names are taken", dir, base)
}
