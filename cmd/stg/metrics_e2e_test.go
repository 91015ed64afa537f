package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
)

// The interfaces of testdata/export/metrics.snmprec, their true rates in
// octets per second, and the subscriber on Vi2.7 (its ifAlias).
const (
	exportCommunity = "metrics"
	exportUser      = `anna rossi,x="y"`
)

var exportTruth = map[string][2]float64{ // ifName: in, out
	"Te0/1/0": {432100, 54000},
	"Se0/2/0": {1e9, 250000}, // 32-bit counters only: they wrap every 4.3 s
	"Vi2.7":   {12345, 6789},
}

// startStgProcess runs the stg binary with args until the test ends
// (SIGTERM, then it must exit 0) and returns its stdout and stderr.
func startStgProcess(t *testing.T, env []string, args ...string) (cmd *exec.Cmd, stdout, stderr *agenttest.Buffer) {
	t.Helper()
	cmd = exec.Command(stgBinary(t), args...)
	cmd.Env = cleanEnv(append([]string{"HOME=" + t.TempDir()}, env...)...)
	stdout, stderr = &agenttest.Buffer{}, &agenttest.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("stg %q ended with %v after SIGTERM; stderr:\n%s", args, err, stderr)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("stg %q did not end within 10 s of SIGTERM", args)
		}
	})
	return cmd, stdout, stderr
}

// scrape reads http://addr/metrics.
func scrape(t *testing.T, addr string) []byte {
	t.Helper()
	b, err := tryScrape(addr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tryScrape reads http://addr/metrics, or says why it cannot.
func tryScrape(addr string) ([]byte, error) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", addr, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape %s: %s %v", addr, resp.Status, err)
	}
	return b, nil
}

// promtoolAllowed are the only problems promtool may report of stg's
// /metrics: those of snmp_exporter's own names and labels, which stg keeps
// so that dashboards made for snmp_exporter work (camelCase, counters
// without _total).
var promtoolAllowed = regexp.MustCompile(`^(ifHCInOctets|ifHCOutOctets|ifInOctets|ifOutOctets) (counter metrics should have "_total" suffix|metric names should be written in 'snake_case' not 'camelCase')$` +
	`|^(ifHCInOctets|ifHCOutOctets|ifInOctets|ifOutOctets|stg_if_in_bytes_per_second|stg_if_out_bytes_per_second) label names should be written in 'snake_case' not 'camelCase'$`)

