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

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/cli"
)

// startResolveSim runs a simulated BRAS for the resolve tests.
func startResolveSim(t *testing.T, opts brassim.Options) *brassim.Sim {
	t.Helper()
	opts.NoSSH = true
	opts.Community = "s3cret-community"
	return agenttest.StartSim(t, opts)
}

// resolveEnvOf returns an env reading m, with the cache in a temp dir.
func resolveEnvOf(t *testing.T, m map[string]string) cli.LookupEnv {
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
				var got cli.ResolveJSON
				if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || got.User != "MyUserName" || got.ElapsedMS <= 0 {
					t.Errorf("json %q: %+v, %v", stdout.String(), got, err)
				}
			}
		})
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
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
func checkRun(t *testing.T, args []string, getenv cli.LookupEnv, wantCode int, wantOut, wantErr []string) (stdout, stderr *bytes.Buffer) {
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

// TestPollShowsNearMatchNote: a --user found by a near match (here the
// name in another case) is polled with the resolver's note on stderr, as
// `stg resolve` shows it, once, before the rows.
func TestPollShowsNearMatchNote(t *testing.T) {
	// Without CISCO-AAA-SESSION-MIB, whose casnUserId would match the
	// same way and make the name ambiguous.
	sim := startResolveSim(t, brassim.Options{Sessions: 20, Seed: 5, NoAAAMIB: true})
	env := resolveEnvOf(t, map[string]string{"STG_COMMUNITY": "s3cret-community"})
	args := []string{"--router", sim.Addr(), "--user", "myusername", "--resolve", "snmp", "--count", "2", "-i", "0.2", "-o", "csv"}
	stdout, stderr := checkRun(t, args, env, exitOK, []string{"myusername"}, nil)
	want := `stg: note: no session of "myusername"; using "MyUserName" (csubSessionUsername), which differs in case only` + "\n"
	if strings.Count(stderr.String(), want) != 1 {
		t.Errorf("stderr %q, want the resolver's note once: %q", stderr.String(), want)
	}
	if n := strings.Count(stdout.String(), "\n"); n != 3 {
		t.Errorf("stdout has %d lines, want a header and 2 rows:\n%s", n, stdout.String())
	}
}
