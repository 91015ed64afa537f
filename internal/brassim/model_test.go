package brassim

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp/snmptest"
)

// newClock returns the fake clock the simulator tests move by hand.
func newClock() *snmptest.Clock {
	return snmptest.NewClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
}

// newSim builds a simulator on a fake clock; it is not started.
func newSim(t *testing.T, o Options) (*Sim, *snmptest.Clock) {
	t.Helper()
	clock := newClock()
	o.Now = clock.Now
	s, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, clock
}

// startSim builds and starts a simulator on a fake clock.
func startSim(t *testing.T, o Options) (*Sim, *snmptest.Clock) {
	t.Helper()
	s, clock := newSim(t, o)
	if err := s.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock
}

func TestShapeOctets(t *testing.T) {
	tests := []struct {
		name    string
		shape   Shape
		elapsed time.Duration
		in, out uint64
	}{
		{"steady 10s", Shape{InLow: 1000, InHigh: 1000, OutLow: 5000, OutHigh: 5000}, 10 * time.Second, 10_000, 50_000},
		{"steady 1ms", Shape{InLow: 1000, OutLow: 5000}, time.Millisecond, 1, 5},
		{"negative is zero", Shape{InLow: 1000, OutLow: 5000}, -time.Second, 0, 0},
		{"square one period", Shape{InLow: 10, InHigh: 100, OutLow: 1, OutHigh: 1000, Period: 10 * time.Second, On: 3 * time.Second},
			10 * time.Second, 3*100 + 7*10, 3*1000 + 7*1},
		{"square three periods", Shape{InLow: 10, InHigh: 100, OutLow: 1, OutHigh: 1000, Period: 10 * time.Second, On: 3 * time.Second},
			30 * time.Second, 3 * (3*100 + 7*10), 3 * (3*1000 + 7*1)},
		{"square inside on", Shape{InLow: 10, InHigh: 100, Period: 10 * time.Second, On: 3 * time.Second},
			2 * time.Second, 200, 0},
		{"square with phase starts in off", Shape{InLow: 10, InHigh: 100, Period: 10 * time.Second, On: 3 * time.Second, Phase: 5 * time.Second},
			5 * time.Second, 5*10 + 0, 0},
		{"square with phase reaches on", Shape{InLow: 10, InHigh: 100, Period: 10 * time.Second, On: 3 * time.Second, Phase: 5 * time.Second},
			7 * time.Second, 5*10 + 2*100, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, out := tt.shape.Octets(tt.elapsed)
			if in != tt.in || out != tt.out {
				t.Errorf("Octets(%v) = %d, %d; want %d, %d", tt.elapsed, in, out, tt.in, tt.out)
			}
		})
	}
}

// TestShapesOfSubscribers checks that every subscriber's counters grow by
// its shape's rates: over one period of a square wave, and second by second
// for constant shapes.
func TestShapesOfSubscribers(t *testing.T) {
	s, clock := newSim(t, Options{Sessions: 300, Seed: 7})
	seen := map[ShapeKind]bool{}
	for _, sess := range s.Sessions() {
		seen[sess.Shape.Kind] = true
		sh := sess.Shape
		span := sh.Period
		var wantIn, wantOut uint64
		if span == 0 {
			span = 10 * time.Second
			wantIn, wantOut = sh.InLow*10, sh.OutLow*10
		} else {
			on, off := uint64(sh.On.Milliseconds()), uint64((sh.Period - sh.On).Milliseconds())
			wantIn, wantOut = (sh.InHigh*on+sh.InLow*off)/1000, (sh.OutHigh*on+sh.OutLow*off)/1000
		}
		in0, out0, _ := s.Truth(sess.User)
		clock.Add(span)
		in1, out1, ok := s.Truth(sess.User)
		clock.Add(-span)
		if !ok {
			t.Fatalf("Truth(%s): not found", sess.User)
		}
		// Millisecond rounding of the start point can move one octet.
		if d := in1 - in0; d+1 < wantIn || d > wantIn+1 {
			t.Errorf("%s (%s): in grew %d over %v, want %d", sess.User, sh.Kind, d, span, wantIn)
		}
		if d := out1 - out0; d+1 < wantOut || d > wantOut+1 {
			t.Errorf("%s (%s): out grew %d over %v, want %d", sess.User, sh.Kind, d, span, wantOut)
		}
	}
	for _, k := range []ShapeKind{Idle, Steady, Bursty, Video, DNSVictim} {
		if !seen[k] {
			t.Errorf("no subscriber with shape %s among 300", k)
		}
	}
}

