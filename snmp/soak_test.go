package snmp_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// soakHours is how long the soak runs on the simulated clock, at 1 Hz.
const soakHours = 24

// soakChecker checks the rows of the soak one by one as they arrive, so the
// test itself keeps no history that would hide a leak in the code under
// test.
type soakChecker struct {
	t        *testing.T
	rows     int
	counts   map[sample.Status]int
	base     sample.Sample // the row the next rate starts from
	baseTr   truth
	hasBase  bool
	failures int
}

// legalStatus lists the statuses a followed subscriber's row may carry.
var legalStatus = map[sample.Status]bool{
	sample.StatusOK: true, sample.StatusWrap: true, sample.StatusBackfilled: true,
	sample.StatusFirst: true, sample.StatusPending: true, sample.StatusGapTimeout: true,
	sample.StatusGapReset: true, sample.StatusGapDiscontinuity: true,
	sample.StatusReconnected: true, sample.StatusOffline: true,
}

// errorf reports a failure, but only the first few of a day's worth.
func (c *soakChecker) errorf(format string, args ...any) {
	c.t.Helper()
	c.failures++
	if c.failures <= 10 {
		c.t.Errorf("row %d: %s", c.rows, fmt.Sprintf(format, args...))
	}
}

// check checks one row against what the simulator served at its poll.
func (c *soakChecker) check(s sample.Sample, tr truth) {
	c.t.Helper()
	c.rows++
	c.counts[s.Status]++
	if !legalStatus[s.Status] {
		c.errorf("status %q is not one of the documented statuses", s.Status)
	}
	if s.HasOctets && (!tr.online || s.IfIndex != tr.ifIndex || s.InOctets != tr.in || s.OutOctets != tr.out) {
		c.errorf("(%s) ifIndex %d octets %d/%d; simulator served ifIndex %d %d/%d (online %v)",
			s.Status, s.IfIndex, s.InOctets, s.OutOctets, tr.ifIndex, tr.in, tr.out, tr.online)
	}
	for _, r := range []float64{s.InBps, s.OutBps} {
		if math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
			c.errorf("(%s) rate %v is not a finite non-negative number", s.Status, r)
		}
	}
	if !s.Status.HasRate() {
		if s.InBps != 0 || s.OutBps != 0 {
			c.errorf("(%s) carries a rate %.0f/%.0f", s.Status, s.InBps, s.OutBps)
		}
		if s.HasOctets {
			c.base, c.baseTr, c.hasBase = s, tr, true
		}
		return
	}
	if !c.hasBase || c.base.IfIndex != s.IfIndex {
		c.errorf("(%s on ifIndex %d) a rate without a baseline on the same interface", s.Status, s.IfIndex)
		return
	}
	span := s.Time.Sub(c.base.Time)
	wantIn := float64(tr.in-c.baseTr.in) * 8 / span.Seconds()
	wantOut := float64(tr.out-c.baseTr.out) * 8 / span.Seconds()
	if s.Interval != span || math.Abs(s.InBps-wantIn) > 1e-6*wantIn || math.Abs(s.OutBps-wantOut) > 1e-6*wantOut {
		c.errorf("(%s, %v): %.3f/%.3f b/s, truth %.3f/%.3f over %v", s.Status, s.Interval, s.InBps, s.OutBps, wantIn, wantOut, span)
	}
	c.base, c.baseTr = s, tr
}

