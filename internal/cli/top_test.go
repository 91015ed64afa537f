package cli

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/top"
)

// TestParseTop: every flag of `stg top` reaches the run it configures.
func TestParseTop(t *testing.T) {
	s, err := ParseTop([]string{"--router", "udp:bras1:1161", "-c", "s3cret", "-v", "2c", "-t", "0.5", "-r", "2",
		"-i", "2s", "--count", "3", "--limit", "20", "--filter", `Vi2\.`, "--all", "-o", "jsonl", "--counters", "32",
		"--bytes", "--window", "10m", "--listen", "9771"}, envOf(map[string]string{"GOMEMLIMIT": "200MiB"}), Files{})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Run.Config
	if c.Router != "udp:bras1:1161" || c.Version != "2c" || c.Counters != "32" || c.Interval != 2*time.Second ||
		c.Timeout != 500*time.Millisecond || c.Retries != 2 || c.Count != 3 || c.Limit != 20 || !c.AllInterfaces ||
		c.Filter == nil || !c.Filter.MatchString("Vi2.7") || c.Filter.MatchString("Vi2x7") {
		t.Errorf("engine config %+v", c)
	}
	if cfg := s.Run.SNMP; cfg.Target != (snmp.Target{Transport: "udp", Host: "bras1", Port: 1161}) || cfg.Community != "s3cret" ||
		cfg.Timeout != 500*time.Millisecond || cfg.Retries != 2 || cfg.Validate() != nil {
		t.Errorf("SNMP config %+v (Validate: %v)", cfg, cfg.Validate())
	}
	if s.Output != OutputJSONL || !s.Bytes || s.Window != 10*time.Minute || s.GCPercent != 0 || s.Listen != "127.0.0.1:9771" || s.ListenRows != 20 {
		t.Errorf("settings %+v; want jsonl, bytes, 10m, no GC target of stg's own under GOMEMLIMIT, and /metrics on loopback for the 20 rows of --limit", s)
	}
	if s, err := ParseTop([]string{"r1", "--listen", "0.0.0.0:9771"}, envOf(nil), Files{}); err != nil || s.Listen != "0.0.0.0:9771" || s.ListenRows != TopListenRows {
		t.Errorf("--listen without --limit: %+v, %v; want 0.0.0.0:9771 and %d rows", s, err, TopListenRows)
	}
	if s, err := ParseTop([]string{"r1"}, envOf(map[string]string{"GOGC": "200"}), Files{}); err != nil || s.GCPercent != 0 {
		t.Errorf("under GOGC: GC target %d, %v; want none of stg's own", s.GCPercent, err)
	}
}

// TestParseTopDefaults: stg top alone on a router ranks every session
// each second, on the terminal or piped, under stg's GC target; the router
// may be given bare.
func TestParseTopDefaults(t *testing.T) {
	for _, args := range [][]string{{"--router", "bras1"}, {"bras1"}} {
		s, err := ParseTop(args, envOf(map[string]string{"STG_COMMUNITY": "s3cret", "GOMEMLIMIT": ""}), Files{})
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		c := s.Run.Config
		if c.Router != "bras1" || c.Interval != time.Second || c.Count != 0 || c.Limit != 0 || c.Filter != nil || c.AllInterfaces ||
			c.Counters != "auto" || c.Timeout != time.Second || c.Retries != 5 || s.Run.SNMP.Community != "s3cret" || s.Listen != "" {
			t.Errorf("%q: engine config %+v", args, c)
		}
		if s.Output != OutputAuto || s.GCPercent != top.GCPercent {
			t.Errorf("%q: output %s, GC target %d; want auto and %d", args, s.Output, s.GCPercent, top.GCPercent)
		}
	}
}

func TestParseTopErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "no router"},
		{[]string{"--router", " "}, "empty router"},
		{[]string{"r1", "r2"}, `unexpected argument "r2"`},
		{[]string{"--filter", "a[", "r1"}, `--filter "a[" is not a regular expression: missing closing ]`},
		{[]string{"-i", "0.05", "r1"}, "--interval 50ms is too short"},
		{[]string{"--count", "-1", "r1"}, "--count must be 0"},
		{[]string{"-o", "png", "r1"}, `bad -o "png"`},
		{[]string{"--counters", "16", "r1"}, `bad --counters "16"`},
		{[]string{"--window", "5s", "r1"}, "--window: the chart window must be from 10s to 24h"},
		{[]string{"-u", "ops", "r1"}, "-u is an SNMPv3 option"},
		{[]string{"-v", "3", "r1"}, "-v 3 needs a security name"},
		{[]string{"--user", "anna", "r1"}, "unknown flag: --user"},
		{[]string{"--listen", "bras1", "r1"}, `--listen "bras1": want [HOST:]PORT`},
	}
	for _, tt := range tests {
		_, err := ParseTop(tt.args, envOf(nil), Files{})
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v, want one line saying %q", tt.args, err, tt.want)
		}
	}
	if _, err := ParseTop([]string{"r1", "-h"}, envOf(nil), Files{}); !errors.Is(err, ErrHelp) {
		t.Errorf("-h: %v, want ErrHelp", err)
	}
}

