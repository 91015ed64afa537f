package snmp_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// pollClock is a fake clock the poller's schedule runs on.
type pollClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *pollClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *pollClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// scripted is a Fake whose answers are scripted per request: before runs
// with the request's number (0 first) and may change the Fake's values,
// take time on the clock, or fail the request.
type scripted struct {
	*snmptest.Fake
	clk    *pollClock
	before func(n int) (took time.Duration, err error)
	// answerLen, when not 0, cuts every answer to that many values.
	answerLen int

	mu    sync.Mutex
	sends []time.Time // clock at each Get
}

func (c *scripted) Get(ctx context.Context, oids []string) ([]snmp.Variable, error) {
	c.mu.Lock()
	n := len(c.sends)
	c.sends = append(c.sends, c.clk.Now())
	c.mu.Unlock()
	took, err := c.before(n)
	c.clk.advance(took)
	if err != nil {
		return nil, err
	}
	vars, err := c.Fake.Get(ctx, oids)
	if c.answerLen > 0 && len(vars) > c.answerLen {
		vars = vars[:c.answerLen]
	}
	return vars, err
}

func (c *scripted) sendTimes() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Time(nil), c.sends...)
}

// counters sets the 64-bit counters of ifIndex to in and out.
func counters(f *snmptest.Fake, ifIndex int, in, out uint64) {
	idx := "." + strconv.Itoa(ifIndex)
	f.SetUint(snmp.OIDIfHCInOctets+idx, snmp.KindCounter64, in)
	f.SetUint(snmp.OIDIfHCOutOctets+idx, snmp.KindCounter64, out)
}

// pollRun is one scripted poller run on a fake clock.
type pollRun struct {
	interval time.Duration
	count    int
	targets  []snmp.PollTarget
	// script is the client's before hook; setup prepares the Fake.
	setup  func(f *snmptest.Fake)
	script func(f *snmptest.Fake, n int) (time.Duration, error)
	// between runs before poll k (0 first) on the poller's goroutine.
	between func(p *snmp.Poller, k int)
	onLost  func(string)
	// answerLen, when not 0, cuts every answer to that many values.
	answerLen int
}

// run polls on a fake clock until count polls are done and returns the
// samples, the client and the clock's start.
func (r pollRun) run(t *testing.T) ([]snmp.Sample, *scripted, time.Time) {
	t.Helper()
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)
	clk := &pollClock{now: start}
	f := snmptest.New()
	f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 1000)
	if r.setup != nil {
		r.setup(f)
	}
	c := &scripted{Fake: f, clk: clk, answerLen: r.answerLen, before: func(n int) (time.Duration, error) {
		f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 1000+uint64(n)*100)
		if r.script == nil {
			return 0, nil
		}
		return r.script(f, n)
	}}
	p := snmp.NewPoller(c, snmp.PollerConfig{
		Router: "bras1", Interval: r.interval, Count: r.count, Now: clk.Now, OnLost: r.onLost,
	}, r.targets)
	k := 0
	snmp.SetPollerWait(p, func(ctx context.Context, d time.Duration) error {
		if r.between != nil {
			r.between(p, k)
		}
		k++
		clk.advance(max(d, 0))
		return ctx.Err()
	})
	out := make(chan snmp.Sample, r.count*(len(r.targets)+2))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Run(ctx, out); err != nil {
		t.Fatalf("Run: %v", err)
	}
	close(out)
	var got []snmp.Sample
	for s := range out {
		got = append(got, s)
	}
	return got, c, start
}

func statuses(samples []snmp.Sample) []snmp.Status {
	var st []snmp.Status
	for _, s := range samples {
		st = append(st, s.Status)
	}
	return st
}

