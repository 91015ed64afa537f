package snmp_test

import (
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/realagents"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// The agents of testdata/quirks serve counters and clocks the way real
// agents do when they do it their own way (testdata/quirks/README.md says
// which agent each file stands for). Each file's name is its community.
const quirkData = "testdata/quirks"

// startQuirks starts snmpsimd on testdata/quirks; it needs the daemon, so
// it is skipped under -short.
func startQuirks(t *testing.T) *agenttest.Snmpsim {
	t.Helper()
	if testing.Short() {
		t.Skip("starts snmpsimd")
	}
	return agenttest.StartSnmpsim(t, quirkData)
}

// quirkClient dials the quirk agent whose data file is community.snmprec.
func quirkClient(t *testing.T, sim *agenttest.Snmpsim, version, community string) snmp.Client {
	t.Helper()
	return itDial(t, snmp.Config{Target: sim.Target, Version: snmp.Version(version), Community: secret.Secret(community), Timeout: 3 * time.Second})
}

// quirkTarget describes an interface and chooses its counters as stg does.
func quirkTarget(t *testing.T, c snmp.Client, version, spec string) (snmp.PollTarget, snmp.Interface, snmp.CounterChoice) {
	t.Helper()
	it, err := snmp.SelectInterface(itCtx(t, 10*time.Second), c, spec)
	if err != nil {
		t.Fatal(err)
	}
	choice, err := snmp.ChooseCounters("auto", snmp.Version(version), it)
	if err != nil {
		t.Fatalf("ChooseCounters(%s): %v", spec, err)
	}
	return snmp.PollTarget{Name: spec, IfIndex: it.IfIndex, IfName: it.Label(), CounterBits: choice.Bits, SpeedBps: it.SpeedBps}, it, choice
}

// notes collects the poller's notes; it is safe for the poller's goroutine.
type notes struct {
	mu   sync.Mutex
	list []string
}

func (n *notes) option(cfg *snmp.PollerConfig) {
	cfg.OnNote = func(note string) {
		n.mu.Lock()
		defer n.mu.Unlock()
		n.list = append(n.list, note)
	}
}

// matching returns the notes that contain every one of parts.
func (n *notes) matching(parts ...string) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, note := range n.list {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(note, p)
		}
		if all {
			out = append(out, note)
		}
	}
	return out
}

// TestSnmpsimWrapWithoutSpeed polls a port-channel that reports ifSpeed
// 4294967295, no ifHighSpeed and 32-bit counters only, carrying 600 MB/s
// (4.8 Gbit/s) in: its ifInOctets wraps every 7.2 s. Each wrap is unwound
// with the right rate once a rate has been seen; none is lost as a reset.
func TestSnmpsimWrapWithoutSpeed(t *testing.T) {
	sim := startQuirks(t)
	c := quirkClient(t, sim, "2c", "portchannel")
	target, it, _ := quirkTarget(t, c, "2c", "Po1")
	if it.SpeedBps != 0 || target.CounterBits != 32 {
		t.Fatalf("speed %d b/s, %d-bit counters; want unknown (0) and 32", it.SpeedBps, target.CounterBits)
	}
	const inRate, outRate = 600_000_000, 150_000_000
	samples := itPoll(t, c, time.Second, 20, []snmp.PollTarget{target}, nil)
	if n := itCheckRates(t, samples, 0, inRate*8, outRate*8); n < 14 {
		t.Errorf("%d rows with a rate, want at least 14 (%s)", n, itStatuses(samples))
	}
	if n := itCount(samples, sample.StatusWrap); n < 1 {
		t.Errorf("no wrap row in 20 s of a counter wrapping every 7.2 s (%s)", itStatuses(samples))
	}
	rated := false
	for i, s := range samples {
		rated = rated || s.Status.HasRate()
		if rated && s.Status == sample.StatusGapReset {
			t.Errorf("row %d: gap-reset after rates were seen: a wrap lost (%s)", i, itStatuses(samples))
		}
	}
}

