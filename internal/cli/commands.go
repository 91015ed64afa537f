package cli

import (
	"fmt"

	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/session"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/top"
	"github.com/stg-project/stg/tui"
)

// The groups of the polling command's help.
const (
	groupTarget  = "Target"
	groupSNMP    = "SNMP (net-snmp letters)"
	groupOutput  = "Polling and output"
	groupResolve = "Subscriber resolution (--user)"
)

// Poll is stg itself: poll interfaces and subscribers, show or write the
// samples. `stg resolve` takes the same flags.
var Poll = Command{
	Summary:  "near-realtime SNMP interface grapher for the terminal",
	Synopsis: "stg [flags] --router ROUTER --user USERNAME | --if IFACE; stg [flags] ROUTER IFACE [IFACE...]",
	Flags: []Flag{
		{Name: "router", Kind: Strings, Group: groupTarget, Help: "the SNMP agent `ROUTER`: [udp:|tcp:|udp6:|tcp6:]host[:port], default port 161"},
		{Name: "if", Kind: Strings, Group: groupTarget, Help: "interface `IFACE` to poll: ifName, ifDescr, ifAlias or ifIndex (repeatable)"},
		{Name: "user", Kind: Strings, Group: groupTarget, Help: "subscriber `USERNAME` on a BRAS (repeatable)"},

		{Name: "snmp-version", Short: "v", Kind: String, Default: "2c", Enum: snmp.Versions(), Group: groupSNMP, Help: "SNMP `version`: 1, 2c or 3"},
		{Name: "community", Short: "c", Kind: Secret, Group: groupSNMP, Env: "STG_COMMUNITY", Help: "`community` for v1/v2c (default \"public\"; or STG_COMMUNITY)"},
		{Name: "sec-level", Short: "l", Kind: String, Enum: snmp.SecLevels(), Group: groupSNMP, Help: "SNMPv3 `level`: noAuthNoPriv, authNoPriv or authPriv (default: from -A/-X)"},
		{Name: "sec-name", Short: "u", Kind: String, Group: groupSNMP, Help: "SNMPv3 security `name`"},
		{Name: "auth-proto", Short: "a", Kind: String, Default: "SHA", Enum: snmp.AuthProtos(), Group: groupSNMP, Help: "SNMPv3 auth `protocol`: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512"},
		{Name: "auth-pass", Short: "A", Kind: Secret, Group: groupSNMP, Env: "STG_AUTH_PASS", Help: "SNMPv3 auth `passphrase` (or STG_AUTH_PASS)"},
		{Name: "priv-proto", Short: "x", Kind: String, Default: "AES", Enum: snmp.PrivProtos(), Group: groupSNMP, Help: "SNMPv3 privacy `protocol`: DES, AES, AES-192, AES-256, AES-192-C, AES-256-C"},
		{Name: "priv-pass", Short: "X", Kind: Secret, Group: groupSNMP, Env: "STG_PRIV_PASS", Help: "SNMPv3 privacy `passphrase` (or STG_PRIV_PASS)"},
		{Name: "context", Short: "n", Kind: String, Group: groupSNMP, Help: "SNMPv3 context `name`"},
		{Name: "timeout", Short: "t", Kind: Seconds, Default: "1s", Group: groupSNMP, Help: "request timeout: seconds or a duration; polls never wait past 80% of the interval"},
		{Name: "retries", Short: "r", Kind: Int, Default: "5", Group: groupSNMP, Help: "resends of a start-up request after -t without an answer, as net-snmp; polls are never resent"},

		{Name: "interval", Short: "i", Kind: Seconds, Default: "1s", Group: groupOutput, Help: "time between polls: seconds (0.5) or a duration (500ms)"},
		{Name: "count", Kind: Int, Group: groupOutput, Help: "stop after `N` polls (default: run until stopped)"},
		{Name: "duration", Kind: Seconds, Group: groupOutput, Help: "poll for this long, e.g. 2s or 5m: the last poll starts at D and completes (default: run until stopped)"},
		{Name: "output", Short: "o", Kind: String, Default: string(OutputAuto), Enum: outputModes, Group: groupOutput, Help: "`mode`: auto (TUI on a terminal, CSV when piped), tui, csv, jsonl or influx (line protocol)"},
		{Name: "log", Kind: String, Group: groupOutput, Help: "also record CSV rows to `FILE`"},
		{Name: "counters", Kind: String, Default: string(snmp.CountersAuto), Enum: snmp.CounterModes(), Group: groupOutput, Help: "counter `width`: auto (64-bit when the agent has them), 64 or 32"},
		{Name: "bytes", Kind: Bool, Group: groupOutput, Help: "show bytes per second instead of bits in the TUI"},
		{Name: "window", Kind: Seconds, Default: tui.DefaultWindow.String(), Group: groupOutput, Help: "time span the TUI shows, 10s to 24h, e.g. 30s, 10m or 2h"},
		{Name: "debug", Kind: String, Group: groupOutput, Help: "write a debug log to `FILE`"},
		{Name: "listen", Kind: String, Group: groupOutput, Help: "also serve Prometheus /metrics on `ADDR`: [HOST:]PORT, loopback without a host"},

		{Name: "resolve", Kind: String, Default: string(session.ResolveAuto), Enum: session.ResolveModes(), Group: groupResolve, Help: "how --user is found: `mode` auto (SNMP, then SSH), snmp or ssh"},
		{Name: "ssh-user", Kind: String, Group: groupResolve, Help: "SSH login `name`: --resolve ssh needs it, auto adds SSH beside SNMP (password: STG_SSH_PASS, else asked on a terminal)"},
		{Name: "ssh-port", Kind: Int, Default: "22", Group: groupResolve, Help: "SSH `port`"},
		{Name: "known-hosts", Kind: String, Group: groupResolve, Help: "known_hosts `FILE` (default ~/.ssh/known_hosts)"},
		{Name: "ssh-accept-new", Kind: Bool, Group: groupResolve, Help: "trust an unknown SSH host key on first use (a changed key is always refused)"},
		{Name: "ssh-legacy", Kind: Bool, Group: groupResolve, Help: "allow old SSH key exchange and CBC ciphers (old IOS)"},
		{Name: "no-cache", Kind: Bool, Group: groupResolve, Help: "neither read nor write the cache of resolved users"},

		helpFlag,
		versionFlag,
	},
	Env: []EnvVar{
		{"STG_SSH_PASS", "the SSH password of --ssh-user (never a flag: ps would show it)"},
		{"STG_CACHE_DIR", "the cache of resolved users (else $XDG_CACHE_HOME/stg, else ~/.cache/stg)"},
		{"SSH_AUTH_SOCK", "ssh-agent, whose keys SSH logins offer"},
		{"HOME", "~/.snmp (snmp.conf), ~/.ssh/config, ~/.ssh/known_hosts and the keys ~/.ssh/id_* of SSH logins"},
		{"SNMPCONFPATH", "the directories of net-snmp's snmp.conf files, instead of /etc/snmp, /usr/share/snmp and ~/.snmp"},
	},
}

