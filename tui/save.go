package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
)

// Picture is the view the save key hands to Options.Save: every target's
// rows in the view, whether or not the terminal shows them all, with the
// view's span and units.
type Picture struct {
	// Router is the router as the user named it.
	Router string
	// Samples are the rows of every target from the last one before the
	// view to the first one after it, target by target in the UI's
	// order, each oldest first. Rates are in bits/s, as polled.
	Samples []sample.Sample
	// From and To are the view's span.
	From, To time.Time
	// Bytes says the view shows bytes/s.
	Bytes bool
	// LogScale says the view's scale is log.
	LogScale bool
}

// savedMsg reports how a Save call ended.
type savedMsg struct {
	path string
	err  error
}

// savePicture returns a command that saves the current view with
// Options.Save, off the event loop; until it reports, the footer says
// that the picture is being saved.
func (m *Model) savePicture() tea.Cmd {
	pic, save := m.picture(), m.opts.Save
	m.saveNote, m.saveFailed = "saving a picture of the view...", false
	m.dirty = true
	return func() tea.Msg {
		path, err := save(pic)
		return savedMsg{path: path, err: err}
	}
}

// picture collects the current view for Options.Save.
func (m *Model) picture() Picture {
	start, end := m.viewRange()
	pic := Picture{
		Router:   m.opts.Router,
		From:     time.Unix(0, start),
		To:       time.Unix(0, end),
		Bytes:    m.bytes,
		LogScale: m.scale == ScaleLog,
	}
	for _, t := range m.targets {
		r := t.ring
		i := max(r.search(start)-1, 0)
		for ; i < r.len(); i++ {
			p := r.at(i)
			pic.Samples = append(pic.Samples, sample.Sample{
				Time:     time.Unix(0, p.at),
				Router:   m.opts.Router,
				Target:   t.name,
				IfIndex:  t.ifIndex,
				IfName:   t.ifName,
				InBps:    p.in,
				OutBps:   p.out,
				Interval: time.Duration(p.interval),
				Status:   p.status,
			})
			if p.at > end {
				break
			}
		}
	}
	return pic
}

// saved shows how a save ended in the footer.
func (m *Model) saved(msg savedMsg) {
	if msg.err != nil {
		m.saveNote, m.saveFailed = "could not save the picture: "+msg.err.Error(), true
		return
	}
	m.saveNote, m.saveFailed = "saved a picture of the view to "+msg.path, false
}

// renderSaveNote is the footer while a save runs or after it ended, until
// the next key.
func (m *Model) renderSaveNote() string {
	if m.saveFailed {
		return m.st.error.Render(fit(m.saveNote, m.width))
	}
	return fit(m.saveNote, m.width)
}
