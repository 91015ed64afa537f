package snmp_test

// The fault matrix at the SNMP layer: the real gosnmp client and
// Poller against a bad network (internal/faultproxy) and against agents that
// misbehave on purpose (agenttest.Hostile). This file holds the shared
// helpers and the packet loss and delay test; fault_hostile_test.go,
// fault_agent_test.go, fault_cache_test.go and fault_walk_test.go hold the
// hostile agent cases.

import (
	"math"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/faultproxy"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// ftPoll runs a Poller with the default timeout over c for count polls and
// returns its samples; lost collects the targets it reported lost.
func ftPoll(t *testing.T, c snmp.Client, interval time.Duration, count int, target snmp.PollTarget) (samples []sample.Sample, lost []string) {
	t.Helper()
	var mu sync.Mutex
	cfg := snmp.PollerConfig{Router: "fault", Interval: interval, Count: count}
	p := snmp.NewPoller(c, cfg, []snmp.PollTarget{target})
	snmp.SetPollerLost(p, func(name string) {
		mu.Lock()
		lost = append(lost, name)
		mu.Unlock()
	})
	ctx := itCtx(t, time.Duration(count+5)*interval+20*time.Second)
	out := make(chan sample.Sample, count+1)
	if err := p.Run(ctx, out); err != nil {
		t.Fatalf("Poller.Run: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("poller did not finish %d polls in time", count)
	}
	close(out)
	for s := range out {
		samples = append(samples, s)
	}
	if len(samples) != count {
		t.Fatalf("%d samples for %d polls", len(samples), count)
	}
	mu.Lock()
	defer mu.Unlock()
	return samples, lost
}

// ftRateCheck says what the rows of a run must show.
type ftRateCheck struct {
	inBps, outBps float64 // the truth
	tol           float64 // allowed relative error of a rate
	minRates      int     // rows that must carry a rate
}

// check asserts the invariants every run must keep, whatever the fault: a
// row without a rate carries no rate and no interval; every rate is finite,
// within tol of the truth, and covers an interval that starts no earlier than
// the previous rate's end (give or take the polls' round trips, which blur
// when the agent read its counters), so no span is counted twice. It
// returns the rows with a rate.
func (c ftRateCheck) check(t *testing.T, samples []sample.Sample) int {
	t.Helper()
	n, worst := 0, 0.0
	var lastEnd time.Time
	var lastRTT time.Duration
	for i, s := range samples {
		if !s.Status.HasRate() {
			if s.InBps != 0 || s.OutBps != 0 || s.Interval != 0 {
				t.Errorf("row %d (%s): rate %.0f/%.0f over %v on a row without a rate", i, s.Status, s.InBps, s.OutBps, s.Interval)
			}
			continue
		}
		n++
		if s.Interval <= 0 {
			t.Errorf("row %d (%s): interval %v", i, s.Status, s.Interval)
		}
		slack := (lastRTT+s.RTT)/2 + 20*time.Millisecond
		if start := s.Time.Add(-s.Interval); !lastEnd.IsZero() && start.Before(lastEnd.Add(-slack)) {
			t.Errorf("row %d (%s): interval starts %v before the previous rate ended: counted twice", i, s.Status, lastEnd.Sub(start))
		}
		lastEnd, lastRTT = s.Time, s.RTT
		for _, d := range []struct {
			dir        string
			got, truth float64
		}{{"in", s.InBps, c.inBps}, {"out", s.OutBps, c.outBps}} {
			if math.IsNaN(d.got) || math.IsInf(d.got, 0) || d.got < 0 {
				t.Errorf("row %d (%s): %s rate %v", i, s.Status, d.dir, d.got)
				continue
			}
			e := math.Abs(d.got-d.truth) / d.truth
			worst = max(worst, e)
			if e > c.tol {
				t.Errorf("row %d (%s, %.3fs, rtt %v): %s %.0f b/s, truth %.0f (error %.1f%%)", i, s.Status, s.Interval.Seconds(), s.RTT, d.dir, d.got, d.truth, 100*e)
			}
		}
	}
	if n < c.minRates {
		t.Errorf("%d rows with a rate, want at least %d (%s)", n, c.minRates, itStatuses(samples))
	}
	t.Logf("%s; %d rates, worst error %.2f%%", itStatuses(samples), n, 100*worst)
	return n
}

// TestFaultLossAndDelay polls snmpsim through a proxy that drops 20% of the
// datagrams and delays the rest (round trips up to 1.2 s), at 1 s with the
// default timeout, for 30 polls: the lost polls are gap-timeout rows without
// values, late replies are never counted (intervals never overlap, and the
// rates account for every octet once), and every rate is within 2% of the
// truth. The loss-only run shows the loss
// handling alone.
func TestFaultLossAndDelay(t *testing.T) {
	tests := []struct {
		name  string
		polls int
		// 20% of the datagrams each way (36% of the round trips); delays
		// of 0..400 ms to the agent and 0..800 ms back make round trips
		// of up to 1.2 s, so about a quarter of the replies come after
		// the poll's 800 ms timeout.
		toAgent, toClient faultproxy.Faults
	}{
		{"loss", 12, faultproxy.Faults{Drop: 0.2}, faultproxy.Faults{Drop: 0.2}},
		{"loss and delay", 30, faultproxy.Faults{Drop: 0.2, MaxDelay: 400 * time.Millisecond}, faultproxy.Faults{Drop: 0.2, MaxDelay: 800 * time.Millisecond}},
	}
	sim := agenttest.StartSnmpsim(t, simData)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxy := faultproxy.Start(t, faultproxy.Config{Upstream: sim.Addr(), ToAgent: tt.toAgent, ToClient: tt.toClient, Seed: 20})
			cfg := simConfig(sim, "2c")
			cfg.Target.Port = proxy.Port()
			cfg.Timeout = 0 // the default
			c := itDial(t, cfg)
			target := snmp.PollTarget{Name: "Gi0/0/0", IfIndex: 1, CounterBits: 64}
			samples, _ := ftPoll(t, c, time.Second, tt.polls, target)

			st := proxy.Stats()
			t.Logf("proxy: %+v", st)
			gaps := itCount(samples, sample.StatusGapTimeout)
			lostRoundTrips := st.ToAgent.Dropped + st.ToClient.Dropped
			if gaps < lostRoundTrips {
				t.Errorf("%d gap-timeout rows for %d lost datagrams", gaps, lostRoundTrips)
			}
			if lostRoundTrips == 0 {
				t.Errorf("the proxy lost nothing in %d polls: the test proves nothing", tt.polls)
			}
			answered := 0
			for i, s := range samples {
				switch {
				case s.Status == sample.StatusGapTimeout:
					if s.HasOctets || s.Err == "" {
						t.Errorf("row %d: gap-timeout with values %v or no reason %q", i, s.HasOctets, s.Err)
					}
				case s.HasOctets:
					answered++
				default:
					t.Errorf("row %d (%s): an answered poll without counters: %s", i, s.Status, s.Err)
				}
			}
			late := st.ToClient.Sent - answered
			switch {
			case late < 0:
				t.Errorf("%d answered polls from %d replies: a reply counted twice", answered, st.ToClient.Sent)
			case tt.toClient.MaxDelay > 0 && late == 0:
				t.Errorf("no reply came late: the run proves nothing about late replies")
			}
			t.Logf("%d replies came after their poll gave up", late)
			// A third of the polls carry a rate, less the first change
			// after `first`, which is pending (the rates' baseline).
			check := ftRateCheck{inBps: simIf1InRate * 8, outBps: simIf1OutRate * 8, tol: 0.02, minRates: tt.polls/3 - 1}
			check.check(t, samples)
			ftConserved(t, samples)
		})
	}
}

