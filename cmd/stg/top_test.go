package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/snmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// topEnv is the environment of an in-process stg top: the simulator's
// community, and GOGC set so that the test process keeps its garbage
// collector's target.
func topEnv(sim *brassim.Sim) map[string]string {
	return map[string]string{"STG_COMMUNITY": sim.Community(), "GOGC": "100"}
}

// startTopSim starts a 20-session simulator whose three backhaul hogs
// rank first once rates are measured: the DNS-amplification victim (800
// Mb/s out), then 600 and 200 Mb/s.
func startTopSim(t *testing.T) *brassim.Sim {
	t.Helper()
	return agenttest.StartSim(t, brassim.Options{Sessions: 20, Hogs: 3, Seed: 7, NoSSH: true, Community: "s3cret-top"})
}

// Normalising a top output for its golden file: what the clock and the
// agent's port decide becomes a word, rates keep two significant digits.
var (
	timeCell = regexp.MustCompile(`\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)`)
	rateJSON = regexp.MustCompile(`"(in_bps|out_bps|in_octets|out_octets|interval_s)":([0-9.e+]+)`)
)

// normalise rewrites the rows of a top run for its golden file: the time,
// the router's address and the octets are words; rates are rounded to two
// significant digits (which a true rate within 1 % keeps), intervals to
// one.
func normalise(t *testing.T, out, router string, format record.Format) string {
	t.Helper()
	out = strings.ReplaceAll(timeCell.ReplaceAllString(out, "TIME"), router, "ROUTER")
	if format == record.FormatJSONL {
		return rateJSON.ReplaceAllStringFunc(out, func(m string) string {
			kv := rateJSON.FindStringSubmatch(m)
			return fmt.Sprintf("%q:%s", kv[1], normalCell(t, kv[1], kv[2]))
		})
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines[1:] {
		cells := strings.Split(l, ",")
		if len(cells) != len(record.RankHeader) {
			continue
		}
		for k, name := range record.RankHeader {
			if cells[k] != "" && (strings.HasSuffix(name, "_bps") || strings.HasSuffix(name, "_octets") || name == "interval_s") {
				cells[k] = normalCell(t, name, cells[k])
			}
		}
		lines[i+1] = strings.Join(cells, ",")
	}
	return strings.Join(lines, "\n")
}

// normalCell is one normalised value of column name: the octets a word
// (IN, OUT), a rate two significant digits, an interval one.
func normalCell(t *testing.T, name, value string) string {
	t.Helper()
	if strings.HasSuffix(name, "_octets") {
		return strings.ToUpper(strings.TrimSuffix(name, "_octets"))
	}
	x, err := strconv.ParseFloat(value, 64)
	if err != nil {
		t.Fatalf("%s %q: %v", name, value, err)
	}
	digits := 2
	if name == "interval_s" {
		digits = 1
	}
	return strconv.FormatFloat(x, 'g', digits, 64)
}

// TestTopRowsGolden: piped, `stg top --count 3 --limit 3` writes three
// cycles of three rows each, with a rank column: the first two without a
// rate (a first reading, then pending: a counter cache could hold seconds
// of traffic), ranked by ifIndex; the third ranks the three hogs first at
// their true rates.
func TestTopRowsGolden(t *testing.T) {
	for _, format := range []record.Format{record.FormatCSV, record.FormatJSONL} {
		t.Run(string(format), func(t *testing.T) {
			sim := startTopSim(t)
			code, stdout, stderr := runInProcess(t, topEnv(sim), "top", "--router", sim.Addr(), "--count", "3", "--limit", "3", "-o", string(format))
			if code != exitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, stderr)
			}
			got := normalise(t, stdout, sim.Addr(), format)
			path := filepath.Join("testdata", "top", "rows."+string(format)+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("rows differ from %s (-update rewrites it):\n%s", path, got)
			}
		})
	}
}

