package brassim

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
)

// The SNMPv3 user of the net-snmp tests.
var testV3 = V3User{Name: "stgtest", AuthProto: "SHA", AuthPass: "auth-secret-1", PrivProto: "AES", PrivPass: "priv-secret-2"}

// netsnmp runs one net-snmp tool against the simulator with numeric OIDs and
// returns its varbinds as OID → value text, in output order.
func netsnmp(t *testing.T, tool string, args ...string) (oids []string, values map[string]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args = append([]string{"-On", "-t", "2", "-r", "1"}, args...)
	out, err := exec.CommandContext(ctx, tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	values = map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		oid, val, ok := strings.Cut(sc.Text(), " = ")
		if !ok || !strings.HasPrefix(oid, ".") {
			continue // a continuation line of a multi-line string
		}
		if strings.HasPrefix(val, "No more variables left in this MIB View") {
			continue // net-snmp prints the endOfMibView that ends a walk
		}
		oid = snmp.NormalizeOID(oid)
		oids = append(oids, oid)
		values[oid] = val
	}
	return oids, values
}

// v2cArgs and v3Args are the credentials of the simulator for net-snmp.
func v2cArgs(s *Sim) []string { return []string{"-v2c", "-c", s.Community(), s.Addr()} }

func v3Args(s *Sim, u V3User) []string {
	return []string{"-v3", "-l", "authPriv", "-u", u.Name, "-a", u.AuthProto, "-A", u.AuthPass,
		"-x", u.PrivProto, "-X", u.PrivPass, s.Addr()}
}

// checkIncreasing fails unless every OID sorts strictly after the one before.
func checkIncreasing(t *testing.T, oids []string) {
	t.Helper()
	for i := 1; i < len(oids); i++ {
		if snmp.CompareOIDs(oids[i-1], oids[i]) >= 0 {
			t.Fatalf("OID %d (%s) does not increase over %s", i, oids[i], oids[i-1])
		}
	}
}

// walkCounts are the varbinds a full walk must return, per column group.
func walkCounts(ifs, sessions, subs int, v1 bool) int {
	const scalars = 7
	ifColumns := 15
	if v1 {
		ifColumns -= 2 // ifHCInOctets, ifHCOutOctets
	}
	return scalars + ifs*ifColumns + sessions*3 + subs*2
}

func TestNetSNMPWalks(t *testing.T) {
	const n = 300
	s, _ := startSim(t, Options{Sessions: n, V3: &testV3})
	phys := len(physicalInterfaces(time.Time{}))
	tests := []struct {
		name string
		tool string
		args []string
		want int
	}{
		{"snmpwalk v2c", "snmpwalk", v2cArgs(s), walkCounts(phys+n, n, n, false)},
		{"snmpbulkwalk v2c -Cr50", "snmpbulkwalk", append([]string{"-Cr50"}, v2cArgs(s)...), walkCounts(phys+n, n, n, false)},
		{"snmpbulkwalk v2c -Cr7", "snmpbulkwalk", append([]string{"-Cr7"}, v2cArgs(s)...), walkCounts(phys+n, n, n, false)},
		{"snmpwalk v1 skips Counter64", "snmpwalk", []string{"-v1", "-c", s.Community(), s.Addr()}, walkCounts(phys+n, n, n, true)},
		{"snmpbulkwalk v3 authPriv SHA/AES", "snmpbulkwalk", append([]string{"-Cr25"}, v3Args(s, testV3)...), walkCounts(phys+n, n, n, false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oids, values := netsnmp(t, tt.tool, append(tt.args, "1.3")...)
			checkIncreasing(t, oids)
			if len(oids) != tt.want {
				t.Errorf("walked %d varbinds, want %d", len(oids), tt.want)
			}
			c64 := 0
			for _, v := range values {
				if strings.HasPrefix(v, "Counter64:") {
					c64++
				}
			}
			if v1 := strings.Contains(tt.name, "v1"); v1 != (c64 == 0) {
				t.Errorf("%d Counter64 values in the walk", c64)
			}
		})
	}
}

func TestNetSNMPUserColumns(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 120, V3: &testV3})
	sessions := s.Sessions()
	tests := []struct {
		name string
		args []string
		col  string
		key  func(Session) int
	}{
		{"casnUserId over v3", v3Args(s, testV3), oidCasnUserID, func(x Session) int { return int(x.AcctID) }},
		{"csubSessionUsername over v2c", v2cArgs(s), oidCsubUsername, func(x Session) int { return x.IfIndex }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oids, values := netsnmp(t, "snmpbulkwalk", append(append([]string{"-Cr50"}, tt.args...), tt.col)...)
			if len(oids) != len(sessions) {
				t.Fatalf("walked %d rows, want %d", len(oids), len(sessions))
			}
			for _, x := range sessions {
				oid := fmt.Sprintf("%s.%d", tt.col, tt.key(x))
				if got, want := values[oid], fmt.Sprintf("STRING: %q", x.User); got != want {
					t.Errorf("%s = %s, want %s", oid, got, want)
				}
			}
		})
	}
}

func TestNetSNMPGet(t *testing.T) {
	s, clock := startSim(t, Options{Sessions: 20, V3: &testV3})
	clock.Add(90 * time.Second)
	idx, name, _ := s.Lookup(UserVictim)
	in, out, _ := s.Truth(UserVictim)
	oids := []string{snmp.OIDSysUpTime, fmt.Sprintf("%s.%d", snmp.OIDIfHCInOctets, idx), fmt.Sprintf("%s.%d", snmp.OIDIfHCOutOctets, idx),
		fmt.Sprintf("%s.%d", snmp.OIDIfOutOctets, idx), fmt.Sprintf("%s.%d", snmp.OIDIfName, idx), fmt.Sprintf("%s.%d", snmp.OIDIfName, 1<<30)}
	want := []string{"Timeticks: (9000) 0:01:30.00", "Counter64: " + strconv.FormatUint(in, 10), "Counter64: " + strconv.FormatUint(out, 10),
		"Counter32: " + strconv.FormatUint(out%(1<<32), 10), fmt.Sprintf("STRING: %q", name), "No Such Instance currently exists at this OID"}
	for _, args := range [][]string{v2cArgs(s), v3Args(s, testV3)} {
		t.Run(args[0], func(t *testing.T) {
			_, values := netsnmp(t, "snmpget", append(args, oids...)...)
			for i, oid := range oids {
				if values[oid] != want[i] {
					t.Errorf("%s = %q, want %q", oid, values[oid], want[i])
				}
			}
		})
	}
}

func TestNetSNMPv3Refusals(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 5, V3: &testV3})
	wrongAuth, wrongUser := testV3, testV3
	wrongAuth.AuthPass = "not-the-password"
	wrongUser.Name = "intruder"
	tests := []struct {
		name string
		u    V3User
		want string
	}{
		{"wrong auth passphrase", wrongAuth, "Authentication failure"},
		{"unknown user", wrongUser, "Unknown user name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, "snmpget", append(append([]string{"-t", "1", "-r", "0"}, v3Args(s, tt.u)...), snmp.OIDSysUpTime)...).CombinedOutput()
			if err == nil || !strings.Contains(string(out), tt.want) {
				t.Errorf("snmpget: err %v, output %q; want a failure saying %q", err, out, tt.want)
			}
		})
	}
}
