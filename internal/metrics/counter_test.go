package metrics

import (
	"testing"

	"github.com/stg-project/stg/sample"
)

// TestCounterShown: a 32-bit counter is shown as the octets stg counted
// since its baseline, past each wrap it measured (whatever the status of
// the row that saw it, pending included), from 0 again at a new baseline;
// a 64-bit counter is shown as read.
func TestCounterShown(t *testing.T) {
	const wrap = 1 << 32
	type step struct {
		raw  uint64
		bits int
		st   sample.Status
		want uint64
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"32-bit wraps", []step{
			{4_000_000_000, 32, sample.StatusFirst, 0},
			{4_200_000_000, 32, sample.StatusOK, 200_000_000},
			{100_000_000, 32, sample.StatusWrap, wrap + 100_000_000 - 4_000_000_000},
			{300_000_000, 32, sample.StatusOK, wrap + 300_000_000 - 4_000_000_000},
			{300_000_000, 32, sample.StatusPending, wrap + 300_000_000 - 4_000_000_000},
			{4_290_000_000, 32, sample.StatusBackfilled, wrap + 290_000_000},
			{5_000, 32, sample.StatusPending, 2*wrap + 5_000 - 4_000_000_000}, // a wrap seen on a pending row
			{9_000, 32, sample.StatusBackfilled, 2*wrap + 9_000 - 4_000_000_000},
		}},
		{"a reset starts again from 0", []step{
			{4_000_000_000, 32, sample.StatusFirst, 0},
			{10, 32, sample.StatusWrap, wrap + 10 - 4_000_000_000},
			{5, 32, sample.StatusGapReset, 0},
			{7, 32, sample.StatusOK, 2},
		}},
		{"a reconnect or a discontinuity too", []step{
			{4_000_000_000, 32, sample.StatusFirst, 0},
			{10, 32, sample.StatusWrap, wrap + 10 - 4_000_000_000},
			{20, 32, sample.StatusReconnected, 0},
			{4_000_000_000, 32, sample.StatusOK, 3_999_999_980},
			{40, 32, sample.StatusGapDiscontinuity, 0},
		}},
		{"64-bit counters as read", []step{
			{5_000_000_000_000, 64, sample.StatusFirst, 5_000_000_000_000},
			{5_000_000_100_000, 64, sample.StatusOK, 5_000_000_100_000},
			{12, 64, sample.StatusGapReset, 12},
		}},
		{"a change of width starts again", []step{
			{4_000_000_000, 32, sample.StatusFirst, 0},
			{10, 32, sample.StatusWrap, wrap + 10 - 4_000_000_000},
			{9, 64, sample.StatusOK, 9},
			{8, 32, sample.StatusOK, 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c counter
			for i, s := range tt.steps {
				if got := c.next(s.raw, s.bits, s.st); got != s.want {
					t.Errorf("step %d (%d, %s): shown %d, want %d", i, s.raw, s.st, got, s.want)
				}
			}
		})
	}
}
