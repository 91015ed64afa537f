package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/snmp"
)

// runResolve is `stg resolve --router R --user U [-o text|json]`: it finds
// each user's interface, prints ifIndex, ifDescr, ifName, the method and the
// time it took, and exits 1 when one is not found.
func runResolve(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	format, rest, err := resolveFormat(args)
	if err != nil {
		return usageError(stderr, err)
	}
	o, err := parseOptions(rest, getenv)
	if errors.Is(err, errHelp) {
		usage(stdout)
		return exitOK
	}
	if err != nil {
		return usageError(stderr, err)
	}
	if len(o.Users) == 0 || len(o.Ifaces) > 0 {
		return usageError(stderr, errors.New("stg resolve takes --user USERNAME (repeatable) and no interfaces"))
	}
	target, err := snmp.ParseTarget(o.Router)
	if err != nil {
		return usageError(stderr, err)
	}
	cfg := o.snmpConfig(target)
	if err := cfg.Validate(); err != nil {
		return usageError(stderr, errors.New(scrub(err.Error(), o.secrets()...)))
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
	r, release, err := newResolver(o, getenv, c, newProgressPrinter(stderr), isTerminal(stderr))
	if err != nil {
		return failure(stderr, o, err)
	}
	defer release()
	code := exitOK
	for i, user := range o.Users {
		res, err := r.Resolve(ctx, user)
		if err != nil {
			debug.Printf("user %q: %s", user, scrub(err.Error(), o.secrets()...))
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
		b, err := json.Marshal(resolveJSON{User: res.User, IfIndex: res.IfIndex, IfDescr: res.IfDescr, IfName: res.IfName,
			Method: string(res.Method), ElapsedMS: float64(res.Elapsed.Microseconds()) / 1000, Note: res.Note})
		if err != nil {
			return fmt.Errorf("encode result of %q: %w", res.User, err)
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
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

// newResolver builds what --resolve asks for: SNMP (through c, behind the
// on-disk cache), SSH, or for auto with --ssh-user both side by side. c may
// be nil for --resolve ssh. prompt allows asking for the SSH password on the
// terminal, which only --resolve ssh does: in a race the prompt could not be
// cancelled when SNMP wins. The returned func releases what the resolver
// opened.
func newResolver(o *options, getenv env, c snmp.Client, progress func(ciscoresolve.Progress), prompt bool) (ciscoresolve.Resolver, func(), error) {
	sshConf, err := sshConfig(o, getenv, prompt && o.Resolve == "ssh")
	if err != nil {
		return nil, nil, err
	}
	if o.Resolve == "ssh" {
		if sshConf == nil {
			return nil, nil, errors.New("--resolve ssh needs --ssh-user")
		}
		// Nothing runs beside it, so it may confirm with c (when there is one).
		return &ciscoresolve.SSH{CLI: sshConf, Router: o.Router, Confirm: c}, func() {}, nil
	}
	release := func() {}
	var r ciscoresolve.Resolver = &ciscoresolve.SNMP{Client: c, Router: o.Router, Progress: progress}
	if o.Resolve == "auto" && sshConf != nil {
		// The SSH side confirms over SNMP with its own client: a client
		// serves one goroutine, and the SNMP side is walking with c.
		confirm, err := snmp.Dial(context.Background(), o.snmpConfig(mustTarget(o.Router)))
		if err != nil {
			return nil, nil, err
		}
		release = func() { confirm.Close() }
		ssh := &ciscoresolve.SSH{CLI: sshConf, Router: o.Router, Confirm: confirm}
		r = &ciscoresolve.Race{Resolvers: []ciscoresolve.Resolver{r, ssh}, Router: o.Router}
	}
	if dir := cacheDir(getenv); dir != "" {
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
func sshConfig(o *options, getenv env, prompt bool) (*ciscoresolve.SSHConfig, error) {
	if o.SSHUser == "" {
		return nil, nil
	}
	home := getenv("HOME")
	known := o.KnownHosts
	if known == "" {
		if home == "" {
			return nil, errors.New("no home directory for ~/.ssh/known_hosts: give --known-hosts FILE")
		}
		known = filepath.Join(home, ".ssh", "known_hosts")
	}
	c := &ciscoresolve.SSHConfig{
		Host: mustTarget(o.Router).Host, Port: o.SSHPort, User: o.SSHUser, Password: o.SSHPass,
		AgentSocket: getenv("SSH_AUTH_SOCK"), KnownHosts: known, AcceptNew: o.SSHAcceptNew, Legacy: o.SSHLegacy,
		ConnectTimeout: max(10*time.Second, 3*o.Timeout),
	}
	if home != "" {
		c.KeyFiles = ciscoresolve.DefaultKeyFiles(home)
	}
	if o.SSHPass == "" && prompt {
		c.PasswordPrompt = ciscoresolve.PromptOnce(ttyPassword)
	}
	return c, nil
}

// ttyPassword asks for a password on the controlling terminal, without echo.
func ttyPassword(prompt string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("no terminal to ask for the SSH password (set STG_SSH_PASS): %w", err)
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("read the SSH password: %w", err)
	}
	return string(b), nil
}

// cacheDir is where resolutions are cached: $STG_CACHE_DIR, else
// $XDG_CACHE_HOME/stg, else ~/.cache/stg; "" (no cache) when none is known.
func cacheDir(getenv env) string {
	if d := getenv("STG_CACHE_DIR"); d != "" {
		return d
	}
	if d := getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "stg")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache", "stg")
	}
	return ""
}

// newProgressPrinter shows long walks on w: rewritten in place on a
// terminal, else one line every few seconds and at the end.
func newProgressPrinter(w io.Writer) func(ciscoresolve.Progress) {
	tty := isTerminal(w)
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

// resolveUsers finds every --user on the router through c and returns the
// poll targets, identity check included. Progress of long walks goes to
// progress.
func resolveUsers(ctx context.Context, o *options, c snmp.Client, progress io.Writer) ([]snmp.PollTarget, error) {
	r, release, err := newResolver(o, os.Getenv, c, newProgressPrinter(progress), isTerminal(progress))
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

// follow runs until ctx ends: for each name on lost (the poller's OnLost)
// it marks the target offline and finds it again in the background, with
// back-off: a user by resolving it, an --if interface by its name. Then it
// retargets the poller to the interface found (its next row says
// `reconnected`). Each search has its own SNMP client; the SSH password can
// only come from STG_SSH_PASS or keys here, since the terminal belongs to
// the TUI.
func follow(ctx context.Context, o *options, p *snmp.Poller, lost <-chan string) {
	var (
		mu   sync.Mutex
		busy = map[string]bool{}
		wg   sync.WaitGroup
	)
	defer wg.Wait()
	for {
		var name string
		var ok bool
		select {
		case <-ctx.Done():
			return
		case name, ok = <-lost:
			if !ok {
				return
			}
		}
		mu.Lock()
		if busy[name] {
			mu.Unlock()
			continue
		}
		busy[name] = true
		mu.Unlock()
		p.SetOffline(name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if t, err := refind(ctx, o, name); err == nil {
				p.Retarget(name, t)
			}
			mu.Lock()
			delete(busy, name)
			mu.Unlock()
		}()
	}
}

// refind finds a lost target again, a user or an --if interface, until it
// is back or ctx ends.
func refind(ctx context.Context, o *options, name string) (snmp.PollTarget, error) {
	c, err := snmp.Dial(ctx, o.snmpConfig(mustTarget(o.Router)))
	if err != nil {
		return snmp.PollTarget{}, err
	}
	defer c.Close()
	find := func(ctx context.Context, spec string) (snmp.PollTarget, error) {
		t, _, err := interfaceTarget(ctx, o, c, spec)
		return t, err
	}
	if slices.Contains(o.Users, name) {
		r, release, err := newResolver(o, os.Getenv, c, nil, false)
		if err != nil {
			return snmp.PollTarget{}, err
		}
		defer release()
		find = func(ctx context.Context, user string) (snmp.PollTarget, error) {
			return resolveTarget(ctx, o, r, c, user)
		}
	}
	var t snmp.PollTarget
	f := &ciscoresolve.Follower{Resolver: resolverFunc(func(ctx context.Context, name string) (ciscoresolve.Result, error) {
		var err error
		t, err = find(ctx, name)
		return ciscoresolve.Result{}, err
	})}
	if _, err := f.Refind(ctx, name); err != nil {
		return snmp.PollTarget{}, err
	}
	return t, nil
}

// resolverFunc adapts a function to ciscoresolve.Resolver.
type resolverFunc func(ctx context.Context, user string) (ciscoresolve.Result, error)

// Resolve implements ciscoresolve.Resolver.
func (f resolverFunc) Resolve(ctx context.Context, user string) (ciscoresolve.Result, error) {
	return f(ctx, user)
}
