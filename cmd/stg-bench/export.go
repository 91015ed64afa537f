package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Measurement 8 (stg as an exporter): exportWindow of 1 s scrapes of stg
// and snmp_exporter on snmpd, of which the first exportSkip are left out
// (stg's first rate on net-snmp's cached counters comes after 6 to 9 s).
// rate() is taken over exportRateRanges: 2 s, the shortest window of two
// 1 s scrapes (a per-second view, as irate), and 4 s, Grafana's
// $__rate_interval at 1 s scrapes (four scrape intervals).
const (
	exportWindow  = 70 * time.Second
	exportSkip    = 15 * time.Second
	exportScrapes = 9
)

// exportRateRanges are the windows of rate() in measurement 8.
var exportRateRanges = []string{"2s", "4s"}

// exportScrapeSizes are the interface counts the scrape cost is priced at.
var exportScrapeSizes = []int{1, 100, 1000}

// exportMethod explains measurement 8 in the report's Method section.
const exportMethod = "**8 export.** Accuracy: net-snmp snmpd with its default ~3 s interface cache reading `lo` while the driver sends ~40 Mb/s of UDP over loopback (as measurement 2); `stg --if lo -i 1s --listen` and Debian's prometheus-snmp-exporter (snmp_exporter 0.21, a module walking ifHCInOctets, ifHCOutOctets and ifName as a lookup) scraped every 1 s by Debian's Prometheus 2.42 for 70 s. Over Prometheus' query_range API, every second from 15 s on: (a) stg's `stg_if_in/out_bytes_per_second` gauge (absent while stg has no rate: those seconds count in the coverage, not the error), (b) `rate(ifHCInOctets[W])` over stg's counters and (c) the same over snmp_exporter's, for W = 2 s (two scrapes: a per-second view) and 4 s (Grafana's $__rate_interval at 1 s scrapes; four scrapes span 3 s, net-snmp's refresh period, so each window holds exactly one refresh and the cache cancels out); each value ×8 against lo's true rate over the second before it (/proc/net/dev every 5 ms, interpolated), in and out pooled. Scrape cost: snmpsim serving 1, 100 and 1,000 interfaces with Counter64 counters; `stg --if 1 … --if N -i 2s --listen` once its /metrics has every interface, then 9 scrapes of stg's /metrics and of snmp_exporter's /snmp with that module, interleaved, each timed from the request to the last byte of the answer; medians. stg's scrape reads what its polls left; snmp_exporter's walks the agent."

// exportModule is the snmp_exporter module of measurement 8: the two
// 64-bit octet counters with ifName looked up by ifIndex, as the if_mib
// module of snmp_exporter's generator labels them, walked with GETBULK
// max-repetitions 50.
const exportModule = `%s:
  walk:
  - 1.3.6.1.2.1.31.1.1.1.1
  - 1.3.6.1.2.1.31.1.1.1.6
  - 1.3.6.1.2.1.31.1.1.1.10
  metrics:
  - name: ifHCInOctets
    oid: 1.3.6.1.2.1.31.1.1.1.6
    type: counter
    indexes:
    - labelname: ifIndex
      type: gauge
    lookups:
    - labels: [ifIndex]
      labelname: ifName
      oid: 1.3.6.1.2.1.31.1.1.1.1
      type: DisplayString
  - name: ifHCOutOctets
    oid: 1.3.6.1.2.1.31.1.1.1.10
    type: counter
    indexes:
    - labelname: ifIndex
      type: gauge
    lookups:
    - labels: [ifIndex]
      labelname: ifName
      oid: 1.3.6.1.2.1.31.1.1.1.1
      type: DisplayString
  version: 2
  max_repetitions: 50
  retries: 0
  timeout: 20s
  auth:
    community: %s
`

// exportErrors are the per-second errors (percent) of each method, by
// name ("gauge", "stg 2s", "snmp_exporter 4s", ...), and how many of the
// seconds each had a value for.
type exportErrors struct {
	Errs    map[string][]float64
	Secs    map[string]int
	Seconds int
}

