package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// runResolve is `stg resolve --router R --user U [-o text|json]`: it finds
// each user's interface, prints ifIndex, ifDescr, ifName, the method and the
// time it took, and exits 1 when one is not found.
func runResolve(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	format, rest, err := resolveFormat(args)
	if err != nil {
		return usageError(stderr, "resolve", err)
	}
	o, err := parseOptions(rest, getenv)
	if errors.Is(err, errHelp) {
		resolveUsage(stdout)
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "resolve", err)
	}
	if len(o.Users) == 0 || len(o.Ifaces) > 0 {
		return usageError(stderr, "resolve", errors.New("stg resolve takes --user USERNAME (repeatable) and no interfaces"))
	}
	target, err := snmp.ParseTarget(o.Router)
	if err != nil {
		return usageError(stderr, "resolve", err)
	}
	cfg := o.snmpConfig(target)
	if err := cfg.Validate(); err != nil {
		return usageError(stderr, "resolve", errors.New(secret.Redact(err.Error(), o.secrets()...)))
	}
	debug, closeDebug, err := openDebugLog(o.Debug)
	if err != nil {
		return failure(stderr, o, err)
	}
	defer closeDebug()
	debug.Printf("resolve: router %s, SNMP v%s, method %s, users %q", o.Router, o.Version, o.Resolve, o.Users)
	ctx = startupContext(ctx, stderr)
	var c snmp.Client
	if o.Resolve != "ssh" {
		if c, err = snmp.Dial(ctx, cfg); err != nil {
			return failure(stderr, o, err)
		}
		defer c.Close()
	}
	r, release, err := newResolver(o, newFinder(getenv, stderr), c)
	if err != nil {
		return failure(stderr, o, err)
	}
	defer release()
	code := exitOK
	for i, user := range o.Users {
		res, err := r.Resolve(ctx, user)
		if err != nil {
			debug.Printf("user %q: %s", user, secret.Redact(err.Error(), o.secrets()...))
			failure(stderr, o, err)
			code = exitFailure
			continue
		}
		debug.Printf("user %q: ifIndex %d %q by %s in %s", user, res.IfIndex, res.IfDescr, res.Method, res.Elapsed)
		if err := printResult(stdout, format, res, i > 0); err != nil {
			return failure(stderr, o, err)
		}
	}
	return code
}

// resolveFormat takes `-o text|json` (or --output) out of args: the shared
// flag set only knows the polling output modes.
func resolveFormat(args []string) (string, []string, error) {
	format := "text"
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		var v string
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
			continue
		case a == "-o" || a == "--output":
			if i+1 >= len(args) {
				return "", nil, fmt.Errorf("flag needs an argument: %s", a)
			}
			i++
			v = args[i]
		case strings.HasPrefix(a, "--output="):
			v = strings.TrimPrefix(a, "--output=")
		case strings.HasPrefix(a, "-o") && !strings.HasPrefix(a, "--"):
			v = strings.TrimPrefix(strings.TrimPrefix(a, "-o"), "=")
		default:
			rest = append(rest, a)
			continue
		}
		if v != "text" && v != "json" {
			return "", nil, fmt.Errorf("bad -o %q for stg resolve: use text or json", v)
		}
		format = v
	}
	return format, rest, nil
}

// resolveJSON is one line of `stg resolve -o json`.
type resolveJSON struct {
	User      string  `json:"user"`
	IfIndex   int     `json:"ifIndex"`
	IfDescr   string  `json:"ifDescr"`
	IfName    string  `json:"ifName"`
	Method    string  `json:"method"`
	ElapsedMS float64 `json:"elapsed_ms"`
	Note      string  `json:"note,omitempty"`
}

