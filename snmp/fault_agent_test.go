package snmp_test

import (
	"math"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// TestFaultAgentLife polls a hostile agent through the real client and
// Poller while it restarts, its sysUpTime wraps at 2^32, it stops answering
// for 10 s, or it answers with a stale reply under request-id 0.
func TestFaultAgentLife(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		interval time.Duration
		polls    int
		// script makes the agent's script from a fresh agent.
		script func(a *ftAgent) agenttest.HostileScript
		// want maps a row to its status; rows not named are ok. Row 1,
		// the first change after the first reading, is pending.
		want map[int]sample.Status
		// gaps, when set, says rows from..to are all gap-timeout.
		gapsFrom, gapsTo int
		// mayTimeOut names a row that may be a gap-timeout instead.
		mayTimeOut int
		check      func(t *testing.T, rows []sample.Sample)
	}{
		{
			// At poll 8 the agent reboots: sysUpTime and counters start again.
			name: "restart", interval: 200 * time.Millisecond, polls: 14,
			script: func(a *ftAgent) agenttest.HostileScript {
				var b *ftAgent
				return ftAnswer(a, func(req agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
					if req.N < 8 {
						return v
					}
					if b == nil {
						b = &ftAgent{boot: req.Time}
					}
					return b.value(oid, req.Time)
				})
			},
			// The first change after the first reading is pending (the
			// rates' baseline); by the restart the counters are known to
			// follow every poll, so the first change after it has a rate.
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending, 7: sample.StatusGapReset},
		},
		{
			// sysUpTime wraps from 2^32-1 to 0 about 1 s in: not a restart.
			name: "sysUpTime wraps", interval: 200 * time.Millisecond, polls: 12,
			script: func(a *ftAgent) agenttest.HostileScript {
				a.upTicks = math.MaxUint32 - 100
				return ftAnswer(a, nil)
			},
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending},
			check: func(t *testing.T, rows []sample.Sample) {
				// The wrap must really have happened within the run.
				if rows[len(rows)-1].Time.Sub(rows[0].Time) < 1500*time.Millisecond {
					t.Errorf("run too short to cross the wrap")
				}
			},
		},
		{
			// From poll 5 the agent answers nothing for 10 s, then
			// answers again: its counters kept counting.
			name: "paused 10 s", interval: 500 * time.Millisecond, polls: 30,
			script: func(a *ftAgent) agenttest.HostileScript {
				answer := ftAnswer(a, nil)
				return func(req agenttest.HostileRequest) []agenttest.HostileReply {
					if req.N >= 5 && req.N <= 24 { // 20 polls of 500 ms
						return nil
					}
					return answer(req)
				}
			},
			want:     map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending},
			gapsFrom: 4, gapsTo: 23,
			check: func(t *testing.T, rows []sample.Sample) {
				for i, s := range rows[4:] {
					if s.Status == sample.StatusGapTimeout {
						continue
					}
					if s.Interval < 10*time.Second {
						t.Errorf("row %d (%s): the first answer after the pause covers %v, want the whole pause bridged", i+4, s.Status, s.Interval)
					}
					return
				}
			},
		},
		{
			// Poll 8 is first answered with request-id 0 and the values of
			// a second earlier, then properly. Request-id 0 is not the
			// poll's id: the stale reply must not be taken for the answer
			// (poll 8 may be lost instead: no spike, no reset).
			name: "stale reply with request-id 0", interval: 200 * time.Millisecond, polls: 12, mayTimeOut: 7,
			script: func(a *ftAgent) agenttest.HostileScript {
				answer := ftAnswer(a, nil)
				return func(req agenttest.HostileRequest) []agenttest.HostileReply {
					replies := answer(req)
					if req.N != 8 {
						return replies
					}
					old := req
					old.Time = req.Time.Add(-time.Second)
					stale := answer(old)[0]
					stale.RequestIDDelta = -int64(req.RequestID)
					return append([]agenttest.HostileReply{stale}, replies...)
				}
			},
			want: map[int]sample.Status{0: sample.StatusFirst, 1: sample.StatusPending},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := agenttest.StartHostile(t, tt.script(ftNewAgent()))
			rows, _ := ftPoll(t, ftDial(t, h), tt.interval, tt.polls, ftTarget(false))
			gaps := 0
			for i := range rows {
				want, ok := tt.want[i]
				switch {
				case ok:
				case tt.gapsTo > 0 && i >= tt.gapsFrom && i <= tt.gapsTo:
					want = sample.StatusGapTimeout
					gaps++
				default:
					want = sample.StatusOK
				}
				if tt.mayTimeOut == i && tt.mayTimeOut > 0 {
					ftWant(t, rows, i, want, sample.StatusGapTimeout)
					continue
				}
				ftWant(t, rows, i, want)
			}
			check := ftTruth
			check.minRates = tt.polls - len(tt.want) - gaps - 1
			check.check(t, rows)
			if tt.check != nil {
				tt.check(t, rows)
			}
		})
	}
}