// exportAccuracyRows measures (a), (b) and (c) of measurement 8 on snmpd.
func exportAccuracyRows(ctx context.Context, stg stgBin, tmp string) ([]row, error) {
	dir, err := os.MkdirTemp(tmp, "export-*")
	if err != nil {
		return nil, fmt.Errorf("make export dir: %w", err)
	}
	community := randomCommunity()
	a, err := startSnmpd(ctx, dir, community)
	if err != nil {
		return nil, err
	}
	defer a.stop()
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	var dev devSeries
	errc := make(chan error, 2)
	go func() { errc <- dev.sample(sctx, 5*time.Millisecond) }()
	go func() { errc <- stream(sctx) }()
	time.Sleep(2 * time.Second) // let the stream settle
	port, err := freeTCPPort()
	if err != nil {
		return nil, err
	}
	listen := "127.0.0.1:" + strconv.Itoa(port)
	s, err := startChild("stg --listen", stg.path, []string{"--router", a.Addr, "--if", "lo", "-i", "1s", "--listen", listen, "-o", "csv"},
		[]string{"STG_COMMUNITY=" + community})
	if err != nil {
		return nil, err
	}
	defer s.stop()
	e, err := startExporterConfig(ctx, dir, fmt.Sprintf(exportModule, "export", community))
	if err != nil {
		return nil, err
	}
	defer e.stop()
	p, err := startPrometheus(ctx, dir, scrapeJob{Name: "stg", Target: listen, Path: "/metrics"},
		scrapeJob{Name: "snmp_exporter", Target: e.addr, Path: "/snmp", Params: url.Values{"target": {a.Addr}, "module": {"export"}}})
	if err != nil {
		return nil, err
	}
	defer p.stop()
	start := time.Now()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(exportWindow):
	}
	end := time.Now()
	res, err := exportErrorsOf(ctx, p, &dev, start.Add(exportSkip), end)
	stop()
	for i := 0; i < 2; i++ {
		if e := <-errc; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return nil, err
	}
	return exportAccuracyTable(res), nil
}

// exportErrorsOf queries every method every second from from to to and
// scores each value against dev's truth over the second before it.
func exportErrorsOf(ctx context.Context, p *prometheus, dev *devSeries, from, to time.Time) (exportErrors, error) {
	res := exportErrors{Errs: map[string][]float64{}, Secs: map[string]int{}, Seconds: int(to.Sub(from) / time.Second)}
	for _, dir := range []struct {
		in             bool
		gauge, counter string
	}{{true, "stg_if_in_bytes_per_second", "ifHCInOctets"}, {false, "stg_if_out_bytes_per_second", "ifHCOutOctets"}} {
		queries := map[string]string{"gauge": dir.gauge + `{job="stg",ifName="lo"}`}
		for _, w := range exportRateRanges {
			for _, job := range []string{"stg", "snmp_exporter"} {
				queries[job+" "+w] = "rate(" + dir.counter + `{job="` + job + `",ifName="lo"}[` + w + "])"
			}
		}
		for name, promql := range queries {
			points, err := p.queryRange(ctx, promql, from, to, time.Second)
			if err != nil {
				return res, err
			}
			if dir.in {
				res.Secs[name] = len(points)
			}
			for _, pt := range points {
				tin, tout, ok := dev.rates(pt.Time.Add(-time.Second), pt.Time)
				truth := tout
				if dir.in {
					truth = tin
				}
				if pct, ok2 := relErrorPct(8*pt.Value, truth); ok && ok2 {
					res.Errs[name] = append(res.Errs[name], pct)
				}
			}
			if len(res.Errs[name]) == 0 {
				return res, fmt.Errorf("export accuracy: no value of %s", promql)
			}
		}
	}
	return res, nil
}

// exportAccuracyTable turns the errors into rows: stg's gauge against
// rate() over snmp_exporter's counters at 2 s, and rate() over stg's
// counters against the same over snmp_exporter's, per window.
func exportAccuracyTable(e exportErrors) []row {
	name := "snmpd lo (3 s cache), 1 s scrapes: "
	cover := fmt.Sprintf("seconds with a value of %d: gauge %d", e.Seconds, e.Secs["gauge"])
	for _, w := range exportRateRanges {
		cover += fmt.Sprintf(", rate(stg[%s]) %d, rate(snmp_exporter[%s]) %d", w, e.Secs["stg "+w], w, e.Secs["snmp_exporter "+w])
	}
	peer := func(w string) (string, errorStats) {
		return "rate(snmp_exporter[" + w + "])", summarise(e.Errs["snmp_exporter "+w])
	}
	g := summarise(e.Errs["gauge"])
	pn, ps := peer(exportRateRanges[0])
	rows := []row{
		withNote(newRow("8", name+"stg gauge, error per second p50", "%", g.P50).vs(pn, ps.P50), cover),
		newRow("8", name+"stg gauge, error per second p95", "%", g.P95).vs(pn, ps.P95),
	}
	for _, w := range exportRateRanges {
		s := summarise(e.Errs["stg "+w])
		pn, ps := peer(w)
		rows = append(rows,
			newRow("8", name+"rate(stg["+w+"]), error per second p50", "%", s.P50).vs(pn, ps.P50),
			newRow("8", name+"rate(stg["+w+"]), error per second p95", "%", s.P95).vs(pn, ps.P95))
	}
	return rows
}

