package snmp

import (
	"math"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// rsT0 is the base of the test clock; Readings are placed at rsT0 + at.
var rsT0 = time.Now()

// rsUpTime0 is sysUpTime at rsT0 in the readings built by poll.
const rsUpTime0 = 123_456

// rsReading builds a Reading for the table tests.
type rsReading Reading

// poll is a Counter64 reading at rsT0+at whose sysUpTime follows the clock.
func rsPoll(at time.Duration, in, out uint64) rsReading {
	return rsReading{
		Time:        rsT0.Add(at),
		UpTimeTicks: rsUpTime0 + uint64(at/(10*time.Millisecond)),
		HasUpTime:   true,
		InOctets:    in,
		OutOctets:   out,
		InKind:      KindCounter64,
		OutKind:     KindCounter64,
	}
}

// timeout is a poll at rsT0+at that got no answer.
func rsTimeout(at time.Duration) rsReading {
	return rsReading{Time: rsT0.Add(at), TimedOut: true}
}

func (r rsReading) c32() rsReading { r.InKind, r.OutKind = KindCounter32, KindCounter32; return r }

func (r rsReading) up(ticks uint64) rsReading { r.UpTimeTicks = ticks; return r }

func (r rsReading) rtt(d time.Duration) rsReading { r.RTT = d; return r }

func (r rsReading) noUp() rsReading { r.HasUpTime, r.UpTimeTicks = false, 0; return r }

func (r rsReading) disc(ticks uint64) rsReading {
	r.DiscontinuityTicks, r.HasDiscontinuity = ticks, true
	return r
}

func (r rsReading) inKind(k Kind) rsReading { r.InKind = k; return r }

func (r rsReading) outKind(k Kind) rsReading { r.OutKind = k; return r }

// rsStep is one Update and what it must return.
type rsStep struct {
	r      rsReading
	status sample.Status
	// inOctets and outOctets over span give the expected rate; span is
	// also the expected Interval. All zero for rows without a rate.
	inOctets, outOctets uint64
	span                time.Duration
	// period, when not -1, is the expected CachePeriod.
	period time.Duration
}

// rsAnyPeriod marks a step whose CachePeriod is not checked.
const rsAnyPeriod = -1

func rsWant(r rsReading, s sample.Status) rsStep { return rsStep{r: r, status: s, period: rsAnyPeriod} }

func rsRate(r rsReading, s sample.Status, in, out uint64, span time.Duration) rsStep {
	return rsStep{r: r, status: s, inOctets: in, outOctets: out, span: span, period: rsAnyPeriod}
}

func (s rsStep) withPeriod(p time.Duration) rsStep { s.period = p; return s }

const oneSec = time.Second

// rsCacheRun returns polls every second from `from` to `to` (inclusive, in
// seconds) of an agent whose counters refresh every `every` seconds and
// grow by perRefresh each refresh; the first poll is the baseline.
func rsCacheRun(from, to, every int, perRefresh uint64) []rsReading {
	var rs []rsReading
	for i := from; i <= to; i++ {
		v := uint64((i-from)/every) * perRefresh
		rs = append(rs, rsPoll(time.Duration(i)*oneSec, v, v/2))
	}
	return rs
}

func TestRateStateUpdate(t *testing.T) {
	const top32 = math.MaxUint32
	const gig = 1_000_000_000
	tests := []struct {
		name     string
		speedBps uint64
		// cold cases start from nothing; the others from a baseline
		// that was seen changing (rsWarm), as after the first change.
		cold  bool
		steps []rsStep
	}{
		{name: "first reading is a baseline without rate", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 2000), sample.StatusFirst),
		}},
		{name: "increase divides by the midpoint span, not the interval", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 2000), sample.StatusFirst),
			rsRate(rsPoll(1200*time.Millisecond, 2500, 2300), sample.StatusOK, 1500, 300, 1200*time.Millisecond),
			rsRate(rsPoll(2100*time.Millisecond, 2600, 2300), sample.StatusOK, 100, 0, 900*time.Millisecond),
		}},
		{name: "32-bit wrap within link speed is unwound", speedBps: gig, steps: []rsStep{
			rsWant(rsPoll(0, top32-999, 10).c32(), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 4000, 110).c32(), sample.StatusWrap, 5000, 100, oneSec),
			rsRate(rsPoll(2*oneSec, 5000, 120).c32(), sample.StatusOK, 1000, 10, oneSec),
		}},
		{name: "32-bit wrap in the out direction only", speedBps: gig, steps: []rsStep{
			rsWant(rsPoll(0, 10, top32-99).c32(), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 20, 50).c32(), sample.StatusWrap, 10, 150, oneSec),
		}},
		{name: "32-bit unwound delta exactly at speed times margin is a wrap", speedBps: 8000, steps: []rsStep{
			rsWant(rsPoll(0, top32-499, 0).c32(), sample.StatusFirst),
			// 8000 b/s = 1000 B/s; over 1 s with margin 1.5: 1500 octets.
			rsRate(rsPoll(oneSec, 1000, 0).c32(), sample.StatusWrap, 1500, 0, oneSec),
		}},
		{name: "32-bit unwound delta one octet above speed times margin is a reset", speedBps: 8000, steps: []rsStep{
			rsWant(rsPoll(0, top32-500, 0).c32(), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 1000, 0).c32(), sample.StatusGapReset),
			rsWant(rsPoll(2*oneSec, 1400, 8).c32(), sample.StatusPending),
			rsRate(rsPoll(3*oneSec, 1800, 16).c32(), sample.StatusOK, 400, 8, oneSec),
		}},
		{name: "32-bit decrease too large for the link is a reset", speedBps: 1_000_000, steps: []rsStep{
			rsWant(rsPoll(0, 3_000_000_000, 5).c32(), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 1_000_000_000, 6).c32(), sample.StatusGapReset),
			rsWant(rsPoll(2*oneSec, 1_000_050_000, 7).c32(), sample.StatusPending),
			rsRate(rsPoll(3*oneSec, 1_000_100_000, 8).c32(), sample.StatusOK, 50_000, 1, oneSec),
		}},
		{name: "32-bit decrease with unknown speed is a reset", speedBps: 0, steps: []rsStep{
			rsWant(rsPoll(0, top32-10, 0).c32(), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 10, 1).c32(), sample.StatusGapReset),
			rsWant(rsPoll(2*oneSec, 20, 2).c32(), sample.StatusPending),
			rsRate(rsPoll(3*oneSec, 30, 3).c32(), sample.StatusOK, 10, 1, oneSec),
		}},
		{name: "32-bit wrap over a longer span uses the span for the speed check", speedBps: 8000, steps: []rsStep{
			rsWant(rsPoll(0, top32-1999, 0).c32(), sample.StatusFirst),
			rsWant(rsTimeout(oneSec), sample.StatusGapTimeout),
			// 2000+500 octets over 2 s is within 1000 B/s * 2 s * 1.5.
			rsRate(rsPoll(2*oneSec, 500, 0).c32(), sample.StatusWrap, 2500, 0, 2*oneSec),
		}},
		{name: "64-bit decrease is never a wrap", speedBps: 100 * gig, steps: []rsStep{
			rsWant(rsPoll(0, math.MaxUint64-10, 100), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 5, 200), sample.StatusGapReset),
			rsWant(rsPoll(2*oneSec, 105, 300), sample.StatusPending),
			rsRate(rsPoll(3*oneSec, 205, 400), sample.StatusOK, 100, 100, oneSec),
		}},
		{name: "sysUpTime going back is an agent restart", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 2000, 1500), sample.StatusOK, 1000, 500, oneSec),
			rsWant(rsPoll(2*oneSec, 3000, 2000).up(50), sample.StatusGapReset),
			rsWant(rsPoll(3*oneSec, 3100, 2050).up(150), sample.StatusPending),
			rsRate(rsPoll(4*oneSec, 3200, 2100).up(250), sample.StatusOK, 100, 50, oneSec),
		}},
		{name: "sysUpTime restart is seen even when counters still grow", speedBps: gig, steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).c32(), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 900_000, 900_000).c32().up(10), sample.StatusGapReset),
		}},
		{name: "sysUpTime wrapping at 2^32 is not a restart", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).up(top32-49), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 2000, 1000).up(50), sample.StatusOK, 1000, 0, oneSec),
		}},
		{name: "sysUpTime wrap whose unwound delta disagrees with the clock is a restart", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).up(top32-49), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 2000, 1000).up(5000), sample.StatusGapReset),
		}},
		{name: "agent down longer than it was up: sysUpTime lags the clock, a restart", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).up(300), sample.StatusFirst),
			rsWant(rsTimeout(5*oneSec), sample.StatusGapTimeout),
			// 10 s passed, sysUpTime moved 2 s: the agent restarted 2 s ago.
			rsWant(rsPoll(10*oneSec, 1500, 1500).up(500), sample.StatusGapReset),
			rsWant(rsPoll(11*oneSec, 1600, 1700).up(600), sample.StatusPending),
			rsRate(rsPoll(12*oneSec, 1700, 1900).up(700), sample.StatusOK, 100, 200, oneSec),
		}},
		{name: "sysUpTime lagging within the slack is no restart", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).up(300), sample.StatusFirst),
			rsRate(rsPoll(10*oneSec, 2000, 2000).up(300+850), sample.StatusOK, 1000, 1000, 10*oneSec),
		}},
		{name: "slow round trips: the rate is timed by sysUpTime when both clocks agree", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).rtt(600*time.Millisecond), sample.StatusFirst),
			// The midpoints say 1.25 s, the agent's clock 1 s, within the
			// round trips' uncertainty: the agent's clock wins.
			rsRate(rsPoll(1250*time.Millisecond, 2000, 3000).up(rsUpTime0+100).rtt(100*time.Millisecond), sample.StatusOK, 1000, 2000, oneSec),
		}},
		{name: "slow round trips but sysUpTime disagrees: the midpoints time the rate", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).rtt(200*time.Millisecond), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 2000, 3000).up(rsUpTime0+150).rtt(200*time.Millisecond), sample.StatusOK, 1000, 2000, oneSec),
		}},
		{name: "fast round trips: the midpoints time the rate", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).rtt(10*time.Millisecond), sample.StatusFirst),
			rsRate(rsPoll(1010*time.Millisecond, 2000, 3000).up(rsUpTime0+100).rtt(10*time.Millisecond), sample.StatusOK, 1000, 2000, 1010*time.Millisecond),
		}},
		{name: "sysUpTime missing skips the restart check", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).noUp(), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 1800, 1100).noUp(), sample.StatusOK, 800, 100, oneSec),
		}},
		{name: "changed ifCounterDiscontinuityTime is a discontinuity", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000).disc(0), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 2000, 1000).disc(0), sample.StatusOK, 1000, 0, oneSec),
			rsWant(rsPoll(2*oneSec, 2500, 1200).disc(150), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(3*oneSec, 2600, 1300).disc(150), sample.StatusPending),
			rsRate(rsPoll(4*oneSec, 2700, 1400).disc(150), sample.StatusOK, 100, 100, oneSec),
		}},
		{name: "ifCounterDiscontinuityTime appearing is not a discontinuity", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 2000, 1000).disc(7), sample.StatusOK, 1000, 0, oneSec),
		}},
		{name: "missing counter drops the baseline and is never 0", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 0, 1100).inKind(KindNoSuchInstance), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(2*oneSec, 3000, 1200), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(3*oneSec, 3100, 1300), sample.StatusPending),
			rsRate(rsPoll(4*oneSec, 3200, 1400), sample.StatusOK, 100, 100, oneSec),
		}},
		{name: "missing counter on the first reading", steps: []rsStep{
			rsWant(rsPoll(0, 0, 0).outKind(KindNoSuchObject), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(oneSec, 10, 10), sample.StatusFirst),
		}},
		{name: "counter changing kind is a new baseline", speedBps: gig, steps: []rsStep{
			rsWant(rsPoll(0, 5_000_000_000, 1000), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 7000, 2000).c32(), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(2*oneSec, 9000, 2500).c32(), sample.StatusPending),
			rsRate(rsPoll(3*oneSec, 11000, 3000).c32(), sample.StatusOK, 2000, 500, oneSec),
			rsWant(rsPoll(4*oneSec, 5_000_100_000, 3000), sample.StatusGapDiscontinuity),
		}},
		{name: "timeout keeps the baseline and the next answer bridges", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 2000, 1100), sample.StatusOK, 1000, 100, oneSec),
			rsWant(rsTimeout(2*oneSec), sample.StatusGapTimeout),
			rsWant(rsTimeout(3*oneSec), sample.StatusGapTimeout),
			rsRate(rsPoll(4*oneSec, 5000, 1400), sample.StatusOK, 3000, 300, 3*oneSec),
		}},
		{name: "timeout before the first answer", steps: []rsStep{
			rsWant(rsTimeout(0), sample.StatusGapTimeout),
			rsWant(rsPoll(oneSec, 10, 10), sample.StatusFirst),
			rsWant(rsPoll(2*oneSec, 20, 30), sample.StatusPending),
			rsRate(rsPoll(3*oneSec, 30, 50), sample.StatusOK, 10, 20, oneSec),
		}},
		{name: "restart right after a timeout", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 2000, 1100), sample.StatusOK, 1000, 100, oneSec),
			rsWant(rsTimeout(2*oneSec), sample.StatusGapTimeout),
			rsWant(rsPoll(3*oneSec, 4000, 4000).up(300), sample.StatusGapReset),
			rsWant(rsPoll(4*oneSec, 4100, 4200).up(400), sample.StatusPending),
			rsRate(rsPoll(5*oneSec, 4200, 4400).up(500), sample.StatusOK, 100, 200, oneSec),
		}},
		{name: "frozen counters are pending, then backfilled over the span since the change", steps: []rsStep{
			rsWant(rsPoll(0, 0, 0), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 3000, 300), sample.StatusOK, 3000, 300, oneSec),
			rsWant(rsPoll(2*oneSec, 3000, 300), sample.StatusPending),
			rsWant(rsPoll(3*oneSec, 3000, 300), sample.StatusPending),
			rsRate(rsPoll(4*oneSec, 6003, 600), sample.StatusBackfilled, 3003, 300, 3*oneSec),
			rsRate(rsPoll(5*oneSec, 6004, 600), sample.StatusOK, 1, 0, oneSec),
		}},
		{name: "frozen while sysUpTime stands still is pending too", steps: []rsStep{
			rsWant(rsPoll(0, 0, 0), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 0, 0).up(rsUpTime0), sample.StatusPending),
			rsRate(rsPoll(2*oneSec, 10, 20), sample.StatusBackfilled, 10, 20, 2*oneSec),
		}},
		{name: "one direction frozen while the other moved is a real zero", steps: []rsStep{
			rsWant(rsPoll(0, 500, 500), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 500, 900), sample.StatusOK, 0, 400, oneSec),
			rsRate(rsPoll(2*oneSec, 700, 900), sample.StatusOK, 200, 0, oneSec),
		}},
		{name: "timeout during a cache period", steps: []rsStep{
			rsWant(rsPoll(0, 0, 0), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 3000, 30), sample.StatusOK, 3000, 30, oneSec),
			rsWant(rsPoll(2*oneSec, 3000, 30), sample.StatusPending),
			rsWant(rsTimeout(3*oneSec), sample.StatusGapTimeout),
			rsRate(rsPoll(4*oneSec, 6000, 60), sample.StatusBackfilled, 3000, 30, 3*oneSec),
		}},
		{name: "timeout bridging into frozen counters stays pending", steps: []rsStep{
			rsWant(rsPoll(0, 0, 0), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 3000, 30), sample.StatusOK, 3000, 30, oneSec),
			rsWant(rsTimeout(2*oneSec), sample.StatusGapTimeout),
			rsWant(rsPoll(3*oneSec, 3000, 30), sample.StatusPending),
			rsRate(rsPoll(4*oneSec, 6000, 60), sample.StatusBackfilled, 3000, 30, 3*oneSec),
		}},
		{name: "wrap during a pending span", speedBps: gig, steps: []rsStep{
			rsWant(rsPoll(0, top32-1999, 0).c32(), sample.StatusFirst),
			rsRate(rsPoll(oneSec, top32-899, 0).c32(), sample.StatusOK, 1100, 0, oneSec),
			rsWant(rsPoll(2*oneSec, top32-899, 0).c32(), sample.StatusPending),
			rsWant(rsPoll(3*oneSec, top32-899, 0).c32(), sample.StatusPending),
			rsRate(rsPoll(4*oneSec, 200, 0).c32(), sample.StatusWrap, 1100, 0, 3*oneSec),
		}},
		{name: "reset during a pending span", steps: []rsStep{
			rsWant(rsPoll(0, 0, 0), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 3000, 30), sample.StatusOK, 3000, 30, oneSec),
			rsWant(rsPoll(2*oneSec, 3000, 30), sample.StatusPending),
			rsWant(rsPoll(3*oneSec, 10, 30), sample.StatusGapReset),
			rsWant(rsPoll(4*oneSec, 20, 40), sample.StatusPending),
			rsRate(rsPoll(5*oneSec, 30, 50), sample.StatusOK, 10, 10, oneSec),
		}},
		{name: "idle without a known period: pending until the guess, then real zeros", steps: []rsStep{
			rsWant(rsPoll(0, 7, 7), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 7, 7), sample.StatusPending),
			rsWant(rsPoll(idleGuess, 7, 7), sample.StatusPending),
			rsRate(rsPoll(idleGuess+oneSec, 7, 7), sample.StatusOK, 0, 0, idleGuess+oneSec),
			rsRate(rsPoll(idleGuess+2*oneSec, 7, 7), sample.StatusOK, 0, 0, oneSec),
			// The first change after idle zeros is a baseline, not a rate:
			// a cache may have held it back for up to a period.
			rsWant(rsPoll(idleGuess+3*oneSec, 8007, 7), sample.StatusPending),
			rsRate(rsPoll(idleGuess+4*oneSec, 16007, 7), sample.StatusOK, 8000, 0, oneSec),
			rsWant(rsPoll(idleGuess+5*oneSec, 16007, 7), sample.StatusPending),
		}},
		{name: "counters held back then catching up faster than the link after idle zeros are a reset", speedBps: 8000, steps: []rsStep{
			rsWant(rsPoll(0, 7, 7), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 7, 7), sample.StatusPending),
			rsRate(rsPoll(idleGuess+oneSec, 7, 7), sample.StatusOK, 0, 0, idleGuess+oneSec),
			// 20,000 octets in a second on a 1,000 octet/s link: the zeros
			// were not real either.
			rsWant(rsPoll(idleGuess+2*oneSec, 20_007, 7), sample.StatusGapReset),
			rsWant(rsPoll(idleGuess+3*oneSec, 20_507, 7), sample.StatusPending),
			rsRate(rsPoll(idleGuess+4*oneSec, 21_007, 7), sample.StatusOK, 500, 0, oneSec),
		}},
		{name: "counters following every poll set a short idle holdoff", steps: []rsStep{
			rsWant(rsPoll(0, 0, 0), sample.StatusFirst).withPeriod(0),
			rsRate(rsPoll(1*oneSec, 100, 10), sample.StatusOK, 100, 10, oneSec),
			rsRate(rsPoll(2*oneSec, 200, 20), sample.StatusOK, 100, 10, oneSec),
			rsRate(rsPoll(3*oneSec, 300, 30), sample.StatusOK, 100, 10, oneSec),
			rsRate(rsPoll(4*oneSec, 400, 40), sample.StatusOK, 100, 10, oneSec).withPeriod(0),
			rsWant(rsPoll(5*oneSec, 400, 40), sample.StatusPending),
			rsWant(rsPoll(6*oneSec, 400, 40), sample.StatusPending),
			rsRate(rsPoll(7*oneSec, 400, 40), sample.StatusOK, 0, 0, 3*oneSec),
		}},
		{name: "spans bridging a timeout are no evidence of the poll spacing", steps: []rsStep{
			rsWant(rsPoll(0, 0, 0), sample.StatusFirst),
			rsRate(rsPoll(1*oneSec, 100, 10), sample.StatusOK, 100, 10, oneSec),
			rsRate(rsPoll(2*oneSec, 200, 20), sample.StatusOK, 100, 10, oneSec),
			rsRate(rsPoll(3*oneSec, 300, 30), sample.StatusOK, 100, 10, oneSec),
			rsRate(rsPoll(4*oneSec, 400, 40), sample.StatusOK, 100, 10, oneSec),
			rsWant(rsTimeout(5*oneSec), sample.StatusGapTimeout),
			rsWant(rsTimeout(6*oneSec), sample.StatusGapTimeout),
			rsWant(rsTimeout(7*oneSec), sample.StatusGapTimeout),
			rsWant(rsTimeout(8*oneSec), sample.StatusGapTimeout),
			rsRate(rsPoll(9*oneSec, 500, 50), sample.StatusOK, 100, 10, 5*oneSec),
			rsWant(rsPoll(10*oneSec, 500, 50), sample.StatusPending),
			rsWant(rsPoll(11*oneSec, 500, 50), sample.StatusPending),
			rsRate(rsPoll(12*oneSec, 500, 50), sample.StatusOK, 0, 0, 3*oneSec),
		}},
		{name: "clock not advancing gives no rate", steps: []rsStep{
			rsWant(rsPoll(oneSec, 0, 0), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 100, 100), sample.StatusGapReset),
			rsWant(rsPoll(500*time.Millisecond, 200, 200), sample.StatusGapReset),
			rsWant(rsPoll(2*oneSec, 300, 300), sample.StatusPending),
			rsRate(rsPoll(3*oneSec, 400, 400), sample.StatusOK, 100, 100, oneSec),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewRateState(tt.speedBps)
			for i, st := range tt.steps {
				rsCheck(t, i, s.Update(Reading(st.r)), st)
				if i == 0 && !tt.cold {
					rsWarm(s)
				}
			}
		})
	}
}

