package snmp

import (
	"math"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// The rate math on counters as real agents serve them: 32-bit wraps on
// interfaces of unknown speed, a sysUpTime that does not move, and the
// 2^64−1 "cannot read" marker.

// rsAt32 is a 32-bit counter reading at rsT0 + at seconds whose counters
// started at in0/out0 and grew by inRate/outRate octets a second, modulo
// 2^32 as a Counter32 wraps.
func rsAt32(at int, in0, inRate, out0, outRate uint64) rsReading {
	wrap := func(v uint64) uint64 { return v & math.MaxUint32 }
	return rsPoll(time.Duration(at)*oneSec, wrap(in0+inRate*uint64(at)), wrap(out0+outRate*uint64(at))).c32()
}

func TestRateStateWrapWithoutSpeed(t *testing.T) {
	const top32 = math.MaxUint32
	// A 2x10G port-channel with 32-bit counters only and ifSpeed
	// 4294967295: the speed is unknown (0). In: 500 MB/s, wrapping at
	// t=5 s; out: 100 MB/s.
	const inRate, outRate = 500_000_000, 100_000_000
	in0 := uint64(top32 + 1 - 2_400_000_000)
	at := func(s int) rsReading { return rsAt32(s, in0, inRate, 1000, outRate) }
	tests := []struct {
		name  string
		steps []rsStep
	}{
		{name: "a wrap in line with the recent rate is unwound", steps: []rsStep{
			rsWant(at(0), sample.StatusFirst),
			rsRate(at(1), sample.StatusOK, inRate, outRate, oneSec),
			rsRate(at(2), sample.StatusOK, inRate, outRate, oneSec),
			rsRate(at(3), sample.StatusOK, inRate, outRate, oneSec),
			rsRate(at(4), sample.StatusOK, inRate, outRate, oneSec),
			rsRate(at(5), sample.StatusWrap, inRate, outRate, oneSec),
			rsRate(at(6), sample.StatusOK, inRate, outRate, oneSec),
		}},
		{name: "a wrap several times faster than the recent rate is a reset", steps: []rsStep{
			rsWant(rsPoll(0, 3_000_000_000, 0).c32(), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 3_100_000_000, 0).c32(), sample.StatusOK, 100_000_000, 0, oneSec),
			// 100 MB/s, then a drop that would unwind to 1.29 GB in a
			// second: 12 times the recent rate.
			rsWant(rsPoll(2*oneSec, 100_000_000, 0).c32(), sample.StatusGapReset),
		}},
		{name: "a reset in both directions is not taken for a wrap", steps: []rsStep{
			rsWant(at(0), sample.StatusFirst),
			rsRate(at(1), sample.StatusOK, inRate, outRate, oneSec),
			// In, from 2.39e9 down to 1e6, would unwind to 1.9e9 octets
			// in a second, within 4x its recent 5e8; but out dropped
			// too, from 1.0e8 to 500, which unwinds to 4.2e9, 42 times
			// its rate: a reset.
			rsWant(rsPoll(2*oneSec, 1_000_000, 500).c32(), sample.StatusGapReset),
		}},
		{name: "a reset that leaves the counter beyond a wrap's reach is a reset", steps: []rsStep{
			rsWant(rsPoll(0, 1_000_000_000, 10).c32(), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 1_500_000_000, 10).c32(), sample.StatusOK, 500_000_000, 0, oneSec),
			// Unwound: 2^32 − 1.5e9 + 1e6 = 2.8e9 in a second, more than
			// 4x the recent 5e8.
			rsWant(rsPoll(2*oneSec, 1_000_000, 10).c32(), sample.StatusGapReset),
		}},
		{name: "without a rate seen yet a decrease is a reset", steps: []rsStep{
			rsWant(rsPoll(0, top32-10, 0).c32(), sample.StatusFirst),
			rsWant(rsPoll(oneSec, 10, 1).c32(), sample.StatusGapReset),
		}},
		{name: "after a timeout the wrap is judged over the whole span", steps: []rsStep{
			rsWant(at(0), sample.StatusFirst),
			rsRate(at(1), sample.StatusOK, inRate, outRate, oneSec),
			rsRate(at(2), sample.StatusOK, inRate, outRate, oneSec),
			rsRate(at(3), sample.StatusOK, inRate, outRate, oneSec),
			rsWant(rsTimeout(4*oneSec), sample.StatusGapTimeout),
			// 1 GB over 2 s: one turn; two turns (5.3 GB) would be 5.3
			// times the recent rate.
			rsRate(at(5), sample.StatusWrap, 2*inRate, 2*outRate, 2*oneSec),
		}},
		{name: "a span over which the counter could have turned twice is a reset", steps: []rsStep{
			rsWant(at(0), sample.StatusFirst),
			rsRate(at(1), sample.StatusOK, inRate, outRate, oneSec),
			rsWant(rsTimeout(2*oneSec), sample.StatusGapTimeout),
			rsWant(rsTimeout(3*oneSec), sample.StatusGapTimeout),
			rsWant(rsTimeout(4*oneSec), sample.StatusGapTimeout),
			rsWant(rsTimeout(5*oneSec), sample.StatusGapTimeout),
			// 3 GB in 6 s looks like one turn, but at up to 4x the recent
			// rate the counter could have gone round twice (7.3 GB).
			rsWant(at(7), sample.StatusGapReset),
		}},
		{name: "a wrap in one direction while the other counts on", steps: []rsStep{
			rsWant(rsPoll(0, 1000, top32-149_999_999).c32(), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 2000, top32-99_999_999).c32(), sample.StatusOK, 1000, 50_000_000, oneSec),
			rsRate(rsPoll(2*oneSec, 3000, top32-49_999_999).c32(), sample.StatusOK, 1000, 50_000_000, oneSec),
			rsRate(rsPoll(3*oneSec, 4000, 0).c32(), sample.StatusWrap, 1000, 50_000_000, oneSec),
		}},
		{name: "idle zeros are no evidence of the rate a wrap needs", steps: []rsStep{
			rsWant(rsPoll(0, top32-99, 0).c32(), sample.StatusFirst),
			rsRate(rsPoll(oneSec, top32-99, 10).c32(), sample.StatusOK, 0, 10, oneSec),
			rsWant(rsPoll(2*oneSec, 400, 20).c32(), sample.StatusGapReset),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewRateState(0)
			for i, st := range tt.steps {
				rsCheck(t, i, s.Update(Reading(st.r)), st)
				if i == 0 {
					rsWarm(s)
				}
			}
		})
	}
}