func TestPollerRequestsOneGetPerTick(t *testing.T) {
	ix := func(oid string, i int) string { return oid + "." + strconv.Itoa(i) }
	tests := []struct {
		name    string
		targets []snmp.PollTarget
		want    []string
	}{
		{
			name:    "64-bit",
			targets: []snmp.PollTarget{{Name: "Gi0/1", IfIndex: 3, CounterBits: 64}},
			want: []string{"1.3.6.1.2.1.1.3.0",
				"1.3.6.1.2.1.31.1.1.1.6.3", "1.3.6.1.2.1.31.1.1.1.10.3", "1.3.6.1.2.1.31.1.1.1.19.3"},
		},
		{
			name:    "32-bit",
			targets: []snmp.PollTarget{{Name: "eth0", IfIndex: 2, CounterBits: 32}},
			want: []string{"1.3.6.1.2.1.1.3.0",
				"1.3.6.1.2.1.2.2.1.10.2", "1.3.6.1.2.1.2.2.1.16.2", "1.3.6.1.2.1.31.1.1.1.19.2"},
		},
		{
			name: "two targets, one with an identity check",
			targets: []snmp.PollTarget{
				{Name: "alice", IfIndex: 257, CounterBits: 64, IdentityOID: ".1.3.6.1.4.1.9.9.786.1.1.1.1.24.257", IdentityValue: "alice"},
				{Name: "Gi0/2", IfIndex: 4, CounterBits: 32},
			},
			want: []string{snmp.OIDSysUpTime,
				ix(snmp.OIDIfHCInOctets, 257), ix(snmp.OIDIfHCOutOctets, 257), ix(snmp.OIDIfCounterDiscontinuityTime, 257),
				"1.3.6.1.4.1.9.9.786.1.1.1.1.24.257",
				ix(snmp.OIDIfInOctets, 4), ix(snmp.OIDIfOutOctets, 4), ix(snmp.OIDIfCounterDiscontinuityTime, 4)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const polls = 3
			samples, c, _ := pollRun{interval: time.Second, count: polls, targets: tt.targets}.run(t)
			if len(c.Requests) != polls {
				t.Fatalf("%d requests for %d polls", len(c.Requests), polls)
			}
			for i, req := range c.Requests {
				if !reflect.DeepEqual(req, tt.want) {
					t.Errorf("request %d: %q\nwant %q", i, req, tt.want)
				}
			}
			if len(samples) != polls*len(tt.targets) {
				t.Errorf("%d samples for %d polls of %d targets", len(samples), polls, len(tt.targets))
			}
		})
	}
}

