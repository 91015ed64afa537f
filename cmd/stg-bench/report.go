package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Markers around the part of BENCHMARKS.md the driver owns; text outside
// them (hand-written analysis, component benchmarks) is kept.
const (
	beginMarker = "<!-- stg-bench:begin (written by make bench; edits inside are overwritten) -->"
	endMarker   = "<!-- stg-bench:end -->"
)

// methods explains each measurement, one paragraph each.
var methods = []string{
	"**1 resolve.** Wall time (exec to exit, median of 3) of `stg resolve --resolve snmp -o json --user LAST` for the last user of the walk of the column stg reads on that agent, first with an empty cache (`XDG_CACHE_HOME` a fresh temp dir), then the cached second run (one verifying GET), against `snmpbulkwalk -v2c -Cr10` and `-Cr50` of that same column on the same agent, runs interleaved; the driver checks that stg answered from that column. The simulator is `stg sim --sessions N`, where the column is csubSessionUsername (1.3.6.1.4.1.9.9.786.1.1.1.1.24); snmpsim serves a generated .snmprec with casnUserId, casnVaiIfIndex, ifIndex, ifDescr and ifName for N sessions, where it is casnUserId (1.3.6.1.4.1.9.9.150.1.1.3.1.2; stg reads it after csubSessionUsername answers nothing). Both tools pay their process start-up. stg reads a long column as up to eight stretches of the index at once (`snmp.ScanColumn`), so it meets the last user of the walk before reading every row; \"read all of\" is the worst case for any user: `snmp.ScanColumn` of the whole column, timed inside the driver (no process start), against the same `-Cr50` walks.",
	"**2 accuracy.** Per-sample relative error |rate − truth| / truth of in and out, pooled. stg: `stg --if … --count 40 -i 1s -o csv`, rows that carry a rate (`ok`, `backfilled`, `wrap`). Naive: from the same CSV's raw in_octets/out_octets, Δoctets·8 / 1 s between consecutive polls (STG, LibreNMS realtime, ttyplot pipelines). snmpsim: 4 Counter64 interfaces of its `numeric` module, 1 Mb/s to 10 Gb/s; truth is the configured rate. snmpd: net-snmp with its default ~3 s interface cache reading `lo` while the driver sends ~40 Mb/s of UDP over loopback; truth is lo's /proc/net/dev bytes, sampled every 5 ms and interpolated, over each rate's own span (stg: time − interval_s .. time; naive: the two polls' times). Any other loopback traffic on the machine is in the truth too. The \"per 1 s slot drawn\" rows score what the chart shows: a backfilled rate covering three polls counts three times, each against the truth of its own second (the naive figures are already per poll).",
	"**2 caches.** The backfill error of each kind of counter cache: `stg --if IFINDEX -o csv` on a subscriber with steady traffic (brassim's lns-user@wholesale, truth its configured rate) of an 8-session `stg sim --seed N --cache D --cache-mode request|timer`, all kinds at once, each on its own simulator; rows that carry a rate, in and out pooled. Request: refreshed when a poll comes D or more after the last refresh, so a poll a hair early makes the refresh wait a poll. Timer: refreshed every D on the simulator's clock, at a phase the seed sets; polled every 1 s the phase stays where it is, polled every 0.95 s the refreshes slide across the polls and some land within the polls' jitter of one, seen a poll early or late; the period is then no multiple of the interval, and until the first refresh slides across a poll nothing tells it from the multiple next to it (5% off at 2 s, 1.9 s apart). Peer: the poll-to-poll spread, stg's method before it learnt how agents refresh (each counter change's octets over the time since the poll that saw the previous change), from the same CSV's raw octets.",
	"**3 schedule.** |interval_s − configured| of 300 polls of one interface of `stg sim` (first row excluded). Peer: the shell pipeline method, `snmpget` then `sleep interval`, 300 times, interval = difference of the snmpget midpoints; run at the same time against the same agent. The 1 s runs take 300 s beside measurements 1, 2, 4, 5 and 6.",
	"**4 cost.** CPU (user+sys from the child's rusage) and peak RSS (rusage maxrss) of `stg --count 61 -i 1s -o csv` on 1, 10 and 100 interfaces of a 32,000-session `stg sim`, the three at once; per hour = (CPU of the 61-poll run − CPU of a 1-poll run) ÷ 60 × 3600, i.e. start-up (the interface lookup) excluded and a 60 s run scaled to an hour. Peer for 1 target: the snmpget+sleep loop of measurement 3 at 1 s, its summed CPU ÷ polls × 3600, and one snmpget's peak RSS. TUI frame: `go test -run '^$' -bench Frame/1s -benchtime 300x ./tui` (200x50, two targets, full 1 h window), its p50/p99 metrics.",
	"**5 scale.** `stg --count 15 -i 1s` polling the first N interfaces of the 32,000-session simulator in one GET per tick (stg splits the varbinds into PDUs of at most 60, shrinking on tooBig), N = 100, 500, 1000, 2000, 4000, 8000, 16000, 32000 until the first overrun. No overrun = all N×15 rows, no gap rows, and interface 1's interval_s within 100 ms of 1 s on every `ok` row.",
	"**6 lossy start.** 40 starts of `stg --if 1 --count 2 -o csv` with default flags (a probe, the lookup of ifIndex 1, two polls) and 40 `snmpget -v2c -On AGENT sysUpTime.0` with net-snmp's defaults (`-t 1 -r 5`), 10 at a time, each through a fault proxy of its own (`internal/faultproxy`, seeded by the start's number) in front of a 10-session `stg sim` that drops 20% of the replies and holds back 30% of the others by a uniformly random 0–800 ms. A start succeeds when it exits 0 with its output (stg: a header and two rows; snmpget: the Timeticks). Then 3 starts of each through a proxy that drops every reply: the median time until each gives up.",
	topMethod,
	exportMethod,
}

