package plot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseSize reads a picture size "WIDTHxHEIGHT" in pixels, such as
// "1200x600". The range is checked by CheckSize, which knows how many
// targets the picture shows.
func ParseSize(s string) (width, height int, err error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	if ok {
		width, err = strconv.Atoi(ws)
		if err == nil {
			height, err = strconv.Atoi(hs)
		}
	}
	if !ok || err != nil || width <= 0 || height <= 0 {
		return 0, 0, fmt.Errorf("%q is not a size: want WIDTHxHEIGHT in pixels, such as 1200x600", s)
	}
	return width, height, nil
}

// Moment is a --from or --to value: a time, a time of day on the
// recording's day, or a duration after its start or before its end. It
// becomes a time once the recording's span is known (At).
type Moment struct {
	abs            time.Time     // an absolute time
	clock          time.Time     // a time of day (its date unused), when isClock
	offset         time.Duration // from the start (> 0) or the end (< 0), when isRel
	isClock, isRel bool
	loc            *time.Location
}

// momentLayouts are the absolute forms ParseMoment accepts, in loc
// unless they carry an offset.
var momentLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
}

// ParseMoment reads a --from/--to value:
//
//   - "2026-11-27T10:54:10+01:00" (RFC 3339), "2026-11-27 10:54:10" or
//     "2026-11-27 10:54" in loc;
//   - "10:54:10" or "10:54": that time of day in loc on the recording's
//     first day (the next day when the recording runs past midnight and
//     the time is before its start);
//   - "+5m" after the recording's first row, "-5m" before its last.
func ParseMoment(s string, loc *time.Location) (Moment, error) {
	if loc == nil {
		loc = time.Local
	}
	m := Moment{loc: loc}
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		d, err := time.ParseDuration(s[1:])
		if err == nil && d > 0 {
			m.isRel, m.offset = true, d
			if s[0] == '-' {
				m.offset = -d
			}
			return m, nil
		}
	}
	for _, layout := range momentLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			m.abs = t
			return m, nil
		}
	}
	for _, layout := range []string{"15:04:05.999999999", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			m.isClock, m.clock = true, t
			return m, nil
		}
	}
	return m, fmt.Errorf("%q is not a time: use 10:54[:10], 2026-11-27 10:54[:10], RFC 3339, "+
		"or +5m / -5m from the recording's start / end", s)
}

// At returns the time m names in a recording whose rows run from first
// to last.
func (m Moment) At(first, last time.Time) time.Time {
	switch {
	case m.isRel && m.offset > 0:
		return first.Add(m.offset)
	case m.isRel:
		return last.Add(m.offset)
	case m.isClock:
		f, c := first.In(m.loc), m.clock
		on := func(day int) time.Time {
			return time.Date(f.Year(), f.Month(), day, c.Hour(), c.Minute(), c.Second(), c.Nanosecond(), m.loc)
		}
		t, next := on(f.Day()), on(f.Day()+1)
		if t.Before(first) && !next.After(last) {
			return next
		}
		return t
	}
	return m.abs
}