func rsCheck(t *testing.T, i int, got Rate, st rsStep) {
	t.Helper()
	if got.Status != st.status {
		t.Fatalf("step %d: status %q, want %q (rate %+v)", i, got.Status, st.status, got)
	}
	var wantIn, wantOut float64
	if st.status.HasRate() {
		wantIn = float64(st.inOctets) * 8 / st.span.Seconds()
		wantOut = float64(st.outOctets) * 8 / st.span.Seconds()
	}
	if !rsNear(got.InBps, wantIn) || !rsNear(got.OutBps, wantOut) {
		t.Errorf("step %d: in/out %v/%v bps, want %v/%v", i, got.InBps, got.OutBps, wantIn, wantOut)
	}
	if got.Interval != st.span {
		t.Errorf("step %d: interval %v, want %v", i, got.Interval, st.span)
	}
	if st.period != rsAnyPeriod && got.CachePeriod != st.period {
		t.Errorf("step %d: cache period %v, want %v", i, got.CachePeriod, st.period)
	}
}

// rsWarm makes s's baseline one that was seen changing, as it is after the
// first counter change: the rule for the first change after a cold baseline
// (TestRateStateColdBaseline) then stays out of the way of the others.
func rsWarm(s *RateState) { s.baseIsChange = true }

func rsNear(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}
