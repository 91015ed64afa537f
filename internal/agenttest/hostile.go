package agenttest

import (
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
	"github.com/stg-project/stg/snmp"
)

// HostileCommunity is the SNMPv2c community a Hostile agent answers.
const HostileCommunity = "hostile"

// hostileMaxHeld bounds the delayed replies a Hostile agent holds at once.
const hostileMaxHeld = 1024

// PDUType is the kind of request a Hostile agent received.
type PDUType string

// The request kinds a HostileScript sees.
const (
	PDUGet     PDUType = "get"
	PDUGetNext PDUType = "getnext"
	PDUGetBulk PDUType = "getbulk"
	PDUOther   PDUType = "other"
)

// HostileRequest is one request a Hostile agent decoded.
type HostileRequest struct {
	// N counts the requests: 1 for the first the agent received.
	N int
	// Time is when the request arrived.
	Time time.Time
	// Type is the request's PDU type.
	Type PDUType
	// RequestID is the request's request-id.
	RequestID uint32
	// OIDs are the requested OIDs, dotted without a leading dot.
	OIDs []string
	// NonRepeaters and MaxRepetitions are GETBULK's parameters.
	NonRepeaters, MaxRepetitions int
}

// HostileReply is one datagram a Hostile agent sends back.
type HostileReply struct {
	// Vars are the varbinds of the GetResponse. The kinds map to their SMI
	// types; KindOther is sent as an Opaque holding Bytes.
	Vars []snmp.Variable
	// ErrorStatus and ErrorIndex are the response's error fields (0 is
	// noError; 1 tooBig, 2 noSuchName, 5 genErr).
	ErrorStatus, ErrorIndex int
	// RequestIDDelta is added to the request's request-id (wrapping): any
	// value but 0 answers with a request-id the client did not send.
	RequestIDDelta int64
	// Delay sends the reply this long after the request arrived.
	Delay time.Duration
	// Raw, when set, is sent as it is instead of an encoded message.
	Raw []byte
}

// HostileScript decides a Hostile agent's answers to one request, in the
// order they are sent; none is silence. Scripts run on the agent's one
// serving goroutine, one request at a time.
type HostileScript func(req HostileRequest) []HostileReply

// Hostile is a misbehaving SNMPv2c agent on a loopback UDP port whose
// answers a test scripts request by request: wrong types, huge values,
// request-id mismatches, out-of-order walks, late answers or silence. It is
// built on gosnmp's packet decoder and encoder; requests it cannot decode
// or with another community are ignored, as real agents do.
type Hostile struct {
	// Target is the agent's address, udp on 127.0.0.1.
	Target snmp.Target

	conn *net.UDPConn

	mu       sync.Mutex
	script   HostileScript
	requests int
	held     map[uint64]*time.Timer
	nextHeld uint64
	closed   bool

	wg sync.WaitGroup
}

// hostileLogger keeps gosnmp's codec silent.
var hostileLogger = gosnmp.NewLogger(log.New(io.Discard, "", 0))

// StartHostile runs a Hostile agent answering with script on a free
// loopback port, and stops it when the test ends.
func StartHostile(t testing.TB, script HostileScript) *Hostile {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("hostile agent: listen on 127.0.0.1: %v", err)
	}
	h := &Hostile{
		Target: loopback(conn.LocalAddr().(*net.UDPAddr).Port),
		conn:   conn,
		script: script,
		held:   make(map[uint64]*time.Timer),
	}
	h.wg.Add(1)
	go h.serve()
	t.Cleanup(h.Close)
	return h
}

// Config returns an SNMPv2c client configuration for the agent.
func (h *Hostile) Config() snmp.Config {
	return snmp.Config{Target: h.Target, Version: "2c", Community: HostileCommunity}
}

// SetScript replaces the script from the next request on.
func (h *Hostile) SetScript(script HostileScript) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.script = script
}

// Requests returns how many requests the agent has decoded.
func (h *Hostile) Requests() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.requests
}

// Close stops the agent; replies still held are never sent. It returns once
// the agent's goroutines have ended and is safe to call twice.
func (h *Hostile) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	for id, t := range h.held {
		delete(h.held, id)
		if t.Stop() {
			h.wg.Done()
		}
	}
	_ = h.conn.Close()
	h.mu.Unlock()
	h.wg.Wait()
}

// serve answers requests until the socket closes.
func (h *Hostile) serve() {
	defer h.wg.Done()
	dec := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Logger: hostileLogger}
	buf := make([]byte, 65535)
	for {
		n, addr, err := h.conn.ReadFromUDP(buf)
		arrived := time.Now()
		if err != nil {
			h.mu.Lock()
			closed := h.closed
			h.mu.Unlock()
			if closed {
				return
			}
			continue
		}
		p, err := dec.SnmpDecodePacket(buf[:n])
		if err != nil || p.Community != HostileCommunity || p.Version == gosnmp.Version3 {
			continue
		}
		req := hostileRequest(p, arrived)
		h.mu.Lock()
		h.requests++
		req.N = h.requests
		script := h.script
		h.mu.Unlock()
		if script == nil {
			continue
		}
		for _, r := range script(req) {
			out, err := r.encode(p)
			if err != nil {
				continue // unencodable on purpose or by mistake: nothing sent
			}
			h.send(out, addr, r.Delay-time.Since(req.Time))
		}
	}
}

