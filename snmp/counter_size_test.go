package snmp

import (
	"testing"
	"unsafe"
)

// TestRateStateSize guards what one interface's rate state costs: stg top
// keeps one per row, 32,000 on a large BRAS. A RateState keeps marks of
// polls, not whole Readings, and allocates its rate history, primed reading
// and window of counter changes only where they are used; a window of
// changes is refreshWindow compact records.
func TestRateStateSize(t *testing.T) {
	if got, limit := unsafe.Sizeof(RateState{}), uintptr(256); got > limit {
		t.Errorf("RateState is %d bytes, want at most %d", got, limit)
	}
	if got, limit := unsafe.Sizeof(refreshRec{}), uintptr(16); got > limit {
		t.Errorf("a refresh window's record is %d bytes, want at most %d", got, limit)
	}
}
