package snmp

// CounterValue returns the value and kind a counter column read as v
// stands for, for counters of the given width (64 or 32), as the poller
// reads them: a 32-bit column that an agent serves as INTEGER or Gauge32
// is a Counter32 (retyped is then true); every other value keeps its
// kind, so that a missing or mistyped counter is never a number.
func CounterValue(v Variable, bits int) (value uint64, kind Kind, retyped bool) {
	return asCounter(v, bits)
}
