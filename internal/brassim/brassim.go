// Package brassim is a simulated Cisco BRAS for stg's demo and tests: an
// SNMP agent (v1, v2c and v3 USM, built on gosnmp's packet codec) serving
// IF-MIB, CISCO-AAA-SESSION-MIB and CISCO-SUBSCRIBER-SESSION-MIB for N PPP
// subscribers with deterministic traffic, and an SSH server answering the IOS
// commands that map a subscriber to an interface. Everything listens on
// loopback only, and every counter is a function of an injectable clock.
package brassim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
)

// Options configure a simulator. The zero value is a usable 50-session
// router with SNMP and SSH on free loopback ports.
type Options struct {
	// Listen is the UDP address of the SNMP agent (default 127.0.0.1:0).
	Listen string
	// SSHListen is the TCP address of the SSH server (default 127.0.0.1:0).
	SSHListen string
	// NoSSH turns the SSH server off.
	NoSSH bool
	// Community is the v1/v2c read community (default "public").
	Community string
	// V3 is the SNMPv3 user; nil disables SNMPv3.
	V3 *V3User
	// Hostname is sysName and the IOS prompt (default "bras1").
	Hostname string
	// Sessions is the number of subscribers (default 50, at most 32,000).
	Sessions int
	// Hogs, when positive, is the hogs scenario: the DNS-amplification
	// victim and Hogs-1 other subscribers fill the backhaul at steady,
	// known rates (see Sim.Hogs) among the quiet others.
	Hogs int
	// Seed makes usernames and traffic reproducible.
	Seed uint64
	// Now is the clock (default time.Now). Tests pass a fake to run the
	// router faster than real time.
	Now func() time.Time
	// Cache, when positive, serves interface counters as of their last
	// refresh, and CacheMode says when they are refreshed.
	Cache time.Duration
	// CacheMode is CacheOnRequest (the zero value) or CacheTimer.
	CacheMode CacheMode
	// CachePhase places a timer cache's refreshes: they happen at start +
	// CachePhase + k×Cache (CachePhase is taken modulo Cache). `stg sim`
	// derives it from its seed with TimerPhase.
	CachePhase time.Duration
	// Flap, when positive, reconnects MyUserName and a FlapShare of the
	// other subscribers every Flap onto a new Virtual-Access and ifIndex.
	Flap time.Duration
	// FlapShare is the share of subscribers besides MyUserName that flap
	// (0 means only MyUserName).
	FlapShare float64
	// FlapDown is how long a dropped session stays offline before it comes
	// back (0: it reconnects at once). Offline users are in no table.
	FlapDown time.Duration
	// ReuseInterfaces makes a reconnecting session take the Virtual-Access
	// (name and ifIndex) freed last, as IOS does, instead of a new one: a
	// lone flapping user gets its own interface back with counters from
	// zero, several flapping users may swap interfaces.
	ReuseInterfaces bool
	// NoVirtualTemplateSNMP models `no virtual-template snmp`: the
	// Virtual-Access interfaces are not in IF-MIB, casnVaiIfIndex is 0 and
	// CISCO-SUBSCRIBER-SESSION-MIB has no rows.
	NoVirtualTemplateSNMP bool
	// NoSubscriberMIB and NoAAAMIB leave those Cisco MIBs out (noSuchObject).
	NoSubscriberMIB bool
	NoAAAMIB        bool
	// AliasUsers puts each subscriber's username into its ifAlias.
	AliasUsers bool
	// SSHUser and SSHPassword are the accepted password login (default
	// "noc"/"noc"); an empty SSHPassword with a set SSHUser disables
	// password logins.
	SSHUser     string
	SSHPassword string
	// AuthorizedKeys are the public keys accepted for SSHUser.
	AuthorizedKeys []ssh.PublicKey
	// HostKeyPath keeps the SSH host key: read when present, otherwise a new
	// ed25519 key is generated and saved there (mode 0600). Empty means a
	// fresh key on every start.
	HostKeyPath string
	// ExecTimestamps prefixes every command output with the `Load for five
	// secs` and `Time source is` lines of `exec prompt timestamp`.
	ExecTimestamps bool
}