func TestVictimIsAsymmetricAndWraps(t *testing.T) {
	s, clock := newSim(t, Options{Sessions: 10})
	var victim Session
	for _, sess := range s.Sessions() {
		if sess.Shape.Kind == DNSVictim {
			victim = sess
		}
	}
	if victim.User != UserVictim {
		t.Fatalf("victim is %q, want %q", victim.User, UserVictim)
	}
	in0, out0, _ := s.Truth(victim.User)
	clock.Add(time.Minute)
	in1, out1, _ := s.Truth(victim.User)
	if down, up := out1-out0, in1-in0; down < 1000*up {
		t.Errorf("victim: downstream %d octets/min is not ≫ upstream %d", down, up)
	}
	if out1-out0 < 1<<32 {
		t.Errorf("victim moved %d octets in a minute: Counter32 would not wrap", out1-out0)
	}
}

func TestUsernames(t *testing.T) {
	a, _ := newSim(t, Options{Sessions: MaxSessions, Seed: 3})
	b, _ := newSim(t, Options{Sessions: MaxSessions, Seed: 3})
	c, _ := newSim(t, Options{Sessions: 100, Seed: 4})
	sa, sb, sc := a.Sessions(), b.Sessions(), c.Sessions()
	if len(sa) != MaxSessions {
		t.Fatalf("got %d sessions, want %d", len(sa), MaxSessions)
	}
	seen := map[string]bool{}
	for i, s := range sa {
		if seen[s.User] {
			t.Fatalf("username %q used twice", s.User)
		}
		seen[s.User] = true
		if sb[i].User != s.User || sb[i].IfIndex != s.IfIndex {
			t.Fatalf("same seed, session %d: %s/%d vs %s/%d", i, s.User, s.IfIndex, sb[i].User, sb[i].IfIndex)
		}
	}
	for _, u := range []string{UserMine, UserAnna, UserLNS, UserVictim} {
		if !seen[u] {
			t.Errorf("well-known user %q missing", u)
		}
	}
	if sc[10].User == sa[10].User && sc[11].User == sa[11].User {
		t.Errorf("seeds 3 and 4 give the same names: %s, %s", sc[10].User, sc[11].User)
	}
	long := 0
	for u := range seen {
		if len(u) > maxUserColumn {
			long++
		}
	}
	if long == 0 {
		t.Errorf("no username longer than the %d-character show users column", maxUserColumn)
	}
}

