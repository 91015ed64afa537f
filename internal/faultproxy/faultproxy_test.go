package faultproxy

import (
	"encoding/binary"
	"errors"
	"math"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// echo is a UDP echo server on loopback that records the sequence numbers
// (the first 4 octets) of the datagrams it got.
type echo struct {
	conn *net.UDPConn
	mu   sync.Mutex
	got  []uint32
}

func startEcho(t *testing.T) *echo {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	e := &echo{conn: conn}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, addr, err := conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			if n >= 4 {
				e.mu.Lock()
				e.got = append(e.got, binary.BigEndian.Uint32(buf))
				e.mu.Unlock()
			}
			_, _ = conn.WriteToUDP(buf[:n], addr)
		}
	}()
	t.Cleanup(func() { conn.Close(); <-done })
	return e
}

func (e *echo) received() []uint32 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.got)
}

// dialProxy returns a client socket connected to the proxy.
func dialProxy(t *testing.T, p *Proxy) *net.UDPConn {
	t.Helper()
	raddr, err := net.ResolveUDPAddr("udp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialUDP("udp", nil, raddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func send(t *testing.T, c *net.UDPConn, seq uint32) {
	t.Helper()
	var b [16]byte
	binary.BigEndian.PutUint32(b[:], seq)
	if _, err := c.Write(b[:]); err != nil {
		t.Fatal(err)
	}
}

// receiveAll reads replies until none came for quiet, and returns their
// sequence numbers.
func receiveAll(t *testing.T, c *net.UDPConn, quiet time.Duration) []uint32 {
	t.Helper()
	var got []uint32
	buf := make([]byte, 2048)
	for {
		_ = c.SetReadDeadline(time.Now().Add(quiet))
		n, err := c.Read(buf)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return got
		}
		if err != nil {
			t.Error(err)
			return got
		}
		if n >= 4 {
			got = append(got, binary.BigEndian.Uint32(buf))
		}
	}
}

