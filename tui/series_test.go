package tui

import (
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// ringOf puts points at 1 s steps (or the given times) into a ring.
func ringOf(ps ...point) *ring {
	r := newRing(len(ps) + 1)
	for _, p := range ps {
		r.push(p)
	}
	return r
}

// pt is a point at second sec with in rate v and status st, covering iv.
func pt(sec float64, v float64, st sample.Status, iv time.Duration) point {
	return point{at: int64(sec * 1e9), interval: int64(iv), in: v, out: v / 2, status: st}
}

func TestExtractRuns(t *testing.T) {
	s := time.Second
	ok, pend, bf := sample.StatusOK, sample.StatusPending, sample.StatusBackfilled
	tests := []struct {
		name    string
		points  []point
		runs    [][]xy // the in runs, x in ms from the view start (0 s)
		markers []marker
	}{
		{"steady is one run", []point{pt(1, 10, ok, s), pt(2, 20, ok, s), pt(3, 30, ok, s)},
			[][]xy{{{1000, 10}, {2000, 20}, {3000, 30}}}, nil},
		{"timeout breaks the line, never a zero", []point{pt(1, 10, ok, s), pt(2, 0, sample.StatusGapTimeout, s), pt(3, 30, ok, s)},
			[][]xy{{{1000, 10}}, {{3000, 30}}}, nil},
		{"backfill is flat over its interval and bridges its pending rows",
			[]point{pt(1, 10, ok, s), pt(2, 0, pend, s), pt(3, 0, pend, s), pt(4, 40, bf, 3*s)},
			[][]xy{{{1000, 10}, {1000, 40}, {4000, 40}}}, nil},
		{"pending not followed by a backfill breaks",
			[]point{pt(1, 10, ok, s), pt(2, 0, pend, s), pt(3, 30, ok, s)},
			[][]xy{{{1000, 10}}, {{3000, 30}}}, nil},
		{"reconnect and reset are marked",
			[]point{pt(1, 10, ok, s), pt(2, 0, sample.StatusGapReset, s), pt(3, 30, ok, s), pt(4, 0, sample.StatusReconnected, s), pt(5, 50, ok, s)},
			[][]xy{{{1000, 10}}, {{3000, 30}}, {{5000, 50}}}, []marker{{2000, 'X'}, {4000, 'R'}}},
		{"sub-second samples keep their own x",
			[]point{pt(0.1, 1, ok, s/10), pt(0.2, 2, ok, s/10), pt(0.3, 3, ok, s/10)},
			[][]xy{{{100, 1}, {200, 2}, {300, 3}}}, nil},
		{"edges are clipped by interpolation",
			[]point{pt(-2, 0, ok, s), pt(2, 40, ok, s), pt(8, 40, ok, s), pt(12, 0, ok, s)},
			[][]xy{{{0, 20}, {2000, 40}, {8000, 40}, {10000, 20}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got series
			got.extract(ringOf(tt.points...), 0, int64(10*time.Second), 1)
			if len(got.runs[0]) != len(tt.runs) {
				t.Fatalf("in runs = %v, want %v", got.runs[0], tt.runs)
			}
			for i := range tt.runs {
				if len(got.runs[0][i]) != len(tt.runs[i]) {
					t.Fatalf("run %d = %v, want %v", i, got.runs[0][i], tt.runs[i])
				}
				for j := range tt.runs[i] {
					if got.runs[0][i][j] != tt.runs[i][j] {
						t.Errorf("run %d vertex %d = %v, want %v", i, j, got.runs[0][i][j], tt.runs[i][j])
					}
				}
			}
			if len(got.runs[1]) != len(tt.runs) {
				t.Errorf("out has %d runs, in %d", len(got.runs[1]), len(tt.runs))
			}
			if len(got.markers) != len(tt.markers) {
				t.Fatalf("markers = %v, want %v", got.markers, tt.markers)
			}
			for i := range tt.markers {
				if got.markers[i] != tt.markers[i] {
					t.Errorf("marker %d = %v, want %v", i, got.markers[i], tt.markers[i])
				}
			}
		})
	}
}

func TestExtractBytesAndMax(t *testing.T) {
	r := ringOf(pt(1, 80, sample.StatusOK, time.Second), pt(2, 160, sample.StatusOK, time.Second))
	var got series
	got.extract(r, 0, int64(10*time.Second), 8)
	if got.max != 20 || got.runs[0][0][1].y != 20 || got.runs[1][0][1].y != 10 {
		t.Errorf("bytes: max %g, in %v, out %v; want max 20, in 20, out 10", got.max, got.runs[0], got.runs[1])
	}
}

func TestDecimateKeepsExtremes(t *testing.T) {
	var run []xy
	for i := range 1000 {
		y := float64(i % 7)
		if i == 500 {
			y = 100
		}
		run = append(run, xy{float64(i), y})
	}
	out := decimate(run, 10, nil) // 10 vertices per dot column
	if len(out) > 4*101 {
		t.Errorf("decimate kept %d of 1000 vertices, want at most 4 per column", len(out))
	}
	var top xy
	for i, v := range out {
		if i > 0 && v.x < out[i-1].x {
			t.Fatalf("vertex %d goes back in time: %v after %v", i, v, out[i-1])
		}
		if v.y > top.y {
			top = v
		}
	}
	if top != (xy{500, 100}) {
		t.Errorf("the spike was lost: highest kept vertex %v", top)
	}
	if out[0] != run[0] || out[len(out)-1] != run[len(run)-1] {
		t.Errorf("ends changed: %v..%v", out[0], out[len(out)-1])
	}
}

func TestTimeTicksAreLocalAndRound(t *testing.T) {
	start := time.Date(2026, 3, 14, 9, 26, 7, 0, testZone).UnixNano()
	ticks := timeTicks(start, 5*time.Minute, 60)
	if len(ticks) < 3 {
		t.Fatalf("ticks = %v, want at least 3", ticks)
	}
	want := []string{"09:27", "09:28", "09:29"}
	for i, w := range want {
		if ticks[i].label != w {
			t.Errorf("tick %d = %q, want %q (local, on whole minutes)", i, ticks[i].label, w)
		}
	}
	for i := 1; i < len(ticks); i++ {
		if ticks[i].col-ticks[i-1].col < xLabelWidth-2 {
			t.Errorf("ticks %v and %v overlap", ticks[i-1], ticks[i])
		}
		if ticks[i].col+len(ticks[i].label) > 60 {
			t.Errorf("tick %v runs off the graph", ticks[i])
		}
	}
}
