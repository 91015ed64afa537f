package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// zone is a fixed zone so the golden files do not depend on the machine.
var zone = time.FixedZone("test", 90*60)

// samples covers every status, absent octets and ifIndex, a name that needs
// CSV quoting, a large rate and fractional rates.
func samples() []sample.Sample {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 123456789, zone)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }
	return []sample.Sample{
		{Time: at(0), Router: "bras1", Target: "MyUserName", IfIndex: 257, IfName: "Vi1.195",
			InOctets: 5000000000000, OutOctets: 12, HasOctets: true, Status: sample.StatusFirst},
		{Time: at(1), Router: "bras1", Target: "MyUserName", IfIndex: 257, IfName: "Vi1.195",
			InBps: 3456800, OutBps: 1234.5678, InOctets: 5000000432100, OutOctets: 166, HasOctets: true,
			Interval: 1000400 * time.Microsecond, Status: sample.StatusOK},
		{Time: at(2), Router: "udp:10.0.0.1:1161", Target: "Gi0/1", IfIndex: 3, IfName: "GigabitEthernet0/1",
			InBps: 1e11, OutBps: 0.0004, InOctets: 4294967295, OutOctets: 0, HasOctets: true,
			Interval: 999 * time.Millisecond, Status: sample.StatusWrap},
		{Time: at(3), Router: "bras1", Target: "anna,rossi@isp.ex", IfIndex: 258, IfName: `Vi1.196 "x"`,
			InOctets: 1, OutOctets: 2, HasOctets: true, Interval: time.Second, Status: sample.StatusPending},
		{Time: at(4), Router: "bras1", Target: "anna,rossi@isp.ex", IfIndex: 258, IfName: "Vi1.196",
			InBps: 800, OutBps: 8, InOctets: 301, OutOctets: 5, HasOctets: true,
			Interval: 3 * time.Second, Status: sample.StatusBackfilled},
		{Time: at(5), Router: "bras1", Target: "MyUserName", IfIndex: 257, IfName: "Vi1.195",
			Interval: 2 * time.Second, Status: sample.StatusGapTimeout, Err: "request timeout"},
		{Time: at(6), Router: "bras1", Target: "MyUserName", IfIndex: 257, IfName: "Vi1.195",
			InOctets: 7, OutOctets: 9, HasOctets: true, Interval: time.Second, Status: sample.StatusGapReset},
		{Time: at(7), Router: "bras1", Target: "MyUserName", IfIndex: 257, IfName: "Vi1.195",
			InOctets: 70, OutOctets: 90, HasOctets: true, Interval: time.Second, Status: sample.StatusGapDiscontinuity},
		{Time: at(8), Router: "bras1", Target: "MyUserName", Interval: time.Second, Status: sample.StatusOffline},
		{Time: at(9), Router: "bras1", Target: "MyUserName", IfIndex: 301, IfName: "Vi1.200",
			InOctets: 1, OutOctets: 1, HasOctets: true, Interval: time.Second, Status: sample.StatusReconnected},
	}
}

func writeAll(t *testing.T, format Format, ss []sample.Sample) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, format)
	if err != nil {
		t.Fatalf("NewWriter(%q): %v", format, err)
	}
	for _, s := range ss {
		if err := w.Write(s); err != nil {
			t.Fatalf("Write(%+v): %v", s, err)
		}
	}
	return buf.Bytes()
}