// ftConserved asserts that the rates of a run without resets account for
// every octet exactly once: rate × interval summed over the rows with a
// rate is the counters' growth from the rates' baseline to the last row with
// a rate, however many polls were lost or late in between. The baseline is
// the first counter change after the `first` row, which is the one pending
// row the run may have: the first reading may be stale, so the rates start
// from a change seen.
func ftConserved(t *testing.T, samples []sample.Sample) {
	t.Helper()
	var first, base, last *sample.Sample
	var in, out float64
	for i := range samples {
		s := &samples[i]
		switch {
		case s.Status == sample.StatusFirst && first == nil:
			first, base = s, s
		case s.Status == sample.StatusPending && base == first && first != nil && last == nil:
			base = s
		case s.Status.HasRate():
			in += s.InBps / 8 * s.Interval.Seconds()
			out += s.OutBps / 8 * s.Interval.Seconds()
			last = s
		case s.Status != sample.StatusGapTimeout:
			t.Errorf("row %d: a %s row in a run that should have only timeouts and the pending first change (%s)", i, s.Status, itStatuses(samples))
			return
		}
	}
	if first == nil || last == nil {
		t.Errorf("no first row or no rate")
		return
	}
	if base == first {
		t.Errorf("no pending row for the first change after the first reading (%s)", itStatuses(samples))
		return
	}
	for _, d := range []struct {
		dir       string
		sum, grew float64
	}{
		{"in", in, float64(last.InOctets - base.InOctets)},
		{"out", out, float64(last.OutOctets - base.OutOctets)},
	} {
		if math.Abs(d.sum-d.grew) > 1+1e-9*d.grew {
			t.Errorf("%s: the rates account for %.0f octets, the counter grew %.0f", d.dir, d.sum, d.grew)
		}
	}
}

