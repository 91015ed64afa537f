package sshconf

import (
	"context"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// opensshCases are configurations `ssh -G -F FILE HOST` resolves; the
// test compares Resolve with it. DIR in a config is the test's temp dir.
var opensshCases = []struct {
	name   string
	config string
	extra  map[string]string // more files under DIR
	hosts  []string
}{
	{
		name: "router blocks, patterns and Host *",
		config: "Host bras? !bras9\n  HostName 10.20.0.%h\n  Port 2201\n  User ops\n  IdentityFile ~/.ssh/id_%h_%r_%p\n" +
			"  IdentitiesOnly yes\n  StrictHostKeyChecking accept-new\n  ConnectTimeout 7\n" +
			"Host BRAS*\n  Port 2202\n  UserKnownHostsFile ~/.ssh/kh_%h /tmp/kh_%n\n" +
			"Host *.isp.net\n  User isp\n  StrictHostKeyChecking no\n" +
			"Host *\n  IdentityFile %d/.ssh/id_all_%u\n  ProxyJump ops@bastion1:2222,[2001:db8::1]:22,jump3\n",
		hosts: []string{"bras1", "bras9", "BRAS1", "bras", "core1.isp.net", "other"},
	},
	{
		name: "Match host, originalhost, user, localuser and all",
		config: "Host r2\n  HostName 10.0.0.2\nMatch host 10.0.0.*\n  Port 2202\n" +
			"Match originalhost R2 user LOCALUSER\n  User admin\nMatch user admin !localuser nobody\n  IdentityFile /k/%r\n" +
			"Match all\n  ConnectTimeout 1m30s\nMatch canonical\n  Port 1\n",
		hosts: []string{"r2", "r3"},
	},
	{
		name: "Include globs in lexical order, conditional Include, ProxyCommand before ProxyJump",
		config: "Include DIR/conf.d/*\nHost other\n  Include DIR/never.conf\nHost pc\n  ProxyCommand nc %h %p\n" +
			"Host bastion\n  ProxyJump none\nHost *\n  Include DIR/site.conf\n  ProxyJump ssh://jump@gw:2022\n",
		extra: map[string]string{
			"conf.d/20-isp":  "Host bras1\n  Port 2020\n",
			"conf.d/10-core": "Host bras1\n  Port 1010\n  User core\n",
			"never.conf":     "User never\n",
			"site.conf":      "UserKnownHostsFile none\n",
		},
		hosts: []string{"bras1", "pc", "bastion", "other"},
	},
}

// TestAgainstOpenSSH compares Resolve with what OpenSSH's own `ssh -G`
// resolves for the same file, keyword by keyword.
func TestAgainstOpenSSH(t *testing.T) {
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	localHost, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range opensshCases {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tt.extra {
				writeFile(t, filepath.Join(dir, name), text)
			}
			config := strings.ReplaceAll(tt.config, "DIR", dir)
			config = strings.ReplaceAll(config, "LOCALUSER", me.Username)
			file := filepath.Join(dir, "config")
			writeFile(t, file, config)
			opts := Options{FS: os.DirFS("/"), Home: me.HomeDir, LocalUser: me.Username, LocalHost: localHost, ConfigFile: file}
			for _, host := range tt.hosts {
				h, err := Resolve(opts, host)
				if err != nil {
					t.Fatalf("%s: %v", host, err)
				}
				want := sshG(t, file, host)
				got := asSSHG(h)
				for _, k := range []string{"hostname", "port", "user", "identitiesonly", "stricthostkeychecking",
					"userknownhostsfile", "proxyjump", "proxycommand", "connecttimeout"} {
					if got[k] != want[k] {
						t.Errorf("%s: %s: got %q, ssh -G says %q", host, k, got[k], want[k])
					}
				}
				if h.ProxyCommand == "" && len(h.IdentityFiles) > 0 {
					if got, want := strings.Join(h.IdentityFiles, " "), sshIdentityFiles(t, file, host); got != want {
						t.Errorf("%s: identity files: got %q, ssh loads %q", host, got, want)
					}
				}
			}
		})
	}
}

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// sshG runs `ssh -G -F file host` and returns its keyword -> value lines.
func sshG(t *testing.T, file, host string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ssh", "-G", "-F", file, host).Output()
	if err != nil {
		t.Fatalf("ssh -G %s: %v", host, err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		k, v, _ := strings.Cut(line, " ")
		if _, seen := m[k]; !seen {
			m[k] = v
		}
	}
	return m
}

// sshIdentityFiles lists the identity files ssh itself loads for host,
// expanded, from `ssh -v` with a proxy command that fails at once: ssh
// names them before any key exchange, and nothing reaches the network.
func sshIdentityFiles(t *testing.T, file, host string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, "ssh", "-v", "-F", file, "-o", "ProxyCommand=false", "-o", "BatchMode=yes", host).CombinedOutput()
	var files []string
	for _, line := range strings.Split(string(out), "\n") {
		rest, ok := strings.CutPrefix(line, "debug1: identity file ")
		if !ok {
			continue
		}
		name := rest[:strings.LastIndex(rest, " type ")]
		if !strings.HasSuffix(name, "-cert") {
			files = append(files, name)
		}
	}
	return strings.Join(files, " ")
}

// asSSHG renders h in `ssh -G`'s words.
func asSSHG(h *Host) map[string]string {
	m := map[string]string{
		"hostname": h.HostName, "port": strconv.Itoa(h.Port), "user": h.User,
		"identitiesonly": "no", "stricthostkeychecking": h.StrictHostKeyChecking,
		"userknownhostsfile": strings.Join(h.UserKnownHostsFiles, " "), "connecttimeout": "none",
		"proxycommand": h.ProxyCommand,
	}
	if h.IdentitiesOnly {
		m["identitiesonly"] = "yes"
	}
	switch h.StrictHostKeyChecking {
	case "yes":
		m["stricthostkeychecking"] = "true"
	case "no":
		m["stricthostkeychecking"] = "false"
	}
	if len(h.UserKnownHostsFiles) == 0 {
		m["userknownhostsfile"] = "none"
	}
	if _, ok := h.Origin(KeyConnectTimeout); ok {
		m["connecttimeout"] = strconv.Itoa(int(h.ConnectTimeout / time.Second))
	}
	var hops []string
	for _, j := range h.ProxyJump {
		s := j.Host
		if strings.Contains(s, ":") {
			s = "[" + s + "]"
		}
		if j.User != "" {
			s = j.User + "@" + s
		}
		if j.Port != 0 {
			s += ":" + strconv.Itoa(j.Port)
		}
		hops = append(hops, s)
	}
	m["proxyjump"] = strings.Join(hops, ",")
	return m
}
