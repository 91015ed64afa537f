package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/tui"
)

// tuiConfig is what the poll mode tells the terminal UI about its run.
type tuiConfig struct {
	Router   string
	Targets  []string
	Interval time.Duration
	Window   time.Duration
	Bytes    bool
}

// runTUI shows the samples in the terminal UI on the alternate screen
// until the user quits or ctx ends. The UI keeps reading samples while it
// is paused, so the poller (and --log) never wait for it. The terminal is
// restored on every way out, a panic included (bubbletea recovers it).
func runTUI(ctx context.Context, cfg tuiConfig, samples <-chan sample.Sample, stdin io.Reader, stdout io.Writer) error {
	m := tui.New(tui.Options{
		Router:   cfg.Router,
		Targets:  cfg.Targets,
		Interval: cfg.Interval,
		Window:   cfg.Window,
		Bytes:    cfg.Bytes,
		Samples:  samples,
		Output:   stdout,
		Save:     savePicture("."),
	})
	return runProgram(ctx, m, stdin, stdout)
}

// uiFPS caps how often bubbletea repaints: the data changes at most a few
// times a second, and its default 60 wakeups a second cost more than the
// frames themselves.
const uiFPS = 15

// runProgram runs a tui model full-screen on stdin/stdout. Quitting, an
// interrupt and the end of ctx are normal ends.
//
// Signals reach the program only through ctx (main's signal.NotifyContext):
// bubbletea v1.3.10's own handler sends SIGINT/SIGTERM as a message on an
// unbuffered channel, and when ctx has already stopped the event loop that
// send blocks forever and Run never returns (bubbletea PR #1806).
func runProgram(ctx context.Context, m tea.Model, stdin io.Reader, stdout io.Writer) error {
	p := tea.NewProgram(m,
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(),
		tea.WithInput(stdin),
		tea.WithOutput(stdout),
		tea.WithAltScreen(),
		tea.WithFPS(uiFPS))
	_, err := p.Run()
	switch {
	case err == nil, errors.Is(err, tea.ErrInterrupted):
		return nil
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil && !errors.Is(err, tea.ErrProgramPanic):
		return nil
	default:
		return fmt.Errorf("run the terminal UI: %w", err)
	}
}
