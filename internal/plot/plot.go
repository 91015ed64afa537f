// Package plot draws a recording of stg samples as a picture for a ticket
// or a chat, PNG or SVG, that looks like the terminal UI's chart: per
// target, in as a green area and out as a blue line on one time axis in
// local time, rates with SI units, a row without a rate as a break in the
// line (never a zero), and the UI's X and R markers for counter resets and
// reconnects. It is pure Go, drawn with gonum.org/v1/plot's vector
// graphics and font packages: no cgo, no browser. Its plotting package is
// not used, as its initialisation parses twelve fonts in every run of
// stg; here a font is read only when a picture is drawn.
package plot

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/stg-project/stg/sample"
)

// Format is a picture's file format.
type Format int

// The formats Render writes.
const (
	PNG Format = iota + 1
	SVG
)

// String names the format as its file extension does.
func (f Format) String() string {
	switch f {
	case PNG:
		return "png"
	case SVG:
		return "svg"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// FormatOf returns the format a file name asks for by its extension,
// .png or .svg in any case.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		return PNG, nil
	case ".svg":
		return SVG, nil
	}
	return 0, fmt.Errorf("%q: the picture's name must end in .png or .svg", path)
}

// ErrNoRows is returned when the recording has no row in the span and
// targets asked for.
var ErrNoRows = errors.New("no rows to plot")

// Options say what part of a recording to draw, and how.
type Options struct {
	// From and To bound the span drawn; the zero time means the
	// recording's first or last row.
	From, To time.Time
	// Targets are the targets to draw, in this order; empty means every
	// target, in the order they first appear.
	Targets []string
	// Width and Height are the picture's size in pixels (an SVG is as
	// large on screen); 0 means DefaultSize.
	Width, Height int
	// LogScale draws the rate axis on decades from 1k.
	LogScale bool
	// Bytes draws bytes/s instead of bits/s.
	Bytes bool
	// Location is the zone of the times shown; nil means time.Local.
	Location *time.Location
}

// loc returns the zone of the times shown.
func (o Options) loc() *time.Location {
	if o.Location == nil {
		return time.Local
	}
	return o.Location
}

// Picture sizes, in pixels.
const (
	DefaultWidth = 1200
	MinWidth     = 400
	MaxWidth     = 8000
	MaxHeight    = 8000
)

// DefaultSize returns the picture size used for a number of targets:
// 1200 pixels wide, 600 high for one target and 300 more for each other.
func DefaultSize(targets int) (width, height int) {
	return DefaultWidth, min(300+300*max(targets, 1), MaxHeight)
}

// minHeight is the smallest picture height that holds n panels.
func minHeight(n int) int {
	return 100 + 120*max(n, 1)
}

// CheckSize returns nil when a picture of width×height pixels can show
// targets panels, else an error that says what is allowed.
func CheckSize(width, height, targets int) error {
	if width < MinWidth || width > MaxWidth {
		return fmt.Errorf("width %d is out of range: use %d to %d pixels", width, MinWidth, MaxWidth)
	}
	if lo := minHeight(targets); height < lo || height > MaxHeight {
		return fmt.Errorf("height %d is out of range for %d target(s): use %d to %d pixels", height, targets, lo, MaxHeight)
	}
	return nil
}

// Span returns the time of the first and the last row of samples.
func Span(samples []sample.Sample) (first, last time.Time) {
	for i, s := range samples {
		if i == 0 || s.Time.Before(first) {
			first = s.Time
		}
		if i == 0 || s.Time.After(last) {
			last = s.Time
		}
	}
	return first, last
}

// Render draws samples as a picture in format f on w.
func Render(w io.Writer, f Format, samples []sample.Sample, opts Options) (err error) {
	if f != PNG && f != SVG {
		return fmt.Errorf("render a picture: unknown format %v", f)
	}
	pic, width, height, err := newPicture(samples, opts)
	if err != nil {
		return err
	}
	st, err := newStyles()
	if err != nil {
		return err
	}
	// gonum's canvases and font code panic where they cannot go on (a
	// glyph they cannot read, an image they cannot encode); this keeps a
	// library call from ever ending stg.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("render a picture: %v", r)
		}
	}()
	wPt, hPt := vg.Length(float64(width)/pxPerPt), vg.Length(float64(height)/pxPerPt)
	var c vg.CanvasWriterTo
	switch f {
	case PNG:
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(wPt, hPt), vgimg.UseDPI(96))}
	case SVG:
		c = vgsvg.New(wPt, hPt)
	}
	pic.draw(draw.New(c), st)
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("write the %v picture: %w", f, err)
	}
	return nil
}

// newPicture selects the rows opts ask for and lays out the picture,
// with its size in pixels.
func newPicture(samples []sample.Sample, opts Options) (*picture, int, int, error) {
	sel, err := selectRows(samples, opts)
	if err != nil {
		return nil, 0, 0, err
	}
	width, height := opts.Width, opts.Height
	if width == 0 && height == 0 {
		width, height = DefaultSize(len(sel.targets))
	}
	if err := CheckSize(width, height, len(sel.targets)); err != nil {
		return nil, 0, 0, err
	}
	div, unit := 1.0, "b/s"
	if opts.Bytes {
		div, unit = 8, "B/s"
	}
	pic := &picture{from: sel.from, to: sel.to, unit: unit, log: opts.LogScale, loc: opts.loc()}
	if pic.to.Sub(pic.from) < time.Second {
		pic.to = pic.from.Add(time.Second) // a single poll still gets a time axis
	}
	for i, t := range sel.targets {
		pic.panels = append(pic.panels, buildPanel(t, sel.rows[i], sel.from, sel.to, div))
	}
	pic.title = "stg  " + strings.Join(sel.routers, ", ") + "  " + strings.Join(sel.targets, ", ")
	pic.subtitle = spanText(sel.from, sel.to, pic.loc) + "    " + unit
	if opts.LogScale {
		pic.subtitle += ", log scale"
	}
	return pic, width, height, nil
}

// spanText is the span in local time: "2026-11-27 10:54:10 – 10:54:29
// UTC+01:00 (19s)", with the date again when the span ends on another day.
func spanText(from, to time.Time, loc *time.Location) string {
	from, to = from.In(loc), to.In(loc)
	end := to.Format("15:04:05")
	if to.Format("2006-01-02") != from.Format("2006-01-02") {
		end = to.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprintf("%s – %s UTC%s (%s)", from.Format("2006-01-02 15:04:05"), end, from.Format("-07:00"),
		to.Sub(from).Round(time.Second))
}

// WriteFile draws samples into the file path, PNG or SVG by its
// extension. The picture is written to a temporary file in the same
// directory and renamed over path only once complete, so an existing
// file is never left half-written.
func WriteFile(path string, samples []sample.Sample, opts Options) (err error) {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write picture %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err := Render(bw, f, samples, opts); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write picture %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write picture %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write picture %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write picture %s: %w", path, err)
	}
	return nil
}
