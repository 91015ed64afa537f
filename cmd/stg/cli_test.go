package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
)

// The interfaces of testdata/snmpsim/stg-s3cr3t.snmprec and their true
// rates in octets per second (the numeric variation's rate=).
var testIfaces = map[string]struct {
	ifIndex      int
	inRate, outR float64
}{
	"Gi0/0/1": {1, 1000000, 250000},
	"Vi1.195": {2, 432100, 54000},
	"Se0/1/0": {3, 100000, 25000},
}

// community is the agent's community (the data file's name). It doubles as
// the secret that must never appear in any output.
const community = "stg-s3cr3t"

// startAgent runs snmpsimd on testdata/snmpsim.
func startAgent(t *testing.T, opts ...agenttest.SnmpsimOption) string {
	t.Helper()
	return agenttest.StartSnmpsim(t, filepath.Join("testdata", "snmpsim"), opts...).Addr()
}

// checkRates asserts every row of a recording against the agent:
//   - the target and ifindex are the ones asked for;
//   - every rate equals the change of the octet counters since the target's
//     previous reading, times 8, over interval_s (0.5%: interval_s has 1 ms
//     resolution), so rates, octets and intervals are consistent;
//   - over the whole run, the octets moved at the agent's true rate (5%:
//     single samples carry the scheduling jitter of a busy test machine; the
//     snmp package's integration tests own the per-sample accuracy).
//
// It returns the number of rows that carry a rate.
func checkRates(t *testing.T, samples []sample.Sample) int {
	t.Helper()
	type reading struct {
		in, out uint64
		seconds float64 // sum of interval_s since the first reading
	}
	first, last := map[string]reading{}, map[string]reading{}
	rated := 0
	for i, s := range samples {
		want, ok := testIfaces[s.Target]
		if !ok {
			t.Errorf("row %d: unknown target %q", i+1, s.Target)
			continue
		}
		if s.IfIndex != want.ifIndex {
			t.Errorf("row %d: ifindex %d, want %d", i+1, s.IfIndex, want.ifIndex)
		}
		if !s.HasOctets {
			continue
		}
		prev, seen := last[s.Target]
		cur := reading{s.InOctets, s.OutOctets, prev.seconds}
		if s.Status.HasRate() {
			if !seen {
				t.Errorf("row %d: a rate (%s) without an earlier reading", i+1, s.Status)
				continue
			}
			rated++
			cur.seconds += s.Interval.Seconds()
			for _, c := range []struct {
				dir      string
				bps      float64
				from, to uint64
			}{{"in", s.InBps, prev.in, s.InOctets}, {"out", s.OutBps, prev.out, s.OutOctets}} {
				delta := c.to - c.from
				if c.to < c.from { // a 32-bit wrap
					delta = c.to + (1 << 32) - c.from
				}
				want := float64(delta) * 8 / s.Interval.Seconds()
				if math.Abs(c.bps-want) > 0.005*want+1 {
					t.Errorf("row %d (%s): %s_bps %.0f, but the octets moved %d in %.3f s: %.0f b/s", i+1, s.Status, c.dir, c.bps, delta, s.Interval.Seconds(), want)
				}
			}
		} else {
			cur.seconds = 0 // a new baseline
			first[s.Target] = cur
		}
		last[s.Target] = cur
	}
	for target, l := range last {
		f, want := first[target], testIfaces[target]
		if l.seconds < 1 {
			continue
		}
		for _, c := range []struct {
			dir      string
			from, to uint64
			truth    float64
		}{{"in", f.in, l.in, want.inRate}, {"out", f.out, l.out, want.outR}} {
			got := float64(c.to-c.from) / l.seconds
			if math.Abs(got-c.truth) > 0.05*c.truth {
				t.Errorf("%s: %s octets moved at %.0f/s over %.1f s, agent's true rate %.0f/s (5%%)", target, c.dir, got, l.seconds, c.truth)
			}
		}
	}
	return rated
}

