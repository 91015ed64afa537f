package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Agent binaries, from the Debian packages `make test` installs.
const (
	snmpsimdPath = "/usr/bin/snmpsimd"
	snmpdPath    = "/usr/sbin/snmpd"
	snmpgetPath  = "snmpget"
)

// OIDs the driver reads or writes into .snmprec files.
const (
	oidSysDescr    = "1.3.6.1.2.1.1.1.0"
	oidSysUpTime   = "1.3.6.1.2.1.1.3.0"
	oidIfIndex     = "1.3.6.1.2.1.2.2.1.1"
	oidIfDescr     = "1.3.6.1.2.1.2.2.1.2"
	oidIfName      = "1.3.6.1.2.1.31.1.1.1.1"
	oidIfHCIn      = "1.3.6.1.2.1.31.1.1.1.6"
	oidIfHCOut     = "1.3.6.1.2.1.31.1.1.1.10"
	oidIfHighSpeed = "1.3.6.1.2.1.31.1.1.1.15"
	oidIfDiscTime  = "1.3.6.1.2.1.31.1.1.1.19"
	oidCasnUserID  = "1.3.6.1.4.1.9.9.150.1.1.3.1.2"
	oidCsubUser    = "1.3.6.1.4.1.9.9.786.1.1.1.1.24"
	oidCasnVaiIf   = "1.3.6.1.4.1.9.9.150.1.1.3.1.8"
)

// agent is a running SNMP agent on loopback.
type agent struct {
	*child
	Addr      string // "127.0.0.1:PORT"
	Community string
}

// simAddrRE finds the SNMP address in `stg sim`'s banner.
var simAddrRE = regexp.MustCompile(`SNMP\s+udp:(\S+)`)

// startSim runs `stg sim` with n sessions and the extra flags on a free
// loopback port. Its host key goes to configDir, not the user's
// configuration.
func startSim(stg string, n int, configDir string, extra ...string) (*agent, error) {
	args := append([]string{"sim", "--listen", "127.0.0.1:0", "--ssh", "127.0.0.1:0", "--sessions", strconv.Itoa(n)}, extra...)
	c, err := startChild("stg sim", stg, args, []string{"XDG_CONFIG_HOME=" + configDir})
	if err != nil {
		return nil, err
	}
	out, err := c.waitOutput("Press Ctrl-C", 60*time.Second)
	if err != nil {
		c.stop()
		return nil, err
	}
	m := simAddrRE.FindStringSubmatch(out)
	if m == nil {
		c.stop()
		return nil, fmt.Errorf("no SNMP address in stg sim's banner:\n%s", out)
	}
	return &agent{child: c, Addr: m[1], Community: "public"}, nil
}

// waitSNMP sends snmpget for sysUpTime.0 until the agent answers or
// timeout passes.
func waitSNMP(ctx context.Context, a *agent, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		select {
		case <-a.done:
			return fmt.Errorf("%s exited before answering on %s; output:\n%s", a.name, a.Addr, a.out)
		default:
		}
		if _, err = run(ctx, nil, snmpgetPath, "-v2c", "-c", a.Community, "-t", "0.5", "-r", "0", a.Addr, oidSysUpTime); err == nil {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer on %s within %s: %v", a.name, a.Addr, timeout, err)
}

// startSnmpsim runs snmpsimd over dataDir (each DIR/name.snmprec answers
// community name) with its index kept in cacheDir. Both must be readable
// by nobody, whom snmpsimd runs as when started by root.
func startSnmpsim(ctx context.Context, dataDir, cacheDir, community string) (*agent, error) {
	port, err := freeUDPPort()
	if err != nil {
		return nil, err
	}
	args := []string{"--data-dir=" + dataDir, "--cache-dir=" + cacheDir,
		"--agent-udpv4-endpoint=127.0.0.1:" + strconv.Itoa(port), "--logging-method=null"}
	if os.Geteuid() == 0 {
		args = append(args, "--process-user=nobody", "--process-group=nogroup")
	}
	c, err := startChild("snmpsimd", snmpsimdPath, args, nil)
	if err != nil {
		return nil, err
	}
	a := &agent{child: c, Addr: "127.0.0.1:" + strconv.Itoa(port), Community: community}
	// Indexing a 160,000-line file takes a while on first start.
	if err := waitSNMP(ctx, a, 180*time.Second); err != nil {
		c.stop()
		return nil, err
	}
	return a, nil
}

// startSnmpd runs net-snmp's snmpd with a minimal configuration in dir,
// serving this machine's real interfaces with its default counter cache.
func startSnmpd(ctx context.Context, dir, community string) (*agent, error) {
	port, err := freeUDPPort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	conf := filepath.Join(dir, "snmpd.conf")
	text := "agentAddress udp:" + addr + "\nrocommunity " + community + " 127.0.0.1\n"
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		return nil, fmt.Errorf("write snmpd.conf: %w", err)
	}
	args := []string{"-f", "-Lf", filepath.Join(dir, "snmpd.log"), "-C", "-c", conf,
		"-p", filepath.Join(dir, "snmpd.pid"), "-I", "-smux"}
	env := []string{"SNMP_PERSISTENT_DIR=" + dir, "MIBS=", "MIBDIRS=" + dir}
	c, err := startChild("snmpd", snmpdPath, args, env)
	if err != nil {
		return nil, err
	}
	a := &agent{child: c, Addr: addr, Community: community}
	if err := waitSNMP(ctx, a, 20*time.Second); err != nil {
		c.stop()
		return nil, err
	}
	return a, nil
}

