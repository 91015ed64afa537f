package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// resolveSizes are the router sizes of measurement 1 (sessions).
var resolveSizes = []int{1000, 8000, 32000}

// resolveReps is how many times each command runs; the median counts.
const resolveReps = 3

// resolveTimes are the medians of one router.
type resolveTimes struct {
	First, Cached, Walk10, Walk50 time.Duration
	// Scan is snmp.ScanColumn reading every casnUserId row: the time any
	// user's first run can take at most, whatever its place in the table.
	Scan time.Duration
}

// userColumn is a username column stg resolves from: its name (as in stg
// resolve's method "snmp:NAME") and OID.
type userColumn struct{ Name, OID string }

// The columns stg reads first on each agent: the simulator has
// CISCO-SUBSCRIBER-SESSION-MIB, the snmpsim data only CISCO-AAA-SESSION-MIB.
var (
	csubColumn = userColumn{"csubSessionUsername", oidCsubUser}
	casnColumn = userColumn{"casnUserId", oidCasnUserID}
)

// walkArgs is snmpbulkwalk of col with max-repetitions r.
func walkArgs(a *agent, col userColumn, r int) []string {
	return []string{"-v2c", "-c", a.Community, "-Cr" + strconv.Itoa(r), "-On", a.Addr, col.OID}
}

// lastWalkedUser returns the username on the last row of snmpbulkwalk's
// output (`.1.3...2.36095 = STRING: "jschmidt534"`), past the endOfMibView
// line net-snmp adds when the column ends the agent's MIB.
func lastWalkedUser(out []byte) (string, error) {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	line := lines[len(lines)-1]
	if strings.Contains(line, "No more variables left") && len(lines) > 1 {
		line = lines[len(lines)-2]
	}
	_, v, ok := strings.Cut(line, "STRING: ")
	if !ok {
		return "", fmt.Errorf("no username in snmpbulkwalk's last line %q", line)
	}
	return strings.Trim(v, `"`), nil
}

// resolveOne is one line of `stg resolve -o json`.
type resolveOne struct {
	User    string `json:"user"`
	IfIndex int    `json:"ifIndex"`
	Method  string `json:"method"`
}

// scanAll times snmp.ScanColumn of col on a, in this process, and checks
// that it read n rows.
func scanAll(ctx context.Context, a *agent, col userColumn, n int) (time.Duration, error) {
	target, err := snmp.ParseTarget(a.Addr)
	if err != nil {
		return 0, err
	}
	c, err := snmp.Dial(ctx, snmp.Config{Target: target, Version: "2c", Community: secret.Secret(a.Community), Timeout: 5 * time.Second, Retries: 1})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	start, rows := time.Now(), 0
	err = snmp.ScanColumn(ctx, c, col.OID, func(snmp.Variable) error {
		rows++
		return nil
	})
	took := time.Since(start)
	switch {
	case err != nil:
		return 0, fmt.Errorf("scan %s: %w", col.Name, err)
	case rows != n:
		return 0, fmt.Errorf("scan %s read %d rows, want %d", col.Name, rows, n)
	}
	return took, nil
}

