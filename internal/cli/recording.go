package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/stg-project/stg/internal/plot"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/tui"
)

// ReplaySettings are the settings of `stg replay`.
type ReplaySettings struct {
	// Path is the recording.
	Path string
	// Window is the chart's time span, Bytes its unit.
	Window time.Duration
	Bytes  bool
}

// ParseReplay reads `stg replay`'s command line.
func ParseReplay(args []string) (*ReplaySettings, error) {
	v, err := Replay.parse(args)
	if err != nil {
		return nil, err
	}
	if len(v.args()) != 1 {
		return nil, errors.New("replay takes one FILE.csv")
	}
	r := &ReplaySettings{Path: v.args()[0], Window: v.duration("window"), Bytes: v.boolean("bytes")}
	if err := tui.CheckWindow(r.Window, 0); err != nil {
		return nil, fmt.Errorf("--window: %w", err)
	}
	return r, nil
}

// PlotSettings are the settings of `stg plot`. From and To are known only
// against the recording (a time of its day, or +5m after its start).
type PlotSettings struct {
	// Path is the recording, Out the picture.
	Path, Out string
	// Options are the picture's, but for From and To.
	Options plot.Options
	// SizeGiven says that --size was, so that it is checked against the
	// targets drawn.
	SizeGiven bool
	// From and To are --from and --to; nil when not given. FromText and
	// ToText are as typed, for messages.
	From, To         *plot.Moment
	FromText, ToText string
}

// ParsePlot reads `stg plot`'s command line; times of day are in loc.
func ParsePlot(args []string, loc *time.Location) (*PlotSettings, error) {
	v, err := Plot.parse(args)
	if err != nil {
		return nil, err
	}
	p := &PlotSettings{Out: v.str("out"), FromText: v.str("from"), ToText: v.str("to"), SizeGiven: v.str("size") != "",
		Options: plot.Options{Targets: v.strs("target"), LogScale: v.boolean("log-scale"), Bytes: v.boolean("bytes")}}
	if len(v.args()) != 1 {
		return nil, errors.New("plot takes one FILE.csv")
	}
	p.Path = v.args()[0]
	if p.Out == "" {
		return nil, errors.New("--out FILE.png or --out FILE.svg is required")
	}
	if _, err := plot.FormatOf(p.Out); err != nil {
		return nil, fmt.Errorf("--out %w", err)
	}
	if p.SizeGiven {
		if p.Options.Width, p.Options.Height, err = plot.ParseSize(v.str("size")); err != nil {
			return nil, fmt.Errorf("--size: %w", err)
		}
	}
	for _, m := range []struct {
		flag, text string
		dst        **plot.Moment
	}{{"--from", p.FromText, &p.From}, {"--to", p.ToText, &p.To}} {
		if m.text == "" {
			continue
		}
		at, err := plot.ParseMoment(m.text, loc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.flag, err)
		}
		*m.dst = &at
	}
	return p, nil
}

// Picture returns the options of the picture of samples, the recording
// read: --from and --to placed in its span, and --size checked against
// the targets drawn. Its error says what to change on the command line.
func (p *PlotSettings) Picture(samples []sample.Sample) (plot.Options, error) {
	opts := p.Options
	first, last := plot.Span(samples)
	if p.From != nil {
		opts.From = p.From.At(first, last)
	}
	if p.To != nil {
		opts.To = p.To.At(first, last)
	}
	if p.From != nil && p.To != nil && !opts.From.Before(opts.To) {
		return opts, fmt.Errorf("--from %s is not before --to %s", p.FromText, p.ToText)
	}
	if p.SizeGiven {
		if err := plot.CheckSize(opts.Width, opts.Height, plotTargets(samples, opts.Targets)); err != nil {
			return opts, fmt.Errorf("--size: %w", err)
		}
	}
	return opts, nil
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
