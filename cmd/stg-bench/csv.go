package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// csvRow is one row of stg's CSV stream (DESIGN.md §3).
type csvRow struct {
	Time                time.Time
	Target              string
	InBps, OutBps       float64 // NaN when the row carries no rate
	InOctets, OutOctets uint64
	HasOctets           bool
	Interval            time.Duration
	Status              string
}

// hasRate reports whether the row carries a rate.
func (r csvRow) hasRate() bool { return !math.IsNaN(r.InBps) && !math.IsNaN(r.OutBps) }

// readCSV parses stg's CSV output, finding the columns by the header's
// names so that appended columns do not matter.
func readCSV(r io.Reader) ([]csvRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read stg CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, want := range []string{"time", "target", "in_bps", "out_bps", "in_octets", "out_octets", "interval_s", "status"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("stg CSV header %q lacks column %s", header, want)
		}
	}
	var rows []csvRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read stg CSV line %d: %w", line, err)
		}
		if len(rec) < len(header) {
			return nil, fmt.Errorf("stg CSV line %d: %d fields, want %d", line, len(rec), len(header))
		}
		row, err := parseRow(rec, col)
		if err != nil {
			return nil, fmt.Errorf("stg CSV line %d: %w", line, err)
		}
		rows = append(rows, row)
	}
}

// parseRow converts one CSV record.
func parseRow(rec []string, col map[string]int) (csvRow, error) {
	get := func(name string) string { return rec[col[name]] }
	r := csvRow{Target: get("target"), Status: get("status"), InBps: math.NaN(), OutBps: math.NaN()}
	var err error
	if r.Time, err = time.Parse(time.RFC3339Nano, get("time")); err != nil {
		return r, fmt.Errorf("time: %w", err)
	}
	if s := get("in_bps"); s != "" {
		if r.InBps, err = strconv.ParseFloat(s, 64); err != nil {
			return r, fmt.Errorf("in_bps: %w", err)
		}
	}
	if s := get("out_bps"); s != "" {
		if r.OutBps, err = strconv.ParseFloat(s, 64); err != nil {
			return r, fmt.Errorf("out_bps: %w", err)
		}
	}
	if in, out := get("in_octets"), get("out_octets"); in != "" && out != "" {
		if r.InOctets, err = strconv.ParseUint(in, 10, 64); err != nil {
			return r, fmt.Errorf("in_octets: %w", err)
		}
		if r.OutOctets, err = strconv.ParseUint(out, 10, 64); err != nil {
			return r, fmt.Errorf("out_octets: %w", err)
		}
		r.HasOctets = true
	}
	if s := get("interval_s"); s != "" {
		sec, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return r, fmt.Errorf("interval_s: %w", err)
		}
		r.Interval = time.Duration(math.Round(sec * 1e9))
	}
	return r, nil
}

// byTarget splits rows by target, keeping their order.
func byTarget(rows []csvRow) map[string][]csvRow {
	m := map[string][]csvRow{}
	for _, r := range rows {
		m[r.Target] = append(m[r.Target], r)
	}
	return m
}

// naiveRate is one rate of the naive method: Δoctets·8 / the configured
// interval between consecutive polls, over the span From..To the two polls
// really covered.
type naiveRate struct {
	From, To      time.Time
	InBps, OutBps float64
}

// naiveRates computes the naive series from one target's raw octets, as
// STG, LibreNMS's realtime graph and ttyplot pipelines do. Rows without
// octets (timeouts) are skipped; a decrease gives no rate.
func naiveRates(rows []csvRow, configured time.Duration) []naiveRate {
	var out []naiveRate
	var prev *csvRow
	for i := range rows {
		r := &rows[i]
		if !r.HasOctets {
			continue
		}
		if prev != nil && r.InOctets >= prev.InOctets && r.OutOctets >= prev.OutOctets {
			s := configured.Seconds()
			out = append(out, naiveRate{From: prev.Time, To: r.Time,
				InBps:  float64(r.InOctets-prev.InOctets) * 8 / s,
				OutBps: float64(r.OutOctets-prev.OutOctets) * 8 / s})
		}
		prev = r
	}
	return out
}

// jitterMs returns |interval_s − configured| in milliseconds for every
// `ok` row (a row whose interval is one poll spacing; a poll that skipped
// a slot shows as a doubled interval) and counts rows whose status is a
// gap other than pending.
func jitterMs(rows []csvRow, configured time.Duration) (jitter []float64, gaps int) {
	for _, r := range rows {
		switch r.Status {
		case "gap-timeout", "gap-reset", "gap-discontinuity", "reconnected", "offline":
			gaps++
		}
		if r.Status != "ok" {
			continue
		}
		jitter = append(jitter, math.Abs(float64(r.Interval-configured))/1e6)
	}
	return jitter, gaps
}
