package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// helpWidth is the width of the help's text: the box is MinWidth wide, so
// the text is the same at every terminal size and only scrolls.
const helpWidth = MinWidth - 4

// helpNotes explain what the chart shows, after the keys: a title starts
// a section, a term hangs out of its text.
var helpNotes = []struct{ title, term, text string }{
	{"Chart", "", "In is an area (█), out a line (⠒⠒); in colour in is green and out blue. " +
		"A gap is a poll without a rate (timeout, offline)."},
	{"", "X", "a counter reset or discontinuity: no rate until a new baseline"},
	{"", "R", "the subscriber reconnected on a new interface"},
	{"", "", "Before the first rate the chart says what it waits for: a second reading, " +
		"or an agent that refreshes its counters only every few seconds."},
	{"Window", "", "Until a window's worth is recorded, the chart spreads what there is across its width " +
		"and the header says so (\"window 42s of 5m\"); a replay shorter than its window shows all of it. " +
		"w steps through 1m, 5m, 15m, 1h and --window. " +
		"←/→ scroll a quarter window (a live chart pauses), end goes back."},
	{"Scale", "", "auto fits the view, fixed holds the maximum since the last reset, log draws decades from 1k; " +
		"every scale leaves the top row free."},
	{"Pause", "", "The chart freezes; polling and --log go on, and \"PAUSED +N\" counts the samples since."},
}

// helpLines returns the help's text, helpWidth wide at most: the keys of
// the keymap as the view has them, then the notes.
func (m *Model) helpLines() []string {
	view := m.keys
	view.enable(keyState{replay: m.replay, frozen: true, canSave: m.opts.Save != nil, targets: len(m.targets), back: m.opts.Back})
	for _, b := range []*key.Binding{&view.Close, &view.HelpUp, &view.HelpDown} {
		b.SetEnabled(true)
	}
	out := []string{"stg help", "", "Keys"}
	for _, col := range view.FullHelp() {
		for _, b := range col {
			if b.Enabled() {
				out = append(out, fmt.Sprintf("  %-10s %s", keyNames(b), b.Help().Desc))
			}
		}
	}
	for _, n := range helpNotes {
		if n.title != "" {
			out = append(out, "", n.title)
		}
		first, rest := "  ", "  "
		if n.term != "" {
			first, rest = fmt.Sprintf("  %-3s", n.term), "     "
		}
		out = append(out, wrap(n.text, helpWidth-2, first, rest)...)
	}
	return out
}

// wrap breaks text into lines of at most width runes at spaces, the first
// starting with first and the others with rest (which count in the width).
func wrap(text string, width int, first, rest string) []string {
	var out []string
	indent := first
	line := indent
	for _, w := range strings.Fields(text) {
		if line != indent && len([]rune(line))+1+len([]rune(w)) > width {
			out = append(out, line)
			indent = rest
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += w
	}
	return append(out, line)
}

// helpRows returns how many text lines the help box shows at once.
func (m *Model) helpRows() int { return max(m.height-chromeRows-2, 1) }

// helpOverflows reports whether the help's text is longer than its box.
func (m *Model) helpOverflows() bool { return len(m.helpLines()) > m.helpRows() }

// renderHelp is the help overlay, centred in the body. When the text is
// longer than the box, the box shows a part of it and its last line says
// which part, how to scroll and the terminal's size.
func (m *Model) renderHelp(rows int) string {
	text := m.helpLines()
	if len(text) > m.helpRows() {
		shown := m.helpRows() - 1
		m.helpTop = min(max(m.helpTop, 0), len(text)-shown)
		status := fmt.Sprintf("lines %d-%d of %d, ↑/↓ scroll (terminal %dx%d)",
			m.helpTop+1, m.helpTop+shown, len(text), m.width, m.height)
		text = append(text[m.helpTop:m.helpTop+shown:m.helpTop+shown], m.st.dim.Render(fit(status, helpWidth)))
	}
	box := m.st.help.Width(helpWidth + 2).Render(strings.Join(text, "\n"))
	placed := strings.Split(m.r.Place(m.width, rows, lipgloss.Center, lipgloss.Center, box), "\n")
	return strings.Join(placed[:min(len(placed), rows)], "\n")
}

// renderKeyHints is the footer's key list, from the keymap's short help,
// cut with an ellipsis where the terminal is too narrow.
func (m *Model) renderKeyHints() string {
	h := help.New()
	h.Width = m.width
	h.ShortSeparator = "  "
	h.Styles = help.Styles{
		ShortKey:       m.st.dim,
		ShortDesc:      m.st.dim,
		ShortSeparator: m.st.dim,
		Ellipsis:       m.st.dim,
	}
	return h.ShortHelpView(m.keys.ShortHelp())
}
