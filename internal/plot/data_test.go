package plot

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// testZone is the fixed local zone of the tests.
var testZone = time.FixedZone("CET", 3600)

// t0 is the start of every synthetic recording.
var t0 = time.Date(2026, 11, 27, 10, 54, 0, 0, testZone)

// rows builds one target's recording, one row a second from t0, from a
// string of status letters: o ok, w wrap, b backfilled (over three
// seconds), f first, p pending, t gap-timeout, x gap-reset, d
// gap-discontinuity, r reconnected, n offline. Row i's rates are
// 1000*(i+1) in and 100*(i+1) out, in bits/s.
func rows(target, statuses string) []sample.Sample {
	letters := map[rune]sample.Status{
		'o': sample.StatusOK, 'w': sample.StatusWrap, 'b': sample.StatusBackfilled, 'f': sample.StatusFirst,
		'p': sample.StatusPending, 't': sample.StatusGapTimeout, 'x': sample.StatusGapReset,
		'd': sample.StatusGapDiscontinuity, 'r': sample.StatusReconnected, 'n': sample.StatusOffline,
	}
	var out []sample.Sample
	for i, c := range statuses {
		s := sample.Sample{
			Time: t0.Add(time.Duration(i) * time.Second), Router: "bras1", Target: target,
			IfIndex: 257, IfName: "Virtual-Access1.195", Status: letters[c], Interval: time.Second,
		}
		if c == 'b' {
			s.Interval = 3 * time.Second
		}
		if s.Status.HasRate() {
			s.InBps, s.OutBps = float64(1000*(i+1)), float64(100*(i+1))
		}
		out = append(out, s)
	}
	return out
}

// xs returns the seconds after t0 of each point of each run.
func xs(runs []run) [][]float64 {
	var out [][]float64
	for _, rn := range runs {
		var r []float64
		for _, p := range rn {
			r = append(r, math.Round((p.X-unixSeconds(t0))*1000)/1000)
		}
		out = append(out, r)
	}
	return out
}

func TestPanelGapsAreBreaks(t *testing.T) {
	tests := []struct {
		name     string
		statuses string
		runs     [][]float64 // seconds after t0 of the points of each run
		flags    string
	}{
		{"ok rows are one run", "foooo", [][]float64{{1, 2, 3, 4}}, ""},
		{"a timeout breaks the line", "fooottoo", [][]float64{{1, 2, 3}, {6, 7}}, ""},
		{"offline breaks it", "foonnnroo", [][]float64{{1, 2}, {7, 8}}, "R"},
		{"a reset breaks it and flags X", "fooxoo", [][]float64{{1, 2}, {4, 5}}, "X"},
		{"a discontinuity flags X", "foodoo", [][]float64{{1, 2}, {4, 5}}, "X"},
		{"a wrap is a rate", "fowo", [][]float64{{1, 2, 3}}, ""},
		{"a backfilled rate covers the pending rows flat", "foppbo", [][]float64{{1, 1, 4, 5}}, ""},
		{"after a first row the backfill starts at it", "fppbo", [][]float64{{0, 3, 4}}, ""},
		{"pending then a plain rate is a break", "foppoo", [][]float64{{1}, {4, 5}}, ""},
		{"a lone rate is a run of one", "ftotf", [][]float64{{2}}, ""},
		{"nothing but gaps", "fttnn", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := rows("alice", tt.statuses)
			p := buildPanel("alice", rs, rs[0].Time, rs[len(rs)-1].Time, 1)
			for d, name := range []string{"in", "out"} {
				if got := xs(p.runs[d]); !slices.EqualFunc(got, tt.runs, slices.Equal) {
					t.Errorf("%s runs at %v, want %v", name, got, tt.runs)
				}
			}
			// No point is drawn at a row without a rate, and no point
			// is a zero: every Y is a rate of the recording.
			for _, r := range p.runs[dirIn] {
				for _, pt := range r {
					if pt.Y == 0 {
						t.Errorf("a zero at %v", pt.X-unixSeconds(t0))
					}
				}
			}
			var flags string
			for _, m := range p.marks {
				flags += string(m.flag)
			}
			if flags != tt.flags {
				t.Errorf("flags %q, want %q", flags, tt.flags)
			}
		})
	}
}