func TestPollerGridAndMidpoints(t *testing.T) {
	const polls = 5
	const interval = time.Second
	rtt := func(n int) time.Duration { return time.Duration(50+40*n) * time.Millisecond }
	perPoll := func(n int) uint64 { return uint64(1000 * (n + 1)) }
	var in, out uint64
	samples, c, start := pollRun{
		interval: interval, count: polls,
		targets: []snmp.PollTarget{{Name: "Gi0/1", IfIndex: 3, IfName: "GigabitEthernet0/1", CounterBits: 64}},
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			in += perPoll(n)
			out += 2 * perPoll(n)
			counters(f, 3, in, out)
			return rtt(n), nil
		},
	}.run(t)
	if len(samples) != polls {
		t.Fatalf("%d samples, want %d", len(samples), polls)
	}
	for n, send := range c.sendTimes() {
		if want := start.Add(time.Duration(n) * interval); !send.Equal(want) {
			t.Errorf("poll %d sent at %v, want the grid slot %v", n, send.Sub(start), want.Sub(start))
		}
	}
	for n, s := range samples {
		mid := start.Add(time.Duration(n)*interval + rtt(n)/2)
		if !s.Time.Equal(mid) || s.RTT != rtt(n) {
			t.Errorf("sample %d: time %v rtt %v, want midpoint %v rtt %v", n, s.Time.Sub(start), s.RTT, mid.Sub(start), rtt(n))
		}
		if s.Router != "bras1" || s.Target != "Gi0/1" || s.IfIndex != 3 || s.IfName != "GigabitEthernet0/1" || s.CounterBits != 64 {
			t.Errorf("sample %d: identity fields %+v", n, s)
		}
		if !s.HasOctets {
			t.Errorf("sample %d: no octets", n)
		}
		if n == 0 {
			if s.Status != snmp.StatusFirst {
				t.Errorf("sample 0: status %q, want first", s.Status)
			}
			continue
		}
		// The rate divides by the midpoint span, which differs from the
		// interval because the RTT grows.
		span := mid.Sub(samples[n-1].Time)
		wantIn := float64(perPoll(n)) * 8 / span.Seconds()
		if s.Status != snmp.StatusOK || s.Interval != span || abs(s.InBps-wantIn) > 1e-6 || abs(s.OutBps-2*wantIn) > 1e-6 {
			t.Errorf("sample %d: %q %v in %v out %v, want ok %v in %v out %v", n, s.Status, s.Interval, s.InBps, s.OutBps, span, wantIn, 2*wantIn)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestPollerSkipsSlotsAfterALatePoll(t *testing.T) {
	const interval = time.Second
	tests := []struct {
		name      string
		took      map[int]time.Duration // per request; others take 10 ms
		wantSlots []int                 // grid slots the polls were sent at
	}{
		{name: "on time", took: nil, wantSlots: []int{0, 1, 2, 3, 4}},
		{name: "ends just after the next slot", took: map[int]time.Duration{1: 1001 * time.Millisecond}, wantSlots: []int{0, 1, 3, 4, 5}},
		{name: "ends exactly on the next slot", took: map[int]time.Duration{1: time.Second}, wantSlots: []int{0, 1, 2, 3, 4}},
		{name: "two and a half intervals late", took: map[int]time.Duration{0: 2500 * time.Millisecond}, wantSlots: []int{0, 3, 4, 5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c, start := pollRun{interval: interval, count: len(tt.wantSlots),
				targets: []snmp.PollTarget{{Name: "a", IfIndex: 1}},
				script: func(f *snmptest.Fake, n int) (time.Duration, error) {
					if d, ok := tt.took[n]; ok {
						return d, nil
					}
					return 10 * time.Millisecond, nil
				},
			}.run(t)
			var got []int
			for _, s := range c.sendTimes() {
				slot := s.Sub(start) / interval
				if s.Sub(start)%interval != 0 {
					t.Errorf("poll sent at %v, off the grid", s.Sub(start))
				}
				got = append(got, int(slot))
			}
			if !reflect.DeepEqual(got, tt.wantSlots) {
				t.Errorf("polls at slots %v, want %v", got, tt.wantSlots)
			}
		})
	}
}

func TestPollerTimeoutIsAGapThenBridges(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		wantErr string
	}{
		{name: "client timeout", err: snmp.ErrTimeout, wantErr: "request timeout"},
		{name: "deadline", err: context.DeadlineExceeded, wantErr: "deadline exceeded"},
		{name: "other error", err: errors.New("agent answered genErr"), wantErr: "genErr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const interval = time.Second
			var in uint64
			targets := []snmp.PollTarget{{Name: "a", IfIndex: 1}, {Name: "b", IfIndex: 2}}
			samples, _, _ := pollRun{interval: interval, count: 4, targets: targets,
				script: func(f *snmptest.Fake, n int) (time.Duration, error) {
					in += 1000
					counters(f, 1, in, in)
					counters(f, 2, in, in)
					if n == 2 {
						return 800 * time.Millisecond, tt.err
					}
					return 0, nil
				},
			}.run(t)
			want := []snmp.Status{snmp.StatusFirst, snmp.StatusFirst, snmp.StatusOK, snmp.StatusOK,
				snmp.StatusGapTimeout, snmp.StatusGapTimeout, snmp.StatusOK, snmp.StatusOK}
			if got := statuses(samples); !reflect.DeepEqual(got, want) {
				t.Fatalf("statuses %v, want %v", got, want)
			}
			for _, s := range samples[4:6] {
				if !strings.Contains(s.Err, tt.wantErr) || !strings.Contains(s.Err, "bras1") || s.HasOctets || s.RTT != 0 {
					t.Errorf("timeout row %+v: want Err with %q and the router, no octets, no RTT", s, tt.wantErr)
				}
			}
			// The bridge spans the timeout: two polls' worth of octets
			// (counted during the timed-out poll too) over two intervals.
			for _, s := range samples[6:] {
				wantBps := float64(2000) * 8 / (2 * interval).Seconds()
				if s.Interval != 2*interval || abs(s.InBps-wantBps) > 1e-6 || s.Err != "" {
					t.Errorf("bridge row %+v: want interval %v, %v b/s, no Err", s, 2*interval, wantBps)
				}
			}
		})
	}
}

