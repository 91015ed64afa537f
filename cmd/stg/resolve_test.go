package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// startResolveSim runs a simulated BRAS for the resolve tests.
func startResolveSim(t *testing.T, opts brassim.Options) *brassim.Sim {
	t.Helper()
	opts.NoSSH = true
	opts.Community = "s3cret-community"
	return agenttest.StartSim(t, opts)
}

// resolveEnvOf returns an env reading m, with the cache in a temp dir.
func resolveEnvOf(t *testing.T, m map[string]string) env {
	if m == nil {
		m = map[string]string{}
	}
	if _, ok := m["STG_CACHE_DIR"]; !ok {
		m["STG_CACHE_DIR"] = t.TempDir()
	}
	m["HOME"] = t.TempDir()
	return envOf(m)
}

func TestRunResolve(t *testing.T) {
	sim := startResolveSim(t, brassim.Options{Sessions: 100, Seed: 5})
	novt := startResolveSim(t, brassim.Options{Sessions: 20, Seed: 5, NoVirtualTemplateSNMP: true})
	ifIndex, ifName, _ := sim.Lookup("MyUserName")
	cache := t.TempDir()
	env := resolveEnvOf(t, map[string]string{"STG_COMMUNITY": "s3cret-community", "STG_CACHE_DIR": cache})
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{"text", []string{"--router", sim.Addr(), "--user", "MyUserName", "--resolve", "snmp"}, exitOK,
			[]string{"ifIndex  " + itoa(ifIndex), "ifName   " + ifName, "method   snmp:csubSessionUsername", "elapsed  "}, nil},
		{"second run comes from the cache", []string{"--router", sim.Addr(), "--user", "MyUserName"}, exitOK,
			[]string{"method   cache", "ifIndex  " + itoa(ifIndex)}, nil},
		{"json", []string{"--router", sim.Addr(), "--user", "MyUserName", "-o", "json"}, exitOK,
			[]string{`"ifIndex":` + itoa(ifIndex), `"ifName":"` + ifName + `"`}, nil},
		{"not found", []string{"--router", sim.Addr(), "--user", "MyUserNam"}, exitFailure,
			nil, []string{`user "MyUserNam" not found`, "near matches: MyUserName", "CISCO-SUBSCRIBER-SESSION-MIB"}},
		{"no virtual-template snmp", []string{"--router", novt.Addr(), "--user", "MyUserName"}, exitFailure,
			nil, []string{"enable `virtual-template snmp`"}},
		{"bad output format", []string{"--router", sim.Addr(), "--user", "MyUserName", "-o", "csv"}, exitUsage,
			nil, []string{"use text or json"}},
		{"interfaces are not users", []string{"--router", sim.Addr(), "--if", "Gi0/0/0"}, exitUsage,
			nil, []string{"takes --user"}},
		{"ssh without a user", []string{"--router", sim.Addr(), "--user", "MyUserName", "--resolve", "ssh"}, exitUsage,
			nil, []string{"needs --ssh-user"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := checkRun(t, append([]string{"resolve"}, tt.args...), env, tt.wantCode, tt.wantOut, tt.wantErr)
			if all := stdout.String() + stderr.String(); strings.Contains(all, "s3cret-community") {
				t.Errorf("the community leaked: %s", all)
			}
			if strings.Contains(tt.name, "json") {
				var got resolveJSON
				if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || got.User != "MyUserName" || got.ElapsedMS <= 0 {
					t.Errorf("json %q: %+v, %v", stdout.String(), got, err)
				}
			}
		})
	}
}