// TestSnmpsimRetypedCounters polls an embedded agent that serves
// ifInOctets/ifOutOctets as INTEGER (eth0, negative: a signed view of its
// counter) and Gauge32 (eth1): both are read as 32-bit counters, with the
// right rates and one note per interface naming the type.
func TestSnmpsimRetypedCounters(t *testing.T) {
	sim := startQuirks(t)
	c := quirkClient(t, sim, "2c", "embedded")
	eth0, it0, _ := quirkTarget(t, c, "2c", "eth0")
	eth1, it1, _ := quirkTarget(t, c, "2c", "eth1")
	if eth0.CounterBits != 32 || it0.Counters.In != snmp.KindInteger || eth1.CounterBits != 32 || it1.Counters.Out != snmp.KindGauge32 {
		t.Errorf("eth0 %d-bit, %+v; eth1 %d-bit, %+v; want 32-bit, INTEGER and Gauge32",
			eth0.CounterBits, it0.Counters, eth1.CounterBits, it1.Counters)
	}
	var got notes
	samples := itPoll(t, c, time.Second, 6, []snmp.PollTarget{eth0, eth1}, nil, got.option)
	for _, tc := range []struct {
		target  snmp.PollTarget
		in, out float64
		kind    string
	}{
		{eth0, 1_250_000 * 8, 250_000 * 8, "INTEGER"},
		{eth1, 500_000 * 8, 125_000 * 8, "Gauge32"},
	} {
		rows := itRows(samples, tc.target.Name)
		if n := itCheckRates(t, rows, 0, tc.in, tc.out); n < 3 {
			t.Errorf("%s: %d rows with a rate, want at least 3 (%s)", tc.target.Name, n, itStatuses(rows))
		}
		for i, s := range rows {
			if !s.HasOctets || s.CounterBits != 32 {
				t.Errorf("%s row %d: octets %v, %d-bit; want octets, 32-bit", tc.target.Name, i, s.HasOctets, s.CounterBits)
			}
		}
		if n := got.matching(tc.target.Name+": ", "as "+tc.kind, "32-bit counter"); len(n) != 1 {
			t.Errorf("%s: notes %q, want one naming %s", tc.target.Name, got.list, tc.kind)
		}
	}
	if rows := itRows(samples, "eth0"); len(rows) > 0 && rows[0].InOctets < 1<<31 {
		t.Errorf("eth0 in_octets %d: a negative INTEGER reads as its two's complement, above 2^31", rows[0].InOctets)
	}
}

// TestSnmpsimFrozenUpTime polls every 2 s an agent whose sysUpTime.0 never
// moves: rates timed by the poller's clock, never a gap-reset, one note.
func TestSnmpsimFrozenUpTime(t *testing.T) {
	sim := startQuirks(t)
	c := quirkClient(t, sim, "2c", "frozen-clock")
	target, _, _ := quirkTarget(t, c, "2c", "Gi0/0/0")
	var got notes
	samples := itPoll(t, c, 2*time.Second, 6, []snmp.PollTarget{target}, nil, got.option)
	if n := itCount(samples, sample.StatusGapReset); n != 0 {
		t.Errorf("%d gap-reset rows for a clock that does not move (%s)", n, itStatuses(samples))
	}
	if n := itCheckRates(t, samples, 0, 1_250_000*8, 432_100*8); n < 3 {
		t.Errorf("%d rows with a rate, want at least 3 (%s)", n, itStatuses(samples))
	}
	if n := got.matching("test: ", "sysUpTime.0", "frozen"); len(n) != 1 {
		t.Errorf("notes %q, want one about the frozen clock", got.list)
	}
}

// TestSnmpsimWithoutUpTime: an agent without sysUpTime.0 passes the probe
// and is polled by the poller's clock, with one note.
func TestSnmpsimWithoutUpTime(t *testing.T) {
	sim := startQuirks(t)
	c := quirkClient(t, sim, "2c", "no-uptime")
	if err := snmp.Probe(itCtx(t, 10*time.Second), c); err != nil {
		t.Fatalf("Probe = %v, want nil: the agent answers", err)
	}
	target, _, _ := quirkTarget(t, c, "2c", "Gi0/0/0")
	var got notes
	samples := itPoll(t, c, time.Second, 5, []snmp.PollTarget{target}, nil, got.option)
	if n := itCheckRates(t, samples, 0, 1_250_000*8, 432_100*8); n < 2 {
		t.Errorf("%d rows with a rate, want at least 2 (%s)", n, itStatuses(samples))
	}
	if n := got.matching("test: ", "no usable sysUpTime.0"); len(n) != 1 {
		t.Errorf("notes %q, want one saying sysUpTime.0 is missing", got.list)
	}
}

// TestSnmpsimUnreadableHC: a Huawei OLT port whose ifHCInOctets and
// ifHCOutOctets read 2^64−1 (the agent cannot read them) is polled on its
// 32-bit counters, with a note saying why; a port without 32-bit counters
// to fall back on is an error that says so.
func TestSnmpsimUnreadableHC(t *testing.T) {
	sim := startQuirks(t)
	c := quirkClient(t, sim, "2c", "ma5600")
	target, it, choice := quirkTarget(t, c, "2c", "GPON 0/3/4")
	if it.HasHC || !it.Counters.HCUnreadable || target.CounterBits != 32 || !strings.Contains(choice.Note, "2^64−1") {
		t.Errorf("HC %v, unreadable %v, %d-bit, note %q; want 32-bit with a note on 2^64−1", it.HasHC, it.Counters.HCUnreadable, target.CounterBits, choice.Note)
	}
	samples := itPoll(t, c, time.Second, 5, []snmp.PollTarget{target}, nil)
	if n := itCheckRates(t, samples, 0, 3_000_000*8, 700_000*8); n < 2 {
		t.Errorf("%d rows with a rate, want at least 2 (%s)", n, itStatuses(samples))
	}
	for i, s := range samples {
		if s.InOctets == math.MaxUint64 || s.OutOctets == math.MaxUint64 || s.InBps > 1e12 {
			t.Errorf("row %d carries the marker or a spike: %+v", i, s)
		}
	}
	other, err := snmp.SelectInterface(itCtx(t, 10*time.Second), c, "GPON 0/3/5")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snmp.ChooseCounters("auto", "2c", other); err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Errorf("ChooseCounters on a port with only unreadable counters = %v, want an error saying so", err)
	}
}

