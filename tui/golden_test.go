package tui

import (
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// goldenCase is one fixed sample stream drawn at a fixed size.
type goldenCase struct {
	name    string
	w, h    int
	opts    Options
	samples func() []sample.Sample
	keys    []string
}

func goldenCases() []goldenCase {
	one := Options{Targets: []string{"alice"}, Window: time.Minute}
	steady := func() []sample.Sample { return stream("alice", 90, time.Second, wave, nil) }
	return []goldenCase{
		{name: "steady", w: 100, h: 30, opts: one, samples: steady},
		{name: "gap", w: 100, h: 30, opts: one, samples: func() []sample.Sample {
			s := stream("alice", 90, time.Second, wave, statusAt(50, 58, sample.StatusGapTimeout))
			s[58].Interval = 9 * time.Second // the bridge back to the last baseline
			return s
		}},
		{name: "wrap", w: 100, h: 30, opts: one, samples: func() []sample.Sample {
			s := stream("alice", 90, time.Second, wave, func(i int) sample.Status {
				if i%23 == 11 {
					return sample.StatusWrap
				}
				return sample.StatusOK
			})
			for i := range s {
				s[i].CounterBits = 32
				s[i].InOctets %= 1 << 32
			}
			return s
		}},
		{name: "backfilled", w: 100, h: 30, opts: one, samples: func() []sample.Sample {
			s := stream("alice", 90, time.Second, wave, func(i int) sample.Status {
				if i%3 == 2 {
					return sample.StatusBackfilled
				}
				return sample.StatusPending
			})
			for i := range s {
				s[i].CachePeriod = 3050 * time.Millisecond
				if s[i].Status == sample.StatusBackfilled {
					s[i].Interval = 3 * time.Second
				}
			}
			return s
		}},
		{name: "reconnect", w: 100, h: 30, opts: one, samples: func() []sample.Sample {
			s := stream("alice", 90, time.Second, wave, func(i int) sample.Status {
				switch {
				case i == 30:
					return sample.StatusGapReset
				case i >= 55 && i < 62:
					return sample.StatusOffline
				case i == 62:
					return sample.StatusReconnected
				}
				return sample.StatusOK
			})
			for i := 62; i < len(s); i++ {
				s[i].IfIndex, s[i].IfName = 301, "Virtual-Access1.201"
			}
			return s
		}},
		{name: "two-targets", w: 120, h: 40, opts: Options{Targets: []string{"alice", "bob"}, Window: time.Minute},
			samples: func() []sample.Sample {
				a := stream("alice", 90, time.Second, wave, nil)
				b := stream("bob", 90, time.Second, func(i int) (float64, float64) { return 2e6, 150e3 * float64(i%10) }, nil)
				for i := range b {
					b[i].IfIndex, b[i].IfName = 12, "GigabitEthernet0/0/1"
				}
				return append(a, b...)
			}},
		{name: "narrow", w: 60, h: 15, opts: one, samples: steady},
		{name: "too-small", w: 59, h: 15, opts: one, samples: steady},
		{name: "help", w: 80, h: 24, opts: one, samples: steady, keys: []string{"?"}},
		{name: "log-bytes", w: 100, h: 30, opts: one, samples: steady, keys: []string{"s", "s", "b"}},
		{name: "subsecond", w: 100, h: 20, opts: Options{Targets: []string{"alice"}, Interval: 100 * time.Millisecond, Window: time.Minute},
			samples: func() []sample.Sample {
				// A 1 s square wave sampled every 250 ms: drawn only if
				// sub-second samples keep their own place on the X axis.
				return stream("alice", 240, 250*time.Millisecond, func(i int) (float64, float64) {
					return float64((i/4)%2) * 10e6, float64((i/2)%2) * 5e6
				}, nil)
			}},
		{name: "paused", w: 100, h: 30, opts: one, samples: steady, keys: []string{" ", "left"}},
		{name: "first-minute", w: 100, h: 30, opts: Options{Targets: []string{"alice"}},
			samples: func() []sample.Sample { return stream("alice", 60, time.Second, wave, nil) }},
		{name: "waiting", w: 100, h: 20, opts: one, samples: func() []sample.Sample {
			s := stream("alice", 3, time.Second, wave, func(i int) sample.Status {
				return []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusPending}[i]
			})
			for i := range s {
				// A caching agent: the counters hold still until its refresh.
				s[i].CachePeriod = 3050 * time.Millisecond
				s[i].InOctets, s[i].OutOctets = s[0].InOctets, s[0].OutOctets
			}
			return s
		}},
		{name: "help-small", w: 60, h: 15, opts: one, samples: steady, keys: []string{"?", "down", "down"}},
		{name: "paused-narrow", w: 60, h: 15, opts: one, samples: steady, keys: []string{" "}},
	}
}

func TestViewGolden(t *testing.T) {
	for _, tt := range goldenCases() {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, tt.opts, tt.w, tt.h)
			m.Update(SamplesMsg(tt.samples()))
			for _, k := range tt.keys {
				m.Update(keyOf(k))
			}
			golden(t, tt.name, m.View())
		})
	}
}

func TestReplayGolden(t *testing.T) {
	rec := stream("alice", 600, time.Second, wave, statusAt(300, 310, sample.StatusGapTimeout))
	m := newTestModel(t, Options{Recording: rec, Window: time.Minute}, 100, 30)
	for range 8 {
		m.Update(press("left"))
	}
	golden(t, "replay", m.View())
}

func TestShortReplayGolden(t *testing.T) {
	// 90 s recorded, 5m asked for: the replay shows all of it, and at
	// 60 columns the header keeps the whole REPLAY range.
	rec := stream("alice", 90, time.Second, wave, nil)
	m := newTestModel(t, Options{Recording: rec, Window: 5 * time.Minute}, 60, 15)
	golden(t, "replay-short", m.View())
}