// measureResolve times `stg resolve` of the last user of col on a (first
// run with an empty cache, then the cached run) and a scan of all n rows of
// col against snmpbulkwalk -Cr10 and -Cr50 of col on the same agent,
// resolveReps times each, interleaved. stg must answer from col; and with
// wantIfIndex's ifIndex when that is not 0.
func measureResolve(ctx context.Context, stg stgBin, a *agent, col userColumn, n, wantIfIndex int, tmp string) (resolveTimes, error) {
	warm, err := run(ctx, nil, "snmpbulkwalk", walkArgs(a, col, 50)...)
	if err != nil {
		return resolveTimes{}, fmt.Errorf("warm-up walk: %w", err)
	}
	user, err := lastWalkedUser(warm.Stdout)
	if err != nil {
		return resolveTimes{}, err
	}
	var first, cached, w10, w50, scans []time.Duration
	for i := 0; i < resolveReps; i++ {
		scan, err := scanAll(ctx, a, col, n)
		if err != nil {
			return resolveTimes{}, err
		}
		scans = append(scans, scan)
		for _, r := range []int{10, 50} {
			res, err := run(ctx, nil, "snmpbulkwalk", walkArgs(a, col, r)...)
			if err != nil {
				return resolveTimes{}, err
			}
			if got, err := lastWalkedUser(res.Stdout); err != nil || got != user {
				return resolveTimes{}, fmt.Errorf("snmpbulkwalk -Cr%d ended at %q, want %q (%v)", r, got, user, err)
			}
			if r == 10 {
				w10 = append(w10, res.Wall)
			} else {
				w50 = append(w50, res.Wall)
			}
		}
		cache, err := os.MkdirTemp(tmp, "xdg-cache-*")
		if err != nil {
			return resolveTimes{}, fmt.Errorf("make resolve cache dir: %w", err)
		}
		env := []string{"XDG_CACHE_HOME=" + cache, "STG_COMMUNITY=" + a.Community}
		args := []string{"resolve", "--router", a.Addr, "--user", user, "-o", "json", "--resolve", "snmp"}
		for pass := 0; pass < 2; pass++ {
			res, err := run(ctx, env, stg.path, args...)
			if err != nil {
				return resolveTimes{}, err
			}
			var got resolveOne
			if err := json.Unmarshal([]byte(lastLine(res.Stdout)), &got); err != nil {
				return resolveTimes{}, fmt.Errorf("stg resolve output %q: %w", res.Stdout, err)
			}
			if got.User != user || got.IfIndex == 0 || (wantIfIndex != 0 && got.IfIndex != wantIfIndex) {
				return resolveTimes{}, fmt.Errorf("stg resolve %s answered %+v, want ifIndex %d", user, got, wantIfIndex)
			}
			if pass == 0 {
				if got.Method != "snmp:"+col.Name {
					return resolveTimes{}, fmt.Errorf("stg resolve used %q, want snmp:%s, the column snmpbulkwalk reads", got.Method, col.Name)
				}
				first = append(first, res.Wall)
			} else {
				if got.Method != "cache" {
					return resolveTimes{}, fmt.Errorf("second stg resolve used %q, want the cache", got.Method)
				}
				cached = append(cached, res.Wall)
			}
		}
		_ = os.RemoveAll(cache)
	}
	return resolveTimes{First: median(first), Cached: median(cached), Walk10: median(w10), Walk50: median(w50), Scan: median(scans)}, nil
}

// resolveRows runs measurement 1 on the simulator and on snmpsim and
// returns its table rows.
func resolveRows(ctx context.Context, stg stgBin, cacheDir, tmp string) ([]row, error) {
	data := filepath.Join(cacheDir, "data", "resolve")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, fmt.Errorf("make resolve data dir: %w", err)
	}
	for _, n := range resolveSizes {
		if err := writeIfChanged(filepath.Join(data, sizeName(n)+".snmprec"), resolveSnmprec(n)); err != nil {
			return nil, err
		}
	}
	var rows []row
	add := func(kind string, col userColumn, n int, t resolveTimes) {
		m := fmt.Sprintf("resolve last of %s %s", sizeName(n), kind)
		rows = append(rows,
			newRow("1", m+", first run", "s", t.First.Seconds()).vs("snmpbulkwalk -Cr10", t.Walk10.Seconds()),
			newRow("1", m+", first run", "s", t.First.Seconds()).vs("snmpbulkwalk -Cr50", t.Walk50.Seconds()),
			newRow("1", m+", cached run", "s", t.Cached.Seconds()).vs("snmpbulkwalk -Cr50", t.Walk50.Seconds()))
		if n == resolveSizes[len(resolveSizes)-1] {
			r := newRow("1", fmt.Sprintf("read all of %s, %s %s (any user's worst case)", col.Name, sizeName(n), kind), "s", t.Scan.Seconds()).vs("snmpbulkwalk -Cr50", t.Walk50.Seconds())
			r.Note = "stg: snmp.ScanColumn in the bench process, so without a process start"
			rows = append(rows, r)
		}
	}
	for _, n := range resolveSizes {
		sim, err := startSim(stg.path, n, tmp)
		if err != nil {
			return nil, err
		}
		t, err := measureResolve(ctx, stg, sim, csubColumn, n, 0, tmp)
		sim.stop()
		if err != nil {
			return nil, fmt.Errorf("resolve on the %d-session simulator: %w", n, err)
		}
		add("sim", csubColumn, n, t)
	}
	ss, err := startSnmpsim(ctx, data, filepath.Join(cacheDir, "snmpsim-cache"), sizeName(resolveSizes[0]))
	if err != nil {
		return nil, err
	}
	defer ss.stop()
	for _, n := range resolveSizes {
		a := *ss
		a.Community = sizeName(n)
		t, err := measureResolve(ctx, stg, &a, casnColumn, n, 1000+n-1, tmp)
		if err != nil {
			return nil, fmt.Errorf("resolve on snmpsim with %d sessions: %w", n, err)
		}
		add("snmpsim", casnColumn, n, t)
	}
	return rows, nil
}

// sizeName is "1k", "8k", "32k".
func sizeName(n int) string { return strconv.Itoa(n/1000) + "k" }