// report renders the driver's part of BENCHMARKS.md.
func report(rows []row, mach []string, start time.Time, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n## Latest `make bench`\n\n", beginMarker)
	fmt.Fprintf(&b, "Command: `make bench` (builds bin/stg, then `go run ./cmd/stg-bench`). Run %s, took %s.\n\n",
		start.Format("2006-01-02 15:04 MST"), took.Round(time.Second))
	b.WriteString("Machine:\n\n")
	for _, m := range mach {
		fmt.Fprintf(&b, "- %s\n", m)
	}
	b.WriteString("\nTimings on a virtual or shared machine are noisy (see the load average above): the ratios (same run, same agent, runs interleaved) are the figures to read.\n\n")
	if err := writeMarkdown(&b, rows); err != nil {
		fmt.Fprintf(&b, "(table failed: %v)\n", err)
	}
	var losses []string
	for _, r := range rows {
		switch {
		case r.against() == "STG LOSES":
			losses = append(losses, fmt.Sprintf("- %s: stg %s vs %s %s", r.Measure,
				formatValue(r.Stg, r.Unit), r.PeerName, formatValue(r.Peer, r.Unit)))
		case r.goalMissed():
			got := formatValue(r.Stg, r.Unit)
			if r.PeerName != "" {
				got = formatRatio(r.ratio()) + " of " + r.PeerName
			}
			losses = append(losses, fmt.Sprintf("- %s: stg %s, %s", r.Measure, got, r.goalText()))
		}
	}
	b.WriteString("\n### Where stg loses or misses a goal in this run\n\n")
	if len(losses) == 0 {
		b.WriteString("Nowhere.\n")
	} else {
		b.WriteString(strings.Join(losses, "\n") + "\n")
	}
	b.WriteString("\n### Method\n\n")
	b.WriteString(strings.Join(methods, "\n\n") + "\n\n" + endMarker + "\n")
	return b.String()
}

// updateReport replaces the driver's part of the file at path with part,
// keeping everything outside the markers; a missing file is created.
func updateReport(path, part string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if err := os.WriteFile(path, []byte(spliceReport(string(old), part)), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// spliceReport puts part between the markers of doc, or appends it (after
// a title when doc is empty) when doc has none.
func spliceReport(doc, part string) string {
	i := strings.Index(doc, beginMarker)
	j := strings.Index(doc, endMarker)
	if i >= 0 && j > i {
		return doc[:i] + part + strings.TrimPrefix(doc[j+len(endMarker):], "\n")
	}
	if strings.TrimSpace(doc) == "" {
		return "# stg benchmarks\n\n" + part
	}
	return strings.TrimRight(doc, "\n") + "\n\n" + part
}
