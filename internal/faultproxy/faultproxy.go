// Package faultproxy is a loopback UDP proxy for tests that makes a network
// bad on purpose: between a client and an agent it drops a given share of the
// datagrams and delays a share of the others by a random 0..D, in each
// direction on its own. Its random decisions come from a seed, so the same seed makes the same
// choices for the same sequence of datagrams. It only talks to loopback
// addresses, bounds the sessions and the datagrams it holds, and stops when
// the test ends.
package faultproxy

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"
)

// Bounds of what one Proxy holds.
const (
	// maxSessions is how many client addresses the proxy relays for;
	// datagrams from further clients are dropped.
	maxSessions = 64
	// maxHeld is how many delayed datagrams may wait at once; further
	// datagrams are dropped.
	maxHeld = 4096
	// maxDatagram is the largest UDP payload.
	maxDatagram = 65535
)

// Faults is what the proxy does to the datagrams of one direction.
type Faults struct {
	// Drop is the share of datagrams dropped, from 0 (none) to 1 (all).
	Drop float64
	// MaxDelay delays the datagrams not dropped by a uniformly random
	// 0..MaxDelay; 0 forwards at once.
	MaxDelay time.Duration
	// Delayed is the share of the datagrams not dropped that MaxDelay
	// applies to, from 0 to 1; the others go at once. 0 means all of them.
	Delayed float64
}

// Config configures a Proxy.
type Config struct {
	// Upstream is the agent's "host:port"; it must be a loopback address.
	Upstream string
	// ToAgent applies to requests, ToClient to replies.
	ToAgent, ToClient Faults
	// Seed seeds the random decisions of both directions.
	Seed uint64
}

// DirStats counts the datagrams of one direction.
type DirStats struct {
	// Received is every datagram the proxy read.
	Received int
	// Dropped is the datagrams it threw away (by chance or over a bound).
	Dropped int
	// Sent is the datagrams it forwarded, at once or after their delay.
	Sent int
	// Delayed is the datagrams it held back (sent or not yet).
	Delayed int
}

// Stats counts a Proxy's work in both directions.
type Stats struct {
	ToAgent, ToClient DirStats
}

// Proxy relays UDP datagrams between clients and one agent with faults.
type Proxy struct {
	listen   *net.UDPConn
	upstream *net.UDPAddr

	mu       sync.Mutex
	toAgent  direction
	toClient direction
	sessions map[string]*session
	held     map[uint64]*time.Timer // delayed datagrams by id
	nextHeld uint64
	closed   bool

	wg sync.WaitGroup
}

// direction is the fault state of one direction.
type direction struct {
	faults Faults
	rng    *rand.Rand
	stats  DirStats
}

// session is one client address and the socket that speaks for it upstream.
type session struct {
	client *net.UDPAddr
	up     *net.UDPConn
}

// Start runs a Proxy on a free 127.0.0.1 port and closes it when the test
// ends; it fails the test when the configuration is unusable.
func Start(t testing.TB, cfg Config) *Proxy {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("close fault proxy: %v", err)
		}
	})
	return p
}

// New runs a Proxy on a free 127.0.0.1 port. The caller closes it.
func New(cfg Config) (*Proxy, error) {
	up, err := net.ResolveUDPAddr("udp", cfg.Upstream)
	if err != nil {
		return nil, fmt.Errorf("fault proxy upstream %q: %w", cfg.Upstream, err)
	}
	if !up.IP.IsLoopback() {
		return nil, fmt.Errorf("fault proxy upstream %s: not a loopback address", up)
	}
	for _, f := range []Faults{cfg.ToAgent, cfg.ToClient} {
		if err := f.check(); err != nil {
			return nil, fmt.Errorf("fault proxy to %s: %w", up, err)
		}
	}
	listenIP := net.IPv4(127, 0, 0, 1)
	if up.IP.To4() == nil {
		listenIP = net.IPv6loopback
	}
	listen, err := net.ListenUDP("udp", &net.UDPAddr{IP: listenIP})
	if err != nil {
		return nil, fmt.Errorf("fault proxy to %s: listen: %w", up, err)
	}
	p := &Proxy{
		listen:   listen,
		upstream: up,
		toAgent:  direction{faults: cfg.ToAgent, rng: rand.New(rand.NewPCG(cfg.Seed, 1))},
		toClient: direction{faults: cfg.ToClient, rng: rand.New(rand.NewPCG(cfg.Seed, 2))},
		sessions: make(map[string]*session),
		held:     make(map[uint64]*time.Timer),
	}
	p.wg.Add(1)
	go p.serveClients()
	return p, nil
}

func (f Faults) check() error {
	switch {
	case math.IsNaN(f.Drop) || f.Drop < 0 || f.Drop > 1:
		return fmt.Errorf("drop share %v is not from 0 to 1", f.Drop)
	case f.MaxDelay < 0:
		return fmt.Errorf("max delay %v is negative", f.MaxDelay)
	case math.IsNaN(f.Delayed) || f.Delayed < 0 || f.Delayed > 1:
		return fmt.Errorf("delayed share %v is not from 0 to 1", f.Delayed)
	case f.Delayed > 0 && f.MaxDelay == 0:
		return fmt.Errorf("delayed share %v without a max delay", f.Delayed)
	}
	return nil
}

