package snmp_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/faultproxy"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// csubColumn is the simulator's csubSessionUsername, indexed by ifIndex.
const csubColumn = "1.3.6.1.4.1.9.9.786.1.1.1.1.24"

// lateLink drops 20% of the replies and holds back half of the others by
// up to 800 ms: with a 300 ms timeout, a third of the replies come after
// their attempt gave up, many while a later request waits.
var lateLink = faultproxy.Faults{Drop: 0.2, Delayed: 0.5, MaxDelay: 800 * time.Millisecond}

// proxied returns a client of the simulator through a new proxy with
// faults: 300 ms per attempt, 10 retries.
func proxied(t *testing.T, sim *brassim.Sim, faults faultproxy.Faults, seed uint64) (snmp.Client, *faultproxy.Proxy) {
	t.Helper()
	p := faultproxy.Start(t, faultproxy.Config{Upstream: sim.Addr(), ToClient: faults, Seed: seed})
	target, err := snmp.ParseTarget(p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	return itDial(t, snmp.Config{Target: target, Community: secret.Secret(sim.Community()), Timeout: 300 * time.Millisecond, Retries: 10}), p
}

// TestRetriedWalksExact walks long columns through a link that
// loses and delays replies, so that requests are resent and late answers
// to earlier requests arrive while later ones wait: BulkWalk and
// ScanColumn read exactly the rows of a walk over a clean link, each once
// and (BulkWalk) in order — every resent GETBULK asks from the last row
// it got, and an answer is only taken for its own request.
func TestRetriedWalksExact(t *testing.T) {
	if testing.Short() {
		t.Skip("walks through fault proxies")
	}
	t.Parallel()
	// ScanColumn needs a longer column than BulkWalk for as many requests.
	big := agenttest.StartSim(t, brassim.Options{Sessions: 3000, Seed: 7, NoSSH: true})
	small := agenttest.StartSim(t, brassim.Options{Sessions: 1000, Seed: 7, NoSSH: true})
	clean := func(sim *brassim.Sim) []string {
		target, err := snmp.ParseTarget(sim.Addr())
		if err != nil {
			t.Fatal(err)
		}
		c := itDial(t, snmp.Config{Target: target, Community: secret.Secret(sim.Community()), Timeout: 3 * time.Second})
		return scanAll(t, c, csubColumn)
	}
	wantBig, wantSmall := clean(big), clean(small)
	if len(wantBig) != 3000 || len(wantSmall) != 1000 {
		t.Fatalf("clean scans read %d and %d rows, the simulators have 3000 and 1000 sessions", len(wantBig), len(wantSmall))
	}

	t.Run("ScanColumn", func(t *testing.T) {
		t.Parallel()
		c, p := proxied(t, big, lateLink, 1)
		counted := &countingClient{Client: c}
		sameRows(t, "ScanColumn through a lossy link", scanAll(t, counted, csubColumn), wantBig)
		st := p.Stats()
		t.Logf("%d GETBULKs answered; %d sent to the agent, %d replies dropped, %d delivered", counted.requests, st.ToAgent.Received, st.ToClient.Dropped, st.ToClient.Sent)
		if st.ToAgent.Received <= counted.requests || st.ToClient.Sent <= counted.requests {
			t.Errorf("no request was resent or no reply came late (%d GETBULKs, %+v): the test proves nothing", counted.requests, st)
		}
	})
	t.Run("BulkWalk", func(t *testing.T) {
		t.Parallel()
		c, p := proxied(t, small, lateLink, 2)
		var got []string
		err := c.BulkWalk(itCtx(t, 2*time.Minute), csubColumn, func(v snmp.Variable) error {
			got = append(got, v.OID+"="+v.Text())
			return nil
		})
		if err != nil {
			t.Fatalf("BulkWalk: %v", err)
		}
		sameRows(t, "BulkWalk through a lossy link", got, wantSmall)
		st := p.Stats()
		minRequests := len(wantSmall)/snmp.DefaultMaxRepetitions + 1
		t.Logf("%d sent to the agent for at least %d GETBULKs, %d replies dropped", st.ToAgent.Received, minRequests, st.ToClient.Dropped)
		if st.ToAgent.Received <= minRequests {
			t.Errorf("no request was resent (%+v): the test proves nothing", st)
		}
	})
}

// TestPollsNeverResent polls through a link that answers nothing with
// -r 5: each poll is sent once, whether the poll's deadline is 80% of the
// interval or a -t below it, and is a gap-timeout row.
func TestPollsNeverResent(t *testing.T) {
	if testing.Short() {
		t.Skip("polls through a fault proxy")
	}
	t.Parallel()
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 5, Seed: 8, NoSSH: true})
	tests := []struct {
		name              string
		timeout, interval time.Duration
		pollTimeout       time.Duration // the poller's deadline, as the CLI sets it
	}{
		{"-t above 80% of the interval", time.Second, 500 * time.Millisecond, 400 * time.Millisecond},
		{"-t below 80% of the interval", 200 * time.Millisecond, 500 * time.Millisecond, 200 * time.Millisecond},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := faultproxy.Start(t, faultproxy.Config{Upstream: sim.Addr(), ToClient: faultproxy.Faults{Drop: 1}, Seed: uint64(i)})
			target, err := snmp.ParseTarget(p.Addr())
			if err != nil {
				t.Fatal(err)
			}
			c := itDial(t, snmp.Config{Target: target, Community: secret.Secret(sim.Community()), Timeout: tt.timeout, Retries: 5})
			const polls = 3
			poller := snmp.NewPoller(c, snmp.PollerConfig{Router: p.Addr(), Interval: tt.interval, Timeout: tt.pollTimeout, Count: polls},
				[]snmp.PollTarget{{Name: "Te0/0/0", IfIndex: 1, CounterBits: 64}})
			out := make(chan sample.Sample, polls)
			if err := poller.Run(itCtx(t, time.Minute), out); err != nil {
				t.Fatal(err)
			}
			close(out)
			rows := 0
			for s := range out {
				rows++
				if s.Status != sample.StatusGapTimeout {
					t.Errorf("row %d: %s, want gap-timeout", rows, s.Status)
				}
			}
			if got := p.Stats().ToAgent.Received; rows != polls || got != polls {
				t.Errorf("%d rows from %d requests, want %d of each: a poll was resent", rows, got, polls)
			}
		})
	}
}

