package realagents

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stg-project/stg/snmp"
)

// TestCorpusListsEveryFile keeps corpus.go, the files and the README's
// provenance table in step.
func TestCorpusListsEveryFile(t *testing.T) {
	readme, err := os.ReadFile("testdata/README.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, r := range All() {
		listed[r.Name] = true
		if r.Device == "" {
			t.Errorf("%s: no device", r.Name)
		}
		if !strings.Contains(string(readme), "`"+r.Name+".snmprec`") {
			t.Errorf("%s: not in testdata/README.md", r.Name)
		}
	}
	names, err := fs.Glob(files, "testdata/*.snmprec")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(filepath.Base(n), ".snmprec")
		if !listed[name] {
			t.Errorf("%s: in testdata but not in corpus.go", n)
		}
		delete(listed, name)
	}
	for name := range listed {
		t.Errorf("%s: in corpus.go but no file", name)
	}
}

// TestRecordingsLoad checks each file parses, is in OID order without
// duplicates (snmpsim needs both), and keeps only the subtrees stg reads.
func TestRecordingsLoad(t *testing.T) {
	keep := []string{"1.3.6.1.2.1.1.", "1.3.6.1.2.1.2.", "1.3.6.1.2.1.31.1.1.1.", "1.3.6.1.4.1.9.9.786.", "1.3.6.1.4.1.9.9.150."}
	for _, r := range All() {
		t.Run(r.Name, func(t *testing.T) {
			lines, err := r.Lines()
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range lines {
				if i > 0 && snmp.CompareOIDs(lines[i-1].OID, l.OID) >= 0 {
					t.Errorf("line %d: %s does not follow %s", i+1, l.OID, lines[i-1].OID)
				}
				kept := false
				for _, k := range keep {
					kept = kept || strings.HasPrefix(l.OID, k)
				}
				if !kept {
					t.Errorf("line %d: %s is outside what stg reads", i+1, l.OID)
				}
			}
			f, err := r.Fake()
			if err != nil {
				t.Fatal(err)
			}
			vs, err := f.Get(context.Background(), []string{"1.3.6.1.2.1.1.1.0"})
			if err != nil || vs[0].Kind != snmp.KindOctetString {
				t.Errorf("sysDescr.0 = %+v, %v; want the recorded text", vs, err)
			}
		})
	}
}

func TestGet(t *testing.T) {
	r, err := Get("iosxr_asr9k")
	if err != nil || r.Name != "iosxr_asr9k" {
		t.Fatalf("Get(iosxr_asr9k) = %+v, %v", r, err)
	}
	if _, err := Get("nope"); err == nil {
		t.Error("Get(nope): want an error")
	}
}

func TestAnimate(t *testing.T) {
	lines := []Line{
		{"1.3.6.1.2.1.1.3.0", "67", "857980"},
		{"1.3.6.1.2.1.2.2.1.2.7", "4", "eth0"},
		{"1.3.6.1.2.1.2.2.1.10.7", "65", "123"},
		{"1.3.6.1.2.1.2.2.1.10.8", "65", "5"},
		{"1.3.6.1.2.1.2.2.1.16.7", "2", "456"},
		{"1.3.6.1.2.1.31.1.1.1.6.7", "70", "789"},
		{"1.3.6.1.2.1.31.1.1.1.10.7", "70:numeric", "rate=1,initial=1000"},
		{"1.3.6.1.2.1.31.1.1.1.10.70", "70", "1"},
	}
	got := Animate(lines, map[int]Rates{7: {In: 1250, Out: 500}})
	want := []string{
		"1.3.6.1.2.1.1.3.0|67:numeric|rate=100,initial=857980",
		"1.3.6.1.2.1.2.2.1.2.7|4|eth0",
		"1.3.6.1.2.1.2.2.1.10.7|65:numeric|rate=1250,initial=123,wrap=1",
		"1.3.6.1.2.1.2.2.1.10.8|65|5",
		"1.3.6.1.2.1.2.2.1.16.7|2:numeric|rate=500,initial=456,wrap=1",
		"1.3.6.1.2.1.31.1.1.1.6.7|70:numeric|rate=1250,initial=789",
		"1.3.6.1.2.1.31.1.1.1.10.7|70:numeric|rate=500,initial=1000",
		"1.3.6.1.2.1.31.1.1.1.10.70|70|1",
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
	if lines[2].Tag != "65" {
		t.Error("Animate changed its input")
	}
}

func TestLineVariable(t *testing.T) {
	tests := []struct {
		line Line
		kind snmp.Kind
		uint uint64
		text string
	}{
		{Line{"1.1", "4x", "65746830"}, snmp.KindOctetString, 0, "eth0"},
		{Line{"1.1", "4", "Gi0/1"}, snmp.KindOctetString, 0, "Gi0/1"},
		{Line{"1.1", "65", "4294967295"}, snmp.KindCounter32, 4294967295, ""},
		{Line{"1.1", "70:numeric", "rate=5,initial=18446744073709551615"}, snmp.KindCounter64, 18446744073709551615, ""},
		{Line{"1.1", "2", "7"}, snmp.KindInteger, 7, ""},
		{Line{"1.1", "67", "100"}, snmp.KindTimeTicks, 100, ""},
	}
	for _, tt := range tests {
		v, err := tt.line.Variable()
		if err != nil || v.Kind != tt.kind || v.Uint != tt.uint || v.Text() != tt.text {
			t.Errorf("%v: got %+v %q, %v; want %v %d %q", tt.line, v, v.Text(), err, tt.kind, tt.uint, tt.text)
		}
	}
	if _, err := (Line{"1.1", "4x", "zz"}).Variable(); err == nil {
		t.Error("bad hex: want an error")
	}
}

func TestWriteDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	err := WriteDir(dir, map[string][]Line{"a": {{"1.3.6.1.2.1.1.1.0", "4", "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "a.snmprec"))
	if err != nil || string(b) != "1.3.6.1.2.1.1.1.0|4|x\n" {
		t.Fatalf("a.snmprec = %q, %v", b, err)
	}
}