func TestWriterGolden(t *testing.T) {
	for _, format := range []Format{FormatCSV, FormatJSONL} {
		t.Run(string(format), func(t *testing.T) {
			got := writeAll(t, format, samples())
			golden := filepath.Join("testdata", "samples."+string(format))
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func TestCSVHeaderAndColumns(t *testing.T) {
	out := string(writeAll(t, FormatCSV, samples()[:1]))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if want := "time,router,target,ifindex,ifname,in_bps,out_bps,in_octets,out_octets,interval_s,status"; lines[0] != want {
		t.Errorf("header = %q, want %q", lines[0], want)
	}
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want header and one row:\n%s", len(lines), out)
	}
	// First sample: no rate, octets read, interval 0.
	if want := "2026-11-27T10:00:00.123+01:30,bras1,MyUserName,257,Vi1.195,,,5000000000000,12,0.000,first"; lines[1] != want {
		t.Errorf("row = %q, want %q", lines[1], want)
	}
}

func TestJSONLNullsAndTypes(t *testing.T) {
	out := writeAll(t, FormatJSONL, samples())
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(samples()) {
		t.Fatalf("got %d lines, want %d", len(lines), len(samples()))
	}
	for i, s := range samples() {
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(lines[i]))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i+1, err, lines[i])
		}
		if len(m) != len(Header) {
			t.Errorf("line %d has %d fields, want %d", i+1, len(m), len(Header))
		}
		if got := m["status"]; got != string(s.Status) {
			t.Errorf("line %d status = %v, want %s", i+1, got, s.Status)
		}
		if rate := m["in_bps"]; s.Status.HasRate() != (rate != nil) {
			t.Errorf("line %d (%s): in_bps = %v, want a number exactly when the status has a rate", i+1, s.Status, rate)
		}
		if oct := m["in_octets"]; s.HasOctets != (oct != nil) {
			t.Errorf("line %d: in_octets = %v, want null exactly when no octets were read", i+1, oct)
		}
		if s.HasOctets {
			if got := m["in_octets"].(json.Number).String(); got != strconv.FormatUint(s.InOctets, 10) {
				t.Errorf("line %d: in_octets = %s, want %d", i+1, got, s.InOctets)
			}
		}
		if idx := m["ifindex"]; (s.IfIndex > 0) != (idx != nil) {
			t.Errorf("line %d: ifindex = %v with IfIndex %d", i+1, idx, s.IfIndex)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	in := samples()
	got, err := ReadCSV(bytes.NewReader(writeAll(t, FormatCSV, in)))
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	if len(got) != len(in) {
		t.Fatalf("read %d samples, wrote %d", len(got), len(in))
	}
	for i, w := range in {
		g := got[i]
		if !g.Time.Equal(w.Time.Truncate(time.Millisecond)) {
			t.Errorf("%d: time %v, want %v", i, g.Time, w.Time.Truncate(time.Millisecond))
		}
		if _, off := g.Time.Zone(); off != 90*60 {
			t.Errorf("%d: zone offset %d s, want %d", i, off, 90*60)
		}
		if g.Router != w.Router || g.Target != w.Target || g.IfIndex != w.IfIndex || g.IfName != w.IfName || g.Status != w.Status {
			t.Errorf("%d: got %+v, want %+v", i, g, w)
		}
		if g.HasOctets != w.HasOctets || g.InOctets != w.InOctets || g.OutOctets != w.OutOctets {
			t.Errorf("%d: octets %v %d/%d, want %v %d/%d", i, g.HasOctets, g.InOctets, g.OutOctets, w.HasOctets, w.InOctets, w.OutOctets)
		}
		if math.Abs(g.InBps-w.InBps) > 0.0005 || math.Abs(g.OutBps-w.OutBps) > 0.0005 {
			t.Errorf("%d: rates %v/%v, want %v/%v within 0.0005", i, g.InBps, g.OutBps, w.InBps, w.OutBps)
		}
		if d := g.Interval - w.Interval; d > 500*time.Microsecond || d < -500*time.Microsecond {
			t.Errorf("%d: interval %v, want %v within 0.5 ms", i, g.Interval, w.Interval)
		}
	}
}

func TestFormatBps(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{-0.0001, "0"},
		{1.5, "1.5"},
		{1234.5678, "1234.568"},
		{0.0004, "0"},
		{0.0005, "0.001"},
		{8e6, "8000000"},
		{1e20, "100000000000000000000"},
		{123456789.123456, "123456789.123"},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatFloat(tt.in, 'g', -1, 64), func(t *testing.T) {
			if got := FormatBps(tt.in); got != tt.want {
				t.Errorf("FormatBps(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatBpsPlainAndRoundTrips(t *testing.T) {
	for v := 1e-4; v < 1e21; v *= 1.37 {
		s := FormatBps(v)
		if strings.ContainsAny(s, "eE") {
			t.Fatalf("FormatBps(%v) = %q has an exponent", v, s)
		}
		if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > 3 {
			t.Fatalf("FormatBps(%v) = %q has more than 3 decimals", v, s)
		}
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(back-v) > 0.0005*math.Max(1, v*1e-12) {
			t.Fatalf("FormatBps(%v) = %q reads back as %v (%v)", v, s, back, err)
		}
	}
}

func TestWriterFlushesEveryRow(t *testing.T) {
	for _, format := range []Format{FormatCSV, FormatJSONL} {
		t.Run(string(format), func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, format)
			if err != nil {
				t.Fatal(err)
			}
			header := 0
			if format == FormatCSV {
				header = 1
			}
			for i, s := range samples() {
				if err := w.Write(s); err != nil {
					t.Fatal(err)
				}
				if got, want := strings.Count(buf.String(), "\n"), i+1+header; got != want || !strings.HasSuffix(buf.String(), "\n") {
					t.Fatalf("after row %d the writer holds %d complete lines (ends in newline: %v), want %d", i+1, got, strings.HasSuffix(buf.String(), "\n"), want)
				}
			}
		})
	}
}

func TestWriteHeaderOnce(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, FormatCSV)
	for range 2 {
		if err := w.WriteHeader(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Write(samples()[0]); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "time,router"); n != 1 {
		t.Errorf("header written %d times, want 1:\n%s", n, buf.String())
	}
}

func TestNewWriterRejectsUnknownFormat(t *testing.T) {
	if _, err := NewWriter(&bytes.Buffer{}, "xml"); err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("NewWriter(xml) error = %v, want one naming the format", err)
	}
}

func TestWriteRejectsNonFiniteRate(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1)} {
		s := samples()[1]
		s.OutBps = v
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, FormatCSV)
		if err := w.Write(s); err == nil {
			t.Errorf("Write with rate %v: no error; wrote %q", v, buf.String())
		}
	}
}

// failWriter fails every write with err.
type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

func TestWriteErrorIsWrapped(t *testing.T) {
	sentinel := errors.New("broken pipe")
	for _, format := range []Format{FormatCSV, FormatJSONL} {
		w, _ := NewWriter(failWriter{sentinel}, format)
		if err := w.Write(samples()[0]); !errors.Is(err, sentinel) {
			t.Errorf("%s: Write error = %v, want it to wrap %v", format, err, sentinel)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	s := samples()[1]
	for _, format := range []Format{FormatCSV, FormatJSONL} {
		b.Run(string(format), func(b *testing.B) {
			w, err := NewWriter(io.Discard, format)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := w.Write(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadCSV(b *testing.B) {
	var rows []sample.Sample
	for range 100 {
		rows = append(rows, samples()...)
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, FormatCSV)
	for _, s := range rows {
		if err := w.Write(s); err != nil {
			b.Fatal(err)
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadCSV(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
