package main

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/record"
)

// TestTopListen: `stg top --listen ADDR -o csv --limit 5 --count N` on the
// simulator with three hogs serves /metrics while it writes its rows:
// a scrape during the run shows each hog's rate gauges at its true rate
// with its user label and its raw counters under snmp_exporter's names;
// no more than the 5 first rows of a cycle have series, while the
// cycle's row count says every row was ranked; promtool reads the text.
// The CSV keeps --limit: 5 rows a cycle. The community is nowhere.
func TestTopListen(t *testing.T) {
	const limit, cycles = 5, 40
	sim := startTopSim(t)
	listen := "127.0.0.1:" + strconv.Itoa(agenttest.FreeTCPPort(t))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stdout, stderr := &agenttest.Buffer{}, &agenttest.Buffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"top", "--router", sim.Addr(), "--listen", listen, "-o", "csv", "-i", "0.25",
			"--count", strconv.Itoa(cycles), "--limit", strconv.Itoa(limit)}, envOf(topEnv(sim)), strings.NewReader(""), stdout, stderr)
	}()

	hogs := sim.Hogs()
	var fams map[string]*dto.MetricFamily
	var body []byte
	waitFor(t, time.Minute, "the hogs' rates on /metrics", func() bool {
		b, err := tryScrape(listen)
		if err != nil {
			select {
			case c := <-code:
				t.Fatalf("stg top ended (exit %d) before /metrics answered; stderr %q", c, stderr)
			default:
			}
			return false
		}
		body, fams = b, metricsOf(t, b)
		for _, h := range hogs {
			if _, ok := value(fams, "stg_if_out_bytes_per_second", map[string]string{"user": h.User}); !ok {
				return false
			}
		}
		return true
	}, func() string { return string(body) + stderr.String() })

	for _, h := range hogs {
		user := map[string]string{"user": h.User, "router": sim.Addr()}
		for _, g := range []struct {
			name string
			want float64
		}{{"stg_if_in_bytes_per_second", h.InBps / 8}, {"stg_if_out_bytes_per_second", h.OutBps / 8}} {
			if got, ok := value(fams, g.name, user); !ok || math.Abs(got-g.want) > 0.02*g.want {
				t.Errorf("%s of %s: %.0f (%v), want %.0f within 2%%", g.name, h.User, got, ok, g.want)
			}
		}
		for _, c := range []string{"ifHCInOctets", "ifHCOutOctets"} {
			if got, ok := value(fams, c, user); !ok || got <= 0 {
				t.Errorf("%s of %s: %.0f (%v), want the counter read", c, h.User, got, ok)
			}
		}
	}
	rows := map[string]bool{} // the rows with series, by ifIndex
	for _, name := range []string{"ifHCInOctets", "ifHCOutOctets", "ifInOctets", "ifOutOctets", "stg_if_in_bytes_per_second", "stg_if_out_bytes_per_second"} {
		for _, m := range fams[name].GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "ifIndex" {
					rows[l.GetValue()] = true
				}
			}
		}
	}
	if len(rows) < len(hogs) || len(rows) > limit {
		t.Errorf("series of %d rows (ifIndex %v), want the hogs' and at most %d", len(rows), rows, limit)
	}
	if ranked, ok := value(fams, "stg_top_rows", map[string]string{"router": sim.Addr()}); !ok || ranked <= limit {
		t.Errorf("stg_top_rows %v (%v), want every row of the router ranked, more than %d", ranked, ok, limit)
	}

	if c := <-code; c != exitOK || stderr.String() != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing", c, stderr)
	}
	rec, err := record.ReadRecording(strings.NewReader(stdout.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Samples) != cycles*limit || len(rec.Ranks) != len(rec.Samples) {
		t.Errorf("%d rows of CSV, want %d cycles of %d", len(rec.Samples), cycles, limit)
	}
	for i, r := range rec.Ranks {
		if r < 1 || r > limit {
			t.Errorf("row %d ranks %d, want 1 to %d", i, r, limit)
		}
	}
	if out := string(body) + stdout.String(); strings.Contains(out, sim.Community()) {
		t.Error("the community is in /metrics or the rows")
	}
	if _, err := tryScrape(listen); err == nil {
		t.Error("/metrics still answers after the run")
	}
	// Last: promtool is a program the fast loop (-short) goes without.
	if code, problems := agenttest.Promtool(t, body, "check", "metrics"); code != 0 && code != 3 {
		t.Errorf("promtool check metrics exit %d: %q", code, problems)
	} else {
		for _, p := range problems {
			if !promtoolAllowed.MatchString(p) {
				t.Errorf("promtool: %s", p)
			}
		}
	}
}
