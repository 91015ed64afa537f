package session

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// startResolveSim runs a simulated BRAS for the tests of finding targets.
func startResolveSim(t *testing.T, opts brassim.Options) *brassim.Sim {
	t.Helper()
	opts.NoSSH = true
	opts.Community = "s3cret-community"
	return agenttest.StartSim(t, opts)
}

// simConfig is a run on sim with stg's defaults, the cache in a temporary
// directory.
func simConfig(t *testing.T, sim *brassim.Sim) Config {
	t.Helper()
	target, err := snmp.ParseTarget(sim.Addr())
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		SNMP:   snmp.Config{Target: target, Version: snmp.Version2c, Community: secret.Secret(sim.Community()), Timeout: time.Second, Retries: 5},
		Router: sim.Addr(), Interval: time.Second, Counters: snmp.CountersAuto, Resolve: ResolveAuto,
		SSH:      SSH{Port: 22, Home: t.TempDir()},
		CacheDir: t.TempDir(),
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestFollow drops a subscriber's session while it is polled, as a --user
// (it comes back at once on a new interface) and as an --if interface
// named like its Virtual-Access (it comes back after a second on the same
// one, as IOS reuses them): the poller loses the target and finds it
// again through refind, and the rows go on from the interface found with a
// `reconnected` row, without a rate that spans the drop.
func TestFollow(t *testing.T) {
	tests := []struct {
		name        string
		opts        brassim.Options
		byInterface bool // poll --if <MyUserName's interface> instead of --user
		wantOffline bool
	}{
		{"user moves to a new interface", brassim.Options{Sessions: 50, Seed: 9}, false, false},
		{"interface goes away and comes back", brassim.Options{Sessions: 50, Seed: 9, ReuseInterfaces: true, FlapDown: time.Second}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := startResolveSim(t, tt.opts)
			_, viName, _ := sim.Lookup("MyUserName")
			cfg := simConfig(t, sim)
			cfg.Interval = 200 * time.Millisecond
			if tt.byInterface {
				cfg.Ifaces = []string{viName}
			} else {
				cfg.Users = []string{"MyUserName"}
			}
			r := newRun(cfg, Outputs{})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := snmp.Dial(ctx, cfg.SNMP)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			targets, err := r.findTargets(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			oldIndex := targets[0].IfIndex
			p := snmp.NewPoller(c, snmp.PollerConfig{Router: cfg.Router, Interval: cfg.Interval, Refind: r.refind}, targets)
			samples := make(chan sample.Sample, 256)
			go func() { _ = p.Run(ctx, samples); close(samples) }()

			var rows []sample.Sample
			flapped, reconnectedAt := false, -1
			for s := range samples {
				rows = append(rows, s)
				if !flapped && len(rows) == 4 {
					if err := sim.Flap("MyUserName"); err != nil {
						t.Fatal(err)
					}
					flapped = true
				}
				if s.Status == sample.StatusReconnected && reconnectedAt < 0 {
					reconnectedAt = len(rows) - 1
				}
				if reconnectedAt >= 0 && len(rows) >= reconnectedAt+5 {
					cancel()
				}
			}
			if reconnectedAt < 0 {
				t.Fatalf("no reconnected row in %d rows: %v", len(rows), statuses(rows))
			}
			t.Logf("rows: %v", statuses(rows))
			newIndex, newName, _ := sim.Lookup("MyUserName")
			if tt.byInterface && (newIndex != oldIndex || newName != viName) {
				t.Fatalf("the simulator gave MyUserName %s (ifIndex %d), not its old %s (%d) back", newName, newIndex, viName, oldIndex)
			}
			if !tt.byInterface && newIndex == oldIndex {
				t.Fatalf("the simulator kept MyUserName on ifIndex %d", oldIndex)
			}
			if rows[reconnectedAt].IfIndex != newIndex {
				t.Errorf("reconnected row on ifIndex %d; old %d, simulator now %d", rows[reconnectedAt].IfIndex, oldIndex, newIndex)
			}
			speed := float64(targets[0].SpeedBps)
			offline := 0
			for i, s := range rows {
				if s.Status.HasRate() && speed > 0 && (s.InBps > speed || s.OutBps > speed) {
					t.Errorf("row %d: %s rate %.0f/%.0f above the link speed %.0f: a spike", i, s.Status, s.InBps, s.OutBps, speed)
				}
				if s.Status == sample.StatusOffline {
					offline++
					if s.HasOctets {
						t.Errorf("row %d: offline row carries counters", i)
					}
				}
				if i > reconnectedAt && s.IfIndex != newIndex {
					t.Errorf("row %d after the reconnect polls ifIndex %d, want %d", i, s.IfIndex, newIndex)
				}
			}
			if tt.wantOffline && offline == 0 {
				t.Errorf("no offline row while the interface was gone: %v", statuses(rows))
			}
			rated := 0
			for _, s := range rows[reconnectedAt+1:] {
				if s.Status.HasRate() {
					rated++
				}
			}
			if rated == 0 {
				t.Errorf("after the reconnect no row carried a rate again: %v", statuses(rows))
			}
		})
	}
}

// TestInterfaceTargetIdentity: an interface given by name is checked by its
// ifDescr in every poll; one given by ifIndex is not, since the index is
// what was asked for.
func TestInterfaceTargetIdentity(t *testing.T) {
	sim := startResolveSim(t, brassim.Options{Sessions: 5, Seed: 9})
	_, viName, _ := sim.Lookup("MyUserName")
	r := newRun(simConfig(t, sim), Outputs{})
	c, err := snmp.Dial(context.Background(), r.cfg.SNMP)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	it, err := snmp.SelectInterface(context.Background(), c, viName)
	if err != nil {
		t.Fatal(err)
	}
	byName, err := r.interfaceTarget(context.Background(), c, viName, true)
	if err != nil {
		t.Fatal(err)
	}
	if byName.IdentityOID != snmp.OIDIfDescr+"."+itoa(it.IfIndex) || byName.IdentityValue != it.Descr || it.Descr == "" {
		t.Errorf("by name: identity %s = %q, want ifDescr.%d = %q", byName.IdentityOID, byName.IdentityValue, it.IfIndex, it.Descr)
	}
	byIndex, err := r.interfaceTarget(context.Background(), c, itoa(it.IfIndex), true)
	if err != nil {
		t.Fatal(err)
	}
	if byIndex.IdentityOID != "" || byIndex.IfIndex != it.IfIndex {
		t.Errorf("by ifIndex: %+v, want ifIndex %d without identity", byIndex, it.IfIndex)
	}
}

func statuses(rows []sample.Sample) []string {
	var out []string
	for _, r := range rows {
		out = append(out, string(r.Status)+"@"+itoa(r.IfIndex))
	}
	return out
}

// capture is a consumer that keeps every sample.
type capture struct {
	mu   sync.Mutex
	rows []sample.Sample
}

func (c *capture) Start(Info) error { return nil }

func (c *capture) Consume(_ context.Context, in <-chan sample.Sample) error {
	for s := range in {
		c.mu.Lock()
		c.rows = append(c.rows, s)
		c.mu.Unlock()
	}
	return nil
}

// TestSamplesNameTheInterface: every row carries the polled interface's
// ifDescr and ifAlias, and the subscriber of a --user target (an --if
// target has none), for the outputs that label rows with them.
func TestSamplesNameTheInterface(t *testing.T) {
	sim := startResolveSim(t, brassim.Options{Sessions: 5, Seed: 9, AliasUsers: true})
	other := sim.Sessions()[2]
	cfg := simConfig(t, sim)
	cfg.Users, cfg.Ifaces, cfg.Count, cfg.Interval = []string{"MyUserName"}, []string{other.IfName}, 2, 100*time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := snmp.Dial(ctx, cfg.SNMP)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mine, _, _ := sim.Lookup("MyUserName")
	want := map[string]sample.Sample{}
	for target, ifIndex := range map[string]int{"MyUserName": mine, other.IfName: other.IfIndex} {
		it, err := snmp.DescribeInterface(ctx, c, ifIndex)
		if err != nil {
			t.Fatal(err)
		}
		want[target] = sample.Sample{IfDescr: it.Descr, IfAlias: it.Alias}
	}
	want["MyUserName"] = sample.Sample{User: "MyUserName", IfDescr: want["MyUserName"].IfDescr, IfAlias: want["MyUserName"].IfAlias}
	got := &capture{}
	if err := Run(ctx, cfg, Outputs{Consumers: []Consumer{got}}); err != nil {
		t.Fatal(err)
	}
	if len(got.rows) != 4 {
		t.Fatalf("%d rows, want 2 polls of 2 targets", len(got.rows))
	}
	for _, s := range got.rows {
		w := want[s.Target]
		if s.User != w.User || s.IfDescr != w.IfDescr || s.IfAlias != w.IfAlias || w.IfDescr == "" || w.IfAlias == "" {
			t.Errorf("%s: user %q, ifDescr %q, ifAlias %q; want %q, %q, %q", s.Target, s.User, s.IfDescr, s.IfAlias, w.User, w.IfDescr, w.IfAlias)
		}
	}
}
