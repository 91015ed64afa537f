package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
)

// runCmd runs a command the model returned and feeds its message back,
// as bubbletea would.
func runCmd(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		t.Fatal("the save key returned no command")
	}
	m.Update(cmd())
}

func TestSaveKeySavesTheView(t *testing.T) {
	var got []Picture
	save := func(p Picture) (string, error) {
		got = append(got, p)
		return "stg-bras1-20260314-093100.png", nil
	}
	m := newTestModel(t, Options{Targets: []string{"alice", "bob"}, Window: time.Minute, Save: save}, 120, 40)
	gap := statusAt(240, 243, sample.StatusOffline)
	m.Update(SamplesMsg(append(stream("alice", 300, time.Second, wave, gap), stream("bob", 300, time.Second, wave, nil)...)))
	m.Update(press("b"))
	m.Update(press("s"))
	m.Update(press("s")) // log
	m.Update(press("left"))
	m.Update(press("left")) // paused, half a window back

	if f := lines(m.View())[39]; !strings.Contains(f, "P save picture") {
		t.Errorf("footer %q does not offer the save key", f)
	}
	_, cmd := m.Update(press("P"))
	if f := lines(m.View())[39]; !strings.Contains(f, "saving a picture") {
		t.Errorf("footer while saving %q: want it to say so", f)
	}
	runCmd(t, m, cmd)
	if len(got) != 1 {
		t.Fatalf("Save called %d times, want 1", len(got))
	}
	p := got[0]
	start, end := m.viewRange()
	if !p.From.Equal(time.Unix(0, start)) || !p.To.Equal(time.Unix(0, end)) {
		t.Errorf("picture spans %v-%v, want the view %v-%v", p.From, p.To, time.Unix(0, start), time.Unix(0, end))
	}
	if !p.Bytes || !p.LogScale || p.Router != "bras1" {
		t.Errorf("picture bytes=%v log=%v router=%q, want the view's bytes, log scale and router", p.Bytes, p.LogScale, p.Router)
	}
	// Every target, whether or not the terminal shows it, from the row
	// before the view to the row after it, as polled (bits/s).
	perTarget := map[string][]sample.Sample{}
	for _, s := range p.Samples {
		perTarget[s.Target] = append(perTarget[s.Target], s)
	}
	for _, name := range []string{"alice", "bob"} {
		rows := perTarget[name]
		if len(rows) < 60 {
			t.Fatalf("%s: %d rows, want the view's minute of 1 s polls", name, len(rows))
		}
		if first, last := rows[0].Time, rows[len(rows)-1].Time; !first.Before(p.From) || !last.After(p.To) {
			t.Errorf("%s: rows %v-%v do not reach one row past each edge of %v-%v", name, first, last, p.From, p.To)
		}
		for _, s := range rows {
			want := sampleAt(name, int(s.Time.Sub(t0)/time.Second)-1, time.Second, wave, nil)
			if s.Status.HasRate() && (s.InBps != want.InBps || s.OutBps != want.OutBps) {
				t.Errorf("%s at %v: rates %v/%v, want %v/%v bits/s", name, s.Time, s.InBps, s.OutBps, want.InBps, want.OutBps)
				break
			}
		}
	}
	var gaps int
	for _, s := range perTarget["alice"] {
		if s.Status == sample.StatusOffline {
			gaps++
			if s.InBps != 0 || s.OutBps != 0 {
				t.Errorf("a gap row carries rates %v/%v", s.InBps, s.OutBps)
			}
		}
	}
	if gaps != 3 {
		t.Errorf("picture has %d offline rows of alice, want the 3 in the view", gaps)
	}

	if f := lines(m.View())[39]; !strings.Contains(f, "saved a picture of the view to stg-bras1-20260314-093100.png") {
		t.Errorf("footer after saving %q: want the file's name", f)
	}
	m.Update(press("b"))
	if f := lines(m.View())[39]; strings.Contains(f, "saved") {
		t.Errorf("footer %q still shows the save after the next key", f)
	}

	m.opts.Save = func(Picture) (string, error) { return "", errors.New("open stg-bras1.png: permission denied") }
	_, cmd = m.Update(keyOf("ctrl+s"))
	runCmd(t, m, cmd)
	if f := lines(m.View())[39]; !strings.Contains(f, "could not save the picture: open stg-bras1.png: permission denied") {
		t.Errorf("footer after a failed save %q: want the error", f)
	}
}

func TestSaveKeyNeedsAHookAndData(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 120, 30)
	m.Update(SamplesMsg(stream("alice", 30, time.Second, wave, nil)))
	if _, cmd := m.Update(press("P")); cmd != nil {
		t.Error("P without a Save hook returned a command")
	}
	if v := m.View(); strings.Contains(v, "save picture") {
		t.Errorf("the view offers a save key without a Save hook:\n%s", v)
	}
	m.Update(press("?"))
	if v := m.View(); strings.Contains(v, "save picture") {
		t.Errorf("the help lists a save key without a Save hook:\n%s", v)
	}

	called := false
	empty := newTestModel(t, Options{Targets: []string{"alice"}, Save: func(Picture) (string, error) { called = true; return "", nil }}, 120, 30)
	if _, cmd := empty.Update(press("P")); cmd != nil || called {
		t.Error("P before the first sample tried to save")
	}
	empty.Update(press("?"))
	if v := empty.View(); !strings.Contains(v, "save picture") {
		t.Errorf("the help does not list the save key of a UI with a Save hook:\n%s", v)
	}
}
