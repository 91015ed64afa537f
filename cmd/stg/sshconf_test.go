package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stg-project/stg/internal/agenttest"
)

// iosOutputs are the router's answers to the SSH resolver for MyUserName
// (on Virtual-Access1.195, ifIndex 257).
func iosOutputs(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for cmd, file := range map[string]string{"show users": "show_users_ios.txt", "show snmp mib ifmib ifindex Virtual-Access1.195": "ifindex_one.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "ciscoresolve", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		out[cmd] = string(b)
	}
	return out
}

// TestSSHConfigProxyJump: `stg resolve --resolve ssh` reaches a router
// known only by its ~/.ssh/config alias, with nothing about SSH on the
// command line: HostName, Port, User, IdentityFile, IdentitiesOnly,
// UserKnownHostsFile and StrictHostKeyChecking of the router, and a
// ProxyJump through a second OpenSSH sshd resolved by its own Host block.
// Without forwarding on the jump host, or with its key unknown, the login
// fails naming the jump host: the connection really goes through it.
func TestSSHConfigProxyJump(t *testing.T) {
	agenttest.SkipShort(t, "sshd")
	router := agenttest.StartSshd(t, iosOutputs(t))
	jump := agenttest.StartSshd(t, nil, agenttest.WithSshdForwarding())
	closed := agenttest.StartSshd(t, nil) // no forwarding
	config := func(j *agenttest.Sshd) string {
		return fmt.Sprintf(`Host bras-lab
    HostName 127.0.0.1
    Port %d
    User %s
    IdentityFile %s
    IdentitiesOnly yes
    UserKnownHostsFile ~/.ssh/lab_known_hosts
    StrictHostKeyChecking yes
    ConnectTimeout 20
    ProxyJump jumpbox

Host jumpbox
    HostName 127.0.0.1
    Port %d
    User %s
    IdentityFile %s
    UserKnownHostsFile ~/.ssh/lab_known_hosts
`, router.Port, router.User, router.ClientKey, j.Port, j.User, j.ClientKey)
	}
	tests := []struct {
		name      string
		jump      *agenttest.Sshd
		known     []string
		wantCode  int
		wantInOut string
	}{
		{"through the jump host", jump, []string{router.KnownHostsLine(), jump.KnownHostsLine()}, 0, `"ifIndex":257`},
		{"jump host without forwarding", closed, []string{router.KnownHostsLine(), closed.KnownHostsLine()}, 1, "through jump host 127.0.0.1"},
		{"jump host key unknown", jump, []string{router.KnownHostsLine()}, 1, "jump host 1 of 1: ssh to 127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			writeHomeFiles(t, home, map[string]string{".ssh/config": config(tt.jump), ".ssh/lab_known_hosts": strings.Join(tt.known, "\n") + "\n"})
			before := len(router.Commands())
			debug := filepath.Join(t.TempDir(), "debug.log")
			r := runStg(t, []string{"HOME=" + home, "SSH_AUTH_SOCK="}, "resolve", "--router", "bras-lab", "--user", "MyUserName",
				"--resolve", "ssh", "-o", "json", "--debug", debug)
			if r.code != tt.wantCode || !strings.Contains(r.stdout+r.stderr, tt.wantInOut) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d and %q", r.code, r.stdout, r.stderr, tt.wantCode, tt.wantInOut)
			}
			if tt.wantCode == 0 {
				if cmds := router.Commands()[before:]; len(cmds) == 0 || cmds[0] != "show users" {
					t.Errorf("the router ran %q, want show users first", cmds)
				}
				log, _ := os.ReadFile(debug)
				for _, want := range []string{"ssh_config: read " + filepath.Join(home, ".ssh", "config"), "ssh_config: using ProxyJump (", "ssh_config: jump host 1: 127.0.0.1 as"} {
					if !strings.Contains(string(log), want) {
						t.Errorf("the debug log lacks %q:\n%s", want, log)
					}
				}
			}
		})
	}
	if n := len(jump.Commands()) + len(closed.Commands()); n != 0 {
		t.Errorf("the jump hosts ran %d commands; a jump host only forwards", n)
	}
}
