package snmp_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// ifRow is one IF-MIB row for the fake agent.
type ifRow struct {
	index              int
	descr, name, alias string
	speed, highSpeed   uint64 // 0: absent
	hc                 bool
}

func ifAgent(rows ...ifRow) *snmptest.Fake {
	f := snmptest.New()
	f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 12345)
	for _, r := range rows {
		idx := "." + strconv.Itoa(r.index)
		if r.descr != "" {
			f.SetString(snmp.OIDIfDescr+idx, r.descr)
		}
		if r.name != "" {
			f.SetString(snmp.OIDIfName+idx, r.name)
		}
		f.SetString(snmp.OIDIfAlias+idx, r.alias)
		if r.speed != 0 {
			f.SetUint(snmp.OIDIfSpeed+idx, snmp.KindGauge32, r.speed)
		}
		if r.highSpeed != 0 {
			f.SetUint(snmp.OIDIfHighSpeed+idx, snmp.KindGauge32, r.highSpeed)
		}
		f.SetUint(snmp.OIDIfInOctets+idx, snmp.KindCounter32, 1000)
		f.SetUint(snmp.OIDIfOutOctets+idx, snmp.KindCounter32, 1000)
		if r.hc {
			f.SetUint(snmp.OIDIfHCInOctets+idx, snmp.KindCounter64, 1000)
			f.SetUint(snmp.OIDIfHCOutOctets+idx, snmp.KindCounter64, 1000)
		}
	}
	return f
}

// ifRows is a small Cisco BRAS: physical ports, a port-channel and
// PPPoE Virtual-Access sub-interfaces.
var ifRows = []ifRow{
	{1, "GigabitEthernet0/0/0", "Gi0/0/0", "uplink to core", 1000000000, 1000, true},
	{2, "GigabitEthernet0/0/1", "Gi0/0/1", "", 1000000000, 1000, true},
	{3, "TenGigabitEthernet0/1/0", "Te0/1/0", "access ring", 4294967295, 10000, true},
	{7, "Port-channel1", "Po1", "", 2000000000, 2000, true},
	{257, "Virtual-Access1.195", "Vi1.195", "alice@isp", 1000000, 0, false},
	{258, "Virtual-Access1.196", "Vi1.196", "bob@isp", 1000000, 0, false},
	{300, "Loopback0", "Lo0", "Router-ID", 8000000000 & 0xffffffff, 8000, true},
	{301, "eth0", "eth0", "", 10000000, 10, true},
	{302, "ETH0", "ETH0", "", 10000000, 10, true},
	{400, "Dialer1", "Di1", "shared", 56000, 0, false},
	{401, "Dialer2", "Di2", "shared", 56000, 0, false},
}

func TestSelectInterface(t *testing.T) {
	tests := []struct {
		name, spec string
		wantIndex  int
		wantSpeed  uint64
		wantHC     bool
	}{
		{"ifIndex", "257", 257, 1000000, false},
		{"ifIndex with spaces", " 3 ", 3, 10000000000, true},
		{"exact ifName", "Gi0/0/1", 2, 1000000000, true},
		{"exact ifDescr", "GigabitEthernet0/0/0", 1, 1000000000, true},
		{"exact ifAlias", "access ring", 3, 10000000000, true},
		{"alias holding a user", "bob@isp", 258, 1000000, false},
		{"case-insensitive name", "vi1.195", 257, 1000000, false},
		{"case-insensitive descr", "port-CHANNEL1", 7, 2000000000, true},
		{"exact beats case-insensitive", "eth0", 301, 10000000, true},
		{"exact beats case-insensitive, upper", "ETH0", 302, 10000000, true},
		{"abbreviation with a space", "te 0/1/0", 3, 10000000000, true},
		{"other abbreviation", "Virtual-Access 1.196", 258, 1000000, false},
		{"full type with a space", "port-channel 1", 7, 2000000000, true},
		{"longer abbreviation", "Gig0/0/1", 2, 1000000000, true},
		{"ifSpeed only", "Di1", 400, 56000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ifAgent(ifRows...)
			got, err := snmp.SelectInterface(context.Background(), f, tt.spec)
			if err != nil {
				t.Fatalf("SelectInterface(%q): %v", tt.spec, err)
			}
			if got.IfIndex != tt.wantIndex || got.SpeedBps != tt.wantSpeed || got.HasHC != tt.wantHC {
				t.Errorf("SelectInterface(%q) = ifIndex %d, %d b/s, HC %v; want ifIndex %d, %d b/s, HC %v",
					tt.spec, got.IfIndex, got.SpeedBps, got.HasHC, tt.wantIndex, tt.wantSpeed, tt.wantHC)
			}
			var want ifRow
			for _, r := range ifRows {
				if r.index == tt.wantIndex {
					want = r
				}
			}
			if got.Descr != want.descr || got.Name != want.name || got.Alias != want.alias {
				t.Errorf("names = %q, %q, %q; want %q, %q, %q", got.Descr, got.Name, got.Alias, want.descr, want.name, want.alias)
			}
		})
	}
}

