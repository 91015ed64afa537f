package snmp_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// preReadRun polls one target count times with PreRead on a fake clock; the
// agent's counters grow by perCall(n) octets at request n (the pre-read is
// request 0), and request failN fails.
func preReadRun(t *testing.T, count int, perCall func(n int) uint64, failN int) ([]sample.Sample, *scriptedClient, time.Time) {
	t.Helper()
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)
	clk := snmptest.NewClock(start)
	f := snmptest.New()
	var in uint64 = 5_000_000
	c := &scriptedClient{Fake: f, clk: clk, before: func(n int) (time.Duration, error) {
		f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 1000+uint64(n)*100)
		in += perCall(n)
		pollSetHC(f, 3, in, in/2)
		if n == failN {
			return 10 * time.Millisecond, errors.New("no answer")
		}
		return 2 * time.Millisecond, nil
	}}
	p := snmp.NewPoller(c, snmp.PollerConfig{Router: "bras1", Interval: time.Second, Count: count, Now: clk.Now, PreRead: true},
		[]snmp.PollTarget{{Name: "Gi0/1", IfIndex: 3, CounterBits: 64}})
	snmp.SetPollerWait(p, func(ctx context.Context, d time.Duration) error {
		clk.Add(max(d, 0))
		return ctx.Err()
	})
	out := make(chan sample.Sample, count+1)
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
	if len(got) != count {
		t.Fatalf("%d samples, want %d", len(got), count)
	}
	return got, c, start
}

// TestPollerPreRead: with PreRead the poller reads the counters once, with
// no Sample, right before its first poll; when they moved in between, the
// first reading is fresh and the second poll has a rate (on main the
// second row was always pending). Frozen in between, or a failed read,
// leave the first change as the baseline, as without PreRead.
func TestPollerPreRead(t *testing.T) {
	const octets = 125_000 // a poll's traffic: 1 Mb/s
	t.Run("counters moved since the pre-read", func(t *testing.T) {
		samples, c, start := preReadRun(t, 3, func(int) uint64 { return octets }, -1)
		sends := c.sendTimes()
		if len(sends) != 4 || !sends[0].Equal(start) {
			t.Fatalf("requests at %v, want a pre-read at the start and 3 polls", sends)
		}
		// The grid starts a short gap after the pre-read's answer.
		grid := start.Add(2 * time.Millisecond).Add(snmp.PreReadGap(time.Second))
		for n, at := range sends[1:] {
			if want := grid.Add(time.Duration(n) * time.Second); !at.Equal(want) {
				t.Errorf("poll %d sent at %v, want %v", n, at.Sub(start), want.Sub(start))
			}
		}
		if samples[0].Status != sample.StatusFirst {
			t.Errorf("sample 0: %q, want first", samples[0].Status)
		}
		for _, s := range samples[1:] {
			if s.Status != sample.StatusOK || math.Abs(s.InBps-1e6) > 1 || math.Abs(s.OutBps-0.5e6) > 1 {
				t.Errorf("%v: %q in %.0f out %.0f b/s, want ok 1000000/500000", s.Time.Sub(start), s.Status, s.InBps, s.OutBps)
			}
		}
	})
	for _, tt := range []struct {
		name    string
		perCall func(n int) uint64
		failN   int
	}{
		{"counters frozen since the pre-read", func(n int) uint64 { return octets * uint64(min(max(n-1, 0), 1)) }, -1},
		{"pre-read got no answer", func(int) uint64 { return octets }, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			samples, _, _ := preReadRun(t, 3, tt.perCall, tt.failN)
			got := []sample.Status{samples[0].Status, samples[1].Status, samples[2].Status}
			if want := []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusOK}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
				t.Errorf("statuses %v, want %v", got, want)
			}
		})
	}
}