// Addr returns the proxy's "127.0.0.1:PORT": point the client here.
func (p *Proxy) Addr() string { return p.listen.LocalAddr().String() }

// Port returns the proxy's UDP port.
func (p *Proxy) Port() int { return p.listen.LocalAddr().(*net.UDPAddr).Port }

// SetFaults changes the faults of both directions from the next datagram on
// (datagrams already held keep their delay). Drop 1 both ways is a black
// hole, as for an agent that hangs.
func (p *Proxy) SetFaults(toAgent, toClient Faults) error {
	for _, f := range []Faults{toAgent, toClient} {
		if err := f.check(); err != nil {
			return fmt.Errorf("fault proxy to %s: %w", p.upstream, err)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.toAgent.faults, p.toClient.faults = toAgent, toClient
	return nil
}

// Stats returns the counts so far.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{ToAgent: p.toAgent.stats, ToClient: p.toClient.stats}
}

// Close stops the proxy: held datagrams are never sent, and Close returns
// once every goroutine of the proxy has ended. It is safe to call twice.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	for id, t := range p.held {
		delete(p.held, id)
		if t.Stop() {
			p.wg.Done()
		}
	}
	err := p.listen.Close()
	for _, s := range p.sessions {
		err = errors.Join(err, s.up.Close())
	}
	p.mu.Unlock()
	p.wg.Wait()
	if err != nil {
		return fmt.Errorf("close fault proxy to %s: %w", p.upstream, err)
	}
	return nil
}

// serveClients reads requests from clients and relays them upstream.
func (p *Proxy) serveClients() {
	defer p.wg.Done()
	buf := make([]byte, maxDatagram)
	for {
		n, client, err := p.listen.ReadFromUDP(buf)
		if err != nil {
			if p.isClosed() {
				return
			}
			continue
		}
		s := p.session(client)
		if s == nil {
			continue
		}
		p.relay(&p.toAgent, buf[:n], func(b []byte) { _, _ = s.up.Write(b) })
	}
}

// session returns the session of a client, starting one for a new client;
// nil when the proxy is closed or full (the datagram then counts as dropped).
func (p *Proxy) session(client *net.UDPAddr) *session {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := client.String()
	if s, ok := p.sessions[key]; ok {
		return s
	}
	if p.closed || len(p.sessions) >= maxSessions {
		p.toAgent.stats.Received++
		p.toAgent.stats.Dropped++
		return nil
	}
	up, err := net.DialUDP("udp", nil, p.upstream)
	if err != nil {
		p.toAgent.stats.Received++
		p.toAgent.stats.Dropped++
		return nil
	}
	s := &session{client: client, up: up}
	p.sessions[key] = s
	p.wg.Add(1)
	go p.serveAgent(s)
	return s
}

// serveAgent reads the agent's replies to one client and relays them.
func (p *Proxy) serveAgent(s *session) {
	defer p.wg.Done()
	buf := make([]byte, maxDatagram)
	for {
		n, err := s.up.Read(buf)
		if err != nil {
			if p.isClosed() {
				return
			}
			// An ICMP unreachable from a stopped agent: keep listening.
			continue
		}
		p.relay(&p.toClient, buf[:n], func(b []byte) { _, _ = p.listen.WriteToUDP(b, s.client) })
	}
}

// relay applies a direction's faults to one datagram: drop it, send it now,
// or hold a copy and send it after its delay.
func (p *Proxy) relay(d *direction, b []byte, send func([]byte)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d.stats.Received++
	if p.closed || (d.faults.Drop > 0 && d.rng.Float64() < d.faults.Drop) {
		d.stats.Dropped++
		return
	}
	var delay time.Duration
	held := d.faults.Delayed == 0 || d.faults.Delayed == 1 || d.rng.Float64() < d.faults.Delayed
	if d.faults.MaxDelay > 0 && held {
		delay = time.Duration(d.rng.Int64N(int64(d.faults.MaxDelay) + 1))
	}
	if delay == 0 {
		d.stats.Sent++
		send(b)
		return
	}
	if len(p.held) >= maxHeld {
		d.stats.Dropped++
		return
	}
	d.stats.Delayed++
	msg := append([]byte(nil), b...)
	id := p.nextHeld
	p.nextHeld++
	p.wg.Add(1)
	p.held[id] = time.AfterFunc(delay, func() {
		defer p.wg.Done()
		p.mu.Lock()
		defer p.mu.Unlock()
		if _, live := p.held[id]; !live {
			return // Close took it back
		}
		delete(p.held, id)
		d.stats.Sent++
		send(msg)
	})
}

func (p *Proxy) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}
