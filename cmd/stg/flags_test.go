package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/stg-project/stg/secret"
)

// envOf returns an env backed by a map: a key in the map is set, even to
// "".
func envOf(m map[string]string) env {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestParseOptions(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(t *testing.T, o *options)
	}{
		{"defaults", []string{"--router", "r1", "--if", "Gi0/1"}, nil, func(t *testing.T, o *options) {
			want := &options{
				Router: "r1", Ifaces: []string{"Gi0/1"}, Version: "2c", Community: "public",
				AuthProto: "SHA", PrivProto: "AES", Timeout: time.Second, Retries: 5, Interval: time.Second,
				Output: "auto", Counters: "auto", Window: 5 * time.Minute, Resolve: "auto", SSHPort: 22,
			}
			if !reflect.DeepEqual(o, want) {
				t.Errorf("got  %+v\nwant %+v", o, want)
			}
		}},
		{"positional router and interfaces", []string{"udp:10.0.0.1:1161", "Gi0/1", "Vi1.195"}, nil, func(t *testing.T, o *options) {
			if o.Router != "udp:10.0.0.1:1161" || !reflect.DeepEqual(o.Ifaces, []string{"Gi0/1", "Vi1.195"}) {
				t.Errorf("router %q ifaces %q", o.Router, o.Ifaces)
			}
		}},
		{"positional plus --if", []string{"r1", "Gi0/1", "--if", "Gi0/2"}, nil, func(t *testing.T, o *options) {
			if !reflect.DeepEqual(o.Ifaces, []string{"Gi0/1", "Gi0/2"}) {
				t.Errorf("ifaces %q", o.Ifaces)
			}
		}},
		{"positional router with --user", []string{"bras1", "--user", "MyUserName"}, nil, func(t *testing.T, o *options) {
			if o.Router != "bras1" || !reflect.DeepEqual(o.Users, []string{"MyUserName"}) || len(o.Ifaces) != 0 {
				t.Errorf("router %q users %q ifaces %q", o.Router, o.Users, o.Ifaces)
			}
		}},
		{"repeated --user and --if together", []string{"--router", "b", "--user", "a", "--user", "b@isp", "--if", "Gi0/1"}, nil, func(t *testing.T, o *options) {
			if !reflect.DeepEqual(o.Users, []string{"a", "b@isp"}) || !reflect.DeepEqual(o.Ifaces, []string{"Gi0/1"}) {
				t.Errorf("users %q ifaces %q", o.Users, o.Ifaces)
			}
		}},
		{"interval bare seconds", []string{"r", "1", "-i", "0.5"}, nil, func(t *testing.T, o *options) {
			if o.Interval != 500*time.Millisecond {
				t.Errorf("interval %v", o.Interval)
			}
		}},
		{"interval duration", []string{"r", "1", "--interval", "500ms"}, nil, func(t *testing.T, o *options) {
			if o.Interval != 500*time.Millisecond {
				t.Errorf("interval %v", o.Interval)
			}
		}},
		{"interval 2s attached", []string{"r", "1", "-i2s"}, nil, func(t *testing.T, o *options) {
			if o.Interval != 2*time.Second {
				t.Errorf("interval %v", o.Interval)
			}
		}},
		{"timeout bare seconds and duration", []string{"r", "1", "-t", "3", "--duration", "2s", "--count", "5", "--window", "1m"}, nil, func(t *testing.T, o *options) {
			if o.Timeout != 3*time.Second || o.Duration != 2*time.Second || o.Count != 5 || o.Window != time.Minute {
				t.Errorf("timeout %v duration %v count %d window %v", o.Timeout, o.Duration, o.Count, o.Window)
			}
		}},
		{"net-snmp attached letters", []string{"-v1", "-cs3cret", "r", "1", "-r1"}, nil, func(t *testing.T, o *options) {
			if o.Version != "1" || o.Community.Reveal() != "s3cret" || o.Retries != 1 {
				t.Errorf("version %q community %q retries %d", o.Version, o.Community.Reveal(), o.Retries)
			}
		}},
		{"community from env", []string{"r", "1"}, map[string]string{"STG_COMMUNITY": "envcomm"}, func(t *testing.T, o *options) {
			if o.Community.Reveal() != "envcomm" {
				t.Errorf("community %q, want the env value", o.Community.Reveal())
			}
		}},
		{"flag community wins over env", []string{"r", "1", "-c", "flagcomm"}, map[string]string{"STG_COMMUNITY": "envcomm"}, func(t *testing.T, o *options) {
			if o.Community.Reveal() != "flagcomm" {
				t.Errorf("community %q, want the flag value", o.Community.Reveal())
			}
		}},
		{"v3 authPriv inferred from env passphrases", []string{"-v", "3", "-u", "ops", "r", "1"},
			map[string]string{"STG_AUTH_PASS": "authpass1", "STG_PRIV_PASS": "privpass1", "STG_SSH_PASS": "sshpass"}, func(t *testing.T, o *options) {
				if o.SecLevel != "authPriv" || o.AuthPass.Reveal() != "authpass1" || o.PrivPass.Reveal() != "privpass1" || o.SSHPass.Reveal() != "sshpass" {
					t.Errorf("level %q auth %q priv %q ssh %q", o.SecLevel, o.AuthPass.Reveal(), o.PrivPass.Reveal(), o.SSHPass.Reveal())
				}
			}},
		{"v3 flag passphrases win over env", []string{"-v3", "-u", "ops", "-A", "flagauth1", "-X", "flagpriv1", "r", "1"},
			map[string]string{"STG_AUTH_PASS": "envauth1", "STG_PRIV_PASS": "envpriv1"}, func(t *testing.T, o *options) {
				if o.AuthPass.Reveal() != "flagauth1" || o.PrivPass.Reveal() != "flagpriv1" {
					t.Errorf("auth %q priv %q", o.AuthPass.Reveal(), o.PrivPass.Reveal())
				}
			}},
		{"v3 authNoPriv with protocol spellings", []string{"-v", "3", "-u", "ops", "-l", "auth", "-a", "sha256", "-x", "aes256c", "-A", "authpass1", "r", "1"}, nil, func(t *testing.T, o *options) {
			if o.SecLevel != "authNoPriv" || o.AuthProto != "SHA-256" || o.PrivProto != "AES-256-C" {
				t.Errorf("level %q auth %q priv %q", o.SecLevel, o.AuthProto, o.PrivProto)
			}
		}},
		{"v3 noAuthNoPriv", []string{"-v", "3", "-u", "ops", "-n", "vrf1", "r", "1"}, nil, func(t *testing.T, o *options) {
			if o.SecLevel != "noAuthNoPriv" || o.Context != "vrf1" {
				t.Errorf("level %q context %q", o.SecLevel, o.Context)
			}
		}},
		{"output and resolution flags", []string{"r", "1", "-o", "jsonl", "--log", "x.csv", "--debug", "d.log", "--counters", "32", "--bytes",
			"--resolve", "ssh", "--ssh-user", "noc", "--ssh-port", "2222", "--known-hosts", "kh", "--ssh-accept-new", "--ssh-legacy"}, nil, func(t *testing.T, o *options) {
			want := options{Output: "jsonl", LogPath: "x.csv", Debug: "d.log", Counters: "32", Bytes: true,
				Resolve: "ssh", SSHUser: "noc", SSHPort: 2222, KnownHosts: "kh", SSHAcceptNew: true, SSHLegacy: true}
			got := options{Output: o.Output, LogPath: o.LogPath, Debug: o.Debug, Counters: o.Counters, Bytes: o.Bytes,
				Resolve: o.Resolve, SSHUser: o.SSHUser, SSHPort: o.SSHPort, KnownHosts: o.KnownHosts, SSHAcceptNew: o.SSHAcceptNew, SSHLegacy: o.SSHLegacy}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		}},
		{"ifIndex as interface", []string{"r", "42"}, nil, func(t *testing.T, o *options) {
			if !reflect.DeepEqual(o.Ifaces, []string{"42"}) {
				t.Errorf("ifaces %q", o.Ifaces)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseOptions(tt.args, envOf(tt.env))
			if err != nil {
				t.Fatalf("parseOptions(%q): %v", tt.args, err)
			}
			tt.check(t, o)
		})
	}
}

func TestParseOptionsErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string // substring of the one-line reason
	}{
		{"nothing at all", nil, nil, "no router"},
		{"router but no target", []string{"--router", "r1"}, nil, "add --if IFACE or --user USERNAME"},
		{"positional router but no target", []string{"r1"}, nil, "add --if IFACE or --user USERNAME"},
		{"positional with --router", []string{"--router", "r1", "Gi0/1"}, nil, `unexpected argument "Gi0/1"`},
		{"unknown flag", []string{"r", "1", "--colour"}, nil, "unknown flag: --colour"},
		{"unknown letter", []string{"r", "1", "-Z"}, nil, "unknown shorthand flag"},
		{"flag without value", []string{"r", "1", "--count"}, nil, "needs an argument"},
		{"interval 0", []string{"r", "1", "-i", "0"}, nil, "--interval must be above 0"},
		{"interval negative", []string{"r", "1", "-i", "-1s"}, nil, "--interval must be above 0"},
		{"interval too short", []string{"r", "1", "-i", "10ms"}, nil, "minimum"},
		{"interval not a duration", []string{"r", "1", "-i", "fast"}, nil, "want seconds"},
		{"interval NaN", []string{"r", "1", "-i", "NaN"}, nil, "want seconds"},
		{"count negative", []string{"r", "1", "--count", "-1"}, nil, "--count"},
		{"count not a number", []string{"r", "1", "--count", "many"}, nil, "--count"},
		{"duration negative", []string{"r", "1", "--duration", "-5s"}, nil, "--duration"},
		{"window zero", []string{"r", "1", "--window", "0"}, nil, "--window"},
		{"timeout zero", []string{"r", "1", "-t", "0"}, nil, "-t must be above 0"},
		{"retries negative", []string{"r", "1", "-r", "-1"}, nil, "-r must be"},
		{"bad output", []string{"r", "1", "-o", "xml"}, nil, `bad -o "xml"`},
		{"bad counters", []string{"r", "1", "--counters", "16"}, nil, "--counters"},
		{"bad resolve", []string{"r", "1", "--resolve", "telnet"}, nil, "--resolve"},
		{"bad ssh port", []string{"r", "1", "--ssh-port", "70000"}, nil, "--ssh-port"},
		{"bad version", []string{"r", "1", "-v", "4"}, nil, `bad -v "4"`},
		{"v1 with 64-bit counters", []string{"r", "1", "-v", "1", "--counters", "64"}, nil, "SNMPv1 has no 64-bit"},
		{"v3 option without -v 3", []string{"r", "1", "-u", "ops"}, nil, "-u is an SNMPv3 option: add -v 3"},
		{"v3 without security name", []string{"r", "1", "-v", "3"}, nil, "add -u NAME"},
		{"bad level", []string{"r", "1", "-v", "3", "-u", "x", "-l", "paranoid"}, nil, `bad -l "paranoid"`},
		{"bad auth proto", []string{"r", "1", "-v", "3", "-u", "x", "-a", "SHA3"}, nil, `bad -a "SHA3"`},
		{"bad priv proto", []string{"r", "1", "-v", "3", "-u", "x", "-x", "3DES"}, nil, `bad -x "3DES"`},
		{"authNoPriv without passphrase", []string{"r", "1", "-v", "3", "-u", "x", "-l", "authNoPriv"}, nil, "add -A PASS"},
		{"authPriv without privacy passphrase", []string{"r", "1", "-v", "3", "-u", "x", "-l", "authPriv", "-A", "longenough"}, nil, "add -X PASS"},
		{"short auth passphrase", []string{"r", "1", "-v", "3", "-u", "x", "-A", "short"}, nil, "shorter than 8"},
		{"short priv passphrase from env", []string{"r", "1", "-v", "3", "-u", "x", "-A", "longenough"}, map[string]string{"STG_PRIV_PASS": "tiny"}, "shorter than 8"},
		{"duplicate target", []string{"r", "Gi0/1", "--if", "Gi0/1"}, nil, "given twice"},
		{"empty --if", []string{"--router", "r", "--if", ""}, nil, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseOptions(tt.args, envOf(tt.env))
			if err == nil {
				t.Fatalf("parseOptions(%q) = %+v, want an error", tt.args, o)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") || strings.HasPrefix(err.Error(), "pflag:") {
				t.Errorf("error is not one clean line: %q", err)
			}
		})
	}
}

func TestParseOptionsHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"r", "1", "--help"}} {
		if _, err := parseOptions(args, envOf(nil)); !errors.Is(err, errHelp) {
			t.Errorf("parseOptions(%q) error = %v, want errHelp", args, err)
		}
	}
}

func TestSecretsNeverShow(t *testing.T) {
	const leak = "s3cr3t-community"
	o, err := parseOptions([]string{"-v3", "-u", "ops", "-A", leak, "-X", leak, "r", "1"}, envOf(map[string]string{"STG_COMMUNITY": leak}))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(format, o); strings.Contains(got, leak) {
			t.Errorf("fmt %s of options shows the secret: %s", format, got)
		}
	}
	var help strings.Builder
	usage(&help)
	if strings.Contains(help.String(), leak) {
		t.Error("usage shows a secret")
	}
	if got := secret.Redact("auth failed for "+leak+" on r", o.Community, o.AuthPass, o.PrivPass, o.SSHPass); strings.Contains(got, leak) {
		t.Errorf("Redact left the secret: %q", got)
	}
	if (*secretValue)(&o.AuthPass).String() != secret.Secret("x").String() {
		t.Errorf("secretValue.String() = %q", (*secretValue)(&o.AuthPass).String())
	}
}

func TestUsageListsEveryFlag(t *testing.T) {
	var help strings.Builder
	usage(&help)
	fs, _ := newFlagSets(&options{})
	fs.VisitAll(func(f *pflag.Flag) {
		if !strings.Contains(help.String(), "--"+f.Name) {
			t.Errorf("usage does not mention --%s", f.Name)
		}
		if f.Shorthand != "" && !strings.Contains(help.String(), "-"+f.Shorthand+", --"+f.Name) {
			t.Errorf("usage does not show -%s for --%s", f.Shorthand, f.Name)
		}
	})
}
