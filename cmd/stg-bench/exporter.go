package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// exporterPath is Debian's prometheus-snmp-exporter (snmp_exporter 0.21).
const exporterPath = "/usr/bin/prometheus-snmp-exporter"

// exporterModule is the snmp.yml module stg top is measured against: the
// three columns an engineer's "who fills the uplink" dashboard needs, in
// the format of snmp_exporter before 0.23 (auth inside the module),
// walked with GETBULK max-repetitions 50 as `snmpbulkwalk -Cr50`.
const exporterModule = `%s:
  walk:
  - 1.3.6.1.2.1.31.1.1.1.1
  - 1.3.6.1.2.1.31.1.1.1.6
  - 1.3.6.1.2.1.31.1.1.1.10
  metrics:
  - name: ifName
    oid: 1.3.6.1.2.1.31.1.1.1.1
    type: DisplayString
    indexes:
    - labelname: ifIndex
      type: gauge
  - name: ifHCInOctets
    oid: 1.3.6.1.2.1.31.1.1.1.6
    type: counter
    indexes:
    - labelname: ifIndex
      type: gauge
  - name: ifHCOutOctets
    oid: 1.3.6.1.2.1.31.1.1.1.10
    type: counter
    indexes:
    - labelname: ifIndex
      type: gauge
  version: 2
  max_repetitions: 50
  retries: 3
  timeout: 20s
  auth:
    community: %s
`

// exporter is a running snmp_exporter with one module per agent,
// named after the agent's community.
type exporter struct {
	*child
	addr string
}

// startExporter writes an snmp.yml with a module for each community into
// dir and runs snmp_exporter on a free loopback port.
func startExporter(ctx context.Context, dir string, communities ...string) (*exporter, error) {
	var conf strings.Builder
	for _, c := range communities {
		fmt.Fprintf(&conf, exporterModule, c, c)
	}
	return startExporterConfig(ctx, dir, conf.String())
}

// startExporterConfig writes conf as snmp.yml into dir and runs
// snmp_exporter on it on a free loopback port.
func startExporterConfig(ctx context.Context, dir, conf string) (*exporter, error) {
	path := filepath.Join(dir, "snmp.yml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return nil, fmt.Errorf("write snmp_exporter config: %w", err)
	}
	port, err := freeTCPPort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	c, err := startChild("snmp_exporter", exporterPath, []string{"--config.file=" + path,
		"--web.listen-address=" + addr, "--log.level=error"}, nil)
	if err != nil {
		return nil, err
	}
	if err := c.waitHTTP(ctx, "http://"+addr+"/", false, 20*time.Second); err != nil {
		return nil, err
	}
	return &exporter{child: c, addr: addr}, nil
}

// scrape has snmp_exporter read a's counters with the module of a's
// community, as Prometheus does, and returns the time until the whole
// answer was read and how many ifHCInOctets series it held.
func (e *exporter) scrape(ctx context.Context, a *agent) (time.Duration, int, error) {
	u := "http://" + e.addr + "/snmp?" + url.Values{"target": {a.Addr}, "module": {a.Community}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", "300")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("scrape %s through snmp_exporter: %w", a.Addr, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err != nil || resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("scrape %s through snmp_exporter: %s %v: %s", a.Addr, resp.Status, err, firstLine(string(body)))
	}
	series := 0
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "ifHCInOctets{") {
			series++
		}
	}
	return took, series, nil
}

// freeTCPPort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freeTCPPort() (int, error) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free TCP port on 127.0.0.1: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
