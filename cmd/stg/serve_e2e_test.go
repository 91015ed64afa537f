package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
)

// metricsOf parses a scrape into its families.
func metricsOf(t *testing.T, body []byte) map[string]*dto.MetricFamily {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// value returns the value of the series of family name whose labels
// include want, and whether there is one.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		return m.GetCounter().GetValue() + m.GetGauge().GetValue(), true
	}
	return 0, false
}

// count returns how many series of family name have the labels of want.
func count(fams map[string]*dto.MetricFamily, name string, want map[string]string) int {
	n := 0
	for _, m := range fams[name].GetMetric() {
		ok := true
		for _, l := range m.GetLabel() {
			if v, in := want[l.GetName()]; in && v != l.GetValue() {
				ok = false
			}
		}
		if ok {
			n++
		}
	}
	return n
}

// TestServeThreeRouters: `stg serve` polls three routers of a file (the
// simulated BRAS with a subscriber and its top 2, two snmpsim agents with
// an interface each). When one agent stops, its router is down and its
// series go, while the others keep theirs, polled on. SIGHUP with an
// edited file adds a target without a restart of stg or of the routers
// that did not change; a file that does not read keeps the running
// configuration. The log is JSON lines; no secret is in it or in
// /metrics.
func TestServeThreeRouters(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 20, Hogs: 2, Seed: 3, NoSSH: true, Community: "sim-s3cret"})
	a := agenttest.StartSnmpsim(t, filepath.Join("testdata", "export"))
	b := agenttest.StartSnmpsim(t, filepath.Join("testdata", "snmpsim"))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.community"), []byte(exportCommunity+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "routers.yml")
	write := func(aIfaces string) {
		t.Helper()
		text := `defaults:
  interval: 500ms
  timeout: 300ms
  retries: 1
routers:
  - name: sim
    address: ` + sim.Addr() + `
    community_env: SIM_COMMUNITY
    users: [MyUserName]
    top: 2
  - name: a
    address: ` + a.Addr() + `
    community_file: ` + filepath.Join(dir, "a.community") + `
    interfaces: [` + aIfaces + `]
  - name: b
    address: ` + b.Addr() + `
    community_env: B_COMMUNITY
    interfaces: [Gi0/0/1]
`
		if err := os.WriteFile(config, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("Te0/1/0")
	listen := "127.0.0.1:" + strconv.Itoa(agenttest.FreeTCPPort(t))
	cmd, _, stderr := startStgProcess(t, []string{"SIM_COMMUNITY=sim-s3cret", "B_COMMUNITY=" + community},
		"serve", "--config", config, "--listen", listen, "--log-format", "json")

	var fams map[string]*dto.MetricFamily
	rate := func(router, ifName string) bool {
		want := map[string]string{"router": router, "ifName": ifName}
		if ifName == "MyUserName" {
			want = map[string]string{"router": router, "user": ifName}
		}
		_, ok := value(fams, "stg_if_in_bytes_per_second", want)
		return ok
	}
	polls := func(router, target string) float64 {
		v, _ := value(fams, "stg_polls_total", map[string]string{"router": router, "target": target})
		return v
	}
	waitFor(t, 60*time.Second, "rates of the three routers", func() bool {
		body, err := tryScrape(listen) // stg may not listen yet
		if err != nil {
			return false
		}
		fams = metricsOf(t, body)
		return rate("sim", "MyUserName") && rate("a", "Te0/1/0") && rate("b", "Gi0/0/1") &&
			count(fams, "stg_if_in_bytes_per_second", map[string]string{"router": "sim"}) == 3
	}, stderr.String)
	for _, h := range sim.Hogs() {
		if _, ok := value(fams, "stg_if_in_bytes_per_second", map[string]string{"router": "sim", "user": h.User}); !ok {
			t.Errorf("no rate of the hog %s among sim's top 2", h.User)
		}
	}
	if n := count(fams, "ifHCInOctets", map[string]string{"router": "sim"}); n != 3 {
		t.Errorf("%d ifHCInOctets series of sim, want MyUserName and the top 2", n)
	}

	if err := b.Stop(); err != nil {
		t.Fatal(err)
	}
	simPolls, aPolls := polls("sim", "MyUserName"), polls("a", "Te0/1/0")
	waitFor(t, 30*time.Second, "router b down", func() bool {
		fams = metricsOf(t, scrape(t, listen))
		up, _ := value(fams, "stg_router_up", map[string]string{"router": "b"})
		timeouts, _ := value(fams, "stg_poll_timeouts_total", map[string]string{"router": "b"})
		return up == 0 && timeouts >= 3 && !rate("b", "Gi0/0/1")
	}, stderr.String)
	if _, ok := value(fams, "ifHCInOctets", map[string]string{"router": "b"}); ok {
		t.Error("router b, stopped, still has a counter series")
	}
	if !rate("sim", "MyUserName") || !rate("a", "Te0/1/0") || polls("sim", "MyUserName") <= simPolls || polls("a", "Te0/1/0") <= aPolls {
		t.Errorf("with b stopped, sim and a are not polled on: polls %v→%v and %v→%v",
			simPolls, polls("sim", "MyUserName"), aPolls, polls("a", "Te0/1/0"))
	}

	// A file that does not read: the running routers stay.
	if err := os.WriteFile(config, []byte("routers:\n  - address: x\n    communty: y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "a log of the failed reload", func() bool {
		return strings.Contains(stderr.String(), `reload failed`)
	}, stderr.String)

	simPolls = polls("sim", "MyUserName")
	write("Te0/1/0, Se0/2/0")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "a rate of the target added by SIGHUP", func() bool {
		fams = metricsOf(t, scrape(t, listen))
		return rate("a", "Se0/2/0") && rate("a", "Te0/1/0")
	}, stderr.String)
	if cmd.ProcessState != nil {
		t.Fatal("stg serve exited on SIGHUP")
	}
	if p := polls("sim", "MyUserName"); p <= simPolls {
		t.Errorf("sim, unchanged, was restarted by the reload: %v polls, %v before", p, simPolls)
	}

	body := scrape(t, listen)
	logs := stderr.String()
	for _, s := range []string{"sim-s3cret", community} {
		if strings.Contains(logs, s) || bytes.Contains(body, []byte(s)) {
			t.Errorf("the secret %q is in the log or /metrics", s)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["level"] == nil || rec["msg"] == nil {
			t.Errorf("log line is not a JSON record with level and msg: %s", line)
		}
	}
	for _, want := range []string{`"msg":"reloaded"`, `"added":null`, `"changed":["a"]`, `"msg":"target lost","router":"b","target":"Gi0/0/1","status":"gap-timeout"`,
		`unknown key \"communty\" (did you mean \"community_env\" or \"community_file\"?)`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log has no %s:\n%s", want, logs)
		}
	}
}
