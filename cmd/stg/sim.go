package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/crypto/ssh"

	"github.com/stg-project/stg/internal/brassim"
)

// Defaults of `stg sim`: a local test router whose credentials are printed
// on purpose.
const (
	simDefaultListen    = "127.0.0.1:1161"
	simDefaultSSH       = "127.0.0.1:2222"
	simDefaultCommunity = "public"
	simDefaultSSHUser   = "noc"
	simDefaultSSHPass   = "noc"
)

// runSim runs the simulated BRAS in the foreground until ctx ends (SIGINT).
func runSim(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("stg sim", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o := brassim.Options{}
	fs.StringVar(&o.Listen, "listen", simDefaultListen, "SNMP agent UDP address (loopback only)")
	fs.StringVar(&o.SSHListen, "ssh", simDefaultSSH, "SSH server TCP address (loopback only)")
	fs.StringVar(&o.SSHUser, "ssh-user", simDefaultSSHUser, "SSH login name")
	fs.StringVar(&o.SSHPassword, "ssh-password", simDefaultSSHPass, "SSH password")
	fs.StringVar(&o.Community, "community", simDefaultCommunity, "SNMP v1/v2c community")
	fs.IntVar(&o.Sessions, "sessions", 50, fmt.Sprintf("subscriber sessions (1 to %d)", brassim.MaxSessions))
	fs.DurationVar(&o.Cache, "cache", 0, "serve interface counters refreshed only every D (0: always fresh)")
	cacheMode := fs.String("cache-mode", "request", "with --cache, the refresh `mode`: request (when asked D or more after the last refresh) or timer (every D, phase from --seed)")
	fs.DurationVar(&o.Flap, "flap", 0, "reconnect MyUserName and some others every D (0: never)")
	fs.DurationVar(&o.FlapDown, "flap-down", 0, "how long a flapped session stays offline before it comes back")
	fs.Float64Var(&o.FlapShare, "flap-share", 0.05, "share of the other subscribers that flap with --flap")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of usernames and traffic")
	fs.StringVar(&o.Hostname, "hostname", "bras1", "sysName of the router")
	fs.BoolVar(&o.ReuseInterfaces, "reuse-ifindex", false, "a reconnecting session takes the Virtual-Access freed last, as IOS does")
	fs.BoolVar(&o.NoVirtualTemplateSNMP, "no-virtual-template-snmp", false, "keep Virtual-Access interfaces out of IF-MIB")
	fs.BoolVar(&o.NoSubscriberMIB, "no-subscriber-mib", false, "leave CISCO-SUBSCRIBER-SESSION-MIB out")
	fs.BoolVar(&o.NoAAAMIB, "no-aaa-mib", false, "leave CISCO-AAA-SESSION-MIB out")
	fs.BoolVar(&o.AliasUsers, "alias-users", false, "put each username into its interface's ifAlias")
	fs.BoolVar(&o.ExecTimestamps, "exec-timestamps", false, "prefix CLI output with exec prompt timestamps")
	v3 := brassim.V3User{AuthProto: "SHA", PrivProto: "AES"}
	fs.StringVar(&v3.Name, "v3-user", "", "also answer SNMPv3 authPriv (SHA/AES) for this user")
	fs.StringVar(&v3.AuthPass, "v3-auth-pass", "stgauthpass", "SNMPv3 authentication passphrase")
	fs.StringVar(&v3.PrivPass, "v3-priv-pass", "stgprivpass", "SNMPv3 privacy passphrase")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "sim", flagError(err))
	}
	if *help {
		fmt.Fprintf(stdout, "Usage: stg sim [flags]\n\nRuns a simulated Cisco BRAS (SNMP agent and IOS-like SSH) on loopback until Ctrl-C.\n"+
			"Its SSH host key is kept in $XDG_CONFIG_HOME/stg/sim_host_ed25519_key (else ~/.config/stg/),\n"+
			"so that known_hosts stays valid from run to run; it writes nothing else.\n\n%s", fs.FlagUsages())
		return exitOK
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "sim", fmt.Errorf("unexpected argument %s", echo(fs.Arg(0))))
	}
	for _, a := range []string{o.Listen, o.SSHListen} {
		if err := brassim.CheckLoopback(a); err != nil {
			return usageError(stderr, "sim", err)
		}
	}
	if o.Sessions < 1 || o.Sessions > brassim.MaxSessions {
		return usageError(stderr, "sim", fmt.Errorf("--sessions %d: want 1 to %d", o.Sessions, brassim.MaxSessions))
	}
	if err := simCache(&o, *cacheMode, fs.Changed("cache-mode")); err != nil {
		return usageError(stderr, "sim", err)
	}
	if v3.Name != "" {
		o.V3 = &v3
	}
	if dir := configDir(getenv); dir != "" {
		o.HostKeyPath = filepath.Join(dir, "stg", "sim_host_ed25519_key")
	}
	sim, err := brassim.New(o)
	if err == nil {
		err = sim.Start(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stg sim: %v\n", err)
		return exitFailure
	}
	defer sim.Close()
	given := func(name string) bool { return fs.Changed(name) }
	printSimBanner(stdout, sim, o, given)
	<-ctx.Done()
	fmt.Fprintln(stdout, "stg sim: stopped")
	return exitOK
}