func TestFlapMovesUser(t *testing.T) {
	tests := []struct {
		name  string
		force bool
	}{
		{"automatic every --flap", false},
		{"forced with Flap", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := newSim(t, Options{Sessions: 20, Flap: time.Minute})
			clock.Add(30 * time.Second)
			oldIdx, oldName, _ := s.Lookup(UserMine)
			oldIn, _, _ := s.Truth(UserMine)
			if tt.force {
				if err := s.Flap(UserMine); err != nil {
					t.Fatal(err)
				}
			} else {
				clock.Add(30 * time.Second)
			}
			newIdx, newName, ok := s.Lookup(UserMine)
			if !ok || newIdx == oldIdx || newName == oldName {
				t.Fatalf("after flap: ifIndex %d name %s (before %d %s)", newIdx, newName, oldIdx, oldName)
			}
			newIn, _, _ := s.Truth(UserMine)
			if newIn >= oldIn || newIn != 0 {
				t.Errorf("counters after flap: %d, want a fresh start at 0 (before: %d)", newIn, oldIn)
			}
			snap := s.snap.Load()
			if _, found := slices.BinarySearch(snap.ifIdx, uint32(oldIdx)); found {
				t.Errorf("old ifIndex %d still in IF-MIB", oldIdx)
			}
			i, found := slices.BinarySearch(snap.ifIdx, uint32(newIdx))
			if !found {
				t.Fatalf("new ifIndex %d not in IF-MIB", newIdx)
			}
			if got, want := snap.ifs[i].discTick, s.ticksAt(clock.Now()); got != want {
				t.Errorf("ifCounterDiscontinuityTime = %d, want sysUpTime of the reconnect %d", got, want)
			}
			if n := len(s.Sessions()); n != 20 {
				t.Errorf("%d sessions after flap, want 20", n)
			}
		})
	}
}

func TestFlapShare(t *testing.T) {
	s, clock := newSim(t, Options{Sessions: 200, Flap: time.Minute, FlapShare: 0.1})
	before := map[string]int{}
	for _, sess := range s.Sessions() {
		before[sess.User] = sess.IfIndex
	}
	clock.Add(time.Minute)
	moved := 0
	for _, sess := range s.Sessions() {
		if before[sess.User] != sess.IfIndex {
			moved++
		}
	}
	if moved < 15 || moved > 25 {
		t.Errorf("%d of 200 sessions moved with FlapShare 0.1, want about 20", moved)
	}
}

func TestNoVirtualTemplateSNMP(t *testing.T) {
	s, _ := newSim(t, Options{Sessions: 30, NoVirtualTemplateSNMP: true})
	idx, name, ok := s.Lookup(UserMine)
	if !ok || idx != 0 || name == "" {
		t.Errorf("Lookup = %d, %q, %v; want ifIndex 0 with a Vi name", idx, name, ok)
	}
	snap := s.snap.Load()
	if len(snap.ifs) != len(physicalInterfaces(time.Time{})) || len(snap.subs) != 0 {
		t.Errorf("IF-MIB has %d rows and the subscriber MIB %d: want physical interfaces only", len(snap.ifs), len(snap.subs))
	}
	if len(snap.sess) != 30 {
		t.Errorf("AAA MIB has %d sessions, want 30", len(snap.sess))
	}
}

func TestCachePeriod(t *testing.T) {
	s, clock := newSim(t, Options{Sessions: 5, Cache: 3 * time.Second})
	served := func() time.Time { return s.requestView().ctrTime }
	t0 := served()
	clock.Add(time.Second)
	if got := served(); !got.Equal(t0) {
		t.Errorf("1s after a refresh counters are from %v, want frozen at %v", got, t0)
	}
	clock.Add(time.Second)
	if got := served(); !got.Equal(t0) {
		t.Errorf("2s after a refresh counters are from %v, want frozen at %v", got, t0)
	}
	clock.Add(1500 * time.Millisecond)
	if got := served(); !got.Equal(clock.Now()) {
		t.Errorf("3.5s after a refresh counters are from %v, want refreshed at %v", got, clock.Now())
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		o    Options
	}{
		{"too many sessions", Options{Sessions: MaxSessions + 1}},
		{"negative sessions", Options{Sessions: -1}},
		{"public SNMP address", Options{Listen: "0.0.0.0:1161"}},
		{"public SSH address", Options{SSHListen: "192.0.2.1:22"}},
		{"unknown v3 auth", Options{V3: &V3User{Name: "u", AuthProto: "SHA-3", AuthPass: "12345678"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.o); err == nil {
				t.Errorf("New(%+v) succeeded, want an error", tt.o)
			}
		})
	}
}

