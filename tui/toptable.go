package tui

import (
	"regexp"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/ranking"
)

// table is stg top's table view: the rows of the last cycle, filtered
// and sorted, with a cursor. It keeps no copy of the rows: view indexes
// the cycle's, and only the rows on screen are drawn.
type table struct {
	keys tableKeys

	cycle   ranking.Cycle
	has     bool           // a cycle arrived
	held    *ranking.Cycle // the newest cycle while paused
	missed  int            // cycles that arrived while paused
	paused  bool
	ended   bool
	view    []int // the shown rows: indexes into cycle.Rows, in order
	sortKey ranking.Key
	bytes   bool

	filter     *regexp.Regexp
	memo       map[int]filterMemo // the filter's verdict per ifIndex
	editing    bool
	input      string // the filter being typed
	note       string // the footer's word until the next key
	noteFailed bool

	cursor   int // position of the selection in view
	selected int // ifIndex of the selection, kept across cycles
	// pinned keeps the selection on the first row, whichever row a cycle
	// ranks there: at start, and after the user moved it there. Moved
	// elsewhere, the selection keeps its row.
	pinned  bool
	top     int // first row on screen
	help    bool
	helpTop int
}

// filterMemo is the filter's verdict on a row, valid while the row keeps
// its subscriber and name (a new session on the ifIndex is asked again).
type filterMemo struct {
	user, name string
	ok         bool
}

// take shows a new cycle, or holds it while paused.
func (t *table) take(c ranking.Cycle) {
	if t.paused {
		t.held = &c
		t.missed++
		return
	}
	t.cycle, t.has = c, true
	t.rebuild()
}

// togglePause freezes the table, or shows the newest cycle again.
func (t *table) togglePause() {
	t.paused = !t.paused
	if !t.paused && t.held != nil {
		t.cycle, t.has, t.held = *t.held, true, nil
		t.rebuild()
	}
	t.missed = 0
}

// rebuild filters and sorts the cycle's rows and puts the cursor back on
// the selected row.
func (t *table) rebuild() {
	rows := t.cycle.Rows
	t.view = t.view[:0]
	for i := range rows {
		if t.matches(&rows[i]) {
			t.view = append(t.view, i)
		}
	}
	if t.sortKey != ranking.ByTotal { // the cycle comes ranked by total
		ranking.SortView(rows, t.view, t.sortKey)
	}
	if t.pinned {
		t.setCursor(0)
		return
	}
	for pos, i := range t.view {
		if rows[i].IfIndex == t.selected {
			t.cursor = pos
			return
		}
	}
	t.setCursor(t.cursor)
}

// matches reports whether the filter keeps a row: it matches the
// subscriber, the ifName, the ifDescr or the ifAlias.
func (t *table) matches(r *ranking.Row) bool {
	if t.filter == nil {
		return true
	}
	if m, ok := t.memo[r.IfIndex]; ok && m.user == r.User && m.name == r.IfName {
		return m.ok
	}
	f := t.filter
	ok := (r.User != "" && f.MatchString(r.User)) || f.MatchString(r.IfName) || f.MatchString(r.IfDescr) || f.MatchString(r.IfAlias)
	t.memo[r.IfIndex] = filterMemo{user: r.User, name: r.IfName, ok: ok}
	return ok
}

// setCursor moves the selection to pos, within the rows shown.
func (t *table) setCursor(pos int) {
	t.cursor = min(max(pos, 0), max(len(t.view)-1, 0))
	if row := t.selectedRow(); row != nil {
		t.selected = row.IfIndex
	}
}

// moveTo moves the selection as the user asked: to pos, pinned to the
// first row when it is there.
func (t *table) moveTo(pos int) {
	t.setCursor(pos)
	t.pinned = t.cursor == 0
}

// selectedRow returns the row under the cursor, or nil.
func (t *table) selectedRow() *ranking.Row {
	if t.cursor >= len(t.view) {
		return nil
	}
	return &t.cycle.Rows[t.view[t.cursor]]
}

