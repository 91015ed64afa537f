package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/brassim"
)

// runInProcess runs stg in-process with the environment m and returns its
// exit code and output.
func runInProcess(t *testing.T, m map[string]string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, envOf(m), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestUsageErrorsExit2: every usage error, of stg and of its subcommands,
// is one line that says what to fix and where the help is, and exit 2.
func TestUsageErrorsExit2(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string // each in the one stderr line
	}{
		{"resolve ssh without --ssh-user", nil, []string{"resolve", "--router", "127.0.0.1:9", "-t", "0.2", "--user", "u1", "--resolve", "ssh"},
			[]string{"--resolve ssh needs --ssh-user", "(see stg resolve --help)"}},
		{"poll ssh without --ssh-user", nil, []string{"--router", "127.0.0.1:9", "-t", "0.2", "--user", "u1", "--resolve", "ssh"},
			[]string{"--resolve ssh needs --ssh-user", "(see stg --help)"}},
		{"empty -c", nil, []string{"-c", "", "-t", "0.2", "127.0.0.1:9", "1"}, []string{"-c", "empty", "(see stg --help)"}},
		{"empty STG_COMMUNITY", map[string]string{"STG_COMMUNITY": ""}, []string{"-t", "0.2", "127.0.0.1:9", "1"},
			[]string{"STG_COMMUNITY", "empty", "(see stg --help)"}},
		{"--router twice", nil, []string{"--router", "127.0.0.1:9", "--router", "127.0.0.1:7", "-t", "0.2", "--if", "1"},
			[]string{"--router is given more than once", `"127.0.0.1:9", then "127.0.0.1:7"`, "(see stg --help)"}},
		{"demo unknown flag", nil, []string{"demo", "--bogus"}, []string{"unknown flag: --bogus", "(see stg demo --help)"}},
		{"demo argument", nil, []string{"demo", "extra"}, []string{`unexpected argument "extra"`, "(see stg demo --help)"}},
		{"man argument", nil, []string{"man", "extra"}, []string{`unexpected argument "extra"`, "(see stg man --help)"}},
		{"version argument", nil, []string{"version", "extra"}, []string{`unexpected argument "extra"`, "(see stg version --help)"}},
		{"top listen", nil, []string{"top", "--router", "r1", "--listen", "bras1"}, []string{`--listen "bras1": want [HOST:]PORT`, "(see stg top --help)"}},
		{"demo sessions", nil, []string{"demo", "--sessions", "1"}, []string{"--sessions 1", "(see stg demo --help)"}},
		{"demo no hogs", nil, []string{"demo", "--hogs", "0"}, []string{"--hogs 0: want 1 to 20", "(see stg demo --help)"}},
		{"demo hogs beyond sessions", nil, []string{"demo", "--sessions", "6", "--hogs", "3"}, []string{"--hogs 3 needs --sessions 7 or more"}},
		{"sim sessions", nil, []string{"sim", "--sessions", "0"}, []string{"--sessions 0", "(see stg sim --help)"}},
		{"sim not loopback", nil, []string{"sim", "--listen", "192.0.2.1:161"}, []string{"loopback", "(see stg sim --help)"}},
		{"replay without a file", nil, []string{"replay"}, []string{"replay takes one FILE.csv", "(see stg replay --help)"}},
		{"options before sim", nil, []string{"-c", "X", "sim"}, []string{"-c", "before", "sim", "(see stg sim --help)"}},
		{"huge argument", nil, []string{"--router", "r1", "--if", "1", long}, []string{"unexpected argument", "100000 bytes", "(see stg --help)"}},
		{"huge flag value", nil, []string{"-v", long, "r1", "1"}, []string{"bad -v", "100000 bytes", "(see stg --help)"}},
		{"huge value pflag rejects", nil, []string{"-i", long, "r1", "1"}, []string{"interval", "100000 bytes", "(see stg --help)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runInProcess(t, tt.env, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %.300q", code, exitUsage, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %.300q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "stg") {
				t.Errorf("stderr %.300q: want one line starting with stg", stderr)
			}
			if len(stderr) > 500 {
				t.Errorf("stderr is %d bytes long: a typed value must be echoed short", len(stderr))
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %.300q lacks %q", stderr, w)
				}
			}
		})
	}
}

