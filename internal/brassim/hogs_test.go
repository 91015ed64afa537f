package brassim

import (
	"strings"
	"testing"
	"time"
)

// TestHogs: the hogs scenario makes the DNS-amplification victim the
// largest of a few steady hogs, every one far above the busiest ordinary
// subscriber's peak, at exactly the rates Hogs reports.
func TestHogs(t *testing.T) {
	s, clock := newSim(t, Options{Sessions: 2000, Hogs: 6, Seed: 3})
	hogs := s.Hogs()
	if len(hogs) != 6 || hogs[0].User != UserVictim {
		t.Fatalf("hogs %v, want 6 with %s first", hogs, UserVictim)
	}
	var quietPeak float64
	for _, ss := range s.Sessions() {
		if ss.Shape.Kind != Steady && ss.Shape.Kind != DNSVictim {
			quietPeak = max(quietPeak, float64(8*(ss.Shape.InHigh+ss.Shape.OutHigh)))
		}
	}
	seen := map[string]bool{}
	for k, h := range hogs {
		if seen[h.User] {
			t.Fatalf("hog %s twice", h.User)
		}
		seen[h.User] = true
		if k > 0 && h.OutBps >= hogs[k-1].OutBps {
			t.Errorf("hog %d (%s) %.0f b/s is not below the one before", k, h.User, h.OutBps)
		}
		if h.InBps+h.OutBps < 2*quietPeak {
			t.Errorf("hog %s at %.0f b/s is not twice the quiet peak %.0f", h.User, h.InBps+h.OutBps, quietPeak)
		}
		in0, out0, ok := s.Truth(h.User)
		clock.Add(time.Second)
		in1, out1, _ := s.Truth(h.User)
		if !ok || float64(8*(in1-in0)) != h.InBps || float64(8*(out1-out0)) != h.OutBps {
			t.Errorf("hog %s counted %d/%d octets in 1s, want %.0f/%.0f b/s", h.User, in1-in0, out1-out0, h.InBps, h.OutBps)
		}
	}
	if plain, _ := newSim(t, Options{Sessions: 100}); len(plain.Hogs()) != 0 {
		t.Errorf("hogs without the scenario")
	}
}

func TestHogsRefused(t *testing.T) {
	for _, o := range []Options{{Sessions: 100, Hogs: -1}, {Sessions: 100, Hogs: MaxHogs + 1}, {Sessions: 8, Hogs: 5}} {
		if _, err := New(o); err == nil || !strings.Contains(err.Error(), "backhaul hogs") {
			t.Errorf("New(%d sessions, %d hogs): %v", o.Sessions, o.Hogs, err)
		}
	}
}
