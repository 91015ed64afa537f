package snmp_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// The SNMPv3 users of the net-snmp agent in TestSnmpdV3Errors.
var (
	// v3AuthOnly has no privacy key; it may read at authNoPriv and above.
	v3AuthOnly = agenttest.SnmpdUser{Name: "stg-authonly", AuthProto: "SHA", AuthPass: "authonly-pass-x7", MinLevel: "auth"}
	// v3Priv has both keys and may read at authPriv only.
	v3Priv = agenttest.SnmpdUser{Name: "stg-priv", AuthProto: "SHA", AuthPass: "priv-authpass-x7",
		PrivProto: "AES", PrivPass: "priv-privpass-x7", MinLevel: "priv"}
)

// v3Of is the configuration of u on agent at level, with u's passphrases.
func v3Of(agent *agenttest.Snmpd, u agenttest.SnmpdUser, level string) snmp.Config {
	return snmp.Config{Target: agent.Target, Version: "3", SecName: u.Name, SecLevel: level,
		AuthProto: "SHA", AuthPass: secret.Secret(u.AuthPass), PrivProto: "AES", PrivPass: secret.Secret(u.PrivPass),
		Timeout: 500 * time.Millisecond}
}

// TestSnmpdV3Errors probes net-snmp's snmpd with each SNMPv3 mistake a
// user makes and checks that the error names what the agent reported and
// the flag to change, as snmpget does ("Unsupported security level",
// "Unknown user name", "Authentication failure", "authorizationError"),
// in one line without a secret.
func TestSnmpdV3Errors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpd")
	}
	t.Parallel()
	agent := agenttest.StartSnmpd(t, v3AuthOnly, v3Priv)
	with := func(cfg snmp.Config, change func(*snmp.Config)) snmp.Config {
		change(&cfg)
		return cfg
	}
	tests := []struct {
		name string
		cfg  snmp.Config
		want []string // each must be in the error
		// timeout is true when the agent stays silent (a wrong privacy
		// key: it cannot decrypt the request and sends no report).
		timeout bool
	}{
		{"authPriv for a user without a privacy key",
			with(v3Of(agent, v3AuthOnly, "authPriv"), func(c *snmp.Config) { c.PrivPass = "some-privpass-x7" }),
			[]string{`does not allow SNMPv3 user "stg-authonly" at level authPriv`, "no privacy key", "usmStatsUnsupportedSecLevels", "use -l authNoPriv"}, false},
		{"unknown user at authPriv", with(v3Of(agent, v3Priv, "authPriv"), func(c *snmp.Config) { c.SecName = "nobody-here" }),
			[]string{`the agent has no SNMPv3 user "nobody-here"`, "usmStatsUnknownUserNames", "check the security name (-u)"}, false},
		{"unknown user at noAuthNoPriv", with(v3Of(agent, v3Priv, "noAuthNoPriv"), func(c *snmp.Config) { c.SecName = "nobody-here" }),
			[]string{`the agent has no SNMPv3 user "nobody-here"`, "check the security name (-u)"}, false},
		{"wrong authentication passphrase", with(v3Of(agent, v3Priv, "authPriv"), func(c *snmp.Config) { c.AuthPass = "wrong-authpass-x7" }),
			[]string{`SNMPv3 authentication failed for user "stg-priv"`, "usmStatsWrongDigests", "passphrase (-A) and protocol (-a, now SHA)"}, false},
		{"wrong authentication protocol", with(v3Of(agent, v3Priv, "authPriv"), func(c *snmp.Config) { c.AuthProto = "MD5" }),
			[]string{"usmStatsWrongDigests", "(-a, now MD5)"}, false},
		{"authNoPriv below the user's rouser minimum", v3Of(agent, v3Priv, "authNoPriv"),
			[]string{"AuthorizationError", `no read access at level authNoPriv`, "use -l authPriv (with -X)"}, false},
		{"noAuthNoPriv below the user's rouser minimum", v3Of(agent, v3AuthOnly, "noAuthNoPriv"),
			[]string{"AuthorizationError", `no read access at level noAuthNoPriv`, "use -l authNoPriv (with -A)"}, false},
		{"wrong privacy passphrase", with(v3Of(agent, v3Priv, "authPriv"), func(c *snmp.Config) { c.PrivPass = "wrong-privpass-x7" }),
			[]string{"answered SNMPv3 engine discovery", "privacy protocol and passphrase (-x, -X)"}, true},
	}
	for _, tt := range tests {
		for _, tcp := range []bool{false, true} {
			if tcp && tt.timeout {
				continue // the same silence over tcp, twice as slow a test
			}
			name := tt.name
			if tcp {
				name += " over tcp"
				tt.cfg.Target = agent.TCPTarget
			}
			t.Run(name, func(t *testing.T) {
				checkV3Error(t, tt.cfg, tt.want, tt.timeout, !strings.Contains(tt.name, "authentication"))
			})
		}
	}
	t.Run("the right settings", func(t *testing.T) {
		for _, cfg := range []snmp.Config{v3Of(agent, v3Priv, "authPriv"), v3Of(agent, v3AuthOnly, "authNoPriv")} {
			if err := snmp.Probe(itCtx(t, 30*time.Second), itDial(t, cfg)); err != nil {
				t.Errorf("%s at %s: %v", cfg.SecName, cfg.SecLevel, err)
			}
		}
	})
}

// checkV3Error probes with cfg and checks the error: it says each of want,
// is a timeout or not as the case says, blames the authentication only
// when it may, spans one line and shows no secret.
func checkV3Error(t *testing.T, cfg snmp.Config, want []string, timeout, notAuth bool) {
	t.Helper()
	c := itDial(t, cfg)
	err := snmp.Probe(itCtx(t, 30*time.Second), c)
	if err == nil {
		t.Fatal("Probe succeeded")
	}
	t.Logf("Probe: %v", err)
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not say %q", msg, w)
		}
	}
	if errors.Is(err, snmp.ErrTimeout) != timeout {
		t.Errorf("errors.Is(err, ErrTimeout) = %v, want %v", !timeout, timeout)
	}
	if !timeout && notAuth && strings.Contains(msg, "authentication failed") {
		t.Errorf("error %q blames the authentication", msg)
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error spans several lines: %q", msg)
	}
	for _, s := range []secret.Secret{cfg.AuthPass, cfg.PrivPass} {
		if s != "" && strings.Contains(msg, s.Reveal()) {
			t.Errorf("error %q leaks a secret", msg)
		}
	}
}
