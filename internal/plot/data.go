package plot

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/stg-project/stg/internal/polyline"
	"github.com/stg-project/stg/sample"
)

// point is a rate at a time: X in Unix seconds, Y in display units per
// second.
type point struct{ X, Y float64 }

// run is a line of rates without a break, oldest first.
type run []point

// The two directions of a panel's runs, statistics and colours.
const (
	dirIn = iota
	dirOut
)

// panel is what one target contributes to the picture: the runs of its in
// and out rates (a row without a rate ends a run, so a gap is a break and
// never a drop to zero), its markers and the statistics of its title.
type panel struct {
	target string
	ifaces []iface // the interfaces polled in the span, in order
	runs   [2][]run
	marks  []mark
	max    [2]float64 // largest rate in the span, display units
	avg    [2]float64 // time-weighted mean rate in the span, display units
	rated  bool       // the span holds at least one rate
}

// iface is an interface a target was polled on.
type iface struct {
	name  string
	index int
}

// mark is a counter or session event drawn as a flag over the chart.
type mark struct {
	at   float64 // Unix seconds
	flag rune
}

// markFlag returns the flag the terminal UI puts above its chart for a
// status, or 0: X for a counter reset or discontinuity, R for a
// subscriber that reconnected on a new interface.
func markFlag(s sample.Status) rune {
	switch s {
	case sample.StatusReconnected:
		return 'R'
	case sample.StatusGapReset, sample.StatusGapDiscontinuity:
		return 'X'
	}
	return 0
}

// unixSeconds is a time as the X coordinate of the plots.
func unixSeconds(t time.Time) float64 {
	return float64(t.UnixNano()) / 1e9
}

// selection is the part of a recording a picture shows.
type selection struct {
	from, to time.Time
	targets  []string          // in the order they first appear
	rows     [][]sample.Sample // per target, oldest first, with one neighbour outside the span on each side
	routers  []string          // distinct routers of the rows, in order
}

// selectRows picks the rows of samples the options ask for. The span is
// [From, To], each defaulting to the recording's first or last row. Each
// target keeps the row just before and just after the span, so a line
// runs to the edges of the chart, where it is clipped.
func selectRows(samples []sample.Sample, opts Options) (selection, error) {
	var sel selection
	if len(samples) == 0 {
		return sel, ErrNoRows
	}
	byTarget := map[string][]sample.Sample{}
	var order []string
	first, last := samples[0].Time, samples[0].Time
	for _, s := range samples {
		if _, ok := byTarget[s.Target]; !ok {
			order = append(order, s.Target)
		}
		byTarget[s.Target] = append(byTarget[s.Target], s)
		if s.Time.Before(first) {
			first = s.Time
		}
		if s.Time.After(last) {
			last = s.Time
		}
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && !opts.From.Before(opts.To) {
		return sel, fmt.Errorf("the start %s is not before the end %s", stamp(opts.From, opts.loc()), stamp(opts.To, opts.loc()))
	}
	sel.from, sel.to = first, last
	if !opts.From.IsZero() {
		sel.from = opts.From
	}
	if !opts.To.IsZero() {
		sel.to = opts.To
	}
	noRows := fmt.Errorf("%w between %s and %s; the recording runs from %s to %s", ErrNoRows,
		stamp(sel.from, opts.loc()), stamp(sel.to, opts.loc()), stamp(first, opts.loc()), stamp(last, opts.loc()))
	if sel.from.After(sel.to) {
		return sel, noRows
	}

	sel.targets = order
	if len(opts.Targets) > 0 {
		sel.targets = nil
		for _, t := range opts.Targets {
			if _, ok := byTarget[t]; !ok {
				return sel, fmt.Errorf("target %q is not in the recording; it has %s", t, strings.Join(quoteAll(order), ", "))
			}
			if !slices.Contains(sel.targets, t) {
				sel.targets = append(sel.targets, t)
			}
		}
	}

	inSpan := 0
	for _, t := range sel.targets {
		rows := byTarget[t]
		slices.SortStableFunc(rows, func(a, b sample.Sample) int { return a.Time.Compare(b.Time) })
		lo, _ := slices.BinarySearchFunc(rows, sel.from, func(s sample.Sample, at time.Time) int { return s.Time.Compare(at) })
		hi, found := slices.BinarySearchFunc(rows, sel.to, func(s sample.Sample, at time.Time) int { return s.Time.Compare(at) })
		for found && hi < len(rows) && rows[hi].Time.Equal(sel.to) {
			hi++
		}
		inSpan += hi - lo
		rows = rows[max(lo-1, 0):min(hi+1, len(rows))]
		sel.rows = append(sel.rows, rows)
		for _, s := range rows {
			if !slices.Contains(sel.routers, s.Router) {
				sel.routers = append(sel.routers, s.Router)
			}
		}
	}
	if inSpan == 0 {
		return sel, noRows
	}
	return sel, nil
}

// quoteAll quotes each string.
func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// stamp formats a time for an error message, in loc.
func stamp(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04:05.000 -07:00")
}

// validRate reports whether s carries rates a chart can draw.
func validRate(s sample.Sample) bool {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 }
	return s.Status.HasRate() && ok(s.InBps) && ok(s.OutBps)
}

