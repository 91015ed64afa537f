package tui

import (
	"math"

	"github.com/stg-project/stg/internal/polyline"
	"github.com/stg-project/stg/sample"
)

// xy is a chart vertex: x in milliseconds from the left edge of the view,
// y a rate in display units per second.
type xy struct{ x, y float64 }

// marker is a session or counter event shown as a flag above the chart.
type marker struct {
	x    float64
	flag rune
}

// series is what one target contributes to a chart frame: for in and out,
// the contiguous runs of the line (a gap starts a new run), and the
// markers, all clipped to the view. A series is refilled frame after
// frame, reusing its memory.
type series struct {
	runs    [2][][]xy
	markers []marker
	max     float64 // largest visible rate
	buf     [2][]xy // backing store of the runs
}

// markerFlag returns the flag a status puts above the chart, or 0.
func markerFlag(s sample.Status) rune {
	switch s {
	case sample.StatusReconnected:
		return 'R'
	case sample.StatusGapReset, sample.StatusGapDiscontinuity:
		return 'X'
	}
	return 0
}

// extract refills s with the points of r between start and end (Unix
// nanoseconds), dividing rates by div (8 for bytes). One point on each
// side of the view is included so lines run to the edges.
//
// A row without a rate ends a run. A pending row ends it too unless the
// next rate is the backfilled one covering it; a backfilled rate is drawn
// flat over its whole interval.
func (s *series) extract(r *ring, start, end int64, div float64) {
	width := float64(end-start) / 1e6
	toX := func(ns int64) float64 { return float64(ns-start) / 1e6 }
	s.markers, s.max = s.markers[:0], 0
	var from [2]int // where the open run starts in buf
	for d := range s.runs {
		s.runs[d], s.buf[d] = s.runs[d][:0], s.buf[d][:0]
	}
	flush := func() {
		for d := range s.buf {
			run := clipRun(s.buf[d][from[d]:], width)
			s.buf[d] = s.buf[d][:from[d]+len(run)]
			if len(run) > 0 {
				s.runs[d] = append(s.runs[d], run[:len(run):len(run)])
				for _, v := range run {
					s.max = max(s.max, v.y)
				}
			}
			from[d] = len(s.buf[d])
		}
	}
	add := func(x float64, p point) {
		s.buf[0] = append(s.buf[0], xy{x, p.in / div})
		s.buf[1] = append(s.buf[1], xy{x, p.out / div})
	}

	i := r.search(start)
	if i > 0 {
		i--
	}
	pending := false
	for ; i < r.len(); i++ {
		p := r.at(i)
		switch {
		case p.status.HasRate():
			if pending && p.status != sample.StatusBackfilled {
				flush()
			}
			pending = false
			if p.status == sample.StatusBackfilled {
				x := toX(p.at - p.interval)
				if n := len(s.buf[0]); n > from[0] && s.buf[0][n-1].x > x {
					x = s.buf[0][n-1].x
				}
				add(x, p)
			}
			add(toX(p.at), p)
		case p.status == sample.StatusPending:
			pending = true
		default:
			flush()
			pending = false
			if f := markerFlag(p.status); f != 0 && p.at >= start && p.at <= end {
				s.markers = append(s.markers, marker{x: toX(p.at), flag: f})
			}
		}
		if p.at > end {
			break
		}
	}
	flush()
}

// clipRun cuts a run to 0 <= x <= width in place, interpolating where a
// segment crosses an edge, so no vertex far outside the view is drawn. It
// returns the clipped prefix of vs.
func clipRun(vs []xy, width float64) []xy {
	out := vs[:0]
	var prev xy // the unclipped vertex before v
	for i, v := range vs {
		switch {
		case v.x < 0:
			if i+1 < len(vs) && vs[i+1].x > 0 {
				out = append(out, interpolate(v, vs[i+1], 0))
			}
		case v.x > width:
			if i > 0 && prev.x < width {
				out = append(out, interpolate(prev, v, width))
			}
			return out
		default:
			out = append(out, v)
		}
		prev = v
	}
	return out
}

// interpolate returns the point of segment a–b at x.
func interpolate(a, b xy, x float64) xy {
	if b.x == a.x {
		return xy{x, b.y}
	}
	return xy{x, a.y + (b.y-a.y)*(x-a.x)/(b.x-a.x)}
}

// decimate thins a run to what a braille grid can show: of the vertices
// that fall on one dot column (perDot milliseconds wide) it keeps the
// first, the lowest, the highest and the last, in their order. The line
// through them covers exactly the dots the full run would, at a fraction
// of the drawing cost for long windows. The result reuses buf.
func decimate(run []xy, perDot float64, buf []xy) []xy {
	out := buf[:0]
	if perDot <= 0 {
		return append(out, run...)
	}
	column := func(p xy) float64 { return math.Round(p.x / perDot) }
	return polyline.Thin(out, run, column, func(p xy) float64 { return p.y })
}
