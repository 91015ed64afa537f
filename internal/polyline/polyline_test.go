package polyline

import (
	"math"
	"slices"
	"testing"
)

type pt struct{ x, y float64 }

func TestThin(t *testing.T) {
	col := func(p pt) float64 { return math.Floor(p.x) }
	y := func(p pt) float64 { return p.y }
	tests := []struct {
		name string
		in   []pt
		want []pt
	}{
		{"empty", nil, nil},
		{"one a column stays", []pt{{0, 1}, {1, 5}, {2, 3}}, []pt{{0, 1}, {1, 5}, {2, 3}}},
		{"first, low, high, last in order",
			[]pt{{0, 5}, {0.2, 9}, {0.4, 1}, {0.6, 7}, {0.8, 6}, {1, 2}},
			[]pt{{0, 5}, {0.2, 9}, {0.4, 1}, {0.8, 6}, {1, 2}}},
		{"low before high", []pt{{0, 5}, {0.1, 0}, {0.2, 8}, {0.3, 4}}, []pt{{0, 5}, {0.1, 0}, {0.2, 8}, {0.3, 4}}},
		{"extremes at the ends are kept once", []pt{{0, 0}, {0.5, 4}, {0.9, 9}}, []pt{{0, 0}, {0.9, 9}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Thin(nil, tt.in, col, y)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Thin = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestThinAppendsToOut(t *testing.T) {
	out := []pt{{-1, -1}}
	got := Thin(out, []pt{{0, 1}, {0.5, 2}}, func(p pt) float64 { return 0 }, func(p pt) float64 { return p.y })
	if want := []pt{{-1, -1}, {0, 1}, {0.5, 2}}; !slices.Equal(got, want) {
		t.Errorf("Thin = %v, want %v", got, want)
	}
}
