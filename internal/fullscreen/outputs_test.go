package fullscreen

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/tui"
)

func TestSavePictureNamesFiles(t *testing.T) {
	dir := t.TempDir()
	end := time.Date(2026, 11, 27, 10, 54, 29, 0, time.Local)
	var samples []sample.Sample
	for i := range 20 {
		samples = append(samples, sample.Sample{
			Time: end.Add(time.Duration(i-19) * time.Second), Router: "udp:bras1:161", Target: "alice",
			IfIndex: 257, IfName: "Virtual-Access1.195", InBps: 8e6, OutBps: 2e6, Interval: time.Second, Status: sample.StatusOK,
		})
	}
	save := savePicture(dir)
	pic := tui.Picture{Router: "udp:bras1:161", Samples: samples, From: end.Add(-10 * time.Second), To: end}
	var names []string
	for range 2 {
		name, err := save(pic)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(name))
		if filepath.Dir(name) != dir {
			t.Errorf("saved %s outside %s", name, dir)
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%s is not a PNG: %v", name, err)
		}
	}
	want := []string{"stg-udp_bras1_161-20261127-105429.png", "stg-udp_bras1_161-20261127-105429-2.png"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("saved %q, want %q: a second picture of the same view keeps the first", names, want)
	}
	if _, err := savePicture(filepath.Join(dir, "missing"))(pic); err == nil || !regexp.MustCompile(`write picture .*missing`).MatchString(err.Error()) {
		t.Errorf("saving into a missing directory: %v", err)
	}
}
