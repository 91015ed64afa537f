package tui

import (
	"math"
	"testing"
)

func TestNiceCeil(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{0, minScale}, {-3, minScale}, {math.NaN(), minScale}, {999, minScale}, {1000, 1000},
		{1001, 2000}, {2000, 2000}, {2001, 5000}, {4999, 5000}, {5001, 10000},
		{65e6, 100e6}, {100e6, 100e6}, {100.0000001e6, 200e6}, {150e6, 200e6}, {333e9, 500e9},
		{9.99e12, 10e12},
	}
	for _, tt := range tests {
		if got := niceCeil(tt.in); got != tt.want {
			t.Errorf("niceCeil(%g) = %g, want %g", tt.in, got, tt.want)
		}
	}
}

func TestAutoScaleFollowsDataBothWays(t *testing.T) {
	var prev float64
	for _, tt := range []struct{ visible, want float64 }{
		{3e6, 5e6}, {40e6, 50e6}, {180e6, 200e6}, {7e6, 10e6}, {9.5e6, 10e6}, {9.7e6, 20e6}, {10e6, 20e6}, {0, minScale},
	} {
		a := newYAxis(ScaleAuto, tt.visible, 500e6, 20)
		if a.hi != tt.want {
			t.Errorf("auto axis for max %g (previous %g) tops at %g, want %g", tt.visible, prev, a.hi, tt.want)
		}
		prev = a.hi
	}
}

func TestYAxisTicksAndLabels(t *testing.T) {
	tests := []struct {
		name   string
		mode   ScaleMode
		vis    float64
		seen   float64
		rows   int
		labels map[int]string // row → label
	}{
		{"linear halves", ScaleAuto, 65e6, 0, 8, map[int]string{0: "     0", 5: "   50M", 8: "  100M"}},
		{"linear quarters", ScaleAuto, 150e6, 0, 20, map[int]string{0: "     0", 6: "   50M", 11: "  100M", 15: "  150M", 20: "  200M"}},
		{"fixed uses max seen", ScaleFixed, 10e6, 300e6, 8, map[int]string{0: "     0", 5: "  250M", 8: "  500M"}},
		{"log decades", ScaleLog, 30e6, 0, 20, map[int]string{0: "    1k", 5: "   10k", 9: "  100k", 12: "    1M", 16: "   10M", 20: "  100M"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newYAxis(tt.mode, tt.vis, tt.seen, tt.rows)
			for row := 0; row <= tt.rows; row++ {
				got := a.labelAt(row, tt.rows)
				if len(got) != yLabelWidth {
					t.Errorf("row %d label %q is %d bytes, want %d", row, got, len(got), yLabelWidth)
				}
				want, ok := tt.labels[row]
				if !ok {
					want = "      "
				}
				if got != want {
					t.Errorf("row %d label %q, want %q", row, got, want)
				}
			}
		})
	}
}

func TestPlaceKeepsValuesInRange(t *testing.T) {
	lin := newYAxis(ScaleAuto, 65e6, 0, 10)
	lg := newYAxis(ScaleLog, 30e6, 0, 10)
	tests := []struct {
		axis yAxis
		in   float64
		want float64
	}{
		{lin, 50e6, 50e6}, {lin, 1e12, 100e6}, {lin, -1, 0}, {lin, math.NaN(), 0}, {lin, math.Inf(1), 100e6},
		{lg, 1e6, 6}, {lg, 0, 3}, {lg, 1, 3}, {lg, math.NaN(), 3}, {lg, 1e15, 8}, {lg, math.Inf(1), 8},
	}
	for _, tt := range tests {
		got := tt.axis.place(tt.in)
		if math.Abs(got-tt.want) > 1e-9 || got < tt.axis.lo || got > tt.axis.hi {
			t.Errorf("%v place(%g) = %g, want %g within [%g, %g]", tt.axis.mode, tt.in, got, tt.want, tt.axis.lo, tt.axis.hi)
		}
	}
}