func hostileRequest(p *gosnmp.SnmpPacket, arrived time.Time) HostileRequest {
	req := HostileRequest{
		Time:           arrived,
		Type:           PDUOther,
		RequestID:      p.RequestID,
		NonRepeaters:   int(p.NonRepeaters),
		MaxRepetitions: int(p.MaxRepetitions),
	}
	switch p.PDUType {
	case gosnmp.GetRequest:
		req.Type = PDUGet
	case gosnmp.GetNextRequest:
		req.Type = PDUGetNext
	case gosnmp.GetBulkRequest:
		req.Type = PDUGetBulk
	}
	for _, v := range p.Variables {
		req.OIDs = append(req.OIDs, snmp.NormalizeOID(v.Name))
	}
	return req
}

// send writes out to addr now, or holds it for delay.
func (h *Hostile) send(out []byte, addr *net.UDPAddr, delay time.Duration) {
	if delay <= 0 {
		_, _ = h.conn.WriteToUDP(out, addr)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || len(h.held) >= hostileMaxHeld {
		return
	}
	id := h.nextHeld
	h.nextHeld++
	h.wg.Add(1)
	h.held[id] = time.AfterFunc(delay, func() {
		defer h.wg.Done()
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, live := h.held[id]; !live {
			return
		}
		delete(h.held, id)
		_, _ = h.conn.WriteToUDP(out, addr)
	})
}

// encode makes the datagram of a reply to the request p.
func (r HostileReply) encode(p *gosnmp.SnmpPacket) ([]byte, error) {
	if r.Raw != nil {
		return r.Raw, nil
	}
	resp := &gosnmp.SnmpPacket{
		Version:    p.Version,
		Community:  p.Community,
		PDUType:    gosnmp.GetResponse,
		RequestID:  uint32(int64(p.RequestID) + r.RequestIDDelta),
		Error:      gosnmp.SNMPError(r.ErrorStatus),
		ErrorIndex: uint8(r.ErrorIndex),
		Logger:     hostileLogger,
	}
	for _, v := range r.Vars {
		pdu, err := hostilePDU(v)
		if err != nil {
			return nil, err
		}
		resp.Variables = append(resp.Variables, pdu)
	}
	return resp.MarshalMsg()
}

// hostilePDU encodes one Variable as a gosnmp varbind.
func hostilePDU(v snmp.Variable) (gosnmp.SnmpPDU, error) {
	pdu := gosnmp.SnmpPDU{Name: "." + snmp.NormalizeOID(v.OID)}
	switch v.Kind {
	case snmp.KindNull:
		pdu.Type = gosnmp.Null
	case snmp.KindInteger:
		pdu.Type, pdu.Value = gosnmp.Integer, int(v.Int)
	case snmp.KindOctetString:
		pdu.Type, pdu.Value = gosnmp.OctetString, v.Bytes
	case snmp.KindOID:
		pdu.Type, pdu.Value = gosnmp.ObjectIdentifier, "."+snmp.NormalizeOID(string(v.Bytes))
	case snmp.KindIPAddress:
		pdu.Type, pdu.Value = gosnmp.IPAddress, string(v.Bytes)
	case snmp.KindCounter32:
		pdu.Type, pdu.Value = gosnmp.Counter32, uint32(v.Uint)
	case snmp.KindGauge32:
		pdu.Type, pdu.Value = gosnmp.Gauge32, uint32(v.Uint)
	case snmp.KindTimeTicks:
		pdu.Type, pdu.Value = gosnmp.TimeTicks, uint32(v.Uint)
	case snmp.KindCounter64:
		pdu.Type, pdu.Value = gosnmp.Counter64, v.Uint
	case snmp.KindNoSuchObject:
		pdu.Type = gosnmp.NoSuchObject
	case snmp.KindNoSuchInstance:
		pdu.Type = gosnmp.NoSuchInstance
	case snmp.KindEndOfMibView:
		pdu.Type = gosnmp.EndOfMibView
	case snmp.KindOther:
		pdu.Type, pdu.Value = gosnmp.Opaque, v.Bytes
	default:
		return pdu, fmt.Errorf("hostile agent: cannot encode kind %s of %s", v.Kind, v.OID)
	}
	return pdu, nil
}

// AnswerGet is the reply to a GET that answers every requested OID with
// lookup's Variable (its OID is filled in when empty).
func AnswerGet(req HostileRequest, lookup func(oid string) snmp.Variable) HostileReply {
	vars := make([]snmp.Variable, len(req.OIDs))
	for i, oid := range req.OIDs {
		v := lookup(oid)
		if v.OID == "" {
			v.OID = oid
		}
		vars[i] = v
	}
	return HostileReply{Vars: vars}
}