// TestFaultFrozenCounters polls a hostile agent every 200 ms whose counters
// follow every poll, then stay frozen for 6 s (30 polls, long against the
// hold-off of two poll spacings), then move again, while sysUpTime keeps
// moving. The first change after the first reading is pending: the counters
// are not yet known to follow every poll. The documented hold-off rule
// (RateState.frozen): at most the hold-off's polls are pending, then one ok
// 0 row covers the whole frozen span and one ok 0 per poll follows. When the
// counters resume where they stopped (the interface was idle), the rates
// after are the truth. When they jump by everything the frozen span hid (a
// hung linecard or cache catching up), that jump must not be drawn as a
// spike: a gap at most.
func TestFaultFrozenCounters(t *testing.T) {
	t.Parallel()
	const (
		interval      = 200 * time.Millisecond
		polls         = 50
		freezeFrom    = 11 // polls, 1-based
		freezeTo      = 40
		resumeRow     = freezeTo // the row of the first poll after the freeze
		firstFrozenRw = freezeFrom - 1
	)
	tests := []struct {
		name    string
		catchUp bool
	}{
		{"idle", false},
		{"hung then catches up", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := ftNewAgent()
			var frozeAt, resumedAt time.Time
			change := func(req agenttest.HostileRequest, oid string, v snmp.Variable) snmp.Variable {
				switch {
				case req.N == freezeFrom-1:
					frozeAt = req.Time
				case req.N == freezeTo+1 && resumedAt.IsZero():
					resumedAt = req.Time
				}
				switch {
				case !ftIsCounter(oid) || req.N < freezeFrom:
					return v
				case req.N <= freezeTo:
					return a.value(oid, frozeAt)
				case tt.catchUp:
					return v
				default:
					return a.value(oid, req.Time.Add(-resumedAt.Sub(frozeAt)))
				}
			}
			h := agenttest.StartHostile(t, ftAnswer(a, change))
			rows, _ := ftPoll(t, ftDial(t, h), interval, polls, ftTarget(false))
			t.Logf("%s", itStatuses(rows))

			pending, zeros := 0, 0
			for i, s := range rows {
				frozen := i >= firstFrozenRw && i <= resumeRow
				switch {
				case i == 0:
					ftWant(t, rows, i, sample.StatusFirst)
				case i == 1:
					// The first change after the first reading: the
					// rates' baseline, without a rate.
					ftWant(t, rows, i, sample.StatusPending)
				case s.Status == sample.StatusPending:
					pending++
					if i < firstFrozenRw || i > firstFrozenRw+2 {
						t.Errorf("row %d pending, outside the hold-off after the freeze at row %d", i, firstFrozenRw)
					}
				case s.Status.HasRate() && s.InBps == 0 && s.OutBps == 0:
					zeros++
					if !frozen {
						t.Errorf("row %d (%s): a zero while the counters moved", i, s.Status)
					}
					if zeros == 1 && s.Interval < interval*3/2 {
						t.Errorf("row %d: the first idle zero covers %v, want the frozen span", i, s.Interval)
					}
				case s.Status.HasRate():
					e := math.Abs(s.InBps-ftInRate*8) / (ftInRate * 8)
					if e > ftTruth.tol {
						t.Errorf("row %d (%s, %v): in %.0f b/s, truth %d: a spike", i, s.Status, s.Interval, s.InBps, ftInRate*8)
					}
				case tt.catchUp && i == resumeRow && (s.Status == sample.StatusGapReset || s.Status == sample.StatusGapDiscontinuity):
					// The catch-up may be a gap and a new baseline.
				default:
					t.Errorf("row %d: %s (%s)", i, s.Status, s.Err)
				}
			}
			// Usually 1 or 2; none when a late poll skipped a slot.
			if pending > 3 {
				t.Errorf("%d pending rows, want at most 3 (the hold-off)", pending)
			}
			if zeros < freezeTo-freezeFrom-3 {
				t.Errorf("%d idle zero rows over a %d-poll freeze", zeros, freezeTo-freezeFrom+1)
			}
		})
	}
}
