package snmpconf_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/snmpconf"
	"github.com/stg-project/stg/snmp"
)

const (
	oidSysDescr  = "1.3.6.1.2.1.1.1.0"
	oidSysUpTime = "1.3.6.1.2.1.1.3.0"
)

// writeHome makes a HOME whose ~/.snmp holds files (name -> text), mode
// 0600 as snmp.conf(5) asks.
func writeHome(t *testing.T, files map[string]string) string {
	t.Helper()
	home := t.TempDir()
	for name, text := range files {
		p := filepath.Join(home, ".snmp", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

// netsnmpGet runs net-snmp's snmpget with only HOME (and a private
// persistent dir) to configure it: no version, community or credentials
// on its command line.
func netsnmpGet(t *testing.T, home, agent, oid string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "snmpget", "-On", "-r", "2", agent, oid)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "SNMP_PERSISTENT_DIR=" + t.TempDir(), "MIBS="}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// stgGet reads oid with stg's own client, configured only from what
// snmpconf.Load found for host.
func stgGet(t *testing.T, home, host string, port int) (string, *snmpconf.Config) {
	t.Helper()
	c, err := snmpconf.Load(snmpconf.Options{FS: os.DirFS("/"), Home: home, Host: host})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range c.Warnings {
		t.Errorf("warning: %s", w)
	}
	if _, ok := c.Origin(snmpconf.SettingPort); ok {
		port = c.Port
	}
	cfg := snmp.Config{
		Target:  snmp.Target{Host: host, Port: port},
		Version: snmp.Version(c.Version), Community: c.Community, SecName: c.SecName, SecLevel: c.SecLevel,
		AuthProto: c.AuthProto, AuthPass: c.AuthPass, PrivProto: c.PrivProto, PrivPass: c.PrivPass,
		Context: c.Context, Timeout: 2 * time.Second, Retries: 2,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, err := snmp.Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("stg dial with snmp.conf settings: %v", err)
	}
	defer client.Close()
	vars, err := client.Get(ctx, []string{oidSysDescr})
	if err != nil {
		t.Fatalf("stg get with snmp.conf settings: %v", err)
	}
	return vars[0].Text(), c
}

// TestNetSNMPAgreesV2c: a community only ~/.snmp/snmp.conf holds reaches
// net-snmp's snmpd through net-snmp's snmpget and through stg alike.
func TestNetSNMPAgreesV2c(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpd")
	}
	agent := agenttest.StartSnmpd(t)
	bare := writeHome(t, nil)
	if out, err := netsnmpGet(t, bare, agent.Addr(), oidSysUpTime); err == nil {
		t.Fatalf("snmpget without snmp.conf reached the agent, so the test proves nothing: %s", out)
	}
	home := writeHome(t, map[string]string{"snmp.conf": "defVersion 2c\ndefCommunity " + agent.Community.Reveal() + "\n"})
	out, err := netsnmpGet(t, home, agent.Addr(), oidSysUpTime)
	if err != nil || !strings.Contains(out, "Timeticks") {
		t.Fatalf("snmpget with snmp.conf: %v: %s", err, out)
	}
	c, err := snmpconf.Load(snmpconf.Options{FS: os.DirFS("/"), Home: home})
	if err != nil {
		t.Fatal(err)
	}
	cfg := snmp.Config{Target: agent.Target, Version: snmp.Version(c.Version), Community: c.Community, Timeout: 2 * time.Second, Retries: 2}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, err := snmp.Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	vars, err := client.Get(ctx, []string{oidSysUpTime})
	if err != nil || !vars[0].Exists() {
		t.Fatalf("stg with the community snmp.conf holds: %v %v", vars, err)
	}
}

// TestNetSNMPAgreesV3HostFile: SNMPv3 credentials in ~/.snmp/snmp.conf
// and the agent's port in ~/.snmp/hosts/127.0.0.1.conf reach snmpsim
// through net-snmp's snmpget and through stg, and both read the same
// sysDescr.
func TestNetSNMPAgreesV3HostFile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpsimd")
	}
	user := agenttest.V3User{Name: "confuser", AuthProto: "SHA", AuthKey: "conf-auth-1234", PrivProto: "AES", PrivKey: "conf-priv-5678"}
	agent := agenttest.StartSnmpsim(t, "testdata/snmprec", agenttest.WithV3User(user))
	general := strings.Join([]string{
		"# SNMPv3 defaults for every router",
		"defVersion 3",
		"defSecurityName " + user.Name,
		"defSecurityLevel authPriv",
		"defAuthType SHA",
		"defAuthPassphrase " + user.AuthKey,
		"defPrivType AES",
		"defPrivPassphrase " + user.PrivKey,
		"defContext conftest",
	}, "\n") + "\n"
	hostFile := "defaultPort " + strconv.Itoa(agent.Target.Port) + "\n"

	if out, err := netsnmpGet(t, writeHome(t, map[string]string{"snmp.conf": general}), "127.0.0.1", oidSysDescr); err == nil {
		t.Fatalf("snmpget without the host file reached the agent on port 161, so the test proves nothing: %s", out)
	}
	home := writeHome(t, map[string]string{"snmp.conf": general, "hosts/127.0.0.1.conf": hostFile})
	out, err := netsnmpGet(t, home, "127.0.0.1", oidSysDescr)
	if err != nil {
		t.Fatalf("snmpget with snmp.conf and the host file: %v: %s", err, out)
	}
	got, c := stgGet(t, home, "127.0.0.1", 161)
	if !strings.Contains(out, `"`+got+`"`) || got == "" {
		t.Errorf("stg read sysDescr %q, snmpget printed %q", got, out)
	}
	if o, _ := c.Origin(snmpconf.SettingPort); !strings.HasSuffix(o.File, "/.snmp/hosts/127.0.0.1.conf") {
		t.Errorf("port origin %v, want the host file", o)
	}
}
