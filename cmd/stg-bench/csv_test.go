package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
)

// sampleCSV is stg's CSV for one target on a caching agent: first,
// pending, backfilled, then a timeout, plus an appended column.
const sampleCSV = `time,router,target,ifindex,ifname,in_bps,out_bps,in_octets,out_octets,interval_s,status,extra
2026-11-27T10:00:00.000Z,r,lo,1,lo,,,1000,2000,0.000,first,x
2026-11-27T10:00:01.000Z,r,lo,1,lo,,,1000,2000,1.000,pending,x
2026-11-27T10:00:02.000Z,r,lo,1,lo,8000,16000,3000,6000,2.000,backfilled,x
2026-11-27T10:00:03.500Z,r,lo,1,lo,,,,,1.500,gap-timeout,x
2026-11-27T10:00:04.000Z,r,lo,1,lo,4000,4000,4000,7000,2.000,ok,x
`

// TestReadCSV: the bench reads stg's CSV with record.ReadCSV.
func TestReadCSV(t *testing.T) {
	rows, err := record.ReadCSV(strings.NewReader(sampleCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("got %d rows, want 5", len(rows))
	}
	r := rows[2]
	if !r.Status.HasRate() || r.InBps != 8000 || r.OutBps != 16000 || r.InOctets != 3000 || r.Interval != 2*time.Second || r.Status != "backfilled" {
		t.Errorf("row 3 = %+v", r)
	}
	if rows[1].Status.HasRate() {
		t.Errorf("pending row has a rate: %+v", rows[1])
	}
	if rows[3].HasOctets {
		t.Errorf("timeout row has octets: %+v", rows[3])
	}
	if want := time.Date(2026, 11, 27, 10, 0, 3, 500e6, time.UTC); !rows[3].Time.Equal(want) {
		t.Errorf("row 4 time = %v, want %v", rows[3].Time, want)
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"missing column", "time,target\n2026-11-27T10:00:00Z,lo\n"},
		{"bad number", strings.Replace(sampleCSV, "8000,16000", "8k,16000", 1)},
		{"bad time", strings.Replace(sampleCSV, "2026-11-27T10:00:01.000Z", "yesterday", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := record.ReadCSV(strings.NewReader(tt.in)); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestNaiveRates(t *testing.T) {
	rows, err := record.ReadCSV(strings.NewReader(sampleCSV))
	if err != nil {
		t.Fatal(err)
	}
	got := naiveRates(rows, time.Second)
	// Pairs: first→pending (0), pending→backfilled (2000 octets in "1 s"),
	// backfilled→ok across the timeout (1000 octets in "1 s").
	want := []struct{ in, out float64 }{{0, 0}, {16000, 32000}, {8000, 8000}}
	if len(got) != len(want) {
		t.Fatalf("got %d naive rates, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].InBps != w.in || got[i].OutBps != w.out {
			t.Errorf("naive rate %d = %v/%v, want %v/%v", i, got[i].InBps, got[i].OutBps, w.in, w.out)
		}
	}
	if !got[2].From.Equal(rows[2].Time) || !got[2].To.Equal(rows[4].Time) {
		t.Errorf("naive rate 3 spans %v..%v, want the backfilled row to the ok row", got[2].From, got[2].To)
	}
	dec := []sample.Sample{{InOctets: 10, OutOctets: 10, HasOctets: true}, {InOctets: 5, OutOctets: 20, HasOctets: true}}
	if n := naiveRates(dec, time.Second); len(n) != 0 {
		t.Errorf("a counter decrease gave naive rates %+v, want none", n)
	}
}

func TestJitterMs(t *testing.T) {
	rows, err := record.ReadCSV(strings.NewReader(sampleCSV))
	if err != nil {
		t.Fatal(err)
	}
	jit, gaps := jitterMs(rows, time.Second)
	want := []float64{1000} // the ok row only
	if gaps != 1 {
		t.Errorf("gaps = %d, want 1 (the timeout)", gaps)
	}
	if len(jit) != len(want) {
		t.Fatalf("jitter = %v, want %v", jit, want)
	}
	for i := range want {
		if math.Abs(jit[i]-want[i]) > 1e-9 {
			t.Errorf("jitter[%d] = %v, want %v", i, jit[i], want[i])
		}
	}
}

func TestInterpolatedRates(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s := []devSample{
		{At: t0, RX: 0, TX: 0},
		{At: t0.Add(time.Second), RX: 1000, TX: 500},
		{At: t0.Add(2 * time.Second), RX: 3000, TX: 1000},
	}
	tests := []struct {
		name     string
		from, to time.Duration
		in, out  float64
		ok       bool
	}{
		{"whole span", 0, 2 * time.Second, 12000, 4000, true},
		{"half samples interpolated", 500 * time.Millisecond, 1500 * time.Millisecond, 12000, 4000, true},
		{"second only", time.Second, 2 * time.Second, 16000, 4000, true},
		{"outside the series", time.Second, 3 * time.Second, 0, 0, false},
		{"empty span", time.Second, time.Second, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, out, ok := interpolatedRates(s, t0.Add(tt.from), t0.Add(tt.to))
			if ok != tt.ok || math.Abs(in-tt.in) > 1e-6 || math.Abs(out-tt.out) > 1e-6 {
				t.Errorf("rates = %v, %v, %v; want %v, %v, %v", in, out, ok, tt.in, tt.out, tt.ok)
			}
		})
	}
}

func TestLastWalkedUser(t *testing.T) {
	out := []byte(".1.3.6.1.4.1.9.9.150.1.1.3.1.2.1 = STRING: \"a\"\n.1.3.6.1.4.1.9.9.150.1.1.3.1.2.2 = STRING: \"jschmidt534\"\n")
	if got, err := lastWalkedUser(out); err != nil || got != "jschmidt534" {
		t.Errorf("lastWalkedUser = %q, %v; want jschmidt534", got, err)
	}
	end := append(out, ".1.3.6.1.4.1.9.9.150.1.1.3.1.2.2 = No more variables left in this MIB View (It is past the end of the MIB tree)\n"...)
	if got, err := lastWalkedUser(end); err != nil || got != "jschmidt534" {
		t.Errorf("lastWalkedUser at the end of the MIB = %q, %v; want jschmidt534", got, err)
	}
	if _, err := lastWalkedUser([]byte("End of MIB\n")); err == nil {
		t.Error("lastWalkedUser without a STRING: no error")
	}
}

func TestSlots(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		span time.Duration
		want int
	}{
		{"one poll", time.Second, 1},
		{"backfilled over three polls", 3001 * time.Millisecond, 3},
		{"short span is one slot", 300 * time.Millisecond, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slots(t0, t0.Add(tt.span), time.Second)
			if len(got) != tt.want {
				t.Fatalf("%d slots, want %d", len(got), tt.want)
			}
			if !got[0][0].Equal(t0) || !got[len(got)-1][1].Equal(t0.Add(tt.span)) {
				t.Errorf("slots %v do not cover %v..%v", got, t0, t0.Add(tt.span))
			}
			for i := 1; i < len(got); i++ {
				if !got[i][0].Equal(got[i-1][1]) {
					t.Errorf("slot %d starts at %v, previous ends at %v", i, got[i][0], got[i-1][1])
				}
			}
		})
	}
}
