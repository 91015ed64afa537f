package snmp_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// counterRow sets one row's octet counters on a fake agent; a zero Kind
// leaves the column out.
type counterRow struct {
	hcIn, hcOut, in, out snmp.Kind
	hcValue              uint64
}

func counterAgent(r counterRow) *snmptest.Fake {
	f := snmptest.New()
	f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 100)
	f.SetString(snmp.OIDIfDescr+".4", "Port-channel4")
	hc := r.hcValue
	if hc == 0 {
		hc = 5_000_000_000
	}
	for _, c := range []struct {
		oid   string
		kind  snmp.Kind
		value uint64
	}{
		{snmp.OIDIfHCInOctets, r.hcIn, hc}, {snmp.OIDIfHCOutOctets, r.hcOut, hc},
		{snmp.OIDIfInOctets, r.in, 1000}, {snmp.OIDIfOutOctets, r.out, 1000},
	} {
		if c.kind != snmp.KindNull {
			f.SetUint(c.oid+".4", c.kind, c.value)
		}
	}
	return f
}

func TestChooseCounters(t *testing.T) {
	const (
		c64 = snmp.KindCounter64
		c32 = snmp.KindCounter32
		g32 = snmp.KindGauge32
		i32 = snmp.KindInteger
		non = snmp.KindNull // the column is missing
	)
	both := counterRow{c64, c64, c32, c32, 0}
	hcOnly := counterRow{c64, c64, non, non, 0}
	only32 := counterRow{non, non, c32, c32, 0}
	tests := []struct {
		name          string
		row           counterRow
		mode, version string
		wantBits      int
		// wantNote and wantErr hold parts the note or error must say;
		// nil wantNote means no note.
		wantNote, wantErr []string
	}{
		{name: "auto picks 64-bit", row: both, mode: "auto", version: "2c", wantBits: 64},
		{name: "auto over v1 picks 32-bit", row: both, mode: "auto", version: "1", wantBits: 32,
			wantNote: []string{"SNMPv1 has no 64-bit counters", "using 32-bit ifInOctets/ifOutOctets"}},
		{name: "auto without HC", row: only32, mode: "auto", version: "2c", wantBits: 32,
			wantNote: []string{"no 64-bit counters (ifHCInOctets: noSuchInstance)", "using 32-bit"}},
		{name: "auto with half the HC columns", row: counterRow{c64, non, c32, c32, 0}, mode: "auto", version: "2c", wantBits: 32,
			wantNote: []string{"ifHCOutOctets: noSuchInstance"}},
		{name: "auto with INTEGER counters", row: counterRow{non, non, i32, i32, 0}, mode: "auto", version: "2c", wantBits: 32,
			wantNote: []string{"no 64-bit counters (ifHCInOctets: noSuchInstance)", "using 32-bit"}},
		{name: "forced 32 with Gauge32 counters", row: counterRow{c64, c64, g32, g32, 0}, mode: "32", version: "2c", wantBits: 32},
		{name: "auto with unreadable HC falls back", row: counterRow{c64, c64, c32, c32, math.MaxUint64}, mode: "auto", version: "2c", wantBits: 32,
			wantNote: []string{"18446744073709551615", "cannot read", "using 32-bit"}},
		{name: "v1 on an HC-only row", row: hcOnly, mode: "auto", version: "1",
			wantErr: []string{"no 32-bit counters (ifInOctets: noSuchInstance)", "SNMPv1", "-v 2c"}},
		{name: "forced 32 on an HC-only row", row: hcOnly, mode: "32", version: "2c",
			wantErr: []string{"no 32-bit counters (ifInOctets: noSuchInstance)", "--counters 64 or auto"}},
		{name: "forced 32 over v1 on an HC-only row", row: hcOnly, mode: "32", version: "1",
			wantErr: []string{"no 32-bit counters (ifInOctets: noSuchInstance)", "-v 2c"}},
		{name: "INTEGER in, Counter32 out", row: counterRow{non, non, i32, c32, 0}, mode: "auto", version: "2c", wantBits: 32,
			wantNote: []string{"using 32-bit"}},
		{name: "forced 64 on a 32-bit row", row: only32, mode: "64", version: "2c",
			wantErr: []string{"no 64-bit counters (ifHCInOctets: noSuchInstance)", "--counters 32 or auto"}},
		{name: "no counters at all", row: counterRow{}, mode: "auto", version: "2c",
			wantErr: []string{"no octet counters", "ifHCInOctets: noSuchInstance", "ifInOctets: noSuchInstance", "another interface"}},
		{name: "counters of a type that is no counter", row: counterRow{snmp.KindTimeTicks, c64, snmp.KindTimeTicks, c32, 0}, mode: "auto", version: "2c",
			wantErr: []string{"ifHCInOctets: TimeTicks", "ifInOctets: TimeTicks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := counterAgent(tt.row)
			if tt.version == "1" {
				// SNMPv1 cannot carry a Counter64: the agent says noSuchName.
				f.Delete(snmp.OIDIfHCInOctets + ".4")
				f.Delete(snmp.OIDIfHCOutOctets + ".4")
			}
			it, err := snmp.DescribeInterface(context.Background(), f, 4)
			if err != nil {
				t.Fatal(err)
			}
			got, err := snmp.ChooseCounters(snmp.CounterMode(tt.mode), snmp.Version(tt.version), it)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("ChooseCounters = %+v, want an error", got)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				return
			}
			if err != nil || got.Bits != tt.wantBits {
				t.Fatalf("ChooseCounters = %+v, %v; want %d bits", got, err, tt.wantBits)
			}
			if tt.wantNote == nil && got.Note != "" {
				t.Errorf("note %q, want none", got.Note)
			}
			for _, w := range tt.wantNote {
				if !strings.Contains(got.Note, w) {
					t.Errorf("note %q does not say %q", got.Note, w)
				}
			}
		})
	}
}

