package snmp_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// oidCsubSessionUsername is the identity column the SNMP resolver gives a
// subscriber found in CISCO-SUBSCRIBER-SESSION-MIB (its row index is the
// ifIndex).
const oidCsubSessionUsername = "1.3.6.1.4.1.9.9.786.1.1.1.1.24"

// truth is what the simulator served for the user at one poll.
type truth struct {
	online  bool
	ifIndex int
	in, out uint64
}

// TestPollerFollowsFlappingUser polls MyUserName on the simulator while it
// reconnects (what `stg sim --flap 15s` plus `stg --user MyUserName` do),
// with the test as the follower: on a loss it looks the user up and calls
// Retarget or SetOffline. The simulator and the poller share a fake clock,
// so every rate is compared exactly with the counters the agent served:
// no rate spans two sessions, `reconnected` and gap rows carry no rate,
// a lost poll carries no stale counters, and the first `ok` after a
// reconnect is measured from the reconnected row's baseline.
func TestPollerFollowsFlappingUser(t *testing.T) {
	tests := []struct {
		name       string
		o          brassim.Options
		reconnects int // at least this many `reconnected` rows
		offline    bool
	}{
		{"new ifIndex at once", brassim.Options{Seed: 1, Flap: 15 * time.Second, FlapShare: 0.05}, 4, false},
		{"offline between sessions", brassim.Options{Seed: 2, Flap: 15 * time.Second, FlapDown: 3 * time.Second}, 4, true},
		{"flappers swap interfaces", brassim.Options{Seed: 3, Flap: 15 * time.Second, FlapShare: 0.05, ReuseInterfaces: true}, 4, false},
		// Alone, the user gets its own interface back: the identity holds,
		// ifCounterDiscontinuityTime tells the poller to start over.
		{"own interface back", brassim.Options{Seed: 4, Flap: 15 * time.Second, ReuseInterfaces: true}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := snmptest.NewClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
			o := tt.o
			o.Now, o.NoSSH = clock.Now, true
			sim := agenttest.StartSim(t, o)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			target, err := snmp.ParseTarget(sim.Addr())
			if err != nil {
				t.Fatal(err)
			}
			c, err := snmp.Dial(ctx, snmp.Config{Target: target, Community: secret.Secret(sim.Community()), Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()

			const user = brassim.UserMine
			find := func() (snmp.PollTarget, bool) {
				idx, name, ok := sim.Lookup(user)
				return snmp.PollTarget{IfIndex: idx, IfName: name, IdentityOID: oidCsubSessionUsername + "." + strconv.Itoa(idx), IdentityValue: user}, ok
			}
			first, _ := find()
			first.Name = user
			var p *snmp.Poller
			waiting := false // lost and not found again yet
			follow := func() {
				if pt, ok := find(); ok {
					snmp.Retarget(p, user, pt)
					waiting = false
					return
				}
				snmp.SetOffline(p, user)
			}
			p = snmp.NewPoller(c, snmp.PollerConfig{Router: "bras1", Interval: time.Second, Timeout: 5 * time.Second, Now: clock.Now},
				[]snmp.PollTarget{first})
			snmp.SetPollerLost(p, func(string) { waiting = true; follow() })

			out := make(chan sample.Sample, 4)
			var rows []sample.Sample
			var truths []truth
			for step := 0; step < 70; step++ {
				if step > 0 {
					clock.Add(time.Second)
				}
				if waiting {
					follow()
				}
				var tr truth
				tr.ifIndex, _, tr.online = sim.Lookup(user)
				tr.in, tr.out, _ = sim.Truth(user)
				if !snmp.PollOnce(p, ctx, out) {
					t.Fatalf("poll %d: context ended", step)
				}
				rows = append(rows, <-out)
				truths = append(truths, tr)
			}
			checkFollowRows(t, rows, truths, tt.reconnects, tt.offline)
		})
	}
}

// checkFollowRows checks every row against what the simulator served.
func checkFollowRows(t *testing.T, rows []sample.Sample, truths []truth, wantReconnects int, wantOffline bool) {
	t.Helper()
	counts := map[sample.Status]int{}
	okAfterReconnect := 0
	// afterReconnect: the rows since the last reconnected one were only
	// the pending first change that the new baseline waits for.
	afterReconnect := false
	base := -1 // row whose octets the next rate starts from
	for i, s := range rows {
		tr := truths[i]
		counts[s.Status]++
		if s.HasOctets {
			if !tr.online || s.IfIndex != tr.ifIndex || s.InOctets != tr.in || s.OutOctets != tr.out {
				t.Errorf("row %d (%s): ifIndex %d octets %d/%d; simulator served ifIndex %d %d/%d (online %v)",
					i, s.Status, s.IfIndex, s.InOctets, s.OutOctets, tr.ifIndex, tr.in, tr.out, tr.online)
			}
		}
		if !s.Status.HasRate() {
			if s.InBps != 0 || s.OutBps != 0 {
				t.Errorf("row %d (%s) carries a rate %.0f/%.0f", i, s.Status, s.InBps, s.OutBps)
			}
			switch lost := strings.Contains(s.Err, "lost"); {
			case (lost || s.Status == sample.StatusOffline) && s.HasOctets:
				t.Errorf("row %d (%s, %s) carries counters %d/%d of ifIndex %d, which the user left",
					i, s.Status, s.Err, s.InOctets, s.OutOctets, s.IfIndex)
			case s.Status == sample.StatusReconnected && !s.HasOctets:
				t.Errorf("row %d: reconnected without a baseline", i)
			}
			if s.HasOctets {
				base = i
			}
			afterReconnect = s.Status == sample.StatusReconnected || (afterReconnect && s.Status == sample.StatusPending)
			continue
		}
		if base < 0 || rows[base].IfIndex != s.IfIndex {
			t.Errorf("row %d (%s on ifIndex %d): a rate without a baseline on the same interface (base %d)", i, s.Status, s.IfIndex, base)
			continue
		}
		if afterReconnect {
			okAfterReconnect++
			afterReconnect = false
		}
		span := s.Time.Sub(rows[base].Time)
		wantIn := float64(truths[i].in-truths[base].in) * 8 / span.Seconds()
		wantOut := float64(truths[i].out-truths[base].out) * 8 / span.Seconds()
		if s.Interval != span || math.Abs(s.InBps-wantIn) > 1e-6*wantIn || math.Abs(s.OutBps-wantOut) > 1e-6*wantOut {
			t.Errorf("row %d (%s, %v, after %s): %.3f/%.3f b/s, truth %.3f/%.3f over %v",
				i, s.Status, s.Interval, rows[base].Status, s.InBps, s.OutBps, wantIn, wantOut, span)
		}
		base = i
	}
	t.Logf("statuses: %v", counts)
	if counts[sample.StatusReconnected] < wantReconnects || okAfterReconnect < wantReconnects {
		t.Errorf("%d reconnected rows and %d rates right after them, want at least %d of each", counts[sample.StatusReconnected], okAfterReconnect, wantReconnects)
	}
	if wantOffline && counts[sample.StatusOffline] == 0 {
		t.Errorf("no offline row while the user was away")
	}
	if counts[sample.StatusOK] < len(rows)/2 {
		t.Errorf("only %d ok rows of %d", counts[sample.StatusOK], len(rows))
	}
}