// scrapeSnmprec returns a .snmprec of n interfaces whose Counter64 octet
// counters grow at set rates, lines in OID order.
func scrapeSnmprec(n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s|4|stg-bench router with %d interfaces\n", oidSysDescr, n)
	fmt.Fprintf(&b, "%s|67:numeric|rate=100,initial=1000\n", oidSysUpTime)
	col := func(oid string, line func(i int) string) {
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "%s.%d|%s\n", oid, i, line(i))
		}
	}
	col(oidIfIndex, func(i int) string { return fmt.Sprintf("2|%d", i) })
	col(oidIfDescr, func(i int) string { return fmt.Sprintf("4|GigabitEthernet0/%d", i) })
	col(oidIfName, func(i int) string { return fmt.Sprintf("4|Gi0/%d", i) })
	col(oidIfHCIn, func(i int) string { return fmt.Sprintf("70:numeric|rate=%d,initial=1000000000", 1000+i) })
	col(oidIfHCOut, func(i int) string { return fmt.Sprintf("70:numeric|rate=%d,initial=2000000000", 500+i) })
	col(oidIfHighSpeed, func(int) string { return "66|1000" })
	return b.Bytes()
}

// exportScrapeRows prices a scrape of stg's /metrics against one of
// snmp_exporter's /snmp for each of exportScrapeSizes.
func exportScrapeRows(ctx context.Context, stg stgBin, cacheDir, tmp string) ([]row, error) {
	data := filepath.Join(cacheDir, "data", "scrape")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, fmt.Errorf("make scrape data dir: %w", err)
	}
	var conf strings.Builder
	for _, n := range exportScrapeSizes {
		c := "scrape" + strconv.Itoa(n)
		if err := writeIfChanged(filepath.Join(data, c+".snmprec"), scrapeSnmprec(n)); err != nil {
			return nil, err
		}
		fmt.Fprintf(&conf, exportModule, c, c)
	}
	a, err := startSnmpsim(ctx, data, filepath.Join(cacheDir, "snmpsim-cache"), "scrape1")
	if err != nil {
		return nil, err
	}
	defer a.stop()
	dir, err := os.MkdirTemp(tmp, "scrape-*")
	if err != nil {
		return nil, fmt.Errorf("make scrape dir: %w", err)
	}
	e, err := startExporterConfig(ctx, dir, conf.String())
	if err != nil {
		return nil, err
	}
	defer e.stop()
	var rows []row
	for _, n := range exportScrapeSizes {
		r, err := measureScrape(ctx, stg, a, e, n)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// measureScrape times exportScrapes scrapes of stg polling n interfaces of
// a and of snmp_exporter walking them, interleaved.
func measureScrape(ctx context.Context, stg stgBin, a *agent, e *exporter, n int) (row, error) {
	c := "scrape" + strconv.Itoa(n)
	port, err := freeTCPPort()
	if err != nil {
		return row{}, err
	}
	listen := "127.0.0.1:" + strconv.Itoa(port)
	args := []string{"--router", a.Addr, "-i", "2s", "--listen", listen, "-o", "csv"}
	for i := 1; i <= n; i++ {
		args = append(args, "--if", strconv.Itoa(i))
	}
	s, err := startChild("stg --listen", stg.path, args, []string{"STG_COMMUNITY=" + c})
	if err != nil {
		return row{}, err
	}
	defer s.stop()
	stgURL := "http://" + listen + "/metrics"
	deadline := time.Now().Add(3 * time.Minute)
	for {
		_, body, err := timedGet(ctx, stgURL)
		if err == nil && bytes.Count(body, []byte("\nifHCInOctets{")) == n {
			break
		}
		select {
		case <-s.done:
			return row{}, fmt.Errorf("stg polling %d interfaces exited: %s", n, firstLine(s.out.String()))
		case <-ctx.Done():
			return row{}, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return row{}, fmt.Errorf("stg polling %d interfaces: /metrics has not all of them after 3 min (%v)", n, err)
		}
	}
	expURL := "http://" + e.addr + "/snmp?" + url.Values{"target": {a.Addr}, "module": {c}}.Encode()
	var stgTimes, expTimes []time.Duration
	var stgBytes, expBytes int
	for i := 0; i < exportScrapes; i++ {
		took, body, err := timedGet(ctx, stgURL)
		if err != nil {
			return row{}, err
		}
		stgTimes, stgBytes = append(stgTimes, took), len(body)
		took, body, err = timedGet(ctx, expURL)
		if err != nil {
			return row{}, err
		}
		if got := bytes.Count(body, []byte("\nifHCInOctets{")); got != n {
			return row{}, fmt.Errorf("snmp_exporter scraped %d ifHCInOctets series of %d", got, n)
		}
		expTimes, expBytes = append(expTimes, took), len(body)
	}
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	return withNote(newRow("8", fmt.Sprintf("scrape of %d interface(s), median", n), "ms", ms(median(stgTimes))).
		vs("snmp_exporter /snmp", ms(median(expTimes))),
		fmt.Sprintf("%d scrapes each; answers of %d B (stg, with its health, Go and process metrics) and %d B", exportScrapes, stgBytes, expBytes)), nil
}

// timedGet GETs u and returns the time until its whole answer was read.
func timedGet(ctx context.Context, u string) (time.Duration, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", "60")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("get %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err != nil || resp.StatusCode != http.StatusOK {
		return 0, nil, fmt.Errorf("get %s: %s %v: %s", u, resp.Status, err, firstLine(string(body)))
	}
	return took, body, nil
}
