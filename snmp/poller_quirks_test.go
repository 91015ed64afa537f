package snmp_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// The poller on agents that serve counters and clocks their own way.

// quirkRates asserts that rows from index from on are ok with the given
// rates in octets per second over the interval, and returns the statuses.
func quirkRates(t *testing.T, samples []sample.Sample, from int, in, out float64, interval time.Duration) {
	t.Helper()
	for i, s := range samples[from:] {
		wantIn, wantOut := in*8, out*8
		if s.Status != sample.StatusOK || s.Interval != interval ||
			math.Abs(s.InBps-wantIn) > 1e-6*wantIn || math.Abs(s.OutBps-wantOut) > 1e-6*wantOut {
			t.Errorf("sample %d: %s %v in %.0f out %.0f b/s (err %q), want ok %v in %.0f out %.0f",
				from+i, s.Status, s.Interval, s.InBps, s.OutBps, s.Err, interval, wantIn, wantOut)
		}
	}
}

// noteCollector gathers what the poller's OnNote is called with.
type noteCollector struct{ notes []string }

func (c *noteCollector) add(note string) { c.notes = append(c.notes, note) }

// one asserts that exactly one note was given and that it contains every
// one of parts.
func (c *noteCollector) one(t *testing.T, parts ...string) {
	t.Helper()
	if len(c.notes) != 1 {
		t.Fatalf("notes %q, want exactly one", c.notes)
	}
	for _, p := range parts {
		if !strings.Contains(c.notes[0], p) {
			t.Errorf("note %q does not say %q", c.notes[0], p)
		}
	}
}

func TestPollerReadsRetypedCounters(t *testing.T) {
	// An embedded agent serves ifInOctets as INTEGER (its signed view of a
	// 32-bit counter: past 2^31 it goes negative) and ifOutOctets as
	// Gauge32. They are read as Counter32, with one note naming the types.
	const inStep, outStep = 70_000_000, 1_000
	var notes noteCollector
	lost := 0
	in := int64(math.MaxInt32 - 150_000_000) // turns negative at the third poll
	out := uint64(5000)
	samples, _, _ := pollRun{
		interval: time.Second, count: 6,
		targets: []snmp.PollTarget{{Name: "eth0", IfIndex: 2, IfName: "eth0", CounterBits: 32, SpeedBps: 1_000_000_000,
			IdentityOID: snmp.OIDIfDescr + ".2", IdentityValue: "eth0"}},
		setup: func(f *snmptest.Fake) { f.SetString(snmp.OIDIfDescr+".2", "eth0") },
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			in = int64(int32(in + inStep)) // as the agent's int32 counter overflows
			out += outStep
			f.Set(snmp.Variable{OID: snmp.OIDIfInOctets + ".2", Kind: snmp.KindInteger, Int: in, Uint: uint64(max(in, 0))})
			f.SetUint(snmp.OIDIfOutOctets+".2", snmp.KindGauge32, out)
			return 0, nil
		},
		onNote: notes.add,
		onLost: func(string) { lost++ },
	}.run(t)
	if samples[0].Status != sample.StatusFirst || samples[1].Status != sample.StatusPending {
		t.Errorf("first rows %s, %s; want first, pending", samples[0].Status, samples[1].Status)
	}
	quirkRates(t, samples, 2, inStep, outStep, time.Second)
	for i, s := range samples {
		if !s.HasOctets || s.CounterBits != 32 {
			t.Errorf("sample %d: octets %v, %d-bit; want octets and 32-bit", i, s.HasOctets, s.CounterBits)
		}
		if i > 0 && s.Err != "" {
			t.Errorf("sample %d: err %q, want the note on the first row only", i, s.Err)
		}
	}
	if s := samples[3]; s.InOctets != uint64(math.MaxInt32-150_000_000+4*inStep) {
		t.Errorf("sample 3: in_octets %d, want the INTEGER's two's complement", s.InOctets)
	}
	if !strings.Contains(samples[0].Err, "INTEGER") || !strings.Contains(samples[0].Err, "Gauge32") {
		t.Errorf("first row's err %q does not name the types", samples[0].Err)
	}
	notes.one(t, "eth0: ", "ifInOctets.2 as INTEGER", "ifOutOctets.2 as Gauge32", "32-bit counter")
	if lost != 0 {
		t.Errorf("target lost %d times: counters of another type are still the row's counters", lost)
	}
}

func TestPollerRetypedCountersOnlyFor32Bit(t *testing.T) {
	// A 64-bit target whose ifHCOutOctets comes back as Gauge32 has lost
	// its counter: no guessing at a width.
	samples, _, _ := pollRun{
		interval: time.Second, count: 2,
		targets: []snmp.PollTarget{{Name: "a", IfIndex: 1, CounterBits: 64}},
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			f.SetUint(snmp.OIDIfHCInOctets+".1", snmp.KindCounter64, uint64(100*n))
			f.SetUint(snmp.OIDIfHCOutOctets+".1", snmp.KindGauge32, uint64(100*n))
			return 0, nil
		},
	}.run(t)
	for i, s := range samples {
		if s.Status != sample.StatusGapDiscontinuity || s.HasOctets {
			t.Errorf("sample %d: %s, octets %v; want gap-discontinuity without octets", i, s.Status, s.HasOctets)
		}
	}
}

