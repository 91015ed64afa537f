package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/prompt"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/session"
	"github.com/stg-project/stg/snmp"
)

// runPoll is stg's main mode: it polls the targets and shows the samples
// in the terminal UI, or writes them as CSV/JSONL when stdout is not a
// terminal, with --log recording beside either.
func runPoll(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, getenv)
	if errors.Is(err, errHelp) {
		usage(stdout)
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "", err)
	}
	cfg, err := o.sessionConfig(getenv)
	if err != nil {
		return usageError(stderr, "", err)
	}
	format := o.Output
	switch {
	case format == "auto" && prompt.IsTerminal(stdout):
		format = "tui"
	case format == "auto":
		format = "csv" // piped: never start the TUI
	case format == "tui" && !prompt.IsTerminal(stdout):
		return usageError(stderr, "", errors.New("-o tui needs a terminal on stdout: use -o csv or -o jsonl"))
	}
	var closeDebug func()
	if cfg.Debug, closeDebug, err = openDebugLog(o.Debug); err != nil {
		return failure(stderr, err)
	}
	defer closeDebug()
	out := startupOutputs(stderr)
	if format == "tui" {
		ui := &tuiOutput{window: o.Window, bytes: o.Bytes, stdin: stdin, stdout: stdout}
		out.Consumers, out.Note = []session.Consumer{ui}, ui.note
	} else {
		out.Consumers = []session.Consumer{session.PipeRows(stdout, record.Format(format))}
	}
	if o.LogPath != "" {
		out.Consumers = append(out.Consumers, session.LogRows(o.LogPath))
	}
	if err := session.Run(ctx, cfg, out); err != nil {
		if ctx.Err() != nil {
			return exitOK // interrupted while starting: nothing to report
		}
		return failure(stderr, err)
	}
	return exitOK
}

// startupOutputs are what a run on stderr tells the user: notes as
// `stg: note: ...` lines; on a terminal also each request sent again, the
// progress of long walks and the SSH password prompt.
func startupOutputs(stderr io.Writer) session.Outputs {
	out := session.Outputs{Note: func(text string) { fmt.Fprintf(stderr, "stg: note: %s\n", text) }}
	if prompt.IsTerminal(stderr) {
		out.Retry = func(r snmp.Retry) { fmt.Fprintf(stderr, "stg: %s\n", r) }
		out.AskPassword = prompt.Password
	}
	out.Progress = newProgressPrinter(stderr)
	return out
}

// newProgressPrinter shows long walks on w: rewritten in place on a
// terminal, else one line every few seconds and at the end.
func newProgressPrinter(w io.Writer) func(ciscoresolve.Progress) {
	tty := prompt.IsTerminal(w)
	var last time.Duration
	return func(p ciscoresolve.Progress) {
		switch {
		case tty && p.Done:
			fmt.Fprintf(w, "\r\x1b[Kstg: %s\n", p)
		case tty:
			fmt.Fprintf(w, "\r\x1b[Kstg: %s", p)
		case p.Done || p.Elapsed-last >= 5*time.Second:
			last = p.Elapsed
			fmt.Fprintf(w, "stg: %s\n", p)
		}
	}
}

// sessionConfig is the run the options ask for: the router parsed and the
// SNMP settings checked (a usage error otherwise), the environment turned
// into plain values.
func (o *options) sessionConfig(getenv env) (session.Config, error) {
	target, err := snmp.ParseTarget(o.Router)
	if err != nil {
		return session.Config{}, err
	}
	cfg := session.Config{
		SNMP: o.snmpConfig(target), Router: o.Router, Ifaces: o.Ifaces, Users: o.Users,
		Interval: o.Interval, Count: o.Count, Duration: o.Duration,
		Counters: snmp.CounterMode(o.Counters), Resolve: session.ResolveMode(o.Resolve),
		SSH: session.SSH{User: o.SSHUser, Port: o.SSHPort, Password: o.SSHPass, KnownHosts: o.KnownHosts,
			Home: getenv.get("HOME"), AgentSocket: getenv.get("SSH_AUTH_SOCK"), AcceptNew: o.SSHAcceptNew, Legacy: o.SSHLegacy},
	}
	if !o.NoCache {
		cfg.CacheDir = cacheDir(getenv)
	}
	if err := cfg.SNMP.Validate(); err != nil {
		return session.Config{}, errors.New(secret.Redact(err.Error(), cfg.SNMP.Secrets()...))
	}
	return cfg, nil
}

// snmpConfig builds the client configuration of the options.
func (o *options) snmpConfig(t snmp.Target) snmp.Config {
	return snmp.Config{
		Target: t, Version: snmp.Version(o.Version), Community: o.Community,
		SecLevel: o.SecLevel, SecName: o.SecName,
		AuthProto: o.AuthProto, AuthPass: o.AuthPass,
		PrivProto: o.PrivProto, PrivPass: o.PrivPass,
		Context: o.Context, Timeout: o.Timeout, Retries: o.Retries,
	}
}

// cacheDir is where resolutions are cached: $STG_CACHE_DIR, else
// $XDG_CACHE_HOME/stg, else ~/.cache/stg; "" (no cache) when none is known.
func cacheDir(getenv env) string {
	if d := getenv.get("STG_CACHE_DIR"); d != "" {
		return d
	}
	if d := getenv.get("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "stg")
	}
	if h := getenv.get("HOME"); h != "" {
		return filepath.Join(h, ".cache", "stg")
	}
	return ""
}

// openDebugLog opens the --debug file, or returns a logger that discards.
func openDebugLog(path string) (*log.Logger, func(), error) {
	if path == "" {
		return nil, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open debug log: %w", err)
	}
	return log.New(f, "", log.LstdFlags|log.Lmicroseconds), func() { f.Close() }, nil
}
