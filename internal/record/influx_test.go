package record

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/influxdata/line-protocol/v2/lineprotocol"

	"github.com/stg-project/stg/sample"
)

// influxPoint is one line as the reference parser reads it.
type influxPoint struct {
	measurement string
	tags        map[string]string
	fields      map[string]lineprotocol.Value
	time        time.Time
}

// parseInflux reads every line of b with the reference line-protocol
// parser, strictly: any line it refuses fails the test.
func parseInflux(t *testing.T, b []byte) []influxPoint {
	t.Helper()
	dec := lineprotocol.NewDecoderWithBytes(b)
	var points []influxPoint
	for dec.Next() {
		p := influxPoint{tags: map[string]string{}, fields: map[string]lineprotocol.Value{}}
		m, err := dec.Measurement()
		if err != nil {
			t.Fatalf("line %d: measurement: %v\n%s", len(points)+1, err, b)
		}
		p.measurement = string(m)
		for {
			k, v, err := dec.NextTag()
			if err != nil {
				t.Fatalf("line %d: tag: %v\n%s", len(points)+1, err, b)
			}
			if k == nil {
				break
			}
			p.tags[string(k)] = string(v)
		}
		for {
			k, v, err := dec.NextField()
			if err != nil {
				t.Fatalf("line %d: field: %v\n%s", len(points)+1, err, b)
			}
			if k == nil {
				break
			}
			p.fields[string(k)] = v
		}
		if p.time, err = dec.Time(lineprotocol.Nanosecond, time.Time{}); err != nil {
			t.Fatalf("line %d: time: %v\n%s", len(points)+1, err, b)
		}
		points = append(points, p)
	}
	return points
}

// hostileUsers are usernames a line protocol writer must escape: spaces,
// commas, equals signs, quotes, backslashes, a leading hash (a comment at
// the start of a line), and what a tag cannot hold at all.
var hostileUsers = []string{
	"anna rossi",
	"a,b=c",
	`say "hi"`,
	`back\slash`,
	`ends in \`,
	"#not-a-comment",
	"tab\there\nnewline",
	"bad\xffutf8",
	"=,= ,",
}

// TestInfluxLines: every row is one line that the reference parser reads
// back to the same values: measurement stg_interface, the router, target,
// ifIndex, ifName and user tags, rates only when the row has one, raw
// counters as integers only when read, the status, and the sample's time
// in nanoseconds.
func TestInfluxLines(t *testing.T) {
	ss := samples()
	for i, u := range hostileUsers {
		ss = append(ss, sample.Sample{Time: ss[1].Time.Add(time.Duration(i+1) * time.Hour), Router: "udp:[::1]:1161", Target: u, User: u,
			IfIndex: 400 + i, IfName: "Vi9." + u, InBps: 8e9 + float64(i), OutBps: 0.125, InOctets: math.MaxInt64, OutOctets: 1,
			HasOctets: true, Interval: time.Second, Status: sample.StatusOK})
	}
	out := writeAll(t, FormatInflux, ss)
	if n := bytes.Count(out, []byte("\n")); n != len(ss) {
		t.Fatalf("%d lines for %d samples:\n%s", n, len(ss), out)
	}
	points := parseInflux(t, out)
	if len(points) != len(ss) {
		t.Fatalf("parsed %d points for %d samples:\n%s", len(points), len(ss), out)
	}
	for i, s := range ss {
		p := points[i]
		if p.measurement != "stg_interface" {
			t.Errorf("line %d: measurement %q", i+1, p.measurement)
		}
		wantTags := map[string]string{"router": s.Router, "target": tagText(s.Target)}
		if s.IfIndex > 0 {
			wantTags["ifIndex"] = strconv.Itoa(s.IfIndex)
		}
		if s.IfName != "" {
			wantTags["ifName"] = tagText(s.IfName)
		}
		if s.User != "" {
			wantTags["user"] = tagText(s.User)
		}
		if len(p.tags) != len(wantTags) {
			t.Errorf("line %d: tags %q, want %q", i+1, p.tags, wantTags)
		}
		for k, v := range wantTags {
			if p.tags[k] != v {
				t.Errorf("line %d: tag %s = %q, want %q", i+1, k, p.tags[k], v)
			}
		}
		if !p.time.Equal(s.Time) {
			t.Errorf("line %d: time %s, want %s", i+1, p.time, s.Time)
		}
		if st := p.fields["status"]; st.Kind() != lineprotocol.String || st.StringV() != string(s.Status) {
			t.Errorf("line %d: status %v, want %q", i+1, st, s.Status)
		}
		if iv := p.fields["interval_s"]; iv.Kind() != lineprotocol.Float || math.Abs(iv.FloatV()-s.Interval.Seconds()) > 1e-9 {
			t.Errorf("line %d: interval_s %v, want %v", i+1, iv, s.Interval.Seconds())
		}
		for _, f := range []struct {
			name string
			want float64
		}{{"in_bps", s.InBps}, {"out_bps", s.OutBps}} {
			v, ok := p.fields[f.name]
			switch {
			case ok != s.Status.HasRate():
				t.Errorf("line %d (%s): field %s present %v", i+1, s.Status, f.name, ok)
			case ok && (v.Kind() != lineprotocol.Float || v.FloatV() != f.want):
				t.Errorf("line %d: %s = %v, want float %v", i+1, f.name, v, f.want)
			}
		}
		for _, f := range []struct {
			name string
			want uint64
		}{{"in_octets", s.InOctets}, {"out_octets", s.OutOctets}} {
			v, ok := p.fields[f.name]
			switch {
			case ok != s.HasOctets:
				t.Errorf("line %d (%s): field %s present %v", i+1, s.Status, f.name, ok)
			case ok && (v.Kind() != lineprotocol.Int || uint64(v.IntV()) != f.want):
				t.Errorf("line %d: %s = %v, want integer %d", i+1, f.name, v, f.want)
			}
		}
	}
}

// tagText is what a tag holds of a name: control characters and bytes
// that are not UTF-8 become U+FFFD, as does a trailing backslash.
func tagText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '\uFFFD'
		}
		return r
	}, s)
	if strings.HasSuffix(s, `\`) {
		s = strings.TrimSuffix(s, `\`) + "\uFFFD"
	}
	return s
}

// TestInfluxCounterAboveInt64: a counter above the largest integer line
// protocol holds (never seen: 2^63 octets) leaves that field out rather
// than write a wrong number.
func TestInfluxCounterAboveInt64(t *testing.T) {
	s := samples()[1]
	s.InOctets = math.MaxInt64 + 1
	p := parseInflux(t, writeAll(t, FormatInflux, []sample.Sample{s}))
	if _, ok := p[0].fields["in_octets"]; ok {
		t.Errorf("in_octets %v written for a counter of %d", p[0].fields["in_octets"], s.InOctets)
	}
	if v := p[0].fields["out_octets"]; v.IntV() != int64(s.OutOctets) {
		t.Errorf("out_octets %v, want %d", v, s.OutOctets)
	}
}

// TestInfluxWriteError: a failed write is the writer's error, naming the
// target.
func TestInfluxWriteError(t *testing.T) {
	w, err := NewWriter(failingWriter{}, FormatInflux)
	if err != nil {
		t.Fatal(err)
	}
	err = w.Write(samples()[1])
	if !errors.Is(err, io.ErrClosedPipe) || !strings.Contains(err.Error(), "MyUserName") {
		t.Errorf("got %v, want the write's error naming the target", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }
