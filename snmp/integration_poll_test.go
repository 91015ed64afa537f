package snmp_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// itPoll runs a Poller for count polls and returns its samples. during, when
// set, sees each sample as it arrives (it may restart or pause the agent);
// opts, when given, adjust the poller's configuration.
func itPoll(t *testing.T, c snmp.Client, interval time.Duration, count int, targets []snmp.PollTarget, during func(sample.Sample), opts ...func(*snmp.PollerConfig)) []sample.Sample {
	t.Helper()
	ctx := itCtx(t, time.Duration(count+10)*interval+20*time.Second)
	cfg := snmp.PollerConfig{Router: "test", Interval: interval, Timeout: interval / 2, Count: count}
	for _, o := range opts {
		o(&cfg)
	}
	p := snmp.NewPoller(c, cfg, targets)
	out := make(chan sample.Sample, 256)
	errc := make(chan error, 1)
	go func() { errc <- p.Run(ctx, out) }()
	var got []sample.Sample
	take := func(s sample.Sample) {
		got = append(got, s)
		if during != nil {
			during(s)
		}
	}
	for {
		select {
		case s := <-out:
			take(s)
		case err := <-errc:
			for {
				select {
				case s := <-out:
					take(s)
				default:
					if err != nil {
						t.Fatalf("Poller.Run: %v", err)
					}
					if ctx.Err() != nil {
						t.Fatalf("poller did not finish %d polls in time", count)
					}
					return got
				}
			}
		}
	}
}

// itRows returns the samples of one target.
func itRows(samples []sample.Sample, name string) []sample.Sample {
	var out []sample.Sample
	for _, s := range samples {
		if s.Target == name {
			out = append(out, s)
		}
	}
	return out
}

// itCheckRates asserts every row from index from on that carries a rate is
// within 1% of the truth, plus the poll's own timing uncertainty: the agent
// read its counters at some moment between send and receive, so each end
// of an interval is known to ±RTT/2. On a quiet machine the RTT is about a
// millisecond (0.1% of a 1 s interval); on a loaded one the allowance says
// how much the load, not stg, moved the rate. It returns how many rows from
// index from carried a rate.
func itCheckRates(t *testing.T, samples []sample.Sample, from int, inBps, outBps float64) int {
	t.Helper()
	n, worst, allowance := 0, 0.0, 0.0
	var baseRTT time.Duration // RTT of the poll the next rate starts from
	for i, s := range samples {
		rtt := baseRTT
		if s.HasOctets {
			baseRTT = s.RTT
		}
		if i < from || !s.Status.HasRate() {
			continue
		}
		n++
		uncertainty := (rtt + s.RTT).Seconds() / 2 / s.Interval.Seconds()
		allowance = max(allowance, uncertainty)
		for _, d := range []struct {
			dir        string
			got, truth float64
		}{{"in", s.InBps, inBps}, {"out", s.OutBps, outBps}} {
			e := math.Abs(d.got-d.truth) / d.truth
			worst = max(worst, e)
			if e > 0.01+uncertainty {
				t.Errorf("row %d (%s, %s, %.3f s, RTT %s and %s): %s %.0f b/s, truth %.0f: error %.2f%%, want at most 1%% + %.2f%%",
					i, s.Target, s.Status, s.Interval.Seconds(), rtt, s.RTT, d.dir, d.got, d.truth, 100*e, 100*uncertainty)
			}
		}
	}
	if len(samples) > 0 {
		t.Logf("%s: %s; %d rates, worst error %.3f%%, largest RTT allowance %.3f%%", samples[0].Target, itStatuses(samples[from:]), n, 100*worst, 100*allowance)
	}
	return n
}

func itStatuses(samples []sample.Sample) string {
	parts := make([]string, len(samples))
	for i, s := range samples {
		parts[i] = string(s.Status)
	}
	return strings.Join(parts, " ")
}

func itCount(samples []sample.Sample, st sample.Status) int {
	n := 0
	for _, s := range samples {
		if s.Status == st {
			n++
		}
	}
	return n
}

func itTarget(t *testing.T, c snmp.Client, spec string, bits int) snmp.PollTarget {
	t.Helper()
	it, err := snmp.SelectInterface(itCtx(t, 10*time.Second), c, spec)
	if err != nil {
		t.Fatal(err)
	}
	if bits == 0 {
		bits = 32
		if it.HasHC {
			bits = 64
		}
	}
	return snmp.PollTarget{Name: spec, IfIndex: it.IfIndex, IfName: it.Label(), CounterBits: bits, SpeedBps: it.SpeedBps}
}

// The poll tests do not run in parallel with each other: each rate is
// checked against snmpsim's clock to 1%, that is 10 ms per 1 s poll.

