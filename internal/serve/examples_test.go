package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stg-project/stg/internal/agenttest"
)

// TestExampleRouters: examples/routers.yml reads, once its secrets are
// there, as the two routers its comments describe.
func TestExampleRouters(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "examples", "routers.yml"))
	if err != nil {
		t.Fatal(err)
	}
	auth := filepath.Join(t.TempDir(), "bras1.auth")
	if err := os.WriteFile(auth, []byte("example-auth-pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "routers.yml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(text), "/etc/stg/bras1.auth", auth)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, envOf(map[string]string{"BRAS1_PRIV_PASS": "example-priv-pass", "CORE1_COMMUNITY": "example"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Routers) != 2 || cfg.Routers[0].Top != 20 || len(cfg.Routers[0].Users) != 2 || len(cfg.Routers[1].Interfaces) != 3 ||
		cfg.Routers[0].SNMP.SecLevel != "authPriv" || cfg.Routers[1].SNMP.Community.Reveal() != "example" {
		t.Errorf("routers: %v", cfg.Routers)
	}
}

// TestExamplePrometheus: promtool finds examples/prometheus.yml valid.
func TestExamplePrometheus(t *testing.T) {
	code, out := agenttest.Promtool(t, nil, "check", "config", filepath.Join("..", "..", "examples", "prometheus.yml"))
	if code != 0 {
		t.Errorf("promtool check config: exit %d: %q", code, out)
	}
}

// TestREADMEShowsExamples: README.md shows the three example files as
// they are.
func TestREADMEShowsExamples(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"routers.yml", "prometheus.yml", "telegraf.conf"} {
		text, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), "\n"+string(text)+"```\n") {
			t.Errorf("README.md does not show examples/%s as it is", name)
		}
	}
}
