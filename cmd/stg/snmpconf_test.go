package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/record"
)

// writeHomeFiles writes files (path under home: text) with mode 0600,
// their directories 0700.
func writeHomeFiles(t *testing.T, home string, files map[string]string) {
	t.Helper()
	for path, text := range files {
		p := filepath.Join(home, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSnmpConfAgainstSnmpd: against net-snmp's own snmpd, stg polls with
// nothing on its command line but the router and the interface: the
// community, the SNMPv3 user and its passphrases, and the port come from
// ~/.snmp/snmp.conf and ~/.snmp/hosts/127.0.0.1.conf, as snmpget would
// read them; none of them shows in the output.
func TestSnmpConfAgainstSnmpd(t *testing.T) {
	agenttest.SkipShort(t, "snmpd")
	const sha, md5 = "conf-sha-user", "conf-md5-user"
	const authPass, privPass = "conf-auth-s3cret", "conf-priv-s3cret"
	agent := agenttest.StartSnmpd(t,
		agenttest.SnmpdUser{Name: sha, AuthProto: "SHA", AuthPass: authPass, PrivProto: "AES", PrivPass: privPass, MinLevel: "priv"},
		agenttest.SnmpdUser{Name: md5, AuthProto: "MD5", AuthPass: authPass, PrivProto: "DES", PrivPass: authPass, MinLevel: "priv"}) // defPassphrase gives both
	port := strconv.Itoa(agent.Target.Port)
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"v2c community in ~/.snmp/snmp.conf", map[string]string{".snmp/snmp.conf": "defCommunity " + agent.Community.Reveal() + "\n"}},
		{"v3 authPriv SHA/AES in the host file, port in snmp.conf", map[string]string{
			".snmp/snmp.conf": "defaultPort " + port + "\ndefCommunity wrong-community\n",
			".snmp/hosts/127.0.0.1.conf": "defVersion 3\ndefSecurityName " + sha + "\ndefSecurityLevel authPriv\ndefAuthType SHA\n" +
				"defAuthPassphrase " + authPass + "\ndefPrivType AES\ndefPrivPassphrase " + privPass + "\n",
		}},
		{"v3 passphrases without types: net-snmp's MD5/DES", map[string]string{
			".snmp/snmp.conf": "defaultPort " + port + "\ndefVersion 3\ndefSecurityName " + md5 + "\ndefPassphrase " + authPass + "\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			writeHomeFiles(t, home, tt.files)
			router := "127.0.0.1"
			if strings.Contains(tt.name, "v2c") {
				router += ":" + port
			}
			debug := filepath.Join(t.TempDir(), "debug.log")
			r := runStg(t, []string{"HOME=" + home}, "--router", router, "--if", "lo", "--count", "2", "-o", "csv", "--debug", debug)
			if r.code != 0 {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if _, err := record.ReadCSV(strings.NewReader(r.stdout)); err != nil || strings.Count(r.stdout, "\n") != 3 {
				t.Errorf("want a header and two rows (%v):\n%s", err, r.stdout)
			}
			log, _ := os.ReadFile(debug)
			if !strings.Contains(string(log), "snmp.conf: read "+filepath.Join(home, ".snmp", "snmp.conf")) || !strings.Contains(string(log), "snmp.conf: using ") {
				t.Errorf("the debug log does not say which files and keys were used:\n%s", log)
			}
			for _, secret := range []string{agent.Community.Reveal(), authPass, privPass} {
				if strings.Contains(r.stdout+r.stderr+string(log), secret) {
					t.Errorf("a secret shows in the output or the debug log")
				}
			}
		})
	}
	t.Run("a world-readable file with a secret is warned about", func(t *testing.T) {
		home := t.TempDir()
		writeHomeFiles(t, home, map[string]string{".snmp/snmp.conf": "defCommunity " + agent.Community.Reveal() + "\n"})
		conf := filepath.Join(home, ".snmp", "snmp.conf")
		if err := os.Chmod(conf, 0o644); err != nil {
			t.Fatal(err)
		}
		r := runStg(t, []string{"HOME=" + home}, "--router", agent.Addr(), "--if", "lo", "--count", "1", "-o", "csv")
		want := "stg: snmp.conf: " + conf + ":1: holds defCommunity but can be read by others (mode 0644): chmod 600 " + conf + "\n"
		if r.code != 0 || r.stderr != want {
			t.Errorf("exit %d, stderr %q; want 0 and %q", r.code, r.stderr, want)
		}
	})
}
