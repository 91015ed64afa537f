package cli

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/session"
	"github.com/stg-project/stg/snmp"
)

// envOf returns a LookupEnv backed by a map: a key in the map is set, even
// to "".
func envOf(m map[string]string) LookupEnv {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestParsePoll(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(t *testing.T, p *PollSettings)
	}{
		{"defaults", []string{"--router", "r1", "--if", "Gi0/1"}, nil, func(t *testing.T, p *PollSettings) {
			want := &PollSettings{
				Session: session.Config{
					Router: "r1", Ifaces: []string{"Gi0/1"},
					SNMP: snmp.Config{Target: snmp.Target{Transport: "udp", Host: "r1", Port: 161}, Version: "2c", Community: "public",
						AuthProto: "SHA", PrivProto: "AES", Timeout: time.Second, Retries: 5},
					Interval: time.Second, Counters: "auto", Resolve: "auto", SSH: session.SSH{Port: 22},
				},
				Output: "auto", Window: 5 * time.Minute,
			}
			if !reflect.DeepEqual(p, want) {
				t.Errorf("got  %+v\nwant %+v", p, want)
			}
		}},
		{"positional router and interfaces", []string{"udp:10.0.0.1:1161", "Gi0/1", "Vi1.195"}, nil, func(t *testing.T, p *PollSettings) {
			if p.Session.Router != "udp:10.0.0.1:1161" || !reflect.DeepEqual(p.Session.Ifaces, []string{"Gi0/1", "Vi1.195"}) {
				t.Errorf("router %q ifaces %q", p.Session.Router, p.Session.Ifaces)
			}
		}},
		{"positional plus --if", []string{"r1", "Gi0/1", "--if", "Gi0/2"}, nil, func(t *testing.T, p *PollSettings) {
			if !reflect.DeepEqual(p.Session.Ifaces, []string{"Gi0/1", "Gi0/2"}) {
				t.Errorf("ifaces %q", p.Session.Ifaces)
			}
		}},
		{"positional router with --user", []string{"bras1", "--user", "MyUserName"}, nil, func(t *testing.T, p *PollSettings) {
			if p.Session.Router != "bras1" || !reflect.DeepEqual(p.Session.Users, []string{"MyUserName"}) || len(p.Session.Ifaces) != 0 {
				t.Errorf("router %q users %q ifaces %q", p.Session.Router, p.Session.Users, p.Session.Ifaces)
			}
		}},
		{"repeated --user and --if together", []string{"--router", "b", "--user", "a", "--user", "b@isp", "--if", "Gi0/1"}, nil, func(t *testing.T, p *PollSettings) {
			if !reflect.DeepEqual(p.Session.Users, []string{"a", "b@isp"}) || !reflect.DeepEqual(p.Session.Ifaces, []string{"Gi0/1"}) {
				t.Errorf("users %q ifaces %q", p.Session.Users, p.Session.Ifaces)
			}
		}},
		{"interval bare seconds", []string{"r", "1", "-i", "0.5"}, nil, func(t *testing.T, p *PollSettings) {
			if p.Session.Interval != 500*time.Millisecond {
				t.Errorf("interval %v", p.Session.Interval)
			}
		}},
		{"interval duration", []string{"r", "1", "--interval", "500ms"}, nil, func(t *testing.T, p *PollSettings) {
			if p.Session.Interval != 500*time.Millisecond {
				t.Errorf("interval %v", p.Session.Interval)
			}
		}},
		{"interval 2s attached", []string{"r", "1", "-i2s"}, nil, func(t *testing.T, p *PollSettings) {
			if p.Session.Interval != 2*time.Second {
				t.Errorf("interval %v", p.Session.Interval)
			}
		}},
		{"timeout bare seconds and duration", []string{"r", "1", "-t", "3", "--duration", "2s", "--count", "5", "--window", "1m"}, nil, func(t *testing.T, p *PollSettings) {
			if p.Session.SNMP.Timeout != 3*time.Second || p.Session.Duration != 2*time.Second || p.Session.Count != 5 || p.Window != time.Minute {
				t.Errorf("timeout %v duration %v count %d window %v", p.Session.SNMP.Timeout, p.Session.Duration, p.Session.Count, p.Window)
			}
		}},
		{"net-snmp attached letters", []string{"-v1", "-cs3cret", "r", "1", "-r1"}, nil, func(t *testing.T, p *PollSettings) {
			if p.Session.SNMP.Version != "1" || p.Session.SNMP.Community.Reveal() != "s3cret" || p.Session.SNMP.Retries != 1 {
				t.Errorf("version %q community %q retries %d", p.Session.SNMP.Version, p.Session.SNMP.Community.Reveal(), p.Session.SNMP.Retries)
			}
		}},
		{"community from env", []string{"r", "1"}, map[string]string{"STG_COMMUNITY": "envcomm"}, func(t *testing.T, p *PollSettings) {
			if p.Session.SNMP.Community.Reveal() != "envcomm" {
				t.Errorf("community %q, want the env value", p.Session.SNMP.Community.Reveal())
			}
		}},
		{"flag community wins over env", []string{"r", "1", "-c", "flagcomm"}, map[string]string{"STG_COMMUNITY": "envcomm"}, func(t *testing.T, p *PollSettings) {
			if p.Session.SNMP.Community.Reveal() != "flagcomm" {
				t.Errorf("community %q, want the flag value", p.Session.SNMP.Community.Reveal())
			}
		}},
		{"v3 authPriv inferred from env passphrases", []string{"-v", "3", "-u", "ops", "r", "1"},
			map[string]string{"STG_AUTH_PASS": "authpass1", "STG_PRIV_PASS": "privpass1", "STG_SSH_PASS": "sshpass"}, func(t *testing.T, p *PollSettings) {
				if p.Session.SNMP.SecLevel != "authPriv" || p.Session.SNMP.AuthPass.Reveal() != "authpass1" || p.Session.SNMP.PrivPass.Reveal() != "privpass1" || p.Session.SSH.Password.Reveal() != "sshpass" {
					t.Errorf("level %q auth %q priv %q ssh %q", p.Session.SNMP.SecLevel, p.Session.SNMP.AuthPass.Reveal(), p.Session.SNMP.PrivPass.Reveal(), p.Session.SSH.Password.Reveal())
				}
			}},
		{"v3 flag passphrases win over env", []string{"-v3", "-u", "ops", "-A", "flagauth1", "-X", "flagpriv1", "r", "1"},
			map[string]string{"STG_AUTH_PASS": "envauth1", "STG_PRIV_PASS": "envpriv1"}, func(t *testing.T, p *PollSettings) {
				if p.Session.SNMP.AuthPass.Reveal() != "flagauth1" || p.Session.SNMP.PrivPass.Reveal() != "flagpriv1" {
					t.Errorf("auth %q priv %q", p.Session.SNMP.AuthPass.Reveal(), p.Session.SNMP.PrivPass.Reveal())
				}
			}},
		{"v3 authNoPriv with protocol spellings", []string{"-v", "3", "-u", "ops", "-l", "auth", "-a", "sha256", "-x", "aes256c", "-A", "authpass1", "r", "1"}, nil, func(t *testing.T, p *PollSettings) {
			if p.Session.SNMP.SecLevel != "authNoPriv" || p.Session.SNMP.AuthProto != "SHA-256" || p.Session.SNMP.PrivProto != "AES-256-C" {
				t.Errorf("level %q auth %q priv %q", p.Session.SNMP.SecLevel, p.Session.SNMP.AuthProto, p.Session.SNMP.PrivProto)
			}
		}},
		{"v3 noAuthNoPriv", []string{"-v", "3", "-u", "ops", "-n", "vrf1", "r", "1"}, nil, func(t *testing.T, p *PollSettings) {
			if p.Session.SNMP.SecLevel != "noAuthNoPriv" || p.Session.SNMP.Context != "vrf1" {
				t.Errorf("level %q context %q", p.Session.SNMP.SecLevel, p.Session.SNMP.Context)
			}
		}},
		{"output and resolution flags", []string{"r", "1", "-o", "jsonl", "--log", "x.csv", "--debug", "d.log", "--counters", "32", "--bytes",
			"--resolve", "ssh", "--ssh-user", "noc", "--ssh-port", "2222", "--known-hosts", "kh", "--ssh-accept-new", "--ssh-legacy"}, nil, func(t *testing.T, p *PollSettings) {
			type flags struct {
				output, log, debug string
				counters           snmp.CounterMode
				bytes              bool
				resolve            session.ResolveMode
				ssh                session.SSH
			}
			want := flags{"jsonl", "x.csv", "d.log", "32", true, "ssh", session.SSH{User: "noc", Port: 2222, KnownHosts: "kh", AcceptNew: true, Legacy: true}}
			got := flags{string(p.Output), p.LogPath, p.DebugPath, p.Session.Counters, p.Bytes, p.Session.Resolve, p.Session.SSH}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		}},
		{"ifIndex as interface", []string{"r", "42"}, nil, func(t *testing.T, p *PollSettings) {
			if !reflect.DeepEqual(p.Session.Ifaces, []string{"42"}) {
				t.Errorf("ifaces %q", p.Session.Ifaces)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePoll(tt.args, envOf(tt.env), Files{})
			if err != nil {
				t.Fatalf("ParsePoll(%q): %v", tt.args, err)
			}
			tt.check(t, p)
		})
	}
}

func TestParsePollErrors(t *testing.T) {
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
			p, err := ParsePoll(tt.args, envOf(tt.env), Files{})
			if err == nil {
				t.Fatalf("ParsePoll(%q) = %+v, want an error", tt.args, p)
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

func TestParsePollHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"r", "1", "--help"}} {
		if _, err := ParsePoll(args, envOf(nil), Files{}); !errors.Is(err, ErrHelp) {
			t.Errorf("ParsePoll(%q) error = %v, want ErrHelp", args, err)
		}
	}
}

