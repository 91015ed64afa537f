// Package tui is stg's terminal UI: a bubbletea model that draws each
// target's in/out rates as scrolling braille charts (ntcharts) with STG's
// readouts. It never does I/O and never reads the clock: samples arrive as
// messages and carry their own time.
package tui

import (
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/stg-project/stg/sample"
)

// Options configure a Model.
type Options struct {
	// Router is the router as the user named it, for the header.
	Router string
	// Targets are the --user/--if values in command-line order; targets
	// first seen in samples are added after them.
	Targets []string
	// Interval is the poll interval; it sizes the ring buffers to the
	// longest window `w` reaches. 0 means 1 s.
	Interval time.Duration
	// Window is the initial chart window, any duration from MinWindow to
	// MaxWindow (see CheckWindow; others are brought into that range).
	// 0 means DefaultWindow. The `w` key steps through it and 1m, 5m, 15m
	// and 1h.
	Window time.Duration
	// Bytes starts in bytes/s instead of bits/s.
	Bytes bool
	// Samples is the live stream; Init starts reading it.
	Samples <-chan sample.Sample
	// Recording, when not nil, makes a replay: these samples are the whole
	// data, the view starts at their end (all of them when they span less
	// than the window) and scrolls with left/right.
	Recording []sample.Sample
	// Output is the terminal the UI is drawn on; its colour profile is
	// detected from it and the environment (anything that is not a
	// terminal, NO_COLOR set and TERM=dumb get no colour). nil means
	// stdout.
	Output io.Writer
	// Save, when not nil, is what the save key (P) calls with the current
	// view: it writes a picture and returns the file's name, which the
	// footer shows. It runs off the UI's event loop; the UI itself does
	// no I/O. nil leaves the key out.
	Save func(Picture) (path string, err error)
	// Notes are notes told before the UI started (NoteMsg brings later
	// ones); the footer shows them until the first key.
	Notes []string
	// Back, when not "", says where Esc goes back to (stg top's table):
	// the key is listed, and pressing it sends a BackMsg for the caller.
	Back string
}

// Minimum terminal size the UI draws in; below it, it says so.
const (
	MinWidth  = 60
	MinHeight = 15
)

// Model is the terminal UI's bubbletea model. Use New; its methods have
// pointer receivers.
type Model struct {
	opts    Options
	r       *lipgloss.Renderer
	st      *styles
	keys    keyMap
	targets []*target
	charts  []*chart

	width, height int
	startWindow   time.Duration // the window asked for
	window        time.Duration
	scale         ScaleMode
	bytes         bool
	help          bool
	helpTop       int // first help line shown when the help does not fit
	paused        bool
	replay        bool
	ended         bool
	focus         int   // index of the tab target
	missed        int   // samples that arrived while paused
	viewEnd       int64 // right edge of a frozen view, Unix nanoseconds
	oldest        int64 // oldest sample time seen
	firstRate     int64 // oldest time of a sample with a rate
	newest        int64 // newest sample time seen

	frame   string
	dirty   bool
	drawnAt int64 // newest sample time when the frame was drawn

	saveNote   string // the footer's word on the last save, until the next key
	saveFailed bool   // the last save failed
	note       string // the notes told since the last key
}

// New returns a Model ready to run in a tea.Program.
func New(opts Options) *Model {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	r := lipgloss.DefaultRenderer()
	if opts.Output != nil {
		r = lipgloss.NewRenderer(opts.Output)
	}
	window := DefaultWindow
	if opts.Window != 0 {
		window = min(max(opts.Window, MinWindow), MaxWindow)
	}
	m := &Model{
		opts:        opts,
		r:           r,
		st:          newStyles(r),
		keys:        newKeyMap(),
		startWindow: window,
		window:      window,
		bytes:       opts.Bytes,
		replay:      opts.Recording != nil,
		dirty:       true,
	}
	for _, name := range opts.Targets {
		m.target(name)
	}
	for _, n := range opts.Notes {
		m.addNote(n)
	}
	if m.replay {
		m.ingest(opts.Recording)
		m.viewEnd = m.newest
	}
	return m
}

// target returns the target named name, adding it when new.
func (m *Model) target(name string) *target {
	for _, t := range m.targets {
		if t.name == name {
			return t
		}
	}
	t := newTarget(name, m.ringCapacity())
	m.targets = append(m.targets, t)
	return t
}

// ingest records samples into their targets.
func (m *Model) ingest(samples []sample.Sample) {
	for _, s := range samples {
		at := s.Time.UnixNano()
		if m.oldest == 0 || at < m.oldest {
			m.oldest = at
		}
		if validRate(s) && (m.firstRate == 0 || at < m.firstRate) {
			m.firstRate = at
		}
		if at > m.newest {
			m.newest = at
		}
		m.target(s.Target).ingest(s, m.opts.Interval)
	}
	if m.paused {
		m.missed += len(samples)
	}
	if m.newest-m.drawnAt >= int64(m.frameGap()) {
		m.dirty = true
	}
}

// maxFrameGap is the most sample time that passes between frames drawn
// for new samples.
const maxFrameGap = 500 * time.Millisecond

// frameGap returns how much sample time must pass before new samples are
// worth a frame: a braille dot column of the span shown, at most
// maxFrameGap. At 10 Hz polling a full 1h chart is then drawn twice a
// second, not ten times; at 1 Hz every poll is drawn.
func (m *Model) frameGap() time.Duration {
	return min(maxFrameGap, m.span(m.newest)/time.Duration(2*max(m.width, 1)))
}

// Init starts reading the sample stream, if there is one.
func (m *Model) Init() tea.Cmd {
	if m.opts.Samples == nil {
		return nil
	}
	return WaitForSamples(m.opts.Samples)
}

// Update handles samples, keys and resizes.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SamplesMsg:
		m.ingest(msg) // marks the frame dirty when enough time passed
		if m.opts.Samples == nil {
			return m, nil
		}
		return m, WaitForSamples(m.opts.Samples)
	case StreamEndedMsg:
		m.ended = true
	case savedMsg:
		m.saved(msg)
	case NoteMsg:
		m.addNote(string(msg))
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		if cmd := m.handleKey(msg); cmd != nil {
			return m, cmd
		}
	default:
		return m, nil
	}
	m.dirty = true
	return m, nil
}

// addNote adds a note to those the footer shows.
func (m *Model) addNote(n string) {
	if m.note != "" {
		m.note += "; "
	}
	m.note += n
}

// View returns the current frame, drawing it only when something changed.
func (m *Model) View() string {
	if m.dirty {
		m.frame = m.render()
		m.dirty = false
		m.drawnAt = m.newest
	}
	return m.frame
}
