package snmp_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// The snmpsim data in testdata/snmpsim/stg.snmprec (community "stg"). Its
// counters grow at these constant rates, in octets per second of the
// agent's clock, from the moment snmpsimd starts.
const (
	simData      = "testdata/snmpsim"
	simCommunity = "stg"

	// ifIndex 1, Gi0/0/0: Counter64 and Counter32 counters.
	simIf1InRate  = 1250000
	simIf1OutRate = 432100
	// ifIndex 2, Vi1.195: Counter32 only, wrapping about 8 s after start.
	simIf2InRate  = 100000000
	simIf2OutRate = 50000000
)

// simV3 is the SNMPv3 user the v3 tests give snmpsimd.
var simV3 = agenttest.V3User{Name: "stg-ops", AuthProto: "SHA", AuthKey: "auth-key-0123", PrivProto: "AES", PrivKey: "priv-key-4567"}

func simConfig(sim *agenttest.Snmpsim, version string) snmp.Config {
	cfg := snmp.Config{Target: sim.Target, Version: snmp.Version(version), Community: simCommunity, Timeout: 3 * time.Second}
	if version == "3" {
		cfg.SecName, cfg.SecLevel = simV3.Name, "authPriv"
		cfg.AuthProto, cfg.AuthPass = "SHA", secret.Secret(simV3.AuthKey)
		cfg.PrivProto, cfg.PrivPass = "AES", secret.Secret(simV3.PrivKey)
		cfg.Context = simCommunity // snmpsim picks the data file by context name
	}
	return cfg
}