func TestSelectInterfaceErrors(t *testing.T) {
	tests := []struct {
		name, spec   string
		wantNotFound bool
		wantInMsg    []string
	}{
		{"unknown ifIndex", "999", true, []string{"999"}},
		{"zero ifIndex", "0", false, []string{"1 or more"}},
		{"empty", "  ", false, []string{"empty"}},
		{"near an abbreviation", "Vi1.197", true, []string{"Vi1.196", "Vi1.195"}},
		{"typo in descr", "GigabitEthernet0/0/2", true, []string{"GigabitEthernet0/0/1", "GigabitEthernet0/0/0"}},
		{"ambiguous alias", "shared", false, []string{"ambiguous", "2 interfaces", `Di1 (ifIndex 400, Dialer1, alias "shared")`, `Di2 (ifIndex 401, Dialer2, alias "shared")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ifAgent(ifRows...)
			got, err := snmp.SelectInterface(context.Background(), f, tt.spec)
			if err == nil {
				t.Fatalf("SelectInterface(%q) = %+v, want an error", tt.spec, got)
			}
			if errors.Is(err, snmp.ErrNotFound) != tt.wantNotFound {
				t.Errorf("errors.Is(%q, ErrNotFound) = %v, want %v", err, !tt.wantNotFound, tt.wantNotFound)
			}
			for _, s := range tt.wantInMsg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

func TestSelectInterfaceClosestListsFew(t *testing.T) {
	var rows []ifRow
	for i := 1; i <= 40; i++ {
		rows = append(rows, ifRow{index: i, descr: "Virtual-Access1." + strconv.Itoa(100+i), name: "Vi1." + strconv.Itoa(100+i)})
	}
	f := ifAgent(rows...)
	_, err := snmp.SelectInterface(context.Background(), f, "Vi1.1")
	if !errors.Is(err, snmp.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	_, list, _ := strings.Cut(err.Error(), "closest: ")
	if n := strings.Count(list, "(ifIndex "); n < 1 || n > 5 {
		t.Errorf("closest list has %d interfaces (%q), want 1 to 5", n, list)
	}
}

func TestSelectInterfaceWalksWithBulkWalkOnly(t *testing.T) {
	f := ifAgent(ifRows...)
	if _, err := snmp.SelectInterface(context.Background(), f, "Vi1.195"); err != nil {
		t.Fatal(err)
	}
	// Three column walks (descr, name, alias) and one describing GET.
	if got := f.RequestCount(); got != 4 {
		t.Errorf("requests = %d (%v), want 4", got, f.Requests)
	}
}

func TestDescribeInterface(t *testing.T) {
	tests := []struct {
		name      string
		row       ifRow
		wantSpeed uint64
		wantHC    bool
		wantLabel string
	}{
		{"high speed wins", ifRow{5, "Te1/0", "Te1/0", "", 4294967295, 10000, true}, 10_000_000_000, true, "Te1/0"},
		{"ifSpeed when no ifHighSpeed", ifRow{5, "Se0/0", "", "", 2048000, 0, false}, 2048000, false, "Se0/0"},
		{"too fast and no ifHighSpeed", ifRow{5, "Hu0/0", "Hu0/0", "", 4294967295, 0, true}, 0, true, "Hu0/0"},
		{"no names", ifRow{5, "", "", "", 1000, 0, false}, 1000, false, "ifIndex 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ifAgent(tt.row)
			got, err := snmp.DescribeInterface(context.Background(), f, 5)
			if err != nil {
				t.Fatal(err)
			}
			if got.SpeedBps != tt.wantSpeed || got.HasHC != tt.wantHC || got.Label() != tt.wantLabel {
				t.Errorf("got %d b/s, HC %v, label %q; want %d b/s, HC %v, label %q",
					got.SpeedBps, got.HasHC, got.Label(), tt.wantSpeed, tt.wantHC, tt.wantLabel)
			}
			if n := f.RequestCount(); n != 1 {
				t.Errorf("DescribeInterface sent %d requests, want 1", n)
			}
		})
	}
}

func TestDescribeInterfaceErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		fail error
		want error
	}{
		{"missing row", nil, snmp.ErrNotFound},
		{"timeout", &snmp.NoResponseError{Addr: "127.0.0.1:161", Timeout: time.Second}, snmp.ErrTimeout},
		{"other error", boom, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ifAgent(ifRows...)
			if tt.fail != nil {
				f.Fail = func([]string) error { return tt.fail }
			}
			_, err := snmp.DescribeInterface(context.Background(), f, 77)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want errors.Is %v", err, tt.want)
			}
		})
	}
}

func TestDescribeInterfaceWrongTypesAreNotValues(t *testing.T) {
	f := ifAgent()
	f.SetUint(snmp.OIDIfDescr+".9", snmp.KindInteger, 5)
	f.SetString(snmp.OIDIfName+".9", "x9")
	f.SetString(snmp.OIDIfHCInOctets+".9", "not a counter")
	got, err := snmp.DescribeInterface(context.Background(), f, 9)
	if err != nil {
		t.Fatal(err)
	}
	if got.Descr != "" || got.HasHC {
		t.Errorf("got descr %q, HC %v; want \"\" and false for wrong types", got.Descr, got.HasHC)
	}
}
