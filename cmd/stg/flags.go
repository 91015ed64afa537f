package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/tui"
)

// options holds every flag of the polling command line (README.md, "Usage").
// parseOptions fills it; the subcommands read it.
type options struct {
	// Router is the agent address as the user typed it:
	// [udp:|tcp:|udp6:|tcp6:]host[:port].
	Router string
	// Ifaces are the --if values and positional IFACE arguments, in order.
	Ifaces []string
	// Users are the --user values (subscriber usernames), in order.
	Users []string

	// SNMP, with net-snmp's letters.
	Version   string        // "1", "2c" or "3"
	Community secret.Secret // -c or STG_COMMUNITY
	SecLevel  string        // "noAuthNoPriv", "authNoPriv" or "authPriv" (SNMPv3)
	SecName   string        // -u, the SNMPv3 security name
	AuthProto string        // MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512
	AuthPass  secret.Secret // -A or STG_AUTH_PASS
	PrivProto string        // DES, AES, AES-192, AES-256, AES-192-C, AES-256-C
	PrivPass  secret.Secret // -X or STG_PRIV_PASS
	Context   string        // -n, the SNMPv3 context name
	Timeout   time.Duration
	Retries   int

	// Polling and output.
	Interval time.Duration
	Count    int           // polls to make; 0 means until stopped
	Duration time.Duration // how long to poll; 0 means until stopped
	Output   string        // "auto", "tui", "csv" or "jsonl"
	LogPath  string        // --log: CSV recording alongside the TUI
	Debug    string        // --debug: a debug log file
	Counters string        // "auto", "64" or "32"
	Bytes    bool          // show bytes instead of bits in the TUI
	Window   time.Duration // time span the TUI shows

	// Subscriber resolution.
	Resolve      string        // "auto", "snmp" or "ssh"
	SSHUser      string        // --ssh-user
	SSHPass      secret.Secret // STG_SSH_PASS only: never a flag
	SSHPort      int           // --ssh-port
	KnownHosts   string        // --known-hosts; "" means ~/.ssh/known_hosts
	SSHAcceptNew bool          // trust an unknown host key on first use
	SSHLegacy    bool          // allow old key exchange and CBC ciphers
	NoCache      bool          // neither read nor write the cache of resolved users
}

// errHelp is returned by parseOptions when the user asked for --help.
var errHelp = errors.New("help requested")

// Defaults of the flags that have one.
const (
	defaultInterval = time.Second
	defaultTimeout  = time.Second
	defaultWindow   = tui.DefaultWindow
	defaultSSHPort  = 22
	minInterval     = 100 * time.Millisecond
	maxSeconds      = 1e9
)

// parseOptions parses the polling command line. Secrets not given as flags
// come from getenv. It returns errHelp for -h/--help and otherwise an error
// whose text is one line saying what to fix; it never prints.
func parseOptions(args []string, getenv env) (_ *options, err error) {
	defer func() {
		if err != nil && !errors.Is(err, errHelp) {
			err = errors.New(escapeControls(err.Error())) // typed values are echoed
		}
	}()
	o := &options{}
	fs, _ := newFlagSets(o)
	if err := fs.Parse(args); err != nil {
		return nil, flagError(err)
	}
	if help, _ := fs.GetBool("help"); help {
		return nil, errHelp
	}
	if err := o.communityFromEnv(fs, getenv); err != nil {
		return nil, err
	}
	secretFromEnv(fs, "auth-pass", &o.AuthPass, getenv.get("STG_AUTH_PASS"))
	secretFromEnv(fs, "priv-pass", &o.PrivPass, getenv.get("STG_PRIV_PASS"))
	o.SSHPass = secret.Secret(getenv.get("STG_SSH_PASS"))
	if r := fs.Lookup("router").Value.(*routerValue); len(r.given) > 1 {
		return nil, fmt.Errorf("--router is given more than once (%s, then %s): stg polls one router per run; start one stg per router",
			echo(r.given[0]), echo(r.given[1]))
	}
	if err := o.placePositional(fs.Args()); err != nil {
		return nil, err
	}
	if err := o.checkTargets(); err != nil {
		return nil, err
	}
	if err := o.checkSNMP(fs); err != nil {
		return nil, err
	}
	if err := o.checkPolling(); err != nil {
		return nil, err
	}
	return o, nil
}

