package tui

import (
	"testing"
	"time"

	"github.com/stg-project/stg/ranking"
)

// BenchmarkTopCycle measures what stg top's UI spends on one cycle of
// 32,000 rows at 200x50: taking the cycle (sorted by out, so the rows are
// sorted again; filtered, so the filter runs) and drawing one frame. At
// one cycle a second, %cpu@1Hz is the UI's share of one core.
func BenchmarkTopCycle(b *testing.B) {
	cycles := make([]ranking.Cycle, 4)
	for i := range cycles {
		cycles[i] = topCycle(i+1, 32000)
	}
	for _, c := range []struct {
		name string
		keys []string
	}{{"total", nil}, {"out", []string{"o"}}, {"filter", []string{"/", "1", "enter"}}} {
		keys := c.keys
		b.Run(c.name, func(b *testing.B) {
			m := newTopModel(TopOptions{}, 200, 50)
			m.Update(CycleMsg(cycles[0]))
			for _, k := range keys {
				m.Update(topKey(k))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Update(CycleMsg(cycles[i%len(cycles)]))
				if len(m.View()) == 0 {
					b.Fatal("empty frame")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(time.Second)*100, "%cpu@1Hz")
		})
	}
}
