package snmp_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/; plain `go test` runs
// them as regression cases, `go test -fuzz=FuzzName` explores from them.

// FuzzParseTarget feeds router addresses to ParseTarget: it never panics,
// and an address it accepts prints (String) as one that parses back to the
// same Target.
func FuzzParseTarget(f *testing.F) {
	f.Fuzz(func(t *testing.T, in string) {
		got, err := snmp.ParseTarget(in)
		if err != nil {
			return
		}
		if got.Host == "" || got.Port < 1 || got.Port > 65535 {
			t.Fatalf("ParseTarget(%q) = %s: accepted without host or port", in, fuzzTarget(got))
		}
		again, err := snmp.ParseTarget(got.String())
		if err != nil {
			t.Fatalf("ParseTarget(%q) = %s, whose String %q does not parse: %v", in, fuzzTarget(got), got.String(), err)
		}
		if again != got {
			t.Fatalf("ParseTarget(%q) = %s, String %q parses to %s", in, fuzzTarget(got), got.String(), fuzzTarget(again))
		}
	})
}

// fuzzTarget shows a Target field by field (its String is under test).
func fuzzTarget(t snmp.Target) string {
	return fmt.Sprintf("{transport %s, host %q, port %d}", t.Transport, t.Host, t.Port)
}

// rateStateSpeeds are the link speeds a FuzzRateState input picks from.
var rateStateSpeeds = [...]uint64{0, 10_000_000, 1_000_000_000, 400_000_000_000, math.MaxUint64}

// rateStateKinds are the counter kinds a FuzzRateState reading picks from.
var rateStateKinds = [...]snmp.Kind{snmp.KindCounter64, snmp.KindCounter32, snmp.KindNoSuchInstance, snmp.KindGauge32}

// fuzzReadingSize is the octets one reading takes from a FuzzRateState input.
const fuzzReadingSize = 13

// fuzzReadings decodes a FuzzRateState input: the first octet picks the
// link speed, then every 13 octets are one poll:
//
//	0      flags: 1 timed out, 2 has sysUpTime, 4 has discontinuity time,
//	       bits 3-4 in kind, bits 5-6 out kind (rateStateKinds), 128 uptime jumps
//	1-2    int16 milliseconds since the previous poll (may be 0 or negative)
//	3-6    int32 change of the in counter (negative: it went down)
//	7-10   int32 change of the out counter
//	11     low 4 bits: uptime jump (x 2^28 ticks); high 4 bits: discontinuity time
//	12     round-trip time in 4 ms steps (large ones time rates by sysUpTime)
func fuzzReadings(data []byte) (speed uint64, readings []snmp.Reading) {
	if len(data) == 0 {
		return 0, nil
	}
	speed = rateStateSpeeds[int(data[0])%len(rateStateSpeeds)]
	now := time.Unix(1_700_000_000, 0)
	var in, out, up uint64 = 1 << 40, 1 << 41, 4242
	for b := data[1:]; len(b) >= fuzzReadingSize; b = b[fuzzReadingSize:] {
		flags := b[0]
		dt := time.Duration(int16(binary.BigEndian.Uint16(b[1:]))) * time.Millisecond
		now = now.Add(dt)
		in += uint64(int64(int32(binary.BigEndian.Uint32(b[3:]))))
		out += uint64(int64(int32(binary.BigEndian.Uint32(b[7:]))))
		up += uint64(max(dt/(10*time.Millisecond), 0))
		if flags&128 != 0 {
			up += uint64(b[11]&15) << 28
		}
		r := snmp.Reading{
			Time:               now,
			RTT:                time.Duration(b[12]) * 4 * time.Millisecond,
			TimedOut:           flags&1 != 0,
			HasUpTime:          flags&2 != 0,
			UpTimeTicks:        up & math.MaxUint32,
			HasDiscontinuity:   flags&4 != 0,
			DiscontinuityTicks: uint64(b[11] >> 4),
			InKind:             rateStateKinds[flags>>3&3],
			OutKind:            rateStateKinds[flags>>5&3],
		}
		r.InOctets, r.OutOctets = fuzzCounter(in, r.InKind), fuzzCounter(out, r.OutKind)
		readings = append(readings, r)
	}
	return speed, readings
}

// fuzzCounter is a counter value as an agent of that kind would send it.
func fuzzCounter(v uint64, kind snmp.Kind) uint64 {
	switch kind {
	case snmp.KindCounter32, snmp.KindGauge32:
		return v & math.MaxUint32
	case snmp.KindCounter64:
		return v
	}
	return 0
}

// FuzzRateState feeds random sequences of readings to a RateState: no rate
// is ever negative, NaN or infinite; a row without a rate carries no rate
// and no interval; a missing counter is a gap, never a 0; a wrap is only
// claimed for a 32-bit counter; and nothing panics.
func FuzzRateState(f *testing.F) {
	rateStatuses := map[sample.Status]bool{
		sample.StatusOK: true, sample.StatusWrap: true, sample.StatusBackfilled: true, sample.StatusFirst: true,
		sample.StatusPending: true, sample.StatusGapTimeout: true, sample.StatusGapReset: true, sample.StatusGapDiscontinuity: true,
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		speed, readings := fuzzReadings(data)
		s := snmp.NewRateState(speed)
		for i, r := range readings {
			got := s.Update(r)
			where := func() string { return fmt.Sprintf("reading %d of %d (%s)", i, len(readings), got.Status) }
			switch {
			case !rateStatuses[got.Status]:
				t.Fatalf("%s: unknown status", where())
			case got.CachePeriod < 0 || got.CachePeriod != s.CachePeriod():
				t.Fatalf("%s: cache period %v, state says %v", where(), got.CachePeriod, s.CachePeriod())
			case r.TimedOut && got.Status != sample.StatusGapTimeout:
				t.Fatalf("%s: a timeout is not a gap-timeout", where())
			case !r.TimedOut && got.Status == sample.StatusGapTimeout:
				t.Fatalf("%s: an answer made a gap-timeout", where())
			case !r.TimedOut && (!r.InKind.IsCounter() || !r.OutKind.IsCounter()) && got.Status != sample.StatusGapDiscontinuity:
				t.Fatalf("%s: counters %s/%s missing, want gap-discontinuity", where(), r.InKind, r.OutKind)
			case got.Status == sample.StatusWrap && r.InKind != snmp.KindCounter32 && r.OutKind != snmp.KindCounter32:
				t.Fatalf("%s: a wrap of 64-bit counters", where())
			}
			if !got.Status.HasRate() {
				if got.InBps != 0 || got.OutBps != 0 || got.Interval != 0 {
					t.Fatalf("%s: rate %v/%v over %v on a status without a rate", where(), got.InBps, got.OutBps, got.Interval)
				}
				continue
			}
			for _, bps := range []float64{got.InBps, got.OutBps} {
				if math.IsNaN(bps) || math.IsInf(bps, 0) || bps < 0 {
					t.Fatalf("%s: rate %v", where(), bps)
				}
			}
			if got.Interval <= 0 {
				t.Fatalf("%s: interval %v", where(), got.Interval)
			}
		}
	})
}