func TestPollerRetargetReconnects(t *testing.T) {
	var v uint64
	newTarget := snmp.PollTarget{Name: "alice", IfIndex: 300, IfName: "Virtual-Access1.7", CounterBits: 32}
	samples, c, _ := pollRun{interval: time.Second, count: 5,
		targets: []snmp.PollTarget{{Name: "alice", IfIndex: 257, IfName: "Virtual-Access1.5"}},
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			v += 500
			counters(f, 257, v, v)
			f.SetUint(snmp.OIDIfInOctets+".300", snmp.KindCounter32, v)
			f.SetUint(snmp.OIDIfOutOctets+".300", snmp.KindCounter32, v)
			return 0, nil
		},
		between: func(p *snmp.Poller, k int) {
			if k == 2 {
				p.Retarget("alice", newTarget)
			}
		},
	}.run(t)
	want := []snmp.Status{snmp.StatusFirst, snmp.StatusOK, snmp.StatusReconnected, snmp.StatusOK, snmp.StatusOK}
	if got := statuses(samples); !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	for i, s := range samples {
		wantIf, wantBits := 257, 64
		if i >= 2 {
			wantIf, wantBits = 300, 32
		}
		if s.IfIndex != wantIf || s.CounterBits != wantBits || s.Target != "alice" {
			t.Errorf("sample %d: ifIndex %d bits %d target %q, want %d %d alice", i, s.IfIndex, s.CounterBits, s.Target, wantIf, wantBits)
		}
	}
	if req := c.Requests[2]; !contains(req, snmp.OIDIfInOctets+".300") || contains(req, snmp.OIDIfHCInOctets+".257") {
		t.Errorf("request after Retarget %q: want the new ifIndex's 32-bit counters only", req)
	}
}

func TestPollerRetargetDuringAPoll(t *testing.T) {
	var v uint64
	var p *snmp.Poller
	samples, _, _ := pollRun{interval: time.Second, count: 3,
		targets: []snmp.PollTarget{{Name: "bob", IfIndex: 10, IdentityOID: "1.2.3.10", IdentityValue: "bob"}},
		setup:   func(f *snmptest.Fake) { f.SetString("1.2.3.10", "bob") },
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			v += 100
			counters(f, 10, v, v)
			counters(f, 11, v, v)
			if n == 1 {
				// The session moves while the request is out: the old row
				// now belongs to someone else.
				p.Retarget("bob", snmp.PollTarget{IfIndex: 11})
				f.SetString("1.2.3.10", "carol")
			}
			return 0, nil
		},
		between: func(pp *snmp.Poller, k int) { p = pp },
		onLost:  func(name string) { t.Errorf("OnLost(%q) for a target already retargeted", name) },
	}.run(t)
	want := []snmp.Status{snmp.StatusFirst, snmp.StatusGapDiscontinuity, snmp.StatusReconnected}
	if got := statuses(samples); !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	if samples[1].IfIndex != 10 || samples[2].IfIndex != 11 {
		t.Errorf("ifIndexes %d, %d: want the in-flight poll on the old interface, then the new", samples[1].IfIndex, samples[2].IfIndex)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPollerSetOffline(t *testing.T) {
	var v uint64
	targets := []snmp.PollTarget{{Name: "alice", IfIndex: 1}, {Name: "bob", IfIndex: 2}}
	samples, c, _ := pollRun{interval: time.Second, count: 6, targets: targets,
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			v += 100
			counters(f, 1, v, v)
			counters(f, 2, v, v)
			return 0, nil
		},
		between: func(p *snmp.Poller, k int) {
			switch k {
			case 1:
				p.SetOffline("bob")
			case 2:
				p.SetOffline("alice")
			case 4:
				p.Retarget("bob", snmp.PollTarget{IfIndex: 2})
			}
		},
	}.run(t)
	want := []snmp.Status{
		snmp.StatusFirst, snmp.StatusFirst,
		snmp.StatusOK, snmp.StatusOffline,
		snmp.StatusOffline, snmp.StatusOffline,
		snmp.StatusOffline, snmp.StatusOffline,
		snmp.StatusOffline, snmp.StatusReconnected,
		snmp.StatusOffline, snmp.StatusOK,
	}
	if got := statuses(samples); !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	for _, s := range samples {
		if s.Status == snmp.StatusOffline && (s.HasOctets || s.InBps != 0 || s.OutBps != 0) {
			t.Errorf("offline row carries numbers: %+v", s)
		}
	}
	// Polls 2 and 3 had nobody to read: no request at all. Poll 1 read
	// alice only.
	if len(c.Requests) != 4 {
		t.Fatalf("%d requests, want 4 (none while both are offline): %q", len(c.Requests), c.Requests)
	}
	if req := c.Requests[1]; len(req) != 4 || contains(req, snmp.OIDIfHCInOctets+".2") {
		t.Errorf("request while bob is offline: %q, want alice's OIDs only", req)
	}
}

