// Package fullscreen runs stg's terminal UI models (package tui, which
// does no I/O) full-screen on a terminal: the bubbletea program on the
// alternate screen, the notes a run tells before its UI is up, and the
// outputs that show a run's samples (stg) and cycles (stg top) in it.
package fullscreen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/tui"
)

// Screen runs a terminal UI model on the alternate screen until the user
// quits or the run ends, and is where the run's notes go meanwhile: those
// told before the UI is up are handed to the model when it starts.
type Screen struct {
	stdin  io.Reader
	stdout io.Writer

	mu      sync.Mutex
	notes   []string
	program *tea.Program // nil until the UI runs
}

// New returns a screen that reads keys from stdin and draws on stdout.
func New(stdin io.Reader, stdout io.Writer) *Screen {
	return &Screen{stdin: stdin, stdout: stdout}
}

// show runs the model that model builds with the notes told so far.
func (s *Screen) show(ctx context.Context, model func(notes []string) tea.Model) error {
	s.mu.Lock()
	s.program = newProgram(ctx, model(s.notes), s.stdin, s.stdout)
	s.mu.Unlock()
	if err := runProgram(ctx, s.program); err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// Note shows a note in the UI, or keeps it for the UI to show when it
// starts.
func (s *Screen) Note(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.program == nil {
		s.notes = append(s.notes, text)
		return
	}
	go s.program.Send(tui.NoteMsg(text)) // Send blocks until the UI reads it
}

// Unshown returns the notes told to a UI that never started; none when
// there is no UI (s is nil).
func (s *Screen) Unshown() []string {
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

// Run runs m full-screen on stdin/stdout until it quits or ctx ends (see
// runProgram).
func Run(ctx context.Context, m tea.Model, stdin io.Reader, stdout io.Writer) error {
	return runProgram(ctx, newProgram(ctx, m, stdin, stdout))
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
