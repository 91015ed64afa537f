package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
)

// envOf returns an environment lookup backed by m.
func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// writeConfig writes text as a config file in a temp dir, with a secret
// file beside it, and returns the config's path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bras1.auth"), []byte("auth-s3cret-pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "routers.yml")
	text = strings.ReplaceAll(text, "DIR", dir)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	path := writeConfig(t, `
defaults:
  interval: 2s
  retries: 2
routers:
  - name: bras1
    address: udp:192.0.2.1:1161
    version: 3
    security_name: stg
    auth_protocol: sha256
    auth_pass_file: DIR/bras1.auth
    priv_pass_env: BRAS1_PRIV
    users: ["anna rossi", MyUserName]
    top: 20
    filter: 'Vi2\.'
  - address: core1.example.net
    community_env: CORE1_COMMUNITY
    interfaces: [Te0/1/0, "2"]
    interval: 500ms
    retries: 0
    counters: "32"
`)
	cfg, err := Load(path, envOf(map[string]string{"BRAS1_PRIV": "priv-s3cret-pass", "CORE1_COMMUNITY": "c0mmunity"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Routers) != 2 {
		t.Fatalf("%d routers, want 2", len(cfg.Routers))
	}
	b, c := cfg.Routers[0], cfg.Routers[1]
	if b.Name != "bras1" || b.SNMP.Target != (snmp.Target{Transport: "udp", Host: "192.0.2.1", Port: 1161}) || b.SNMP.Version != snmp.Version3 ||
		b.SNMP.SecName != "stg" || b.SNMP.SecLevel != "authPriv" || b.SNMP.AuthProto != "SHA-256" || b.SNMP.PrivProto != "AES" ||
		b.SNMP.AuthPass.Reveal() != "auth-s3cret-pass" || b.SNMP.PrivPass.Reveal() != "priv-s3cret-pass" ||
		b.Interval != 2*time.Second || b.SNMP.Retries != 2 || b.SNMP.Timeout != time.Second || b.Top != 20 || b.Filter != `Vi2\.` ||
		strings.Join(b.Users, "|") != "anna rossi|MyUserName" || len(b.Interfaces) != 0 {
		t.Errorf("bras1: %+v %+v", b, b.SNMP)
	}
	if c.Name != "core1.example.net" || c.SNMP.Version != snmp.Version2c || c.SNMP.Community.Reveal() != "c0mmunity" ||
		c.Interval != 500*time.Millisecond || c.SNMP.Retries != 0 || c.Counters != snmp.Counters32 ||
		strings.Join(c.Interfaces, "|") != "Te0/1/0|2" || c.Top != 0 {
		t.Errorf("core1: %+v", c)
	}
	if strings.Contains(b.String(), "s3cret") || strings.Contains(c.String(), "c0mmunity") {
		t.Errorf("a router prints a secret: %s / %s", b, c)
	}
}

// TestLoadErrors: each mistake is one line naming the file, the line and
// the router, and what to write instead; none shows a secret.
func TestLoadErrors(t *testing.T) {
	env := envOf(map[string]string{"SET": "c0mmunity", "EMPTY": ""})
	tests := []struct {
		name, text, want string
	}{
		{"not YAML", "routers: [", "routers.yml:1:"},
		{"no routers", "routers: []\n", "no routers"},
		{"unknown top key", "router:\n  - address: r1\n", `:1: unknown key "router" (did you mean "routers"?)`},
		{"unknown router key", "routers:\n  - address: r1\n    communty_env: SET\n    interfaces: [x]\n", `:3: unknown key "communty_env" (did you mean "community_env"?)`},
		{"unknown key near an inline secret", "routers:\n  - address: r1\n    comunity: SET\n    interfaces: [x]\n", `:3: unknown key "comunity" (did you mean "community_env" or "community_file"?)`},
		{"inline community", "routers:\n  - address: r1\n    community: c0mmunity\n    interfaces: [x]\n", ":3: router \"r1\": write no secret into the file: name an environment variable (community_env) or a file (community_file)"},
		{"inline passphrase", "routers:\n  - address: r1\n    version: 3\n    auth_pass: c0mmunity\n    interfaces: [x]\n", "(auth_pass_env) or a file (auth_pass_file)"},
		{"no address", "routers:\n  - name: r1\n    interfaces: [x]\n", `:2: router "r1": no address`},
		{"bad address", "routers:\n  - address: http://r1\n    interfaces: [x]\n", `:2: router "http://r1": address:`},
		{"nothing to poll", "routers:\n  - address: r1\n", `router "r1": nothing to poll: add interfaces, users or top`},
		{"twice the same name", "routers:\n  - address: r1\n    top: 5\n  - address: r2\n    name: r1\n    top: 5\n", `:4: router "r1": another router has this name (line 2)`},
		{"unset env", "routers:\n  - address: r1\n    community_env: UNSET\n    top: 5\n", `community_env: UNSET is not set`},
		{"empty env", "routers:\n  - address: r1\n    community_env: EMPTY\n    top: 5\n", `community_env: EMPTY is empty`},
		{"env and file", "routers:\n  - address: r1\n    community_env: SET\n    community_file: DIR/bras1.auth\n    top: 5\n", "community_env or community_file, not both"},
		{"missing file", "routers:\n  - address: r1\n    community_file: DIR/nope\n    top: 5\n", "community_file: read DIR/nope"},
		{"bad version", "routers:\n  - address: r1\n    version: 4\n    top: 5\n", `version: bad SNMP version "4"`},
		{"v3 without name", "routers:\n  - address: r1\n    version: 3\n    top: 5\n", "SNMPv3 needs security_name"},
		{"v3 level without pass", "routers:\n  - address: r1\n    version: 3\n    security_name: u\n    security_level: authNoPriv\n    top: 5\n", "security_level authNoPriv needs auth_pass_env or auth_pass_file"},
		{"community with v3", "routers:\n  - address: r1\n    version: 3\n    security_name: u\n    community_env: SET\n    top: 5\n", "community_env and community_file are for SNMPv1 and v2c"},
		{"bad interval", "routers:\n  - address: r1\n    interval: fast\n    top: 5\n", `interval: "fast" is not a duration`},
		{"short interval", "routers:\n  - address: r1\n    interval: 10ms\n    top: 5\n", "interval 10ms is too short: the minimum is 100ms"},
		{"bad counters", "routers:\n  - address: r1\n    counters: 16\n    top: 5\n", `counters: bad value "16": use auto, 64 or 32`},
		{"negative top", "routers:\n  - address: r1\n    top: -1\n", "top -1: want the number of rows to show, 1 or more"},
		{"bad filter", "routers:\n  - address: r1\n    top: 5\n    filter: '('\n", "filter: "},
		{"filter without top", "routers:\n  - address: r1\n    interfaces: [x]\n    filter: x\n", "filter is for top"},
		{"twice the same target", "routers:\n  - address: r1\n    interfaces: [x, x]\n", `target "x" is given twice`},
		{"per-router key in defaults", "defaults:\n  address: r1\nrouters:\n  - address: r1\n    top: 5\n", ":2: defaults: address is per router"},
		{"negative retries", "routers:\n  - address: r1\n    retries: -1\n    top: 5\n", "retries must be 0 or more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.text)
			_, err := Load(path, env)
			want := strings.ReplaceAll(tt.want, "DIR", filepath.Dir(path))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want an error with %q", err, want)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || strings.Contains(msg, "c0mmunity") || !strings.HasPrefix(msg, path) {
				t.Errorf("error %q: want one line starting with the file, without the secret", msg)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.yml"), env); err == nil || !strings.Contains(err.Error(), "none.yml") {
		t.Errorf("missing file: %v", err)
	}
}
