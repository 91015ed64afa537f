package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
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

func TestWindowFlagTakesAnyDurationInRange(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  time.Duration
	}{
		{"30s", 30 * time.Second}, {"30", 30 * time.Second}, {"10m", 10 * time.Minute},
		{"2h", 2 * time.Hour}, {"10s", 10 * time.Second}, {"24h", 24 * time.Hour},
	} {
		o, err := parseOptions([]string{"r", "1", "--window", tt.value}, envOf(nil))
		if err != nil {
			t.Errorf("--window %s: %v", tt.value, err)
			continue
		}
		if o.Window != tt.want {
			t.Errorf("--window %s gives %v, want %v", tt.value, o.Window, tt.want)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--window", "5s"}, "--window: the chart window must be from 10s to 24h, got 5s"},
		{[]string{"--window", "25h"}, "--window: the chart window must be from 10s to 24h, got 25h"},
		{[]string{"--window", "0"}, "--window: the chart window must be from 10s to 24h"},
		{[]string{"--window", "-1m"}, "--window: the chart window must be from 10s to 24h"},
		{[]string{"--window", "24h", "-i", "0.1"}, "use at most 4h45m, or poll less often"},
	} {
		_, err := parseOptions(append([]string{"r", "1"}, tt.args...), envOf(nil))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got error %v, want one saying %q", tt.args, err, tt.want)
		}
	}
}

func TestReplayWindowFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runReplay(context.Background(), []string{"--window", "5s", "rec.csv"}, envOf(nil), strings.NewReader(""), &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--window: the chart window must be from 10s to 24h, got 5s") {
		t.Errorf("replay --window 5s: exit %d, stderr %q; want exit 2 and the allowed range", code, stderr.String())
	}
}
