package ranking

import (
	"math"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

func row(ifIndex int, in, out float64, has bool) Row {
	return Row{Interface: &Interface{IfIndex: ifIndex, Target: "t"}, LatestIn: in, LatestOut: out, HasLatest: has}
}

// TestSort: the largest first by each key, rows without a rate last, ties
// by ifIndex; SortView orders indexes the same way without moving rows.
func TestSort(t *testing.T) {
	rows := []Row{row(5, 1, 1, true), row(3, 9, 0, true), row(9, 0, 0, false), row(1, 0, 5, true), row(2, 1, 1, true), row(4, 0, 0, true)}
	want := map[Key][]int{ByTotal: {3, 1, 2, 5, 4, 9}, ByIn: {3, 2, 5, 1, 4, 9}, ByOut: {1, 2, 5, 3, 4, 9}}
	for key, order := range want {
		view := []int{0, 1, 2, 3, 4, 5}
		SortView(rows, view, key)
		sorted := append([]Row(nil), rows...)
		Sort(sorted, key)
		for i, idx := range order {
			if sorted[i].IfIndex != idx || rows[view[i]].IfIndex != idx {
				t.Errorf("by %s: position %d holds %d (view %d), want %d", key, i, sorted[i].IfIndex, rows[view[i]].IfIndex, idx)
			}
		}
	}
}

// TestCycleFigures: a row's share of the sum, the walk, and a row as a
// poll row.
func TestCycleFigures(t *testing.T) {
	start := time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC)
	c := Cycle{Start: start, End: start.Add(1500 * time.Millisecond), Interval: time.Second, InBps: 30, OutBps: 70}
	r, none := row(7, 10, 15, true), row(8, 0, 0, false)
	if got := c.Share(&r); got != 0.25 || !math.IsNaN(c.Share(&none)) || none.Total() != 0 {
		t.Errorf("share %v, of a row without rate %v", got, c.Share(&none))
	}
	if !c.Overran() || c.Walk() != 1500*time.Millisecond {
		t.Errorf("walk %v overran %v", c.Walk(), c.Overran())
	}
	r.Interface = &Interface{IfIndex: 7, IfName: "Vi2.7", IfDescr: "Virtual-Access2.7", IfAlias: "cust 7", User: "anna", Target: "anna"}
	r.Time, r.Status, r.InBps, r.OutBps, r.Interval, r.CounterBits = start, sample.StatusOK, 10, 15, time.Second, 64
	r.InOctets, r.OutOctets, r.HasOctets = 1, 2, true
	want := sample.Sample{Time: start, Router: "bras1", Target: "anna", IfIndex: 7, IfName: "Vi2.7", IfDescr: "Virtual-Access2.7",
		IfAlias: "cust 7", User: "anna", InBps: 10, OutBps: 15,
		InOctets: 1, OutOctets: 2, HasOctets: true, Interval: time.Second, Status: sample.StatusOK, CounterBits: 64}
	if got := r.Sample("bras1"); got != want {
		t.Errorf("Sample: %+v, want %+v", got, want)
	}
}
