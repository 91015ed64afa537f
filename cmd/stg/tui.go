package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/session"
	"github.com/stg-project/stg/tui"
)

// screen runs a terminal UI model on the alternate screen until the user
// quits or the run ends, and is where the run's notes go meanwhile: those
// told before the UI is up are handed to the model when it starts.
type screen struct {
	stdin  io.Reader
	stdout io.Writer

	mu      sync.Mutex
	notes   []string
	program *tea.Program // nil until the UI runs
}

// show runs the model that model builds with the notes told so far.
func (s *screen) show(ctx context.Context, model func(notes []string) tea.Model) error {
	s.mu.Lock()
	s.program = newProgram(ctx, model(s.notes), s.stdin, s.stdout)
	s.mu.Unlock()
	if err := runProgram(ctx, s.program); err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// note shows a note in the UI, or keeps it for the UI to show when it
// starts.
func (s *screen) note(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.program == nil {
		s.notes = append(s.notes, text)
		return
	}
	go s.program.Send(tui.NoteMsg(text)) // Send blocks until the UI reads it
}

// unshown returns the notes told to a UI that never started; none when
// there is no UI.
func (s *screen) unshown() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.program != nil {
		return nil
	}
	return s.notes
}

// tuiOutput is the consumer that shows the samples in the terminal UI. The
// UI keeps reading samples while it is paused, so the poller (and --log)
// never wait for it.
type tuiOutput struct {
	*screen
	window time.Duration
	bytes  bool
	info   session.Info
}

// Start implements session.Consumer.
func (u *tuiOutput) Start(info session.Info) error {
	u.info = info
	return nil
}

// Consume implements session.Consumer: it runs the UI on the samples.
func (u *tuiOutput) Consume(ctx context.Context, in <-chan sample.Sample) error {
	return u.show(ctx, func(notes []string) tea.Model {
		return tui.New(tui.Options{Router: u.info.Router, Targets: u.info.Targets, Interval: u.info.Interval,
			Window: u.window, Bytes: u.bytes, Samples: in, Output: u.stdout, Save: savePicture("."), Notes: notes})
	})
}

// uiFPS caps how often bubbletea repaints: the data changes at most a few
// times a second, and its default 60 wakeups a second cost more than the
// frames themselves.
const uiFPS = 15

// newProgram returns a program that runs a tui model full-screen on
// stdin/stdout until it quits or ctx ends.
//
// Signals reach the program only through ctx (main's signal.NotifyContext):
// bubbletea v1.3.10's own handler sends SIGINT/SIGTERM as a message on an
// unbuffered channel, and when ctx has already stopped the event loop that
// send blocks forever and Run never returns (bubbletea PR #1806).
func newProgram(ctx context.Context, m tea.Model, stdin io.Reader, stdout io.Writer) *tea.Program {
	return tea.NewProgram(m,
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(),
		tea.WithInput(stdin),
		tea.WithOutput(stdout),
		tea.WithAltScreen(),
		tea.WithFPS(uiFPS))
}

// runProgram runs p. Quitting, an interrupt and the end of its context are
// normal ends; the terminal is restored on every way out, a panic included
// (bubbletea recovers it).
func runProgram(ctx context.Context, p *tea.Program) error {
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
