// Package realagents is a corpus of SNMP recordings of real devices — Cisco
// IOS, IOS-XE, IOS-XR and NX-OS, Junos, Huawei VRP, MikroTik, Arista, Nokia,
// HP/Aruba, Fortinet, Ubiquiti, Linux and embedded agents — trimmed to what
// stg reads (system, ifTable, ifXTable and the Cisco session MIBs), for
// tests that must hold on the tables real agents serve.
//
// The recordings are snmpsim data files (testdata/*.snmprec, provenance in
// testdata/README.md). A test either loads one into an in-memory client
// (Fake), or writes some to a directory for snmpsimd (WriteDir), usually
// after Animate has turned chosen counters into counters that grow at known
// rates.
package realagents

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io"
	"sort"
	"strings"
)

//go:embed testdata/*.snmprec
var files embed.FS

// Recording is one device's recording.
type Recording struct {
	// Name is the data file's name without ".snmprec"; snmpsimd serves the
	// file under this community.
	Name string
	// Device says the vendor, operating system and model.
	Device string
	// Notes says what is special about the recording, or what it lacks.
	Notes string
}

// All returns every recording of the corpus, by name.
func All() []Recording {
	out := make([]Recording, 0, len(corpus))
	for _, r := range corpus {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get returns the recording called name.
func Get(name string) (Recording, error) {
	for _, r := range corpus {
		if r.Name == name {
			return r, nil
		}
	}
	return Recording{}, fmt.Errorf("no recording %q in the corpus", name)
}

// Lines reads the recording's lines, in the file's (OID) order.
func (r Recording) Lines() ([]Line, error) {
	b, err := files.ReadFile("testdata/" + r.Name + ".snmprec")
	if err != nil {
		return nil, fmt.Errorf("read recording %s: %w", r.Name, err)
	}
	lines, err := ParseLines(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("read recording %s: %w", r.Name, err)
	}
	return lines, nil
}

// Line is one line of an snmpsim data file: "OID|TAG|VALUE". Tag is
// snmpsim's type tag (2 INTEGER, 4 OCTET STRING, 4x the same in hex, 6
// OBJECT IDENTIFIER, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks,
// 70 Counter64), possibly followed by ":variation".
type Line struct {
	OID, Tag, Value string
}

// String returns the line as snmpsim reads it.
func (l Line) String() string { return l.OID + "|" + l.Tag + "|" + l.Value }

// ParseLines reads an snmpsim data file.
func ParseLines(rd io.Reader) ([]Line, error) {
	var out []Line
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		oid, rest, ok1 := strings.Cut(text, "|")
		tag, value, ok2 := strings.Cut(rest, "|")
		if !ok1 || !ok2 || oid == "" || tag == "" {
			return nil, fmt.Errorf("line %d: want OID|TAG|VALUE, got %q", n, text)
		}
		out = append(out, Line{OID: oid, Tag: tag, Value: value})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Format writes lines as an snmpsim data file.
func Format(lines []Line) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	return b.Bytes()
}