// printResult writes one resolution as aligned text or one JSON line.
func printResult(w io.Writer, format string, res ciscoresolve.Result, separate bool) error {
	if format == "json" {
		b, err := record.MarshalLine(resolveJSON{User: res.User, IfIndex: res.IfIndex, IfDescr: res.IfDescr, IfName: res.IfName,
			Method: string(res.Method), ElapsedMS: float64(res.Elapsed.Microseconds()) / 1000, Note: res.Note})
		if err != nil {
			return fmt.Errorf("encode result of %q: %w", res.User, err)
		}
		_, err = w.Write(b)
		return err
	}
	var b strings.Builder
	if separate {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "user     %s\nifIndex  %d\nifDescr  %s\nifName   %s\nmethod   %s\nelapsed  %s\n",
		res.User, res.IfIndex, res.IfDescr, res.IfName, res.Method, res.Elapsed.Round(time.Microsecond*100))
	if res.Note != "" {
		fmt.Fprintf(&b, "note     %s\n", res.Note)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// finder is what finding users needs besides the options: the
// environment, the SSH password of the run and where to tell the user
// things. Its zero value asks nothing and says nothing.
type finder struct {
	getenv env
	// password is the run's SSH password source; ask allows it to prompt
	// on the terminal (else only an answer already given is used).
	password *sshPassword
	ask      bool
	// notes gets one-line notes such as a recorded host key; nil: none.
	notes io.Writer
	// progress shows long walks; nil: nothing shown.
	progress func(ciscoresolve.Progress)
}

// newFinder is the finder of a run that starts on stderr: it may prompt
// for the SSH password when stderr is a terminal, and shows notes and the
// progress of long walks there, except while the prompt is up.
func newFinder(getenv env, stderr io.Writer) finder {
	f := finder{getenv: getenv, notes: stderr}
	if isTerminal(stderr) {
		f.password, f.ask = newSSHPassword(ttyPassword), true
	}
	f.progress = newProgressPrinter(stderr, f.password.prompting)
	return f
}

// background is the finder of a search that runs while the TUI owns the
// terminal: it neither asks nor prints, and logs in with the password
// given at start-up, if any.
func (f finder) background() finder {
	return finder{getenv: f.getenv, password: f.password}
}

// newResolver builds what --resolve asks for: SNMP (through c), SSH, or for
// auto with --ssh-user both side by side, behind the on-disk cache when
// there is an SNMP client to verify cached answers with. c may be nil for
// --resolve ssh. The returned func releases what the resolver opened.
func newResolver(o *options, f finder, c snmp.Client) (ciscoresolve.Resolver, func(), error) {
	sshConf, err := sshConfig(o, f)
	if err != nil {
		return nil, nil, err
	}
	release := func() {}
	var r ciscoresolve.Resolver
	switch {
	case o.Resolve == "ssh" && sshConf == nil:
		return nil, nil, errors.New("--resolve ssh needs --ssh-user")
	case o.Resolve == "ssh":
		// Nothing runs beside it, so it may confirm with c (when there is one).
		r = &ciscoresolve.SSH{CLI: sshConf, Router: o.Router, Confirm: c}
	case o.Resolve == "auto" && sshConf != nil:
		// The SSH side confirms over SNMP with its own client: a client
		// serves one goroutine, and the SNMP side is walking with c.
		confirm, err := snmp.Dial(context.Background(), o.snmpConfig(mustTarget(o.Router)))
		if err != nil {
			return nil, nil, err
		}
		release = func() { confirm.Close() }
		ssh := &ciscoresolve.SSH{CLI: sshConf, Router: o.Router, Confirm: confirm}
		r = &ciscoresolve.Race{Resolvers: []ciscoresolve.Resolver{&ciscoresolve.SNMP{Client: c, Router: o.Router, Progress: f.progress}, ssh}, Router: o.Router}
	default:
		r = &ciscoresolve.SNMP{Client: c, Router: o.Router, Progress: f.progress}
	}
	if dir := cacheDir(f.getenv); dir != "" && !o.NoCache && c != nil {
		r = &ciscoresolve.Cached{Cache: &ciscoresolve.Cache{Dir: dir}, Router: o.Router, Client: c, Next: r}
	}
	return r, release, nil
}

// mustTarget parses a router already validated by the caller.
func mustTarget(router string) snmp.Target {
	t, _ := snmp.ParseTarget(router)
	return t
}

// sshConfig returns the SSH settings, or nil when SSH is not configured.
// The password is STG_SSH_PASS, else the one the run was given, else asked
// on the terminal when a login needs it and f may ask.
func sshConfig(o *options, f finder) (*ciscoresolve.SSHConfig, error) {
	if o.SSHUser == "" {
		return nil, nil
	}
	home := f.getenv.get("HOME")
	known := o.KnownHosts
	if known == "" {
		if home == "" {
			return nil, errors.New("no home directory for ~/.ssh/known_hosts: give --known-hosts FILE")
		}
		known = filepath.Join(home, ".ssh", "known_hosts")
	}
	c := &ciscoresolve.SSHConfig{
		Host: mustTarget(o.Router).Host, Port: o.SSHPort, User: o.SSHUser, Password: o.SSHPass,
		AgentSocket: f.getenv.get("SSH_AUTH_SOCK"), KnownHosts: known, AcceptNew: o.SSHAcceptNew, Legacy: o.SSHLegacy,
		ConnectTimeout: max(10*time.Second, 3*o.Timeout),
	}
	if home != "" {
		c.KeyFiles = ciscoresolve.DefaultKeyFiles(home)
	}
	if c.Password == "" {
		c.Password = f.password.remembered()
	}
	if c.Password == "" && f.ask {
		c.PasswordPrompt = f.password.prompt
	}
	if f.notes != nil {
		c.Notify = func(msg string) { fmt.Fprintf(f.notes, "stg: note: %s\n", msg) }
	}
	return c, nil
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

// newProgressPrinter shows long walks on w: rewritten in place on a
// terminal, else one line every few seconds and at the end; nothing while
// quiet says so (a password prompt is on the terminal).
func newProgressPrinter(w io.Writer, quiet func() bool) func(ciscoresolve.Progress) {
	tty := isTerminal(w)
	var last time.Duration
	return func(p ciscoresolve.Progress) {
		switch {
		case quiet != nil && quiet():
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

// resolveUsers finds every --user on the router through c and returns the
// poll targets, identity check included.
func resolveUsers(ctx context.Context, o *options, f finder, c snmp.Client) ([]snmp.PollTarget, error) {
	r, release, err := newResolver(o, f, c)
	if err != nil {
		return nil, err
	}
	defer release()
	var targets []snmp.PollTarget
	for _, user := range o.Users {
		t, err := resolveTarget(ctx, o, r, c, user)
		if err != nil {
			return nil, err
		}
		targets = append(targets, t)
	}
	return targets, nil
}

// resolveTarget resolves one user and describes the interface for polling.
func resolveTarget(ctx context.Context, o *options, r ciscoresolve.Resolver, c snmp.Client, user string) (snmp.PollTarget, error) {
	res, err := r.Resolve(ctx, user)
	if err != nil {
		return snmp.PollTarget{}, err
	}
	it, err := snmp.DescribeInterface(ctx, c, res.IfIndex)
	if err != nil {
		return snmp.PollTarget{}, fmt.Errorf("user %q on %s: %w", user, o.Router, err)
	}
	bits, err := counterBits(o.Counters, o.Version, it)
	if err != nil {
		return snmp.PollTarget{}, fmt.Errorf("user %q (%s) on %s: %w", user, it.Label(), o.Router, err)
	}
	return snmp.PollTarget{Name: user, IfIndex: res.IfIndex, IfName: it.Label(), CounterBits: bits, SpeedBps: it.SpeedBps,
		IdentityOID: res.IdentityOID, IdentityValue: res.IdentityValue}, nil
}