// newFlagSets builds the flag set bound to o, and the same flags split into
// titled groups for the usage text.
func newFlagSets(o *options) (*pflag.FlagSet, []flagGroup) {
	target := pflag.NewFlagSet("target", pflag.ContinueOnError)
	target.Var(&routerValue{dst: &o.Router}, "router", "the SNMP agent `ROUTER`: [udp:|tcp:|udp6:|tcp6:]host[:port], default port 161")
	target.StringArrayVar(&o.Ifaces, "if", nil, "interface `IFACE` to poll: ifName, ifDescr, ifAlias or ifIndex (repeatable)")
	target.StringArrayVar(&o.Users, "user", nil, "subscriber `USERNAME` on a BRAS (repeatable)")

	snmpFS := pflag.NewFlagSet("snmp", pflag.ContinueOnError)
	snmpFS.StringVarP(&o.Version, "snmp-version", "v", "2c", "SNMP `version`: 1, 2c or 3")
	snmpFS.VarP((*secretValue)(&o.Community), "community", "c", "`community` for v1/v2c (default \"public\"; or STG_COMMUNITY)")
	snmpFS.StringVarP(&o.SecLevel, "sec-level", "l", "", "SNMPv3 `level`: noAuthNoPriv, authNoPriv or authPriv (default: from -A/-X)")
	snmpFS.StringVarP(&o.SecName, "sec-name", "u", "", "SNMPv3 security `name`")
	snmpFS.StringVarP(&o.AuthProto, "auth-proto", "a", "SHA", "SNMPv3 auth `protocol`: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512")
	snmpFS.VarP((*secretValue)(&o.AuthPass), "auth-pass", "A", "SNMPv3 auth `passphrase` (or STG_AUTH_PASS)")
	snmpFS.StringVarP(&o.PrivProto, "priv-proto", "x", "AES", "SNMPv3 privacy `protocol`: DES, AES, AES-192, AES-256, AES-192-C, AES-256-C")
	snmpFS.VarP((*secretValue)(&o.PrivPass), "priv-pass", "X", "SNMPv3 privacy `passphrase` (or STG_PRIV_PASS)")
	snmpFS.StringVarP(&o.Context, "context", "n", "", "SNMPv3 context `name`")
	o.Timeout = defaultTimeout
	snmpFS.VarP((*durationValue)(&o.Timeout), "timeout", "t", "request timeout: seconds or a duration; polls never wait past 80% of the interval")
	snmpFS.IntVarP(&o.Retries, "retries", "r", 5, "resends of a start-up request after -t without an answer, as net-snmp; polls are never resent")

	out := pflag.NewFlagSet("output", pflag.ContinueOnError)
	o.Interval = defaultInterval
	out.VarP((*durationValue)(&o.Interval), "interval", "i", "time between polls: seconds (0.5) or a duration (500ms)")
	out.IntVar(&o.Count, "count", 0, "stop after `N` polls (default: run until stopped)")
	out.Var((*durationValue)(&o.Duration), "duration", "poll for this long, e.g. 2s or 5m: the last poll starts at D and completes (default: run until stopped)")
	out.StringVarP(&o.Output, "output", "o", "auto", "`mode`: auto (TUI on a terminal, CSV when piped), tui, csv or jsonl")
	out.StringVar(&o.LogPath, "log", "", "also record CSV rows to `FILE`")
	out.StringVar(&o.Counters, "counters", "auto", "counter `width`: auto (64-bit when the agent has them), 64 or 32")
	out.BoolVar(&o.Bytes, "bytes", false, "show bytes per second instead of bits in the TUI")
	o.Window = defaultWindow
	out.Var((*durationValue)(&o.Window), "window", "time span the TUI shows, 10s to 24h, e.g. 30s, 10m or 2h")
	out.StringVar(&o.Debug, "debug", "", "write a debug log to `FILE`")

	res := pflag.NewFlagSet("resolve", pflag.ContinueOnError)
	res.StringVar(&o.Resolve, "resolve", "auto", "how --user is found: `mode` auto (SNMP, then SSH), snmp or ssh")
	res.StringVar(&o.SSHUser, "ssh-user", "", "SSH login `name`: --resolve ssh needs it, auto adds SSH beside SNMP (password: STG_SSH_PASS, else asked on a terminal)")
	res.IntVar(&o.SSHPort, "ssh-port", defaultSSHPort, "SSH `port`")
	res.StringVar(&o.KnownHosts, "known-hosts", "", "known_hosts `FILE` (default ~/.ssh/known_hosts)")
	res.BoolVar(&o.SSHAcceptNew, "ssh-accept-new", false, "trust an unknown SSH host key on first use (a changed key is always refused)")
	res.BoolVar(&o.SSHLegacy, "ssh-legacy", false, "allow old SSH key exchange and CBC ciphers (old IOS)")
	res.BoolVar(&o.NoCache, "no-cache", false, "neither read nor write the cache of resolved users")

	fs := pflag.NewFlagSet("stg", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	other := pflag.NewFlagSet("other", pflag.ContinueOnError)
	other.BoolP("help", "h", false, "show this help")
	groups := []flagGroup{
		{"Target", target},
		{"SNMP (net-snmp letters)", snmpFS},
		{"Polling and output", out},
		{"Subscriber resolution (--user)", res},
		{"Other", other},
	}
	for _, g := range groups {
		g.flags.SortFlags = false
		fs.AddFlagSet(g.flags)
	}
	return fs, groups
}

// flagGroup is a titled part of the usage text.
type flagGroup struct {
	title string
	flags *pflag.FlagSet
}

// flagError turns a pflag error into stg's one-line usage reason.
func flagError(err error) error {
	if errors.Is(err, pflag.ErrHelp) {
		return errHelp
	}
	return errors.New(strings.TrimPrefix(err.Error(), "pflag: "))
}

// communityFromEnv takes the community from STG_COMMUNITY when -c is
// absent. An empty community, typed or from the environment, is refused
// for SNMPv1 and v2c: it is a mistake (an unset shell variable, a typo),
// never a real community; leaving both out keeps the default "public".
func (o *options) communityFromEnv(fs *pflag.FlagSet, getenv env) error {
	if strings.TrimPrefix(strings.ToLower(o.Version), "v") == "3" {
		return nil // SNMPv3 has no community
	}
	if fs.Changed("community") {
		if o.Community == "" {
			return errors.New(`-c is empty: give the community, or leave -c out for the default "public"`)
		}
		return nil
	}
	v, set := getenv("STG_COMMUNITY")
	if set && v == "" {
		return errors.New(`STG_COMMUNITY is set but empty: set it to the community, or unset it for the default "public"`)
	}
	o.Community = secret.Secret(v)
	return nil
}

// secretFromEnv sets *dst from an environment value when the flag is absent.
func secretFromEnv(fs *pflag.FlagSet, flag string, dst *secret.Secret, value string) {
	if !fs.Changed(flag) && value != "" {
		*dst = secret.Secret(value)
	}
}

// placePositional reads ROUTER IFACE... when --router is absent.
func (o *options) placePositional(args []string) error {
	if o.Router != "" {
		if len(args) > 0 {
			return fmt.Errorf("unexpected argument %s: with --router, name interfaces with --if", echo(args[0]))
		}
		return nil
	}
	if len(args) == 0 {
		return errors.New("no router: give --router ROUTER or ROUTER as the first argument")
	}
	o.Router = args[0]
	o.Ifaces = append(append([]string(nil), args[1:]...), o.Ifaces...)
	return nil
}

// checkTargets requires at least one target and no duplicates.
func (o *options) checkTargets() error {
	if strings.TrimSpace(o.Router) == "" {
		return errors.New("empty router: give --router HOST")
	}
	if len(o.Ifaces) == 0 && len(o.Users) == 0 {
		return fmt.Errorf("nothing to poll on %s: add --if IFACE or --user USERNAME", o.Router)
	}
	seen := map[string]bool{}
	for _, t := range append(append([]string(nil), o.Ifaces...), o.Users...) {
		if strings.TrimSpace(t) == "" {
			return errors.New("empty --if or --user value")
		}
		if seen[t] {
			return fmt.Errorf("target %s is given twice", echo(t))
		}
		seen[t] = true
	}
	return nil
}

// checkSNMP validates and normalises the SNMP flags: the version and the
// protocols are read as they are typed, whatever the level uses, and the
// rest is snmp.Config's Validate, worded in the flags.
func (o *options) checkSNMP(fs *pflag.FlagSet) error {
	v, err := snmp.ParseVersion(o.Version)
	if err != nil {
		return snmpFlagError(err)
	}
	o.Version = string(v)
	if o.Timeout <= 0 {
		return errors.New("-t must be above 0")
	}
	if v != snmp.Version3 {
		for _, f := range []string{"sec-level", "sec-name", "auth-proto", "auth-pass", "priv-proto", "priv-pass", "context"} {
			if fs.Changed(f) {
				return fmt.Errorf("-%s is an SNMPv3 option: add -v 3", fs.Lookup(f).Shorthand)
			}
		}
		if o.Community == "" {
			o.Community = "public"
		}
	} else {
		if o.AuthProto, err = snmp.ParseAuthProto(o.AuthProto); err != nil {
			return snmpFlagError(err)
		}
		if o.PrivProto, err = snmp.ParsePrivProto(o.PrivProto); err != nil {
			return snmpFlagError(err)
		}
		if !fs.Changed("sec-level") {
			o.SecLevel = "" // the strongest the passphrases allow
		} else if o.SecLevel, err = snmp.ParseSecLevel(o.SecLevel); err != nil {
			return snmpFlagError(err)
		}
	}
	cfg, err := o.snmpConfig(snmp.Target{Host: "-", Port: 161}).Normalize()
	if err != nil {
		return snmpFlagError(err)
	}
	o.SecLevel = cfg.SecLevel
	return nil
}

// snmpFlags are the flags that set what an snmp.ConfigError is about.
var snmpFlags = map[snmp.Setting]struct{ flag, what, env string }{
	snmp.SettingVersion:   {flag: "-v"},
	snmp.SettingSecName:   {flag: "-u"},
	snmp.SettingSecLevel:  {flag: "-l"},
	snmp.SettingAuthProto: {flag: "-a"},
	snmp.SettingPrivProto: {flag: "-x"},
	snmp.SettingAuthPass:  {"-A", "an auth passphrase", "STG_AUTH_PASS"},
	snmp.SettingPrivPass:  {"-X", "a privacy passphrase", "STG_PRIV_PASS"},
	snmp.SettingRetries:   {flag: "-r"},
}

// snmpFlagError words a setting snmp.Config refuses in the flags that set
// it; other errors are returned as they are.
func snmpFlagError(err error) error {
	var ce *snmp.ConfigError
	if !errors.As(err, &ce) {
		return err
	}
	f, ok := snmpFlags[ce.Setting]
	if !ok {
		return err
	}
	switch {
	case ce.Problem == snmp.Unknown:
		return fmt.Errorf("bad %s %s: use %s", f.flag, echo(ce.Value), snmp.OrList(ce.Accepted))
	case ce.Problem == snmp.Negative:
		return fmt.Errorf("%s must be 0 or more", f.flag)
	case ce.Problem == snmp.TooShort:
		_, what, _ := strings.Cut(f.what, " ")
		return fmt.Errorf("the %s (%s) is shorter than %d characters, which SNMPv3 refuses", what, f.flag, snmp.MinPassphrase)
	case ce.Setting == snmp.SettingSecName:
		return errors.New("-v 3 needs a security name: add -u NAME")
	case f.env != "":
		return fmt.Errorf("-l %s needs %s: add %s PASS or set %s", ce.Level, f.what, f.flag, f.env)
	}
	return err
}

// checkPolling validates the polling, output and resolution flags.
func (o *options) checkPolling() error {
	switch {
	case o.Interval <= 0:
		return fmt.Errorf("--interval must be above 0 (got %s)", o.Interval)
	case o.Interval < minInterval:
		return fmt.Errorf("--interval %s is too short: the minimum is %s", o.Interval, minInterval)
	case o.Count < 0:
		return errors.New("--count must be 0 (no limit) or more")
	case o.Duration < 0:
		return errors.New("--duration must be 0 (no limit) or more")
	case o.SSHPort < 1 || o.SSHPort > 65535:
		return fmt.Errorf("--ssh-port %d is not a port number (1-65535)", o.SSHPort)
	}
	if err := tui.CheckWindow(o.Window, o.Interval); err != nil {
		return fmt.Errorf("--window: %w", err)
	}
	for _, c := range []struct{ flag, value, want string }{
		{"-o", o.Output, "auto tui csv jsonl"},
		{"--counters", o.Counters, "auto 64 32"},
		{"--resolve", o.Resolve, "auto snmp ssh"},
	} {
		if !containsWord(c.want, c.value) {
			return fmt.Errorf("bad %s %s: use one of %s", c.flag, echo(c.value), strings.ReplaceAll(c.want, " ", ", "))
		}
	}
	if o.Resolve == "ssh" && o.SSHUser == "" {
		return errors.New("--resolve ssh needs --ssh-user NAME (the password from STG_SSH_PASS or a prompt, or a key)")
	}
	if o.Counters == "64" && o.Version == "1" {
		return errors.New("--counters 64 needs -v 2c or 3: SNMPv1 has no 64-bit counters")
	}
	return nil
}

// containsWord reports whether w is one of the space-separated words.
func containsWord(words, w string) bool {
	for _, x := range strings.Fields(words) {
		if x == w {
			return true
		}
	}
	return false
}
