package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// usage writes the help of stg itself: the polling command and the list of
// subcommands.
func usage(w io.Writer) {
	_, groups := newFlagSets(&options{})
	fmt.Fprint(w, `stg - near-realtime SNMP interface grapher for the terminal

Usage:
  stg [flags] --router ROUTER --user USERNAME    subscriber on a BRAS
  stg [flags] --router ROUTER --if IFACE         any interface (ifName, ifDescr, ifAlias or ifIndex)
  stg [flags] ROUTER IFACE [IFACE...]            net-snmp-like positional form
  stg resolve [flags] --router ROUTER --user U   print ifIndex and names, then exit
  stg demo [flags]                               simulated BRAS and live TUI
  stg sim [flags]                                run the simulator alone
  stg replay [flags] FILE.csv                    view a recording in the TUI
  stg plot [flags] FILE.csv --out FILE.png       a picture of a recording (PNG or SVG)
  stg help [SUBCOMMAND]                          this help, or a subcommand's
  stg version                                    the version stg was built from

Each subcommand has its own --help. A router named like a subcommand is
given with --router.
`)
	for _, g := range groups {
		fmt.Fprintf(w, "\n%s:\n%s", g.title, g.flags.FlagUsagesWrapped(100))
	}
	fmt.Fprint(w, `
Secrets can come from STG_COMMUNITY, STG_AUTH_PASS, STG_PRIV_PASS and
STG_SSH_PASS instead of flags; stg never prints them.
Exit codes: 0 normal end, 1 runtime failure, 2 usage error.
`)
}

// resolveUsage writes the help of `stg resolve`: its own -o and the flags
// of stg that apply to finding a user.
func resolveUsage(w io.Writer) {
	_, groups := newFlagSets(&options{})
	fmt.Fprint(w, `Usage: stg resolve [flags] --router ROUTER --user USERNAME [--user USERNAME...]

Finds each subscriber's interface and prints its ifIndex, ifDescr and
ifName, the method that found it and the time it took; exit 1 when a user
is not found. stg's options may also come before "resolve".

Output:
  -o, --output text|json   aligned text (default), or one JSON object per user
`)
	for _, g := range groups {
		part := pflag.NewFlagSet(g.title, pflag.ContinueOnError)
		part.SortFlags = false
		g.flags.VisitAll(func(f *pflag.Flag) {
			if resolveFlags[f.Name] {
				part.AddFlag(f)
			}
		})
		if part.HasFlags() {
			fmt.Fprintf(w, "\n%s:\n%s", g.title, part.FlagUsagesWrapped(100))
		}
	}
	fmt.Fprint(w, `
Secrets can come from STG_COMMUNITY, STG_AUTH_PASS, STG_PRIV_PASS and
STG_SSH_PASS instead of flags; stg never prints them.
Exit codes: 0 every user found, 1 a user not found or a runtime failure, 2 usage error.
`)
}

// resolveFlags are the flags of stg that `stg resolve` uses.
var resolveFlags = map[string]bool{
	"router": true, "user": true,
	"snmp-version": true, "community": true, "sec-level": true, "sec-name": true, "auth-proto": true,
	"auth-pass": true, "priv-proto": true, "priv-pass": true, "context": true, "timeout": true, "retries": true,
	"debug": true, "resolve": true, "ssh-user": true, "ssh-port": true, "known-hosts": true,
	"ssh-accept-new": true, "ssh-legacy": true, "no-cache": true, "help": true,
}

// demoUsage writes the help of `stg demo`.
func demoUsage(w io.Writer) {
	fmt.Fprintf(w, `Usage: stg demo [flags]

Starts a simulated Cisco BRAS in-process on free loopback ports and opens
the terminal UI on three of its subscribers (MyUserName, a DNS
amplification victim and a bursty downloader); they reconnect every %s,
so the demo also shows stg following a subscriber. Nothing is written to
disk. q quits.

%s`, demoFlap, demoFlags(new(int), new(uint64)).FlagUsages())
}

// simUsage writes the help of `stg sim`, which runSim prints for --help.
func simUsage(w io.Writer) {
	runSim(context.Background(), []string{"--help"}, func(string) (string, bool) { return "", false }, w, io.Discard)
}