func TestCLIAgainstSnmpsim(t *testing.T) {
	addr := startAgent(t)
	// -t 5 -r 1: the start-up walks wait longer on a busy machine; polls
	// still end at 80% of the interval.
	base := []string{"--router", addr, "-c", community, "-t", "5", "-r", "1"}
	with := func(args ...string) []string { return append(append([]string(nil), base...), args...) }

	t.Run("csv rows and rates", func(t *testing.T) {
		r := runStg(t, nil, with("--if", "Gi0/0/1", "--count", "5", "-o", "csv")...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		samples, err := record.ReadCSV(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatalf("output is not a valid recording: %v\n%s", err, r.stdout)
		}
		if len(samples) != 5 {
			t.Errorf("got %d rows, want 5 (one per poll):\n%s", len(samples), r.stdout)
		}
		if n := checkRates(t, samples); n < 3 {
			t.Errorf("only %d rows carry a rate:\n%s", n, r.stdout)
		}
	})

	t.Run("piped output defaults to csv, two targets", func(t *testing.T) {
		r := runStg(t, nil, "-c", community, "-t", "5", "-i", "0.5", "--count", "4", addr, "Vi1.195", "GigabitEthernet0/0/1")
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		samples, err := record.ReadCSV(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatalf("output is not a valid recording: %v\n%s", err, r.stdout)
		}
		perTarget := map[string]int{}
		for _, s := range samples {
			perTarget[s.Target]++
		}
		if perTarget["Vi1.195"] != 4 || perTarget["GigabitEthernet0/0/1"] != 4 {
			t.Errorf("rows per target %v, want 4 each", perTarget)
		}
		for i := range samples {
			if samples[i].Target == "GigabitEthernet0/0/1" {
				samples[i].Target = "Gi0/0/1" // the same row of testIfaces
			}
		}
		if n := checkRates(t, samples); n < 4 {
			t.Errorf("only %d rows carry a rate:\n%s", n, r.stdout)
		}
	})

	t.Run("jsonl", func(t *testing.T) {
		r := runStg(t, nil, with("--if", "uplink to core", "--count", "3", "-o", "jsonl")...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("got %d lines, want 3:\n%s", len(lines), r.stdout)
		}
		for i, line := range lines {
			var row map[string]any
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatalf("line %d is not JSON: %v: %s", i+1, err, line)
			}
			for _, k := range record.Header {
				if _, ok := row[k]; !ok {
					t.Errorf("line %d has no %q: %s", i+1, k, line)
				}
			}
			if row["target"] != "uplink to core" || row["ifindex"] != float64(1) {
				t.Errorf("line %d: target %v ifindex %v", i+1, row["target"], row["ifindex"])
			}
		}
	})

	t.Run("32-bit interface", func(t *testing.T) {
		r := runStg(t, nil, with("--if", "Se0/1/0", "--count", "3", "-o", "csv")...)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "32-bit") {
			t.Errorf("stderr %q does not say the counters are 32-bit", r.stderr)
		}
		samples, err := record.ReadCSV(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatal(err)
		}
		if n := checkRates(t, samples); n < 1 {
			t.Errorf("no row carries a rate:\n%s", r.stdout)
		}
	})

	t.Run("forced 64-bit on a 32-bit interface", func(t *testing.T) {
		r := runStg(t, nil, with("--if", "Se0/1/0", "--counters", "64", "--count", "1")...)
		if r.code != 1 || !strings.Contains(r.stderr, "no 64-bit counters") || !strings.Contains(r.stderr, "--counters 32") {
			t.Errorf("exit %d, stderr %q; want 1 and a hint to use --counters 32", r.code, r.stderr)
		}
	})

	t.Run("duration", func(t *testing.T) {
		start := time.Now()
		r := runStg(t, nil, with("--if", "Gi0/0/1", "--duration", "2s", "-o", "csv")...)
		took := time.Since(start)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		samples, err := record.ReadCSV(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatal(err)
		}
		// 2 s at 1 poll a second: 2 polls, or 3 counting the one at 0 s.
		if len(samples) < 2 || len(samples) > 3 {
			t.Errorf("got %d rows in 2 s of 1 s polls, want 2 or 3", len(samples))
		}
		if took < 2*time.Second {
			t.Errorf("ended after %v, before the 2 s duration", took)
		}
	})

	t.Run("log file alongside csv", func(t *testing.T) {
		logPath := filepath.Join(t.TempDir(), "rec.csv")
		r := runStg(t, nil, with("--if", "Vi1.195", "--count", "3", "-o", "csv", "--log", logPath)...)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		logged, err := os.ReadFile(logPath)
		if err != nil {
			t.Fatal(err)
		}
		if string(logged) != r.stdout {
			t.Errorf("--log file differs from stdout:\nlog:\n%s\nstdout:\n%s", logged, r.stdout)
		}
	})

	t.Run("debug log without secrets", func(t *testing.T) {
		debugPath := filepath.Join(t.TempDir(), "debug.log")
		r := runStg(t, nil, with("--if", "Gi0/0/1", "--count", "2", "-o", "csv", "--debug", debugPath)...)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		logged, err := os.ReadFile(debugPath)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(logged), "Gi0/0/1") {
			t.Errorf("debug log does not mention the target:\n%s", logged)
		}
		if strings.Contains(string(logged), community) {
			t.Errorf("debug log shows the community:\n%s", logged)
		}
	})

	t.Run("closed pipe ends quietly", func(t *testing.T) {
		exitFile := filepath.Join(t.TempDir(), "exit")
		script := `{ "$0" "$@"; echo $? > "$STG_TEST_EXIT"; } | head -3`
		r := runShell(t, []string{"STG_TEST_EXIT=" + exitFile}, script, with("--if", "Gi0/0/1", "-i", "0.2", "-o", "csv")...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("sh exit %d, stderr %q; want 0 and nothing", r.code, r.stderr)
		}
		if lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"); len(lines) != 3 {
			t.Errorf("got %d lines, want 3:\n%s", len(lines), r.stdout)
		}
		code, err := os.ReadFile(exitFile)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(string(code)) != "0" {
			t.Errorf("stg exited %s after head closed the pipe, want 0 (141 means killed by SIGPIPE)", strings.TrimSpace(string(code)))
		}
	})

	t.Run("SIGINT leaves a complete file", func(t *testing.T) {
		checkInterrupt(t, with("--if", "Gi0/0/1", "-i", "0.3", "-o", "csv"))
	})

	t.Run("unknown interface lists the closest", func(t *testing.T) {
		r := runStg(t, nil, with("--if", "Gi0/0/2", "--count", "1")...)
		if r.code != 1 {
			t.Errorf("exit %d, want 1", r.code)
		}
		if !strings.HasPrefix(r.stderr, "stg: ") || !strings.Contains(r.stderr, "not found") || !strings.Contains(r.stderr, "Gi0/0/1") {
			t.Errorf("stderr %q: want a not-found line naming Gi0/0/1", r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("stdout %q, want nothing", r.stdout)
		}
	})

	t.Run("unknown user", func(t *testing.T) {
		r := runStg(t, nil, with("--user", "nobody@isp.example", "--count", "1")...)
		if r.code != 1 || !strings.Contains(r.stderr, "nobody@isp.example") || !strings.Contains(r.stderr, "not found") {
			t.Errorf("exit %d, stderr %q; want 1 and a not-found line naming the user", r.code, r.stderr)
		}
	})
}