// resolveFlags are the flags of Poll that `stg resolve` uses and lists.
var resolveFlags = map[string]bool{
	"router": true, "user": true,
	"snmp-version": true, "community": true, "sec-level": true, "sec-name": true, "auth-proto": true,
	"auth-pass": true, "priv-proto": true, "priv-pass": true, "context": true, "timeout": true, "retries": true,
	"debug": true, "resolve": true, "ssh-user": true, "ssh-port": true, "known-hosts": true,
	"ssh-accept-new": true, "ssh-legacy": true, "no-cache": true, "help": true,
}

// Resolve is `stg resolve`: the flags of Poll it uses, and its own -o.
var Resolve = Command{
	Name:     "resolve",
	Summary:  "print the interface of each subscriber, then exit",
	Synopsis: "stg resolve [flags] --router ROUTER --user USERNAME [--user USERNAME...]",
	Flags: append(pick(Poll.Flags, resolveFlags),
		Flag{Name: "output", Short: "o", Kind: String, Default: "text", Enum: []string{"text", "json"}, Help: "aligned text (default), or one JSON object per user"}),
	Env: Poll.Env,
}

// Demo is `stg demo`: a simulated BRAS and the terminal UI on it.
var Demo = Command{
	Name:     "demo",
	Summary:  "a simulated BRAS and the terminal UI on it",
	Synopsis: "stg demo [flags]",
	Flags: []Flag{
		{Name: "sessions", Kind: Int, Default: "2000", Help: fmt.Sprintf("subscriber sessions of the simulated BRAS (%d to %d)", demoMinSessions, brassim.MaxSessions)},
		{Name: "hogs", Kind: Int, Default: "3", Help: fmt.Sprintf("`N` sessions that fill the backhaul, the DNS-amplification victim first (1 to %d)", brassim.MaxHogs)},
		{Name: "seed", Kind: Uint, Default: "1", Help: "seed of usernames and traffic"},
		helpFlag,
	},
}

