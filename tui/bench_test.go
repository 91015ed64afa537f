package tui

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// benchModel returns a 200x50 model with two targets and a full hour of
// samples every interval in a 1h window, plus a further hour to feed.
func benchModel(b *testing.B, interval time.Duration) (*Model, []sample.Sample) {
	b.Helper()
	m := newTestModel(&testing.T{}, Options{Targets: []string{"alice", "bob"}, Window: time.Hour, Interval: interval}, 200, 50)
	perHour := int(time.Hour / interval)
	a := stream("alice", 2*perHour, interval, wave, nil)
	c := stream("bob", 2*perHour, interval, func(i int) (float64, float64) { in, out := wave(i + 5); return out, in }, nil)
	var hist, more []sample.Sample
	for i := range a {
		if i < perHour {
			hist = append(hist, a[i], c[i])
		} else {
			more = append(more, a[i], c[i])
		}
	}
	m.Update(SamplesMsg(hist))
	m.View()
	return m, more
}

// BenchmarkFrame measures one frame at 200x50 with two targets and a full
// 1h window of 1 Hz (and 10 Hz) samples: the poll's two samples arrive,
// then View draws. It reports the frame time's p50 and p99 and the share
// of one core the UI takes drawing one frame per second (%cpu@1fps =
// frame time / 1 s; at 1 Hz polling that is the UI's whole cost, at 10 Hz
// the model draws two frames a second).
func BenchmarkFrame(b *testing.B) {
	for _, iv := range []time.Duration{time.Second, 100 * time.Millisecond} {
		b.Run(iv.String(), func(b *testing.B) { benchFrame(b, iv) })
	}
}

// benchFrame is one BenchmarkFrame case.
func benchFrame(b *testing.B, interval time.Duration) {
	m, more := benchModel(b, interval)
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := (2 * i) % len(more)
		start := time.Now()
		m.Update(SamplesMsg(more[j : j+2]))
		m.dirty = true // a frame per iteration, even where 10 Hz would skip one
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	p := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))].Microseconds()) / 1000 }
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9*100, "%cpu@1fps")
}

// BenchmarkDay feeds 24 hours of 1 Hz samples for two targets, drawing a
// frame each simulated minute, and reports the live heap after 2 hours
// and after 24: the ring buffers and statistics must keep it flat.
func BenchmarkDay(b *testing.B) {
	heap := func() float64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return float64(ms.HeapInuse) / 1e6
	}
	for i := 0; i < b.N; i++ {
		m := newTestModel(&testing.T{}, Options{Targets: []string{"alice", "bob"}, Window: time.Hour}, 200, 50)
		var at2h float64
		for k := range 86400 {
			m.Update(SamplesMsg{sampleAt("alice", k, time.Second, wave, nil), sampleAt("bob", k, time.Second, wave, nil)})
			if k%60 == 59 {
				m.View()
			}
			if k == 2*3600 {
				at2h = heap()
			}
		}
		b.ReportMetric(at2h, "heapMB@2h")
		b.ReportMetric(heap(), "heapMB@24h")
		runtime.KeepAlive(m)
	}
}
