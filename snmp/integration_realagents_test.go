package snmp_test

import (
	"fmt"
	"path/filepath"
	"strconv"
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

// realCase is one interface of a real recording, asked for by the name an
// engineer would type, with the counter width stg must choose and the
// rates its counters are animated with (octets per second).
type realCase struct {
	rec, spec   string
	wantIfIndex int
	wantBits    int
	in, out     uint64
}

// realCases span the corpus: routers, switches, a MikroTik, Linux hosts,
// embedded agents with 32-bit counters only.
var realCases = []realCase{
	{"iosxr_asr9k", "Te0/0/0/3", 34, 64, 1_250_000_000, 312_500_000},
	{"iosxe_asr1k", "Gi0/0/1", 2, 64, 12_500_000, 3_125_000},
	{"vrp_ne40e", "GE0/3/4", 10, 64, 25_000_000, 6_250_000},
	{"vrp_s5720", "GE0/0/1", 6, 64, 1_250_000, 312_500},
	{"smartax_ma5600", "GPON0/0/1", 4194304256, 64, 125_000_000, 12_500_000},
	{"junos_mx5t", "xe-0/0/1", 556, 64, 125_000_000, 62_500_000},
	{"nxos_n3k", "Eth1/2", 436211712, 64, 250_000_000, 125_000_000},
	{"arista_eos", "Et3", 3, 64, 1_250_000, 625_000},
	{"timos_ixr", "1/1/2", 1610891280, 64, 500_000_000, 250_000_000},
	{"routeros_rb952", "pppoe-out1", 11, 64, 1_000_000, 250_000},
	{"edgeos_er", "eth0", 6, 64, 2_500_000, 1_250_000},
	{"cumulus", "swp1", 3, 64, 12_500_000, 6_250_000},
	{"linux_ntc", "eth0", 2, 64, 6_250_000, 1_250_000},
	{"junos_ber", "fxp0", 1, 32, 125_000, 62_500},
	{"airos_m", "eth0", 2, 32, 125_000, 62_500},
	{"printer_konica", "Ethernet 10/100/1000 Base-T", 1, 32, 62_500, 31_250},
}

// realTarget is the poll target stg makes of an --if interface: its
// counters by width, its ifDescr as identity (as cmd/stg does for a name).
func realTarget(t *testing.T, c snmp.Client, spec string) (snmp.PollTarget, snmp.Interface) {
	t.Helper()
	it, err := snmp.SelectInterface(itCtx(t, 20*time.Second), c, spec)
	if err != nil {
		t.Fatalf("select %q: %v", spec, err)
	}
	bits := 32
	if it.HasHC {
		bits = 64
	}
	tg := snmp.PollTarget{Name: spec, IfIndex: it.IfIndex, IfName: it.Label(), CounterBits: bits, SpeedBps: it.SpeedBps}
	if it.Descr != "" {
		tg.IdentityOID, tg.IdentityValue = snmp.OIDIfDescr+"."+strconv.Itoa(it.IfIndex), it.Descr
	}
	return tg, it
}

// pollAll runs one Poller per community at once and returns each one's
// samples.
func pollAll(t *testing.T, clients map[string]snmp.Client, targets map[string]snmp.PollTarget, count int) map[string][]sample.Sample {
	t.Helper()
	ctx := itCtx(t, time.Duration(count)*time.Second+30*time.Second)
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[string][]sample.Sample{}
	errs := map[string]error{}
	for name, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := snmp.NewPoller(c, snmp.PollerConfig{Router: name, Interval: time.Second, Timeout: 900 * time.Millisecond, Count: count},
				[]snmp.PollTarget{targets[name]})
			out := make(chan sample.Sample, count+4)
			err := p.Run(ctx, out)
			close(out)
			mu.Lock()
			defer mu.Unlock()
			for s := range out {
				got[name] = append(got[name], s)
			}
			errs[name] = err
		}()
	}
	wg.Wait()
	for name, err := range errs {
		if err != nil {
			t.Errorf("%s: Poller.Run: %v", name, err)
		}
	}
	return got
}

