package record

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stg-project/stg/sample"
)

const head = "time,router,target,ifindex,ifname,in_bps,out_bps,in_octets,out_octets,interval_s,status\n"

// okRow is a valid row; the cases below break one cell at a time.
const okRow = "2026-11-27T10:00:01.000+01:00,bras1,Gi0/1,3,Gi0/1,800,8,100,10,1.000,ok\n"

func TestReadCSVRejects(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // substrings of the error
	}{
		{"empty file", "", []string{"empty file"}},
		{"someone else's CSV", "date,value\n2026-01-01,3\n", []string{"line 1", "not an stg CSV", "date,value"}},
		{"header missing a column", strings.Replace(head, ",status", "", 1), []string{"line 1", "not an stg CSV"}},
		{"short row", head + okRow + "2026-11-27T10:00:02.000+01:00,bras1,Gi0/1\n", []string{"line 3", "3 columns", "header has 11"}},
		{"bad quoting", head + okRow + okRow + "2026-11-27T10:00:02.000+01:00,\"bras1,Gi0/1\n", []string{"line 4"}},
		{"bad time", head + strings.Replace(okRow, "2026-11-27T10:00:01.000+01:00", "yesterday", 1), []string{"line 2", "time", "yesterday"}},
		{"empty router", head + strings.Replace(okRow, "bras1", "", 1), []string{"line 2", "router"}},
		{"bad ifindex", head + strings.Replace(okRow, ",3,", ",-3,", 1), []string{"line 2", "ifindex"}},
		{"unknown status", head + strings.Replace(okRow, ",ok", ",great", 1), []string{"line 2", "great"}},
		{"ok without rate", head + strings.Replace(okRow, ",800,8,", ",,,", 1), []string{"line 2", "needs in_bps"}},
		{"first with rate", head + strings.Replace(okRow, ",ok", ",first", 1), []string{"line 2", "carries no rate"}},
		{"rate not a number", head + strings.Replace(okRow, ",800,", ",8e2x,", 1), []string{"line 2", "in_bps"}},
		{"negative rate", head + strings.Replace(okRow, ",8,", ",-8,", 1), []string{"line 2", "out_bps"}},
		{"one octet column", head + strings.Replace(okRow, ",100,10,", ",100,,", 1), []string{"line 2", "out_octets"}},
		{"negative octets", head + strings.Replace(okRow, ",100,10,", ",-1,10,", 1), []string{"line 2", "in_octets"}},
		{"bad interval", head + strings.Replace(okRow, ",1.000,", ",soon,", 1), []string{"line 2", "interval_s"}},
		{"error on a later line", head + okRow + okRow + strings.Replace(okRow, ",ok", ",", 1), []string{"line 4", "status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("ReadCSV accepted it and returned %d samples", len(got))
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestReadCSVAccepts(t *testing.T) {
	tests := []struct {
		name, in string
		rows     int
	}{
		{"header only", head, 0},
		{"one row", head + okRow, 1},
		{"no final newline", head + okRow + strings.TrimSuffix(okRow, "\n"), 2},
		{"CRLF line ends", strings.ReplaceAll(head+okRow, "\n", "\r\n"), 1},
		{"byte order mark", "\ufeff" + head + okRow, 1},
		{"appended columns", strings.Replace(head, "status\n", "status,rtt_ms\n", 1) + strings.Replace(okRow, "ok\n", "ok,3\n", 1), 1},
		{"quoted target with comma", head + strings.Replace(okRow, "Gi0/1,3", "\"a,b\",3", 1), 1},
		{"gap row without octets", head + "2026-11-27T10:00:01.000Z,bras1,u,,,,,,,2.000,gap-timeout\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			if len(got) != tt.rows {
				t.Errorf("got %d samples, want %d", len(got), tt.rows)
			}
		})
	}
}

func TestReadCSVValues(t *testing.T) {
	got, err := ReadCSV(strings.NewReader(head + okRow))
	if err != nil {
		t.Fatal(err)
	}
	s := got[0]
	if s.InBps != 800 || s.OutBps != 8 || s.InOctets != 100 || s.OutOctets != 10 || !s.HasOctets {
		t.Errorf("rates/octets = %v %v %d %d %v", s.InBps, s.OutBps, s.InOctets, s.OutOctets, s.HasOctets)
	}
	if s.IfIndex != 3 || s.Target != "Gi0/1" || s.Status != "ok" || s.Interval.Seconds() != 1 {
		t.Errorf("got %+v", s)
	}
	if _, off := s.Time.Zone(); off != 3600 || s.Time.UTC().Hour() != 9 {
		t.Errorf("time %v: want 09:00:01Z with offset +01:00", s.Time)
	}
}

func TestReadExampleRecording(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "examples", "sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadCSV(f)
	if err != nil {
		t.Fatalf("examples/sample.csv is not a valid recording: %v", err)
	}
	statuses := map[sample.Status]int{}
	for _, s := range got {
		statuses[s.Status]++
	}
	// The README describes it as 20 polls of two targets with a timeout gap.
	if len(got) != 40 || statuses[sample.StatusFirst] != 2 || statuses[sample.StatusGapTimeout] == 0 || statuses[sample.StatusOK] == 0 {
		t.Errorf("got %d rows with statuses %v; want 40 rows: first, ok and gap-timeout", len(got), statuses)
	}
}