// setFilter applies a filter typed at the prompt: a regular expression
// over the subscriber and the interface's names; "" shows every row.
func (t *table) setFilter(text string) {
	if text == "" {
		t.filter, t.memo = nil, nil
		t.rebuild()
		return
	}
	re, err := regexp.Compile(text)
	if err != nil {
		t.note, t.noteFailed = "filter "+text+": not a regular expression: "+err.Error(), true
		return
	}
	t.filter, t.memo = re, map[int]filterMemo{}
	t.rebuild()
	t.moveTo(0)
}

// addNote adds a note of the run to those the footer shows until the
// next key.
func (t *table) addNote(n string) {
	if t.note != "" && !t.noteFailed {
		t.note += "; "
	} else {
		t.note, t.noteFailed = "", false
	}
	t.note += n
}

// enableKeys brings the keymap up to date; rows is the table's height.
func (t *table) enableKeys(helpScrolls bool) {
	t.keys.enable(tableKeyState{help: t.help, helpScrolls: helpScrolls, editing: t.editing, canOpen: t.selectedRow() != nil})
}

// handleKey applies one key press. It returns tea.Quit for the quit keys
// and the row to open for the open key.
func (t *table) handleKey(k tea.KeyMsg, page int, helpScrolls bool) (tea.Cmd, *ranking.Row) {
	t.enableKeys(helpScrolls)
	t.note, t.noteFailed = "", false
	keys := &t.keys
	switch {
	case t.editing:
		t.editKey(k)
	case key.Matches(k, keys.Quit):
		return tea.Quit, nil
	case key.Matches(k, keys.Close):
		t.help = false
	case key.Matches(k, keys.HelpUp):
		t.helpTop--
	case key.Matches(k, keys.HelpDown):
		t.helpTop++
	case key.Matches(k, keys.Help):
		t.help, t.helpTop = true, 0
	case key.Matches(k, keys.Open):
		return nil, t.selectedRow()
	case key.Matches(k, keys.Up):
		t.moveTo(t.cursor - 1)
	case key.Matches(k, keys.Down):
		t.moveTo(t.cursor + 1)
	case key.Matches(k, keys.PageUp):
		t.moveTo(t.cursor - page)
	case key.Matches(k, keys.PageDown):
		t.moveTo(t.cursor + page)
	case key.Matches(k, keys.First):
		t.moveTo(0)
	case key.Matches(k, keys.Last):
		t.moveTo(len(t.view) - 1)
	case key.Matches(k, keys.ByTotal):
		t.sortBy(ranking.ByTotal)
	case key.Matches(k, keys.ByIn):
		t.sortBy(ranking.ByIn)
	case key.Matches(k, keys.ByOut):
		t.sortBy(ranking.ByOut)
	case key.Matches(k, keys.Filter):
		t.editing, t.input = true, ""
		if t.filter != nil {
			t.input = t.filter.String()
		}
	case key.Matches(k, keys.Pause):
		t.togglePause()
	case key.Matches(k, keys.Bytes):
		t.bytes = !t.bytes
	}
	t.enableKeys(helpScrolls)
	return nil, nil
}

// editKey edits the filter at the prompt.
func (t *table) editKey(k tea.KeyMsg) {
	switch {
	case key.Matches(k, t.keys.Apply):
		t.editing = false
		t.setFilter(t.input)
	case key.Matches(k, t.keys.Cancel):
		t.editing = false
	case k.Type == tea.KeyBackspace:
		if r := []rune(t.input); len(r) > 0 {
			t.input = string(r[:len(r)-1])
		}
	case k.Type == tea.KeyRunes || k.Type == tea.KeySpace:
		t.input += string(k.Runes)
	}
}

// sortBy orders the rows by key, the largest first, and puts the cursor
// on the first row.
func (t *table) sortBy(k ranking.Key) {
	t.sortKey = k
	t.rebuild()
	t.moveTo(0)
}

// age returns how old the cycle shown is at now.
func (t *table) age(now time.Time) time.Duration {
	return max(now.Sub(t.cycle.End), 0)
}
