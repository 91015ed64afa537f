package session

import (
	"context"
	"testing"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// TestSSHPasswordKeptForTheBackground: the password typed at start-up is
// what a search in the background logs in with; that search never asks,
// and a run without a terminal never asks either.
func TestSSHPasswordKeptForTheBackground(t *testing.T) {
	cfg := Config{Router: "r1", Users: []string{"u1"}, SSH: SSH{User: "noc", Port: 22, Home: t.TempDir()}}
	asked := 0
	r := newRun(cfg, Outputs{AskPassword: func(context.Context, string) (string, error) {
		asked++
		return "typed-pw", nil
	}})
	if bg, err := r.sshConfig(false); err != nil || bg.PasswordPrompt != nil || bg.Password != "" {
		t.Fatalf("background before any answer: prompt %v, password set %v, %v; want neither", bg.PasswordPrompt != nil, bg.Password != "", err)
	}
	fg, err := r.sshConfig(true)
	if err != nil || fg.PasswordPrompt == nil {
		t.Fatalf("start-up: %+v, %v; want a prompt", fg, err)
	}
	if pw, err := fg.PasswordPrompt(context.Background(), "p: "); pw != "typed-pw" || err != nil {
		t.Fatalf("prompt: %q, %v", pw, err)
	}
	bg, err := r.sshConfig(false)
	if err != nil || bg.PasswordPrompt != nil || bg.Password.Reveal() != "typed-pw" {
		t.Errorf("background after the answer: prompt %v, %v; want the typed password and no prompt", bg.PasswordPrompt != nil, err)
	}
	if asked != 1 {
		t.Errorf("asked %d times, want 1", asked)
	}
	if nt, _ := newRun(cfg, Outputs{}).sshConfig(true); nt.PasswordPrompt != nil {
		t.Error("a run without a terminal would ask")
	}
}

// TestNewResolverCaches: every --resolve mode sits behind the cache when
// there is an SNMP client to verify a cached answer with, and none with
// --no-cache or without a client (stg resolve --resolve ssh).
func TestNewResolverCaches(t *testing.T) {
	c := snmptest.New()
	tests := []struct {
		name    string
		resolve ResolveMode
		sshUser string
		client  snmp.Client
		noCache bool
		cached  bool
	}{
		{"--resolve snmp", ResolveSNMP, "", c, false, true},
		{"--resolve ssh --ssh-user noc", ResolveSSH, "noc", c, false, true},
		{"--resolve ssh --ssh-user noc, no client", ResolveSSH, "noc", nil, false, false},
		{"--resolve snmp --no-cache", ResolveSNMP, "", c, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Router: "r1", Users: []string{"u1"}, Resolve: tt.resolve, CacheDir: t.TempDir(),
				SSH: SSH{User: tt.sshUser, Port: 22, Home: t.TempDir()}}
			if tt.noCache {
				cfg.CacheDir = ""
			}
			r, release, err := newRun(cfg, Outputs{}).resolver(tt.client, true)
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
