package cli

import (
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/stg-project/stg/internal/brassim"
)

// helpWidth is the width the flag lists of the help are wrapped to.
const helpWidth = 100

// secretsNote ends the help of the commands that take secrets.
const secretsNote = `
Secrets can come from STG_COMMUNITY, STG_AUTH_PASS, STG_PRIV_PASS and
STG_SSH_PASS instead of flags; stg never prints them.
`

// Usage writes the help of stg itself: the polling command and the list of
// subcommands.
func Usage(w io.Writer) {
	fmt.Fprint(w, `stg - near-realtime SNMP interface grapher for the terminal

Usage:
  stg [flags] --router ROUTER --user USERNAME    subscriber on a BRAS
  stg [flags] --router ROUTER --if IFACE         any interface (ifName, ifDescr, ifAlias or ifIndex)
  stg [flags] ROUTER IFACE [IFACE...]            net-snmp-like positional form
  stg resolve [flags] --router ROUTER --user U   print ifIndex and names, then exit
  stg top [flags] --router ROUTER                every subscriber (or interface) ranked by its rate, live
  stg demo [flags]                               stg top on a simulated BRAS
  stg sim [flags]                                run the simulator alone
  stg replay [flags] FILE.csv                    view a recording in the TUI
  stg plot [flags] FILE.csv --out FILE.png       a picture of a recording (PNG or SVG)
  stg serve --config FILE [flags]                /metrics of many routers, headless
  stg completion bash|zsh|fish                   shell completion: source <(stg completion bash)
  stg man                                        the manual page: stg man | man -l -
  stg help [SUBCOMMAND]                          this help, or a subcommand's
  stg version                                    the version stg was built from (also --version)

Each subcommand has its own --help. A router named like a subcommand is
given with --router.
`)
	writeGroups(w, Poll, nil)
	writeEnv(w, Poll)
	fmt.Fprint(w, secretsNote+"Exit codes: 0 normal end, 1 runtime failure, 2 usage error.\n")
}

// Help writes the help of a subcommand; it reports false for a name that
// is none.
func Help(w io.Writer, name string) bool {
	switch name {
	case "resolve":
		fmt.Fprint(w, `Usage: `+Resolve.Synopsis+`

Finds each subscriber's interface and prints its ifIndex, ifDescr and
ifName, the method that found it and the time it took; exit 1 when a user
is not found. stg's options may also come before "resolve".

Output:
  -o, --output text|json   aligned text (default), or one JSON object per user
`)
		writeGroups(w, Poll, resolveFlags)
		writeEnv(w, Resolve)
		fmt.Fprint(w, secretsNote+"Exit codes: 0 every user found, 1 a user not found or a runtime failure, 2 usage error.\n")
	case "top":
		topHelp(w)
	case "demo":
		fmt.Fprintf(w, `Usage: %s

Starts a simulated Cisco BRAS in-process on free loopback ports, where a
few subscribers fill the backhaul (first the victim of a DNS
amplification, %s), and opens stg top on it: every
session ranked by its rate. Enter opens the 1-second chart of the
selected subscriber, esc comes back to the table; MyUserName reconnects
every %s on a new interface. Nothing is written to disk. ? lists the
keys, q quits.

%s`, Demo.Synopsis, brassim.UserVictim, DemoFlap, Demo.flagSet().FlagUsages())
	case "sim":
		fmt.Fprintf(w, "Usage: %s\n\nRuns a simulated Cisco BRAS (SNMP agent and IOS-like SSH) on loopback until Ctrl-C.\n"+
			"Its SSH host key is kept in $XDG_CONFIG_HOME/stg/sim_host_ed25519_key (else ~/.config/stg/),\n"+
			"so that known_hosts stays valid from run to run; it writes nothing else.\n\n%s", Sim.Synopsis, Sim.flagSet().FlagUsages())
		writeEnv(w, Sim)
	case "replay":
		fmt.Fprint(w, "usage: "+Replay.Synopsis+`

Shows a CSV recording (stg -o csv, or --log FILE) in the terminal UI.
A last line cut short (an interrupted recording) is skipped and rows out
of time order are sorted, each with a warning; any other bad line is
refused, naming it.
--window is 10s to 24h (default 5m); a recording shorter than the window
is shown whole. Keys: left/right scroll, w steps the window (1m, 5m, 15m,
1h and --window), end jumps to the end, ? lists every key, q quits.

`+Replay.flagSet().FlagUsages())
	case "plot":
		fmt.Fprint(w, "usage: "+Plot.Synopsis+`

Draws a CSV recording (stg -o csv, or --log FILE) as a picture for a
ticket: each target's in rate as a green area and out rate as a blue line,
on one time axis in local time. A poll without a rate is a break in the
line, never a zero; X marks a counter reset or discontinuity, R a
subscriber that reconnected. An existing --out file is replaced only once
the new picture is complete.

Flags:
`+Plot.flagSet().FlagUsagesWrapped(80)+`
--from and --to take 10:54[:10] (that time on the recording's day),
2026-11-27 10:54[:10], RFC 3339, or +5m / -5m (after the recording's
start / before its end). The default size is 1200x600 for one target,
300 pixels higher for each other one.
`)
	case "serve":
		helpServe(w)
	case "help":
		Usage(w)
	case "version":
		fmt.Fprint(w, "Usage: "+VersionCommand.Synopsis+"\n\n"+VersionCommand.Summary+
			": the release, the commit and its date, and the Go toolchain.\n")
	case "completion":
		fmt.Fprint(w, "Usage: "+Completion.Synopsis+`

Prints a completion script for the shell, made from stg's own flag tables:
flags, subcommands, the values of -v, -l, -a, -x, -o, --resolve and
--counters, files, and for --router the hosts of ~/.ssh/config and
~/.snmp/hosts/. Load it in the running shell, or install it:

  bash   source <(stg completion bash)      (in ~/.bashrc)
  zsh    source <(stg completion zsh)       (after compinit, in ~/.zshrc)
  fish   stg completion fish | source       (in ~/.config/fish/config.fish)

make install puts the three scripts where the shells look for them.
`)
	case "man":
		fmt.Fprint(w, "Usage: "+Man.Synopsis+`

Prints stg's manual page (roff), made from the same flag tables as --help.
Read it with: stg man | man -l -
`)
	default:
		return false
	}
	return true
}