// TestSnmpsimMissingCounters: IOS-XR serves only 64-bit counters for a
// TenGigE port and none for Loopback0 or a dwdm controller. Choosing
// counters says so at once, with what to do, rather than polling gaps.
func TestSnmpsimMissingCounters(t *testing.T) {
	sim := startQuirks(t)
	tests := []struct {
		version, spec string
		wantBits      int
		wantErr       []string
	}{
		{"2c", "TenGigE0/0/0/0", 64, nil},
		{"1", "TenGigE0/0/0/0", 0, []string{"ifInOctets: noSuchInstance", "-v 2c"}},
		{"2c", "Loopback0", 0, []string{"no octet counters", "ifHCInOctets: noSuchInstance"}},
		{"2c", "dwdm0/0/0/1", 0, []string{"no octet counters"}},
	}
	for _, tt := range tests {
		t.Run("v"+tt.version+"/"+tt.spec, func(t *testing.T) {
			c := quirkClient(t, sim, tt.version, "iosxr")
			it, err := snmp.SelectInterface(itCtx(t, 10*time.Second), c, tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			choice, err := snmp.ChooseCounters("auto", snmp.Version(tt.version), it)
			if tt.wantErr == nil {
				if err != nil || choice.Bits != tt.wantBits {
					t.Errorf("ChooseCounters = %+v, %v; want %d bits", choice, err, tt.wantBits)
				}
				return
			}
			if err == nil {
				t.Fatalf("ChooseCounters = %+v, want an error", choice)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestSnmpsimRealRecordingQuirks runs the same checks on real recordings
// (internal/realagents): the IOS-XE ASR920 recording has no sysUpTime.0,
// and the IOS XR ASR9K one has no 32-bit counters at all and dwdm rows
// without counters.
func TestSnmpsimRealRecordingQuirks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpsimd")
	}
	const asr920Te, inRate, outRate = 27, 12_500_000, 3_125_000
	files := map[string][]realagents.Line{}
	for name, rates := range map[string]map[int]realagents.Rates{
		"iosxe_asr920": {asr920Te: {In: inRate, Out: outRate}},
		"iosxr_asr9k":  nil,
	} {
		rec, err := realagents.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := rec.Lines()
		if err != nil {
			t.Fatal(err)
		}
		files[name] = realagents.Animate(lines, rates)
	}
	dir := filepath.Join(t.TempDir(), "data")
	if err := realagents.WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	sim := agenttest.StartSnmpsim(t, dir)

	t.Run("no sysUpTime.0", func(t *testing.T) {
		c := quirkClient(t, sim, "2c", "iosxe_asr920")
		if err := snmp.Probe(itCtx(t, 10*time.Second), c); err != nil {
			t.Fatalf("Probe = %v, want nil: the agent answers", err)
		}
		target, _, _ := quirkTarget(t, c, "2c", "Te0/0/26")
		if target.IfIndex != asr920Te || target.CounterBits != 64 {
			t.Fatalf("Te0/0/26 is ifIndex %d, %d-bit; want %d, 64-bit", target.IfIndex, target.CounterBits, asr920Te)
		}
		var got notes
		samples := itPoll(t, c, time.Second, 5, []snmp.PollTarget{target}, nil, got.option)
		if n := itCheckRates(t, samples, 0, inRate*8, outRate*8); n < 2 {
			t.Errorf("%d rows with a rate, want at least 2 (%s)", n, itStatuses(samples))
		}
		if n := got.matching("no usable sysUpTime.0"); len(n) != 1 {
			t.Errorf("notes %q, want one saying sysUpTime.0 is missing", got.list)
		}
	})
	for _, tt := range []struct {
		version, spec string
		want          []string
	}{
		{"1", "Te0/0/0/3", []string{"ifInOctets: noSuchInstance", "-v 2c"}},
		{"2c", "dwdm0/0/0/1", []string{"no octet counters", "ifHCInOctets: noSuchInstance"}},
	} {
		t.Run("v"+tt.version+" "+tt.spec, func(t *testing.T) {
			c := quirkClient(t, sim, tt.version, "iosxr_asr9k")
			it, err := snmp.SelectInterface(itCtx(t, 10*time.Second), c, tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			_, err = snmp.ChooseCounters("auto", snmp.Version(tt.version), it)
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("ChooseCounters error %v, want one saying %q", err, w)
				}
			}
		})
	}
}
