package cli

import (
	"fmt"
	"io"
	"net"
	"path/filepath"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/stg-project/stg/internal/brassim"
)

// Where `stg sim` listens by default.
const (
	SimListen = "127.0.0.1:1161"
	SimSSH    = "127.0.0.1:2222"
)

// SimSettings are the settings of `stg sim`.
type SimSettings struct {
	// Options configure the simulator.
	Options brassim.Options
	// given tells which flags were on the command line: credentials the
	// user chose are not printed back.
	given func(flag string) bool
}

// ParseSim reads `stg sim`'s command line; the simulator's host key goes
// under $XDG_CONFIG_HOME (else ~/.config) of env.
func ParseSim(args []string, env LookupEnv) (*SimSettings, error) {
	v, err := Sim.parse(args)
	if err != nil {
		return nil, err
	}
	o := brassim.Options{
		Listen: v.str("listen"), SSHListen: v.str("ssh"), SSHUser: v.str("ssh-user"), SSHPassword: v.str("ssh-password"),
		Community: v.str("community"), Sessions: v.integer("sessions"), Hogs: v.integer("hogs"),
		Cache: v.duration("cache"), Flap: v.duration("flap"), FlapDown: v.duration("flap-down"), FlapShare: v.float("flap-share"),
		Seed: v.uinteger("seed"), Hostname: v.str("hostname"), ReuseInterfaces: v.boolean("reuse-ifindex"),
		NoVirtualTemplateSNMP: v.boolean("no-virtual-template-snmp"), NoSubscriberMIB: v.boolean("no-subscriber-mib"),
		NoAAAMIB: v.boolean("no-aaa-mib"), AliasUsers: v.boolean("alias-users"), ExecTimestamps: v.boolean("exec-timestamps"),
	}
	if v3 := v.str("v3-user"); v3 != "" {
		o.V3 = &brassim.V3User{Name: v3, AuthProto: "SHA", PrivProto: "AES", AuthPass: v.str("v3-auth-pass"), PrivPass: v.str("v3-priv-pass")}
	}
	if len(v.args()) > 0 {
		return nil, fmt.Errorf("unexpected argument %s", Echo(v.args()[0]))
	}
	for _, a := range []string{o.Listen, o.SSHListen} {
		if err := brassim.CheckLoopback(a); err != nil {
			return nil, err
		}
	}
	if o.Sessions < 1 || o.Sessions > brassim.MaxSessions {
		return nil, fmt.Errorf("--sessions %d: want 1 to %d", o.Sessions, brassim.MaxSessions)
	}
	if err := checkHogs(o.Hogs, o.Sessions); err != nil {
		return nil, err
	}
	if err := simCache(&o, v.str("cache-mode"), v.given("cache-mode")); err != nil {
		return nil, err
	}
	if dir := configDir(env); dir != "" {
		o.HostKeyPath = filepath.Join(dir, "stg", "sim_host_ed25519_key")
	}
	return &SimSettings{Options: o, given: v.given}, nil
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
func configDir(env LookupEnv) string {
	if d := env.get("XDG_CONFIG_HOME"); d != "" {
		return d
	}
	if h := env.get("HOME"); h != "" {
		return filepath.Join(h, ".config")
	}
	return ""
}

// SimBanner tells how to reach a running simulator: its addresses,
// credentials, some subscribers and commands to try. Defaults are
// printed; credentials the user chose are shown as "(as given)".
func SimBanner(w io.Writer, sim *brassim.Sim, s *SimSettings) {
	o := s.Options
	show := func(flag, value string) string {
		if s.given(flag) {
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
	simBannerCache(w, o)
	if o.Flap > 0 {
		fmt.Fprintf(w, "  %s reconnects every %s\n", brassim.UserMine, o.Flap)
	}
	for i, h := range sim.Hogs() {
		if i == 0 {
			fmt.Fprintln(w, "  backhaul hogs (in/out):")
		}
		fmt.Fprintf(w, "    %-26s %.1f/%.0f Mb/s\n", h.User, h.InBps/1e6, h.OutBps/1e6)
	}
	fmt.Fprintln(w, "  subscribers:")
	for i, ss := range sim.Sessions() {
		if i == 6 {
			break
		}
		fmt.Fprintf(w, "    %-26s %-8s ifIndex %-5d %s\n", ss.User, ss.IfName, ss.IfIndex, ss.Shape.Kind)
	}
	c := community
	if s.given("community") {
		c = "COMMUNITY"
	}
	host, port := splitPort(sim.SSHAddr())
	fmt.Fprintln(w, "  try:")
	fmt.Fprintf(w, "    stg --router %s -c %s --user %s\n", sim.Addr(), c, brassim.UserMine)
	fmt.Fprintf(w, "    stg top --router %s -c %s\n", sim.Addr(), c)
	pass := o.SSHPassword
	if s.given("ssh-password") {
		pass = "PASSWORD"
	}
	fmt.Fprintf(w, "    STG_SSH_PASS=%s stg resolve --router %s -c %s --user %s --resolve ssh --ssh-user %s --ssh-port %s --ssh-accept-new\n",
		pass, sim.Addr(), c, brassim.UserVictim, o.SSHUser, port)
	if o.V3 != nil && !s.given("v3-auth-pass") && !s.given("v3-priv-pass") {
		fmt.Fprintf(w, "    STG_AUTH_PASS=%s STG_PRIV_PASS=%s stg --router %s -v 3 -l authPriv -u %s -a SHA -x AES --user %s\n",
			o.V3.AuthPass, o.V3.PrivPass, sim.Addr(), o.V3.Name, brassim.UserAnna)
	}
	fmt.Fprintf(w, "    snmpbulkwalk -v2c -c %s -Cr50 %s 1.3.6.1.4.1.9.9.150.1.1.3.1.2\n", c, sim.Addr())
	fmt.Fprintf(w, "    ssh -p %s %s@%s 'show users'\n", port, o.SSHUser, host)
	fmt.Fprintln(w, "Press Ctrl-C to stop.")
}

// simBannerCache tells how the simulator's counter cache refreshes.
func simBannerCache(w io.Writer, o brassim.Options) {
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
