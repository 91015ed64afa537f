package tui

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testZone is the fixed local zone of every test.
var testZone = time.FixedZone("TEST", 90*60)

// t0 is the fixed start of every synthetic stream.
var t0 = time.Date(2026, 3, 14, 9, 26, 0, 0, testZone)

func TestMain(m *testing.M) {
	time.Local = testZone
	os.Exit(m.Run())
}

// newTestModel returns a model styled with the ASCII profile (a renderer
// on a buffer is not a terminal) and sized w×h.
func newTestModel(t *testing.T, opts Options, w, h int) *Model {
	t.Helper()
	opts.Output = &bytes.Buffer{}
	if opts.Router == "" {
		opts.Router = "bras1"
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// stream builds n samples of one target, one per interval from t0, with
// rates from rate(i) and statuses from status(i) (ok when nil).
func stream(target string, n int, interval time.Duration, rate func(i int) (in, out float64), status func(i int) sample.Status) []sample.Sample {
	out := make([]sample.Sample, n)
	for i := range out {
		out[i] = sampleAt(target, i, interval, rate, status)
	}
	return out
}

// sampleAt builds sample i of a stream (see stream). The octet counters
// grow with the rate as a poller would read them.
func sampleAt(target string, i int, interval time.Duration, rate func(i int) (in, out float64), status func(i int) sample.Status) sample.Sample {
	in, o := rate(i)
	st := sample.StatusOK
	if status != nil {
		st = status(i)
	}
	s := sample.Sample{
		Time: t0.Add(time.Duration(i+1) * interval), Router: "bras1", Target: target,
		IfIndex: 257, IfName: "Virtual-Access1.195", Interval: interval, Status: st,
		CounterBits: 64, RTT: 3200 * time.Microsecond, HasOctets: st != sample.StatusGapTimeout,
		InOctets: uint64(i) * uint64(in/8*interval.Seconds()), OutOctets: uint64(i) * uint64(o/8*interval.Seconds()),
	}
	if st.HasRate() {
		s.InBps, s.OutBps = in, o
	}
	if st == sample.StatusGapTimeout {
		s.RTT = 0
		s.Err = "request timeout (after 0 retries)"
	}
	return s
}

// wave is a smooth in/out shape around 40/8 Mb/s.
func wave(i int) (float64, float64) {
	x := float64(i)
	return 40e6 + 25e6*math.Sin(x/7), 8e6 + 4e6*math.Cos(x/11)
}

// golden compares got with testdata/name.golden, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("view differs from %s (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// lines splits a view into its lines.
func lines(v string) []string { return strings.Split(v, "\n") }

// press returns the key message bubbletea sends for a key name.
func press(name string) tea.KeyMsg {
	switch name {
	case " ", "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// statusAt returns a status function: the given status on [from, to),
// ok elsewhere.
func statusAt(from, to int, st sample.Status) func(int) sample.Status {
	return func(i int) sample.Status {
		if i >= from && i < to {
			return st
		}
		return sample.StatusOK
	}
}
