package tui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
)

// TopOptions configure a TopModel.
type TopOptions struct {
	// Router is the router as the user named it, for the header.
	Router string
	// Cycles is the stream of stg top's cycles; Init starts reading it.
	Cycles <-chan ranking.Cycle
	// Drill is what Enter calls with the selected row: it starts polling
	// the row's interface for its 1-second chart and returns the sample
	// stream. Esc calls the Drill's Stop and goes back to the table,
	// which went on taking cycles meanwhile. nil leaves Enter out.
	Drill func(ranking.Row) (Drill, error)
	// Interval, Window, Bytes and Save are the chart's (see Options).
	Interval time.Duration
	Window   time.Duration
	Bytes    bool
	Save     func(Picture) (path string, err error)
	// Now, when set, is the clock the header's data age is measured by;
	// the UI reads no clock of its own.
	Now func() time.Time
	// Output is the terminal the UI is drawn on (see Options.Output).
	Output io.Writer
	// Notes are notes told before the UI started (NoteMsg brings later
	// ones); the footer shows them until the next key.
	Notes []string
}

// Drill is a row's chart, started by TopOptions.Drill.
type Drill struct {
	// Samples is the row's sample stream, polled at the interval.
	Samples <-chan sample.Sample
	// Stop ends the polling; the stream is then closed.
	Stop func()
}

// BackMsg is what a chart with Options.Back sends when Esc is pressed.
type BackMsg struct{}

// CycleMsg carries a cycle of stg top.
type CycleMsg ranking.Cycle

// CyclesEndedMsg says the cycle stream was closed.
type CyclesEndedMsg struct{}

// WaitForCycles returns a command that blocks for the next cycle on ch,
// keeping only the newest of those already waiting; a closed channel
// yields CyclesEndedMsg.
func WaitForCycles(ch <-chan ranking.Cycle) tea.Cmd {
	return func() tea.Msg {
		c, ok := <-ch
		if !ok {
			return CyclesEndedMsg{}
		}
		for {
			select {
			case next, ok := <-ch:
				if !ok {
					return CycleMsg(c)
				}
				c = next
			default:
				return CycleMsg(c)
			}
		}
	}
}

// topView is which of its views a TopModel shows.
type topView int

const (
	viewTable topView = iota
	viewChart
)

// drillMsg is a message of a row's chart, tagged with the drill it
// belongs to, so that a closed chart's last messages go nowhere.
type drillMsg struct {
	gen int
	msg tea.Msg
}

// ageTick redraws the header's data age.
type ageTick struct{}

// TopModel is stg top's terminal UI: the table of the rows and, on Enter,
// the chart of one row. The two are views over one root: Update handles
// what is common (cycles, sizes), then hands the message to the view
// shown.
type TopModel struct {
	opts  TopOptions
	r     *lipgloss.Renderer
	st    *styles
	table *table
	view  topView
	chart *Model
	drill Drill
	gen   int

	width, height int
}

// NewTop returns a TopModel ready to run in a tea.Program.
func NewTop(opts TopOptions) *TopModel {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	r := lipgloss.DefaultRenderer()
	if opts.Output != nil {
		r = lipgloss.NewRenderer(opts.Output)
	}
	m := &TopModel{opts: opts, r: r, st: newStyles(r), table: &table{keys: newTableKeys(), bytes: opts.Bytes, pinned: true}}
	for _, n := range opts.Notes {
		m.table.addNote(n)
	}
	return m
}

// Init starts reading the cycles (and the age clock).
func (m *TopModel) Init() tea.Cmd {
	cmds := []tea.Cmd{WaitForCycles(m.opts.Cycles)}
	if m.opts.Now != nil {
		cmds = append(cmds, tickAge())
	}
	return tea.Batch(cmds...)
}

// tickAge asks for a redraw of the data age in a second.
func tickAge() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return ageTick{} })
}

// Update takes cycles whatever the view, and hands keys and the chart's
// messages to the view shown.
func (m *TopModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case CycleMsg:
		m.table.take(ranking.Cycle(msg))
		return m, WaitForCycles(m.opts.Cycles)
	case CyclesEndedMsg:
		m.table.ended = true
	case ageTick:
		return m, tickAge()
	case NoteMsg:
		m.table.addNote(string(msg))
		if m.chart != nil {
			m.chart.Update(msg)
		}
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		if m.chart != nil {
			m.chart.Update(msg)
		}
	case drillMsg:
		if msg.gen != m.gen || m.view != viewChart {
			return m, nil
		}
		if _, ok := msg.msg.(BackMsg); ok {
			m.closeChart()
			return m, nil
		}
		_, cmd := m.chart.Update(msg.msg)
		return m, m.wrap(cmd)
	case tea.KeyMsg:
		if m.view == viewChart {
			_, cmd := m.chart.Update(msg)
			return m, m.wrap(cmd)
		}
		cmd, open := m.table.handleKey(msg, m.page(), m.helpOverflows())
		if open != nil {
			return m, m.openChart(*open)
		}
		return m, cmd
	}
	return m, nil
}

// page is how many rows the table shows at once.
func (m *TopModel) page() int { return max(m.height-tableChrome, 1) }

