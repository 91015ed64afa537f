package snmp

import (
	"fmt"
	"math"
)

// unreadableMarker is the value some agents serve in a Counter64 they
// cannot read (Huawei's MA5600 does): 2^64−1, which no real octet counter
// reaches.
const unreadableMarker = math.MaxUint64

// unreadable reports whether a counter value is the "cannot read" marker.
// Only Counter64 has one: a Counter32 passes through 2^32−1 like any value.
func unreadable(v uint64, kind Kind) bool {
	return kind == KindCounter64 && v == unreadableMarker
}

// counter32Stand returns whether an agent's value of a 32-bit counter
// column can stand in for a Counter32: some embedded agents serve
// ifInOctets as INTEGER or Gauge32. An INTEGER is taken as the agent's
// signed 32-bit view of its counter, so a negative value is its two's
// complement (-1 is 4294967295).
func counter32Stand(v Variable) (uint64, bool) {
	switch v.Kind {
	case KindCounter32, KindGauge32:
		return v.Uint, true
	case KindInteger:
		if v.Int < math.MinInt32 || v.Int > math.MaxUint32 {
			return 0, false
		}
		return uint64(uint32(v.Int)), true
	}
	return 0, false
}

// asCounter returns the counter value and kind a poll reads from v for a
// target of the given width: a 32-bit column served as INTEGER or Gauge32
// is read as a Counter32; everything else is as served. retyped is true
// when v's kind was read as another.
func asCounter(v Variable, bits int) (value uint64, kind Kind, retyped bool) {
	if bits == 32 && v.Kind != KindCounter32 {
		if u, ok := counter32Stand(v); ok {
			return u, KindCounter32, true
		}
	}
	return v.Uint, v.Kind, false
}

// CounterKinds are the SNMP kinds an agent served an interface's octet
// counters as when it was described. An exception kind (noSuchInstance,
// noSuchObject) means the column is missing for the row.
type CounterKinds struct {
	HCIn, HCOut Kind // ifHCInOctets, ifHCOutOctets
	In, Out     Kind // ifInOctets, ifOutOctets
	// HCUnreadable is true when a 64-bit counter read 2^64−1, the value
	// an agent serves for a counter it cannot read.
	HCUnreadable bool
}

// counterOIDs are the octet counter columns DescribeInterface reads, for
// the row idx (".<ifIndex>"), in the order counterKindsOf takes them.
func counterOIDs(idx string) []string {
	return []string{OIDIfHCInOctets + idx, OIDIfHCOutOctets + idx, OIDIfInOctets + idx, OIDIfOutOctets + idx}
}

// counterKindsOf makes the CounterKinds of the values read at counterOIDs,
// and reports whether any of them exists.
func counterKindsOf(vs []Variable) (CounterKinds, bool) {
	hcIn, hcOut, in, out := vs[0], vs[1], vs[2], vs[3]
	k := CounterKinds{HCIn: hcIn.Kind, HCOut: hcOut.Kind, In: in.Kind, Out: out.Kind}
	k.HCUnreadable = unreadable(hcIn.Uint, hcIn.Kind) || unreadable(hcOut.Uint, hcOut.Kind)
	return k, hcIn.Exists() || hcOut.Exists() || in.Exists() || out.Exists()
}

// Has64 reports whether both 64-bit counters are Counter64 with a value.
func (k CounterKinds) Has64() bool {
	return k.HCIn == KindCounter64 && k.HCOut == KindCounter64 && !k.HCUnreadable
}

// Has32 reports whether both 32-bit counters can be read as Counter32,
// including the INTEGER and Gauge32 some agents serve instead.
func (k CounterKinds) Has32() bool {
	return standsFor32(k.In) && standsFor32(k.Out)
}

func standsFor32(k Kind) bool {
	return k == KindCounter32 || k == KindGauge32 || k == KindInteger
}

// missing64 says why the 64-bit counters cannot be read, for messages.
func (k CounterKinds) missing64() string {
	switch {
	case k.HCUnreadable:
		return "its ifHCInOctets/ifHCOutOctets read 18446744073709551615 (2^64−1), the value the agent serves for a counter it cannot read"
	case k.HCIn != KindCounter64:
		return "the agent has no 64-bit counters (ifHCInOctets: " + k.HCIn.String() + ") for it"
	}
	return "the agent has no 64-bit counters (ifHCOutOctets: " + k.HCOut.String() + ") for it"
}