// Sim is `stg sim`: the simulated BRAS alone, until Ctrl-C.
var Sim = Command{
	Name:     "sim",
	Summary:  "run the simulated BRAS alone, until Ctrl-C",
	Synopsis: "stg sim [flags]",
	Flags: []Flag{
		{Name: "listen", Kind: String, Default: SimListen, Help: "SNMP agent UDP address (loopback only)"},
		{Name: "ssh", Kind: String, Default: SimSSH, Help: "SSH server TCP address (loopback only)"},
		{Name: "ssh-user", Kind: String, Default: "noc", Help: "SSH login name"},
		{Name: "ssh-password", Kind: String, Default: "noc", Help: "SSH password"},
		{Name: "community", Kind: String, Default: "public", Help: "SNMP v1/v2c community"},
		{Name: "sessions", Kind: Int, Default: "50", Help: fmt.Sprintf("subscriber sessions (1 to %d)", brassim.MaxSessions)},
		{Name: "hogs", Kind: Int, Default: "0", Help: fmt.Sprintf("`N` sessions that fill the backhaul at steady rates, the DNS-amplification victim first (0 to %d; stg top ranks them first)", brassim.MaxHogs)},
		{Name: "cache", Kind: Duration, Default: "0s", Help: "serve interface counters refreshed only every D (0: always fresh)"},
		{Name: "cache-mode", Kind: String, Default: "request", Enum: []string{"request", "timer"}, Help: "with --cache, the refresh `mode`: request (when asked D or more after the last refresh) or timer (every D, phase from --seed)"},
		{Name: "flap", Kind: Duration, Default: "0s", Help: "reconnect MyUserName and some others every D (0: never)"},
		{Name: "flap-down", Kind: Duration, Default: "0s", Help: "how long a flapped session stays offline before it comes back"},
		{Name: "flap-share", Kind: Float, Default: "0.05", Help: "share of the other subscribers that flap with --flap"},
		{Name: "seed", Kind: Uint, Default: "1", Help: "seed of usernames and traffic"},
		{Name: "hostname", Kind: String, Default: "bras1", Help: "sysName of the router"},
		{Name: "reuse-ifindex", Kind: Bool, Help: "a reconnecting session takes the Virtual-Access freed last, as IOS does"},
		{Name: "no-virtual-template-snmp", Kind: Bool, Help: "keep Virtual-Access interfaces out of IF-MIB"},
		{Name: "no-subscriber-mib", Kind: Bool, Help: "leave CISCO-SUBSCRIBER-SESSION-MIB out"},
		{Name: "no-aaa-mib", Kind: Bool, Help: "leave CISCO-AAA-SESSION-MIB out"},
		{Name: "alias-users", Kind: Bool, Help: "put each username into its interface's ifAlias"},
		{Name: "exec-timestamps", Kind: Bool, Help: "prefix CLI output with exec prompt timestamps"},
		{Name: "v3-user", Kind: String, Help: "also answer SNMPv3 authPriv (SHA/AES) for this user"},
		{Name: "v3-auth-pass", Kind: String, Default: "stgauthpass", Help: "SNMPv3 authentication passphrase"},
		{Name: "v3-priv-pass", Kind: String, Default: "stgprivpass", Help: "SNMPv3 privacy passphrase"},
		helpFlag,
	},
	Env: []EnvVar{{"XDG_CONFIG_HOME", "where the simulator's SSH host key is kept (else ~/.config)"}},
}

