package snmp_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// typedRows is an agent whose rows also carry an ifType.
func typedRows(rows map[int][3]string, types map[int]int) *snmptest.Fake {
	f := snmptest.New()
	for i, r := range rows {
		idx := "." + strconv.Itoa(i)
		f.SetString(snmp.OIDIfDescr+idx, r[0])
		f.SetString(snmp.OIDIfName+idx, r[1])
		f.SetString(snmp.OIDIfAlias+idx, r[2])
		f.SetUint(snmp.OIDIfType+idx, snmp.KindInteger, uint64(types[i]))
		f.SetUint(snmp.OIDIfHCInOctets+idx, snmp.KindCounter64, 1)
	}
	return f
}

func TestSelectInterfaceSubLayers(t *testing.T) {
	f := typedRows(map[int][3]string{
		27: {"TenGigabitEthernet0/0/26", "Te0/0/26", ""},
		37: {"TenGigabitEthernet0/0/26-mpls layer", "Te0/0/26", ""},
		40: {"Port-channel1", "Po1", "core"},
		41: {"Port-channel1.100", "Po1.100", "core"},
	}, map[int]int{27: 6, 37: 166, 40: 53, 41: 135})
	tests := []struct {
		spec string
		want int
	}{
		{"Te0/0/26", 27},
		{"te0/0/26", 27},
		{"TenGigabitEthernet0/0/26", 27},
		{"TenGigabitEthernet0/0/26-mpls layer", 37},
		{"37", 37},
	}
	for _, tt := range tests {
		got, err := snmp.SelectInterface(context.Background(), f, tt.spec)
		if err != nil || got.IfIndex != tt.want {
			t.Errorf("SelectInterface(%q) = ifIndex %d, %v; want %d", tt.spec, got.IfIndex, err, tt.want)
		}
	}
	// Two ports that share an alias are no port and its layer: ambiguous.
	_, err := snmp.SelectInterface(context.Background(), f, "core")
	if err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("core: err = %v, want ambiguous", err)
	}
}

func TestSelectInterfaceAmbiguityTellsRowsApart(t *testing.T) {
	rows := map[int][3]string{}
	types := map[int]int{}
	for i := 1; i <= 14; i++ {
		rows[i] = [3]string{"Port-channel" + strconv.Itoa(i), "Po" + strconv.Itoa(i), "*** CUSTOMER-X ***"}
		types[i] = 53
	}
	f := typedRows(rows, types)
	_, err := snmp.SelectInterface(context.Background(), f, "*** CUSTOMER-X ***")
	if err == nil {
		t.Fatal("want an ambiguity error")
	}
	msg := err.Error()
	for _, want := range []string{"ambiguous", "14 interfaces", `Po1 (ifIndex 1, Port-channel1, propVirtual, alias "*** CUSTOMER-X ***")`, "and 4 more", "ifIndex"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if n := strings.Count(msg, "(ifIndex "); n != 10 {
		t.Errorf("error lists %d interfaces, want 10 and a count of the rest: %q", n, msg)
	}
}

func TestSelectInterfaceNameBeatsAlias(t *testing.T) {
	f := typedRows(map[int][3]string{
		1: {"GigabitEthernet0/1", "Gi0/1", ""},
		2: {"GigabitEthernet0/2", "Gi0/2", "Gi0/1"}, // an alias naming the peer port
	}, map[int]int{1: 6, 2: 6})
	got, err := snmp.SelectInterface(context.Background(), f, "Gi0/1")
	if err != nil || got.IfIndex != 1 {
		t.Errorf("Gi0/1 = ifIndex %d, %v; want 1 (the port named so, not the alias)", got.IfIndex, err)
	}
}

func TestSelectInterfaceUnknownIfIndexSaysItOnce(t *testing.T) {
	f := typedRows(map[int][3]string{1: {"lo", "lo", ""}}, map[int]int{1: 24})
	_, err := snmp.SelectInterface(context.Background(), f, "9999")
	if !errors.Is(err, snmp.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if got, want := err.Error(), "no interface with ifIndex 9999"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"eth0\x00", "eth0"},
		{"eth0\x00\x00garbage", "eth0"},
		{"Port 1   ", "Port 1"},
		{"  GPON 0/0/0\r\n", "GPON 0/0/0"},
		{"*** CUSTOMER-X ***", "*** CUSTOMER-X ***"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := snmp.CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		v := snmp.Variable{Kind: snmp.KindOctetString, Bytes: []byte(tt.in)}
		if v.Text() != tt.want {
			t.Errorf("Variable.Text of %q = %q, want %q", tt.in, v.Text(), tt.want)
		}
	}
}
