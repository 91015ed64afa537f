package realagents

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Column OIDs Animate rewrites.
const (
	oidSysUpTime     = "1.3.6.1.2.1.1.3.0"
	oidIfInOctets    = "1.3.6.1.2.1.2.2.1.10."
	oidIfOutOctets   = "1.3.6.1.2.1.2.2.1.16."
	oidIfHCInOctets  = "1.3.6.1.2.1.31.1.1.1.6."
	oidIfHCOutOctets = "1.3.6.1.2.1.31.1.1.1.10."
)

// Rates are the speeds an animated interface's counters grow at, in octets
// per second of the agent's clock.
type Rates struct {
	In, Out uint64
}

// Animate returns lines with the octet counters (ifInOctets, ifOutOctets,
// ifHCInOctets, ifHCOutOctets) of the interfaces in rates, keyed by ifIndex,
// rewritten as snmpsim numeric variations that start at the recorded value
// and grow at the given rates from the moment snmpsimd starts, and with
// sysUpTime.0 advancing 100 ticks a second. Counter32 columns wrap (note
// that snmpsim wraps them modulo 2^32-1). Counters the recording lacks stay
// absent; other lines are unchanged. The tag (the counter type the agent
// served) is kept, so an agent that served INTEGER counters still does.
func Animate(lines []Line, rates map[int]Rates) []Line {
	out := make([]Line, len(lines))
	for i, l := range lines {
		out[i] = l
		base, _, _ := strings.Cut(l.Tag, ":")
		initial := l.Value
		if base != l.Tag {
			initial = variationParam(l.Value, "initial")
		}
		if l.OID == oidSysUpTime {
			out[i].Tag, out[i].Value = base+":numeric", "rate=100,initial="+initial
			continue
		}
		rate, ok := counterRate(l.OID, rates)
		if !ok {
			continue
		}
		out[i].Tag = base + ":numeric"
		out[i].Value = fmt.Sprintf("rate=%d,initial=%s", rate, initial)
		if base != "70" {
			out[i].Value += ",wrap=1"
		}
	}
	return out
}

// counterRate returns the rate of the octet counter oid, when it is one of
// an interface in rates.
func counterRate(oid string, rates map[int]Rates) (uint64, bool) {
	for _, c := range []struct {
		prefix string
		in     bool
	}{{oidIfInOctets, true}, {oidIfOutOctets, false}, {oidIfHCInOctets, true}, {oidIfHCOutOctets, false}} {
		rest, ok := strings.CutPrefix(oid, c.prefix)
		if !ok {
			continue
		}
		idx, err := strconv.Atoi(rest)
		if err != nil {
			return 0, false
		}
		r, ok := rates[idx]
		if !ok {
			return 0, false
		}
		if c.in {
			return r.In, true
		}
		return r.Out, true
	}
	return 0, false
}

// WriteDir writes each entry of files, keyed by community, as
// dir/COMMUNITY.snmprec: a data directory for snmpsimd serving them all.
func WriteDir(dir string, files map[string][]Line) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("make snmpsim data dir: %w", err)
	}
	for name, lines := range files {
		path := filepath.Join(dir, name+".snmprec")
		if err := os.WriteFile(path, Format(lines), 0o644); err != nil {
			return fmt.Errorf("write snmpsim data: %w", err)
		}
	}
	return nil
}
