package snmp_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// scriptedClient is a Fake whose answers are scripted per request: before runs
// with the request's number (0 first) and may change the Fake's values,
// take time on the clock, or fail the request.
type scriptedClient struct {
	*snmptest.Fake
	clk    *snmptest.Clock
	before func(n int) (took time.Duration, err error)
	// answerLen, when not 0, cuts every answer to that many values.
	answerLen int

	mu    sync.Mutex
	sends []time.Time // clock at each Get
}

func (c *scriptedClient) Get(ctx context.Context, oids []string) ([]snmp.Variable, error) {
	c.mu.Lock()
	n := len(c.sends)
	c.sends = append(c.sends, c.clk.Now())
	c.mu.Unlock()
	took, err := c.before(n)
	c.clk.Add(took)
	if err != nil {
		return nil, err
	}
	vars, err := c.Fake.Get(ctx, oids)
	if c.answerLen > 0 && len(vars) > c.answerLen {
		vars = vars[:c.answerLen]
	}
	return vars, err
}

func (c *scriptedClient) sendTimes() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Time(nil), c.sends...)
}

// pollSetHC sets the 64-bit counters of ifIndex to in and out.
func pollSetHC(f *snmptest.Fake, ifIndex int, in, out uint64) {
	idx := "." + strconv.Itoa(ifIndex)
	f.SetUint(snmp.OIDIfHCInOctets+idx, snmp.KindCounter64, in)
	f.SetUint(snmp.OIDIfHCOutOctets+idx, snmp.KindCounter64, out)
}

// pollRun is one scriptedClient poller run on a fake clock.
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
	onNote  func(string)
	// answerLen, when not 0, cuts every answer to that many values.
	answerLen int
}

// run polls on a fake clock until count polls are done and returns the
// samples, the client and the clock's start.
func (r pollRun) run(t *testing.T) ([]sample.Sample, *scriptedClient, time.Time) {
	t.Helper()
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)
	clk := snmptest.NewClock(start)
	f := snmptest.New()
	f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 1000)
	if r.setup != nil {
		r.setup(f)
	}
	c := &scriptedClient{Fake: f, clk: clk, answerLen: r.answerLen, before: func(n int) (time.Duration, error) {
		f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 1000+uint64(n)*100)
		if r.script == nil {
			return 0, nil
		}
		return r.script(f, n)
	}}
	p := snmp.NewPoller(c, snmp.PollerConfig{
		Router: "bras1", Interval: r.interval, Count: r.count, Now: clk.Now, OnNote: r.onNote,
	}, r.targets)
	if r.onLost != nil {
		snmp.SetPollerLost(p, r.onLost)
	}
	k := 0
	snmp.SetPollerWait(p, func(ctx context.Context, d time.Duration) error {
		if r.between != nil {
			r.between(p, k)
		}
		k++
		clk.Add(max(d, 0))
		return ctx.Err()
	})
	out := make(chan sample.Sample, r.count*(len(r.targets)+2))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Run(ctx, out); err != nil {
		t.Fatalf("Run: %v", err)
	}
	close(out)
	var got []sample.Sample
	for s := range out {
		got = append(got, s)
	}
	return got, c, start
}

func pollStatuses(samples []sample.Sample) []sample.Status {
	var st []sample.Status
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
			pollSetHC(f, 3, in, out)
			// Without sysUpTime the midpoints are the only clock.
			f.Delete(snmp.OIDSysUpTime)
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
		if n <= 1 {
			// The first change after the first reading is the baseline.
			if want := []sample.Status{sample.StatusFirst, sample.StatusPending}[n]; s.Status != want {
				t.Errorf("sample %d: status %q, want %s", n, s.Status, want)
			}
			continue
		}
		// The rate divides by the midpoint span, which differs from the
		// interval because the RTT grows.
		span := mid.Sub(samples[n-1].Time)
		wantIn := float64(perPoll(n)) * 8 / span.Seconds()
		if s.Status != sample.StatusOK || s.Interval != span || math.Abs(s.InBps-wantIn) > 1e-6 || math.Abs(s.OutBps-2*wantIn) > 1e-6 {
			t.Errorf("sample %d: %q %v in %v out %v, want ok %v in %v out %v", n, s.Status, s.Interval, s.InBps, s.OutBps, span, wantIn, 2*wantIn)
		}
	}
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
					pollSetHC(f, 1, in, in)
					pollSetHC(f, 2, in, in)
					if n == 2 {
						return 800 * time.Millisecond, tt.err
					}
					return 0, nil
				},
			}.run(t)
			want := []sample.Status{sample.StatusFirst, sample.StatusFirst, sample.StatusPending, sample.StatusPending,
				sample.StatusGapTimeout, sample.StatusGapTimeout, sample.StatusOK, sample.StatusOK}
			if got := pollStatuses(samples); !reflect.DeepEqual(got, want) {
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
				if s.Interval != 2*interval || math.Abs(s.InBps-wantBps) > 1e-6 || s.Err != "" {
					t.Errorf("bridge row %+v: want interval %v, %v b/s, no Err", s, 2*interval, wantBps)
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
				if s.Status != sample.StatusGapDiscontinuity || s.HasOctets || s.InBps != 0 || !strings.Contains(s.Err, "missing") {
					t.Errorf("sample %d: %+v, want gap-discontinuity without numbers, saying what is missing", i, s)
				}
			}
		})
	}
}

func TestPollerRejectsBadInterval(t *testing.T) {
	for _, iv := range []time.Duration{0, -time.Second} {
		p := snmp.NewPoller(snmptest.New(), snmp.PollerConfig{Router: "r1", Interval: iv}, nil)
		err := p.Run(context.Background(), make(chan sample.Sample))
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

func (c *benchClient) GetBulk(context.Context, []string, int) ([]snmp.Variable, error) {
	return nil, nil
}

func (c *benchClient) Close() error { return nil }

func BenchmarkPoll(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(strconv.Itoa(n)+"targets", func(b *testing.B) {
			targets := make([]snmp.PollTarget, n)
			for i := range targets {
				targets[i] = snmp.PollTarget{Name: "if" + strconv.Itoa(i), IfIndex: i + 1}
			}
			p := snmp.NewPoller(&benchClient{}, snmp.PollerConfig{Router: "r", Interval: time.Second}, targets)
			out := make(chan sample.Sample, n)
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

// TestPollerTimesSlowPathsBySysUpTime: when the round trips make the
// midpoints less certain than sysUpTime's ticks, and both clocks agree within
// that uncertainty, the rate is timed by sysUpTime (here the agent's counters
// move exactly with it, 100 ticks per poll).
func TestPollerTimesSlowPathsBySysUpTime(t *testing.T) {
	rtt := func(n int) time.Duration { return time.Duration(100+300*(n%2)) * time.Millisecond }
	var in uint64
	samples, _, _ := pollRun{
		interval: time.Second, count: 4,
		targets: []snmp.PollTarget{{Name: "Gi0/1", IfIndex: 3, CounterBits: 64}},
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			in += 125_000
			pollSetHC(f, 3, in, in)
			return rtt(n), nil
		},
	}.run(t)
	for n, s := range samples[2:] {
		if s.Status != sample.StatusOK || s.Interval != time.Second || math.Abs(s.InBps-1e6) > 1e-6 {
			t.Errorf("sample %d: %q over %v at %v b/s, want ok over 1s at 1e6 b/s", n+2, s.Status, s.Interval, s.InBps)
		}
	}
}
