package brassim

import (
	"io"
	"log"

	"github.com/gosnmp/gosnmp"
)

// Limits of one response: the largest UDP payload, a margin for the message
// header, and a cap on the varbinds one GETBULK may return.
const (
	maxDatagram   = 65507
	headerMargin  = 300
	maxBulkResult = 10000
)

// quietLogger keeps gosnmp's codec silent.
var quietLogger = gosnmp.NewLogger(log.New(io.Discard, "", 0))

// serveSNMP answers requests until the socket closes. One goroutine serves
// every request: the per-request work is small and lock-free.
func (s *Sim) serveSNMP() {
	buf := make([]byte, 65536)
	m := newMIB(s.opts)
	v2 := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Logger: quietLogger}
	for {
		n, addr, err := s.udp.ReadFromUDP(buf)
		if err != nil {
			return
		}
		req := buf[:n]
		var out []byte
		if version, ok := peekVersion(req); ok && version == gosnmp.Version3 {
			if s.usm != nil {
				out = s.usm.handle(req, func(p *gosnmp.SnmpPacket, budget int) *gosnmp.SnmpPacket {
					return s.process(m, p, budget)
				}, s.now)
			}
		} else {
			out = s.handleCommunity(v2, m, req)
		}
		if out != nil {
			_, _ = s.udp.WriteToUDP(out, addr)
		}
	}
}

// handleCommunity answers a v1 or v2c message; wrong communities and
// undecodable messages are dropped, as real agents do.
func (s *Sim) handleCommunity(dec *gosnmp.GoSNMP, m mib, req []byte) []byte {
	p, err := dec.SnmpDecodePacket(req)
	if err != nil || p.Community != s.opts.Community {
		return nil
	}
	if p.Version == gosnmp.Version1 && p.PDUType == gosnmp.GetBulkRequest {
		return nil
	}
	resp := s.process(m, p, maxDatagram-headerMargin-len(p.Community))
	if resp == nil {
		return nil
	}
	resp.Version, resp.Community = p.Version, p.Community
	out, err := resp.MarshalMsg()
	if err != nil {
		return nil
	}
	return out
}

// process answers the PDU of a decoded request with a GetResponse PDU whose
// encoded varbinds stay within budget octets. It returns nil for PDU types
// the agent does not answer.
func (s *Sim) process(m mib, p *gosnmp.SnmpPacket, budget int) *gosnmp.SnmpPacket {
	resp := &gosnmp.SnmpPacket{PDUType: gosnmp.GetResponse, RequestID: p.RequestID, Logger: quietLogger}
	v := s.requestView()
	v1 := p.Version == gosnmp.Version1
	switch p.PDUType {
	case gosnmp.GetRequest, gosnmp.GetNextRequest:
		resp.Variables = make([]gosnmp.SnmpPDU, len(p.Variables))
		for i, in := range p.Variables {
			arcs, ok := parseOID(in.Name)
			var r lookupResult
			switch {
			case !ok:
				r = lookupResult{kind: gosnmp.NoSuchObject}
			case p.PDUType == gosnmp.GetRequest:
				r = m.get(v, arcs)
				if v1 && r.col != nil && r.col.counter64 {
					r = lookupResult{kind: gosnmp.NoSuchObject}
				}
			default:
				r = m.next(v, arcs, v1)
			}
			if r.col == nil {
				if v1 {
					return v1Error(resp, p, i)
				}
				resp.Variables[i] = gosnmp.SnmpPDU{Name: in.Name, Type: r.kind}
				continue
			}
			resp.Variables[i] = r.pdu(v)
		}
		if size(resp.Variables) > budget {
			resp.Error, resp.ErrorIndex, resp.Variables = gosnmp.TooBig, 0, p.Variables
		}
	case gosnmp.GetBulkRequest:
		resp.Variables = bulk(m, v, p, budget)
	case gosnmp.SetRequest:
		// Every object is read-only: noAccess (noSuchName in SNMPv1).
		resp.Error, resp.ErrorIndex, resp.Variables = gosnmp.NoAccess, 1, p.Variables
		if v1 {
			resp.Error = gosnmp.NoSuchName
		}
	default:
		return nil
	}
	return resp
}

