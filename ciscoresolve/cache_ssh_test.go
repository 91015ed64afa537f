package ciscoresolve

import (
	"context"
	"testing"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
)

// TestCachedSSH: a user found over SSH is cached when one GET can prove the
// mapping later (the router's csubSessionUsername names the user on that
// ifIndex), is checked that way on use, and is not cached when only
// ifDescr could be checked, since IOS hands a freed Virtual-Access, name
// and all, to the next subscriber.
func TestCachedSSH(t *testing.T) {
	ctx := context.Background()
	t.Run("with the subscriber MIB", func(t *testing.T) {
		sim := agenttest.StartSim(t, brassim.Options{Sessions: 20, Seed: 7})
		cli := simSSH(t, sim)
		confirm := dialSim(t, sim)
		c := &Cached{Cache: &Cache{Dir: t.TempDir()}, Router: "sim", Client: confirm,
			Next: &SSH{CLI: &cli, Router: "sim", Confirm: confirm}}
		first, err := c.Resolve(ctx, "MyUserName")
		if err != nil || first.Method != MethodSSH {
			t.Fatalf("first: %+v, %v; want an SSH resolution", first, err)
		}
		if _, ok, _ := c.Cache.Lookup("sim", "MyUserName"); !ok {
			t.Fatalf("the SSH resolution %+v was not cached", first)
		}
		second, err := c.Resolve(ctx, "MyUserName")
		if err != nil || second.Method != MethodCache || second.IfIndex != first.IfIndex || second.Note != "cached ssh mapping, verified by one GET" {
			t.Fatalf("second: %+v, %v; want the cached SSH mapping of ifIndex %d", second, err, first.IfIndex)
		}
		if err := sim.Flap("MyUserName"); err != nil {
			t.Fatal(err)
		}
		now, _, _ := sim.Lookup("MyUserName")
		third, err := c.Resolve(ctx, "MyUserName")
		if err != nil || third.Method != MethodSSH || third.IfIndex != now {
			t.Fatalf("after a reconnect: %+v, %v; want a fresh SSH resolution to ifIndex %d", third, err, now)
		}
	})
	t.Run("without the subscriber MIB", func(t *testing.T) {
		sim := agenttest.StartSim(t, brassim.Options{Sessions: 20, Seed: 7, NoSubscriberMIB: true})
		cli := simSSH(t, sim)
		confirm := dialSim(t, sim)
		c := &Cached{Cache: &Cache{Dir: t.TempDir()}, Router: "sim", Client: confirm,
			Next: &SSH{CLI: &cli, Router: "sim", Confirm: confirm}}
		if res, err := c.Resolve(ctx, "MyUserName"); err != nil || res.Method != MethodSSH {
			t.Fatalf("%+v, %v; want an SSH resolution", res, err)
		}
		if res, ok, _ := c.Cache.Lookup("sim", "MyUserName"); ok {
			t.Errorf("cached %+v although only its ifDescr can be checked", res)
		}
	})
}