func TestRateStateWrapHistoryIsPerInterface(t *testing.T) {
	s := NewRateState(0)
	s.Update(Reading(rsPoll(0, 1000, 0).c32()))
	rsWarm(s)
	s.Update(Reading(rsPoll(oneSec, 500_001_000, 0).c32()))
	// Another interface of the same agent knows nothing of this one's rate.
	n := s.ForInterface(0)
	rsCheck(t, 0, n.Update(Reading(rsPoll(2*oneSec, math.MaxUint32-10, 0).c32())), rsWant(rsPoll(0, 0, 0), sample.StatusFirst))
	rsWarm(n)
	rsCheck(t, 1, n.Update(Reading(rsPoll(3*oneSec, 100, 0).c32())), rsWant(rsPoll(0, 0, 0), sample.StatusGapReset))
}

func TestRateStateFrozenUpTime(t *testing.T) {
	// An agent whose sysUpTime.0 never moves, polled every 2 s: the clock
	// says nothing, so it is no restart; the rates are timed by the poller.
	frozen := func(at time.Duration, in, out uint64) rsReading { return rsPoll(at, in, out).up(777) }
	s := NewRateState(0)
	steps := []rsStep{
		rsWant(frozen(0, 1000, 1000), sample.StatusFirst),
		rsRate(frozen(2*oneSec, 3000, 2000), sample.StatusOK, 2000, 1000, 2*oneSec),
		rsRate(frozen(4*oneSec, 5000, 3000), sample.StatusOK, 2000, 1000, 2*oneSec),
		rsRate(frozen(6*oneSec, 7000, 4000), sample.StatusOK, 2000, 1000, 2*oneSec),
		// A restart still shows in the counters: a 64-bit decrease.
		rsWant(frozen(8*oneSec, 10, 10), sample.StatusGapReset),
	}
	for i, st := range steps {
		rsCheck(t, i, s.Update(Reading(st.r)), st)
		if i == 0 {
			rsWarm(s)
		}
	}
}