func ciscoresolveProgress(rows int, elapsed time.Duration, done bool) ciscoresolve.Progress {
	return ciscoresolve.Progress{Router: "bras1", Column: "casnUserId", Rows: rows, Elapsed: elapsed, Done: done}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestResolveFormat(t *testing.T) {
	tests := []struct {
		args []string
		want string
		rest string
		err  bool
	}{
		{[]string{"--router", "r", "-o", "json"}, "json", "--router r", false},
		{[]string{"-ojson", "--user", "u"}, "json", "--user u", false},
		{[]string{"--output=text"}, "text", "", false},
		{[]string{"--user", "u"}, "text", "--user u", false},
		{[]string{"-o"}, "", "", true},
		{[]string{"-o", "tui"}, "", "", true},
		{[]string{"--", "-o", "json"}, "text", "-- -o json", false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			got, rest, err := resolveFormat(tt.args)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if !tt.err && (got != tt.want || strings.Join(rest, " ") != tt.rest) {
				t.Errorf("got %q %q, want %q %q", got, rest, tt.want, tt.rest)
			}
		})
	}
}

// TestFollow drops a subscriber's session while it is polled, as a --user
// (it comes back at once on a new interface) and as an --if interface
// named like its Virtual-Access (it comes back after a second on the same
// one, as IOS reuses them): the poller loses the target and finds it
// again through refind, and the rows go on from the interface found with a
// `reconnected` row, without a rate that spans the drop.
func TestFollow(t *testing.T) {
	tests := []struct {
		name        string
		opts        brassim.Options
		byInterface bool // poll --if <MyUserName's interface> instead of --user
		wantOffline bool
	}{
		{"user moves to a new interface", brassim.Options{Sessions: 50, Seed: 9}, false, false},
		{"interface goes away and comes back", brassim.Options{Sessions: 50, Seed: 9, ReuseInterfaces: true, FlapDown: time.Second}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := startResolveSim(t, tt.opts)
			_, viName, _ := sim.Lookup("MyUserName")
			target := []string{"--user", "MyUserName"}
			if tt.byInterface {
				target = []string{"--if", viName}
			}
			getenv := resolveEnvOf(t, nil)
			o, err := parseOptions(append([]string{"--router", sim.Addr(), "-c", sim.Community(), "-i", "0.2"}, target...), getenv)
			if err != nil {
				t.Fatal(err)
			}
			find := newFinder(getenv, &bytes.Buffer{})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := snmp.Dial(ctx, o.snmpConfig(mustTarget(o.Router)))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			var targets []snmp.PollTarget
			if tt.byInterface {
				pt, _, err := interfaceTarget(ctx, o, c, viName)
				if err != nil {
					t.Fatal(err)
				}
				targets = []snmp.PollTarget{pt}
			} else if targets, err = resolveUsers(ctx, o, find, c); err != nil {
				t.Fatal(err)
			}
			oldIndex := targets[0].IfIndex
			p := snmp.NewPoller(c, snmp.PollerConfig{Router: o.Router, Interval: 200 * time.Millisecond,
				Refind: func(ctx context.Context, name string) (snmp.PollTarget, error) {
					return refind(ctx, o, find.background(), name)
				}}, targets)
			samples := make(chan sample.Sample, 256)
			go func() { _ = p.Run(ctx, samples); close(samples) }()

			var rows []sample.Sample
			flapped, reconnectedAt := false, -1
			for s := range samples {
				rows = append(rows, s)
				if !flapped && len(rows) == 4 {
					if err := sim.Flap("MyUserName"); err != nil {
						t.Fatal(err)
					}
					flapped = true
				}
				if s.Status == sample.StatusReconnected && reconnectedAt < 0 {
					reconnectedAt = len(rows) - 1
				}
				if reconnectedAt >= 0 && len(rows) >= reconnectedAt+5 {
					cancel()
				}
			}
			if reconnectedAt < 0 {
				t.Fatalf("no reconnected row in %d rows: %v", len(rows), statuses(rows))
			}
			t.Logf("rows: %v", statuses(rows))
			newIndex, newName, _ := sim.Lookup("MyUserName")
			if tt.byInterface && (newIndex != oldIndex || newName != viName) {
				t.Fatalf("the simulator gave MyUserName %s (ifIndex %d), not its old %s (%d) back", newName, newIndex, viName, oldIndex)
			}
			if !tt.byInterface && newIndex == oldIndex {
				t.Fatalf("the simulator kept MyUserName on ifIndex %d", oldIndex)
			}
			if rows[reconnectedAt].IfIndex != newIndex {
				t.Errorf("reconnected row on ifIndex %d; old %d, simulator now %d", rows[reconnectedAt].IfIndex, oldIndex, newIndex)
			}
			speed := float64(targets[0].SpeedBps)
			offline := 0
			for i, s := range rows {
				if s.Status.HasRate() && speed > 0 && (s.InBps > speed || s.OutBps > speed) {
					t.Errorf("row %d: %s rate %.0f/%.0f above the link speed %.0f: a spike", i, s.Status, s.InBps, s.OutBps, speed)
				}
				if s.Status == sample.StatusOffline {
					offline++
					if s.HasOctets {
						t.Errorf("row %d: offline row carries counters", i)
					}
				}
				if i > reconnectedAt && s.IfIndex != newIndex {
					t.Errorf("row %d after the reconnect polls ifIndex %d, want %d", i, s.IfIndex, newIndex)
				}
			}
			if tt.wantOffline && offline == 0 {
				t.Errorf("no offline row while the interface was gone: %v", statuses(rows))
			}
			rated := 0
			for _, s := range rows[reconnectedAt+1:] {
				if s.Status.HasRate() {
					rated++
				}
			}
			if rated == 0 {
				t.Errorf("after the reconnect no row carried a rate again: %v", statuses(rows))
			}
		})
	}
}