// settle waits until every datagram the proxy took has been sent or dropped.
func settle(t *testing.T, p *Proxy, requests int) Stats {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := p.Stats()
		done := s.ToAgent.Received == requests &&
			s.ToAgent.Sent+s.ToAgent.Dropped == requests &&
			s.ToClient.Sent+s.ToClient.Dropped == s.ToAgent.Sent
		if done {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("proxy did not settle: %+v", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRelayDropsShare(t *testing.T) {
	const n = 500
	tests := []struct {
		name              string
		toAgent, toClient Faults
	}{
		{"clean", Faults{}, Faults{}},
		{"requests lost", Faults{Drop: 0.2}, Faults{}},
		{"replies lost", Faults{}, Faults{Drop: 0.2}},
		{"both lost and late", Faults{Drop: 0.2, MaxDelay: 20 * time.Millisecond}, Faults{Drop: 0.5, MaxDelay: 20 * time.Millisecond}},
		{"black hole", Faults{Drop: 1}, Faults{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := startEcho(t)
			p := Start(t, Config{Upstream: e.conn.LocalAddr().String(), ToAgent: tt.toAgent, ToClient: tt.toClient, Seed: 7})
			c := dialProxy(t, p)
			replies := make(chan []uint32, 1)
			go func() { replies <- receiveAll(t, c, 500*time.Millisecond) }()
			for i := range uint32(n) {
				send(t, c, i)
				time.Sleep(100 * time.Microsecond) // stay inside the socket buffers
			}
			st := settle(t, p, n)
			got := <-replies

			checkShare(t, "requests", st.ToAgent, tt.toAgent.Drop)
			checkShare(t, "replies", st.ToClient, tt.toClient.Drop)
			if len(e.received()) != st.ToAgent.Sent {
				t.Errorf("agent got %d datagrams, proxy sent %d", len(e.received()), st.ToAgent.Sent)
			}
			if len(got) != st.ToClient.Sent {
				t.Errorf("client got %d replies, proxy sent %d", len(got), st.ToClient.Sent)
			}
			slices.Sort(got)
			if len(slices.Compact(got)) != len(got) {
				t.Errorf("a reply arrived twice")
			}
		})
	}
}

// checkShare asserts the dropped share of n datagrams is within 5 points
// of want (the seeds are fixed, so the shares are too).
func checkShare(t *testing.T, what string, d DirStats, want float64) {
	t.Helper()
	if d.Received == 0 {
		return // nothing got this far: the other direction dropped it all
	}
	share := float64(d.Dropped) / float64(d.Received)
	if math.Abs(share-want) > 0.05 {
		t.Errorf("%s: dropped %d of %d (%.1f%%), want about %.0f%%", what, d.Dropped, d.Received, 100*share, 100*want)
	}
}

func TestSeedDecidesDrops(t *testing.T) {
	run := func(seed uint64) []uint32 {
		e := startEcho(t)
		p := Start(t, Config{Upstream: e.conn.LocalAddr().String(), ToAgent: Faults{Drop: 0.3}, Seed: seed})
		c := dialProxy(t, p)
		for i := range uint32(200) {
			send(t, c, i)
		}
		settle(t, p, 200)
		got := e.received()
		slices.Sort(got)
		return got
	}
	a, b, other := run(1), run(1), run(2)
	if !slices.Equal(a, b) {
		t.Errorf("seed 1 forwarded %v, then %v", a, b)
	}
	if slices.Equal(a, other) {
		t.Errorf("seeds 1 and 2 forwarded the same %d datagrams", len(a))
	}
}

func TestDelayBounds(t *testing.T) {
	const maxDelay = 80 * time.Millisecond
	e := startEcho(t)
	p := Start(t, Config{Upstream: e.conn.LocalAddr().String(), ToClient: Faults{MaxDelay: maxDelay}, Seed: 3})
	c := dialProxy(t, p)
	var lat []time.Duration
	buf := make([]byte, 64)
	for i := range uint32(25) {
		start := time.Now()
		send(t, c, i)
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Read(buf); err != nil {
			t.Fatalf("datagram %d: %v", i, err)
		}
		lat = append(lat, time.Since(start))
	}
	lo, hi := slices.Min(lat), slices.Max(lat)
	// The upper bound has slack for a loaded machine; the spread shows the
	// delays are random rather than fixed.
	if hi > maxDelay+200*time.Millisecond {
		t.Errorf("slowest reply took %v, max delay %v", hi, maxDelay)
	}
	if hi-lo < maxDelay/4 {
		t.Errorf("latencies %v..%v: no spread for a random 0..%v delay", lo, hi, maxDelay)
	}
}

// TestDelayShare holds back about the share of replies asked for and
// forwards the rest at once; the decisions come from the seed.
func TestDelayShare(t *testing.T) {
	const n = 400
	tests := []struct {
		name   string
		share  float64
		lo, hi int // bounds on the delayed replies: the share ± 4 standard deviations
	}{
		{"every reply, by default", 0, n, n},
		{"30 percent", 0.3, 83, 157},
		{"all", 1, n, n},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := startEcho(t)
			p := Start(t, Config{Upstream: e.conn.LocalAddr().String(),
				ToClient: Faults{Delayed: tt.share, MaxDelay: 5 * time.Millisecond}, Seed: 11})
			c := dialProxy(t, p)
			replies := make(chan []uint32, 1)
			go func() { replies <- receiveAll(t, c, 500*time.Millisecond) }()
			for i := range uint32(n) {
				send(t, c, i)
				time.Sleep(100 * time.Microsecond) // stay inside the socket buffers
			}
			s := settle(t, p, n)
			<-replies
			t.Logf("%d of %d replies delayed", s.ToClient.Delayed, n)
			if s.ToClient.Delayed < tt.lo || s.ToClient.Delayed > tt.hi {
				t.Errorf("%d of %d replies delayed, want %d..%d", s.ToClient.Delayed, n, tt.lo, tt.hi)
			}
			if s.ToAgent.Delayed != 0 || s.ToClient.Sent != n {
				t.Errorf("stats %+v: requests delayed or replies lost", s)
			}
		})
	}
}

func TestSetFaults(t *testing.T) {
	e := startEcho(t)
	p := Start(t, Config{Upstream: e.conn.LocalAddr().String()})
	c := dialProxy(t, p)
	steps := []struct {
		name   string
		faults Faults
		want   int
	}{
		{"open", Faults{}, 5},
		{"black hole", Faults{Drop: 1}, 0},
		{"open again", Faults{}, 5},
	}
	seq := uint32(0)
	for _, s := range steps {
		if err := p.SetFaults(s.faults, s.faults); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			send(t, c, seq)
			seq++
		}
		if got := len(receiveAll(t, c, 150*time.Millisecond)); got != s.want {
			t.Errorf("%s: %d replies, want %d", s.name, got, s.want)
		}
	}
	if err := p.SetFaults(Faults{Drop: 2}, Faults{}); err == nil {
		t.Error("SetFaults accepted a drop share of 2")
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"not loopback", Config{Upstream: "192.0.2.1:161"}},
		{"no port", Config{Upstream: "127.0.0.1"}},
		{"drop above 1", Config{Upstream: "127.0.0.1:161", ToAgent: Faults{Drop: 1.5}}},
		{"drop NaN", Config{Upstream: "127.0.0.1:161", ToClient: Faults{Drop: math.NaN()}}},
		{"negative delay", Config{Upstream: "127.0.0.1:161", ToClient: Faults{MaxDelay: -time.Second}}},
		{"delay share above 1", Config{Upstream: "127.0.0.1:161", ToClient: Faults{Delayed: 1.2, MaxDelay: time.Second}}},
		{"delay share without a delay", Config{Upstream: "127.0.0.1:161", ToClient: Faults{Delayed: 0.3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.cfg)
			if err == nil {
				p.Close()
				t.Fatalf("New(%+v) succeeded", tt.cfg)
			}
		})
	}
}

func TestCloseDropsHeld(t *testing.T) {
	e := startEcho(t)
	p, err := New(Config{Upstream: e.conn.LocalAddr().String(), ToAgent: Faults{MaxDelay: 5 * time.Second}, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	c := dialProxy(t, p)
	for i := range uint32(20) {
		send(t, c, i)
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.Stats().ToAgent.Received < 20 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Close did not return while datagrams were held")
	}
	before := len(e.received())
	time.Sleep(300 * time.Millisecond)
	if after := len(e.received()); after != before {
		t.Errorf("%d datagrams sent after Close", after-before)
	}
	if before >= 20 {
		t.Errorf("all %d datagrams went through before a 0..5s delay could hold any", before)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
