package tui

import (
	"github.com/charmbracelet/bubbles/key"
)

// tableKeys is every key stg top's table answers to, in the style of
// keyMap: Update matches against it, the footer shows its short help and
// `?` lists it. A binding that means nothing at the moment is disabled.
type tableKeys struct {
	Help     key.Binding
	Quit     key.Binding
	Open     key.Binding // the chart of the selected row
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	First    key.Binding
	Last     key.Binding
	ByTotal  key.Binding
	ByIn     key.Binding
	ByOut    key.Binding
	Filter   key.Binding
	Pause    key.Binding
	Bytes    key.Binding

	// Keys of the filter prompt and of the open help.
	Apply    key.Binding
	Cancel   key.Binding
	Close    key.Binding
	HelpUp   key.Binding
	HelpDown key.Binding
}

// newTableKeys returns the table's default keys.
func newTableKeys() tableKeys {
	return tableKeys{
		Help:     shared.Help,
		Quit:     shared.Quit,
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "chart")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		First:    key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "top")),
		Last:     key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "bottom")),
		ByTotal:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "sort by total")),
		ByIn:     key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "sort by in")),
		ByOut:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "sort by out")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Pause:    shared.Pause,
		Bytes:    shared.Bytes,
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Close:    shared.Close,
		HelpUp:   shared.HelpUp,
		HelpDown: shared.HelpDown,
	}
}

// ShortHelp returns the bindings the footer shows, most useful first.
func (k tableKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Apply, k.Cancel, k.Help, k.Close, k.Quit, k.HelpUp, k.HelpDown, k.Open,
		k.ByTotal, k.ByIn, k.ByOut, k.Filter, k.Pause, k.Bytes}
}

// FullHelp returns the bindings `?` lists.
func (k tableKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Open, k.Up, k.Down, k.PageUp, k.PageDown, k.First, k.Last},
		{k.ByTotal, k.ByIn, k.ByOut, k.Filter, k.Pause, k.Bytes, k.Help, k.Close, k.Quit},
	}
}

// tableKeyState is what decides which of the table's bindings mean
// something.
type tableKeyState struct {
	help, helpScrolls, editing, canOpen bool
}

// enable turns each binding on or off: the prompt's keys while a filter
// is typed (every other key is text then), the help's own keys while it
// is open, the table's keys otherwise.
func (k *tableKeys) enable(s tableKeyState) {
	table := !s.help && !s.editing
	for _, b := range []*key.Binding{&k.Help, &k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.First, &k.Last,
		&k.ByTotal, &k.ByIn, &k.ByOut, &k.Filter, &k.Pause, &k.Bytes} {
		b.SetEnabled(table)
	}
	k.Quit.SetEnabled(!s.editing)
	k.Open.SetEnabled(table && s.canOpen)
	k.Apply.SetEnabled(s.editing)
	k.Cancel.SetEnabled(s.editing)
	k.Close.SetEnabled(s.help)
	k.HelpUp.SetEnabled(s.help && s.helpScrolls)
	k.HelpDown.SetEnabled(s.help && s.helpScrolls)
}
