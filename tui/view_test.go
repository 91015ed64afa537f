package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
)

func TestHeaderDegradesWhole(t *testing.T) {
	rec := stream("alice", 90, time.Second, wave, nil)
	tests := []struct {
		name   string
		opts   Options
		keys   []string
		router string
		badge  string
	}{
		{"live", Options{Targets: []string{"alice"}}, nil, "bras1", "LIVE"},
		{"paused", Options{Targets: []string{"alice"}}, []string{" "}, "bras1", "PAUSED +0"},
		{"replay", Options{Recording: rec, Window: 5 * time.Minute}, nil, "bras1", "REPLAY 09:26:01-09:27:30"},
		{"long router", Options{Targets: []string{"alice"}}, nil, "udp6:[2001:db8:100:200::1]:16161", "LIVE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Router = tt.router
			m := newTestModel(t, tt.opts, 200, 30)
			if tt.opts.Recording == nil {
				m.Update(SamplesMsg(rec))
			}
			for _, k := range tt.keys {
				m.Update(press(k))
			}
			full := strings.Fields(lines(m.View())[0])
			for _, w := range []int{60, 70, 80} {
				m.Update(tea.WindowSizeMsg{Width: w, Height: 15})
				head := lines(m.View())[0]
				if n := utf8.RuneCountInString(head); n > w {
					t.Errorf("%d wide: header is %d wide: %q", w, n, head)
				}
				if !strings.Contains(head, tt.badge) {
					t.Errorf("%d wide: header %q lacks %q", w, head, tt.badge)
				}
				for _, f := range strings.Fields(head) {
					if !contains(full, f) {
						t.Errorf("%d wide: header %q has %q, a word cut short (full header %q)", w, head, f, full)
					}
				}
			}
		})
	}
}

// contains reports whether ss holds s.
func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestHelpFitsSmallTerminals(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 60, 15)
	m.Update(SamplesMsg(stream("alice", 90, time.Second, wave, nil)))
	m.Update(press("?"))
	seen := map[string]bool{}
	for page := 0; page < 60; page++ {
		v := m.View()
		ls := lines(v)
		if len(ls) != 15 {
			t.Fatalf("help at 60x15 is %d lines", len(ls))
		}
		for i, l := range ls {
			if n := utf8.RuneCountInString(l); n > 60 {
				t.Errorf("help at 60x15: line %d is %d wide: %q", i, n, l)
			}
			seen[strings.Trim(l, " │")] = true
		}
		if !strings.Contains(v, "╭") || !strings.Contains(v, "╰") {
			t.Fatalf("help box at 60x15 is cut:\n%s", v)
		}
		if !strings.Contains(v, "60x15") {
			t.Fatalf("help at 60x15 does not say the terminal is 60x15 while it does not fit:\n%s", v)
		}
		m.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
	// Scrolling reached the end of the help: the last key line was seen.
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 50})
	full := m.View()
	if strings.Contains(full, "120x50") {
		t.Errorf("help that fits still talks about the size:\n%s", full)
	}
	for _, l := range lines(full) {
		inner := strings.Trim(l, " │")
		if strings.Contains(l, "│") && inner != "" && !seen[inner] {
			t.Errorf("help line %q never shown at 60x15", inner)
		}
	}
}

func TestHelpExplainsMarkersAndWindow(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 120, 50)
	m.Update(press("?"))
	v := m.View()
	for _, re := range []string{
		`│ *X +[a-z].*(reset|discontinuity)`,
		`│ *R +[a-z].*reconnect`,
		`(?i)until .*window`,
	} {
		if !regexp.MustCompile(re).MatchString(v) {
			t.Errorf("help does not match %s:\n%s", re, v)
		}
	}
}

func TestTotalIsLabelledInBytes(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
	m.Update(SamplesMsg(stream("alice", 10, time.Second, constant(80e6, 8e6), nil)))
	for _, k := range []string{"", "b"} {
		if k != "" {
			m.Update(press(k))
		}
		ls := lines(m.View())
		head, in := ls[2], ls[3]
		if !strings.HasSuffix(head, "total B") {
			t.Errorf("readout head %q does not say total is in bytes", head)
		}
		// 80 Mb/s over 10 rated seconds is 100 MB.
		if f := strings.Fields(in); f[len(f)-1] != "100M" {
			t.Errorf("in total %q, want 100M (bytes)", f[len(f)-1])
		}
	}
}

func TestWaitingForTheFirstRateSaysWhy(t *testing.T) {
	tests := []struct {
		name   string
		status []sample.Status
		period time.Duration
		want   string
	}{
		{"first reading", []sample.Status{sample.StatusFirst}, 0, "first reading"},
		{"counters not moved yet", []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusPending}, 0,
			"waiting for the agent's counters to change"},
		{"caching agent", []sample.Status{sample.StatusFirst, sample.StatusPending}, 3 * time.Second,
			"waiting for the agent's counters to change (it refreshes them every ≈3 s)"},
		{"counters moved, refresh not yet known", []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusPending, sample.StatusPending}, 0,
			"counters moved: learning whether the agent refreshes them on a timer or when asked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{Targets: []string{"alice"}}, 150, 30)
			samples := stream("alice", len(tt.status), time.Second, wave, func(i int) sample.Status { return tt.status[i] })
			moves := strings.HasPrefix(tt.name, "counters moved")
			for i := range samples {
				samples[i].CachePeriod = tt.period
				if !moves || i < 2 {
					// The counters hold still until the third reading.
					samples[i].InOctets, samples[i].OutOctets = samples[0].InOctets, samples[0].OutOctets
				}
			}
			m.Update(SamplesMsg(samples))
			if v := m.View(); !strings.Contains(v, tt.want) {
				t.Errorf("view does not say %q:\n%s", tt.want, v)
			}
			m.Update(SamplesMsg{sampleAt("alice", len(tt.status), time.Second, wave, nil)})
			if v := m.View(); strings.Contains(v, "waiting") || strings.Contains(v, "first reading") {
				t.Errorf("the first rate arrived, the view still waits:\n%s", v)
			}
		})
	}
}
