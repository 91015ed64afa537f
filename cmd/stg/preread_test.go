package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
)

// TestCountTwoGivesARate: `stg --count 2` against an agent whose counters
// move on every request (the simulator without a cache) writes a rate on
// its second row; on main the second row was pending. Against the
// simulator's 3 s timer cache the second row stays without a rate.
func TestCountTwoGivesARate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the simulator")
	}
	tests := []struct {
		name     string
		opts     brassim.Options
		wantRate bool
	}{
		{"no cache", brassim.Options{Seed: 11, NoSSH: true, Sessions: 8}, true},
		{"3 s timer cache", brassim.Options{Seed: 11, NoSSH: true, Sessions: 8, Cache: 3 * time.Second,
			CacheMode: brassim.CacheTimer, CachePhase: 1500 * time.Millisecond}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := agenttest.StartSim(t, tt.opts)
			idx, _, _ := sim.Lookup(brassim.UserLNS)
			var inBps float64
			for _, s := range sim.Sessions() {
				if s.User == brassim.UserLNS {
					inBps = float64(s.Shape.InLow * 8)
				}
			}
			var stdout, stderr bytes.Buffer
			env := envOf(map[string]string{"STG_COMMUNITY": sim.Community(), "STG_CACHE_DIR": t.TempDir()})
			code := run(context.Background(), []string{"--router", sim.Addr(), "--if", strconv.Itoa(idx), "--count", "2", "-o", "csv"},
				env, strings.NewReader(""), &stdout, &stderr)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			rows, err := csv.NewReader(&stdout).ReadAll()
			if err != nil || len(rows) != 3 {
				t.Fatalf("%d CSV lines (%v), want a header and 2 rows:\n%s", len(rows), err, stdout.String())
			}
			col := map[string]int{}
			for i, name := range rows[0] {
				col[name] = i
			}
			second := rows[2]
			status := second[col["status"]]
			switch {
			case tt.wantRate && status != "ok":
				t.Errorf("second row %q, want ok with a rate", status)
			case tt.wantRate:
				got, err := strconv.ParseFloat(second[col["in_bps"]], 64)
				if err != nil || math.Abs(got-inBps)/inBps > 0.01 {
					t.Errorf("second row in_bps %q, truth %.0f", second[col["in_bps"]], inBps)
				}
			case status != "pending":
				t.Errorf("second row %q against a 3 s cache, want pending", status)
			}
		})
	}
}
