package cli

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/session"
)

const sshConfigFile = "/home/noc/.ssh/config"

// TestSSHConfigFillsTheLogin: what ~/.ssh/config says of the router fills
// the SSH login where no flag set the value, and its User switches SSH on
// only where the engineer named the router.
func TestSSHConfigFillsTheLogin(t *testing.T) {
	conf := `Host bras1
    HostName 10.0.0.1
    Port 2222
    User noc
    IdentityFile ~/.ssh/bras_key
    IdentitiesOnly yes
    UserKnownHostsFile ~/.ssh/bras_known_hosts
    StrictHostKeyChecking accept-new
    ConnectTimeout 7
    ProxyJump ops@jump1:2200

Host jump1
    HostName 192.0.2.9
    IdentityFile ~/.ssh/jump_key

Host *
    User everyone
`
	env := map[string]string{"HOME": "/home/noc", "USER": "noc"}
	tests := []struct {
		name string
		args []string
		want func(s session.SSH) bool
	}{
		{"all from the file", []string{"--router", "bras1", "--user", "u1"}, func(s session.SSH) bool {
			return reflect.DeepEqual(s, session.SSH{User: "noc", Host: "10.0.0.1", Port: 2222, KnownHosts: "/home/noc/.ssh/bras_known_hosts",
				Home: "/home/noc", AcceptNew: true, KeyFiles: []string{"/home/noc/.ssh/bras_key"}, IdentitiesOnly: true, ConnectTimeout: 7 * time.Second,
				Jumps: []session.SSH{{User: "ops", Host: "192.0.2.9", Port: 2200, Home: "/home/noc", KeyFiles: []string{"/home/noc/.ssh/jump_key"}}}})
		}},
		{"flags win", []string{"--router", "bras1", "--user", "u1", "--ssh-user", "me", "--ssh-port", "22", "--known-hosts", "/k"}, func(s session.SSH) bool {
			return s.User == "me" && s.Port == 22 && s.KnownHosts == "/k" && s.Host == "10.0.0.1" && s.Jumps[0].KnownHosts == "/k"
		}},
		{"Host * alone does not switch SSH on", []string{"--router", "bras2", "--user", "u1"}, func(s session.SSH) bool { return s.User == "" }},
		{"but --resolve ssh takes its User", []string{"--router", "bras2", "--user", "u1", "--resolve", "ssh"}, func(s session.SSH) bool {
			return s.User == "everyone" && s.Host == "" && s.Port == 22
		}},
		{"--if runs read no ssh_config", []string{"--router", "bras1", "--if", "1"}, func(s session.SSH) bool { return s.User == "" && s.Host == "" }},
		{"--resolve snmp reads no ssh_config", []string{"--router", "bras1", "--user", "u1", "--resolve", "snmp"}, func(s session.SSH) bool { return s.User == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePoll(tt.args, envOf(env), machineOf(map[string]string{sshConfigFile: conf}))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(p.Session.SSH) {
				t.Errorf("got %+v", p.Session.SSH)
			}
		})
	}
}

// TestSSHConfigWarningsAndErrors: StrictHostKeyChecking no is taken as
// accept-new with a warning; a skipped Match block is warned about;
// ProxyCommand is refused with the file and line; a broken file is an
// error only when SSH was asked for.
func TestSSHConfigWarningsAndErrors(t *testing.T) {
	env := envOf(map[string]string{"HOME": "/home/noc", "USER": "noc"})
	p, err := ParsePoll([]string{"--router", "bras1", "--user", "u1"}, env, machineOf(map[string]string{sshConfigFile: "Match exec \"true\"\n    Port 1\nHost bras1\n    User noc\n    StrictHostKeyChecking no\n"}))
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(p.Warnings, "\n")
	for _, want := range []string{"ssh_config: /home/noc/.ssh/config:1: Match exec is not supported", "ssh_config: /home/noc/.ssh/config:5: StrictHostKeyChecking no is taken as accept-new"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings %q lack %q", p.Warnings, want)
		}
	}
	if !p.Session.SSH.AcceptNew {
		t.Error("StrictHostKeyChecking no did not accept new keys")
	}
	_, err = ParsePoll([]string{"--router", "bras1", "--user", "u1"}, env, machineOf(map[string]string{sshConfigFile: "Host bras1\n    User noc\n    ProxyCommand nc %h %p\n"}))
	if err == nil || !strings.Contains(err.Error(), "/home/noc/.ssh/config:3: ProxyCommand is not supported by stg: use ProxyJump") {
		t.Errorf("ProxyCommand: %v", err)
	}
	broken := machineOf(map[string]string{sshConfigFile: "Host bras1\n    Port notaport\n"})
	if _, err := ParsePoll([]string{"--router", "bras1", "--user", "u1"}, env, broken); err != nil {
		t.Errorf("a broken ssh_config stops a run that does not ask for SSH: %v", err)
	}
	if _, err := ParsePoll([]string{"--router", "bras1", "--user", "u1", "--ssh-user", "noc"}, env, broken); err == nil || !strings.Contains(err.Error(), "/home/noc/.ssh/config:2") {
		t.Errorf("a broken ssh_config with --ssh-user: %v", err)
	}
}