func TestPollerFrozenUpTime(t *testing.T) {
	// sysUpTime.0 stands at 4242 while the counters move, polled every
	// 2 s: never a gap-reset; one note; then sysUpTime.0 is not asked for.
	const interval = 2 * time.Second
	const step = 250_000
	var notes noteCollector
	samples, c, _ := pollRun{
		interval: interval, count: 6,
		targets: []snmp.PollTarget{{Name: "Gi0/1", IfIndex: 3, CounterBits: 64}},
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 4242)
			pollSetHC(f, 3, uint64(n)*step, uint64(n)*step/2)
			return 0, nil
		},
		onNote: notes.add,
	}.run(t)
	quirkRates(t, samples, 2, step/2, step/4, interval)
	notes.one(t, "bras1: ", "sysUpTime.0", "frozen", "this host's clock")
	// Found at the second poll, 2 s after the first reading.
	if !strings.Contains(samples[1].Err, "frozen") {
		t.Errorf("sample 1 err %q, want the frozen clock note", samples[1].Err)
	}
	for i, req := range c.Requests {
		if asked := slices.Contains(req, snmp.OIDSysUpTime); asked != (i <= 1) {
			t.Errorf("request %d asks for sysUpTime.0: %v, want %v", i, asked, i <= 1)
		}
	}
}

func TestPollerUpTimeStandingBrieflyIsNotFrozen(t *testing.T) {
	// An agent whose clock ticks once a second, polled every 0.5 s: the
	// same sysUpTime.0 twice in a row is its resolution, not a frozen clock.
	var notes noteCollector
	_, c, _ := pollRun{
		interval: 500 * time.Millisecond, count: 8,
		targets: []snmp.PollTarget{{Name: "Gi0/1", IfIndex: 3, CounterBits: 64}},
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 1000+uint64(n/2)*100)
			pollSetHC(f, 3, uint64(n)*100, uint64(n)*100)
			return 0, nil
		},
		onNote: notes.add,
	}.run(t)
	if len(notes.notes) != 0 {
		t.Errorf("notes %q, want none", notes.notes)
	}
	for i, req := range c.Requests {
		if !slices.Contains(req, snmp.OIDSysUpTime) {
			t.Errorf("request %d no longer asks for sysUpTime.0", i)
		}
	}
}

func TestPollerWithoutUpTime(t *testing.T) {
	// An agent without sysUpTime.0 is polled all the same, with a note,
	// and not asked for it again.
	const step = 1000
	var notes noteCollector
	samples, c, _ := pollRun{
		interval: time.Second, count: 5,
		targets: []snmp.PollTarget{{Name: "Gi0/1", IfIndex: 3, CounterBits: 64}},
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			f.Delete(snmp.OIDSysUpTime)
			pollSetHC(f, 3, uint64(n)*step, uint64(n)*step)
			return 0, nil
		},
		onNote: notes.add,
	}.run(t)
	quirkRates(t, samples, 2, step, step, time.Second)
	notes.one(t, "bras1: ", "sysUpTime.0", "noSuchInstance", "this host's clock")
	if !strings.Contains(samples[0].Err, "sysUpTime.0") {
		t.Errorf("first row's err %q, want the note", samples[0].Err)
	}
	for i, req := range c.Requests[1:] {
		if slices.Contains(req, snmp.OIDSysUpTime) {
			t.Errorf("request %d asks for sysUpTime.0 again", i+1)
		}
	}
}

func TestPollerUnreadableMarker(t *testing.T) {
	// Huawei's MA5600 answers 2^64−1 for a counter it cannot read: a gap
	// row saying so, never a rate or a wrap; one note however often.
	var notes noteCollector
	var in uint64
	samples, _, _ := pollRun{
		interval: time.Second, count: 7,
		targets: []snmp.PollTarget{{Name: "0/3/4", IfIndex: 7, CounterBits: 64,
			IdentityOID: snmp.OIDIfDescr + ".7", IdentityValue: "GPON 0/3/4"}},
		setup: func(f *snmptest.Fake) { f.SetString(snmp.OIDIfDescr+".7", "GPON 0/3/4") },
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			in += 1000
			v := in
			if n == 3 || n == 4 {
				v = math.MaxUint64
			}
			pollSetHC(f, 7, v, in)
			return 0, nil
		},
		onNote: notes.add,
		onLost: func(name string) { t.Errorf("%s lost: the row is still there", name) },
	}.run(t)
	want := []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusOK,
		sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity, sample.StatusPending}
	for i, s := range samples {
		if s.Status != want[i] {
			t.Errorf("sample %d: %s, want %s", i, s.Status, want[i])
		}
		if i == 3 || i == 4 {
			if s.HasOctets || !strings.Contains(s.Err, "ifHCInOctets.7 read 18446744073709551615") || !strings.Contains(s.Err, "cannot read") {
				t.Errorf("sample %d: octets %v err %q, want no octets and why", i, s.HasOctets, s.Err)
			}
		}
	}
	notes.one(t, "0/3/4: ", "ifHCInOctets.7", "2^64−1", "cannot read")
}
