package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
)

func TestTUISavesAPictureInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpsimd and tmux: not under -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is needed (make test installs it): %v", err)
	}
	agent := agenttest.StartSnmpsim(t, filepath.Join("testdata", "tui"))
	bin := stgBinary(t)
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	rcFile := filepath.Join(dir, "rc")
	tm := newTmux(t, dir)
	logFile := filepath.Join(dir, "log.csv")
	cmd := fmt.Sprintf("%s --router %s -c %s --if 1 -o tui --log %s; echo $? > %s", bin, agent.Addr(), tuiCommunity, logFile, rcFile)
	tm.newSession("-s", "save", "-x", "120", "-y", "40", "-c", work, cmd)
	show := func() string { return tm.screen("save") }
	waitFor(t, 30*time.Second, "chart with a rate", func() bool {
		v, ok := readout(show(), "in")
		return ok && v > 0
	}, show)
	waitFor(t, 30*time.Second, "six polls", func() bool { return logRows(t, logFile) >= 6 }, show)
	if !strings.Contains(show(), "P save picture") {
		t.Errorf("the footer does not offer the save key:\n%s", show())
	}

	// P writes the view into the current directory and the footer names
	// the file.
	tm.run("send-keys", "-t", "save", "P")
	saved := regexp.MustCompile(`saved a picture of the view to (stg-127\.0\.0\.1_\d+-\d{8}-\d{6}\.png)`)
	waitFor(t, 15*time.Second, "saved message", func() bool { return saved.MatchString(show()) }, show)
	name := saved.FindStringSubmatch(show())[1]
	f, err := os.Open(filepath.Join(work, name))
	if err != nil {
		t.Fatalf("the footer names %s, which is not in the working directory: %v", name, err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", name, err)
	}
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 1200 || h != 600 {
		t.Errorf("the picture of one target is %dx%d, want 1200x600", w, h)
	}
	if in, out := drawnColumns(img); in < 100 || out < 100 {
		t.Errorf("the picture has %d columns of in area and %d of out line, want the polled rates drawn", in, out)
	}

	tm.run("send-keys", "-t", "save", "q")
	if code := exitCode(t, tm, "save", rcFile); code != "0" {
		t.Errorf("stg exited %s after q, want 0", code)
	}
}

// drawnColumns counts the pixel columns below a picture's header that
// hold the in area's green and the out line's blue.
func drawnColumns(img image.Image) (in, out int) {
	b := img.Bounds()
	for x := b.Min.X; x < b.Max.X; x++ {
		var green, blue bool
		for y := b.Min.Y + b.Dy()/4; y < b.Max.Y; y++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			green = green || g > 150 && r < 80 && bl < 80
			blue = blue || bl > 180 && r < 80 && g < 120
		}
		if green {
			in++
		}
		if blue {
			out++
		}
	}
	return in, out
}