// missing32 says why the 32-bit counters cannot be read, for messages.
func (k CounterKinds) missing32() string {
	if !standsFor32(k.In) {
		return "the agent has no 32-bit counters (ifInOctets: " + k.In.String() + ") for it"
	}
	return "the agent has no 32-bit counters (ifOutOctets: " + k.Out.String() + ") for it"
}

// using32 ends the note of a choice of 32-bit counters.
const using32 = "using 32-bit ifInOctets/ifOutOctets"

// CounterChoice is which counters to poll for an interface, and a note for
// the user when the choice is not the obvious one.
type CounterChoice struct {
	// Bits is 64 (ifHCInOctets/ifHCOutOctets) or 32 (ifInOctets/ifOutOctets).
	Bits int
	// Note says why "auto" chose 32-bit counters; "" when it did not.
	// (How counters of another type than Counter32 are read, the poller
	// says once it reads them: PollerConfig.OnNote.)
	Note string
}

// CounterMode is which counters to poll (--counters): CountersAuto picks
// per interface, Counters64 and Counters32 insist.
type CounterMode string

// The counter modes.
const (
	// CountersAuto polls 64-bit counters when the agent serves them and
	// the version can read them, else 32-bit ones.
	CountersAuto CounterMode = "auto"
	// Counters64 polls ifHCInOctets/ifHCOutOctets.
	Counters64 CounterMode = "64"
	// Counters32 polls ifInOctets/ifOutOctets.
	Counters32 CounterMode = "32"
)

// CounterModes returns the counter modes, for help and completion.
func CounterModes() []string {
	return []string{string(CountersAuto), string(Counters64), string(Counters32)}
}

// ParseCounterMode reads a counter mode: auto, 64 or 32.
func ParseCounterMode(s string) (CounterMode, error) {
	for _, m := range CounterModes() {
		if s == m {
			return CounterMode(m), nil
		}
	}
	return "", fmt.Errorf("unknown counter mode %q (use %s)", s, OrList(CounterModes()))
}

// ChooseCounters picks the counters to poll for an interface described
// over SNMP version. Counters that the agent does not serve for the row
// are an error that names them and says what to use instead: polling them
// would give nothing but gap rows.
func ChooseCounters(mode CounterMode, version Version, it Interface) (CounterChoice, error) {
	k := it.Counters
	v1 := version == Version1
	switch mode {
	case Counters64:
		if v1 {
			return CounterChoice{}, fmt.Errorf("SNMPv1 cannot read 64-bit counters: use -v 2c or --counters 32")
		}
		if !k.Has64() {
			return CounterChoice{}, fmt.Errorf("%s: use --counters 32 or auto", k.missing64())
		}
		return CounterChoice{Bits: 64}, nil
	case Counters32:
		switch {
		case !k.Has32() && v1:
			return CounterChoice{}, fmt.Errorf("%s, and SNMPv1 cannot read 64-bit ones: use -v 2c", k.missing32())
		case !k.Has32():
			return CounterChoice{}, fmt.Errorf("%s: use --counters 64 or auto", k.missing32())
		}
		return CounterChoice{Bits: 32}, nil
	}
	switch {
	case !v1 && k.Has64():
		return CounterChoice{Bits: 64}, nil
	case k.Has32() && v1:
		return CounterChoice{Bits: 32, Note: "SNMPv1 has no 64-bit counters: " + using32}, nil
	case k.Has32():
		return CounterChoice{Bits: 32, Note: k.missing64() + ": " + using32}, nil
	case v1:
		return CounterChoice{}, fmt.Errorf("%s, and SNMPv1 cannot read 64-bit ones: use -v 2c", k.missing32())
	case k.HCUnreadable:
		return CounterChoice{}, fmt.Errorf("%s, and %s: no octet counters to poll", k.missing64(), k.missing32())
	}
	return CounterChoice{}, fmt.Errorf("the agent serves no octet counters for it (ifHCInOctets: %s, ifHCOutOctets: %s, ifInOctets: %s, ifOutOctets: %s): pick another interface",
		k.HCIn, k.HCOut, k.In, k.Out)
}