func TestPanelRatesAndStatistics(t *testing.T) {
	rs := rows("alice", "fooob")
	p := buildPanel("alice", rs, rs[0].Time, rs[len(rs)-1].Time, 8)
	// Bytes divide by 8; the backfilled row is flat from 3 s back (here
	// clamped to the point before it).
	want := run{{X: 1, Y: 250}, {X: 2, Y: 375}, {X: 3, Y: 500}, {X: 3, Y: 625}, {X: 4, Y: 625}}
	got := p.runs[dirIn][0]
	for i := range want {
		want[i].X += unixSeconds(t0)
	}
	if !slices.Equal(got, want) {
		t.Errorf("in run %v, want %v", got, want)
	}
	if p.max != [2]float64{625, 62.5} {
		t.Errorf("max %v, want [625 62.5] B/s", p.max)
	}
	// Time-weighted: three 1 s rows of 2000, 3000, 4000 and a 3 s one of
	// 5000 b/s, in bytes.
	if wantAvg := (2000 + 3000 + 4000 + 3*5000) / 6.0 / 8; math.Abs(p.avg[dirIn]-wantAvg) > 1e-9 {
		t.Errorf("avg in %v, want %v", p.avg[dirIn], wantAvg)
	}
	if !p.rated || !slices.Equal(p.ifaces, []iface{{"Virtual-Access1.195", 257}}) {
		t.Errorf("panel rated=%v interfaces %v", p.rated, p.ifaces)
	}
}

func TestSelectRows(t *testing.T) {
	rec := append(rows("alice", "foooooooooo"), rows("bob", "foooooooooo")...)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	secs := func(rs []sample.Sample) []int {
		var out []int
		for _, r := range rs {
			out = append(out, int(r.Time.Sub(t0)/time.Second))
		}
		return out
	}

	sel, err := selectRows(rec, Options{From: at(3), To: at(6), Location: testZone})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sel.targets, []string{"alice", "bob"}) || !sel.from.Equal(at(3)) || !sel.to.Equal(at(6)) {
		t.Errorf("targets %v span %v-%v", sel.targets, sel.from, sel.to)
	}
	// The span, and one row either side for the line to reach the edges.
	if got := secs(sel.rows[0]); !slices.Equal(got, []int{2, 3, 4, 5, 6, 7}) {
		t.Errorf("alice rows at %v s, want 2..7", got)
	}
	p := buildPanel("alice", sel.rows[0], sel.from, sel.to, 1)
	if p.max[dirIn] != 7000 {
		t.Errorf("max in %v: the rows outside the span must not count, want 7000", p.max[dirIn])
	}

	sel, err = selectRows(rec, Options{Targets: []string{"bob", "bob"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sel.targets, []string{"bob"}) || len(sel.rows) != 1 || sel.rows[0][0].Target != "bob" {
		t.Errorf("--target bob selected %v", sel.targets)
	}
	if !sel.from.Equal(at(0)) || !sel.to.Equal(at(10)) {
		t.Errorf("default span %v-%v, want the recording's", sel.from, sel.to)
	}

	_, err = selectRows(rec, Options{Targets: []string{"carol"}})
	if err == nil || !strings.Contains(err.Error(), `target "carol" is not in the recording; it has "alice", "bob"`) {
		t.Errorf("unknown target: %v", err)
	}
	_, err = selectRows(rec, Options{From: at(20), Location: testZone})
	if !errors.Is(err, ErrNoRows) || !strings.Contains(err.Error(), "the recording runs from 2026-11-27 10:54:00.000 +01:00 to 2026-11-27 10:54:10.000 +01:00") {
		t.Errorf("span after the recording: %v", err)
	}
	_, err = selectRows(rec, Options{From: at(3).Add(100 * time.Millisecond), To: at(3).Add(900 * time.Millisecond)})
	if !errors.Is(err, ErrNoRows) {
		t.Errorf("span between two rows: %v, want ErrNoRows", err)
	}
	_, err = selectRows(rec, Options{From: at(5), To: at(5)})
	if err == nil || !strings.Contains(err.Error(), "is not before the end") {
		t.Errorf("empty span: %v", err)
	}
	if _, err = selectRows(nil, Options{}); !errors.Is(err, ErrNoRows) {
		t.Errorf("no samples: %v, want ErrNoRows", err)
	}
}

func TestDecimateKeepsExtremes(t *testing.T) {
	var r run
	for i := range 1000 {
		r = append(r, point{X: float64(i) / 100, Y: float64(i % 37)})
	}
	r[500].Y = 1e6
	thin := decimate(r, 1) // 100 points a column
	if len(thin) > 4*11 {
		t.Errorf("decimate kept %d points of 1000 over 10 columns, want at most 44", len(thin))
	}
	if thin[0] != r[0] || thin[len(thin)-1] != r[len(r)-1] {
		t.Error("decimate lost the first or last point")
	}
	if !slices.Contains(thin, r[500]) {
		t.Error("decimate lost the peak")
	}
	if !slices.IsSortedFunc(thin, func(a, b point) int { return cmp.Compare(a.X, b.X) }) {
		t.Error("decimate reordered the points")
	}
}
