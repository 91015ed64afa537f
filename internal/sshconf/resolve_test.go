package sshconf

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const (
	home     = "/home/noc"
	userConf = "/home/noc/.ssh/config"
	sysConf  = "/etc/ssh/ssh_config"
)

// machine builds an FS from absolute paths.
func machine(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, text := range files {
		m[strings.TrimPrefix(name, "/")] = &fstest.MapFile{Data: []byte(text), Mode: 0o600}
	}
	return m
}

func testOptions(files map[string]string) Options {
	return Options{FS: machine(files), Home: home, LocalUser: "noc", LocalHost: "jump1.example.net"}
}

type resolveCase struct {
	name  string
	files map[string]string
	alias string
	check func(t *testing.T, h *Host)
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func eqSlice[T comparable](t *testing.T, what string, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func origin(t *testing.T, h *Host, k Key, want string) {
	t.Helper()
	o, ok := h.Origin(k)
	got := ""
	if ok {
		got = o.String()
	}
	eq(t, string(k)+" origin", got, want)
}

var resolveCases = []resolveCase{
	{
		name:  "nothing configured: OpenSSH's defaults",
		alias: "BRAS1",
		check: func(t *testing.T, h *Host) {
			eq(t, "HostName", h.HostName, "bras1")
			eq(t, "Port", h.Port, 22)
			eq(t, "User", h.User, "noc")
			eq(t, "StrictHostKeyChecking", h.StrictHostKeyChecking, "ask")
			eqSlice(t, "UserKnownHostsFiles", h.UserKnownHostsFiles, []string{"/home/noc/.ssh/known_hosts", "/home/noc/.ssh/known_hosts2"})
			eq(t, "IdentityFiles", len(h.IdentityFiles), 0)
			eq(t, "origins", len(h.Origins()), 0)
		},
	},
	{
		name: "a router's block, first value wins, Host * after it",
		files: map[string]string{userConf: "Host bras1 bras1.isp.net\n  HostName 10.20.0.1\n  Port 2222\n  User ops\n" +
			"  IdentityFile ~/.ssh/id_bras\n  IdentitiesOnly yes\n  ConnectTimeout 5\n  StrictHostKeyChecking accept-new\n" +
			"Host *\n  Port 22\n  User nobody\n  IdentityFile ~/.ssh/id_ed25519\n  UserKnownHostsFile ~/.ssh/known_hosts_isp\n"},
		alias: "bras1",
		check: func(t *testing.T, h *Host) {
			eq(t, "HostName", h.HostName, "10.20.0.1")
			eq(t, "Port", h.Port, 2222)
			eq(t, "User", h.User, "ops")
			eqSlice(t, "IdentityFiles", h.IdentityFiles, []string{"/home/noc/.ssh/id_bras", "/home/noc/.ssh/id_ed25519"})
			eq(t, "IdentitiesOnly", h.IdentitiesOnly, true)
			eq(t, "ConnectTimeout", h.ConnectTimeout, 5*time.Second)
			eq(t, "StrictHostKeyChecking", h.StrictHostKeyChecking, "accept-new")
			eqSlice(t, "UserKnownHostsFiles", h.UserKnownHostsFiles, []string{"/home/noc/.ssh/known_hosts_isp"})
			origin(t, h, KeyPort, "Port ("+userConf+":3)")
			origin(t, h, KeyIdentityFile, "IdentityFile ("+userConf+":5)")
			origin(t, h, KeyUserKnownHostsFile, "UserKnownHostsFile ("+userConf+":13)")
		},
	},
	{
		name:  "patterns: '?' is one character, '!' excludes, case matters",
		files: map[string]string{userConf: "Host bras? !bras9\n  Port 2201\nHost BRAS*\n  Port 2202\nHost *.isp.net\n  User isp\n"},
		alias: "bras9",
		check: func(t *testing.T, h *Host) {
			eq(t, "Port", h.Port, 22)
			eq(t, "User", h.User, "noc")
		},
	},
	{
		name:  "'?' does not match nothing",
		files: map[string]string{userConf: "Host bras?\n  Port 2201\n"},
		alias: "bras",
		check: func(t *testing.T, h *Host) { eq(t, "Port", h.Port, 22) },
	},
	{
		name: "tokens in HostName, IdentityFile and UserKnownHostsFile",
		files: map[string]string{userConf: "Host r*\n  HostName %h.isp.net\n  User ops\n  Port 2022\n" +
			"  IdentityFile %d/keys/%r@%h:%p\n  IdentityFile ~/.ssh/%n_%u_%L_%l_%%\n  UserKnownHostsFile ~/.ssh/kh_%k /etc/ssh/kh\n  HostKeyAlias edge\n"},
		alias: "r1",
		check: func(t *testing.T, h *Host) {
			eq(t, "HostName", h.HostName, "r1.isp.net")
			eqSlice(t, "IdentityFiles", h.IdentityFiles, []string{"/home/noc/keys/ops@r1.isp.net:2022", "/home/noc/.ssh/r1_noc_jump1_jump1.example.net_%"})
			eqSlice(t, "UserKnownHostsFiles", h.UserKnownHostsFiles, []string{"/home/noc/.ssh/kh_edge", "/etc/ssh/kh"})
		},
	},
	{
		name:  "ProxyJump hops: user, port, IPv6, ssh:// form",
		files: map[string]string{userConf: "Host r1\n  ProxyJump ops@bastion1:2222,[2001:db8::1]:22,ssh://jump3,[::1]\n"},
		alias: "r1",
		check: func(t *testing.T, h *Host) {
			eqSlice(t, "ProxyJump", h.ProxyJump, []Jump{{User: "ops", Host: "bastion1", Port: 2222}, {Host: "2001:db8::1", Port: 22}, {Host: "jump3"}, {Host: "::1"}})
			origin(t, h, KeyProxyJump, "ProxyJump ("+userConf+":2)")
		},
	},
	{
		name:  "ProxyCommand first wins over a later ProxyJump, as in OpenSSH",
		files: map[string]string{userConf: "Host r1\n  ProxyCommand nc %h %p\nHost *\n  ProxyJump bastion\n"},
		alias: "r1",
		check: func(t *testing.T, h *Host) {
			eq(t, "ProxyCommand", h.ProxyCommand, "nc %h %p")
			eq(t, "ProxyJump", len(h.ProxyJump), 0)
		},
	},
	{
		name:  "ProxyJump none stops a later one",
		files: map[string]string{userConf: "Host bastion\n  ProxyJump none\nHost *\n  ProxyJump bastion\n"},
		alias: "bastion",
		check: func(t *testing.T, h *Host) {
			eq(t, "ProxyJump", len(h.ProxyJump), 0)
			eq(t, "ProxyCommand", h.ProxyCommand, "")
		},
	},
	{
		name: "Include: relative under ~/.ssh, ~/, globs in lexical order, only in a matching block",
		files: map[string]string{
			userConf:                          "Include config.d/*\nHost other\n  Include ~/never.conf\nHost *\n  Include ~/site.conf\n",
			"/home/noc/.ssh/config.d/20-isp":  "Host bras1\n  Port 2020\n",
			"/home/noc/.ssh/config.d/10-core": "Host bras1\n  Port 1010\n  User core\n",
			"/home/noc/never.conf":            "User never\n",
			"/home/noc/site.conf":             "IdentityFile ~/.ssh/site\n",
		},
		alias: "bras1",
		check: func(t *testing.T, h *Host) {
			eq(t, "Port", h.Port, 1010)
			eq(t, "User", h.User, "core")
			eqSlice(t, "IdentityFiles", h.IdentityFiles, []string{"/home/noc/.ssh/site"})
			origin(t, h, KeyPort, "Port (/home/noc/.ssh/config.d/10-core:2)")
			eqSlice(t, "Files", h.Files, []string{userConf, "/home/noc/.ssh/config.d/10-core", "/home/noc/.ssh/config.d/20-isp", "/home/noc/site.conf"})
		},
	},
	{
		name: "the system file comes after the user's; its relative Include is under /etc/ssh",
		files: map[string]string{
			userConf:                       "Host bras1\n  User ops\n",
			sysConf:                        "Include ssh_config.d/*.conf\nHost *\n  User root\n",
			"/etc/ssh/ssh_config.d/a.conf": "Host *\n  Port 2200\n",
		},
		alias: "bras1",
		check: func(t *testing.T, h *Host) {
			eq(t, "User", h.User, "ops")
			eq(t, "Port", h.Port, 2200)
		},
	},
	{
		name: "Match host sees HostName, user sees User so far, originalhost the alias",
		files: map[string]string{userConf: "Host r2\n  HostName 10.0.0.2\nMatch host 10.0.0.*\n  Port 2202\n" +
			"Match originalhost R2 user noc\n  User admin\nMatch user admin !localuser root\n  IdentityFile /k/%r\n" +
			"Match all\n  ConnectTimeout 1m30s\nMatch canonical\n  Port 1\n"},
		alias: "r2",
		check: func(t *testing.T, h *Host) {
			eq(t, "Port", h.Port, 2202)
			eq(t, "User", h.User, "admin")
			eqSlice(t, "IdentityFiles", h.IdentityFiles, []string{"/k/admin"})
			eq(t, "ConnectTimeout", h.ConnectTimeout, 90*time.Second)
			eq(t, "warnings", len(h.Warnings), 0)
		},
	},
	{
		name:  "Match exec is skipped with a warning naming the line",
		files: map[string]string{userConf: "Match exec \"ping -c1 -W1 vpn-gw\" # on the VPN?\n  ProxyJump bastion\nHost r1\n  Port 2200\n"},
		alias: "r1",
		check: func(t *testing.T, h *Host) {
			eq(t, "ProxyJump", len(h.ProxyJump), 0)
			eq(t, "Port", h.Port, 2200)
			if len(h.Warnings) != 1 || h.Warnings[0].String() != userConf+":1: Match exec is not supported by stg: this block is skipped" {
				t.Errorf("warnings: got %v", h.Warnings)
			}
		},
	},
	{
		name:  "StrictHostKeyChecking spellings and a '=' between keyword and value",
		files: map[string]string{userConf: "Host a\n  StrictHostKeyChecking=off\nHost b\n  StrictHostKeyChecking = true\n"},
		alias: "b",
		check: func(t *testing.T, h *Host) { eq(t, "StrictHostKeyChecking", h.StrictHostKeyChecking, "yes") },
	},
}

func TestResolve(t *testing.T) {
	for _, tt := range resolveCases {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Resolve(testOptions(tt.files), tt.alias)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, h)
		})
	}
}

