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

// walkArgs is snmpbulkwalk of casnUserId with max-repetitions r.
func walkArgs(a *agent, r int) []string {
	return []string{"-v2c", "-c", a.Community, "-Cr" + strconv.Itoa(r), "-On", a.Addr, oidCasnUserID}
}

// lastWalkedUser returns the username on the last line of snmpbulkwalk's
// output: `.1.3...2.36095 = STRING: "jschmidt534"`.
func lastWalkedUser(out []byte) (string, error) {
	line := lastLine(out)
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

// scanAll times snmp.ScanColumn of casnUserId on a, in this process, and
// checks that it read n rows.
func scanAll(ctx context.Context, a *agent, n int) (time.Duration, error) {
	target, err := snmp.ParseTarget(a.Addr)
	if err != nil {
		return 0, err
	}
	c, err := snmp.Dial(ctx, snmp.Config{Target: target, Version: "2c", Community: snmp.Secret(a.Community), Timeout: 5 * time.Second, Retries: 1})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	start, rows := time.Now(), 0
	err = snmp.ScanColumn(ctx, c, oidCasnUserID, func(snmp.Variable) error {
		rows++
		return nil
	})
	took := time.Since(start)
	switch {
	case err != nil:
		return 0, fmt.Errorf("scan casnUserId: %w", err)
	case rows != n:
		return 0, fmt.Errorf("scan casnUserId read %d rows, want %d", rows, n)
	}
	return took, nil
}

// measureResolve times `stg resolve` of the last user on a (first run with
// an empty cache, then the cached run) and a scan of all n casnUserId rows
// against snmpbulkwalk -Cr10 and -Cr50 of casnUserId on the same agent,
// resolveReps times each, interleaved. wantIfIndex, when not 0, is checked
// against stg's answer.
func measureResolve(ctx context.Context, stg stgBin, a *agent, n, wantIfIndex int, tmp string) (resolveTimes, error) {
	warm, err := run(ctx, nil, "snmpbulkwalk", walkArgs(a, 50)...)
	if err != nil {
		return resolveTimes{}, fmt.Errorf("warm-up walk: %w", err)
	}
	user, err := lastWalkedUser(warm.Stdout)
	if err != nil {
		return resolveTimes{}, err
	}
	var first, cached, w10, w50, scans []time.Duration
	for i := 0; i < resolveReps; i++ {
		scan, err := scanAll(ctx, a, n)
		if err != nil {
			return resolveTimes{}, err
		}
		scans = append(scans, scan)
		for _, r := range []int{10, 50} {
			res, err := run(ctx, nil, "snmpbulkwalk", walkArgs(a, r)...)
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
	add := func(kind string, n int, t resolveTimes) {
		m := fmt.Sprintf("resolve last of %s %s", sizeName(n), kind)
		rows = append(rows,
			newRow("1", m+", first run", "s", t.First.Seconds()).vs("snmpbulkwalk -Cr10", t.Walk10.Seconds()),
			newRow("1", m+", first run", "s", t.First.Seconds()).vs("snmpbulkwalk -Cr50", t.Walk50.Seconds()),
			newRow("1", m+", cached run", "s", t.Cached.Seconds()).vs("snmpbulkwalk -Cr50", t.Walk50.Seconds()))
		if n == resolveSizes[len(resolveSizes)-1] {
			r := newRow("1", fmt.Sprintf("read all of casnUserId, %s %s (any user's worst case)", sizeName(n), kind), "s", t.Scan.Seconds()).vs("snmpbulkwalk -Cr50", t.Walk50.Seconds())
			r.Note = "stg: snmp.ScanColumn in the bench process, so without a process start"
			rows = append(rows, r)
		}
	}
	for _, n := range resolveSizes {
		sim, err := startSim(stg.path, n, tmp)
		if err != nil {
			return nil, err
		}
		t, err := measureResolve(ctx, stg, sim, n, 0, tmp)
		sim.stop()
		if err != nil {
			return nil, fmt.Errorf("resolve on the %d-session simulator: %w", n, err)
		}
		add("sim", n, t)
	}
	ss, err := startSnmpsim(ctx, data, filepath.Join(cacheDir, "snmpsim-cache"), sizeName(resolveSizes[0]))
	if err != nil {
		return nil, err
	}
	defer ss.stop()
	for _, n := range resolveSizes {
		a := *ss
		a.Community = sizeName(n)
		t, err := measureResolve(ctx, stg, &a, n, 1000+n-1, tmp)
		if err != nil {
			return nil, fmt.Errorf("resolve on snmpsim with %d sessions: %w", n, err)
		}
		add("snmpsim", n, t)
	}
	return rows, nil
}

// sizeName is "1k", "8k", "32k".
func sizeName(n int) string { return strconv.Itoa(n/1000) + "k" }