func TestPollerOnLost(t *testing.T) {
	const idOID = "1.3.6.1.4.1.9.9.786.1.1.1.1.24.257"
	tests := []struct {
		name string
		// at sets up the Fake for poll n.
		at         func(f *snmptest.Fake, n int)
		identity   bool
		wantStatus []snmp.Status
		wantLost   int
	}{
		{
			name: "identity changes, then comes back",
			at: func(f *snmptest.Fake, n int) {
				switch n {
				case 2:
					f.SetString(idOID, "mallory")
				case 4:
					f.SetString(idOID, "alice")
				}
			},
			identity: true,
			wantStatus: []snmp.Status{snmp.StatusFirst, snmp.StatusOK, snmp.StatusGapDiscontinuity,
				snmp.StatusGapDiscontinuity, snmp.StatusReconnected, snmp.StatusOK},
			wantLost: 1,
		},
		{
			name: "each loss is reported once",
			at: func(f *snmptest.Fake, n int) {
				id := map[bool]string{true: "alice", false: "mallory"}[n%2 == 0]
				f.SetString(idOID, id)
			},
			identity: true,
			wantStatus: []snmp.Status{snmp.StatusFirst, snmp.StatusGapDiscontinuity, snmp.StatusReconnected,
				snmp.StatusGapDiscontinuity, snmp.StatusReconnected, snmp.StatusGapDiscontinuity},
			wantLost: 3,
		},
		{
			name:     "identity vanishes",
			at:       func(f *snmptest.Fake, n int) { f.Delete(idOID) },
			identity: true,
			wantStatus: []snmp.Status{snmp.StatusGapDiscontinuity, snmp.StatusGapDiscontinuity,
				snmp.StatusGapDiscontinuity, snmp.StatusGapDiscontinuity, snmp.StatusGapDiscontinuity, snmp.StatusGapDiscontinuity},
			wantLost: 1,
		},
		{
			name: "counters vanish",
			at: func(f *snmptest.Fake, n int) {
				if n == 3 {
					f.Delete(snmp.OIDIfHCOutOctets + ".257")
				}
			},
			identity: true,
			wantStatus: []snmp.Status{snmp.StatusFirst, snmp.StatusOK, snmp.StatusOK,
				snmp.StatusGapDiscontinuity, snmp.StatusGapDiscontinuity, snmp.StatusGapDiscontinuity},
			wantLost: 1,
		},
		{
			name: "counters vanish without an identity check",
			at: func(f *snmptest.Fake, n int) {
				if n == 3 {
					f.Delete(snmp.OIDIfHCOutOctets + ".257")
				}
			},
			wantStatus: []snmp.Status{snmp.StatusFirst, snmp.StatusOK, snmp.StatusOK,
				snmp.StatusGapDiscontinuity, snmp.StatusGapDiscontinuity, snmp.StatusGapDiscontinuity},
			wantLost: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := snmp.PollTarget{Name: "alice", IfIndex: 257}
			if tt.identity {
				target.IdentityOID, target.IdentityValue = idOID, "alice"
			}
			var lost []string
			var v uint64
			samples, _, _ := pollRun{interval: time.Second, count: len(tt.wantStatus),
				targets: []snmp.PollTarget{target},
				setup:   func(f *snmptest.Fake) { f.SetString(idOID, "alice") },
				script: func(f *snmptest.Fake, n int) (time.Duration, error) {
					v += 100
					f.SetUint(snmp.OIDIfHCInOctets+".257", snmp.KindCounter64, v)
					if n < 3 {
						f.SetUint(snmp.OIDIfHCOutOctets+".257", snmp.KindCounter64, v)
					}
					tt.at(f, n)
					return 0, nil
				},
				onLost: func(name string) { lost = append(lost, name) },
			}.run(t)
			if got := statuses(samples); !reflect.DeepEqual(got, tt.wantStatus) {
				t.Errorf("statuses %v, want %v", got, tt.wantStatus)
			}
			if len(lost) != tt.wantLost {
				t.Errorf("OnLost called %d times (%q), want %d", len(lost), lost, tt.wantLost)
			}
			for _, name := range lost {
				if name != "alice" {
					t.Errorf("OnLost(%q), want alice", name)
				}
			}
			for _, s := range samples {
				if s.Status == snmp.StatusGapDiscontinuity && s.HasOctets && tt.identity {
					if !strings.Contains(s.Err, "lost") {
						t.Errorf("lost row without a reason: %+v", s)
					}
				}
			}
		})
	}
}