// TestMetricsScrapedByPrometheus: a real Prometheus scrapes `stg --listen`
// every second for about 30 s while it polls snmpsim; over Prometheus'
// HTTP API, stg's rate gauges and rate() of the raw counters both match
// the agent's true rates within 2%, the 32-bit interface that wraps every
// 4.3 s included; the series carry snmp_exporter's labels and the
// subscriber; promtool reads the text and finds nothing but what
// snmp_exporter's names bring; the community is nowhere.
func TestMetricsScrapedByPrometheus(t *testing.T) {
	agent := agenttest.StartSnmpsim(t, filepath.Join("testdata", "export"))
	listen := "127.0.0.1:" + strconv.Itoa(agenttest.FreeTCPPort(t))
	// Polls every 250 ms: a counter is shown as of the last poll, so
	// rate() over 20 s of 1 s scrapes may be off by one poll's traffic
	// when a poll completes right at a scrape (0.25 s / 20 s = 1.25%
	// at worst; at -i 1 it would be 5%).
	_, stdout, stderr := startStgProcess(t, []string{"STG_COMMUNITY=" + exportCommunity}, "--router", agent.Addr(), "-i", "0.25",
		"--if", "Te0/1/0", "--if", "Se0/2/0", "--user", exportUser, "--resolve", "snmp", "--listen", listen, "-o", "csv")
	prom := agenttest.StartPrometheus(t, time.Second, listen)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// About 30 s of scrapes with a rate on every interface.
	waitFor(t, 90*time.Second, "30 scrapes with rates", func() bool {
		got, err := prom.Query(ctx, `count_over_time(stg_if_in_bytes_per_second[32s])`, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range got {
			if s.Values[0].Value >= 30 {
				n++
			}
		}
		return n == len(exportTruth)
	}, stderr.String)
	end := time.Now()

	for _, dir := range []struct {
		name    string
		i       int
		gauge   string
		counter []string
	}{{"in", 0, "stg_if_in_bytes_per_second", []string{"ifHCInOctets", "ifInOctets"}},
		{"out", 1, "stg_if_out_bytes_per_second", []string{"ifHCOutOctets", "ifOutOctets"}}} {
		// Every value of the gauge Prometheus stored.
		got, err := prom.Query(ctx, dir.gauge+"[25s]", end)
		if err != nil {
			t.Fatal(err)
		}
		checkSeries(t, got, dir.gauge)
		for _, s := range got {
			truth := exportTruth[s.Labels["ifName"]][dir.i]
			var values []float64
			for _, v := range s.Values {
				values = append(values, v.Value)
				if math.Abs(v.Value-truth) > 0.10*truth {
					t.Errorf("%s %s at %s: %.0f B/s, truth %.0f: a value off by more than 10%%", dir.gauge, s.Labels["ifName"], v.Time.Format("15:04:05"), v.Value, truth)
				}
			}
			sort.Float64s(values)
			if len(values) < 20 {
				t.Errorf("%s %s: %d values in 25 s of 1 s scrapes", dir.gauge, s.Labels["ifName"], len(values))
				continue
			}
			if med := values[len(values)/2]; math.Abs(med-truth) > 0.02*truth {
				t.Errorf("%s %s: median %.0f B/s of %d values, truth %.0f: more than 2%% off", dir.gauge, s.Labels["ifName"], med, len(values), truth)
			}
		}
		// rate() of the raw counters, at two moments.
		for _, at := range []time.Time{end, end.Add(-5 * time.Second)} {
			got, err := prom.Query(ctx, `rate({__name__=~"`+strings.Join(dir.counter, "|")+`"}[20s])`, at)
			if err != nil {
				t.Fatal(err)
			}
			checkSeries(t, got, "rate of "+strings.Join(dir.counter, ", "))
			for _, s := range got {
				truth := exportTruth[s.Labels["ifName"]][dir.i]
				if v := s.Values[0].Value; math.Abs(v-truth) > 0.02*truth {
					t.Errorf("rate(%s[20s]) of %s at %s: %.0f B/s, truth %.0f: more than 2%% off", dir.counter, s.Labels["ifName"], at.Format("15:04:05"), v, truth)
				}
			}
		}
	}
	// The same gauge as a range query, as dashboards (and make bench) ask.
	ranged, err := agenttest.PromQueryRange(ctx, prom.Addr, `stg_if_in_bytes_per_second{ifName="Te0/1/0"}`, end.Add(-20*time.Second), end, time.Second)
	if err != nil || len(ranged) != 1 || len(ranged[0].Values) < 15 {
		t.Errorf("range query of Te0/1/0's gauge over 20 s at 1 s steps: %v %v, want one series of 15 values or more", ranged, err)
	} else if v := ranged[0].Values[len(ranged[0].Values)-1].Value; math.Abs(v-exportTruth["Te0/1/0"][0]) > 0.10*exportTruth["Te0/1/0"][0] {
		t.Errorf("range query of Te0/1/0's gauge: last value %.0f B/s, truth %.0f", v, exportTruth["Te0/1/0"][0])
	}
	wrapped, err := prom.Query(ctx, `ifInOctets{ifName="Se0/2/0"}`, end)
	if err != nil || len(wrapped) != 1 || wrapped[0].Values[0].Value < 4*(1<<32) {
		t.Errorf("Se0/2/0's ifInOctets after 30 s at 1 GB/s: %v %v, want it counted past at least 4 wraps", wrapped, err)
	}

	body := scrape(t, listen)
	code, problems := agenttest.Promtool(t, body, "check", "metrics")
	if code != 0 && code != 3 {
		t.Errorf("promtool check metrics exit %d: %q", code, problems)
	}
	for _, p := range problems {
		if !promtoolAllowed.MatchString(p) {
			t.Errorf("promtool: %s", p)
		}
	}
	for _, want := range []string{`stg_router_up{router="` + agent.Addr() + `"} 1`, `stg_build_info{`,
		`stg_poll_timeouts_total{router="` + agent.Addr() + `",target="Se0/2/0"} 0`} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("/metrics has no %s", want)
		}
	}
	if out := string(body) + stdout.String() + stderr.String(); strings.Contains(out, exportCommunity+"\"") || strings.Contains(stderr.String(), "warning") {
		t.Errorf("the community or a warning in the output; stderr:\n%s", stderr)
	}
}

// checkSeries checks that got has one series of each interface with
// snmp_exporter's labels, router, and the subscriber on Vi2.7.
func checkSeries(t *testing.T, got []agenttest.PromSample, what string) {
	t.Helper()
	var names []string
	for _, s := range got {
		l := s.Labels
		names = append(names, l["ifName"])
		wantUser, wantAlias := "", ""
		switch l["ifName"] {
		case "Vi2.7":
			wantUser, wantAlias = exportUser, exportUser
		case "Te0/1/0":
			wantAlias = "uplink to core"
		}
		if l["user"] != wantUser || l["ifAlias"] != wantAlias || l["ifDescr"] == "" || l["ifIndex"] == "" || l["router"] == "" {
			t.Errorf("%s: labels %v", what, l)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"Se0/2/0", "Te0/1/0", "Vi2.7"}) {
		t.Errorf("%s: series of %q, want Se0/2/0, Te0/1/0 and Vi2.7", what, names)
	}
}
