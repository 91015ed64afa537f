package plot

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
)

var update = flag.Bool("update", false, "rewrite the golden pictures in testdata")

// recording reads testdata/recording.csv: two targets over a minute, one
// with timeouts, a wrap, a reset and a discontinuity, the other behind an
// agent that caches its counters (pending and backfilled rows), offline
// for five polls and then reconnected on a new interface.
func recording(t *testing.T) []sample.Sample {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "recording.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	samples, err := record.ReadCSV(f)
	if err != nil {
		t.Fatal(err)
	}
	return samples
}

// render draws samples in format f and returns the bytes.
func render(t *testing.T, f Format, samples []sample.Sample, opts Options) []byte {
	t.Helper()
	opts.Location = testZone
	var b bytes.Buffer
	if err := Render(&b, f, samples, opts); err != nil {
		t.Fatalf("render %v: %v", f, err)
	}
	return b.Bytes()
}

// goldenFile returns the golden file's content, rewriting it with got
// under -update.
func goldenFile(t *testing.T, name string, got []byte) []byte {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden picture (run with -update): %v", err)
	}
	return want
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	return img
}

// differingShare returns the share of pixels of a and b (of the same
// size) whose colour differs by more than a quarter in some channel:
// font rasterisation may move a few pixels from one machine to another,
// a changed chart moves many.
func differingShare(a, b image.Image) float64 {
	bounds := a.Bounds()
	n := 0
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) {
				n++
			}
		}
	}
	return float64(n) / float64(bounds.Dx()*bounds.Dy())
}

// far reports whether two 16-bit channel values differ by over a quarter.
func far(a, b uint32) bool {
	return a > b+0x4000 || b > a+0x4000
}

// pngTolerance is the share of pixels a PNG may differ from its golden
// picture by.
const pngTolerance = 0.001

func TestGoldenPNG(t *testing.T) {
	rec := recording(t)
	got := decodePNG(t, render(t, PNG, rec, Options{}))
	want := decodePNG(t, goldenFile(t, "golden.png", render(t, PNG, rec, Options{})))
	if got.Bounds() != want.Bounds() || got.Bounds().Dx() != 1200 || got.Bounds().Dy() != 900 {
		t.Fatalf("picture is %v, golden %v; want 1200x900 for two targets", got.Bounds(), want.Bounds())
	}
	if share := differingShare(got, want); share > pngTolerance {
		t.Errorf("%.2f%% of the pixels differ from testdata/golden.png, more than %.2f%% (look at it, then run with -update)",
			100*share, 100*pngTolerance)
	}
	// The comparison sees a real change: the same data on a log scale.
	logScale := decodePNG(t, render(t, PNG, rec, Options{LogScale: true}))
	if share := differingShare(logScale, want); share < 4*pngTolerance {
		t.Errorf("the log scale differs from the golden picture in only %.2f%% of the pixels", 100*share)
	}
}

// svgSummary is the structure of an SVG picture: its texts in order and
// how many paths each fill or stroke colour has.
type svgSummary struct {
	texts []string
	paths map[string]int
}

var colourRE = regexp.MustCompile(`(fill|stroke):(#[0-9A-F]{6})`)

func summarise(t *testing.T, b []byte) svgSummary {
	t.Helper()
	s := svgSummary{paths: map[string]int{}}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return s
		}
		if err != nil {
			t.Fatalf("the SVG is not XML: %v", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "text":
			var text string
			if err := d.DecodeElement(&text, &el); err != nil {
				t.Fatal(err)
			}
			s.texts = append(s.texts, text)
		case "path":
			for _, a := range el.Attr {
				if a.Name.Local == "style" {
					for _, m := range colourRE.FindAllStringSubmatch(a.Value, -1) {
						s.paths[m[1]+" "+m[2]]++
					}
				}
			}
		}
	}
}

func TestGoldenSVG(t *testing.T) {
	rec := recording(t)
	got := summarise(t, render(t, SVG, rec, Options{}))
	want := summarise(t, goldenFile(t, "golden.svg", render(t, SVG, rec, Options{})))
	if !slices.Equal(got.texts, want.texts) {
		t.Errorf("texts differ from testdata/golden.svg:\n got %q\nwant %q", got.texts, want.texts)
	}
	for c, n := range want.paths {
		if got.paths[c] != n {
			t.Errorf("%d paths of %s, golden has %d", got.paths[c], c, n)
		}
	}

	// What the golden picture must hold, whatever -update wrote.
	for _, text := range []string{
		"stg  bras1  Gi0/0/1, anna@isp.example",
		"2026-11-27 10:54:00 – 10:54:59 UTC+01:00 (59s)    b/s",
		"local time (UTC+01:00)",
		"0 b/s", "60 Mb/s", "10 Mb/s", "10:54:00", "10:54:50",
		"in", "out", "counter reset or discontinuity", "reconnected",
	} {
		if !slices.Contains(got.texts, text) {
			t.Errorf("no text %q in %q", text, got.texts)
		}
	}
	titles := 0
	for _, text := range got.texts {
		if strings.HasPrefix(text, "Gi0/0/1  ifIndex 1    in max ") ||
			strings.HasPrefix(text, "anna@isp.example  Virtual-Access1.195  ifIndex 257, then  Virtual-Access1.201  ifIndex 301    in max ") {
			titles++
		}
	}
	if titles != 2 {
		t.Errorf("%d panel titles, want one per target: %q", titles, got.texts)
	}
	// One in area and one out line per run (Gi0/0/1 has four, broken by
	// the timeouts, the reset and the discontinuity; anna two, broken
	// while offline), plus the legend's; a flag line per reset or
	// discontinuity (two) and reconnect (one), plus the legend's.
	for style, n := range map[string]int{
		"fill " + hex(inColour): 4 + 2 + 1, "stroke " + hex(outColour): 4 + 2 + 1,
		"stroke " + hex(resetColour): 2 + 1, "stroke " + hex(reconnColour): 1 + 1,
	} {
		if got.paths[style] != n {
			t.Errorf("%d paths of %s, want %d", got.paths[style], style, n)
		}
	}
}

// hex is a colour as the SVG writes it.
func hex(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

func TestTargetAndSpanOptions(t *testing.T) {
	rec := recording(t)
	first, _ := Span(rec)
	got := summarise(t, render(t, SVG, rec, Options{
		Targets: []string{"anna@isp.example"},
		From:    first.Add(10e9),
		To:      first.Add(40e9),
		Bytes:   true,
	}))
	for _, text := range got.texts {
		if strings.Contains(text, "Gi0/0/1") {
			t.Errorf("--target anna@isp.example drew %q", text)
		}
	}
	for _, text := range []string{
		"stg  bras1  anna@isp.example",
		"2026-11-27 10:54:10 – 10:54:40 UTC+01:00 (30s)    B/s",
		"10:54:10", "10:54:40",
	} {
		if !slices.Contains(got.texts, text) {
			t.Errorf("no text %q in %q", text, got.texts)
		}
	}
	for _, text := range got.texts {
		if text == "10:54:00" || text == "10:54:50" {
			t.Errorf("a time label %q outside --from/--to", text)
		}
	}
}