// resolveUser is the username of session i (0-based) in the resolve data.
func resolveUser(i int) string { return fmt.Sprintf("u%06d@bench.example", i) }

// resolveSnmprec returns a .snmprec of a BRAS with n PPP sessions in
// CISCO-AAA-SESSION-MIB (casnUserId, casnVaiIfIndex) and IF-MIB (ifIndex,
// ifDescr, ifName), lines in OID order.
func resolveSnmprec(n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s|4|stg-bench BRAS with %d sessions\n", oidSysDescr, n)
	fmt.Fprintf(&b, "%s|67:numeric|rate=100,initial=1000\n", oidSysUpTime)
	ifx := func(i int) int { return 1000 + i }
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s.%d|2|%d\n", oidIfIndex, ifx(i), ifx(i))
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s.%d|4|Virtual-Access2.%d\n", oidIfDescr, ifx(i), i+1)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s.%d|4|Vi2.%d\n", oidIfName, ifx(i), i+1)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s.%d|4|%s\n", oidCasnUserID, 100000+i, resolveUser(i))
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s.%d|2|%d\n", oidCasnVaiIf, 100000+i, ifx(i))
	}
	return b.Bytes()
}

// rateIface is one interface of the constant-rate snmpsim data.
type rateIface struct {
	IfIndex       int
	InBps, OutBps float64 // the truth
}

// rateIfaces are the constant-rate interfaces: 1 Mb/s to 10 Gb/s.
var rateIfaces = []rateIface{
	{1, 1e6, 0.5e6},
	{2, 100e6, 40e6},
	{3, 1e9, 0.3e9},
	{4, 10e9, 2.5e9},
}

// ratesSnmprec returns a .snmprec whose Counter64 octet counters grow at
// exactly the rates of rateIfaces per second of the agent's clock.
func ratesSnmprec() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s|4|stg-bench constant-rate router\n", oidSysDescr)
	fmt.Fprintf(&b, "%s|67:numeric|rate=100,initial=1000\n", oidSysUpTime)
	col := func(oid string, line func(r rateIface) string) {
		for _, r := range rateIfaces {
			fmt.Fprintf(&b, "%s.%d|%s\n", oid, r.IfIndex, line(r))
		}
	}
	col(oidIfIndex, func(r rateIface) string { return fmt.Sprintf("2|%d", r.IfIndex) })
	col(oidIfDescr, func(r rateIface) string { return fmt.Sprintf("4|eth%d", r.IfIndex) })
	col(oidIfName, func(r rateIface) string { return fmt.Sprintf("4|eth%d", r.IfIndex) })
	col(oidIfHCIn, func(r rateIface) string {
		return fmt.Sprintf("70:numeric|rate=%.0f,initial=1000000000000", r.InBps/8)
	})
	col(oidIfHCOut, func(r rateIface) string {
		return fmt.Sprintf("70:numeric|rate=%.0f,initial=2000000000000", r.OutBps/8)
	})
	col(oidIfHighSpeed, func(rateIface) string { return "66|10000" })
	col(oidIfDiscTime, func(rateIface) string { return "67|0" })
	return b.Bytes()
}

// writeIfChanged writes data to path (mode 0644) only when the file
// differs, so snmpsimd's index of an unchanged file stays valid.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write snmpsim data %s: %w", path, err)
	}
	return nil
}

// sharedCacheDir returns a directory kept between runs that snmpsimd,
// running as nobody, can read and write: $XDG_CACHE_HOME/stg-bench (or
// ~/.cache/stg-bench) when every parent is searchable by others, else
// /var/tmp/stg-bench-UID.
func sharedCacheDir() (string, error) {
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		if h, err := os.UserHomeDir(); err == nil {
			base = filepath.Join(h, ".cache")
		}
	}
	dir := filepath.Join(base, "stg-bench")
	if base == "" || !searchableByOthers(base) {
		dir = filepath.Join("/var/tmp", "stg-bench-"+strconv.Itoa(os.Getuid()))
	}
	for _, d := range []string{dir, filepath.Join(dir, "data"), filepath.Join(dir, "snmpsim-cache")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", fmt.Errorf("make bench cache dir: %w", err)
		}
	}
	// snmpsimd (as nobody) writes its index here.
	if err := os.Chmod(filepath.Join(dir, "snmpsim-cache"), 0o777); err != nil {
		return "", fmt.Errorf("chmod bench cache dir: %w", err)
	}
	return dir, nil
}

// searchableByOthers reports whether dir and all its parents can be
// traversed by a user without privileges.
func searchableByOthers(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for p := abs; ; p = filepath.Dir(p) {
		info, err := os.Stat(p)
		if err != nil || info.Mode().Perm()&0o001 == 0 {
			return false
		}
		if p == filepath.Dir(p) {
			return true
		}
	}
}

// lastLine returns the last non-empty line of b.
func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
