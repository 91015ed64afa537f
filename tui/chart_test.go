package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"
)

// constant returns a rate function of fixed in and out rates.
func constant(in, out float64) func(int) (float64, float64) {
	return func(int) (float64, float64) { return in, out }
}

func TestInAndOutDifferWithoutColour(t *testing.T) {
	tests := []struct {
		name    string
		in, out float64
	}{
		{"in above out", 40e6, 8e6},
		{"out above in", 3e6, 30e6},
		{"in equals out", 20e6, 20e6},
		{"in close to out", 20e6, 19.5e6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The test renderer has the ASCII profile: no colour at all,
			// as with NO_COLOR or TERM=dumb.
			m := newTestModel(t, Options{Targets: []string{"alice"}, Window: time.Minute}, 100, 30)
			m.Update(SamplesMsg(stream("alice", 90, time.Second, constant(tt.in, tt.out), nil)))
			v := m.View()
			if strings.Contains(v, "\x1b[") {
				t.Fatalf("the ASCII profile drew escape codes: %q", v)
			}
			rows := graphRows(v)
			legend := string(rows[0])
			if !strings.Contains(legend, legendIn) || !strings.Contains(legend, legendOut) {
				t.Errorf("no legend %q / %q on the chart's top row %q", legendIn, legendOut, legend)
			}
			var blocks, braille int
			for _, row := range rows[1:] {
				for _, r := range row {
					switch {
					case isBlock(r):
						blocks++
					case isBraille(r):
						braille++
					}
				}
			}
			// in is an area of blocks, out a braille line: both visible.
			if blocks < 90 || braille < 40 {
				t.Errorf("in area %d block cells, out line %d braille cells; want both drawn:\n%s", blocks, braille, v)
			}
		})
	}
}

func TestInAndOutColoursBothShow(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}, Window: time.Minute}, 100, 30)
	m.r.SetColorProfile(termenv.ANSI)
	m.st = newStyles(m.r)
	m.charts = nil
	// in below out by less than a cell: on one braille grid the two lines
	// shared cells and only the last colour drawn showed.
	m.Update(SamplesMsg(stream("alice", 90, time.Second, constant(20e6, 20.2e6), nil)))
	v := strings.Join(lines(m.View())[5:], "\n") // the chart, below the readouts
	green := regexp.MustCompile(`\x1b\[[0-9;]*92m[^\x1b]*[\x{2581}-\x{2588}\x{2801}-\x{28FF}]`)
	blue := regexp.MustCompile(`\x1b\[[0-9;]*94m[^\x1b]*[\x{2801}-\x{28FF}]`)
	if !green.MatchString(v) {
		t.Errorf("no in (green) glyph on the chart: %q", v)
	}
	if !blue.MatchString(v) {
		t.Errorf("no out (blue) glyph on the chart: %q", v)
	}
}

func TestScalesKeepHeadroom(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		rate float64
	}{
		{"auto at a step", nil, 10e6},
		{"auto just under a step", nil, 9.9e6},
		{"auto just over a step", nil, 10.05e6},
		{"fixed at a step", []string{"s"}, 50e6},
		{"log at a decade", []string{"s", "s"}, 100e6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{Targets: []string{"alice"}, Window: time.Minute}, 100, 30)
			m.Update(SamplesMsg(stream("alice", 90, time.Second, constant(tt.rate, tt.rate/4), nil)))
			for _, k := range tt.keys {
				m.Update(press(k))
			}
			v := m.View()
			top := strings.Replace(string(graphRows(v)[0]), legendIn+"  "+legendOut, "", 1)
			for _, r := range top {
				if isDataGlyph(r) {
					t.Fatalf("a line is drawn on the top row of the chart:\n%s", v)
				}
			}
			if first, _ := dataColumns(v); first < 0 {
				t.Fatalf("no line drawn at all:\n%s", v)
			}
		})
	}
}
