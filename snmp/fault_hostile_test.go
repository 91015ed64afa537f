package snmp_test

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// ftTruth is the rate check of the hostile agent's interface. Its 20%
// allow 40 ms of scheduling noise between the agent's and the poller's
// clocks on a 200 ms poll on a loaded machine (many agents run at once
// under -race); the faults it catches (spikes, fake zeros) are several
// times the truth. Precision is tested against snmpsim.
var ftTruth = ftRateCheck{inBps: ftInRate * 8, outBps: ftOutRate * 8, tol: 0.20}

// ftPolls returns the change that applies during polls from..to (1-based,
// inclusive) only.
func ftPolls(from, to int, change ftChange) ftChange {
	return func(req agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
		if req.N >= from && req.N <= to {
			return change(req, oid, v)
		}
		return v
	}
}

// TestFaultHostileAgent polls a hostile agent every 200 ms with the
// default timeout through the real client and Poller. Each case scripts one
// misbehaviour by poll number and asserts the documented statuses of the
// rows around it; every run also keeps the invariants of ftRateCheck (no
// rate on a gap row, no rate off the truth: no spike, no fake zero).
func TestFaultHostileAgent(t *testing.T) {
	t.Parallel()
	counterAs := func(kind snmp.Kind, bytes []byte) ftChange {
		return func(_ agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
			if oid == ftOID(snmp.OIDIfHCInOctets) {
				return snmp.Variable{Kind: kind, Uint: v.Uint, Int: -1, Bytes: bytes}
			}
			return v
		}
	}
	huge := bytes.Repeat([]byte("x"), 60000)
	tests := []struct {
		name     string
		polls    int
		identity bool
		change   ftChange
		// want maps a row (poll-1) to its status; rows not named are ok.
		// The first change after the first reading or a gap's baseline
		// is pending, unless the counters are known by then to follow
		// every poll (three one-poll spans in a row).
		want     map[int]sample.Status
		wantLost int // targets reported lost
		check    func(t *testing.T, rows []sample.Sample)
		// wrap, when set, changes the replies themselves.
		wrap func(agenttest.HostileScript) agenttest.HostileScript
	}{
		{
			name: "wrong types", polls: 16,
			// Polls 5..10 answer one counter (in on odd polls, out on
			// even ones) with another type.
			change: func(req agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
				kinds := map[int]snmp.Kind{5: snmp.KindOctetString, 6: snmp.KindGauge32, 7: snmp.KindInteger, 8: snmp.KindNull, 9: snmp.KindOther, 10: snmp.KindNoSuchObject}
				if k, ok := kinds[req.N]; ok && ftIsCounter(oid) && (oid == ftOID(snmp.OIDIfHCInOctets)) == (req.N%2 == 1) {
					return snmp.Variable{Kind: k, Uint: v.Uint, Int: -1, Bytes: []byte("12345")}
				}
				return v
			},
			// Two spans seen before the gap: not yet known to follow.
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending, 4: sample.StatusGapDiscontinuity, 5: sample.StatusGapDiscontinuity, 6: sample.StatusGapDiscontinuity,
				7: sample.StatusGapDiscontinuity, 8: sample.StatusGapDiscontinuity, 9: sample.StatusGapDiscontinuity, 10: sample.StatusGapDiscontinuity, 11: sample.StatusPending},
		},
		{
			// sysUpTime is only a cross-check: a garbled one costs no rate.
			name: "sysUpTime wrong type", polls: 10,
			change: ftPolls(4, 6, func(_ agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
				if oid == snmp.OIDSysUpTime {
					return snmp.Variable{Kind: snmp.KindOctetString, Bytes: []byte("up")}
				}
				return v
			}),
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending},
		},
		{
			name: "huge OCTET STRING counter", polls: 10,
			change: ftPolls(4, 4, counterAs(snmp.KindOctetString, huge)),
			want:   map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending, 3: sample.StatusGapDiscontinuity, 4: sample.StatusGapDiscontinuity, 5: sample.StatusPending},
		},
		{
			name: "huge OCTET STRING identity", polls: 10, identity: true,
			change: ftPolls(4, 4, func(_ agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
				if oid == ftOID(snmp.OIDIfAlias) {
					return snmp.Variable{Kind: snmp.KindOctetString, Bytes: huge}
				}
				return v
			}),
			// One span seen before the loss: not yet known to follow.
			want:     map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending, 3: sample.StatusGapDiscontinuity, 4: sample.StatusReconnected, 5: sample.StatusPending},
			wantLost: 1,
		},
		{
			name: "Counter64 to Counter32 and back", polls: 16,
			change: ftPolls(6, 11, func(_ agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
				if ftIsCounter(oid) {
					return snmp.Variable{Kind: snmp.KindCounter32, Uint: v.Uint & math.MaxUint32}
				}
				return v
			}),
			// Three one-poll spans before the change: known to follow
			// every poll, so the first changes after the gaps have rates.
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending, 5: sample.StatusGapDiscontinuity, 11: sample.StatusGapDiscontinuity},
			check: func(t *testing.T, rows []sample.Sample) {
				for i, s := range rows {
					want := 64
					if i >= 5 && i <= 10 {
						want = 32
					}
					if s.CounterBits != want {
						t.Errorf("row %d: %d-bit counters, want %d", i, s.CounterBits, want)
					}
				}
			},
		},
		{
			name: "vanished interface", polls: 16,
			change: ftPolls(6, 9, ftVanish),
			// Known to follow every poll before it vanished (as above).
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending, 5: sample.StatusGapDiscontinuity, 6: sample.StatusGapDiscontinuity,
				7: sample.StatusGapDiscontinuity, 8: sample.StatusGapDiscontinuity, 9: sample.StatusGapDiscontinuity},
			check: ftNoOctets(5, 8),
		},
		{
			name: "vanished interface with identity", polls: 16, identity: true,
			change: ftPolls(6, 9, ftVanish),
			// What was learnt about the agent carries over to the session
			// found again: known to follow every poll, so its first change
			// has a rate.
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending, 5: sample.StatusGapDiscontinuity, 6: sample.StatusGapDiscontinuity,
				7: sample.StatusGapDiscontinuity, 8: sample.StatusGapDiscontinuity, 9: sample.StatusReconnected},
			wantLost: 1,
			check:    ftNoOctets(5, 8),
		},
		{
			name: "announced discontinuity", polls: 10,
			change: ftPolls(5, 10, func(_ agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
				if oid == ftOID(snmp.OIDIfCounterDiscontinuityTime) {
					return snmp.Variable{Kind: snmp.KindTimeTicks, Uint: 4242}
				}
				return v
			}),
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending, 4: sample.StatusGapDiscontinuity, 5: sample.StatusPending},
		},
		{
			name: "request-id mismatch", polls: 12, wrap: ftMismatch,
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending, 4: sample.StatusGapTimeout, 5: sample.StatusGapTimeout, 8: sample.StatusGapTimeout},
			check: func(t *testing.T, rows []sample.Sample) {
				if rows[6].Interval < 500*time.Millisecond {
					t.Errorf("row 6 bridges %v, want the 3 polls since row 3", rows[6].Interval)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := ftNewAgent()
			script := ftAnswer(a, tt.change)
			if tt.wrap != nil {
				script = tt.wrap(script)
			}
			h := agenttest.StartHostile(t, script)
			rows, lost := ftPoll(t, ftDial(t, h), 200*time.Millisecond, tt.polls, ftTarget(tt.identity))
			for i := range rows {
				want, ok := tt.want[i]
				if !ok {
					want = sample.StatusOK
				}
				ftWant(t, rows, i, want)
			}
			if len(lost) != tt.wantLost {
				t.Errorf("reported lost %d times (%v), want %d", len(lost), lost, tt.wantLost)
			}
			check := ftTruth
			check.minRates = tt.polls - len(tt.want)
			check.check(t, rows)
			if tt.check != nil {
				tt.check(t, rows)
			}
		})
	}
}

