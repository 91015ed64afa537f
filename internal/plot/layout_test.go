package plot

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// testPicture lays out the test recording and returns it with its text
// styles.
func testPicture(t *testing.T) (*picture, styles) {
	t.Helper()
	st, err := newStyles()
	if err != nil {
		t.Fatal(err)
	}
	pic, _, _, err := newPicture(recording(t), Options{Location: testZone})
	if err != nil {
		t.Fatal(err)
	}
	return pic, st
}

// points is a width in pixels as points.
func points(px float64) vg.Length {
	return vg.Length(px / pxPerPt)
}

func TestNarrowPictureKeepsTheLegendOffTheTitle(t *testing.T) {
	pic, st := testPicture(t)
	header := func(px float64) vg.Length {
		return pic.drawHeader(draw.New(vgsvg.New(points(px), 300)), st)
	}
	line := st.text(10, nil, draw.XLeft, draw.YTop).Height("in")
	wide, narrow, narrowest := header(1200), header(700), header(400)
	// 1200 px holds the title and the legend on a line; 700 px puts the
	// legend on a line under the span; 400 px on two.
	if narrow < wide+line || narrowest < narrow+line {
		t.Errorf("header heights %v at 1200 px, %v at 700 px, %v at 400 px: want a legend line more at 700 px and another at 400 px",
			wide, narrow, narrowest)
	}
}

func TestPanelTitlesSplitWhenThatMakesThemFit(t *testing.T) {
	pic, st := testPicture(t)
	anna := "anna@isp.example  Virtual-Access1.195  ifIndex 257, then  Virtual-Access1.201  ifIndex 301"
	annaRates := "in max 7.99 Mb/s avg 6.39 Mb/s    out max 1.65 Mb/s avg 1.16 Mb/s"
	tests := []struct {
		px   float64
		want string // anna's title
	}{
		{1200, anna + "    " + annaRates},
		{700, anna + "\n" + annaRates},
		// Two lines would not fit either: one line, cut at the right.
		{400, anna + "    " + annaRates},
	}
	for _, tt := range tests {
		titles := pic.panelTitles(st, points(tt.px)-2*pad)
		if len(titles) != 2 || titles[1] != tt.want {
			t.Errorf("at %v px the titles are %q, want anna's %q", tt.px, titles, tt.want)
		}
		if split := strings.Contains(titles[1], "\n"); strings.Contains(titles[0], "\n") != split {
			t.Errorf("at %v px only one title of %q is on two lines", tt.px, titles)
		}
	}
}

func TestShortChartLabelsFewerRates(t *testing.T) {
	_, st := testPicture(t)
	h := st.text(9, nil, draw.XRight, draw.YCenter).Height("0")
	for _, tt := range []struct {
		height vg.Length
		want   int
	}{
		{300, 1},
		{5 * h, 2}, // six labels, 1 h apart: every other one
		{2 * h, 3}, // 0.4 h apart: 0 and 6 Mb/s
	} {
		ch := chart{y: newYAxis(8e6, "b/s", false)} // 0 to 10 Mb/s, six labels
		ch.Max.Y = tt.height
		if got := ch.labelEvery(h); got != tt.want {
			t.Errorf("a chart %v high labels every %d rate ticks, want %d", tt.height, got, tt.want)
		}
	}
}
