package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/snmp"
)

// fakeUI is a model that quits, panics or waits, to see how runProgram
// ends.
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
			err := runProgram(ctx, fakeUI{act: tt.act}, strings.NewReader("x"), &out)
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
				t.Error("runProgram did not end by itself")
			}
		})
	}
}

func TestRunTUIQuitsOnQ(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	samples := make(chan snmp.Sample, 4)
	now := time.Date(2026, 3, 14, 9, 26, 0, 0, time.Local)
	for i := range 3 {
		samples <- snmp.Sample{Time: now.Add(time.Duration(i) * time.Second), Target: "alice", IfIndex: 7,
			InBps: 1e6, OutBps: 2e6, Interval: time.Second, Status: snmp.StatusOK, CounterBits: 64}
	}
	close(samples)
	// Keys arrive on stdin; the closed stream does not end the UI, q does.
	stdin := strings.NewReader("q")
	var out bytes.Buffer
	err := runTUI(ctx, tuiConfig{Router: "bras1", Targets: []string{"alice"}, Interval: time.Second}, samples, stdin, &out)
	if err != nil {
		t.Fatalf("runTUI: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("runTUI did not quit on q")
	}
	if !strings.Contains(out.String(), leaveAltScreen) {
		t.Error("the alternate screen was not left")
	}
}
