package fullscreen

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/session"
)

// fakeUI is a model that quits, panics or waits, to see how Run ends.
type fakeUI struct{ act string }

func (f fakeUI) Init() tea.Cmd {
	if f.act == "quit" {
		return tea.Quit
	}
	return nil
}

func (f fakeUI) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok && f.act == "panic" {
		panic("boom")
	}
	return f, nil
}

func (f fakeUI) View() string { return "fake ui" }

// leaveAltScreen is the escape sequence that restores the main screen.
const leaveAltScreen = "\x1b[?1049l"

func TestRunProgramEnds(t *testing.T) {
	tests := []struct {
		name    string
		act     string
		cancel  bool
		wantErr string
	}{
		{"quit is a normal end", "quit", false, ""},
		{"end of context is a normal end", "wait", true, ""},
		{"a panic is an error, the screen is restored", "panic", false, "panic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if tt.cancel {
				go func() { time.Sleep(200 * time.Millisecond); cancel() }()
			}
			var out bytes.Buffer
			err := Run(ctx, fakeUI{act: tt.act}, strings.NewReader("x"), &out)
			if tt.wantErr == "" && err != nil {
				t.Errorf("got error %v, want none", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got error %v, want one mentioning %q", err, tt.wantErr)
			}
			if !strings.Contains(out.String(), leaveAltScreen) {
				t.Errorf("the alternate screen was not left: output %q", out.String())
			}
			if !tt.cancel && ctx.Err() != nil {
				t.Error("Run did not end by itself")
			}
		})
	}
}

func TestRunTUIQuitsOnQ(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	samples := make(chan sample.Sample, 4)
	now := time.Date(2026, 3, 14, 9, 26, 0, 0, time.Local)
	for i := range 3 {
		samples <- sample.Sample{Time: now.Add(time.Duration(i) * time.Second), Target: "alice", IfIndex: 7,
			InBps: 1e6, OutBps: 2e6, Interval: time.Second, Status: sample.StatusOK, CounterBits: 64}
	}
	close(samples)
	// Keys arrive on stdin; the closed stream does not end the UI, q does.
	stdin := strings.NewReader("q")
	var out bytes.Buffer
	ui := New(stdin, &out).Samples(Options{})
	if err := ui.Start(session.Info{Router: "bras1", Targets: []string{"alice"}, Interval: time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := ui.Consume(ctx, samples); err != nil {
		t.Fatalf("the TUI's Consume: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the TUI did not quit on q")
	}
	if !strings.Contains(out.String(), leaveAltScreen) {
		t.Error("the alternate screen was not left")
	}
}

// TestTUIShowsNotes: a note told before the UI is up and one told while it
// runs are both drawn, as notes.
func TestTUIShowsNotes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	keys, _ := io.Pipe() // no key: only the end of ctx ends the UI
	out := &agenttest.Buffer{}
	scr := New(keys, out)
	ui := scr.Samples(Options{})
	scr.Note("Gi0/1: using 32-bit ifInOctets/ifOutOctets")
	if err := ui.Start(session.Info{Router: "bras1", Targets: []string{"Gi0/1"}, Interval: time.Second}); err != nil {
		t.Fatal(err)
	}
	samples := make(chan sample.Sample)
	ended := make(chan error, 1)
	go func() { ended <- ui.Consume(ctx, samples) }()
	waitFor := func(text string) {
		t.Helper()
		for !strings.Contains(out.String(), text) {
			if ctx.Err() != nil {
				t.Fatalf("the UI never drew %q", text)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for program := (*tea.Program)(nil); program == nil; time.Sleep(10 * time.Millisecond) {
		scr.mu.Lock()
		program = scr.program
		scr.mu.Unlock()
		if program != nil {
			program.Send(tea.WindowSizeMsg{Width: 100, Height: 30}) // a buffer has no size
		}
	}
	waitFor("note: Gi0/1: using 32-bit ifInOctets/ifOutOctets")
	scr.Note("bras1: the agent's sysUpTime.0 stood still")
	waitFor("sysUpTime.0 stood still")
	cancel()
	if err := <-ended; err != nil {
		t.Errorf("Consume after the end of ctx: %v", err)
	}
	if strings.Contains(out.String(), "last error") {
		t.Error("a note was drawn as an error")
	}
}

// TestTUINotesOfAFailedStart: notes told before the UI starts (an SSH host
// key recorded, say) still reach the user when the run ends before the UI
// is up: on stderr, before the error.
func TestTUINotesOfAFailedStart(t *testing.T) {
	ui := &Screen{}
	ui.Note("recorded the SSH host key of bras1")
	if got := ui.Unshown(); len(got) != 1 || got[0] != "recorded the SSH host key of bras1" {
		t.Errorf("Unshown = %q, want the note", got)
	}
	if (*Screen)(nil).Unshown() != nil {
		t.Error("no UI, yet notes")
	}
}
