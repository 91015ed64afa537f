package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
)

// prometheusPath is Debian's Prometheus (2.42).
const prometheusPath = "/usr/bin/prometheus"

// scrapeJob is one scrape job of the driver's Prometheus: a target's
// metrics path and parameters, every second.
type scrapeJob struct {
	Name, Target, Path string
	Params             url.Values
}

// prometheus is a running Prometheus.
type prometheus struct {
	*child
	addr string
}

// startPrometheus runs Prometheus on a free loopback port, its storage in
// dir, scraping each job every second, and waits until it is ready.
func startPrometheus(ctx context.Context, dir string, jobs ...scrapeJob) (*prometheus, error) {
	var conf strings.Builder
	conf.WriteString("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n")
	for _, j := range jobs {
		fmt.Fprintf(&conf, "  - job_name: %q\n    metrics_path: %q\n    static_configs:\n      - targets: [%q]\n", j.Name, j.Path, j.Target)
		if len(j.Params) > 0 {
			conf.WriteString("    params:\n")
			for k, vs := range j.Params {
				fmt.Fprintf(&conf, "      %s: [%q]\n", k, vs[0])
			}
		}
	}
	path := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(path, []byte(conf.String()), 0o600); err != nil {
		return nil, fmt.Errorf("write prometheus config: %w", err)
	}
	port, err := freeTCPPort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	c, err := startChild("prometheus", prometheusPath, []string{"--config.file=" + path,
		"--storage.tsdb.path=" + filepath.Join(dir, "tsdb"), "--web.listen-address=" + addr, "--log.level=warn"}, nil)
	if err != nil {
		return nil, err
	}
	if err := c.waitHTTP(ctx, "http://"+addr+"/-/ready", true, 30*time.Second); err != nil {
		return nil, err
	}
	return &prometheus{child: c, addr: addr}, nil
}

// queryRange evaluates promql every step from start to end and returns
// the values of its one series (none when it has no series).
func (p *prometheus) queryRange(ctx context.Context, promql string, start, end time.Time, step time.Duration) ([]agenttest.PromValue, error) {
	series, err := agenttest.PromQueryRange(ctx, p.addr, promql, start, end, step)
	switch {
	case err != nil:
		return nil, err
	case len(series) > 1:
		return nil, fmt.Errorf("query %s: %d series, want one", promql, len(series))
	case len(series) == 0:
		return nil, nil
	}
	return series[0].Values, nil
}
