package agenttest

import (
	"os"
	"os/exec"
	"testing"
)

// program returns the path of a program a test needs that `go test
// -short` (make check) goes without: an agent daemon, tmux, or unshare for
// a namespace. Under -short it skips the test; otherwise the program is
// the one named name on PATH, else the one at path (where Debian installs
// it), and a missing one fails the test: `make test` runs every test, and
// scripts/install-deps.sh installs them all.
func program(t testing.TB, name, path string) string {
	t.Helper()
	SkipShort(t, name)
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s is not installed (%s): run scripts/install-deps.sh", name, path)
	}
	return path
}

// SkipShort skips the test under -short, saying that it starts what: an
// agent daemon, tmux, a network namespace. The fast loop (`make check`)
// runs everything else.
func SkipShort(t testing.TB, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("starts %s: not under -short", what)
	}
}
