package ciscoresolve

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addFixtures seeds a fuzz target with the captured outputs matching glob.
func addFixtures(f *testing.F, glob string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", glob))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures for %s: %v", glob, err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// inInput reports whether every word of cell occurs in the input.
func inInput(in []byte, cell string) bool {
	for _, w := range strings.Fields(cell) {
		if !bytes.Contains(in, []byte(w)) {
			return false
		}
	}
	return true
}

func FuzzParseShowUsers(f *testing.F) {
	addFixtures(f, "show_users_*.txt")
	f.Fuzz(func(t *testing.T, in []byte) {
		rows, err := ParseShowUsers(bytes.NewReader(in))
		if err != nil {
			return
		}
		for _, r := range rows {
			for _, cell := range []string{r.Line, r.Interface, r.User, r.Mode, r.Host, r.Idle, r.Peer} {
				if cell != strings.TrimSpace(cell) || !inInput(in, cell) {
					t.Fatalf("cell %q is not a trimmed piece of the input (row %+v)", cell, r)
				}
			}
			for _, m := range FindUser(rows, r.User) {
				if m.Row.Interface == "" {
					t.Fatalf("FindUser returned a row without interface: %+v", m.Row)
				}
			}
		}
	})
}

func FuzzParseIfIndex(f *testing.F) {
	addFixtures(f, "ifindex_*.txt")
	f.Fuzz(func(t *testing.T, in []byte) {
		entries, err := ParseIfIndex(bytes.NewReader(in))
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.IfIndex <= 0 || e.Interface == "" || !inInput(in, e.Interface) {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}

func FuzzParseSubscriberSession(f *testing.F) {
	addFixtures(f, "subscriber_*.txt")
	f.Fuzz(func(t *testing.T, in []byte) {
		sessions, err := ParseSubscriberSession(bytes.NewReader(in))
		if err != nil {
			return
		}
		for _, s := range sessions {
			if s.Interface == "" || strings.ContainsAny(s.Interface, " \t") || !inInput(in, s.Interface) {
				t.Fatalf("bad session %+v", s)
			}
		}
	})
}