// buildPanel turns one target's rows (oldest first) into a panel over
// [from, to], dividing rates by div (8 for bytes/s). It draws what the
// terminal UI draws: a point per rate at the end of its interval, joined
// within a run; a row without a rate ends the run; pending rows end it too
// unless the next rate is the backfilled one covering them, which is drawn
// flat over its whole interval; resets and reconnects leave a flag.
func buildPanel(target string, rows []sample.Sample, from, to time.Time, div float64) panel {
	p := panel{target: target}
	var cur [2]run
	flush := func() {
		for d := range cur {
			if len(cur[d]) > 0 {
				p.runs[d] = append(p.runs[d], cur[d])
				cur[d] = nil
			}
		}
	}
	add := func(x float64, s sample.Sample) {
		cur[dirIn] = append(cur[dirIn], point{X: x, Y: s.InBps / div})
		cur[dirOut] = append(cur[dirOut], point{X: x, Y: s.OutBps / div})
	}
	var weighted [2]float64
	var seconds float64
	pending := false
	for _, s := range rows {
		inSpan := !s.Time.Before(from) && !s.Time.After(to)
		if f := (iface{s.IfName, s.IfIndex}); inSpan && s.IfIndex != 0 && (len(p.ifaces) == 0 || p.ifaces[len(p.ifaces)-1] != f) {
			p.ifaces = append(p.ifaces, f)
		}
		x := unixSeconds(s.Time)
		switch {
		case validRate(s):
			if pending && s.Status != sample.StatusBackfilled {
				flush()
			}
			pending = false
			if s.Status == sample.StatusBackfilled && s.Interval > 0 {
				x0 := unixSeconds(s.Time.Add(-s.Interval))
				if n := len(cur[dirIn]); n > 0 && cur[dirIn][n-1].X > x0 {
					x0 = cur[dirIn][n-1].X
				}
				add(x0, s)
			}
			add(x, s)
			if inSpan {
				p.rated = true
				in, out := s.InBps/div, s.OutBps/div
				p.max = [2]float64{max(p.max[dirIn], in), max(p.max[dirOut], out)}
				w := max(s.Interval.Seconds(), 1e-3)
				weighted[dirIn] += in * w
				weighted[dirOut] += out * w
				seconds += w
			}
		case s.Status == sample.StatusPending:
			pending = true
		default:
			flush()
			pending = false
			if f := markFlag(s.Status); f != 0 && inSpan {
				p.marks = append(p.marks, mark{at: x, flag: f})
			}
		}
	}
	flush()
	if seconds > 0 {
		p.avg = [2]float64{weighted[dirIn] / seconds, weighted[dirOut] / seconds}
	}
	return p
}

// decimate thins a run to what a picture perCol seconds per pixel column
// can show: of the points on one column it keeps the first, the lowest,
// the highest and the last, in their order. The line through them covers
// the same pixels as the full run, so a day of 1 s polls stays a small
// file.
func decimate(r run, perCol float64) run {
	if perCol <= 0 || len(r) < 5 {
		return r
	}
	out := make(run, 0, min(len(r), 4*int(1+(r[len(r)-1].X-r[0].X)/perCol)))
	column := func(p point) float64 { return math.Floor(p.X / perCol) }
	return polyline.Thin(out, r, column, func(p point) float64 { return p.Y })
}
