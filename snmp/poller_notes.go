package snmp

import (
	"fmt"
	"strconv"
	"strings"
)

// note records a note about a target or the router for OnNote, once per
// text, and reports whether it is new. It runs with p.mu held.
func (p *Poller) note(about, note string) bool {
	full := about + ": " + note
	if p.noted[full] {
		return false
	}
	if p.noted == nil {
		p.noted = map[string]bool{}
	}
	p.noted[full] = true
	p.notes = append(p.notes, full)
	return true
}

// withNotes appends notes to a Sample's Err.
func withNotes(err string, notes []string) string {
	parts := make([]string, 0, len(notes)+1)
	if err != "" {
		parts = append(parts, err)
	}
	for _, n := range notes {
		parts = append(parts, "note: "+n)
	}
	return strings.Join(parts, "; ")
}

// counterName names a target's counter column and row, "ifHCInOctets.7".
func counterName(t PollTarget, out bool) string {
	name := "ifHCInOctets"
	switch {
	case t.CounterBits == 32 && out:
		name = "ifOutOctets"
	case t.CounterBits == 32:
		name = "ifInOctets"
	case out:
		name = "ifHCOutOctets"
	}
	return name + "." + strconv.Itoa(t.IfIndex)
}

// retypedNote says how counters served with another type than Counter32
// are read, or "" when neither was.
func retypedNote(pt *pollTarget, in, out Variable, inRetyped, outRetyped bool) string {
	var served string
	switch {
	case inRetyped && outRetyped && in.Kind == out.Kind:
		served = counterName(pt.t, false) + " and " + counterName(pt.t, true) + " as " + in.Kind.String()
	case inRetyped && outRetyped:
		served = counterName(pt.t, false) + " as " + in.Kind.String() + " and " + counterName(pt.t, true) + " as " + out.Kind.String()
	case inRetyped:
		served = counterName(pt.t, false) + " as " + in.Kind.String()
	case outRetyped:
		served = counterName(pt.t, true) + " as " + out.Kind.String()
	default:
		return ""
	}
	return "the agent serves " + served + ", not Counter32: read as 32-bit counters"
}

// unreadableErr says which counters of r read the "cannot read" marker, or
// "" when none did.
func unreadableErr(pt *pollTarget, r Reading) string {
	var names []string
	if unreadable(r.InOctets, r.InKind) {
		names = append(names, counterName(pt.t, false))
	}
	if unreadable(r.OutOctets, r.OutKind) {
		names = append(names, counterName(pt.t, true))
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("%s read %d (2^64−1), the value the agent serves for a counter it cannot read: no rate while it does",
		strings.Join(names, " and "), uint64(unreadableMarker))
}