func TestCLIUserOnSimulator(t *testing.T) {
	// MyUserName's session drops and comes back on another interface every
	// 5 s; stg must follow it. Each session gives a baseline, the first
	// change (pending) and then rates.
	addr := startSim(t, "--flap", "5s", "--sessions", "20")
	r := runStg(t, nil, "--router", addr, "--user", "MyUserName", "--count", "12", "-o", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	samples, err := record.ReadCSV(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("not a valid recording: %v\n%s", err, r.stdout)
	}
	if len(samples) != 12 {
		t.Errorf("got %d rows, want 12:\n%s", len(samples), r.stdout)
	}
	ifIndexes := map[int]bool{}
	rated := 0
	for i, s := range samples {
		if s.Target != "MyUserName" {
			t.Errorf("row %d: target %q", i+1, s.Target)
		}
		if s.IfIndex > 0 {
			ifIndexes[s.IfIndex] = true
		}
		if s.Status.HasRate() {
			rated++
		}
	}
	if len(ifIndexes) < 2 || rated < 2 {
		t.Errorf("rows cover ifIndexes %v with %d rates; want the session followed to a new interface and rates on both sides:\n%s", ifIndexes, rated, r.stdout)
	}
}

func TestCLISNMPv3(t *testing.T) {
	const user, authKey, privKey = "stgv3", "authkey-s3cr3t", "privkey-s3cr3t"
	addr := startAgent(t, agenttest.WithV3User(agenttest.V3User{
		Name: user, AuthProto: "SHA", AuthKey: authKey, PrivProto: "AES", PrivKey: privKey,
	}))
	r := runStg(t, []string{"STG_PRIV_PASS=" + privKey},
		"-v", "3", "-u", user, "-l", "authPriv", "-a", "SHA", "-A", authKey, "-x", "AES",
		"-n", community, // snmpsim picks the data file by context name
		"--router", addr, "--if", "Gi0/0/1", "--count", "3", "-o", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	samples, err := record.ReadCSV(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if n := checkRates(t, samples); n < 1 {
		t.Errorf("no row carries a rate:\n%s", r.stdout)
	}
	for _, secret := range []string{authKey, privKey} {
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("output shows the passphrase %q", secret)
		}
	}
}

func TestCLINoAgent(t *testing.T) {
	const secret = "s3cr3t-community"
	port := agenttest.FreeUDPPort(t)
	start := time.Now()
	r := runStg(t, nil, "--router", "127.0.0.1:"+strconv.Itoa(port), "-c", secret, "-t", "1", "--if", "1", "--count", "1")
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	// -t 1 and the default -r 5: six attempts of 1 s.
	want := fmt.Sprintf("stg: probe 127.0.0.1:%d: no SNMP response from 127.0.0.1:%d within 6s — check address, community/credentials and the agent's ACL\n", port, port)
	if r.stderr != want {
		t.Errorf("stderr\n%q\nwant\n%q", r.stderr, want)
	}
	if r.stdout != "" || strings.Contains(r.stderr, secret) {
		t.Errorf("stdout %q; the secret must not appear", r.stdout)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %v to give up with -t 1", took)
	}
}

func TestCLIUsageAndHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"help", []string{"--help"}, 0},
		{"unknown flag", []string{"r", "1", "--bogus"}, 2},
		{"interval zero", []string{"r", "1", "-i", "0"}, 2},
		{"bad router", []string{"--router", "ftp:host:21:x", "--if", "1"}, 2},
		{"bad output", []string{"r", "1", "-o", "xml", "-c", "s3cr3t-community"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runStg(t, []string{"STG_COMMUNITY=s3cr3t-community"}, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "s3cr3t-community") {
				t.Error("output shows the community")
			}
			if tt.code == 0 {
				if !strings.Contains(r.stdout, "Usage:") || r.stderr != "" {
					t.Errorf("stdout %q stderr %q: want usage on stdout only", r.stdout, r.stderr)
				}
				return
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "stg: ") || !strings.HasSuffix(r.stderr, "(see stg --help)\n") {
				t.Errorf("stderr %q: want one line 'stg: <reason> (see stg --help)'", r.stderr)
			}
		})
	}
}
