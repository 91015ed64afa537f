package snmp_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// refindFake is a Fake with alice on ifIndex 5, her identity in
// csubSessionUsername.5, and counters on ifIndex 5 and 7.
func refindFake() *snmptest.Fake {
	f := snmptest.New()
	f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 1000)
	for _, i := range []string{".5", ".7"} {
		f.SetUint(snmp.OIDIfHCInOctets+i, snmp.KindCounter64, 1000)
		f.SetUint(snmp.OIDIfHCOutOctets+i, snmp.KindCounter64, 2000)
	}
	f.SetString(oidCsubSessionUsername+".5", "alice")
	return f
}

// TestPollerRefindsLostTarget: a target whose identity check fails is
// polled no more (offline rows) while the poller calls Refind with a
// doubling back-off capped at 4 s, until it answers; the poller then polls
// the interface found, from a `reconnected` row.
func TestPollerRefindsLostTarget(t *testing.T) {
	tests := []struct {
		name      string
		failures  int
		wantWaits []time.Duration
	}{
		{"back at once", 0, nil},
		{"doubling back-off capped", 6, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := refindFake()
			var mu sync.Mutex
			calls := 0
			var waits []time.Duration
			refind := func(_ context.Context, name string) (snmp.PollTarget, error) {
				mu.Lock()
				defer mu.Unlock()
				calls++
				if name != "alice" {
					t.Errorf("Refind(%q), want alice", name)
				}
				if calls <= tt.failures {
					return snmp.PollTarget{}, errors.New("not found")
				}
				return snmp.PollTarget{IfIndex: 7, IfName: "Vi2.7", CounterBits: 64}, nil
			}
			alice := snmp.PollTarget{Name: "alice", IfIndex: 5, CounterBits: 64, IdentityOID: oidCsubSessionUsername + ".5", IdentityValue: "alice"}
			p := snmp.NewPoller(f, snmp.PollerConfig{Router: "bras1", Interval: time.Second, Refind: refind}, []snmp.PollTarget{alice})
			snmp.SetRefindBackoff(p, func(_ context.Context, d time.Duration) error {
				mu.Lock()
				waits = append(waits, d)
				mu.Unlock()
				return nil
			})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			out := make(chan sample.Sample, 1)
			poll := func() sample.Sample {
				if !snmp.PollOnce(p, ctx, out) {
					t.Fatal("poll: the context ended")
				}
				return <-out
			}
			if s := poll(); s.Status != sample.StatusFirst {
				t.Fatalf("first row %s, want first", s.Status)
			}
			f.SetString(oidCsubSessionUsername+".5", "mallory") // the session went to another user
			if s := poll(); s.Status != sample.StatusGapDiscontinuity || s.HasOctets {
				t.Fatalf("row after the loss: %s, octets %v; want gap-discontinuity without octets", s.Status, s.HasOctets)
			}
			var s sample.Sample
			for s = poll(); s.Status == sample.StatusOffline; s = poll() {
				if s.IfIndex != 0 || s.HasOctets {
					t.Fatalf("offline row names ifIndex %d, octets %v", s.IfIndex, s.HasOctets)
				}
				time.Sleep(time.Millisecond)
			}
			if s.Status != sample.StatusReconnected || s.IfIndex != 7 || s.Target != "alice" {
				t.Errorf("row after the refind: %s on ifIndex %d for %q, want reconnected on 7 for alice", s.Status, s.IfIndex, s.Target)
			}
			mu.Lock()
			defer mu.Unlock()
			if calls != tt.failures+1 {
				t.Errorf("Refind called %d times, want %d", calls, tt.failures+1)
			}
			if len(waits) != len(tt.wantWaits) {
				t.Fatalf("waits %v, want %v", waits, tt.wantWaits)
			}
			for i := range waits {
				if waits[i] != tt.wantWaits[i] {
					t.Errorf("wait %d = %v, want %v", i, waits[i], tt.wantWaits[i])
				}
			}
		})
	}
}

// TestPollerRunEndsItsFollowers: when Run ends, the search for a lost
// target ends with it: its context is cancelled and Run returns only once
// Refind has returned.
func TestPollerRunEndsItsFollowers(t *testing.T) {
	f := refindFake()
	f.SetString(oidCsubSessionUsername+".5", "mallory") // lost at the first poll
	var started, returned atomic.Bool
	refind := func(ctx context.Context, _ string) (snmp.PollTarget, error) {
		started.Store(true)
		<-ctx.Done()
		returned.Store(true)
		return snmp.PollTarget{}, ctx.Err()
	}
	alice := snmp.PollTarget{Name: "alice", IfIndex: 5, CounterBits: 64, IdentityOID: oidCsubSessionUsername + ".5", IdentityValue: "alice"}
	p := snmp.NewPoller(f, snmp.PollerConfig{Router: "bras1", Interval: 100 * time.Millisecond, Count: 3, Refind: refind}, []snmp.PollTarget{alice})
	out := make(chan sample.Sample, 8)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Run(ctx, out); err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatal("Run did not end after its 3 polls")
	}
	if !started.Load() || !returned.Load() {
		t.Errorf("Refind started %v, returned before Run %v; want both", started.Load(), returned.Load())
	}
	close(out)
	var got []sample.Status
	for s := range out {
		got = append(got, s.Status)
	}
	want := []sample.Status{sample.StatusGapDiscontinuity, sample.StatusOffline, sample.StatusOffline}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("rows %v, want %v", got, want)
	}
}