// TestTopEnumValuesParse: every value the table lists for a flag of stg
// top is one ParseTop takes.
func TestTopEnumValuesParse(t *testing.T) {
	v3 := []string{"-v", "3", "-u", "ops", "-A", "authpass1", "-X", "privpass1"}
	listed := 0
	for _, f := range Top.Flags {
		for _, value := range f.Enum {
			listed++
			args := []string{"r1", "--" + f.Name, value}
			if f.Name == "sec-level" || f.Name == "auth-proto" || f.Name == "priv-proto" || (f.Name == "snmp-version" && value == "3") {
				args = append(args, v3...)
			}
			if _, err := ParseTop(args, envOf(nil), Files{}); err != nil {
				t.Errorf("--%s %s: %v", f.Name, value, err)
			}
		}
	}
	if listed < 15 {
		t.Errorf("the table lists %d values, want those of -v, -l, -a, -x, -o and --counters", listed)
	}
}

// TestParseDemoAndSimHogs: --hogs reaches the simulator, within what it
// can model.
func TestParseDemoAndSimHogs(t *testing.T) {
	o, err := ParseDemo(nil)
	if err != nil || o.Hogs != 3 || o.Sessions != 2000 || o.Flap != DemoFlap || !o.NoSSH {
		t.Errorf("demo defaults %+v, %v", o, err)
	}
	if o, err := ParseDemo([]string{"--hogs", "5", "--sessions", "9"}); err != nil || o.Hogs != 5 || o.Sessions != 9 {
		t.Errorf("demo --hogs 5 --sessions 9: %+v, %v", o, err)
	}
	s, err := ParseSim([]string{"--hogs", "4"}, envOf(nil))
	if err != nil || s.Options.Hogs != 4 {
		t.Errorf("sim --hogs 4: %+v, %v", s, err)
	}
	if _, err := ParseSim([]string{"--hogs", "-1"}, envOf(nil)); err == nil || !strings.Contains(err.Error(), "--hogs -1: want 0 to 20") {
		t.Errorf("sim --hogs -1: %v", err)
	}
	if _, err := brassim.New(brassim.Options{Sessions: 7, Hogs: 3}); err != nil {
		t.Errorf("the fewest sessions --hogs 3 allows: %v", err)
	}
	if _, err := brassim.New(brassim.Options{Sessions: 6, Hogs: 3}); err == nil {
		t.Error("the simulator takes 3 hogs among 6 sessions, which --hogs refuses")
	}
}

// TestParseTopReadsSnmpConf: stg top takes net-snmp's snmp.conf defaults
// as polling does (a flag still wins), and keeps the files' warnings for
// stderr.
func TestParseTopReadsSnmpConf(t *testing.T) {
	files := machineOf(map[string]string{homeSNMP: "defCommunity fromfile\ndefaultPort 1161\ndefVersion 4\n",
		"/home/noc/.snmp/hosts/bras1.conf": "timeout 3\n"})
	s, err := ParseTop([]string{"bras1"}, envOf(map[string]string{"HOME": "/home/noc"}), files)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Run.SNMP; c.Community != "fromfile" || c.Target.Port != 1161 || c.Timeout != 3*time.Second || s.Run.Config.Timeout != 3*time.Second {
		t.Errorf("config %+v, engine timeout %s; want the files' community, port and timeout", c, s.Run.Config.Timeout)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "unknown defVersion") {
		t.Errorf("warnings %q, want the unknown defVersion", s.Warnings)
	}
	if s, err := ParseTop([]string{"bras1", "-c", "flag"}, envOf(map[string]string{"HOME": "/home/noc"}), files); err != nil || s.Run.SNMP.Community != "flag" {
		t.Errorf("-c flag: %v", err)
	}
}
