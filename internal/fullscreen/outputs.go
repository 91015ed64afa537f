package fullscreen

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/internal/plot"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/session"
	"github.com/stg-project/stg/top"
	"github.com/stg-project/stg/tui"
)

// Options are how the outputs of a screen show a run.
type Options struct {
	// Window is the time span of a chart (--window).
	Window time.Duration
	// Bytes shows bytes per second instead of bits.
	Bytes bool
}

// Samples returns the output that shows a run's samples on s (tui.Model):
// the charts of its targets. The UI keeps reading samples while it is
// paused, so the poller (and --log) never wait for it. Its save key
// writes a PNG in the working directory.
func (s *Screen) Samples(o Options) session.Consumer {
	return &samples{Screen: s, o: o}
}

// samples is the output of Samples.
type samples struct {
	*Screen
	o    Options
	info session.Info
}

// Start implements session.Consumer.
func (u *samples) Start(info session.Info) error {
	u.info = info
	return nil
}

// Consume implements session.Consumer: it runs the UI on the samples.
func (u *samples) Consume(ctx context.Context, in <-chan sample.Sample) error {
	return u.show(ctx, func(notes []string) tea.Model {
		return tui.New(tui.Options{Router: u.info.Router, Targets: u.info.Targets, Interval: u.info.Interval,
			Window: u.o.Window, Bytes: u.o.Bytes, Samples: in, Output: u.stdout, Save: savePicture("."), Notes: notes})
	})
}

// Cycles returns the output that shows stg top's cycles on s
// (tui.TopModel): the table, and a row's chart on Enter.
func (s *Screen) Cycles(o Options) top.Consumer {
	return &cycles{Screen: s, o: o}
}

// cycles is the output of Cycles.
type cycles struct {
	*Screen
	o    Options
	info top.Info
}

// Start implements top.Consumer.
func (u *cycles) Start(info top.Info) error {
	u.info = info
	return nil
}

// Consume implements top.Consumer: it runs the table on the cycles.
func (u *cycles) Consume(ctx context.Context, in <-chan ranking.Cycle) error {
	drill := func(r ranking.Row) (tui.Drill, error) {
		samples, stop, err := u.info.Follow(ctx, r)
		return tui.Drill{Samples: samples, Stop: stop}, err
	}
	return u.show(ctx, func(notes []string) tea.Model {
		return tui.NewTop(tui.TopOptions{Router: u.info.Router, Cycles: in, Drill: drill, Interval: u.info.Interval,
			Window: u.o.Window, Bytes: u.o.Bytes, Save: savePicture("."), Now: time.Now, Output: u.stdout, Notes: notes})
	})
}

// savePicture returns the terminal UI's save hook: a PNG of the view in
// dir (plot.Save).
func savePicture(dir string) func(tui.Picture) (string, error) {
	return func(p tui.Picture) (string, error) {
		return plot.Save(dir, p.Router, p.Samples, plot.Options{From: p.From, To: p.To, Bytes: p.Bytes, LogScale: p.LogScale})
	}
}