// TestHelpOfEverySubcommand: `stg help`, `stg --help` and `stg SUB --help`
// print the help that fits on stdout and exit 0; `stg` alone prints the
// usage; `stg help` and `stg version` are never router names.
func TestHelpOfEverySubcommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"--help", []string{"--help"}, []string{"Usage:", "stg resolve", "--router"}},
		{"help", []string{"help"}, []string{"Usage:", "stg resolve", "--router"}},
		{"help resolve", []string{"help", "resolve"}, []string{"stg resolve [flags]", "text|json"}},
		{"resolve --help", []string{"resolve", "--help"}, []string{"stg resolve [flags]", "-o, --output text|json", "--ssh-user", "--resolve"}},
		{"resolve -h among flags", []string{"resolve", "--router", "r1", "-h"}, []string{"stg resolve [flags]", "text|json"}},
		{"demo --help", []string{"demo", "--help"}, []string{"stg demo [flags]", "--sessions", "--hogs", "--seed", "stg top"}},
		{"sim --help lists --hogs", []string{"sim", "--help"}, []string{"--hogs"}},
		{"demo -h", []string{"demo", "-h"}, []string{"stg demo [flags]"}},
		{"sim --help", []string{"sim", "--help"}, []string{"stg sim [flags]", "--listen"}},
		{"replay --help", []string{"replay", "--help"}, []string{"stg replay", "--window"}},
		{"help demo", []string{"help", "demo"}, []string{"stg demo [flags]"}},
		{"version", []string{"version"}, []string{"stg "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runInProcess(t, nil, tt.args...)
			if code != exitOK || stderr != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing on stderr", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			if strings.Contains(stdout, "pflag") {
				t.Errorf("stdout shows pflag's own text:\n%s", stdout)
			}
		})
	}
	t.Run("no arguments", func(t *testing.T) {
		code, stdout, stderr := runInProcess(t, nil)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, "Usage:") || !strings.Contains(stderr, "--router") {
			t.Errorf("exit %d, stdout %q, stderr %q; want 2 and the usage on stderr", code, stdout, stderr)
		}
	})
	t.Run("help of an unknown subcommand", func(t *testing.T) {
		code, _, stderr := runInProcess(t, nil, "help", "chart")
		if code != exitUsage || !strings.Contains(stderr, `no subcommand "chart"`) {
			t.Errorf("exit %d, stderr %q; want 2 naming the subcommand", code, stderr)
		}
	})
}

// TestOptionsBeforeSubcommand: stg's options given before `resolve` are
// the resolve's, in any order.
func TestOptionsBeforeSubcommand(t *testing.T) {
	sim := startResolveSim(t, brassim.Options{Sessions: 20, Seed: 5})
	ifIndex, _, _ := sim.Lookup("MyUserName")
	m := map[string]string{"STG_CACHE_DIR": t.TempDir()}
	code, stdout, stderr := runInProcess(t, m, "-c", sim.Community(), "-o", "json", "resolve", "--router", sim.Addr(), "--user", "MyUserName")
	if code != exitOK || !strings.Contains(stdout, `"ifIndex":`+itoa(ifIndex)) {
		t.Errorf("exit %d, stdout %q, stderr %q; want the user found with the community given before resolve", code, stdout, stderr)
	}
}

// TestHugeArgumentEchoedShort: a runtime error that quotes a 100 kB
// argument shows the start of it and its length, not all of it.
func TestHugeArgumentEchoedShort(t *testing.T) {
	sim := startResolveSim(t, brassim.Options{Sessions: 5, Seed: 5})
	long := strings.Repeat("Gi", 50_000)
	code, stdout, stderr := runInProcess(t, map[string]string{"STG_COMMUNITY": sim.Community()},
		"--router", sim.Addr(), "--if", long, "--count", "1", "-o", "csv")
	if code != exitFailure || stdout != "" {
		t.Errorf("exit %d, stdout %.200q; want 1 and nothing", code, stdout)
	}
	if len(stderr) > 1000 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "100000 bytes") {
		t.Errorf("stderr is %d bytes: %.300q; want one short line giving the length", len(stderr), stderr)
	}
}