// Replay is `stg replay`: a recording in the terminal UI.
var Replay = Command{
	Name:     "replay",
	Summary:  "view a recording in the terminal UI",
	Synopsis: "stg replay [--window D] [--bytes] FILE.csv",
	Flags: []Flag{
		{Name: "window", Kind: Duration, Default: tui.DefaultWindow.String(), Help: "chart window, 10s to 24h"},
		{Name: "bytes", Kind: Bool, Help: "show bytes/s instead of bits/s"},
	},
}

// Plot is `stg plot`: a recording as a PNG or SVG picture.
var Plot = Command{
	Name:     "plot",
	Summary:  "draw a recording as a PNG or SVG picture",
	Synopsis: "stg plot FILE.csv --out FILE.png|FILE.svg [flags]",
	Flags: []Flag{
		{Name: "out", Kind: String, Help: "the picture to write: `FILE`.png or FILE.svg"},
		{Name: "from", Kind: String, Help: "draw from this `TIME` on (default: the first row)"},
		{Name: "to", Kind: String, Help: "draw up to this `TIME` (default: the last row)"},
		{Name: "target", Kind: Strings, Help: "draw this `TARGET` only; repeat for more (default: all)"},
		{Name: "size", Kind: String, Help: "picture size in pixels, `WxH` (default 1200x600)"},
		{Name: "log-scale", Kind: Bool, Help: "rates on a log scale, decades from 1k"},
		{Name: "bytes", Kind: Bool, Help: "bytes/s instead of bits/s"},
	},
}

// topSNMPFlags are the flags of Poll that `stg top` takes as they are; its
// -t and -r say what they do in a cycle.
var topSNMPFlags = map[string]bool{
	"snmp-version": true, "community": true, "sec-level": true, "sec-name": true, "auth-proto": true,
	"auth-pass": true, "priv-proto": true, "priv-pass": true, "context": true,
}

// groupCycles is the group of top's cycle and output flags.
const groupCycles = "Cycles and output"