// TestTopHogRates: the hogs' rates in a top CSV are their true rates
// within 2 %, and `--filter` keeps only what it matches.
func TestTopHogRates(t *testing.T) {
	sim := startTopSim(t)
	hogs := sim.Hogs()
	_, victimIf, _ := sim.Lookup(brassim.UserVictim)
	code, stdout, stderr := runInProcess(t, topEnv(sim), "top", "--router", sim.Addr(), "--count", "4", "--filter", "^(Vi4|"+regexp.QuoteMeta(hogs[1].User)+")")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	rec, err := record.ReadRecording(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	rated := 0
	for i, s := range rec.Samples {
		if !strings.HasPrefix(s.IfName, "Vi4") && s.Target != hogs[1].User {
			t.Errorf("row %d: %s on %s passed the filter", i, s.Target, s.IfName)
		}
		for _, h := range hogs {
			if s.Target != h.User || !s.Status.HasRate() {
				continue
			}
			rated++
			if math.Abs(s.InBps-h.InBps) > 0.02*h.InBps || math.Abs(s.OutBps-h.OutBps) > 0.02*h.OutBps {
				t.Errorf("%s: %.0f/%.0f b/s, want %.0f/%.0f within 2%%", h.User, s.InBps, s.OutBps, h.InBps, h.OutBps)
			}
			if h.User == brassim.UserVictim && (rec.Ranks[i] != 1 || s.IfName != victimIf) {
				t.Errorf("the victim on %s ranks %d, want 1 on %s", s.IfName, rec.Ranks[i], victimIf)
			}
		}
	}
	if rated == 0 {
		t.Errorf("no hog row with a rate in:\n%s", stdout)
	}
}

// TestTopBadInput: a command line stg top cannot run is one line and exit
// 2; a router that serves none of the counter columns names them, exit 1.
func TestTopBadInput(t *testing.T) {
	usage := []struct {
		name string
		args []string
		want []string
	}{
		{"bad regexp", []string{"--router", "r1", "--filter", "Vi2.(1"}, []string{`--filter "Vi2.(1" is not a regular expression`, "missing closing )", "(see stg top --help)"}},
		{"no router", []string{"--count", "1"}, []string{"no router", "(see stg top --help)"}},
		{"two routers", []string{"--router", "r1", "--router", "r2"}, []string{"--router is given more than once"}},
		{"an interface", []string{"r1", "Gi0/1"}, []string{`unexpected argument "Gi0/1"`, "--filter"}},
		{"negative limit", []string{"--router", "r1", "--limit", "-1"}, []string{"--limit must be 0 (every row) or more"}},
		{"tui piped", []string{"--router", "r1", "-o", "tui"}, []string{"-o tui needs a terminal", "(see stg top --help)"}},
		{"64-bit on v1", []string{"--router", "r1", "-v", "1", "--counters", "64"}, []string{"--counters 64 needs -v 2c or 3"}},
		{"polling options", []string{"--router", "r1", "--if", "Gi0/1"}, []string{"unknown flag: --if"}},
	}
	for _, tt := range usage {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runInProcess(t, nil, append([]string{"top"}, tt.args...)...)
			if code != exitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line", code, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
	t.Run("no counter columns", func(t *testing.T) {
		// An agent that has sysUpTime.0 and nothing else.
		h := agenttest.StartHostile(t, func(req agenttest.HostileRequest) []agenttest.HostileReply {
			return []agenttest.HostileReply{agenttest.AnswerGet(req, func(oid string) snmp.Variable {
				if req.Type == agenttest.PDUGet && oid == snmp.OIDSysUpTime {
					return snmp.Variable{Kind: snmp.KindTimeTicks, Uint: 4711}
				}
				if req.Type == agenttest.PDUGet {
					return snmp.Variable{Kind: snmp.KindNoSuchObject}
				}
				return snmp.Variable{Kind: snmp.KindEndOfMibView}
			})}
		})
		code, stdout, stderr := runInProcess(t, map[string]string{"GOGC": "100"},
			"top", "--router", h.Target.Addr(), "-c", agenttest.HostileCommunity, "-t", "0.5", "-r", "1")
		if code != exitFailure || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("exit %d, stdout %q, stderr %q; want 1 and one line", code, stdout, stderr)
		}
		if !strings.Contains(stderr, "serves no ifHCInOctets, ifHCOutOctets, ifInOctets, ifOutOctets") {
			t.Errorf("stderr %q does not name the missing columns", stderr)
		}
		if strings.Contains(stderr, agenttest.HostileCommunity) {
			t.Errorf("stderr %q shows the community", stderr)
		}
	})
}

// TestTopHelpListsEveryFlag: `stg top --help` and `stg help top` show
// every flag of the table with its help, and the environment it reads.
func TestTopHelpListsEveryFlag(t *testing.T) {
	for _, args := range [][]string{{"top", "--help"}, {"help", "top"}, {"-c", "x", "top", "-h"}} {
		code, stdout, stderr := runInProcess(t, nil, args...)
		if code != exitOK || stderr != "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
		for _, f := range cli.Top.Flags {
			first := strings.Fields(strings.ReplaceAll(f.Help, "`", ""))[0]
			if !strings.Contains(stdout, "--"+f.Name) || !strings.Contains(stdout, first) {
				t.Errorf("%q: the help lacks --%s and its help", args, f.Name)
			}
		}
		if !strings.Contains(stdout, "GOGC") || !strings.Contains(stdout, "GOMEMLIMIT") || !strings.Contains(stdout, "Usage: stg top") {
			t.Errorf("%q: the help lacks the usage, GOGC or GOMEMLIMIT:\n%s", args, stdout)
		}
	}
}

// TestTopOptionsBeforeTop: stg's SNMP options may come before `top`, as
// before `resolve`.
func TestTopOptionsBeforeTop(t *testing.T) {
	sim := startTopSim(t)
	code, stdout, stderr := runInProcess(t, map[string]string{"GOGC": "100"},
		"-c", sim.Community(), "top", "--router", sim.Addr(), "--count", "1", "--limit", "2", "-o", "csv")
	if code != exitOK || strings.Count(stdout, "\n") != 3 || !strings.HasSuffix(strings.Split(stdout, "\n")[2], ",first,2") {
		t.Errorf("exit %d, stdout %q, stderr %q; want a header and two first rows", code, stdout, stderr)
	}
}
