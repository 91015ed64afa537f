package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileReplacesOnlyWhenComplete(t *testing.T) {
	rec := rows("alice", "foooooooooo")
	dir := t.TempDir()
	out := filepath.Join(dir, "rates.png")
	if err := os.WriteFile(out, []byte("the old picture"), 0o600); err != nil {
		t.Fatal(err)
	}

	// A picture that cannot be drawn leaves the old file as it was, and
	// no temporary file behind.
	err := WriteFile(out, rec, Options{Targets: []string{"bob"}})
	if err == nil || !strings.Contains(err.Error(), `target "bob" is not in the recording`) {
		t.Fatalf("WriteFile of an unknown target: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "the old picture" {
		t.Errorf("a failed WriteFile changed the file to %q", b)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("a failed WriteFile left %v", names)
	}

	if err := WriteFile(out, rec, Options{Location: testZone}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b)
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 1200 || h != 600 {
		t.Errorf("picture of one target is %dx%d, want the default 1200x600", w, h)
	}
	if names := dirNames(t, dir); len(names) != 1 || names[0] != "rates.png" {
		t.Errorf("the directory holds %v, want rates.png alone", names)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("picture mode %v (%v), want 0644", fi.Mode(), err)
	}

	svg := filepath.Join(dir, "RATES.SVG")
	if err := WriteFile(svg, rec, Options{Width: 800, Height: 300}); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(svg)
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Errorf("RATES.SVG is not XML: %v", err)
			}
			break
		}
	}
	if !bytes.Contains(b, []byte(`<svg width="600pt" height="225pt"`)) {
		t.Errorf("an 800x300 SVG does not say so: %.200s", b)
	}
}

func TestWriteFileErrors(t *testing.T) {
	rec := rows("alice", "foo")
	dir := t.TempDir()
	tests := []struct {
		path string
		opts Options
		want string
	}{
		{filepath.Join(dir, "rates.jpg"), Options{}, "must end in .png or .svg"},
		{filepath.Join(dir, "missing", "rates.png"), Options{}, "write picture " + filepath.Join(dir, "missing", "rates.png")},
		{filepath.Join(dir, "small.png"), Options{Width: 100, Height: 600}, "width 100 is out of range"},
	}
	for _, tt := range tests {
		if err := WriteFile(tt.path, rec, tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("WriteFile(%s): %v, want %q", tt.path, err, tt.want)
		}
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("failed writes left %v", names)
	}
	if err := Render(io.Discard, Format(9), rec, Options{}); err == nil {
		t.Error("Render of an unknown format did not fail")
	}
}
