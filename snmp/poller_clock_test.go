package snmp_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// realClockClient is a Fake on the real clock: counters grow on every request,
// a request may block until its deadline, and overlapping requests are
// counted.
type realClockClient struct {
	*snmptest.Fake
	block    func(n int) bool
	mu       sync.Mutex
	n        int
	inFlight int
	overlap  bool
	noDL     bool
	sends    []time.Time
}

func (c *realClockClient) Get(ctx context.Context, oids []string) ([]snmp.Variable, error) {
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
	pollSetHC(c.Fake, 1, uint64(n+1)*1000, uint64(n+1)*10)
	if c.block != nil && c.block(n) {
		<-ctx.Done()
		return nil, fmt.Errorf("get: %w", ctx.Err())
	}
	return c.Fake.Get(ctx, oids)
}

func TestPollerRealClock(t *testing.T) {
	const interval = 40 * time.Millisecond
	const polls = 6
	c := &realClockClient{Fake: snmptest.New(), block: func(n int) bool { return n == 2 }}
	c.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 5)
	p := snmp.NewPoller(c, snmp.PollerConfig{Router: "r", Interval: interval, Count: polls},
		[]snmp.PollTarget{{Name: "a", IfIndex: 1}})
	out := make(chan sample.Sample, polls)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	began := time.Now()
	if err := p.Run(ctx, out); err != nil {
		t.Fatalf("Run: %v", err)
	}
	took := time.Since(began)
	close(out)
	var samples []sample.Sample
	for s := range out {
		samples = append(samples, s)
	}
	want := []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusGapTimeout, sample.StatusOK, sample.StatusOK, sample.StatusOK}
	if got := pollStatuses(samples); !reflect.DeepEqual(got, want) {
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
		out  chan sample.Sample
	}{
		{name: "consumer keeps reading", out: make(chan sample.Sample, 1000)},
		{name: "consumer stopped reading", out: make(chan sample.Sample)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &realClockClient{Fake: snmptest.New()}
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
