package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/brassim"
)

// TestSimCacheFlags: --cache-mode timer takes its phase from --seed (the
// same seed, the same phase), request is the default.
func TestSimCacheFlags(t *testing.T) {
	parse := func(seed uint64, mode string, given bool) brassim.Options {
		t.Helper()
		o := brassim.Options{Cache: 5 * time.Second, Seed: seed}
		if err := simCache(&o, mode, given); err != nil {
			t.Fatalf("simCache(%q): %v", mode, err)
		}
		return o
	}
	if o := parse(1, "request", false); o.CacheMode != brassim.CacheOnRequest || o.CachePhase != 0 {
		t.Errorf("default: mode %v phase %v, want request and no phase", o.CacheMode, o.CachePhase)
	}
	a, b, c := parse(7, "timer", true), parse(7, "timer", true), parse(8, "timer", true)
	if a.CacheMode != brassim.CacheTimer || a.CachePhase != b.CachePhase || a.CachePhase == c.CachePhase ||
		a.CachePhase != brassim.TimerPhase(7, 5*time.Second) {
		t.Errorf("timer phases for seeds 7, 7, 8: %v %v %v, want the seed's TimerPhase, equal for equal seeds", a.CachePhase, b.CachePhase, c.CachePhase)
	}
	var banner bytes.Buffer
	simBannerCache(&banner, a)
	if !strings.Contains(banner.String(), "every 5s on a timer") {
		t.Errorf("banner %q does not say the timer period", banner.String())
	}
}
