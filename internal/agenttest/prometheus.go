package agenttest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Where Debian installs Prometheus (package prometheus, which has
// promtool too).
var (
	PrometheusPath = "/usr/bin/prometheus"
	PromtoolPath   = "/usr/bin/promtool"
)

// Prometheus is a running Prometheus server that scrapes its targets.
type Prometheus struct {
	// Addr is its HTTP address, "127.0.0.1:PORT".
	Addr string
	proc *process
}

// StartPrometheus runs Prometheus on a free loopback port, its storage in
// a temporary directory, scraping /metrics of each target ("HOST:PORT")
// every interval, waits until it is ready, and stops it when the test
// ends.
func StartPrometheus(t testing.TB, interval time.Duration, targets ...string) *Prometheus {
	t.Helper()
	path := program(t, "prometheus", PrometheusPath)
	dir := t.TempDir()
	quoted := make([]string, len(targets))
	for i, tg := range targets {
		quoted[i] = strconv.Quote(tg)
	}
	conf := fmt.Sprintf(`global:
  scrape_interval: %[1]s
  scrape_timeout: %[1]s
  evaluation_interval: %[1]s
scrape_configs:
  - job_name: stg
    static_configs:
      - targets: [%[2]s]
`, interval, strings.Join(quoted, ", "))
	confPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	p := &Prometheus{Addr: "127.0.0.1:" + strconv.Itoa(FreeTCPPort(t))}
	proc, err := startProcess("prometheus", path, []string{"--config.file=" + confPath, "--storage.tsdb.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=" + p.Addr, "--log.level=warn"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.proc = proc
	t.Cleanup(func() {
		if err := proc.stop(); err != nil {
			t.Errorf("stop prometheus: %v", err)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + p.Addr + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if proc.exited() || time.Now().After(deadline) {
			t.Fatalf("prometheus is not ready on %s (%v); output:\n%s", p.Addr, err, proc.out)
		}
		time.Sleep(probeInterval)
	}
}

// PromSample is one series of a query's answer: its labels and values
// (one for an instant vector, several for a range).
type PromSample struct {
	Labels map[string]string
	Values []PromValue
}

// PromValue is a value at a time.
type PromValue struct {
	Time  time.Time
	Value float64
}

// Query evaluates promql at time at with Prometheus' HTTP API and
// returns its series: an instant vector or a range vector.
func (p *Prometheus) Query(ctx context.Context, promql string, at time.Time) ([]PromSample, error) {
	return PromQuery(ctx, p.Addr, "query", url.Values{"query": {promql}, "time": {promTime(at)}})
}

// PromQueryRange evaluates promql every step from start to end with the
// HTTP API of the Prometheus at addr ("HOST:PORT") and returns its series.
func PromQueryRange(ctx context.Context, addr, promql string, start, end time.Time, step time.Duration) ([]PromSample, error) {
	return PromQuery(ctx, addr, "query_range", url.Values{"query": {promql}, "start": {promTime(start)}, "end": {promTime(end)},
		"step": {strconv.FormatFloat(step.Seconds(), 'f', -1, 64)}})
}

// promTime is t as the API's unix seconds.
func promTime(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixNano())/1e9, 'f', 3, 64)
}

// PromQuery asks the Prometheus at addr ("HOST:PORT") its HTTP API's
// endpoint ("query", "query_range") with params and returns the series
// of the answer.
func PromQuery(ctx context.Context, addr, endpoint string, params url.Values) ([]PromSample, error) {
	promql := params.Get("query")
	u := "http://" + addr + "/api/v1/" + endpoint + "?" + params.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", promql, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", promql, err)
	}
	var ans struct {
		Status string
		Error  string
		Data   struct {
			ResultType string
			Result     []struct {
				Metric map[string]string
				Value  []any
				Values [][]any
			}
		}
	}
	if err := json.Unmarshal(body, &ans); err != nil || ans.Status != "success" {
		return nil, fmt.Errorf("query %s: %s %v: %.300s", promql, resp.Status, err, body)
	}
	var out []PromSample
	for _, r := range ans.Data.Result {
		s := PromSample{Labels: r.Metric}
		if r.Value != nil {
			r.Values = append(r.Values, r.Value)
		}
		for _, v := range r.Values {
			pv, err := promValue(v)
			if err != nil {
				return nil, fmt.Errorf("query %s: %w", promql, err)
			}
			s.Values = append(s.Values, pv)
		}
		out = append(out, s)
	}
	return out, nil
}

// promValue reads the API's [unix seconds, "value"] pair.
func promValue(v []any) (PromValue, error) {
	if len(v) != 2 {
		return PromValue{}, fmt.Errorf("value %v is not [time, value]", v)
	}
	ts, ok := v[0].(float64)
	text, ok2 := v[1].(string)
	if !ok || !ok2 {
		return PromValue{}, fmt.Errorf("value %v is not [time, value]", v)
	}
	x, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return PromValue{}, fmt.Errorf("value %q: %w", text, err)
	}
	return PromValue{Time: time.Unix(0, int64(ts*1e9)), Value: x}, nil
}

// Promtool runs promtool with args and stdin (`check metrics` reads a
// scrape's text there) and returns its exit code and its output, one
// line each (for `check metrics`, exit 3 is lint problems, 1 text it
// cannot read).
func Promtool(t testing.TB, stdin []byte, args ...string) (code int, lines []string) {
	t.Helper()
	path := program(t, "promtool", PromtoolPath)
	cmd := exec.Command(path, args...)
	cmd.Stdin = strings.NewReader(string(stdin))
	out, err := cmd.CombinedOutput()
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("run promtool: %v", err)
		}
		code = ee.ExitCode()
	}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return code, lines
}