// ftVanish answers noSuchInstance for every column of the interface.
func ftVanish(_ agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
	if oid != snmp.OIDSysUpTime {
		return snmp.Variable{Kind: snmp.KindNoSuchInstance}
	}
	return v
}

// ftNoOctets asserts rows from..to carry no counters, and say why.
func ftNoOctets(from, to int) func(t *testing.T, rows []sample.Sample) {
	return func(t *testing.T, rows []sample.Sample) {
		for i := from; i <= to && i < len(rows); i++ {
			if rows[i].HasOctets || rows[i].Err == "" {
				t.Errorf("row %d (%s): counters %v, reason %q; want none and a reason", i, rows[i].Status, rows[i].HasOctets, rows[i].Err)
			}
		}
	}
}

// ftMismatch wraps a script: polls 5 and 6 are answered with a wrong
// request-id only (a timeout for the client), and poll 9's right answer
// comes 300 ms late, into poll 10's wait, where it must not be taken for
// poll 10's answer.
func ftMismatch(script agenttest.HostileScript) agenttest.HostileScript {
	return func(req agenttest.HostileRequest) []agenttest.HostileReply {
		replies := script(req)
		switch req.N {
		case 5, 6:
			for i := range replies {
				replies[i].RequestIDDelta = 1000
			}
		case 9:
			for i := range replies {
				replies[i].Delay = 300 * time.Millisecond
			}
		}
		return replies
	}
}