// Top is `stg top`: every subscriber session (or interface) of a router,
// ranked by its rate, live.
var Top = Command{
	Name:     "top",
	Summary:  "rank every subscriber (or interface) of a router by its rate, live",
	Synopsis: "stg top [flags] --router ROUTER",
	Flags: append(append([]Flag{
		{Name: "router", Kind: Strings, Group: groupTarget, Help: "the SNMP agent `ROUTER` whose rows to rank: [udp:|tcp:|udp6:|tcp6:]host[:port], default port 161"},
		{Name: "filter", Kind: String, Group: groupTarget, Help: "keep the interfaces whose subscriber, ifName, ifDescr or ifAlias this `REGEXP` (Go syntax) matches, sessions or not"},
		{Name: "all", Kind: Bool, Group: groupTarget, Help: "rank every interface, also on a router with subscriber sessions (default: its sessions only)"},
	}, pick(Poll.Flags, topSNMPFlags)...),
		Flag{Name: "timeout", Short: "t", Kind: Seconds, Default: "1s", Group: groupSNMP, Help: "request timeout: seconds or a duration; in a cycle, once the router has answered, a request waits about as long as its answers take, at most -t"},
		Flag{Name: "retries", Short: "r", Kind: Int, Default: "5", Group: groupSNMP, Help: "resends of a request left unanswered, at start and in a cycle; the rows of one never answered are gap-timeout for that cycle"},

		Flag{Name: "interval", Short: "i", Kind: Seconds, Default: "1s", Group: groupCycles, Help: "least time between the starts of two cycles: seconds (0.5) or a duration (500ms); a walk that takes longer makes the cycle the walk"},
		Flag{Name: "count", Kind: Int, Group: groupCycles, Help: "stop after `N` cycles (default: run until stopped)"},
		Flag{Name: "limit", Kind: Int, Group: groupCycles, Help: fmt.Sprintf("keep the first `N` rows of each cycle, in the table, in the rows written and on /metrics (default: all, and %d on /metrics); the sum still counts every row", TopListenRows)},
		Flag{Name: "output", Short: "o", Kind: String, Default: string(OutputAuto), Enum: outputModes, Group: groupCycles, Help: "`mode`: auto (TUI on a terminal, CSV when piped), tui, csv or jsonl (each cycle's rows, ranked, with a rank column)"},
		Flag{Name: "counters", Kind: String, Default: string(snmp.CountersAuto), Enum: snmp.CounterModes(), Group: groupCycles, Help: "counter `width`: auto (64-bit where the agent has them, else the row's 32-bit ones), 64 or 32"},
		Flag{Name: "bytes", Kind: Bool, Group: groupCycles, Help: "show bytes per second instead of bits in the TUI"},
		Flag{Name: "window", Kind: Seconds, Default: tui.DefaultWindow.String(), Group: groupCycles, Help: "time span of a row's chart (Enter), 10s to 24h"},
		Flag{Name: "listen", Kind: String, Group: groupCycles, Help: fmt.Sprintf("also serve Prometheus /metrics on `ADDR`, [HOST:]PORT, loopback without a host: the first --limit rows of each cycle (%d without --limit), their counters and rates", TopListenRows)},
		helpFlag,
	),
	Env: []EnvVar{
		{"GOGC", fmt.Sprintf("the garbage collector's target; with neither GOGC nor GOMEMLIMIT set, stg top runs at GOGC=%d (less memory at 32,000 rows)", top.GCPercent)},
		{"GOMEMLIMIT", "the Go runtime's soft memory limit, as Go documents it"},
	},
}

// Completion is `stg completion SHELL`: a shell completion script.
var Completion = Command{
	Name:     "completion",
	Summary:  "print a shell completion script (bash, zsh or fish)",
	Synopsis: "stg completion bash|zsh|fish",
}

// Man is `stg man`: the manual page.
var Man = Command{
	Name:     "man",
	Summary:  "print the manual page (roff)",
	Synopsis: "stg man",
}

// HelpCommand is `stg help [SUBCOMMAND]`.
var HelpCommand = Command{
	Name:     "help",
	Summary:  "show the help of stg or of a subcommand",
	Synopsis: "stg help [SUBCOMMAND]",
}

// VersionCommand is `stg version`, which stg --version also prints.
var VersionCommand = Command{
	Name:     "version",
	Summary:  "print the version stg was built from",
	Synopsis: "stg version",
}

// Commands returns every command of stg, the polling command first, then
// the subcommands in the order the help lists them. The subcommand names,
// the manual page and shell completion all come from this list: a new
// subcommand's table goes here.
func Commands() []Command {
	return []Command{Poll, Resolve, Top, Demo, Sim, Replay, Plot, Serve, Completion, Man, HelpCommand, VersionCommand}
}

// pick returns the flags whose names are in names, in order.
func pick(flags []Flag, names map[string]bool) []Flag {
	var out []Flag
	for _, f := range flags {
		if names[f.Name] {
			out = append(out, f)
		}
	}
	return out
}
