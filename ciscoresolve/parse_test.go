package ciscoresolve

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got, as indented JSON, with testdata/golden/name.json.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from golden:\ngot:\n%s\nwant:\n%s", name, b, want)
	}
}

func openFixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestParseShowUsersGolden(t *testing.T) {
	for _, name := range []string{"ios", "timestamps", "tab", "cut", "oldios", "iosxr"} {
		t.Run(name, func(t *testing.T) {
			rows, err := ParseShowUsers(openFixture(t, "show_users_"+name+".txt"))
			if err != nil {
				t.Fatalf("ParseShowUsers: %v", err)
			}
			golden(t, "show_users_"+name, rows)
		})
	}
}

func TestFindUser(t *testing.T) {
	tests := []struct {
		name, file, user string
		want             []string // interfaces, in order
		cut              bool
	}{
		{"plain", "ios", "MyUserName", []string{"Vi1.195"}, false},
		{"case-insensitive", "ios", "myusername", []string{"Vi1.195"}, false},
		{"18 chars exactly", "ios", "lns-user@wholesale", []string{"Vi2.1"}, false},
		{"cut name by prefix", "ios", "lns-user@wholesale.example", []string{"Vi2.1"}, true},
		{"empty user cell never matches", "ios", "", nil, false},
		{"absent", "ios", "nobody", nil, false},
		{"after timestamp preamble", "timestamps", "bob@isp.example", []string{"Vi4.12"}, false},
		{"TAB between user and mode", "tab", "MyUserName", []string{"Vi1.195"}, false},
		{"TAB after short user", "tab", "carol", []string{"Vi7.2"}, false},
		{"cut name running into mode", "cut", "verylongsubscriber@isp.example", []string{"Vi5.1", "Vi5.2"}, true},
		{"18-char name is ambiguous with a cut one", "cut", "verylongsubscriber", []string{"Vi5.1", "Vi5.2"}, false},
		{"old IOS line table", "oldios", "MyUserName", []string{"Virtual-Access2"}, false},
		{"old IOS long user shifts Host(s)", "oldios", "anna.rossi@isp.example", []string{"Virtual-Access3"}, false},
		{"IOS-XR has no PPP rows", "iosxr", "noc", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := ParseShowUsers(openFixture(t, "show_users_"+tt.file+".txt"))
			if err != nil {
				t.Fatalf("ParseShowUsers: %v", err)
			}
			var got []string
			for _, m := range FindUser(rows, tt.user) {
				got = append(got, m.Row.Interface)
				if m.Cut != tt.cut {
					t.Errorf("%s: Cut = %v, want %v", m.Row.Interface, m.Cut, tt.cut)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("FindUser(%q) = %v, want %v", tt.user, got, tt.want)
			}
		})
	}
}

func TestParseShowUsersRows(t *testing.T) {
	rows, err := ParseShowUsers(openFixture(t, "show_users_ios.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var own, empty, modes int
	for _, r := range rows {
		if r.Own {
			own++
			if r.Table != "line" || r.User != "noc" || r.Line != "2 vty 0" || r.Peer != "192.0.2.10" {
				t.Errorf("own row = %+v", r)
			}
		}
		if r.Table == "interface" {
			if r.User == "" {
				empty++
			}
			if r.Mode != "" && r.Peer != "" {
				modes++
			}
		}
	}
	if own != 1 || empty != 1 || modes != 4 {
		t.Errorf("own rows %d, empty user cells %d, rows with mode and peer %d; want 1, 1, 4", own, empty, modes)
	}
}

func TestParseRejected(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		parse func(f *os.File) error
	}{
		{"show users", "show_users_invalid.txt", func(f *os.File) error { _, err := ParseShowUsers(f); return err }},
		{"ifindex", "ifindex_invalid.txt", func(f *os.File) error { _, err := ParseIfIndex(f); return err }},
		{"subscriber", "subscriber_invalid.txt", func(f *os.File) error { _, err := ParseSubscriberSession(f); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse(openFixture(t, tt.file))
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("err = %v, want ErrUnsupported", err)
			}
		})
	}
}

func TestParseShowUsersNoHeader(t *testing.T) {
	if _, err := ParseShowUsers(strings.NewReader("bras1#\n")); err == nil {
		t.Error("output without a table header parsed without error")
	}
}

func TestParseIfIndex(t *testing.T) {
	tests := []struct {
		file, iface string
		want        int
		entries     int
	}{
		{"ifindex_one.txt", "Virtual-Access1.195", 257, 1},
		{"ifindex_list.txt", "Virtual-Access1.195", 257, 4},
		{"ifindex_list.txt", "Loopback0", 9, 4},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.iface, func(t *testing.T) {
			got, err := ParseIfIndex(openFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.entries {
				t.Errorf("got %d entries, want %d", len(got), tt.entries)
			}
			idx := 0
			for _, e := range got {
				if e.Interface == tt.iface {
					idx = e.IfIndex
				}
			}
			if idx != tt.want {
				t.Errorf("ifIndex of %s = %d, want %d", tt.iface, idx, tt.want)
			}
		})
	}
}

func TestParseSubscriberSession(t *testing.T) {
	tests := []struct {
		file string
		want []SubscriberSession
	}{
		{"subscriber_iosxe.txt", []SubscriberSession{{User: "MyUserName", Interface: "Virtual-Access1.1"}}},
		{"subscriber_none.txt", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseSubscriberSession(openFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("session %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestCleanPager(t *testing.T) {
	in := "line one\n --More-- \b\b\b\b\b\b\b\b\b         \b\b\b\b\b\b\b\b\b  Vi1.195      MyUserName\n"
	got := cleanPager(in)
	if strings.Contains(got, "More") || strings.Contains(got, "\b") {
		t.Errorf("cleanPager left the prompt: %q", got)
	}
	if !strings.Contains(got, "\n  Vi1.195      MyUserName") {
		t.Errorf("cleanPager moved the row's columns: %q", got)
	}
}
