package cli

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stg-project/stg/snmp"
)

// machineOf is a machine's files by absolute path, each readable by its
// owner only unless its text starts with "0644 ".
func machineOf(files map[string]string) Files {
	m := fstest.MapFS{}
	for name, text := range files {
		mode := fstest.MapFile{Mode: 0o600}
		if rest, ok := strings.CutPrefix(text, "0644 "); ok {
			text, mode.Mode = rest, 0o644
		}
		mode.Data = []byte(text)
		m[strings.TrimPrefix(name, "/")] = &mode
	}
	return Files{FS: m}
}

const (
	homeSNMP = "/home/noc/.snmp/snmp.conf"
	etcSNMP  = "/etc/snmp/snmp.conf"
)

// TestSnmpConfFillsTheConfig: what net-snmp's snmp.conf files say fills
// what no flag and no STG_* variable set (flag > STG_* > host file >
// general files > stg's defaults), over snippets as engineers write them.
func TestSnmpConfFillsTheConfig(t *testing.T) {
	v3conf := "# SNMPv3 defaults\ndefVersion 3\ndefSecurityName monitor\ndefSecurityLevel authPriv\n" +
		"defAuthType SHA\ndefAuthPassphrase conf-auth-pass\ndefPrivType AES\ndefPrivPassphrase conf-priv-pass\n"
	tests := []struct {
		name  string
		files map[string]string
		args  []string
		env   map[string]string
		want  func(c snmp.Config) bool
	}{
		{"defCommunity", map[string]string{homeSNMP: "defCommunity fromfile\n"}, []string{"bras1", "1"}, nil,
			func(c snmp.Config) bool { return c.Community == "fromfile" && c.Version == "2c" }},
		{"-c beats defCommunity", map[string]string{homeSNMP: "defCommunity fromfile\n"}, []string{"-c", "flag", "bras1", "1"}, nil,
			func(c snmp.Config) bool { return c.Community == "flag" }},
		{"STG_COMMUNITY beats defCommunity", map[string]string{homeSNMP: "defCommunity fromfile\n"}, []string{"bras1", "1"},
			map[string]string{"STG_COMMUNITY": "env"}, func(c snmp.Config) bool { return c.Community == "env" }},
		{"~/.snmp beats /etc/snmp", map[string]string{etcSNMP: "defCommunity etc\ntimeout 4\n", homeSNMP: "defCommunity home\n"},
			[]string{"bras1", "1"}, nil, func(c snmp.Config) bool { return c.Community == "home" && c.Timeout == 4*time.Second }},
		{"host file beats the general files", map[string]string{homeSNMP: "defCommunity general\n",
			"/home/noc/.snmp/hosts/bras1.conf": "defCommunity forbras1\n"}, []string{"bras1", "1"}, nil,
			func(c snmp.Config) bool { return c.Community == "forbras1" }},
		{"another router's host file is not read", map[string]string{homeSNMP: "defCommunity general\n",
			"/home/noc/.snmp/hosts/bras1.conf": "defCommunity forbras1\n"}, []string{"bras2", "1"}, nil,
			func(c snmp.Config) bool { return c.Community == "general" }},
		{"v3 user and passphrases", map[string]string{homeSNMP: v3conf}, []string{"bras1", "1"}, nil, func(c snmp.Config) bool {
			return c.Version == "3" && c.SecName == "monitor" && c.SecLevel == "authPriv" && c.AuthProto == "SHA" &&
				c.AuthPass == "conf-auth-pass" && c.PrivProto == "AES" && c.PrivPass == "conf-priv-pass"
		}},
		{"passphrases without types get net-snmp's MD5 and DES", map[string]string{homeSNMP: "defVersion 3\ndefSecurityName monitor\n" +
			"defAuthPassphrase conf-auth-pass\ndefPrivPassphrase conf-priv-pass\n"}, []string{"bras1", "1"}, nil,
			func(c snmp.Config) bool {
				return c.AuthProto == "MD5" && c.PrivProto == "DES" && c.SecLevel == "authPriv"
			}},
		{"defPassphrase gives both", map[string]string{homeSNMP: "defVersion 3\ndefSecurityName monitor\ndefPassphrase conf-both-pass\n"},
			[]string{"bras1", "1"}, nil, func(c snmp.Config) bool { return c.AuthPass == "conf-both-pass" && c.PrivPass == "conf-both-pass" }},
		{"flags beat the files' v3 settings", map[string]string{homeSNMP: v3conf}, []string{"-u", "ops", "-a", "SHA-256", "-A", "flag-auth-pass", "bras1", "1"},
			map[string]string{"STG_PRIV_PASS": "env-priv-pass"}, func(c snmp.Config) bool {
				return c.SecName == "ops" && c.AuthProto == "SHA-256" && c.AuthPass == "flag-auth-pass" && c.PrivPass == "env-priv-pass" && c.PrivProto == "AES"
			}},
		{"-v 2c over a v3 file: the file's v3 settings are no error", map[string]string{homeSNMP: v3conf + "defCommunity c2\n"},
			[]string{"-v", "2c", "bras1", "1"}, nil, func(c snmp.Config) bool {
				return c.Version == "2c" && c.Community == "c2" && c.AuthPass == "" && c.SecName == ""
			}},
		{"defaultPort for a router without a port", map[string]string{homeSNMP: "defaultPort 1161\n"}, []string{"bras1", "1"}, nil,
			func(c snmp.Config) bool { return c.Target.Port == 1161 }},
		{"a router's own port beats defaultPort", map[string]string{homeSNMP: "defaultPort 1161\n"}, []string{"bras1:161", "1"}, nil,
			func(c snmp.Config) bool { return c.Target.Port == 161 }},
		{"a host file's transport", map[string]string{"/home/noc/.snmp/hosts/bras1.conf": "transport tcp:10.0.0.1:1161\n"},
			[]string{"bras1", "1"}, nil, func(c snmp.Config) bool {
				return c.Target == snmp.Target{Transport: "tcp", Host: "10.0.0.1", Port: 1161}
			}},
		{"timeout and retries; -t beats", map[string]string{homeSNMP: "timeout 3\nretries 1\n"}, []string{"-t", "2", "bras1", "1"}, nil,
			func(c snmp.Config) bool { return c.Timeout == 2*time.Second && c.Retries == 1 }},
		{"SNMPCONFPATH replaces the directories", map[string]string{homeSNMP: "defCommunity home\n", "/opt/snmp/snmp.conf": "defCommunity opt\n"},
			[]string{"bras1", "1"}, map[string]string{"SNMPCONFPATH": "/opt/snmp"}, func(c snmp.Config) bool { return c.Community == "opt" }},
		{"no files read without an FS", nil, []string{"bras1", "1"}, nil, func(c snmp.Config) bool { return c.Community == "public" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"HOME": "/home/noc"}
			for k, v := range tt.env {
				env[k] = v
			}
			p, err := ParsePoll(tt.args, envOf(env), machineOf(tt.files))
			if err != nil {
				t.Fatalf("ParsePoll: %v", err)
			}
			c := p.Session.SNMP
			if !tt.want(c) {
				t.Errorf("got %+v (community %q, passphrases %q %q)", c, c.Community.Reveal(), c.AuthPass.Reveal(), c.PrivPass.Reveal())
			}
			for _, line := range append(p.Sources, p.Warnings...) {
				for _, s := range []string{"fromfile", "forbras1", "conf-auth-pass", "conf-priv-pass", "conf-both-pass", "flag-auth-pass"} {
					if strings.Contains(line, s) {
						t.Errorf("%q shows a secret", line)
					}
				}
			}
		})
	}
}