func TestPollerMissingCountersAreNeverZero(t *testing.T) {
	tests := []struct {
		name      string
		answerLen int
		kind      snmp.Kind
	}{
		{name: "noSuchInstance", kind: snmp.KindNoSuchInstance},
		{name: "wrong type", kind: snmp.KindGauge32},
		{name: "short answer", answerLen: 2, kind: snmp.KindCounter64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v uint64
			samples, _, _ := pollRun{interval: time.Second, count: 3, answerLen: tt.answerLen,
				targets: []snmp.PollTarget{{Name: "a", IfIndex: 1}},
				script: func(f *snmptest.Fake, n int) (time.Duration, error) {
					v += 100
					f.SetUint(snmp.OIDIfHCInOctets+".1", snmp.KindCounter64, v)
					f.Set(snmp.Variable{OID: snmp.OIDIfHCOutOctets + ".1", Kind: tt.kind, Uint: v})
					return 0, nil
				},
			}.run(t)
			for i, s := range samples {
				if s.Status != snmp.StatusGapDiscontinuity || s.HasOctets || s.InBps != 0 {
					t.Errorf("sample %d: %+v, want gap-discontinuity without numbers", i, s)
				}
			}
		})
	}
}

func TestPollerRejectsBadInterval(t *testing.T) {
	for _, iv := range []time.Duration{0, -time.Second} {
		p := snmp.NewPoller(snmptest.New(), snmp.PollerConfig{Router: "r1", Interval: iv}, nil)
		err := p.Run(context.Background(), make(chan snmp.Sample))
		if err == nil || !strings.Contains(err.Error(), "r1") {
			t.Errorf("interval %v: err %v, want an error naming the router", iv, err)
		}
	}
}

func TestPollerTimeoutDefaults(t *testing.T) {
	tests := []struct {
		name              string
		interval, timeout time.Duration
		want              time.Duration
	}{
		{name: "default 80% of the interval", interval: time.Second, want: 800 * time.Millisecond},
		{name: "sub-second interval", interval: 250 * time.Millisecond, want: 200 * time.Millisecond},
		{name: "explicit", interval: time.Second, timeout: 300 * time.Millisecond, want: 300 * time.Millisecond},
		{name: "capped at the interval", interval: time.Second, timeout: 5 * time.Second, want: time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := snmp.NewPoller(snmptest.New(), snmp.PollerConfig{Interval: tt.interval, Timeout: tt.timeout},
				[]snmp.PollTarget{{Name: "a", IfIndex: 1}})
			if got := snmp.PollerTimeout(p); got != tt.want {
				t.Errorf("timeout %v, want %v", got, tt.want)
			}
		})
	}
}

// realClient is a Fake on the real clock: counters grow on every request,
// a request may block until its deadline, and overlapping requests are
// counted.
type realClient struct {
	*snmptest.Fake
	block    func(n int) bool
	mu       sync.Mutex
	n        int
	inFlight int
	overlap  bool
	noDL     bool
	sends    []time.Time
}

func (c *realClient) Get(ctx context.Context, oids []string) ([]snmp.Variable, error) {
	c.mu.Lock()
	n := c.n
	c.n++
	c.inFlight++
	c.overlap = c.overlap || c.inFlight > 1
	if _, ok := ctx.Deadline(); !ok {
		c.noDL = true
	}
	c.sends = append(c.sends, time.Now())
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inFlight--
		c.mu.Unlock()
	}()
	counters(c.Fake, 1, uint64(n+1)*1000, uint64(n+1)*10)
	if c.block != nil && c.block(n) {
		<-ctx.Done()
		return nil, fmt.Errorf("get: %w", ctx.Err())
	}
	return c.Fake.Get(ctx, oids)
}

