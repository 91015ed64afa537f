package tui

import (
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
)

// benchModel returns a 200x50 model with two targets and a full hour of
// 1 Hz samples in a 1h window, plus a further hour of samples to feed.
func benchModel(b *testing.B) (*Model, []snmp.Sample) {
	b.Helper()
	m := newTestModel(&testing.T{}, Options{Targets: []string{"alice", "bob"}, Window: time.Hour}, 200, 50)
	a := stream("alice", 7200, time.Second, wave, nil)
	c := stream("bob", 7200, time.Second, func(i int) (float64, float64) { in, out := wave(i + 5); return out, in }, nil)
	var hist, more []snmp.Sample
	for i := range a {
		if i < 3600 {
			hist = append(hist, a[i], c[i])
		} else {
			more = append(more, a[i], c[i])
		}
	}
	m.Update(SamplesMsg(hist))
	m.View()
	return m, more
}

// BenchmarkFrame measures one 1 Hz frame at 200x50 with two targets and a
// full 1h window: the poll's two samples arrive, then View draws.
func BenchmarkFrame(b *testing.B) {
	m, more := benchModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := (2 * i) % len(more)
		m.Update(SamplesMsg(more[j : j+2]))
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
	}
}
