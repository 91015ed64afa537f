package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// keyOf returns the message bubbletea sends for a binding's key name.
func keyOf(name string) tea.KeyMsg {
	switch name {
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	}
	return press(name)
}

func TestKeymapIsTheOnlyKeyList(t *testing.T) {
	// Every key of every binding does what the binding says, and the help
	// and the footer list the bindings: there is no other key table.
	m := newTestModel(t, Options{Targets: []string{"alice", "bob"}, Window: time.Minute}, 120, 50)
	m.Update(SamplesMsg(append(stream("alice", 300, time.Second, wave, nil), stream("bob", 300, time.Second, wave, nil)...)))
	k := m.keys
	type effect struct {
		b    key.Binding
		did  func(m *Model) bool
		help bool // pressed with the help open
	}
	effects := []effect{
		{b: k.Help, did: func(m *Model) bool { return m.help }},
		{b: k.Pause, did: func(m *Model) bool { return m.paused }},
		{b: k.Bytes, did: func(m *Model) bool { return m.bytes }},
		{b: k.Scale, did: func(m *Model) bool { return m.scale == ScaleFixed }},
		{b: k.Window, did: func(m *Model) bool { return m.window == 5*time.Minute }},
		{b: k.Reset, did: func(m *Model) bool { return m.targets[0].polls == 0 }},
		{b: k.Next, did: func(m *Model) bool { return m.focus == 1 }},
		{b: k.Back, did: func(m *Model) bool { _, end := m.viewRange(); return m.paused && end < m.newest }},
		{b: k.Close, did: func(m *Model) bool { return !m.help }, help: true},
		{b: k.HelpDown, did: func(m *Model) bool { return m.helpTop > 0 }, help: true},
	}
	for _, e := range effects {
		for _, name := range e.b.Keys() {
			fresh := newTestModel(t, Options{Targets: []string{"alice", "bob"}, Window: time.Minute}, 60, 15)
			fresh.Update(SamplesMsg(append(stream("alice", 300, time.Second, wave, nil), stream("bob", 300, time.Second, wave, nil)...)))
			if e.help {
				fresh.Update(keyOf(k.Help.Keys()[0]))
			}
			fresh.Update(keyOf(name))
			if !e.did(fresh) {
				t.Errorf("key %q of %q did not act", name, e.b.Help().Desc)
			}
		}
	}
	for _, name := range k.Quit.Keys() {
		if _, cmd := newTestModel(t, Options{}, 100, 30).Update(keyOf(name)); !isQuit(cmd) {
			t.Errorf("key %q did not quit", name)
		}
	}

	m.Update(press("?"))
	helpView := m.View()
	for _, col := range m.keys.FullHelp() {
		for _, b := range col {
			if b.Enabled() && (!strings.Contains(helpView, b.Help().Key) || !strings.Contains(helpView, b.Help().Desc)) {
				t.Errorf("help lacks %q %q:\n%s", b.Help().Key, b.Help().Desc, helpView)
			}
		}
	}
	m.Update(press("esc"))
	footer := lines(m.View())[49]
	for _, b := range m.keys.ShortHelp() {
		if b.Enabled() && !strings.Contains(footer, b.Help().Key+" "+b.Help().Desc) {
			t.Errorf("footer %q lacks %q", footer, b.Help().Key+" "+b.Help().Desc)
		}
	}

	// Rebinding a key changes Update, the help and the footer together.
	m.keys.Pause = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "freeze"))
	m.Update(press(" "))
	if m.paused {
		t.Error("space still pauses after pause was rebound to x")
	}
	m.Update(press("x"))
	if !m.paused {
		t.Error("x does not pause after pause was rebound to x")
	}
	if footer := lines(m.View())[49]; !strings.Contains(footer, "x freeze") {
		t.Errorf("footer %q does not show the rebound key", footer)
	}
	m.Update(press("?"))
	if !strings.Contains(m.View(), "x") || !strings.Contains(m.View(), "freeze") {
		t.Errorf("help does not show the rebound key:\n%s", m.View())
	}
}

func TestFooterFollowsTheMode(t *testing.T) {
	live := newTestModel(t, Options{Targets: []string{"alice"}}, 120, 30)
	live.Update(SamplesMsg(stream("alice", 10, time.Second, wave, nil)))
	if f := lines(live.View())[29]; !strings.Contains(f, "pause") || strings.Contains(f, "tab") {
		t.Errorf("live footer with one target %q: want pause, no tab", f)
	}
	replay := newTestModel(t, Options{Recording: stream("alice", 600, time.Second, wave, nil), Window: time.Minute}, 120, 30)
	if f := lines(replay.View())[29]; strings.Contains(f, "pause") || !strings.Contains(f, "← back") {
		t.Errorf("replay footer %q: want ← back, no pause", f)
	}
	replay.Update(press("?"))
	if f := lines(replay.View())[29]; !strings.Contains(f, "esc") {
		t.Errorf("footer under the help %q: want how to close it", f)
	}
}