// TestSnmpsimPollRates polls a Counter64 interface and a wrapping
// Counter32-only interface for 14 s: every rate within 1% of the truth, and
// the wrap unwound. The first change after the first reading is pending (the
// rates' baseline), so 12 of the 14 rows can carry a rate; one may be lost.
func TestSnmpsimPollRates(t *testing.T) {
	sim := agenttest.StartSnmpsim(t, simData)
	c := itDial(t, simConfig(sim, "2c"))
	hc, wrap := itTarget(t, c, "Gi0/0/0", 0), itTarget(t, c, "Vi1.195", 0)
	if hc.CounterBits != 64 || wrap.CounterBits != 32 {
		t.Fatalf("counter bits %d, %d; want 64, 32", hc.CounterBits, wrap.CounterBits)
	}
	samples := itPoll(t, c, time.Second, 14, []snmp.PollTarget{hc, wrap}, nil)
	for _, tc := range []struct {
		target  snmp.PollTarget
		in, out float64
	}{
		{hc, simIf1InRate * 8, simIf1OutRate * 8},
		{wrap, simIf2InRate * 8, simIf2OutRate * 8},
	} {
		rows := itRows(samples, tc.target.Name)
		if len(rows) != 14 {
			t.Errorf("%s: %d rows, want 14", tc.target.Name, len(rows))
		}
		if n := itCheckRates(t, rows, 0, tc.in, tc.out); n < 11 {
			t.Errorf("%s: %d rows with a rate, want at least 11 (%s)", tc.target.Name, n, itStatuses(rows))
		}
		for _, s := range rows {
			if s.CounterBits != tc.target.CounterBits {
				t.Errorf("%s: row says %d-bit counters, want %d", tc.target.Name, s.CounterBits, tc.target.CounterBits)
			}
		}
	}
	if n := itCount(itRows(samples, wrap.Name), sample.StatusWrap); n < 1 {
		t.Errorf("Vi1.195: no wrap row (%s)", itStatuses(itRows(samples, wrap.Name)))
	}
	if n := itCount(itRows(samples, hc.Name), sample.StatusWrap); n != 0 {
		t.Errorf("Gi0/0/0: %d wrap rows on a 64-bit counter", n)
	}
}

// TestSnmpsimPollVersions polls over SNMPv1 (the 32-bit fallback chosen by
// DescribeInterface) and SNMPv3 authPriv SHA+AES: 4 of the 6 rows can carry
// a rate (the first and the pending first change cannot); one may be lost.
func TestSnmpsimPollVersions(t *testing.T) {
	sim := agenttest.StartSnmpsim(t, simData, agenttest.WithV3User(simV3))
	tests := []struct {
		version  string
		wantBits int
	}{
		{"1", 32},
		{"3", 64},
	}
	for _, tt := range tests {
		t.Run("v"+tt.version, func(t *testing.T) {
			c := itDial(t, simConfig(sim, tt.version))
			target := itTarget(t, c, "Gi0/0/0", 0)
			if target.CounterBits != tt.wantBits {
				t.Fatalf("DescribeInterface chose %d-bit counters over v%s, want %d", target.CounterBits, tt.version, tt.wantBits)
			}
			samples := itPoll(t, c, time.Second, 6, []snmp.PollTarget{target}, nil)
			if n := itCheckRates(t, samples, 0, simIf1InRate*8, simIf1OutRate*8); n < 3 {
				t.Errorf("%d rows with a rate, want at least 3 (%s)", n, itStatuses(samples))
			}
		})
	}
}

// TestSnmpsimRestart restarts snmpsimd mid-run: a gap-reset row, never a
// rate above the truth, and correct rates after. The restart comes after the
// fifth row, so that three rows before it can carry a rate (the first change
// after the first reading is pending).
func TestSnmpsimRestart(t *testing.T) {
	sim := agenttest.StartSnmpsim(t, simData)
	c := itDial(t, simConfig(sim, "2c"))
	target := itTarget(t, c, "Gi0/0/0", 64)
	n := 0
	samples := itPoll(t, c, time.Second, 15, []snmp.PollTarget{target}, func(sample.Sample) {
		if n++; n == 5 {
			if err := sim.Restart(); err != nil {
				t.Errorf("restart snmpsimd: %v", err)
			}
		}
	})
	reset := slices.IndexFunc(samples, func(s sample.Sample) bool { return s.Status == sample.StatusGapReset })
	if reset < 0 {
		t.Fatalf("no gap-reset row after the restart (%s)", itStatuses(samples))
	}
	// Every rate, across the restart too, is within the tolerance of the
	// truth: no spike from counting across the reset, no dip either.
	before := itCheckRates(t, samples[:reset], 0, simIf1InRate*8, simIf1OutRate*8)
	after := itCheckRates(t, samples, reset, simIf1InRate*8, simIf1OutRate*8)
	if before < 2 || after < 2 {
		t.Errorf("%d rows with a rate before the reset and %d after, want at least 2 each (%s)", before, after, itStatuses(samples))
	}
}

// TestSnmpsimPause stops snmpsimd with SIGSTOP for 3 s: gap-timeout rows,
// then recovery with correct rates. The pause comes after the fourth row, so
// that two rows before it can carry a rate (the first change after the first
// reading is pending).
func TestSnmpsimPause(t *testing.T) {
	sim := agenttest.StartSnmpsim(t, simData)
	c := itDial(t, simConfig(sim, "2c"))
	target := itTarget(t, c, "Gi0/0/0", 64)
	n := 0
	samples := itPoll(t, c, time.Second, 13, []snmp.PollTarget{target}, func(sample.Sample) {
		if n++; n == 4 {
			if err := sim.Pause(); err != nil {
				t.Errorf("pause snmpsimd: %v", err)
				return
			}
			time.AfterFunc(3*time.Second, func() {
				if err := sim.Resume(); err != nil {
					t.Errorf("resume snmpsimd: %v", err)
				}
			})
		}
	})
	gaps := itCount(samples, sample.StatusGapTimeout)
	if gaps < 2 {
		t.Errorf("%d gap-timeout rows for a 3 s pause, want at least 2 (%s)", gaps, itStatuses(samples))
	}
	last := -1
	for i, s := range samples {
		if s.Status == sample.StatusGapTimeout {
			last = i
			if s.HasOctets || s.InBps != 0 {
				t.Errorf("gap-timeout row %d carries values", i)
			}
		}
	}
	before := itCheckRates(t, samples[:last+1], 0, simIf1InRate*8, simIf1OutRate*8)
	if got := itCheckRates(t, samples, last+1, simIf1InRate*8, simIf1OutRate*8); got < 3 || before < 1 {
		t.Errorf("%d rows with a rate before the pause and %d after, want at least 1 and 3 (%s)", before, got, itStatuses(samples))
	}
}
