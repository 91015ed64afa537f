package snmp

// Tests of the gosnmp client against a scripted loopback agent that
// misbehaves on request (tooBig, noSuchName, stale replies, walk loops).

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

// scriptedAgent is a loopback SNMPv1/v2c agent built on gosnmp's codec that
// misbehaves on request: it limits varbinds per GET (tooBig), answers v1
// noSuchName for missing OIDs, sends a stale reply before each real one, or
// returns walk OIDs that do not increase.
type scriptedAgent struct {
	pc          net.PacketConn
	vars        map[string]gosnmp.SnmpPDU // by OID with a leading dot
	maxVarbinds int
	staleFirst  bool
	staleID0    bool // the first request's stale reply carries request-id 0
	loop        bool
	mu          sync.Mutex
	sizes       []int // varbinds per request received
}

func startScriptedAgent(t *testing.T, a *scriptedAgent) Target {
	t.Helper()
	return startScriptedAgentAt(t, a, "127.0.0.1:0")
}

// startScriptedAgentAt serves a on the UDP address addr ("[::1]:0" for IPv6).
func startScriptedAgentAt(t *testing.T, a *scriptedAgent, addr string) Target {
	t.Helper()
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	a.pc = pc
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 65536)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			for _, out := range a.answer(buf[:n]) {
				_, _ = pc.WriteTo(out, addr)
			}
		}
	}()
	t.Cleanup(func() { _ = pc.Close(); <-done })
	local := pc.LocalAddr().(*net.UDPAddr)
	return Target{Transport: "udp", Host: local.IP.String(), Port: local.Port}
}

func (a *scriptedAgent) answer(msg []byte) [][]byte {
	req, err := (&gosnmp.GoSNMP{}).SnmpDecodePacket(msg)
	if err != nil {
		return nil
	}
	a.mu.Lock()
	a.sizes = append(a.sizes, len(req.Variables))
	a.mu.Unlock()
	resp := &gosnmp.SnmpPacket{Version: req.Version, Community: req.Community, PDUType: gosnmp.GetResponse, RequestID: req.RequestID}
	switch {
	case a.maxVarbinds > 0 && len(req.Variables) > a.maxVarbinds:
		resp.Error, resp.Variables = gosnmp.TooBig, req.Variables
	case req.PDUType == gosnmp.GetRequest:
		for i, v := range req.Variables {
			got, ok := a.vars[v.Name]
			if !ok && req.Version == gosnmp.Version1 {
				resp.Error, resp.ErrorIndex, resp.Variables = gosnmp.NoSuchName, uint8(i+1), req.Variables
				break
			}
			if !ok {
				got = gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.NoSuchInstance}
			}
			resp.Variables = append(resp.Variables, got)
		}
	case a.loop: // GETNEXT/GETBULK answered with the requested OID itself
		resp.Variables = []gosnmp.SnmpPDU{{Name: req.Variables[0].Name + ".1", Type: gosnmp.Integer, Value: 1}, {Name: req.Variables[0].Name, Type: gosnmp.Integer, Value: 1}}
	}
	out, err := resp.MarshalMsg()
	if err != nil {
		return nil
	}
	a.mu.Lock()
	first := len(a.sizes) == 1
	a.mu.Unlock()
	if !a.staleFirst || a.staleID0 && !first {
		return [][]byte{out}
	}
	stale := *resp
	stale.RequestID--
	if a.staleID0 {
		stale.RequestID = 0
	}
	stale.Variables = []gosnmp.SnmpPDU{{Name: req.Variables[0].Name, Type: gosnmp.Counter64, Value: uint64(999)}}
	old, err := stale.MarshalMsg()
	if err != nil {
		return nil
	}
	return [][]byte{old, out}
}

func (a *scriptedAgent) requestSizes() []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]int(nil), a.sizes...)
}

func counterVars(n int) (map[string]gosnmp.SnmpPDU, []string) {
	vars := map[string]gosnmp.SnmpPDU{}
	var oids []string
	for i := 1; i <= n; i++ {
		oid := fmt.Sprintf("%s.%d", OIDIfHCInOctets, i)
		vars["."+oid] = gosnmp.SnmpPDU{Name: "." + oid, Type: gosnmp.Counter64, Value: uint64(1000 * i)}
		oids = append(oids, oid)
	}
	return vars, oids
}