// heapAfterGC returns the live heap after a full collection.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestSoakFollowFlappingUser24h polls MyUserName on the simulator for 24
// simulated hours at 1 Hz while it and a share of the other subscribers
// flap (some with a few seconds offline), with Poller.Run driven by a fake
// clock through the wait hook: no real sleeping, every one of the 86,400
// polls is a real UDP GET to the simulator on loopback. The test plays the
// follower (loss → Lookup → Retarget or SetOffline). It checks every row
// as it arrives (legal status, finite non-negative rates equal to the
// simulator's counters over the interval, no rate on rows that carry
// none), that the live heap at hour 24 is within a small margin of hour 2,
// and that no goroutine is left after everything is closed.
func TestSoakFollowFlappingUser24h(t *testing.T) {
	goroutinesBefore := runtime.NumGoroutine()
	started := time.Now()
	clock := snmptest.NewClock(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	sim, err := brassim.New(brassim.Options{
		Seed: 24, Now: clock.Now, NoSSH: true, Sessions: 200,
		Flap: 7 * time.Minute, FlapShare: 0.1, FlapDown: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	if err := sim.Start(ctx); err != nil {
		t.Fatal(err)
	}
	target, err := snmp.ParseTarget(sim.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c, err := snmp.Dial(ctx, snmp.Config{Target: target, Community: secret.Secret(sim.Community()), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}

	const user = brassim.UserMine
	find := func() (snmp.PollTarget, bool) {
		idx, name, ok := sim.Lookup(user)
		return snmp.PollTarget{IfIndex: idx, IfName: name, IdentityOID: oidCsubSessionUsername + "." + strconv.Itoa(idx), IdentityValue: user}, ok
	}
	first, ok := find()
	if !ok {
		t.Fatalf("%s has no session at the start", user)
	}
	first.Name = user
	const polls = soakHours * 3600
	var p *snmp.Poller
	waiting := false // lost and not found again; only the poller's goroutine touches it
	follow := func() {
		if pt, ok := find(); ok {
			snmp.Retarget(p, user, pt)
			waiting = false
			return
		}
		snmp.SetOffline(p, user)
	}
	p = snmp.NewPoller(c, snmp.PollerConfig{Router: "bras1", Interval: time.Second, Timeout: 5 * time.Second, Count: polls, Now: clock.Now},
		[]snmp.PollTarget{first})
	snmp.SetPollerLost(p, func(string) { waiting = true; follow() })
	// truths carries what the simulator served at each poll, taken by the
	// wait hook right before the poll, to the checker.
	truths := make(chan truth, 1)
	snmp.SetPollerWait(p, func(ctx context.Context, d time.Duration) error {
		if d > 0 {
			clock.Add(d)
		}
		if waiting {
			follow()
		}
		var tr truth
		tr.ifIndex, _, tr.online = sim.Lookup(user)
		tr.in, tr.out, _ = sim.Truth(user)
		select {
		case truths <- tr:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})

	out := make(chan sample.Sample) // unbuffered: the poller waits while the checker measures
	runErr := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		runErr <- p.Run(ctx, out)
		close(out)
	}()
	check := &soakChecker{t: t, counts: map[sample.Status]int{}}
	var heap2h, heap24h uint64
	for s := range out {
		check.check(s, <-truths)
		switch check.rows {
		case 2 * 3600:
			heap2h = heapAfterGC()
		case polls:
			heap24h = heapAfterGC()
		}
	}
	wg.Wait()
	if err := <-runErr; err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the soak did not finish within its time limit: %d of %d rows", check.rows, polls)
	}
	took := time.Since(started)
	t.Logf("%d rows in %v (%.0f polls/s); statuses %v; live heap %d B at hour 2, %d B at hour 24",
		check.rows, took, float64(check.rows)/took.Seconds(), check.counts, heap2h, heap24h)

	if check.rows != polls {
		t.Errorf("got %d rows, want %d (one per poll)", check.rows, polls)
	}
	if check.failures > 10 {
		t.Errorf("%d bad rows in all (only the first 10 shown)", check.failures)
	}
	// About 24 h / 7 min ≈ 205 flaps of the user: each is a reconnect after
	// some offline rows.
	if n := check.counts[sample.StatusReconnected]; n < 150 {
		t.Errorf("%d reconnected rows, want the ~205 flaps of a day followed", n)
	}
	if check.counts[sample.StatusOffline] == 0 {
		t.Error("no offline row, though the user is away for 20 s on every flap")
	}
	if n := check.counts[sample.StatusOK]; n < polls*9/10 {
		t.Errorf("only %d ok rows of %d", n, polls)
	}
	// Memory flat: 22 more simulated hours may not grow the live heap by
	// more than 64 KiB. A leak of one byte per poll would show as 79 KB;
	// the simulator's list of freed interfaces, which grew by one entry per
	// reconnect, showed as 340 KB.
	const margin = 64 << 10
	if heap24h > heap2h+margin {
		t.Errorf("live heap grew from %d B at hour 2 to %d B at hour 24 (margin %d B)", heap2h, heap24h, margin)
	}

	c.Close()
	sim.Close()
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	n := runtime.NumGoroutine()
	for n > goroutinesBefore && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	if n > goroutinesBefore {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after the soak, %d before:\n%s", n, goroutinesBefore, buf[:runtime.Stack(buf, true)])
	}
}
