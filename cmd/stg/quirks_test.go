package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
)

// TestCLICounterQuirks runs stg against agents that serve their counters
// and clocks their own way (snmp/testdata/quirks, one community per file):
// each either polls with true rates and says once on stderr what it did
// about the quirk, or exits 1 at once saying why it cannot poll.
func TestCLICounterQuirks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpsimd")
	}
	addr := agenttest.StartSnmpsim(t, filepath.Join("..", "..", "snmp", "testdata", "quirks")).Addr()
	tests := []struct {
		name string
		args []string
		// code is the exit code; for 0, rated is the least number of rows
		// with a rate, inRate each target's true in rate in octets per
		// second (the data file's rate=) and bad the statuses no row may
		// have.
		code   int
		rated  int
		inRate map[string]float64
		bad    []sample.Status
		// stderr holds what stderr must say, once per line given.
		stderr []string
	}{
		{name: "INTEGER and Gauge32 counters are read as 32-bit counters",
			args: []string{"-c", "embedded", "--count", "5", addr, "eth0", "eth1"},
			code: 0, rated: 4, inRate: map[string]float64{"eth0": 1_250_000, "eth1": 500_000}, bad: []sample.Status{sample.StatusGapDiscontinuity},
			stderr: []string{"eth0: the agent has no 64-bit counters", "eth0: the agent serves ifInOctets.1 and ifOutOctets.1 as INTEGER", "eth1: the agent serves ifInOctets.2 and ifOutOctets.2 as Gauge32"}},
		{name: "a frozen sysUpTime.0",
			args: []string{"-c", "frozen-clock", "-i", "2", "--count", "5", addr, "Gi0/0/0"},
			code: 0, rated: 2, inRate: map[string]float64{"Gi0/0/0": 1_250_000}, bad: []sample.Status{sample.StatusGapReset},
			stderr: []string{"sysUpTime.0 stood still", "this host's clock"}},
		{name: "no sysUpTime.0",
			args: []string{"-c", "no-uptime", "--count", "4", addr, "Gi0/0/0"},
			code: 0, rated: 2, inRate: map[string]float64{"Gi0/0/0": 1_250_000},
			stderr: []string{"no usable sysUpTime.0"}},
		{name: "64-bit counters the agent cannot read",
			args: []string{"-c", "ma5600", "--count", "4", addr, "GPON 0/3/4"},
			code: 0, rated: 2, inRate: map[string]float64{"GPON 0/3/4": 3_000_000}, bad: []sample.Status{sample.StatusGapDiscontinuity, sample.StatusGapReset},
			stderr: []string{"18446744073709551615 (2^64−1)", "using 32-bit ifInOctets/ifOutOctets"}},
		{name: "32-bit counters over SNMPv1 on an interface with 64-bit ones only",
			args: []string{"-v", "1", "-c", "iosxr", "--count", "2", addr, "TenGigE0/0/0/0"},
			code: 1, stderr: []string{`interface "TenGigE0/0/0/0"`, "ifInOctets: noSuchInstance", "use -v 2c"}},
		{name: "an interface without counters",
			args: []string{"-c", "iosxr", "--count", "2", addr, "Loopback0"},
			code: 1, stderr: []string{`interface "Loopback0"`, "no octet counters", "pick another interface"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runStg(t, nil, append([]string{"-t", "5", "-o", "csv"}, tt.args...)...)
			t.Logf("exit %d, stderr:\n%s", r.code, r.stderr)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, tt.code, r.stderr)
			}
			for _, w := range tt.stderr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not say %q", r.stderr, w)
				}
			}
			if tt.code != 0 {
				if r.stdout != "" || strings.Count(r.stderr, "\n") != 1 {
					t.Errorf("stdout %q, stderr %q; want no rows and one line", r.stdout, r.stderr)
				}
				return
			}
			for _, line := range strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n") {
				if !strings.HasPrefix(line, "stg: note: ") || strings.Count(r.stderr, line) != 1 {
					t.Errorf("stderr line %q: want each note once, as `stg: note: ...`", line)
				}
			}
			samples, err := record.ReadCSV(strings.NewReader(r.stdout))
			if err != nil {
				t.Fatalf("output is not a recording: %v\n%s", err, r.stdout)
			}
			rated := 0
			for i, s := range samples {
				if s.Status.HasRate() {
					rated++
					// 3%: one row's interval carries the scheduling
					// jitter of a busy machine.
					if want := tt.inRate[s.Target] * 8; math.Abs(s.InBps-want) > 0.03*want {
						t.Errorf("row %d (%s, %s): in %.0f b/s, truth %.0f", i+1, s.Target, s.Status, s.InBps, want)
					}
				}
				for _, b := range tt.bad {
					if s.Status == b {
						t.Errorf("row %d: %s", i+1, s.Status)
					}
				}
			}
			if rated < tt.rated {
				t.Errorf("%d rows with a rate, want at least %d:\n%s", rated, tt.rated, r.stdout)
			}
		})
	}
}