func TestGetAgainstScriptedAgent(t *testing.T) {
	tests := []struct {
		name        string
		version     string
		maxVarbinds int
		staleFirst  bool
		staleID0    bool
		n, missing  int // OIDs asked; the last `missing` do not exist
		wantMaxSize int // largest request of the second Get
	}{
		{"fits", "2c", 0, false, false, 10, 2, 10},
		{"split at 60", "2c", 0, false, false, 130, 0, 60},
		{"tooBig halves", "2c", 7, false, false, 23, 0, 7},
		{"v1 noSuchName", "1", 0, false, false, 12, 3, 12},
		{"v1 noSuchName and tooBig", "1", 4, false, false, 9, 2, 4},
		{"stale replies ignored", "2c", 0, true, false, 5, 1, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars, oids := counterVars(tt.n - tt.missing)
			for i := tt.n - tt.missing + 1; i <= tt.n; i++ {
				oids = append(oids, fmt.Sprintf("%s.%d", OIDIfHCInOctets, i))
			}
			agent := &scriptedAgent{vars: vars, maxVarbinds: tt.maxVarbinds, staleFirst: tt.staleFirst, staleID0: tt.staleID0}
			target := startScriptedAgent(t, agent)
			c, err := Dial(context.Background(), Config{Target: target, Version: Version(tt.version), Community: testCommunity, Timeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			firstRound := 0
			for round := 0; round < 2; round++ {
				if round == 1 {
					firstRound = len(agent.requestSizes())
				}
				got, err := c.Get(context.Background(), oids)
				if err != nil {
					t.Fatalf("round %d: Get: %v", round, err)
				}
				for i, v := range got {
					exists := i < tt.n-tt.missing
					if v.OID != oids[i] || v.Exists() != exists || exists && v.Uint != uint64(1000*(i+1)) {
						t.Fatalf("round %d: varbind %d = %+v, want %s exists=%v value %d", round, i, v, oids[i], exists, 1000*(i+1))
					}
				}
			}
			sizes := agent.requestSizes()
			if m := slices.Max(sizes[firstRound:]); m > tt.wantMaxSize {
				t.Errorf("request sizes %v: second Get sent up to %d varbinds, want at most %d", sizes, m, tt.wantMaxSize)
			}
		})
	}
}

// TestGetIgnoresRequestIDZero: gosnmp takes a reply with request-id 0 as
// the answer to any request; the client must not.
func TestGetIgnoresRequestIDZero(t *testing.T) {
	vars, oids := counterVars(3)
	agent := &scriptedAgent{vars: vars, staleFirst: true, staleID0: true}
	target := startScriptedAgent(t, agent)
	c, err := Dial(context.Background(), Config{Target: target, Community: testCommunity, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := c.Get(context.Background(), oids)
	if err != nil {
		t.Fatalf("Get = %v, want the values of the resent request", err)
	}
	if sizes := agent.requestSizes(); len(sizes) != 2 {
		t.Errorf("agent saw %d requests, want 2 (one resend)", len(sizes))
	}
	for i, v := range got {
		if v.Uint != uint64(1000*(i+1)) {
			t.Errorf("varbind %d = %d, want %d (the stale reply's 999 leaked through)", i, v.Uint, 1000*(i+1))
		}
	}
}

func TestDialIPv6Loopback(t *testing.T) {
	vars, oids := counterVars(2)
	listen := startScriptedAgentAt(t, &scriptedAgent{vars: vars}, "[::1]:0")
	for _, spec := range []string{"udp6:[::1]:" + strconv.Itoa(listen.Port), "[::1]:" + strconv.Itoa(listen.Port)} {
		t.Run(spec, func(t *testing.T) {
			target, err := ParseTarget(spec)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Dial(context.Background(), Config{Target: target, Community: testCommunity, Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			got, err := c.Get(context.Background(), oids)
			if err != nil || got[1].Uint != 2000 {
				t.Errorf("Get over %s = %+v, %v; want ifHCInOctets.2 = 2000", spec, got, err)
			}
		})
	}
}

func TestBulkWalkLoopGuard(t *testing.T) {
	for _, version := range []string{"1", "2c"} {
		t.Run("v"+version, func(t *testing.T) {
			target := startScriptedAgent(t, &scriptedAgent{loop: true})
			c, err := Dial(context.Background(), Config{Target: target, Version: Version(version), Community: testCommunity, Timeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			n := 0
			err = c.BulkWalk(ctx, OIDIfDescr, func(Variable) error { n++; return nil })
			if !errors.Is(err, ErrNotIncreasing) {
				t.Errorf("BulkWalk = %v after %d variables, want ErrNotIncreasing", err, n)
			}
		})
	}
}
