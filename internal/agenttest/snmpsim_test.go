package agenttest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// upTime reads sysUpTime.0 from the agent with a short timeout.
func upTime(t *testing.T, target snmp.Target, community string) (uint64, error) {
	t.Helper()
	c, err := snmp.Dial(context.Background(), snmp.Config{Target: target, Community: secret.Secret(community), Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	vs, err := c.Get(context.Background(), []string{snmp.OIDSysUpTime})
	if err != nil {
		return 0, err
	}
	return vs[0].Uint, nil
}

// TestSnmpsimLifecycle starts snmpsimd on data only root can read (so it
// is copied for nobody), then restarts, pauses and resumes it.
func TestSnmpsimLifecycle(t *testing.T) {
	dir := t.TempDir() // 0700: snmpsimd's user cannot read it in place
	rec := "1.3.6.1.2.1.1.1.0|4|lifecycle\n1.3.6.1.2.1.1.3.0|67:numeric|rate=100,initial=100000\n"
	if err := os.WriteFile(filepath.Join(dir, "life.snmprec"), []byte(rec), 0o600); err != nil {
		t.Fatal(err)
	}
	sim := agenttest.StartSnmpsim(t, dir)
	if len(sim.Communities) != 1 || sim.Communities[0] != "life" {
		t.Fatalf("communities %v, want [life]", sim.Communities)
	}
	time.Sleep(1500 * time.Millisecond)
	before, err := upTime(t, sim.Target, "life")
	if err != nil || before < 100100 {
		t.Fatalf("sysUpTime = %d, %v; want past its initial 100000 after 1.5 s", before, err)
	}

	if err := sim.Restart(); err != nil {
		t.Fatal(err)
	}
	after, err := upTime(t, sim.Target, "life")
	if err != nil || after >= before {
		t.Errorf("sysUpTime after restart = %d, %v; want below %d", after, err, before)
	}

	if err := sim.Pause(); err != nil {
		t.Fatal(err)
	}
	if _, err := upTime(t, sim.Target, "life"); !errors.Is(err, snmp.ErrTimeout) {
		t.Errorf("paused agent: err = %v, want a timeout", err)
	}
	if err := sim.Resume(); err != nil {
		t.Fatal(err)
	}
	if _, err := upTime(t, sim.Target, "life"); err != nil {
		t.Errorf("resumed agent: %v", err)
	}

	if err := sim.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := sim.Pause(); err == nil {
		t.Error("Pause after Stop succeeded")
	}
}

// TestStartSnmpd checks the snmpd harness serves the loopback interface
// with the community it reports.
func TestStartSnmpd(t *testing.T) {
	agent := agenttest.StartSnmpd(t)
	c, err := snmp.Dial(context.Background(), snmp.Config{Target: agent.Target, Community: agent.Community, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	it, err := snmp.SelectInterface(context.Background(), c, "lo")
	if err != nil {
		t.Fatalf("select lo on snmpd: %v", err)
	}
	if it.Descr != "lo" || !it.HasHC {
		t.Errorf("lo = %+v, want ifDescr lo with 64-bit counters", it)
	}
	wrong, err := snmp.Dial(context.Background(), snmp.Config{Target: agent.Target, Community: secret.Secret("not-" + agent.Community.Reveal()), Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if err := snmp.Probe(context.Background(), wrong); !errors.Is(err, snmp.ErrTimeout) {
		t.Errorf("wrong community: %v, want no response", err)
	}
}