func TestSecretsNeverShow(t *testing.T) {
	const leak = "s3cr3t-community"
	p, err := ParsePoll([]string{"-v3", "-u", "ops", "-A", leak, "-X", leak, "r", "1"}, envOf(map[string]string{"STG_COMMUNITY": leak, "STG_SSH_PASS": leak}), Files{})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(format, p); strings.Contains(got, leak) {
			t.Errorf("fmt %s of options shows the secret: %s", format, got)
		}
	}
	var help strings.Builder
	Usage(&help)
	if strings.Contains(help.String(), leak) {
		t.Error("usage shows a secret")
	}
	if got := secret.Redact("auth failed for "+leak+" on r", append(p.Session.SNMP.Secrets(), p.Session.SSH.Password)...); strings.Contains(got, leak) {
		t.Errorf("Redact left the secret: %q", got)
	}
	if v := secretValue(p.Session.SNMP.AuthPass); v.String() != secret.Secret("x").String() {
		t.Errorf("secretValue.String() = %q", v.String())
	}
}

func TestUsageListsEveryFlag(t *testing.T) {
	var help strings.Builder
	Usage(&help)
	fs := Poll.flagSet()
	fs.VisitAll(func(f *pflag.Flag) {
		if !strings.Contains(help.String(), "--"+f.Name) {
			t.Errorf("usage does not mention --%s", f.Name)
		}
		if f.Shorthand != "" && !strings.Contains(help.String(), "-"+f.Shorthand+", --"+f.Name) {
			t.Errorf("usage does not show -%s for --%s", f.Shorthand, f.Name)
		}
	})
}