// TestInterfaceTargetIdentity: an interface given by name is checked by its
// ifDescr in every poll; one given by ifIndex is not, since the index is
// what was asked for.
func TestInterfaceTargetIdentity(t *testing.T) {
	sim := startResolveSim(t, brassim.Options{Sessions: 5, Seed: 9})
	_, viName, _ := sim.Lookup("MyUserName")
	o, err := parseOptions([]string{"--router", sim.Addr(), "-c", sim.Community(), "--if", viName}, resolveEnvOf(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	c, err := snmp.Dial(context.Background(), o.snmpConfig(mustTarget(o.Router)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	byName, it, err := interfaceTarget(context.Background(), o, c, viName)
	if err != nil {
		t.Fatal(err)
	}
	if byName.IdentityOID != snmp.OIDIfDescr+"."+itoa(it.IfIndex) || byName.IdentityValue != it.Descr || it.Descr == "" {
		t.Errorf("by name: identity %s = %q, want ifDescr.%d = %q", byName.IdentityOID, byName.IdentityValue, it.IfIndex, it.Descr)
	}
	byIndex, _, err := interfaceTarget(context.Background(), o, c, itoa(it.IfIndex))
	if err != nil {
		t.Fatal(err)
	}
	if byIndex.IdentityOID != "" || byIndex.IfIndex != it.IfIndex {
		t.Errorf("by ifIndex: %+v, want ifIndex %d without identity", byIndex, it.IfIndex)
	}
}

func statuses(rows []sample.Sample) []string {
	var out []string
	for _, r := range rows {
		out = append(out, string(r.Status)+"@"+itoa(r.IfIndex))
	}
	return out
}

func TestRunResolveSSH(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 100, Seed: 5, SSHUser: "noc", SSHPassword: "ssh-s3cret"})
	_, port, _ := strings.Cut(sim.SSHAddr(), "127.0.0.1:")
	known := t.TempDir() + "/known_hosts"
	ifIndex, ifName, _ := sim.Lookup("MyUserName")
	tests := []struct {
		name       string
		args       []string
		pass       string
		wantCode   int
		wantOut    []string
		wantErr    []string
		wantMethod []string
	}{
		{"unknown host refused", []string{"--resolve", "ssh"}, "ssh-s3cret", exitFailure, nil, []string{"unknown host key", "--ssh-accept-new"}, nil},
		{"accept new", []string{"--resolve", "ssh", "--ssh-accept-new"}, "ssh-s3cret", exitOK, []string{"ifName   " + ifName}, nil, []string{"ssh"}},
		{"known now", []string{"--resolve", "ssh"}, "ssh-s3cret", exitOK, []string{"ifIndex  " + itoa(ifIndex)}, nil, []string{"ssh"}},
		{"wrong password", []string{"--resolve", "ssh"}, "wrong-pass", exitFailure, nil, []string{`authentication failed for user "noc"`}, nil},
		{"auto races SNMP and SSH", []string{"--resolve", "auto"}, "ssh-s3cret", exitOK, []string{"ifIndex  " + itoa(ifIndex)}, nil, []string{"ssh", "snmp:csubSessionUsername"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := resolveEnvOf(t, map[string]string{"STG_COMMUNITY": sim.Community(), "STG_SSH_PASS": tt.pass})
			args := append([]string{"resolve", "--router", sim.Addr(), "--user", "MyUserName", "--ssh-user", "noc", "--ssh-port", port, "--known-hosts", known}, tt.args...)
			stdout, stderr := checkRun(t, args, env, tt.wantCode, tt.wantOut, tt.wantErr)
			if tt.wantMethod != nil {
				ok := false
				for _, m := range tt.wantMethod {
					ok = ok || strings.Contains(stdout.String(), "method   "+m+"\n")
				}
				if !ok {
					t.Errorf("stdout %q: method not one of %v", stdout.String(), tt.wantMethod)
				}
			}
			if all := stdout.String() + stderr.String(); strings.Contains(all, tt.pass) {
				t.Errorf("the SSH password leaked: %s", all)
			}
		})
	}
}

func TestProgressPrinter(t *testing.T) {
	var buf bytes.Buffer
	show := newProgressPrinter(&buf, nil) // a buffer is not a terminal: throttled lines
	for i := 1; i <= 40; i++ {
		show(ciscoresolveProgress(i*250, time.Duration(i)*250*time.Millisecond, false))
	}
	show(ciscoresolveProgress(10000, 10*time.Second, true))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want one at 5s, one at 10s and the last:\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[2], "walked casnUserId on bras1: 10000 rows, 1000 rows/s, 10.0s") {
		t.Errorf("last line %q", lines[2])
	}
}

func TestCacheDir(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"STG_CACHE_DIR": "/x", "XDG_CACHE_HOME": "/y", "HOME": "/h"}, "/x"},
		{map[string]string{"XDG_CACHE_HOME": "/y", "HOME": "/h"}, "/y/stg"},
		{map[string]string{"HOME": "/h"}, "/h/.cache/stg"},
		{map[string]string{}, ""},
	}
	for _, tt := range tests {
		if got := cacheDir(envOf(tt.env)); got != tt.want {
			t.Errorf("cacheDir(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

// TestRunResolveDebugLog: `stg resolve --debug FILE` records what it did,
// without the community.
func TestRunResolveDebugLog(t *testing.T) {
	sim := startResolveSim(t, brassim.Options{Sessions: 20, Seed: 5})
	ifIndex, _, _ := sim.Lookup("MyUserName")
	logPath := filepath.Join(t.TempDir(), "debug.log")
	env := resolveEnvOf(t, map[string]string{"STG_COMMUNITY": "s3cret-community", "STG_CACHE_DIR": t.TempDir()})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	args := []string{"resolve", "--router", sim.Addr(), "--user", "MyUserName", "--user", "nobody-here", "--debug", logPath}
	if code := run(ctx, args, env, strings.NewReader(""), &stdout, &stderr); code != exitFailure {
		t.Fatalf("exit %d, want %d (one user not found); stderr: %s", code, exitFailure, stderr.String())
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	for _, want := range []string{`user "MyUserName": ifIndex ` + itoa(ifIndex), `user "nobody-here": `} {
		if !strings.Contains(log, want) {
			t.Errorf("debug log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "s3cret-community") {
		t.Errorf("the community leaked into the debug log:\n%s", log)
	}
}

// checkRun runs stg in-process and checks its exit code and that stdout and
// stderr hold every wanted piece; it returns both for further checks.
func checkRun(t *testing.T, args []string, getenv env, wantCode int, wantOut, wantErr []string) (stdout, stderr *bytes.Buffer) {
	t.Helper()
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if code := run(ctx, args, getenv, strings.NewReader(""), stdout, stderr); code != wantCode {
		t.Fatalf("exit %d, want %d; stderr: %s", code, wantCode, stderr.String())
	}
	for _, s := range wantOut {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("stdout %q lacks %q", stdout.String(), s)
		}
	}
	for _, s := range wantErr {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("stderr %q lacks %q", stderr.String(), s)
		}
	}
	return stdout, stderr
}

// TestPrintResultJSONLiteral: `stg resolve -o json` writes names as they
// are ("<pppoe-john.doe>", not \u003c...\u003e), one object per line.
func TestPrintResultJSONLiteral(t *testing.T) {
	var b bytes.Buffer
	res := ciscoresolve.Result{User: "john.doe", IfIndex: 7, IfDescr: "<pppoe-john.doe>", IfName: "<pppoe-john.doe>", Method: ciscoresolve.MethodIfMIB, Elapsed: time.Millisecond}
	if err := printResult(&b, "json", res, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"ifDescr":"<pppoe-john.doe>"`) || strings.Count(b.String(), "\n") != 1 {
		t.Errorf("got %q, want the name literally on one line", b.String())
	}
}

// TestSSHPasswordKeptForTheBackground: the password typed at start-up is
// what a search in the background logs in with; that search never asks,
// and a run without a terminal never asks either.
func TestSSHPasswordKeptForTheBackground(t *testing.T) {
	o, err := parseOptions([]string{"--router", "r1", "--user", "u1", "--ssh-user", "noc"}, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	getenv := envOf(map[string]string{"HOME": t.TempDir()})
	asked := 0
	f := finder{getenv: getenv, ask: true, password: newSSHPassword(func(context.Context, string) (string, error) {
		asked++
		return "typed-pw", nil
	})}
	if bg, err := sshConfig(o, f.background()); err != nil || bg.PasswordPrompt != nil || bg.Password != "" {
		t.Fatalf("background before any answer: prompt %v, password set %v, %v; want neither", bg.PasswordPrompt != nil, bg.Password != "", err)
	}
	fg, err := sshConfig(o, f)
	if err != nil || fg.PasswordPrompt == nil {
		t.Fatalf("start-up: %+v, %v; want a prompt", fg, err)
	}
	if pw, err := fg.PasswordPrompt(context.Background(), "p: "); pw != "typed-pw" || err != nil {
		t.Fatalf("prompt: %q, %v", pw, err)
	}
	bg, err := sshConfig(o, f.background())
	if err != nil || bg.PasswordPrompt != nil || bg.Password.Reveal() != "typed-pw" {
		t.Errorf("background after the answer: prompt %v, %v; want the typed password and no prompt", bg.PasswordPrompt != nil, err)
	}
	if asked != 1 {
		t.Errorf("asked %d times, want 1", asked)
	}
	if nt, _ := sshConfig(o, finder{getenv: getenv}); nt.PasswordPrompt != nil {
		t.Error("a run without a terminal would ask")
	}
}

// TestNewResolverCaches: every --resolve mode sits behind the cache when
// there is an SNMP client to verify a cached answer with, and none with
// --no-cache or without a client (stg resolve --resolve ssh).
func TestNewResolverCaches(t *testing.T) {
	c := snmptest.New()
	tests := []struct {
		args   []string
		client snmp.Client
		cached bool
	}{
		{[]string{"--resolve", "snmp"}, c, true},
		{[]string{"--resolve", "ssh", "--ssh-user", "noc"}, c, true},
		{[]string{"--resolve", "ssh", "--ssh-user", "noc"}, nil, false},
		{[]string{"--resolve", "snmp", "--no-cache"}, c, false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			getenv := resolveEnvOf(t, nil)
			o, err := parseOptions(append([]string{"--router", "r1", "--user", "u1"}, tt.args...), getenv)
			if err != nil {
				t.Fatal(err)
			}
			r, release, err := newResolver(o, finder{getenv: getenv}, tt.client)
			if err != nil {
				t.Fatal(err)
			}
			defer release()
			if _, cached := r.(*ciscoresolve.Cached); cached != tt.cached {
				t.Errorf("resolver %T, cached %v; want cached %v", r, cached, tt.cached)
			}
		})
	}
}
