package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// keyMap is every key the UI answers to. It is the only key list: Update
// matches key presses against it, the footer shows its short help and
// the `?` help lists its bindings (with all the keys of each). A binding
// that means nothing in the current mode is disabled, so it neither acts
// nor shows.
type keyMap struct {
	Help    key.Binding
	Quit    key.Binding
	Pause   key.Binding
	Back    key.Binding // scroll back in time
	Forward key.Binding // scroll forward in time
	End     key.Binding // back to the live edge, or the end of a replay
	Window  key.Binding
	Scale   key.Binding
	Bytes   key.Binding
	Reset   key.Binding
	Next    key.Binding
	Save    key.Binding // a picture of the view, when Options.Save is set
	Return  key.Binding // back to where the chart was opened from, when Options.Back is set

	// Keys of the open help.
	Close    key.Binding
	HelpUp   key.Binding
	HelpDown key.Binding
}

// shared holds the keys the chart and stg top's table have in common, so
// that both read the same.
var shared = struct {
	Help, Quit, Pause, Bytes, Close, HelpUp, HelpDown key.Binding
}{
	Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	Pause:    key.NewBinding(key.WithKeys(" ", "p"), key.WithHelp("space", "pause")),
	Bytes:    key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "bits/bytes")),
	Close:    key.NewBinding(key.WithKeys("?", "esc"), key.WithHelp("esc", "close help")),
	HelpUp:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", "scroll up")),
	HelpDown: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "scroll down")),
}

// newKeyMap returns the default keys.
func newKeyMap() keyMap {
	return keyMap{
		Help:     shared.Help,
		Quit:     shared.Quit,
		Pause:    shared.Pause,
		Back:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "back")),
		Forward:  key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "forward")),
		End:      key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "live")),
		Window:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "window")),
		Scale:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "scale")),
		Bytes:    shared.Bytes,
		Reset:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reset stats")),
		Next:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next target")),
		Save:     key.NewBinding(key.WithKeys("P", "ctrl+s"), key.WithHelp("P", "save picture")),
		Return:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Close:    shared.Close,
		HelpUp:   shared.HelpUp,
		HelpDown: shared.HelpDown,
	}
}

// ShortHelp returns the bindings the footer shows, most useful first; the
// footer drops them from the end when it is too narrow.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Close, k.Return, k.Quit, k.HelpUp, k.HelpDown, k.Pause, k.Back, k.Forward, k.End,
		k.Window, k.Scale, k.Bytes, k.Save, k.Reset, k.Next}
}

// FullHelp returns the bindings the `?` help lists: the view keys, then
// the others.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Pause, k.Back, k.Forward, k.End, k.Window, k.Scale, k.Bytes},
		{k.Reset, k.Next, k.Save, k.Return, k.Help, k.Close, k.HelpUp, k.HelpDown, k.Quit},
	}
}

// keyState is what decides which bindings mean something.
type keyState struct {
	help, helpScrolls, replay, frozen bool
	canSave                           bool   // a Save hook and something to save
	back                              string // Options.Back
	targets                           int
}

// enable turns each binding on or off for the state s: the help's own
// keys only while it is open (scrolling only when it does not fit), the
// view keys only while it is closed.
func (k *keyMap) enable(s keyState) {
	view := !s.help
	k.Help.SetEnabled(view)
	k.Pause.SetEnabled(view && !s.replay)
	k.Back.SetEnabled(view)
	k.Forward.SetEnabled(view && s.frozen)
	k.End.SetEnabled(view && s.frozen)
	k.Window.SetEnabled(view)
	k.Scale.SetEnabled(view)
	k.Bytes.SetEnabled(view)
	k.Reset.SetEnabled(view)
	k.Next.SetEnabled(view && s.targets > 1)
	k.Save.SetEnabled(view && s.canSave)
	k.Return.SetEnabled(view && s.back != "")
	k.Return.SetHelp(k.Return.Help().Key, s.back)
	k.Close.SetEnabled(s.help)
	k.HelpUp.SetEnabled(s.help && s.helpScrolls)
	k.HelpDown.SetEnabled(s.help && s.helpScrolls)
	desc := "live"
	if s.replay {
		desc = "to the end"
	}
	k.End.SetHelp(k.End.Help().Key, desc)
}

// keyGlyphs are how the help writes the keys whose names are long.
var keyGlyphs = map[string]string{" ": "space", "left": "←", "right": "→", "up": "↑", "down": "↓"}

// keyNames lists a binding's keys as the help shows them: "space, p".
func keyNames(b key.Binding) string {
	names := make([]string, len(b.Keys()))
	for i, k := range b.Keys() {
		if g, ok := keyGlyphs[k]; ok {
			k = g
		}
		names[i] = k
	}
	return strings.Join(names, ", ")
}

// enableKeys brings the keymap up to date with the model.
func (m *Model) enableKeys() {
	m.keys.enable(keyState{
		help:        m.help,
		helpScrolls: m.helpOverflows(),
		replay:      m.replay,
		frozen:      m.replay || m.paused,
		canSave:     m.opts.Save != nil && m.newest != 0,
		back:        m.opts.Back,
		targets:     len(m.targets),
	})
}

// handleKey applies one key press and returns tea.Quit for the quit keys.
func (m *Model) handleKey(k tea.KeyMsg) tea.Cmd {
	m.enableKeys()
	m.saveNote, m.note = "", ""
	keys := &m.keys
	switch {
	case key.Matches(k, keys.Quit):
		return tea.Quit
	case key.Matches(k, keys.Close):
		m.help = false
	case key.Matches(k, keys.HelpUp):
		m.helpTop--
	case key.Matches(k, keys.HelpDown):
		m.helpTop++
	case key.Matches(k, keys.Help):
		m.help, m.helpTop = true, 0
	case key.Matches(k, keys.Pause):
		m.togglePause()
	case key.Matches(k, keys.Bytes):
		m.bytes = !m.bytes
	case key.Matches(k, keys.Scale):
		m.scale = (m.scale + 1) % (ScaleLog + 1)
	case key.Matches(k, keys.Window):
		m.nextWindow()
	case key.Matches(k, keys.Reset):
		for _, t := range m.targets {
			t.reset()
		}
	case key.Matches(k, keys.Next):
		m.focus = (m.focus + 1) % len(m.targets)
	case key.Matches(k, keys.Back):
		m.scroll(-1)
	case key.Matches(k, keys.Forward):
		m.scroll(1)
	case key.Matches(k, keys.End):
		m.toEnd()
	case key.Matches(k, keys.Save):
		return m.savePicture()
	case key.Matches(k, keys.Return):
		return func() tea.Msg { return BackMsg{} }
	}
	m.enableKeys()
	return nil
}
