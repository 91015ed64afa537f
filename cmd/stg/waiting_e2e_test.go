package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
)

// TestTUISaysWhyNoRateYetInTmux: against an agent that refreshes its
// counters every 5 s, the chart says it is waiting for them to change
// instead of showing "-" with no reason, until the first rate comes.
func TestTUISaysWhyNoRateYetInTmux(t *testing.T) {
	agenttest.SkipShort(t, "tmux")
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 10, NoSSH: true,
		Cache: 5 * time.Second, CacheMode: brassim.CacheTimer, CachePhase: 2500 * time.Millisecond})
	bin := stgBinary(t)
	dir := t.TempDir()
	logFile := filepath.Join(dir, "log.csv")
	tm := newTmux(t, dir)
	tm.newSession("-s", "wait", "-x", "120", "-y", "30",
		fmt.Sprintf("STG_CACHE_DIR=%s %s --router %s -c %s --user %s -o tui --log %s",
			dir, bin, sim.Addr(), sim.Community(), brassim.UserMine, logFile))
	show := func() string { return tm.screen("wait") }
	const why = "waiting for the agent's counters to change"
	waitFor(t, 20*time.Second, "the reason for the missing rate", func() bool {
		return strings.Contains(show(), why)
	}, show)
	if v, ok := readout(show(), "in"); ok && v > 0 {
		t.Errorf("the chart says it is waiting but shows a current rate of %g b/s:\n%s", v, show())
	}
	waitFor(t, 40*time.Second, "the first rate", func() bool {
		v, ok := readout(show(), "in")
		return ok && v > 0 && !strings.Contains(show(), why)
	}, show)
	tm.run("send-keys", "-t", "wait", "q")
}