// ftAgent is the interface a hostile agent serves in the fault tests:
// ifIndex ftIfIndex, whose Counter64 counters grow at constant rates from
// boot, read at the moment a request arrives. Each test changes what it
// answers per poll with an ftChange.
type ftAgent struct {
	boot      time.Time
	upTicks   uint64 // sysUpTime at boot
	in0, out0 uint64 // counters at boot
}

const (
	ftIfIndex = 7
	ftInRate  = 1250000 // octets per second
	ftOutRate = 432100
	ftAlias   = "alice@isp"
	// ftSpeed is the link speed, twice the in rate: the cap on any
	// plausible rate.
	ftSpeed = 20_000_000
)

func ftNewAgent() *ftAgent {
	return &ftAgent{boot: time.Now(), upTicks: 100, in0: 5e12, out0: 7e12}
}

func ftOID(col string) string { return col + "." + strconv.Itoa(ftIfIndex) }

// value is what the agent answers for oid at time at.
func (a *ftAgent) value(oid string, at time.Time) snmp.Variable {
	secs := at.Sub(a.boot).Seconds()
	switch oid {
	case snmp.OIDSysUpTime:
		return snmp.Variable{Kind: snmp.KindTimeTicks, Uint: (a.upTicks + uint64(secs*100)) & math.MaxUint32}
	case ftOID(snmp.OIDIfHCInOctets):
		return snmp.Variable{Kind: snmp.KindCounter64, Uint: a.in0 + uint64(ftInRate*secs)}
	case ftOID(snmp.OIDIfHCOutOctets):
		return snmp.Variable{Kind: snmp.KindCounter64, Uint: a.out0 + uint64(ftOutRate*secs)}
	case ftOID(snmp.OIDIfCounterDiscontinuityTime):
		return snmp.Variable{Kind: snmp.KindTimeTicks}
	case ftOID(snmp.OIDIfAlias):
		return snmp.Variable{Kind: snmp.KindOctetString, Bytes: []byte(ftAlias)}
	}
	return snmp.Variable{Kind: snmp.KindNoSuchObject}
}

// ftIsCounter reports whether oid is one of the agent's counters.
func ftIsCounter(oid string) bool {
	return oid == ftOID(snmp.OIDIfHCInOctets) || oid == ftOID(snmp.OIDIfHCOutOctets)
}

// ftTarget is the PollTarget of the agent's interface; identity adds the
// ifAlias check.
func ftTarget(identity bool) snmp.PollTarget {
	t := snmp.PollTarget{Name: "alice", IfIndex: ftIfIndex, CounterBits: 64, SpeedBps: ftSpeed}
	if identity {
		t.IdentityOID, t.IdentityValue = ftOID(snmp.OIDIfAlias), ftAlias
	}
	return t
}

// ftWant asserts the status of row i (poll i+1).
func ftWant(t *testing.T, samples []sample.Sample, i int, want ...sample.Status) {
	t.Helper()
	if i >= len(samples) {
		t.Errorf("row %d missing", i)
		return
	}
	for _, w := range want {
		if samples[i].Status == w {
			return
		}
	}
	t.Errorf("row %d: %s (%s), want %v; rows: %s", i, samples[i].Status, samples[i].Err, want, itStatuses(samples))
}

// ftDial dials the hostile agent.
func ftDial(t *testing.T, h *agenttest.Hostile) snmp.Client {
	t.Helper()
	return itDial(t, h.Config())
}

// ftChange changes what the agent answers for one varbind of a request.
type ftChange func(req agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable

// ftAnswer is the script of an agent that answers every GET from a, each
// varbind passed through change (when set).
func ftAnswer(a *ftAgent, change ftChange) agenttest.HostileScript {
	return func(req agenttest.HostileRequest) []agenttest.HostileReply {
		if req.Type != agenttest.PDUGet {
			return nil
		}
		return []agenttest.HostileReply{agenttest.AnswerGet(req, func(oid string) snmp.Variable {
			v := a.value(oid, req.Time)
			if change != nil {
				v = change(req, oid, v)
			}
			return v
		})}
	}
}
