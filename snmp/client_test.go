package snmp_test

import (
	"cmp"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stg-project/stg/snmp"
)

// refCompareOIDs is CompareOIDs written the slow, obvious way for OIDs of
// numbers: arc by arc, each arc by its value.
func refCompareOIDs(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := new(big.Int).SetString(as[i], 10)
		y, _ := new(big.Int).SetString(bs[i], 10)
		if c := x.Cmp(y); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(as), len(bs))
}

func TestCompareOIDs(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.3.6.1", "1.3.6.1", 0},
		{".1.3.6.1", "1.3.6.1", 0},
		{"1.3.6", "1.3.6.1", -1},
		{"1.3.6.1", "1.3.6", 1},
		{"1.3.6.2", "1.3.6.10", -1},
		{"1.3.6.10", "1.3.6.9", 1},
		{"1.3.60", "1.3.6.1", 1},
		{"1.3.6.01", "1.3.6.1", 0},
		{"1.3.6.100", "1.3.6.099", 1},
		{"1.3.6.1.4294967295", "1.3.6.1.4294967296", -1},
		{"", "1", -1},
		{"", "", 0},
	}
	for _, tt := range tests {
		if got := snmp.CompareOIDs(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareOIDs(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := snmp.CompareOIDs(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareOIDs(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
	// Random OIDs sharing prefixes, with leading zeros and long numbers,
	// against the obvious implementation.
	arcs := []string{"0", "00", "1", "01", "3", "6", "9", "10", "60", "100", "099", "4294967295", "18446744073709551616"}
	rng := rand.New(rand.NewPCG(3, 4))
	oid := func() string {
		parts := []string{"1", "3", "6"}
		for n := rng.IntN(5); n > 0; n-- {
			parts = append(parts, arcs[rng.IntN(len(arcs))])
		}
		return strings.Join(parts, ".")
	}
	for i := 0; i < 20000; i++ {
		a, b := oid(), oid()
		if got, want := snmp.CompareOIDs(a, b), refCompareOIDs(a, b); got != want {
			t.Fatalf("CompareOIDs(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}

func BenchmarkCompareOIDs(b *testing.B) {
	x, y := "1.3.6.1.4.1.9.9.150.1.1.3.1.2.131998", "1.3.6.1.4.1.9.9.150.1.1.3.1.2.131999"
	for b.Loop() {
		snmp.CompareOIDs(x, y)
	}
}
