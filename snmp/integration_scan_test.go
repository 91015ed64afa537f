package snmp_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// scanRows returns the 3,000 casnUserId indexes of the snmpsim scan data:
// a dense run, a sparse run in the middle of the index space and a run up
// to the largest 32-bit index.
func scanRows() []uint64 {
	var rows []uint64
	for i := uint64(0); i < 1500; i++ {
		rows = append(rows, 100000+i)
	}
	for i := uint64(0); i < 1000; i++ {
		rows = append(rows, 2_000_000_000+977*i)
	}
	for i := uint64(0); i < 500; i++ {
		rows = append(rows, 1<<32-500+i)
	}
	return rows
}

// writeScanData writes DIR/scan.snmprec: the scan rows of casnUserId with
// rows of the neighbour columns casnSessionId-1 (.1) and casnIpAddr (.3).
func writeScanData(t *testing.T) string {
	t.Helper()
	lines := []string{
		"1.3.6.1.2.1.1.1.0|4|stg scan test",
		"1.3.6.1.2.1.1.3.0|67|100",
		scanColumn[:len(scanColumn)-1] + "1.5|4|before",
		scanColumn[:len(scanColumn)-1] + "3.100000|64|10.0.0.1",
	}
	for _, r := range scanRows() {
		lines = append(lines, fmt.Sprintf("%s.%d|4|u%d", scanColumn, r, r))
	}
	sort.Slice(lines, func(i, j int) bool {
		a, _, _ := strings.Cut(lines[i], "|")
		b, _, _ := strings.Cut(lines[j], "|")
		return snmp.CompareOIDs(a, b) < 0
	})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "scan.snmprec"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// peerWalk returns net-snmp's walk of column as "OID=value" lines:
// snmpbulkwalk -Cr50, or snmpwalk over SNMPv1.
func peerWalk(t *testing.T, target snmp.Target, community, version, column string) []string {
	t.Helper()
	tool, args := "snmpbulkwalk", []string{"-Cr50"}
	if version == "1" {
		tool, args = "snmpwalk", nil
	}
	args = append(args, "-v"+version, "-c", community, "-On", "-Oq", "-t", "5", target.Addr(), column)
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	var rows []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		oid, value, _ := strings.Cut(line, " ")
		if strings.HasPrefix(value, "No more variables") {
			continue // net-snmp shows the endOfMibView at the end of the MIB
		}
		if oid = snmp.NormalizeOID(oid); snmp.HasPrefix(oid, column) {
			rows = append(rows, oid+"="+strings.Trim(value, `"`))
		}
	}
	return rows
}

// scanAll returns ScanColumn's rows as sorted "OID=value" lines and fails
// the test on a row handed out twice.
func scanAll(t *testing.T, c snmp.Client, column string) []string {
	t.Helper()
	seen := map[string]bool{}
	var rows []string
	err := snmp.ScanColumn(itCtx(t, 60*time.Second), c, column, func(v snmp.Variable) error {
		if seen[v.OID] {
			t.Errorf("row %s handed out twice", v.OID)
		}
		seen[v.OID] = true
		rows = append(rows, v.OID+"="+v.Text())
		return nil
	})
	if err != nil {
		t.Fatalf("ScanColumn %s: %v", column, err)
	}
	sort.Slice(rows, func(i, j int) bool {
		a, _, _ := strings.Cut(rows[i], "=")
		b, _, _ := strings.Cut(rows[j], "=")
		return snmp.CompareOIDs(a, b) < 0
	})
	return rows
}

func sameRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: the peer read no rows", what)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: ScanColumn read %d rows, net-snmp %d; first of each: %.80q / %.80q", what, len(got), len(want), strings.Join(got, " "), strings.Join(want, " "))
	}
}

// TestScanColumnAgainstAgents scans long columns of snmpsim and of the
// simulator, over every SNMP version they speak, and expects exactly the
// rows net-snmp's own walk reads on the same agent.
func TestScanColumnAgainstAgents(t *testing.T) {
	t.Parallel()
	t.Run("snmpsim", func(t *testing.T) {
		t.Parallel()
		sim := agenttest.StartSnmpsim(t, writeScanData(t), agenttest.WithV3User(simV3))
		want := peerWalk(t, sim.Target, "scan", "2c", scanColumn)
		if len(want) != len(scanRows()) {
			t.Fatalf("snmpbulkwalk read %d rows, the data has %d", len(want), len(scanRows()))
		}
		for _, version := range []string{"2c", "3"} {
			cfg := simConfig(sim, version)
			cfg.Community, cfg.Context = "scan", "scan"
			sameRows(t, "snmpsim v"+version, scanAll(t, itDial(t, cfg), scanColumn), want)
		}
	})
	t.Run("simulator", func(t *testing.T) {
		t.Parallel()
		sim := agenttest.StartSim(t, brassim.Options{Sessions: 3000, Seed: 7, NoSSH: true})
		target, err := snmp.ParseTarget(sim.Addr())
		if err != nil {
			t.Fatal(err)
		}
		for _, column := range []string{"1.3.6.1.4.1.9.9.786.1.1.1.1.24", scanColumn} {
			for _, version := range []string{"2c", "1"} {
				want := peerWalk(t, target, sim.Community(), version, column)
				if len(want) != 3000 {
					t.Fatalf("net-snmp read %d rows of %s, the simulator has 3000 sessions", len(want), column)
				}
				cfg := snmp.Config{Target: target, Version: snmp.Version(version), Community: secret.Secret(sim.Community()), Timeout: 3 * time.Second}
				sameRows(t, "simulator v"+version+" "+column, scanAll(t, itDial(t, cfg), column), want)
			}
		}
	})
}

// TestScanColumnFewerRequests: on snmpsim, which answers at most 64
// varbinds per GETBULK, a scan of 3,000 rows needs no more GETBULKs than
// the agent's limit allows plus the probes, where -Cr50 needs 61.
func TestScanColumnFewerRequests(t *testing.T) {
	t.Parallel()
	sim := agenttest.StartSnmpsim(t, writeScanData(t))
	cfg := simConfig(sim, "2c")
	cfg.Community = "scan"
	c := &countingClient{Client: itDial(t, cfg)}
	if rows := len(scanAll(t, c, scanColumn)); rows != len(scanRows()) {
		t.Fatalf("%d rows, want %d", rows, len(scanRows()))
	}
	t.Logf("%d GETBULKs, %d varbinds", c.requests, c.varbinds)
	if limit := (len(scanRows())+49)/50 + 1; c.requests >= limit {
		t.Errorf("%d GETBULKs, want fewer than snmpbulkwalk -Cr50's %d", c.requests, limit)
	}
}