func TestDescribeInterfaceCounterKinds(t *testing.T) {
	f := counterAgent(counterRow{snmp.KindCounter64, snmp.KindCounter64, snmp.KindInteger, snmp.KindGauge32, 0})
	it, err := snmp.DescribeInterface(context.Background(), f, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := snmp.CounterKinds{HCIn: snmp.KindCounter64, HCOut: snmp.KindCounter64, In: snmp.KindInteger, Out: snmp.KindGauge32}
	if it.Counters != want || !it.HasHC {
		t.Errorf("counters %+v, HC %v; want %+v and HC", it.Counters, it.HasHC, want)
	}
	if n := f.RequestCount(); n != 1 {
		t.Errorf("DescribeInterface sent %d requests, want 1", n)
	}
}

func TestProbeAcceptsAnAgentWithoutUpTime(t *testing.T) {
	for _, k := range []snmp.Kind{snmp.KindNoSuchObject, snmp.KindNoSuchInstance, snmp.KindInteger} {
		t.Run(k.String(), func(t *testing.T) {
			f := snmptest.New()
			if k != snmp.KindNoSuchInstance {
				f.SetUint(snmp.OIDSysUpTime, k, 5)
			}
			if err := snmp.Probe(context.Background(), f); err != nil {
				t.Errorf("Probe = %v, want nil: the agent answered", err)
			}
		})
	}
}

func TestChooseCountersBits(t *testing.T) {
	c32, c64 := snmp.KindCounter32, snmp.KindCounter64
	hc := snmp.Interface{IfIndex: 1, HasHC: true, Counters: snmp.CounterKinds{HCIn: c64, HCOut: c64, In: c32, Out: c32}}
	noHC := snmp.Interface{IfIndex: 2, Counters: snmp.CounterKinds{HCIn: snmp.KindNoSuchInstance, HCOut: snmp.KindNoSuchInstance, In: c32, Out: c32}}
	hcOnly := snmp.Interface{IfIndex: 3, HasHC: true, Counters: snmp.CounterKinds{HCIn: c64, HCOut: c64, In: snmp.KindNoSuchInstance, Out: snmp.KindNoSuchInstance}}
	tests := []struct {
		name, mode, version string
		it                  snmp.Interface
		want                int
		wantErr             bool
	}{
		{"hc", "auto", "2c", hc, 64, false},
		{"hc", "auto", "3", hc, 64, false},
		{"hc", "auto", "1", hc, 32, false},
		{"noHC", "auto", "2c", noHC, 32, false},
		{"hc", "64", "2c", hc, 64, false},
		{"noHC", "64", "2c", noHC, 0, true},
		{"hc", "32", "2c", hc, 32, false},
		{"noHC", "32", "1", noHC, 32, false},
		{"hcOnly", "auto", "1", hcOnly, 0, true},
		{"hcOnly", "32", "2c", hcOnly, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.mode+"/v"+tt.version+"/"+tt.name, func(t *testing.T) {
			choice, err := snmp.ChooseCounters(snmp.CounterMode(tt.mode), snmp.Version(tt.version), tt.it)
			got := choice.Bits
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("bits = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