func TestPollerRealClock(t *testing.T) {
	const interval = 40 * time.Millisecond
	const polls = 6
	c := &realClient{Fake: snmptest.New(), block: func(n int) bool { return n == 2 }}
	c.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 5)
	p := snmp.NewPoller(c, snmp.PollerConfig{Router: "r", Interval: interval, Count: polls},
		[]snmp.PollTarget{{Name: "a", IfIndex: 1}})
	out := make(chan snmp.Sample, polls)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	began := time.Now()
	if err := p.Run(ctx, out); err != nil {
		t.Fatalf("Run: %v", err)
	}
	took := time.Since(began)
	close(out)
	var samples []snmp.Sample
	for s := range out {
		samples = append(samples, s)
	}
	want := []snmp.Status{snmp.StatusFirst, snmp.StatusOK, snmp.StatusGapTimeout, snmp.StatusOK, snmp.StatusOK, snmp.StatusOK}
	if got := statuses(samples); !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	if c.overlap || c.noDL {
		t.Errorf("overlapping requests %v, request without deadline %v", c.overlap, c.noDL)
	}
	// The grid: poll i never starts before slot i (no burst after the
	// timed-out poll), however late the machine runs.
	for i, send := range c.sends {
		if since := send.Sub(began); since < time.Duration(i)*interval {
			t.Errorf("poll %d sent %v after the start, before its slot %v", i, since, time.Duration(i)*interval)
		}
	}
	if took < (polls-1)*interval {
		t.Errorf("%d polls took %v, less than %v", polls, took, (polls-1)*interval)
	}
	for i := 1; i < len(samples); i++ {
		if !samples[i].Time.After(samples[i-1].Time) {
			t.Errorf("sample %d at %v not after %v", i, samples[i].Time, samples[i-1].Time)
		}
	}
	if s, base := samples[3], samples[1]; s.Interval != s.Time.Sub(base.Time) {
		t.Errorf("bridge after the timeout covers %v, want the %v since the last answer", s.Interval, s.Time.Sub(base.Time))
	}
}

func TestPollerStopsWithContext(t *testing.T) {
	tests := []struct {
		name string
		out  chan snmp.Sample
	}{
		{name: "consumer keeps reading", out: make(chan snmp.Sample, 1000)},
		{name: "consumer stopped reading", out: make(chan snmp.Sample)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &realClient{Fake: snmptest.New()}
			p := snmp.NewPoller(c, snmp.PollerConfig{Router: "r", Interval: 20 * time.Millisecond},
				[]snmp.PollTarget{{Name: "a", IfIndex: 1}})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- p.Run(ctx, tt.out) }()
			time.Sleep(100 * time.Millisecond)
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run after cancel: %v, want nil", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return after its context ended")
			}
		})
	}
}

// benchClient answers every request with growing Counter64 values from a
// reused slice, so the benchmark measures the poller, not the fake.
type benchClient struct {
	vars []snmp.Variable
}

func (c *benchClient) Get(_ context.Context, oids []string) ([]snmp.Variable, error) {
	if cap(c.vars) < len(oids) {
		c.vars = make([]snmp.Variable, len(oids))
	}
	c.vars = c.vars[:len(oids)]
	for i := range c.vars {
		v := &c.vars[i]
		switch {
		case i == 0:
			v.Kind = snmp.KindTimeTicks
			v.Uint += 100
		case (i-1)%3 == 2:
			v.Kind = snmp.KindTimeTicks
		default:
			v.Kind = snmp.KindCounter64
			v.Uint += uint64(1000 + i)
		}
	}
	return c.vars, nil
}

func (c *benchClient) BulkWalk(context.Context, string, func(snmp.Variable) error) error { return nil }

func (c *benchClient) Close() error { return nil }

func BenchmarkPoll(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(strconv.Itoa(n)+"targets", func(b *testing.B) {
			targets := make([]snmp.PollTarget, n)
			for i := range targets {
				targets[i] = snmp.PollTarget{Name: "if" + strconv.Itoa(i), IfIndex: i + 1}
			}
			p := snmp.NewPoller(&benchClient{}, snmp.PollerConfig{Router: "r", Interval: time.Second}, targets)
			out := make(chan snmp.Sample, n)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				snmp.PollOnce(p, ctx, out)
				for range n {
					<-out
				}
			}
		})
	}
}
