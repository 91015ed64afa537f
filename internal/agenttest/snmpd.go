package agenttest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// SnmpdPath is the net-snmp agent the tests run (Debian package snmpd).
var SnmpdPath = "/usr/sbin/snmpd"

// Snmpd is a running net-snmp snmpd serving this machine's real interfaces.
type Snmpd struct {
	// Target is the agent's address, udp on 127.0.0.1.
	Target snmp.Target
	// TCPTarget is the same agent over tcp, on the same port number.
	TCPTarget snmp.Target
	// Community is the read-only community for 127.0.0.1, random per agent.
	Community secret.Secret
	// LogFile is snmpd's log.
	LogFile string

	proc *process
}

// Addr returns the agent's "127.0.0.1:PORT".
func (s *Snmpd) Addr() string { return s.Target.Addr() }

// SnmpdUser is an SNMPv3 user of snmpd: a createUser line and a rouser
// line of its configuration.
type SnmpdUser struct {
	// Name is the security name (-u).
	Name string
	// AuthProto (MD5, SHA, SHA-224 ... SHA-512) and AuthPass give the user
	// an authentication key; empty for none.
	AuthProto, AuthPass string
	// PrivProto (DES, AES) and PrivPass give the user a privacy key; empty
	// for none.
	PrivProto, PrivPass string
	// MinLevel is the lowest security level rouser lets the user read at:
	// "noauth", "auth" or "priv".
	MinLevel string
}

// lines returns the user's snmpd.conf lines.
func (u SnmpdUser) lines() []string {
	create := "createUser " + u.Name
	if u.AuthProto != "" {
		create += fmt.Sprintf(" %s %q", u.AuthProto, u.AuthPass)
		if u.PrivProto != "" {
			create += fmt.Sprintf(" %s %q", u.PrivProto, u.PrivPass)
		}
	}
	return []string{create, "rouser " + u.Name + " " + u.MinLevel}
}

// StartSnmpd runs `snmpd -f -C -c CONF` with a minimal configuration of its
// own (agentAddress on a free loopback port, udp and tcp, one rocommunity
// for 127.0.0.1,
// the SNMPv3 users given, no SMUX, its state in a temp dir), waits until it
// answers an SNMP GET, and stops it when the test ends. Its interface
// counters come from the kernel through net-snmp's cache (refreshed about
// every 3 s).
func StartSnmpd(t testing.TB, users ...SnmpdUser) *Snmpd {
	t.Helper()
	path := program(t, "snmpd", SnmpdPath)
	community := "agenttest-" + randomHex(t, 6)
	dir := tempDir(t, "stg-snmpd-*", 0o700)
	s := &Snmpd{Community: secret.Secret(community), LogFile: filepath.Join(dir, "snmpd.log")}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port := FreeUDPPort(t)
		s.Target = loopback(port)
		s.TCPTarget = s.Target
		s.TCPTarget.Transport = snmp.TransportTCP
		conf := filepath.Join(dir, "snmpd.conf")
		lines := []string{
			"agentAddress udp:" + s.Target.Addr() + ",tcp:" + s.TCPTarget.Addr(),
			"rocommunity " + community + " 127.0.0.1",
		}
		for _, u := range users {
			lines = append(lines, u.lines()...)
		}
		if err := os.WriteFile(conf, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatalf("write snmpd.conf: %v", err)
		}
		args := []string{"-f", "-Lf", s.LogFile, "-C", "-c", conf, "-p", filepath.Join(dir, "snmpd.pid"), "-I", "-smux"}
		env := []string{"SNMP_PERSISTENT_DIR=" + dir, "MIBS=", "MIBDIRS=" + dir}
		p, err := startProcess("snmpd", path, args, env)
		if err != nil {
			t.Fatal(err)
		}
		ready := snmp.Config{Target: s.Target, Version: "2c", Community: s.Community}
		if lastErr = waitReady(p, ready, 10*time.Second); lastErr == nil {
			s.proc = p
			break
		}
		_ = p.stop()
		if log, err := os.ReadFile(s.LogFile); err == nil {
			lastErr = fmt.Errorf("%w; snmpd log:\n%s", lastErr, log)
		}
	}
	if lastErr != nil {
		t.Fatal(lastErr)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop snmpd: %v", err)
		}
	})
	return s
}

// Stop ends snmpd; it is safe to call more than once.
func (s *Snmpd) Stop() error {
	if s.proc == nil {
		return nil
	}
	return s.proc.stop()
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random community: %v", err)
	}
	return hex.EncodeToString(b)
}
