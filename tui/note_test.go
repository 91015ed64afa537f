package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// TestNotesShowAsNotes: notes told before the start and while running are
// in the footer as notes until a key; the notes the poller appends to a
// row's error are not shown as an error.
func TestNotesShowAsNotes(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}, Notes: []string{"alice: using 32-bit ifInOctets/ifOutOctets"}}, 100, 30)
	rows := stream("alice", 5, time.Second, wave, nil)
	rows[4].Err = "note: alice: the agent serves ifInOctets.7 as INTEGER, not Counter32: read as 32-bit counters"
	m.Update(SamplesMsg(rows))
	footer := lastLine(m.View())
	if !strings.Contains(footer, "note: alice: using 32-bit") || strings.Contains(footer, "last error") {
		t.Errorf("footer %q, want the start-up note and no error", footer)
	}
	m.Update(NoteMsg("bras1: the agent's sysUpTime.0 stood still"))
	if footer := lastLine(m.View()); !strings.Contains(footer, "using 32-bit ifInOctets/ifOutOctets; bras1: the agent's sysUpTime.0 stood still") {
		t.Errorf("footer %q, want both notes", footer)
	}
	m.Update(press("b"))
	if footer := lastLine(m.View()); strings.Contains(footer, "note:") || strings.Contains(footer, "last error") {
		t.Errorf("footer after a key %q, want the key hints", footer)
	}
	m.Update(SamplesMsg([]sample.Sample{sampleAt("alice", 5, time.Second, wave, func(int) sample.Status { return sample.StatusGapTimeout })}))
	m.targets[0].lastErr = ""
	timeout := sampleAt("alice", 6, time.Second, wave, func(int) sample.Status { return sample.StatusGapTimeout })
	timeout.Err = "get counters from bras1: no answer; note: alice: a note"
	m.Update(SamplesMsg([]sample.Sample{timeout}))
	if footer := lastLine(m.View()); !strings.Contains(footer, "last error") || !strings.HasSuffix(strings.TrimSpace(footer), "no answer") {
		t.Errorf("footer %q, want the error without its note", footer)
	}
}

// lastLine returns the last line of a view: the footer.
func lastLine(view string) string {
	lines := strings.Split(view, "\n")
	return lines[len(lines)-1]
}