// openChart starts the chart of a row through the Drill hook.
func (m *TopModel) openChart(row ranking.Row) tea.Cmd {
	if m.opts.Drill == nil {
		return nil
	}
	d, err := m.opts.Drill(row)
	if err != nil {
		m.table.note, m.table.noteFailed = fmt.Sprintf("chart of %s: %v", row.Target, err), true
		return nil
	}
	m.gen++
	m.drill, m.view = d, viewChart
	m.chart = New(Options{
		Router:   m.opts.Router,
		Targets:  []string{row.Target},
		Interval: m.opts.Interval,
		Window:   m.opts.Window,
		Bytes:    m.table.bytes,
		Samples:  d.Samples,
		Output:   m.opts.Output,
		Save:     m.opts.Save,
		Back:     "back to the table",
	})
	m.chart.r, m.chart.st = m.r, m.st // one renderer for the program
	m.chart.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
	return m.wrap(m.chart.Init())
}

// closeChart stops the row's polling and shows the table again.
func (m *TopModel) closeChart() {
	if m.drill.Stop != nil {
		m.drill.Stop()
	}
	m.drill, m.chart, m.view = Drill{}, nil, viewTable
	m.gen++
}

// wrap tags the messages of the chart's command with the current drill.
func (m *TopModel) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	gen := m.gen
	var tag func(tea.Cmd) tea.Cmd
	tag = func(cmd tea.Cmd) tea.Cmd {
		return func() tea.Msg {
			switch msg := cmd().(type) {
			case tea.QuitMsg:
				return msg
			case tea.BatchMsg:
				out := make(tea.BatchMsg, 0, len(msg))
				for _, c := range msg {
					if c != nil {
						out = append(out, tag(c))
					}
				}
				return out
			default:
				return drillMsg{gen: gen, msg: msg}
			}
		}
	}
	return tag(cmd)
}

// View draws the view shown.
func (m *TopModel) View() string {
	if m.view == viewChart {
		return m.chart.View()
	}
	switch {
	case m.width == 0 || m.height == 0:
		return "stg: waiting for the terminal size..."
	case m.width < MinWidth || m.height < MinHeight:
		return fmt.Sprintf("stg needs a terminal of at least %dx%d; this one is %dx%d.\nEnlarge it, or press q to quit.",
			MinWidth, MinHeight, m.width, m.height)
	}
	m.table.enableKeys(m.helpOverflows())
	body := m.height - 2
	var text string
	if m.table.help {
		text = m.renderTopHelp(body)
	} else {
		text = m.renderTable(body)
	}
	return m.renderTopHeader() + "\n" + text + "\n" + m.renderTopFooter()
}

// renderHints is a footer of key hints, cut with an ellipsis where the
// terminal is too narrow.
func (m *TopModel) renderHints(bindings []key.Binding) string {
	h := help.New()
	h.Width = m.width
	h.ShortSeparator = "  "
	h.Styles = help.Styles{ShortKey: m.st.dim, ShortDesc: m.st.dim, ShortSeparator: m.st.dim, Ellipsis: m.st.dim}
	return h.ShortHelpView(bindings)
}

// topHelpNotes explain the table, after the keys.
var topHelpNotes = []struct{ title, text string }{
	{"Rows", "Every subscriber session of the router (every interface on a router without sessions, " +
		"or what --filter matches), ranked by its latest rate. Each row is timed by the answer that carried it " +
		"and has the poller's rules: a cycle without a rate (first reading, pending counters, timeout, reset) " +
		"keeps the last rate and says why in the now column, never a 0."},
	{"Header", "sum is the rows' rates added up: the load they put on the uplinks. " +
		"cycle is the least time between cycles (-i); \"cycle = walk\" when reading every row takes longer. " +
		"age is how old the table is."},
	{"Columns", "trend is the total of the last cycles, scaled to the row's own peak (a space: no rate); " +
		"share is the row's part of the sum."},
	{"Chart", "enter opens the 1-second chart of the row, polled at -i; esc comes back to the table, " +
		"which kept refreshing."},
}

// topHelpLines returns the help's text: the table's keys, then the notes.
func (m *TopModel) topHelpLines() []string {
	k := m.table.keys
	k.enable(tableKeyState{canOpen: m.opts.Drill != nil})
	k.Close.SetEnabled(true)
	out := []string{"stg top help", "", "Keys"}
	for _, col := range k.FullHelp() {
		for _, b := range col {
			if b.Enabled() {
				out = append(out, fmt.Sprintf("  %-10s %s", keyNames(b), b.Help().Desc))
			}
		}
	}
	for _, n := range topHelpNotes {
		out = append(out, "", n.title)
		out = append(out, wrap(n.text, helpWidth-2, "  ", "  ")...)
	}
	return out
}

// helpOverflows reports whether the help is longer than its box.
func (m *TopModel) helpOverflows() bool { return len(m.topHelpLines()) > max(m.height-4, 1) }

// renderTopHelp is the help box, centred, scrolled when it does not fit.
func (m *TopModel) renderTopHelp(rows int) string {
	text := m.topHelpLines()
	if shown := max(rows-2, 1); len(text) > shown {
		shown--
		m.table.helpTop = min(max(m.table.helpTop, 0), len(text)-shown)
		status := fmt.Sprintf("lines %d-%d of %d, ↑/↓ scroll", m.table.helpTop+1, m.table.helpTop+shown, len(text))
		text = append(text[m.table.helpTop:m.table.helpTop+shown:m.table.helpTop+shown], m.st.dim.Render(fit(status, helpWidth)))
	}
	box := m.st.help.Width(helpWidth + 2).Render(strings.Join(text, "\n"))
	placed := strings.Split(m.r.Place(m.width, rows, lipgloss.Center, lipgloss.Center, box), "\n")
	return strings.Join(placed[:min(len(placed), rows)], "\n")
}