// simCache checks the counter cache flags and fills the cache mode and, for
// a timer, its phase (from the seed) into o.
func simCache(o *brassim.Options, mode string, modeGiven bool) error {
	m, err := brassim.ParseCacheMode(mode)
	switch {
	case err != nil:
		return fmt.Errorf("--cache-mode %q: want timer or request", mode)
	case o.Cache < 0:
		return fmt.Errorf("--cache %s: want a positive duration, or 0 for counters always fresh", o.Cache)
	case modeGiven && o.Cache == 0:
		return fmt.Errorf("--cache-mode %s needs --cache D, the refresh period", mode)
	}
	o.CacheMode = m
	if m == brassim.CacheTimer {
		o.CachePhase = brassim.TimerPhase(o.Seed, o.Cache)
	}
	return nil
}

// configDir is the XDG config directory ($XDG_CONFIG_HOME or ~/.config).
func configDir(getenv env) string {
	if d := getenv.get("XDG_CONFIG_HOME"); d != "" {
		return d
	}
	if h := getenv.get("HOME"); h != "" {
		return filepath.Join(h, ".config")
	}
	return ""
}

// printSimBanner tells how to reach the simulator. Defaults are printed;
// credentials the user chose are shown as "(as given)".
func printSimBanner(w io.Writer, sim *brassim.Sim, o brassim.Options, given func(string) bool) {
	show := func(flag, value string) string {
		if given(flag) {
			return "(as given)"
		}
		return value
	}
	community := show("community", o.Community)
	fmt.Fprintf(w, "stg sim: simulated BRAS %q with %d subscriber sessions\n", o.Hostname, o.Sessions)
	fmt.Fprintf(w, "  SNMP   udp:%s  v1/v2c community %s", sim.Addr(), community)
	if o.V3 != nil {
		fmt.Fprintf(w, ", v3 user %s authPriv SHA/AES (auth %s, priv %s)", o.V3.Name,
			show("v3-auth-pass", o.V3.AuthPass), show("v3-priv-pass", o.V3.PrivPass))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  SSH    %s  user %s  password %s\n", sim.SSHAddr(), o.SSHUser, show("ssh-password", o.SSHPassword))
	if k := sim.HostKey(); k != nil {
		fmt.Fprintf(w, "  host key %s %s", k.Type(), ssh.FingerprintSHA256(k))
		if o.HostKeyPath != "" {
			fmt.Fprintf(w, " (kept in %s)", o.HostKeyPath)
		}
		fmt.Fprintln(w)
	}
	printSimBannerCache(w, o)
	if o.Flap > 0 {
		fmt.Fprintf(w, "  %s reconnects every %s\n", brassim.UserMine, o.Flap)
	}
	fmt.Fprintln(w, "  subscribers:")
	for i, s := range sim.Sessions() {
		if i == 6 {
			break
		}
		fmt.Fprintf(w, "    %-26s %-8s ifIndex %-5d %s\n", s.User, s.IfName, s.IfIndex, s.Shape.Kind)
	}
	c := community
	if given("community") {
		c = "COMMUNITY"
	}
	host, port := splitPort(sim.SSHAddr())
	fmt.Fprintln(w, "  try:")
	fmt.Fprintf(w, "    stg --router %s -c %s --user %s\n", sim.Addr(), c, brassim.UserMine)
	pass := o.SSHPassword
	if given("ssh-password") {
		pass = "PASSWORD"
	}
	fmt.Fprintf(w, "    STG_SSH_PASS=%s stg resolve --router %s -c %s --user %s --resolve ssh --ssh-user %s --ssh-port %s --ssh-accept-new\n",
		pass, sim.Addr(), c, brassim.UserVictim, o.SSHUser, port)
	if o.V3 != nil && !given("v3-auth-pass") && !given("v3-priv-pass") {
		fmt.Fprintf(w, "    STG_AUTH_PASS=%s STG_PRIV_PASS=%s stg --router %s -v 3 -l authPriv -u %s -a SHA -x AES --user %s\n",
			o.V3.AuthPass, o.V3.PrivPass, sim.Addr(), o.V3.Name, brassim.UserAnna)
	}
	fmt.Fprintf(w, "    snmpbulkwalk -v2c -c %s -Cr50 %s 1.3.6.1.4.1.9.9.150.1.1.3.1.2\n", c, sim.Addr())
	fmt.Fprintf(w, "    ssh -p %s %s@%s 'show users'\n", port, o.SSHUser, host)
	fmt.Fprintln(w, "Press Ctrl-C to stop.")
}

// printSimBannerCache tells how the simulator's counter cache refreshes.
func printSimBannerCache(w io.Writer, o brassim.Options) {
	switch {
	case o.Cache > 0 && o.CacheMode == brassim.CacheTimer:
		fmt.Fprintf(w, "  counters refresh every %s on a timer, %s into each period after the start\n", o.Cache, o.CachePhase.Round(time.Millisecond))
	case o.Cache > 0:
		fmt.Fprintf(w, "  counters refresh on a request %s or more after the last refresh\n", o.Cache)
	}
}

// splitPort splits "host:port" ("[::1]:22" into "::1" and "22", as
// OpenSSH's user@host wants an IPv6 address), tolerating an address
// without a port.
func splitPort(addr string) (host, port string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, ""
	}
	return host, port
}