// TestSnmpsimRealAgents serves a broad sample of the real recordings from
// one snmpsimd (the community is the recording's name), their counters
// animated at known rates, and checks on each that the interface an
// engineer names is the one polled, at the counter width the agent
// offers, with every rate within 1% of the truth plus the poll's timing
// uncertainty.
func TestSnmpsimRealAgents(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpsimd")
	}
	dir := filepath.Join(t.TempDir(), "data")
	files := map[string][]realagents.Line{}
	for _, rc := range realCases {
		rec, err := realagents.Get(rc.rec)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := rec.Lines()
		if err != nil {
			t.Fatal(err)
		}
		files[rc.rec] = realagents.Animate(lines, map[int]realagents.Rates{rc.wantIfIndex: {In: rc.in, Out: rc.out}})
	}
	if err := realagents.WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	sim := agenttest.StartSnmpsim(t, dir)
	clients := map[string]snmp.Client{}
	targets := map[string]snmp.PollTarget{}
	for _, rc := range realCases {
		c := itDial(t, snmp.Config{Target: sim.Target, Version: "2c", Community: secret.Secret(rc.rec), Timeout: 3 * time.Second})
		tg, _ := realTarget(t, c, rc.spec)
		if tg.IfIndex != rc.wantIfIndex || tg.CounterBits != rc.wantBits {
			t.Errorf("%s: %q is ifIndex %d with %d-bit counters, want ifIndex %d, %d-bit", rc.rec, rc.spec, tg.IfIndex, tg.CounterBits, rc.wantIfIndex, rc.wantBits)
		}
		clients[rc.rec], targets[rc.rec] = c, tg
	}
	samples := pollAll(t, clients, targets, 6)
	for _, rc := range realCases {
		rows := samples[rc.rec]
		for _, s := range rows {
			if s.IfIndex != rc.wantIfIndex || s.Status.IsGap() && s.Status != sample.StatusFirst && s.Status != sample.StatusPending {
				t.Errorf("%s: row %s ifIndex %d (%s), want ifIndex %d and no gap", rc.rec, s.Status, s.IfIndex, s.Err, rc.wantIfIndex)
			}
		}
		if n := itCheckRates(t, rows, 1, float64(rc.in*8), float64(rc.out*8)); n < 3 {
			t.Errorf("%s: %d rows with a rate (%s), want at least 3", rc.rec, n, itStatuses(rows))
		}
	}
}

// TestSnmpsimPaddedNamesKeepTheirIdentity polls, by name, interfaces whose
// ifDescr the agent pads with a NUL byte or spaces: the name is found and
// the identity check, which reads the padded ifDescr on every poll, sees
// the same interface (no gap-discontinuity).
func TestSnmpsimPaddedNamesKeepTheirIdentity(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpsimd")
	}
	rec, err := realagents.Get("airos_m")
	if err != nil {
		t.Fatal(err)
	}
	lines, err := rec.Lines()
	if err != nil {
		t.Fatal(err)
	}
	pad := func(tag, value string) []realagents.Line {
		out := realagents.Animate(lines, map[int]realagents.Rates{2: {In: 125_000, Out: 62_500}})
		for i, l := range out {
			if l.OID == snmp.OIDIfDescr+".2" {
				out[i].Tag, out[i].Value = tag, value
			}
		}
		return out
	}
	dir := filepath.Join(t.TempDir(), "data")
	files := map[string][]realagents.Line{
		"nul":    pad("4x", fmt.Sprintf("%x", "eth0\x00")),
		"spaces": pad("4", "eth0   "),
	}
	if err := realagents.WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	sim := agenttest.StartSnmpsim(t, dir)
	clients := map[string]snmp.Client{}
	targets := map[string]snmp.PollTarget{}
	for name := range files {
		c := itDial(t, snmp.Config{Target: sim.Target, Version: "2c", Community: secret.Secret(name), Timeout: 3 * time.Second})
		tg, it := realTarget(t, c, "eth0")
		if it.IfIndex != 2 || it.Descr != "eth0" || tg.IdentityOID == "" {
			t.Fatalf("%s: eth0 is ifIndex %d, ifDescr %q, identity %q; want 2, \"eth0\" and an identity check", name, it.IfIndex, it.Descr, tg.IdentityOID)
		}
		clients[name], targets[name] = c, tg
	}
	samples := pollAll(t, clients, targets, 5)
	for name, rows := range samples {
		if n := itCount(rows, sample.StatusGapDiscontinuity); n > 0 {
			t.Errorf("%s: %d of %d rows gap-discontinuity (%s): %s", name, n, len(rows), itStatuses(rows), strings.TrimSpace(rows[len(rows)-1].Err))
		}
		if n := itCheckRates(t, rows, 1, 1_000_000, 500_000); n < 2 {
			t.Errorf("%s: %d rows with a rate (%s), want at least 2", name, n, itStatuses(rows))
		}
	}
}
