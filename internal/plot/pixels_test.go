package plot

import (
	"image"
	"math"
	"testing"
)

// colourColumns returns, for each pixel column of img, whether it holds a
// pixel of the in area's green and of the out line's blue below the top
// quarter (the header and its legend).
func colourColumns(img image.Image) (green, blue []bool) {
	b := img.Bounds()
	green, blue = make([]bool, b.Dx()), make([]bool, b.Dx())
	for x := b.Min.X; x < b.Max.X; x++ {
		for y := b.Min.Y + b.Dy()/4; y < b.Max.Y; y++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if g > 150 && r < 80 && bl < 80 {
				green[x-b.Min.X] = true
			}
			if bl > 180 && r < 80 && g < 120 {
				blue[x-b.Min.X] = true
			}
		}
	}
	return green, blue
}

// segments returns the [start, end) column ranges where cols is true.
func segments(cols []bool) [][2]int {
	var out [][2]int
	for x := 0; x < len(cols); x++ {
		if cols[x] && (x == 0 || !cols[x-1]) {
			out = append(out, [2]int{x, x + 1})
		}
		if cols[x] {
			out[len(out)-1][1] = x + 1
		}
	}
	return out
}

func TestGapIsABreakInThePixels(t *testing.T) {
	// A first row, rates 1..19 s, three timeouts, rates 23..40 s: the
	// picture runs from 0 to 40 s, in and out are drawn from 1 s to 19 s
	// and from 23 s to 40 s, and nothing green or blue in between. Drawn
	// as zeros, the gap would slope down to the axis and run along it.
	statuses := "f" + repeat('o', 19) + "ttt" + repeat('o', 18)
	rec := rows("alice", statuses)
	img := decodePNG(t, render(t, PNG, rec, Options{Width: 800, Height: 400}))
	green, blue := colourColumns(img)
	for name, cols := range map[string][]bool{"in": green, "out": blue} {
		segs := segments(cols)
		if len(segs) != 2 {
			t.Fatalf("%s is drawn in %d column ranges %v, want two runs", name, len(segs), segs)
		}
		first, second := segs[0], segs[1]
		extent := float64(second[1] - first[0])
		gap := float64(second[0] - first[1])
		if want := 4.0 / 39; math.Abs(gap/extent-want) > 0.01 {
			t.Errorf("%s: the gap is %.3f of the drawn width (%v), want %.3f (4 s of 39)", name, gap/extent, segs, want)
		}
	}
}

// repeat returns n copies of c.
func repeat(c rune, n int) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = c
	}
	return string(out)
}