func TestFlapDownKeepsUserOffline(t *testing.T) {
	s, clock := newSim(t, Options{Sessions: 10, Flap: time.Minute, FlapDown: 5 * time.Second})
	before, _, _ := s.Lookup(UserMine)
	clock.Add(time.Minute + 2*time.Second)
	if idx, _, ok := s.Lookup(UserMine); ok {
		t.Fatalf("2 s into a 5 s outage %s is on ifIndex %d, want offline", UserMine, idx)
	}
	if _, _, ok := s.Truth(UserMine); ok {
		t.Errorf("Truth of an offline user reports counters")
	}
	if n := len(s.Sessions()); n != 9 {
		t.Errorf("%d sessions during the outage, want 9", n)
	}
	clock.Add(4 * time.Second)
	after, _, ok := s.Lookup(UserMine)
	if !ok || after == before {
		t.Fatalf("after the outage: ifIndex %d ok %v (before %d), want a new ifIndex", after, ok, before)
	}
	in, _, _ := s.Truth(UserMine)
	sh := s.sessionsByUser()[UserMine].Shape
	if want, _ := sh.Octets(time.Second); in != want {
		t.Errorf("1 s after coming back in = %d, want %d (counting from the return)", in, want)
	}
	clock.Add(56 * time.Second) // 2 s into the next outage
	if _, _, ok := s.Lookup(UserMine); ok {
		t.Errorf("the next flap one period later did not take %s offline", UserMine)
	}
}

// sessionsByUser indexes Sessions by username.
func (s *Sim) sessionsByUser() map[string]Session {
	out := map[string]Session{}
	for _, x := range s.Sessions() {
		out[x.User] = x
	}
	return out
}

func TestReuseInterfaces(t *testing.T) {
	t.Run("lone flapper gets its interface back", func(t *testing.T) {
		s, clock := newSim(t, Options{Sessions: 10, Flap: time.Minute, ReuseInterfaces: true})
		idx, name, _ := s.Lookup(UserMine)
		inBefore, _, _ := s.Truth(UserMine)
		clock.Add(time.Minute)
		idx2, name2, _ := s.Lookup(UserMine)
		if idx2 != idx || name2 != name {
			t.Errorf("after flap on %d %s, want the same interface %d %s", idx2, name2, idx, name)
		}
		if in, _, _ := s.Truth(UserMine); in != 0 || inBefore == 0 {
			t.Errorf("counters %d after the flap (before %d), want a restart from 0", in, inBefore)
		}
		snap := s.snap.Load()
		i, _ := slices.BinarySearch(snap.ifIdx, uint32(idx))
		if snap.ifs[i].discTick == 0 {
			t.Errorf("ifCounterDiscontinuityTime still 0 on the reused interface")
		}
	})
	t.Run("two flappers swap", func(t *testing.T) {
		s, clock := newSim(t, Options{Sessions: 4, Flap: time.Minute, FlapShare: 0.5, ReuseInterfaces: true})
		mine, _, _ := s.Lookup(UserMine)
		lns, _, _ := s.Lookup(UserLNS)
		clock.Add(time.Minute)
		mine2, _, _ := s.Lookup(UserMine)
		lns2, _, _ := s.Lookup(UserLNS)
		if mine2 != lns || lns2 != mine {
			t.Errorf("after flap %s on %d, %s on %d; want them swapped from %d, %d", UserMine, mine2, UserLNS, lns2, mine, lns)
		}
		snap := s.snap.Load()
		if !slices.IsSorted(snap.ifIdx) || !slices.IsSorted(snap.subIdx) {
			t.Errorf("table indexes out of order after reuse: %v", snap.ifIdx)
		}
		i, _ := slices.BinarySearch(snap.subIdx, uint32(mine))
		if got := snap.subs[i].sess.user; got != UserLNS {
			t.Errorf("csubSessionUsername.%d = %s, want %s", mine, got, UserLNS)
		}
	})
}