// TestRetryReport checks what WithRetryReport reports: every resend after
// an unanswered attempt, numbered; nothing for requests answered at once,
// nor for the immediate resends of an SNMPv3 request the agent refuses.
func TestRetryReport(t *testing.T) {
	if testing.Short() {
		t.Skip("requests through a fault proxy")
	}
	t.Parallel()
	v3 := &brassim.V3User{Name: "stg-retry", AuthProto: "SHA", AuthPass: "retry-authpass-x7", PrivProto: "AES", PrivPass: "retry-privpass-x7"}
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 5, Seed: 9, NoSSH: true, V3: v3})
	target, err := snmp.ParseTarget(sim.Addr())
	if err != nil {
		t.Fatal(err)
	}
	dead := faultproxy.Start(t, faultproxy.Config{Upstream: sim.Addr(), ToClient: faultproxy.Faults{Drop: 1}})
	deadTarget, err := snmp.ParseTarget(dead.Addr())
	if err != nil {
		t.Fatal(err)
	}
	v2 := func(tg snmp.Target) snmp.Config {
		return snmp.Config{Target: tg, Community: secret.Secret(sim.Community()), Timeout: 200 * time.Millisecond, Retries: 2}
	}
	wrongAuth := snmp.Config{Target: target, Version: "3", SecName: v3.Name, AuthPass: "wrong-authpass-x7", PrivPass: secret.Secret(v3.PrivPass),
		Timeout: 200 * time.Millisecond, Retries: 2}
	tests := []struct {
		name    string
		cfg     snmp.Config
		wantErr error // nil: any error or none
		want    []string
	}{
		{"no answer", v2(deadTarget), snmp.ErrTimeout, []string{
			"get sysUpTime.0 on " + dead.Addr() + ": no answer for 200ms, asking again (2 of 3)",
			"get sysUpTime.0 on " + dead.Addr() + ": no answer for 400ms, asking again (3 of 3)"}},
		{"answered", v2(target), nil, nil},
		{"refused SNMPv3 request", wrongAuth, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var got []string
			ctx := snmp.WithRetryReport(itCtx(t, time.Minute), func(r snmp.Retry) {
				mu.Lock()
				defer mu.Unlock()
				// Round the waits to the timeout: a loaded machine adds a little.
				r.Waited = r.Waited.Truncate(200 * time.Millisecond)
				got = append(got, r.String())
			})
			_, err := itDial(t, tt.cfg).Get(ctx, []string{snmp.OIDSysUpTime})
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Get: %v, want %v", err, tt.wantErr)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("reports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