// V3User is the SNMPv3 USM user of the agent. Protocol names are net-snmp's:
// AuthProto MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512; PrivProto DES,
// AES, AES-192 or AES-256. Empty protocols lower the security level.
type V3User struct {
	Name      string
	AuthProto string
	AuthPass  string
	PrivProto string
	PrivPass  string
}

// MaxSessions is the largest number of subscribers a simulator models.
const MaxSessions = 32000

// Sim is a running (or ready to run) simulated BRAS.
type Sim struct {
	opts  Options
	now   func() time.Time
	start time.Time

	snap atomic.Pointer[snapshot]

	mu          sync.Mutex // guards the fields below
	phys        []*iface
	sessions    []*session
	byUser      map[string]*session
	nameSuffix  map[string]int // last number appended to a taken name
	viNext      map[int]int
	nextIfIndex uint32
	nextAcct    uint32
	nextFlap    time.Time
	down        []offline // dropped sessions by return time
	hogs        []string  // the hogs' usernames, the largest first
	freeVi      []viName  // Virtual-Access interfaces free for reuse
	cacheAt     time.Time
	cacheSet    bool

	usm *usmAgent

	udp     *net.UDPConn
	sshLn   net.Listener
	sshConf *ssh.ServerConfig
	hostKey ssh.Signer
	vty     vtyTable
	wg      sync.WaitGroup
	cancel  context.CancelFunc
}

// New builds a simulator from opts. Its sysUpTime starts at zero now.
func New(opts Options) (*Sim, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	if opts.SSHListen == "" {
		opts.SSHListen = "127.0.0.1:0"
	}
	if opts.Community == "" {
		opts.Community = "public"
	}
	if opts.Hostname == "" {
		opts.Hostname = "bras1"
	}
	if opts.SSHUser == "" {
		opts.SSHUser, opts.SSHPassword = "noc", "noc"
	}
	switch {
	case opts.Sessions == 0:
		opts.Sessions = 50
	case opts.Sessions < 1 || opts.Sessions > MaxSessions:
		return nil, fmt.Errorf("simulate %d sessions: want 1 to %d", opts.Sessions, MaxSessions)
	}
	if opts.CacheMode != CacheOnRequest && opts.CacheMode != CacheTimer {
		return nil, fmt.Errorf("simulate a counter cache: unknown mode %d", opts.CacheMode)
	}
	if err := checkHogs(opts); err != nil {
		return nil, err
	}
	for _, a := range []string{opts.Listen, opts.SSHListen} {
		if err := CheckLoopback(a); err != nil {
			return nil, err
		}
	}
	s := &Sim{opts: opts, now: opts.Now}
	s.start = s.now()
	s.nextFlap = s.start.Add(opts.Flap)
	if opts.V3 != nil {
		u, err := newUSMAgent(*opts.V3, opts.Seed, s.start)
		if err != nil {
			return nil, err
		}
		s.usm = u
	}
	s.newModel()
	return s, nil
}

// CheckLoopback returns an error unless addr ("host:port") is on a loopback
// address: the simulator never listens anywhere else.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("listen address %q is not loopback: the simulator only listens on 127.0.0.0/8 or ::1", addr)
}

// Start opens the SNMP and SSH sockets and serves them until ctx ends or
// Close is called.
func (s *Sim) Start(ctx context.Context) error {
	if s.udp != nil {
		return errors.New("start simulator: already started")
	}
	ua, err := net.ResolveUDPAddr("udp", s.opts.Listen)
	if err != nil {
		return fmt.Errorf("resolve SNMP listen address %s: %w", s.opts.Listen, err)
	}
	s.udp, err = net.ListenUDP("udp", ua)
	if err != nil {
		return fmt.Errorf("listen for SNMP on %s: %w", s.opts.Listen, err)
	}
	if !s.opts.NoSSH {
		if err := s.startSSH(); err != nil {
			s.udp.Close()
			return err
		}
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		s.serveSNMP()
	}()
	go func() {
		defer s.wg.Done()
		<-ctx.Done()
		s.udp.Close()
		if s.sshLn != nil {
			s.sshLn.Close()
		}
	}()
	return nil
}