// v1Error turns resp into SNMPv1's noSuchName answer for varbind i.
func v1Error(resp, p *gosnmp.SnmpPacket, i int) *gosnmp.SnmpPacket {
	resp.Error, resp.ErrorIndex = gosnmp.NoSuchName, uint8(min(i+1, 255))
	resp.Variables = make([]gosnmp.SnmpPDU, len(p.Variables))
	for j, in := range p.Variables {
		resp.Variables[j] = gosnmp.SnmpPDU{Name: in.Name, Type: gosnmp.Null}
	}
	return resp
}

// bulk answers a GETBULK (RFC 3416 §4.2.3): GETNEXT for the non-repeaters,
// then up to max-repetitions rounds over the repeaters. It stops after a
// round that is endOfMibView for every repeater, and before the varbinds
// outgrow budget.
func bulk(m mib, v *view, p *gosnmp.SnmpPacket, budget int) []gosnmp.SnmpPDU {
	nonRep := min(int(p.NonRepeaters), len(p.Variables))
	var out []gosnmp.SnmpPDU
	used := 0
	appendVar := func(pdu gosnmp.SnmpPDU) bool {
		n := varbindSize(pdu)
		if used+n > budget || len(out) >= maxBulkResult {
			return false
		}
		used += n
		out = append(out, pdu)
		return true
	}
	nextOf := func(name string) gosnmp.SnmpPDU {
		arcs, ok := parseOID(name)
		if !ok {
			return gosnmp.SnmpPDU{Name: name, Type: gosnmp.EndOfMibView}
		}
		r := m.next(v, arcs, false)
		if r.col == nil {
			return gosnmp.SnmpPDU{Name: name, Type: gosnmp.EndOfMibView}
		}
		return r.pdu(v)
	}
	for _, in := range p.Variables[:nonRep] {
		if !appendVar(nextOf(in.Name)) {
			return out
		}
	}
	reps := p.Variables[nonRep:]
	last := make([]string, len(reps))
	for i, in := range reps {
		last[i] = in.Name
	}
	for round := 0; round < int(p.MaxRepetitions) && len(reps) > 0; round++ {
		allEnd := true
		for i := range reps {
			pdu := nextOf(last[i])
			if pdu.Type != gosnmp.EndOfMibView {
				allEnd = false
			}
			if !appendVar(pdu) {
				return out
			}
			last[i] = pdu.Name
		}
		if allEnd {
			break
		}
	}
	return out
}

// size estimates the encoded size of a varbind list.
func size(vars []gosnmp.SnmpPDU) int {
	n := 0
	for _, v := range vars {
		n += varbindSize(v)
	}
	return n
}

// varbindSize is an upper bound of one encoded varbind: the OID takes at
// most one octet per dotted character plus headers; values their length.
func varbindSize(v gosnmp.SnmpPDU) int {
	n := len(v.Name) + 12
	switch x := v.Value.(type) {
	case []byte:
		n += len(x)
	case string:
		n += len(x)
	default:
		n += 9
	}
	return n
}

// peekVersion reads the version field of an SNMP message.
func peekVersion(b []byte) (gosnmp.SnmpVersion, bool) {
	seq, ok := readTLV(b, 0)
	if !ok || seq.tag != 0x30 {
		return 0, false
	}
	ver, ok := readTLV(b, seq.start)
	if !ok || ver.tag != 0x02 || ver.end-ver.start != 1 {
		return 0, false
	}
	return gosnmp.SnmpVersion(b[ver.start]), true
}

// tlv is one BER element: its tag and the bounds of its contents.
type tlv struct {
	tag        byte
	start, end int
}

// readTLV reads the BER element at off (definite lengths only).
func readTLV(b []byte, off int) (tlv, bool) {
	if off+2 > len(b) {
		return tlv{}, false
	}
	t := tlv{tag: b[off]}
	l := int(b[off+1])
	p := off + 2
	if l&0x80 != 0 {
		n := l & 0x7f
		if n == 0 || n > 3 || p+n > len(b) {
			return tlv{}, false
		}
		l = 0
		for _, c := range b[p : p+n] {
			l = l<<8 | int(c)
		}
		p += n
	}
	if p+l > len(b) {
		return tlv{}, false
	}
	t.start, t.end = p, p+l
	return t, true
}
