package record

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// TestReadRecordingRepairs: a recording cut in its last line (a crash, a
// full disk) replays without that line, and rows out of time order are
// sorted; each repair is one warning naming a line. Anything else is
// still refused.
func TestReadRecordingRepairs(t *testing.T) {
	row := func(sec int, status string) string {
		r := strings.Replace(okRow, "10:00:01", time.Date(2026, 11, 27, 10, 0, sec, 0, time.UTC).Format("15:04:05"), 1)
		return strings.Replace(r, ",ok\n", ","+status+"\n", 1)
	}
	three := head + row(1, "ok") + row(2, "ok") + row(3, "ok")
	tests := []struct {
		name     string
		in       string
		rows     int
		nWarn    int
		warnings []string // substrings of the warnings
		err      string   // substring of the error; "" for none
	}{
		{"complete", three, 3, 0, nil, ""},
		{"cut in the last row", three + row(4, "ok")[:40], 3, 1, []string{"line 5", "cut short", "skipped"}, ""},
		{"cut in the status", three + strings.TrimSuffix(row(4, "gap-timeout"), "timeout\n"), 3, 1, []string{"line 5", "cut short"}, ""},
		{"cut inside a quoted field", three + `2026-11-27T10:00:04.000+01:00,bras1,"<pppoe-jo`, 3, 1, []string{"line 5", "cut short"}, ""},
		{"complete last row without a line end", three + strings.TrimSuffix(row(4, "ok"), "\n"), 4, 0, nil, ""},
		{"bad last row with its line end", three + row(4, "great"), 0, 0, nil, "line 5"},
		{"cut row in the middle", head + row(1, "ok") + row(2, "ok")[:40] + "\n" + row(3, "ok"), 0, 0, nil, "line 3"},
		{"out of order", head + row(1, "ok") + row(3, "ok") + row(2, "ok") + row(4, "ok"), 4, 1, []string{"1 row", "out of time order", "line 4", "sorted"}, ""},
		{"cut and out of order", head + row(2, "ok") + row(1, "ok") + row(3, "ok")[:30], 2, 2, []string{"out of time order", "cut short"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := ReadRecording(strings.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one naming %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadRecording: %v", err)
			}
			if len(rec.Samples) != tt.rows {
				t.Errorf("%d rows, want %d", len(rec.Samples), tt.rows)
			}
			for i := 1; i < len(rec.Samples); i++ {
				if rec.Samples[i].Time.Before(rec.Samples[i-1].Time) {
					t.Errorf("row %d at %v comes before row %d at %v", i, rec.Samples[i].Time, i-1, rec.Samples[i-1].Time)
				}
			}
			if len(rec.Warnings) != tt.nWarn {
				t.Fatalf("warnings %q, want %d", rec.Warnings, tt.nWarn)
			}
			all := strings.Join(rec.Warnings, "\n")
			for _, w := range tt.warnings {
				if !strings.Contains(all, w) {
					t.Errorf("warnings %q lack %q", rec.Warnings, w)
				}
			}
		})
	}
}

// TestReadCSVStaysStrict: ReadCSV, which checks what stg writes, still
// refuses a last line cut short.
func TestReadCSVStaysStrict(t *testing.T) {
	if _, err := ReadCSV(strings.NewReader(head + okRow + okRow[:40])); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v, want line 3 refused", err)
	}
}

// TestJSONKeepsNamesLiteral: JSON Lines write names as they are, so that
// grep finds "<pppoe-john.doe>" in a log.
func TestJSONKeepsNamesLiteral(t *testing.T) {
	var out strings.Builder
	w, err := NewWriter(&out, FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	s := sample.Sample{Time: time.Date(2026, 11, 27, 10, 0, 1, 0, time.UTC), Router: "bras&1", Target: "<pppoe-john.doe>",
		IfIndex: 7, IfName: "<pppoe-john.doe>", Status: sample.StatusFirst}
	if err := w.Write(s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"target":"<pppoe-john.doe>"`, `"ifname":"<pppoe-john.doe>"`, `"router":"bras&1"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("%s lacks %s", out.String(), want)
		}
	}
	if strings.Count(out.String(), "\n") != 1 || !strings.HasSuffix(out.String(), "}\n") {
		t.Errorf("want one line: %q", out.String())
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	header := strings.Join(Header, ",") + "\n"
	row := "2026-03-14T09:26:01.000+01:30,bras1,alice,257,Vi1.195,8000,4000,1000,500,1.000,ok\n"
	good := write("good.csv", header+row+row[:20])
	rec, err := ReadFile(good)
	if err != nil || len(rec.Samples) != 1 || len(rec.Warnings) != 1 {
		t.Errorf("ReadFile(good) = %d rows, warnings %q, %v; want 1 row and the cut line's warning", len(rec.Samples), rec.Warnings, err)
	}
	for _, tt := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.csv"), "no such file"},
		{write("header.csv", header), "header.csv: the recording has no rows"},
		{write("other.csv", "a,b\n"), "other.csv: line 1: not an stg CSV recording"},
	} {
		if _, err := ReadFile(tt.path); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadFile(%s) error %v, want %q", filepath.Base(tt.path), err, tt.want)
		}
	}
}