func TestSnmpConfigCarriesEveryOption(t *testing.T) {
	p, err := ParsePoll([]string{"-v3", "-u", "ops", "-A", "authpass1", "-X", "privpass1", "-a", "SHA-512", "-x", "AES-256-C",
		"-n", "vrf1", "-t", "0.7", "-r", "1", "udp6:[::1]:1161", "1"}, envOf(nil), Files{})
	if err != nil {
		t.Fatal(err)
	}
	target, err := snmp.ParseTarget(p.Session.Router)
	if err != nil {
		t.Fatal(err)
	}
	cfg := p.Session.SNMP
	want := snmp.Config{Target: target, Version: "3", SecLevel: "authPriv", SecName: "ops", AuthProto: "SHA-512", AuthPass: "authpass1",
		PrivProto: "AES-256-C", PrivPass: "privpass1", Context: "vrf1", Timeout: 700 * time.Millisecond, Retries: 1}
	if cfg != want {
		t.Errorf("config\n%+v\nwant\n%+v", cfg, want)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestCacheDir(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"STG_CACHE_DIR": "/x", "XDG_CACHE_HOME": "/y", "HOME": "/h"}, "/x"},
		{map[string]string{"XDG_CACHE_HOME": "/y", "HOME": "/h"}, "/y/stg"},
		{map[string]string{"HOME": "/h"}, "/h/.cache/stg"},
		{map[string]string{}, ""},
	}
	for _, tt := range tests {
		if got := cacheDir(envOf(tt.env)); got != tt.want {
			t.Errorf("cacheDir(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestWindowFlagTakesAnyDurationInRange(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  time.Duration
	}{
		{"30s", 30 * time.Second}, {"30", 30 * time.Second}, {"10m", 10 * time.Minute},
		{"2h", 2 * time.Hour}, {"10s", 10 * time.Second}, {"24h", 24 * time.Hour},
	} {
		p, err := ParsePoll([]string{"r", "1", "--window", tt.value}, envOf(nil), Files{})
		if err != nil {
			t.Errorf("--window %s: %v", tt.value, err)
			continue
		}
		if p.Window != tt.want {
			t.Errorf("--window %s gives %v, want %v", tt.value, p.Window, tt.want)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--window", "5s"}, "--window: the chart window must be from 10s to 24h, got 5s"},
		{[]string{"--window", "25h"}, "--window: the chart window must be from 10s to 24h, got 25h"},
		{[]string{"--window", "0"}, "--window: the chart window must be from 10s to 24h"},
		{[]string{"--window", "-1m"}, "--window: the chart window must be from 10s to 24h"},
		{[]string{"--window", "24h", "-i", "0.1"}, "use at most 4h45m, or poll less often"},
	} {
		_, err := ParsePoll(append([]string{"r", "1"}, tt.args...), envOf(nil), Files{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got error %v, want one saying %q", tt.args, err, tt.want)
		}
	}
}

// TestEnumValuesParse: every value the table lists for a flag (what help
// and completion offer) is one ParsePoll takes.
func TestEnumValuesParse(t *testing.T) {
	v3 := []string{"-v", "3", "-u", "ops", "-A", "authpass1", "-X", "privpass1"}
	context := map[string][]string{"sec-level": v3, "auth-proto": v3, "priv-proto": v3, "resolve": {"--ssh-user", "noc"}}
	listed := 0
	for _, f := range Poll.Flags {
		for _, value := range f.Enum {
			listed++
			args := append(append([]string{"r1", "1"}, context[f.Name]...), "--"+f.Name, value)
			if f.Name == "snmp-version" && value == "3" {
				args = append(args, "-u", "ops")
			}
			if _, err := ParsePoll(args, envOf(nil), Files{}); err != nil {
				t.Errorf("--%s %s: %v", f.Name, value, err)
			}
		}
	}
	if listed < 20 {
		t.Errorf("the table lists %d values, want those of -v, -l, -a, -x, -o, --counters and --resolve", listed)
	}
}
