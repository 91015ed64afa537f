package snmp_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stg-project/stg/internal/ifname"
	"github.com/stg-project/stg/internal/realagents"
	"github.com/stg-project/stg/snmp"
)

// corpusRows reads the names of every row of a recording.
func corpusRows(t *testing.T, f snmp.Client) map[int][2]string {
	t.Helper()
	rows := map[int][2]string{}
	for col, oid := range []string{snmp.OIDIfDescr, snmp.OIDIfName} {
		err := f.BulkWalk(context.Background(), oid, func(v snmp.Variable) error {
			i, _ := strconv.Atoi(strings.TrimPrefix(v.OID, oid+"."))
			r := rows[i]
			r[col] = v.Text()
			rows[i] = r
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return rows
}

// TestSelectInterfaceOnEveryRecording asks, on every real recording, for
// every row by ifIndex, by each of its names and by the Cisco short form
// of its ifDescr: the row found must carry the name asked for, and a name
// several rows carry must either pick the port under layers or be an
// error that lists each of them once.
func TestSelectInterfaceOnEveryRecording(t *testing.T) {
	for _, rec := range realagents.All() {
		t.Run(rec.Name, func(t *testing.T) {
			f, err := rec.Fake()
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			rows := corpusRows(t, f)
			carriers := map[string][]int{}
			for i, r := range rows {
				for _, n := range r {
					if n != "" && !containsInt(carriers[n], i) {
						carriers[n] = append(carriers[n], i)
					}
				}
			}
			for i := range rows {
				got, err := snmp.SelectInterface(ctx, f, strconv.Itoa(i))
				if err != nil || got.IfIndex != i {
					t.Errorf("ifIndex %d: got %d, %v", i, got.IfIndex, err)
				}
			}
			for name, idx := range carriers {
				got, err := snmp.SelectInterface(ctx, f, name)
				if len(idx) == 1 {
					if err != nil || got.IfIndex != idx[0] {
						t.Errorf("%q: got ifIndex %d, %v; want %d", name, got.IfIndex, err, idx[0])
					}
					continue
				}
				if err == nil {
					if !containsInt(idx, got.IfIndex) {
						t.Errorf("%q (on rows %v): got ifIndex %d", name, idx, got.IfIndex)
					}
					continue
				}
				listed := 0
				for _, i := range idx {
					switch n := strings.Count(err.Error(), "(ifIndex "+strconv.Itoa(i)+","); n {
					case 0:
					case 1:
						listed++
					default:
						t.Errorf("%q: error lists ifIndex %d %d times, want once", name, i, n)
					}
				}
				if want := min(len(idx), 10); listed != want {
					t.Errorf("%q: error lists %d of the %d rows, want %d", name, listed, len(idx), want)
				}
				if len(idx) > 10 && !strings.Contains(err.Error(), "and "+strconv.Itoa(len(idx)-10)+" more") {
					t.Errorf("%q: error does not count the %d rows not listed", name, len(idx)-10)
				}
			}
			for i, r := range rows {
				short := ifname.Abbreviate(r[0])
				if short == r[0] || len(carriers[short]) > 0 {
					continue
				}
				got, err := snmp.SelectInterface(ctx, f, short)
				if err != nil {
					t.Errorf("short form %q of %q (ifIndex %d): %v", short, r[0], i, err)
					continue
				}
				if !ifname.Equal(short, got.Descr) && !ifname.Equal(short, got.Name) {
					t.Errorf("short form %q of %q: got ifIndex %d %q/%q", short, r[0], got.IfIndex, got.Descr, got.Name)
				}
			}
		})
	}
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// TestSelectInterfaceRealAgents are the names engineers type, on the
// recordings of the devices they come from.
func TestSelectInterfaceRealAgents(t *testing.T) {
	tests := []struct {
		rec, spec string
		want      int
	}{
		// IOS-XE: the -mpls layer row shares the port's ifName.
		{"iosxe_asr920", "Te0/0/26", 27},
		{"iosxe_asr920", "te0/0/26", 27},
		{"iosxe_asr920", "TenGigabitEthernet0/0/26", 27},
		{"iosxe_asr920", "Te0/0/25", 26},
		{"iosxe_asr920", "TenGigabitEthernet0/0/26-mpls layer", 37},
		{"iosxe_asr920", "Gi0/0/1.SI.10", 52},
		{"iosxe_asr920", "Virtual-PPP4001", 31},
		{"iosxe_asr920", "Vi4001", 31},
		{"iosxe_asr920", "gig0/0/3", 4},
		// IOS-XR
		{"iosxr_asr9k", "Te0/0/0/3", 34},
		{"iosxr_asr9k", "TenGigE0/0/0/3", 34},
		{"iosxr_asr9k", "tengige 0/0/0/3", 34},
		{"iosxr_asr9k", "BE6.1604", 75},
		{"iosxr_asr9k", "be80", 73},
		{"iosxr_asr9k", "Mg0/RSP0/CPU0/0", 3},
		{"iosxr_c8200", "FH0/0/0/29", 38},
		// Huawei VRP
		{"vrp_ne40e", "GE0/3/4", 10},
		{"vrp_ne40e", "GigabitEthernet0/3/4", 10},
		{"vrp_ne40e", "40GE0/3/1", 44},
		{"vrp_ne40e", "Eth-Trunk1", 47},
		{"vrp_ne40e", "eth-trunk1.2", 48},
		{"vrp_ne40e", "GE0/3/11.1673", 51},
		{"vrp_ce12804", "10GE1/4/0/0", 91},
		{"smartax_ma5600", "GPON0/0/1", 4194304256},
		// Junos names are literal; NX-OS, Arista and Nokia as listed.
		{"junos_mx5t", "xe-0/0/1", 556},
		{"junos_mx5t", "xe-0/0/1.0", 572},
		{"nxos_n9k", "Eth1/2", 436208128},
		{"nxos_n9k", "Ethernet1/2", 436208128},
		{"arista_eos", "Et3", 3},
		{"timos_ixr", "1/1/2", 1610891280},
		// Agents that pad names: D-Link's ifDescr ends in spaces.
		{"routeros_rb952", "pppoe-out1", 11},
	}
	for _, tt := range tests {
		t.Run(tt.rec+"/"+tt.spec, func(t *testing.T) {
			rec, err := realagents.Get(tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			f, err := rec.Fake()
			if err != nil {
				t.Fatal(err)
			}
			got, err := snmp.SelectInterface(context.Background(), f, tt.spec)
			if err != nil || got.IfIndex != tt.want {
				t.Errorf("SelectInterface(%q) = ifIndex %d, %v; want %d", tt.spec, got.IfIndex, err, tt.want)
			}
		})
	}
}

// TestSelectInterfaceRealAgentsErrors checks what an engineer reads when a
// name is wrong or several rows carry it.
func TestSelectInterfaceRealAgentsErrors(t *testing.T) {
	tests := []struct {
		rec, spec    string
		wantNotFound bool
		wantInMsg    []string
	}{
		{"iosxr_asr9k", "Te0/0/0/30", true, []string{"closest: ", "TenGigE0/0/0/3 (ifIndex 34, ethernetCsmacd, alias "}},
		{"vrp_ne40e", "GE0/3/40", true, []string{"GigabitEthernet0/3/4 (ifIndex 10, ethernetCsmacd"}},
		{"junos_mx5t", "GE1/0/0", true, []string{"ge-1/0/0 (ifIndex 516"}},
		{"iosxe_asr920", "99999", true, []string{"no interface with ifIndex 99999"}},
		{"smartax_ma5600", "Huawei-MA5600-V800R018-ETHERNET", false, []string{"ambiguous", "ethernet0/7/0 (ifIndex 234938368, Huawei-MA5600-V800R018-ETHERNET, ethernetCsmacd)"}},
		{"cumulus", "Red Hat, Inc Device 0001", false, []string{"ambiguous", "8 interfaces", `eth0 (ifIndex 2, Red Hat, Inc Device 0001, ethernetCsmacd, alias "eth0")`}},
	}
	for _, tt := range tests {
		t.Run(tt.rec+"/"+tt.spec, func(t *testing.T) {
			rec, err := realagents.Get(tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			f, err := rec.Fake()
			if err != nil {
				t.Fatal(err)
			}
			got, err := snmp.SelectInterface(context.Background(), f, tt.spec)
			if err == nil {
				t.Fatalf("SelectInterface(%q) = ifIndex %d, want an error", tt.spec, got.IfIndex)
			}
			if errors.Is(err, snmp.ErrNotFound) != tt.wantNotFound {
				t.Errorf("errors.Is(%v, ErrNotFound) = %v, want %v", err, !tt.wantNotFound, tt.wantNotFound)
			}
			for _, s := range tt.wantInMsg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}