func TestRateStateUnreadableMarker(t *testing.T) {
	const marker = math.MaxUint64
	tests := []struct {
		name  string
		steps []rsStep
	}{
		{name: "2^64-1 in a Counter64 is no rate and no wrap", steps: []rsStep{
			rsWant(rsPoll(0, 1000, 1000), sample.StatusFirst),
			rsRate(rsPoll(oneSec, 2000, 1500), sample.StatusOK, 1000, 500, oneSec),
			rsWant(rsPoll(2*oneSec, marker, 2000), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(3*oneSec, 4000, 2500), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(4*oneSec, 5000, 3000), sample.StatusPending),
			rsRate(rsPoll(5*oneSec, 6000, 3500), sample.StatusOK, 1000, 500, oneSec),
		}},
		{name: "the marker on the first reading", steps: []rsStep{
			rsWant(rsPoll(0, 1000, marker), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(oneSec, 2000, 10), sample.StatusFirst),
		}},
		{name: "the marker for good", steps: []rsStep{
			rsWant(rsPoll(0, marker, marker), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(oneSec, marker, marker), sample.StatusGapDiscontinuity),
			rsWant(rsPoll(2*oneSec, marker, marker), sample.StatusGapDiscontinuity),
		}},
		{name: "2^32-1 in a Counter32 is a value like any other", steps: []rsStep{
			rsWant(rsPoll(0, math.MaxUint32-100, 5).c32(), sample.StatusFirst),
			rsRate(rsPoll(oneSec, math.MaxUint32, 10).c32(), sample.StatusOK, 100, 5, oneSec),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewRateState(0)
			for i, st := range tt.steps {
				rsCheck(t, i, s.Update(Reading(st.r)), st)
				if i == 0 {
					rsWarm(s)
				}
			}
		})
	}
}

func TestAsCounter(t *testing.T) {
	tests := []struct {
		name        string
		v           Variable
		bits        int
		wantValue   uint64
		wantKind    Kind
		wantRetyped bool
	}{
		{"Counter32 as served", Variable{Kind: KindCounter32, Uint: 7}, 32, 7, KindCounter32, false},
		{"Gauge32 in a 32-bit column", Variable{Kind: KindGauge32, Uint: 7}, 32, 7, KindCounter32, true},
		{"INTEGER in a 32-bit column", Variable{Kind: KindInteger, Int: 7, Uint: 7}, 32, 7, KindCounter32, true},
		{"negative INTEGER is its two's complement", Variable{Kind: KindInteger, Int: -1}, 32, math.MaxUint32, KindCounter32, true},
		{"most negative INTEGER", Variable{Kind: KindInteger, Int: math.MinInt32}, 32, 1 << 31, KindCounter32, true},
		{"INTEGER beyond 32 bits is no counter", Variable{Kind: KindInteger, Int: 1 << 32, Uint: 1 << 32}, 32, 1 << 32, KindInteger, false},
		{"INTEGER below the int32 range is no counter", Variable{Kind: KindInteger, Int: math.MinInt32 - 1}, 32, 0, KindInteger, false},
		{"other types stay what they are", Variable{Kind: KindTimeTicks, Uint: 7}, 32, 7, KindTimeTicks, false},
		{"a 64-bit column is never retyped", Variable{Kind: KindGauge32, Uint: 7}, 64, 7, KindGauge32, false},
		{"Counter64 in a 32-bit column as served", Variable{Kind: KindCounter64, Uint: 7}, 32, 7, KindCounter64, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, k, retyped := asCounter(tt.v, tt.bits)
			if v != tt.wantValue || k != tt.wantKind || retyped != tt.wantRetyped {
				t.Errorf("asCounter = %d, %s, %v; want %d, %s, %v", v, k, retyped, tt.wantValue, tt.wantKind, tt.wantRetyped)
			}
		})
	}
}