// Close stops the servers and waits for them.
func (s *Sim) Close() error {
	if s.cancel != nil {
		s.cancel()
		s.wg.Wait()
	}
	return nil
}

// Addr returns the SNMP agent's UDP address ("127.0.0.1:PORT").
func (s *Sim) Addr() string {
	if s.udp == nil {
		return ""
	}
	return s.udp.LocalAddr().String()
}

// SSHAddr returns the SSH server's address, or "" when it is off.
func (s *Sim) SSHAddr() string {
	if s.sshLn == nil {
		return ""
	}
	return s.sshLn.Addr().String()
}

// Session describes one subscriber session as the router sees it now.
type Session struct {
	User    string
	IfIndex int    // 0 when the Virtual-Access is not in IF-MIB
	IfName  string // short name: Vi1.195
	IfDescr string // full name: Virtual-Access1.195
	AcctID  uint32 // accounting session id (casnActiveTable index)
	Addr    string
	Mode    string // PPPoE, PPPoATM or PPPoVPDN
	Shape   Shape
	Up      time.Time
}

// Sessions returns every active session in accounting-id order (also
// ifIndex order unless ReuseInterfaces is set).
func (s *Sim) Sessions() []Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(s.now())
	out := make([]Session, len(s.sessions))
	for i, ss := range s.sessions {
		out[i] = s.describe(ss)
	}
	return out
}

func (s *Sim) describe(ss *session) Session {
	d := Session{User: ss.user, IfIndex: int(ss.vi.index), IfName: ss.vi.name, IfDescr: ss.vi.descr,
		AcctID: ss.acctID, Addr: ss.addr.String(), Mode: ss.mode, Shape: ss.vi.shape, Up: ss.vi.epoch}
	if s.opts.NoVirtualTemplateSNMP {
		d.IfIndex = 0
	}
	return d
}

// Lookup returns the interface of user's session: its ifIndex (0 when the
// Virtual-Access is not in IF-MIB) and short name.
func (s *Sim) Lookup(user string) (ifIndex int, ifName string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(s.now())
	ss, ok := s.byUser[user]
	if !ok {
		return 0, "", false
	}
	d := s.describe(ss)
	return d.IfIndex, d.IfName, true
}

// Truth returns the exact 64-bit octet counters of user's interface at the
// simulator's current time, ignoring the counter cache.
func (s *Sim) Truth(user string) (inOctets, outOctets uint64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.advance(now)
	ss, ok := s.byUser[user]
	if !ok {
		return 0, 0, false
	}
	inOctets, outOctets = ss.vi.counters(now)
	return inOctets, outOctets, true
}

// Flap drops user's session now and brings it back after FlapDown (at once
// by default) on a new Virtual-Access with a new ifIndex and counters
// starting from zero.
func (s *Sim) Flap(user string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.advance(now)
	ss, ok := s.byUser[user]
	if !ok {
		return fmt.Errorf("flap %s: no such subscriber", user)
	}
	s.reconnect(map[*session]bool{ss: true}, now)
	return nil
}

// Community returns the v1/v2c community the agent answers.
func (s *Sim) Community() string { return s.opts.Community }

// HostKey returns the SSH server's public host key, or nil before Start.
func (s *Sim) HostKey() ssh.PublicKey {
	if s.hostKey == nil {
		return nil
	}
	return s.hostKey.PublicKey()
}

// requestView takes what one request needs under the lock: the automatic
// flaps due, the snapshot, sysUpTime and the time counters are served at.
func (s *Sim) requestView() *view {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.advance(now)
	return &view{sim: s, snap: s.snap.Load(), uptime: s.ticksAt(now), ctrTime: s.countersAt(now)}
}
