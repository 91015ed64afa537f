package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/influxdata/line-protocol/v2/lineprotocol"

	"github.com/stg-project/stg/internal/agenttest"
)

// TestInfluxOutput: `stg -o influx` writes one line per target per poll
// that the reference line-protocol parser reads: measurement
// stg_interface, the subscriber (whose name has a space, a comma, an
// equals sign and quotes) as a tag, rates once known, integer counters,
// and nanosecond times.
func TestInfluxOutput(t *testing.T) {
	agent := agenttest.StartSnmpsim(t, filepath.Join("testdata", "export"))
	start := time.Now()
	r := runStg(t, []string{"STG_COMMUNITY=" + exportCommunity}, "--router", agent.Addr(), "-i", "0.2", "--count", "4",
		"--if", "Se0/2/0", "--user", exportUser, "--resolve", "snmp", "-o", "influx")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	dec := lineprotocol.NewDecoderWithBytes([]byte(r.stdout))
	lines, rated := 0, 0
	for dec.Next() {
		lines++
		m, err := dec.Measurement()
		if err != nil || string(m) != "stg_interface" {
			t.Fatalf("line %d: measurement %q %v", lines, m, err)
		}
		tags := map[string]string{}
		for {
			k, v, err := dec.NextTag()
			if err != nil {
				t.Fatalf("line %d: %v", lines, err)
			}
			if k == nil {
				break
			}
			tags[string(k)] = string(v)
		}
		fields := map[string]lineprotocol.Value{}
		for {
			k, v, err := dec.NextField()
			if err != nil {
				t.Fatalf("line %d: %v", lines, err)
			}
			if k == nil {
				break
			}
			fields[string(k)] = v
		}
		at, err := dec.Time(lineprotocol.Nanosecond, time.Time{})
		if err != nil || at.Before(start) || at.After(time.Now()) {
			t.Errorf("line %d: time %s %v, want during the run", lines, at, err)
		}
		if tags["router"] != agent.Addr() || (tags["target"] == exportUser) != (tags["user"] == exportUser) {
			t.Errorf("line %d: tags %q", lines, tags)
		}
		if v := fields["in_octets"]; v.Kind() != lineprotocol.Int {
			t.Errorf("line %d: in_octets %v, want an integer", lines, v)
		}
		if v, ok := fields["in_bps"]; ok {
			rated++
			truth := 8 * exportTruth[tags["ifName"]][0]
			if v.FloatV() < 0.9*truth || v.FloatV() > 1.1*truth {
				t.Errorf("line %d: in_bps %v, truth %v", lines, v, truth)
			}
		}
	}
	if lines != 8 || rated < 4 || strings.Contains(r.stdout+r.stderr, exportCommunity) {
		t.Errorf("%d lines (want 4 polls of 2 targets), %d with a rate:\n%s", lines, rated, r.stdout)
	}
}
