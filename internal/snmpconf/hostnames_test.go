package snmpconf

import (
	"slices"
	"testing"
)

func TestHostNames(t *testing.T) {
	fsys := machine(map[string]file{
		homeHosts + "bras1.conf":              {},
		homeHosts + "bras1.local.conf":        {},
		homeHosts + "core-2.example.net.conf": {},
		homeHosts + "bad_name.conf":           {},
		homeHosts + "notes.txt":               {},
		etcHosts + "edge1.conf":               {},
		"/opt/other/hosts/hidden.conf":        {},
	})
	got, err := HostNames(Options{FS: fsys, Home: homeDir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bras1", "core-2.example.net", "edge1"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	got, _ = HostNames(Options{FS: fsys, Home: homeDir, ConfPath: "/opt/other"})
	if want := []string{"hidden"}; !slices.Equal(got, want) {
		t.Errorf("with SNMPCONFPATH: got %q, want %q", got, want)
	}
}

func TestLoadWithoutFS(t *testing.T) {
	if _, err := Load(Options{Home: homeDir}); err == nil {
		t.Error("Load without an FS: got no error")
	}
	if _, err := HostNames(Options{Home: homeDir}); err == nil {
		t.Error("HostNames without an FS: got no error")
	}
}