// topHelp writes the help of `stg top`.
func topHelp(w io.Writer) {
	fmt.Fprint(w, `Usage: `+Top.Synopsis+`

Ranks every subscriber session of a router (every interface on a router
without sessions, or what --filter matches) by its rate, live: each cycle
reads the octet counters of every row with GETBULK, each row timed by the
answer that carried it, with the rules of stg's rates (a cycle without a
rate is a gap, never a spike or a 0). stg's options may also come before
"top".

On a terminal, a table: rank, subscriber, interface, ifIndex, in, out,
total, trend, share of the sum, and what this cycle read when it was not a
rate. The header says the router, the rows, their sum (the load on the
uplinks), the cycle ("cycle = walk" when reading every row takes longer
than -i) and the age of the table. Keys: up/down, pgup/pgdn, home/end move;
enter opens the 1-second chart of the row (polled at -i; esc comes back to
the table, which kept refreshing); t, i, o sort by total, in, out; / filters;
space pauses; b bits or bytes; ? lists every key; q quits.

Piped (-o csv or jsonl), each cycle's rows in rank order (the first
--limit), with the columns of a poll row and a rank column; stg replay
reads them.

With --listen ADDR, Prometheus /metrics beside the table or the rows (on
loopback without a host; another address prints a warning): the first
--limit rows of each cycle (`+strconv.Itoa(TopListenRows)+` without --limit), their counters under
snmp_exporter's names (ifHCInOctets...) and stg's rates
(stg_if_in_bytes_per_second...), labelled with the subscriber. stg follows
every row's counters, so a row that comes back among the first goes on
counting. README.md, "When one box is not enough", lists the metrics.
`)
	writeGroups(w, Top, nil)
	writeEnv(w, Top)
	fmt.Fprint(w, secretsNote+"Exit codes: 0 normal end, 1 runtime failure (a router with none of the counter columns), 2 usage error.\n")
}

// writeGroups writes the flags of c by group, each under its title; only
// those in only when it is not nil.
func writeGroups(w io.Writer, c Command, only map[string]bool) {
	fs := c.flagSet()
	var titles []string
	byGroup := map[string]*pflag.FlagSet{}
	for _, f := range c.Flags {
		if only != nil && !only[f.Name] {
			continue
		}
		g, ok := byGroup[f.Group]
		if !ok {
			g = pflag.NewFlagSet(f.Group, pflag.ContinueOnError)
			g.SortFlags = false
			byGroup[f.Group] = g
			titles = append(titles, f.Group)
		}
		g.AddFlag(fs.Lookup(f.Name))
	}
	for _, t := range titles {
		fmt.Fprintf(w, "\n%s:\n%s", t, byGroup[t].FlagUsagesWrapped(helpWidth))
	}
}

// writeEnv writes the environment variables c reads: those of its flags,
// then the others.
func writeEnv(w io.Writer, c Command) {
	fmt.Fprint(w, "\nEnvironment:\n")
	for _, f := range c.Flags {
		if f.Env != "" {
			fmt.Fprintf(w, "  %-16s --%s when the flag is not given\n", f.Env, f.Name)
		}
	}
	for _, e := range c.Env {
		fmt.Fprintf(w, "  %-16s %s\n", e.Name, e.Help)
	}
}
