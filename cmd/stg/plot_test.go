package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sampleCSV is the recording in examples/.
var sampleCSV = filepath.Join("..", "..", "examples", "sample.csv")

func TestPlotCommandLine(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.csv")
	if err := os.WriteFile(other, []byte("a,b,c\n1,2,3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "rates.png")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring of stdout
		stderr string // substring of the one stderr line
	}{
		{"help", []string{"--help"}, exitOK, "usage: stg plot FILE.csv --out FILE.png|FILE.svg", ""},
		{"short help", []string{"-h"}, exitOK, "--log-scale", ""},
		{"help plot", nil, exitOK, "--from TIME", ""},
		{"no file", []string{"--out", out}, exitUsage, "", "plot takes one FILE.csv"},
		{"two files", []string{sampleCSV, sampleCSV, "--out", out}, exitUsage, "", "plot takes one FILE.csv"},
		{"no --out", []string{sampleCSV}, exitUsage, "", "--out FILE.png or --out FILE.svg is required"},
		{"other format", []string{sampleCSV, "--out", filepath.Join(dir, "rates.jpg")}, exitUsage, "", "must end in .png or .svg"},
		{"bad flag", []string{sampleCSV, "--out", out, "--colour"}, exitUsage, "", "unknown flag: --colour"},
		{"bad size", []string{sampleCSV, "--out", out, "--size", "big"}, exitUsage, "", `--size: "big" is not a size`},
		{"size too small", []string{sampleCSV, "--out", out, "--size", "1200x250"}, exitUsage, "", "--size: height 250 is out of range for 2 target(s)"},
		{"bad --from", []string{sampleCSV, "--out", out, "--from", "noon"}, exitUsage, "", `--from: "noon" is not a time`},
		{"--from after --to", []string{sampleCSV, "--out", out, "--from", "-2s", "--to", "+2s"}, exitUsage, "", "--from -2s is not before --to +2s"},
		{"missing file", []string{filepath.Join(dir, "missing.csv"), "--out", out}, exitFailure, "", "no such file or directory"},
		{"not a recording", []string{other, "--out", out}, exitFailure, "", "not an stg CSV recording"},
		{"unknown target", []string{sampleCSV, "--out", out, "--target", "Gi0/0/9"}, exitFailure, "", `target "Gi0/0/9" is not in the recording; it has "Gi0/0/1", "Vi1.195"`},
		{"span outside", []string{sampleCSV, "--out", out, "--from", "2030-01-01 00:00"}, exitFailure, "", "no rows to plot between"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"plot"}, tt.args...)
			if tt.args == nil {
				args = []string{"help", "plot"}
			}
			code, stdout, stderr := runInProcess(t, nil, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout %q lacks %q", stdout, tt.stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
			if tt.code != exitOK && (strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "stg: ")) {
				t.Errorf("stderr %q: want one line starting 'stg: '", stderr)
			}
			if tt.code == exitFailure && !strings.HasPrefix(stderr, "stg: plot: ") {
				t.Errorf("runtime error %q does not say it is plot's", stderr)
			}
			if tt.code == exitUsage && !strings.HasSuffix(stderr, "(see stg plot --help)\n") {
				t.Errorf("usage error %q does not point at the help", stderr)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a failed plot wrote %s (%v)", out, err)
			}
		})
	}
}

func TestPlotWritesPictures(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "rates.png")
	if err := os.WriteFile(out, []byte("an older picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runInProcess(t, nil, "plot", sampleCSV, "--out", out)
	if code != exitOK || stdout != "" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the existing file was not replaced by a PNG: %v", err)
	}
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 1200 || h != 900 {
		t.Errorf("two targets drawn %dx%d, want the default 1200x900", w, h)
	}

	code, _, stderr = runInProcess(t, nil, "plot", sampleCSV, "--out", out, "--target", "Vi1.195", "--size", "800x300", "--log-scale", "--bytes")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 800 || cfg.Height != 300 {
		t.Errorf("--size 800x300 gave %dx%d (%v)", cfg.Width, cfg.Height, err)
	}

	// The SVG holds the title, only the asked target and span, and the
	// units asked for.
	svg := filepath.Join(dir, "rates.svg")
	code, _, stderr = runInProcess(t, nil, "plot", sampleCSV, "--out", svg, "--target", "Gi0/0/1", "--from", "2026-11-27T10:54:20+01:00", "--to", "-2s", "--bytes")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	texts := svgTexts(t, svg)
	all := strings.Join(texts, "\n")
	for _, want := range []string{"stg  127.0.0.1:16161  Gi0/0/1", "(7s)    B/s", "1 MB/s"} {
		if !strings.Contains(all, want) {
			t.Errorf("SVG texts lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "Vi1.195") {
		t.Errorf("--target Gi0/0/1 drew Vi1.195:\n%s", all)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 2 {
		t.Errorf("the directory holds %v, want the two pictures alone", names)
	}
}

// svgTexts returns the text elements of an SVG file.
func svgTexts(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return texts
		}
		if err != nil {
			t.Fatalf("%s is not XML: %v", path, err)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "text" {
			var s string
			if err := d.DecodeElement(&s, &el); err != nil {
				t.Fatal(err)
			}
			texts = append(texts, s)
		}
	}
}