// TestSnmpConfReport: the warnings name the file and line and go to
// stderr; the debug lines name every file read and every directive used
// or overridden, never a value; an error about a value from a file names
// the file.
func TestSnmpConfReport(t *testing.T) {
	files := machineOf(map[string]string{
		etcSNMP:  "0644 defCommunity world-readable-secret\nmibs +ALL\ndefCommunty typo\n",
		homeSNMP: "defVersion 2c\n",
	})
	p, err := ParsePoll([]string{"-c", "flag", "bras1", "1"}, envOf(map[string]string{"HOME": "/home/noc"}), files)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(p.Warnings, "\n")
	for _, want := range []string{"snmp.conf: /etc/snmp/snmp.conf:1: holds defCommunity but can be read by others", "snmp.conf: /etc/snmp/snmp.conf:3:"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings %q lack %q", p.Warnings, want)
		}
	}
	debug := strings.Join(p.Sources, "\n")
	for _, want := range []string{"snmp.conf: read /etc/snmp/snmp.conf", "snmp.conf: read /home/noc/.snmp/snmp.conf",
		"snmp.conf: using defVersion (/home/noc/.snmp/snmp.conf:1)", "snmp.conf: not using defCommunity (/etc/snmp/snmp.conf:1)"} {
		if !strings.Contains(debug, want) {
			t.Errorf("debug lines lack %q:\n%s", want, debug)
		}
	}
	if strings.Contains(joined+debug, "world-readable-secret") {
		t.Errorf("the community shows:\n%s\n%s", joined, debug)
	}

	short := machineOf(map[string]string{homeSNMP: "defVersion 3\ndefSecurityName ops\ndefAuthPassphrase short\n"})
	_, err = ParsePoll([]string{"bras1", "1"}, envOf(map[string]string{"HOME": "/home/noc"}), short)
	if err == nil || !strings.Contains(err.Error(), "shorter than 8") || !strings.Contains(err.Error(), "defAuthPassphrase (/home/noc/.snmp/snmp.conf:3)") ||
		strings.Contains(err.Error(), "short\"") {
		t.Errorf("short passphrase in a file: %v", err)
	}
	noName := machineOf(map[string]string{homeSNMP: "defVersion 3\n"})
	_, err = ParsePoll([]string{"bras1", "1"}, envOf(map[string]string{"HOME": "/home/noc"}), noName)
	if err == nil || !strings.Contains(err.Error(), "-v 3 needs a security name") || !strings.Contains(err.Error(), "defVersion (/home/noc/.snmp/snmp.conf:1)") {
		t.Errorf("v3 from a file without a name: %v", err)
	}
}