func itDial(t testing.TB, cfg snmp.Config) snmp.Client {
	t.Helper()
	c, err := snmp.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func itCtx(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func itOID(oid string, i int) string { return oid + "." + strconv.Itoa(i) }

func TestSnmpsimGet(t *testing.T) {
	t.Parallel()
	sim := agenttest.StartSnmpsim(t, simData, agenttest.WithV3User(simV3))
	oids := []string{snmp.OIDSysUpTime, itOID(snmp.OIDIfHCInOctets, 1), itOID(snmp.OIDIfInOctets, 1), itOID(snmp.OIDIfHCInOctets, 2), "." + itOID(snmp.OIDIfDescr, 2)}
	tests := []struct {
		version   string
		wantKinds []snmp.Kind
	}{
		{"2c", []snmp.Kind{snmp.KindTimeTicks, snmp.KindCounter64, snmp.KindCounter32, snmp.KindNoSuchInstance, snmp.KindOctetString}},
		{"3", []snmp.Kind{snmp.KindTimeTicks, snmp.KindCounter64, snmp.KindCounter32, snmp.KindNoSuchInstance, snmp.KindOctetString}},
		// SNMPv1 answers noSuchName for the Counter64 and the missing row:
		// exceptions for those OIDs, values for the others.
		{"1", []snmp.Kind{snmp.KindTimeTicks, snmp.KindNoSuchInstance, snmp.KindCounter32, snmp.KindNoSuchInstance, snmp.KindOctetString}},
	}
	for _, tt := range tests {
		t.Run("v"+tt.version, func(t *testing.T) {
			c := itDial(t, simConfig(sim, tt.version))
			got, err := c.Get(itCtx(t, 10*time.Second), oids)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			for i, v := range got {
				if v.OID != snmp.NormalizeOID(oids[i]) || v.Kind != tt.wantKinds[i] {
					t.Errorf("varbind %d = %s %s, want %s %s", i, v.OID, v.Kind, snmp.NormalizeOID(oids[i]), tt.wantKinds[i])
				}
				if !v.Exists() && (v.Uint != 0 || v.Int != 0) {
					t.Errorf("exception %s carries a value", v.OID)
				}
			}
			if got[4].Text() != "Virtual-Access1.195" {
				t.Errorf("ifDescr.2 = %q", got[4].Text())
			}
			if hc := got[1]; hc.Kind == snmp.KindCounter64 && hc.Uint < 5_000_000_000_000 {
				t.Errorf("ifHCInOctets.1 = %d, want at least its initial 5e12", hc.Uint)
			}
		})
	}
}

// TestSnmpsimGetSplits sends more OIDs than one PDU may carry (gosnmp's
// 60) and expects every answer in order.
func TestSnmpsimGetSplits(t *testing.T) {
	t.Parallel()
	sim := agenttest.StartSnmpsim(t, simData)
	c := itDial(t, simConfig(sim, "2c"))
	var oids []string
	for i := 0; i < 150; i++ {
		oids = append(oids, itOID(snmp.OIDIfDescr, i%4+1)) // row 4 does not exist
	}
	got, err := c.Get(itCtx(t, 20*time.Second), oids)
	if err != nil {
		t.Fatalf("Get of %d OIDs: %v", len(oids), err)
	}
	want := map[int]string{1: "GigabitEthernet0/0/0", 2: "Virtual-Access1.195", 3: "Virtual-Access1.196"}
	for i, v := range got {
		row := i%4 + 1
		if w, ok := want[row]; ok && v.Text() != w || !ok && v.Exists() {
			t.Fatalf("varbind %d (%s) = %s %q, want %q", i, v.OID, v.Kind, v.Text(), w)
		}
	}
}

func TestSnmpsimBulkWalk(t *testing.T) {
	t.Parallel()
	sim := agenttest.StartSnmpsim(t, simData)
	tests := []struct {
		version, root string
		want          []string
	}{
		{"2c", snmp.OIDIfName, []string{"Gi0/0/0", "Vi1.195", "Vi1.196"}},
		{"1", snmp.OIDIfDescr, []string{"GigabitEthernet0/0/0", "Virtual-Access1.195", "Virtual-Access1.196"}},
		{"2c", "." + snmp.OIDIfAlias, []string{"uplink to core", "", "alice@isp"}},
		{"2c", "1.3.6.1.2.1.1.5.0", []string{"bras-sim"}},      // a leaf: read with a GET
		{"2c", "1.3.6.1.2.1.99", nil},                          // nothing there
		{"1", "1.3.6.1.2.1.31.1.1.1.19", []string{"", "", ""}}, // TimeTicks, last column
	}
	for _, tt := range tests {
		t.Run("v"+tt.version+"/"+tt.root, func(t *testing.T) {
			c := itDial(t, simConfig(sim, tt.version))
			var got []string
			prev := ""
			err := c.BulkWalk(itCtx(t, 10*time.Second), tt.root, func(v snmp.Variable) error {
				if prev != "" && snmp.CompareOIDs(prev, v.OID) >= 0 {
					t.Errorf("%s after %s", v.OID, prev)
				}
				prev = v.OID
				got = append(got, v.Text())
				return nil
			})
			if err != nil {
				t.Fatalf("BulkWalk: %v", err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("walk %s = %q, want %q", tt.root, got, tt.want)
			}
		})
	}
}

func TestSnmpsimSelectInterface(t *testing.T) {
	t.Parallel()
	sim := agenttest.StartSnmpsim(t, simData)
	tests := []struct {
		version, spec string
		wantIndex     int
		wantHC        bool
		wantSpeed     uint64
	}{
		{"2c", "Vi1.196", 3, true, 1_000_000_000},
		{"2c", "alice@isp", 3, true, 1_000_000_000},
		{"2c", "gi 0/0/0", 1, true, 1_000_000_000},
		{"2c", "Virtual-Access1.195", 2, false, 1_000_000_000},
		{"1", "Gi0/0/0", 1, false, 1_000_000_000}, // no Counter64 over SNMPv1
		{"1", "2", 2, false, 1_000_000_000},
	}
	for _, tt := range tests {
		t.Run("v"+tt.version+"/"+tt.spec, func(t *testing.T) {
			c := itDial(t, simConfig(sim, tt.version))
			got, err := snmp.SelectInterface(itCtx(t, 10*time.Second), c, tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got.IfIndex != tt.wantIndex || got.HasHC != tt.wantHC || got.SpeedBps != tt.wantSpeed {
				t.Errorf("got ifIndex %d HC %v speed %d, want %d %v %d", got.IfIndex, got.HasHC, got.SpeedBps, tt.wantIndex, tt.wantHC, tt.wantSpeed)
			}
		})
	}
	c := itDial(t, simConfig(sim, "2c"))
	_, err := snmp.SelectInterface(itCtx(t, 10*time.Second), c, "Vi1.197")
	if !errors.Is(err, snmp.ErrNotFound) || !strings.Contains(err.Error(), "Vi1.196") {
		t.Errorf("unknown interface: err = %v, want ErrNotFound listing Vi1.196", err)
	}
}

func TestSnmpsimBadCredentials(t *testing.T) {
	t.Parallel()
	sim := agenttest.StartSnmpsim(t, simData, agenttest.WithV3User(simV3))
	wrongCommunity := simConfig(sim, "2c")
	wrongCommunity.Community = "not-the-community"
	wrongAuth := simConfig(sim, "3")
	wrongAuth.AuthPass = "wrong-auth-passphrase"
	wrongPriv := simConfig(sim, "3")
	wrongPriv.PrivPass = "wrong-priv-passphrase"
	wrongUser := simConfig(sim, "3")
	wrongUser.SecName = "nobody-here"
	tests := []struct {
		name        string
		cfg         snmp.Config
		wantTimeout bool
		wantMsg     string
	}{
		{"wrong community", wrongCommunity, true, "check address, community/credentials"},
		{"wrong auth passphrase", wrongAuth, false, "check the authentication protocol and passphrase"},
		{"wrong priv passphrase", wrongPriv, true, "answered SNMPv3 engine discovery, so check the security name (-u), the privacy protocol and passphrase (-x, -X)"},
		{"unknown user", wrongUser, true, "answered SNMPv3 engine discovery, so check the security name (-u)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Timeout = 500 * time.Millisecond
			c := itDial(t, tt.cfg)
			err := snmp.Probe(itCtx(t, 10*time.Second), c)
			if err == nil {
				t.Fatal("Probe succeeded")
			}
			t.Logf("Probe: %v", err)
			if errors.Is(err, snmp.ErrTimeout) != tt.wantTimeout || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Probe = %q (timeout %v), want timeout %v and %q", err, errors.Is(err, snmp.ErrTimeout), tt.wantTimeout, tt.wantMsg)
			}
			if tt.wantTimeout && tt.cfg.Version != "3" {
				want := fmt.Sprintf("no SNMP response from %s within 500ms — check address, community/credentials and the agent's ACL", sim.Addr())
				if err.Error() != want {
					t.Errorf("Probe = %q, want %q", err, want)
				}
			}
			for _, s := range []secret.Secret{tt.cfg.Community, tt.cfg.AuthPass, tt.cfg.PrivPass} {
				if s != "" && strings.Contains(err.Error(), s.Reveal()) {
					t.Errorf("error %q leaks a secret", err)
				}
			}
		})
	}
}

// BenchmarkGet times one poll-sized GET (sysUpTime and one interface's
// counters) against snmpsim; BenchmarkSnmpget times net-snmp's snmpget
// command for the same OIDs on the same kind of agent.
func BenchmarkGet(b *testing.B) {
	sim := agenttest.StartSnmpsim(b, simData)
	c := itDial(b, simConfig(sim, "2c"))
	oids := itPollOIDs(1)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Get(ctx, oids); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnmpget is BenchmarkGet's peer: one snmpget process per GET.
func BenchmarkSnmpget(b *testing.B) {
	sim := agenttest.StartSnmpsim(b, simData)
	args := append([]string{"-v2c", "-c", simCommunity, "-t", "1", "-r", "0", "-Oqv", sim.Addr()}, itPollOIDs(1)...)
	b.ResetTimer()
	for b.Loop() {
		if out, err := exec.Command("snmpget", args...).CombinedOutput(); err != nil {
			b.Fatalf("snmpget: %v: %s", err, out)
		}
	}
}

func itPollOIDs(ifIndex int) []string {
	return []string{snmp.OIDSysUpTime, itOID(snmp.OIDIfHCInOctets, ifIndex), itOID(snmp.OIDIfHCOutOctets, ifIndex), itOID(snmp.OIDIfCounterDiscontinuityTime, ifIndex)}
}