func TestResolveErrorsNameFileAndLine(t *testing.T) {
	cases := []struct{ name, config, want string }{
		{"bad port", "Host r1\n  Port 99999\n", userConf + `:2: Port "99999" is not a port from 1 to 65535`},
		{"bad flag", "Host r1\n  IdentitiesOnly maybe\n", userConf + `:2: IdentitiesOnly "maybe": use yes or no`},
		{"bad checking", "Host r1\n  StrictHostKeyChecking sometimes\n", userConf + `:2: StrictHostKeyChecking "sometimes"`},
		{"bad timeout", "Host r1\n  ConnectTimeout 5x\n", userConf + `:2: ConnectTimeout "5x": unknown time unit`},
		{"bad jump", "Host r1\n  ProxyJump ops@bastion:http\n", userConf + `:2: ProxyJump "ops@bastion:http": hop "ops@bastion:http": port "http"`},
		{"token ProxyJump", "Host r1\n  ProxyJump %r@bastion\n", userConf + `:2: ProxyJump "%r@bastion": OpenSSH takes no %tokens in ProxyJump`},
		{"unsupported token", "Host r1\n  IdentityFile ~/.ssh/%C\n", userConf + `:2: IdentityFile "~/.ssh/%C": token %C is not supported`},
		{"other user's home", "Host r1\n  IdentityFile ~ops/.ssh/id\n", userConf + `:2: IdentityFile "~ops/.ssh/id": only ~/ is supported`},
		{"include loop", "Include config\n", userConf + ":1: Include nests deeper than 16"},
		{"no value", "Host r1\n  Port\n", userConf + `:2: Port "" is not a port`},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(testOptions(map[string]string{userConf: tt.config}), "r1")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestHostNames(t *testing.T) {
	opts := testOptions(map[string]string{
		userConf:                        "Host bras1 bras2 !bras3 core-*\n  Port 22\nInclude config.d/*\nMatch host edge1\n  User x\nHost *\n",
		"/home/noc/.ssh/config.d/sites": "Host pe1.isp.net bras1\nHost pe?\n",
		sysConf:                         "Host sysrouter\n",
	})
	got, err := HostNames(opts)
	if err != nil {
		t.Fatal(err)
	}
	eqSlice(t, "HostNames", got, []string{"bras1", "bras2", "pe1.isp.net", "sysrouter"})
}

func TestWithoutFS(t *testing.T) {
	if _, err := Resolve(Options{Home: home}, "r1"); err != ErrNoFS {
		t.Errorf("Resolve: got %v, want ErrNoFS", err)
	}
	if _, err := HostNames(Options{Home: home}); err != ErrNoFS {
		t.Errorf("HostNames: got %v, want ErrNoFS", err)
	}
}
