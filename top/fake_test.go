package top

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// t0 is the start of every fake clock.
var t0 = time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC)

// fakeIf is one interface of a fakeRouter.
type fakeIf struct {
	descr, name, alias string
	user               string // csubSessionUsername; "" for none
	inBps, outBps      float64
	no64               bool // only 32-bit counters
	// base is when the counters were 0 (a reset moves it); frozen, when
	// set, is the time the agent last refreshed them (a counter cache).
	base time.Time
}

// fakeRouter is an agent on a fake clock whose counters grow at each
// interface's rate: every request takes rtt, and its counters are those of
// the middle of it, so a row timed by its own answer gets its rate
// exactly. Requests for which lose returns true go unanswered.
type fakeRouter struct {
	mu     sync.Mutex
	fake   *snmptest.Fake
	clock  *snmptest.Clock
	rtt    time.Duration
	ifs    map[int]*fakeIf
	cache  time.Duration // counter refresh period; 0: every request
	cached time.Time
	lose   func(oids []string) bool
	gets   int // GETs (not GETBULKs) answered
}

func newFakeRouter() *fakeRouter {
	return &fakeRouter{fake: snmptest.New(), clock: snmptest.NewClock(t0), rtt: 2 * time.Millisecond, ifs: map[int]*fakeIf{}}
}

// add puts an interface on the router, its counters starting now.
func (r *fakeRouter) add(i int, f fakeIf) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f.base = r.clock.Now()
	r.ifs[i] = &f
	r.publish(i, &f)
}

// remove takes an interface away, as a session that ends.
func (r *fakeRouter) remove(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.ifs, i)
	idx := "." + strconv.Itoa(i)
	for _, oid := range []string{snmp.OIDIfDescr, snmp.OIDIfName, snmp.OIDIfAlias, snmp.OIDIfHCInOctets,
		snmp.OIDIfHCOutOctets, snmp.OIDIfInOctets, snmp.OIDIfOutOctets, ciscoresolve.OIDCsubSessionUsername} {
		r.fake.Delete(oid + idx)
	}
}

// publish writes an interface's names. r.mu is held.
func (r *fakeRouter) publish(i int, f *fakeIf) {
	idx := "." + strconv.Itoa(i)
	r.fake.SetString(snmp.OIDIfDescr+idx, f.descr)
	r.fake.SetString(snmp.OIDIfName+idx, f.name)
	r.fake.SetString(snmp.OIDIfAlias+idx, f.alias)
	if f.user != "" {
		r.fake.SetString(ciscoresolve.OIDCsubSessionUsername+idx, f.user)
	} else {
		r.fake.Delete(ciscoresolve.OIDCsubSessionUsername + idx)
	}
	if f.no64 {
		r.fake.Delete(snmp.OIDIfHCInOctets + idx)
		r.fake.Delete(snmp.OIDIfHCOutOctets + idx)
	}
}

// counters sets every interface's counters as of at. r.mu is held.
func (r *fakeRouter) counters(at time.Time) {
	if r.cache > 0 {
		if at.Sub(r.cached) < r.cache && !r.cached.IsZero() {
			return
		}
		r.cached = at
	}
	for i, f := range r.ifs {
		secs := at.Sub(f.base).Seconds()
		in, out := uint64(f.inBps/8*secs), uint64(f.outBps/8*secs)
		idx := "." + strconv.Itoa(i)
		if !f.no64 {
			r.fake.SetUint(snmp.OIDIfHCInOctets+idx, snmp.KindCounter64, in)
			r.fake.SetUint(snmp.OIDIfHCOutOctets+idx, snmp.KindCounter64, out)
		}
		r.fake.SetUint(snmp.OIDIfInOctets+idx, snmp.KindCounter32, in%(1<<32))
		r.fake.SetUint(snmp.OIDIfOutOctets+idx, snmp.KindCounter32, out%(1<<32))
	}
}

// answer runs one request on the fake clock.
func (r *fakeRouter) answer(oids []string, get bool, do func() ([]snmp.Variable, error)) ([]snmp.Variable, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lose != nil && r.lose(oids) {
		r.clock.Add(time.Second)
		return nil, &snmp.NoResponseError{Addr: "fake", Timeout: time.Second}
	}
	r.clock.Add(r.rtt / 2)
	r.counters(r.clock.Now())
	if get {
		r.gets++
	}
	vs, err := do()
	r.clock.Add(r.rtt / 2)
	return vs, err
}

func (r *fakeRouter) Get(ctx context.Context, oids []string) ([]snmp.Variable, error) {
	return r.answer(oids, true, func() ([]snmp.Variable, error) { return r.fake.Get(ctx, oids) })
}

func (r *fakeRouter) GetBulk(ctx context.Context, oids []string, reps int) ([]snmp.Variable, error) {
	return r.answer(oids, false, func() ([]snmp.Variable, error) { return r.fake.GetBulk(ctx, oids, reps) })
}

func (r *fakeRouter) BulkWalk(ctx context.Context, root string, fn func(snmp.Variable) error) error {
	return r.fake.BulkWalk(ctx, root, fn)
}

func (r *fakeRouter) Close() error { return nil }

// newTop returns a top run on the router with its clock.
func newTop(r *fakeRouter, cfg Config) *Top {
	cfg.Router = "bras1"
	cfg.Now = r.clock.Now
	return New(r, cfg)
}

// cycles makes n cycles, one second apart on the fake clock, and returns
// the last.
func cycles(t *testing.T, tp *Top, r *fakeRouter, n int) ranking.Cycle {
	t.Helper()
	if err := tp.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	var c ranking.Cycle
	for i := 0; i < n; i++ {
		if tp.cycle > 0 {
			r.clock.Add(time.Second)
		}
		c = tp.Cycle(context.Background())
		if c.Err != "" {
			t.Fatalf("cycle %d: %s", c.Number, c.Err)
		}
	}
	return c
}

// rowOf returns the cycle's row of ifIndex i, or nil.
func rowOf(c ranking.Cycle, i int) *ranking.Row {
	for k := range c.Rows {
		if c.Rows[k].IfIndex == i {
			return &c.Rows[k]
		}
	}
	return nil
}

// session returns a subscriber interface with the given rates.
func session(n int, user string, in, out float64) fakeIf {
	return fakeIf{descr: "Virtual-Access2." + strconv.Itoa(n), name: "Vi2." + strconv.Itoa(n), user: user, inBps: in, outBps: out}
}

// near reports whether got is within 0.1% of want.
func near(got, want float64) bool {
	if want == 0 {
		return got == 0
	}
	d := (got - want) / want
	return d < 1e-3 && d > -1e-3
}
