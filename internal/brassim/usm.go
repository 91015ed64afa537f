package brassim

import (
	"crypto/hmac"
	"encoding/binary"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gosnmp/gosnmp"
)

// usmStats OIDs carried in the REPORT PDUs of RFC 3414.
const (
	usmStatsUnsupportedSecLevels = ".1.3.6.1.6.3.15.1.1.1.0"
	usmStatsUnknownUserNames     = ".1.3.6.1.6.3.15.1.1.3.0"
	usmStatsUnknownEngineIDs     = ".1.3.6.1.6.3.15.1.1.4.0"
	usmStatsWrongDigests         = ".1.3.6.1.6.3.15.1.1.5.0"
)

// usmAgent is the agent side of SNMPv3's User-based Security Model for one
// user: engine discovery, digest checks, decryption and encrypted replies.
type usmAgent struct {
	engineID string
	start    time.Time
	user     string
	level    gosnmp.SnmpV3MsgFlags
	params   *gosnmp.UsmSecurityParameters // with localized keys
	decoder  *gosnmp.GoSNMP
	macLen   int
	salt     atomic.Uint64
	reports  atomic.Uint32
}

var authProtocols = map[string]gosnmp.SnmpV3AuthProtocol{
	"MD5": gosnmp.MD5, "SHA": gosnmp.SHA, "SHA-224": gosnmp.SHA224, "SHA-256": gosnmp.SHA256,
	"SHA-384": gosnmp.SHA384, "SHA-512": gosnmp.SHA512,
}

var privProtocols = map[string]gosnmp.SnmpV3PrivProtocol{
	"DES": gosnmp.DES, "AES": gosnmp.AES, "AES-192": gosnmp.AES192, "AES-256": gosnmp.AES256,
}

var macLens = map[gosnmp.SnmpV3AuthProtocol]int{
	gosnmp.MD5: 12, gosnmp.SHA: 12, gosnmp.SHA224: 16, gosnmp.SHA256: 24, gosnmp.SHA384: 32, gosnmp.SHA512: 48,
}

// newUSMAgent localizes u's keys to an engine ID derived from seed; the
// engine's time counts from start.
func newUSMAgent(u V3User, seed uint64, start time.Time) (*usmAgent, error) {
	if u.Name == "" {
		return nil, fmt.Errorf("SNMPv3 user: empty name")
	}
	sp := &gosnmp.UsmSecurityParameters{UserName: u.Name, AuthenticationProtocol: gosnmp.NoAuth,
		PrivacyProtocol: gosnmp.NoPriv, Logger: quietLogger}
	level := gosnmp.NoAuthNoPriv
	if u.AuthProto != "" {
		p, ok := authProtocols[strings.ToUpper(u.AuthProto)]
		if !ok {
			return nil, fmt.Errorf("SNMPv3 user %s: unknown auth protocol %q", u.Name, u.AuthProto)
		}
		sp.AuthenticationProtocol, sp.AuthenticationPassphrase, level = p, u.AuthPass, gosnmp.AuthNoPriv
	}
	if u.PrivProto != "" {
		p, ok := privProtocols[strings.ToUpper(u.PrivProto)]
		if !ok || level != gosnmp.AuthNoPriv {
			return nil, fmt.Errorf("SNMPv3 user %s: privacy protocol %q needs a known protocol and authentication", u.Name, u.PrivProto)
		}
		sp.PrivacyProtocol, sp.PrivacyPassphrase, level = p, u.PrivPass, gosnmp.AuthPriv
	}
	// Engine ID format 3 (MAC address) under Cisco's enterprise number 9.
	id := []byte{0x80, 0x00, 0x00, 0x09, 0x03, 0x00, 0x5e, 0x00}
	id = binary.BigEndian.AppendUint32(id, uint32(seed))
	sp.AuthoritativeEngineID = string(id)
	if err := sp.InitSecurityKeys(); err != nil {
		return nil, fmt.Errorf("SNMPv3 user %s: localize keys: %w", u.Name, err)
	}
	a := &usmAgent{engineID: string(id), start: start, user: u.Name, level: level, params: sp,
		macLen: macLens[sp.AuthenticationProtocol]}
	a.decoder = &gosnmp.GoSNMP{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel,
		MsgFlags: level, SecurityParameters: sp, Logger: quietLogger}
	return a, nil
}

// v3Header is what the agent reads of a v3 message before decoding it.
type v3Header struct {
	msgID    uint32
	maxSize  int
	flags    gosnmp.SnmpV3MsgFlags
	engineID string
	user     string
	auth     tlv // msgAuthenticationParameters
}

// parseV3Header reads the header and USM parameters of a v3 message.
func parseV3Header(b []byte) (v3Header, bool) {
	var h v3Header
	msg, ok := readTLV(b, 0)
	if !ok {
		return h, false
	}
	ver, ok := readTLV(b, msg.start)
	if !ok {
		return h, false
	}
	hdr, ok := readTLV(b, ver.end)
	if !ok || hdr.tag != 0x30 {
		return h, false
	}
	var f [4]tlv
	off := hdr.start
	for i := range f {
		if f[i], ok = readTLV(b, off); !ok {
			return h, false
		}
		off = f[i].end
	}
	h.msgID, h.maxSize = uint32(berUint(b[f[0].start:f[0].end])), int(berUint(b[f[1].start:f[1].end]))
	if f[2].end-f[2].start != 1 {
		return h, false
	}
	h.flags = gosnmp.SnmpV3MsgFlags(b[f[2].start])
	sec, ok := readTLV(b, hdr.end)
	if !ok || sec.tag != 0x04 {
		return h, false
	}
	seq, ok := readTLV(b, sec.start)
	if !ok || seq.tag != 0x30 {
		return h, false
	}
	var u [6]tlv
	off = seq.start
	for i := range u {
		if u[i], ok = readTLV(b, off); !ok {
			return h, false
		}
		off = u[i].end
	}
	h.engineID, h.user, h.auth = string(b[u[0].start:u[0].end]), string(b[u[3].start:u[3].end]), u[4]
	return h, true
}

// berUint decodes a short non-negative BER integer.
func berUint(b []byte) uint64 {
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	return n
}

// handle answers one v3 message: a REPORT for discovery and security
// errors, otherwise the answer of process. It returns nil to drop.
func (a *usmAgent) handle(req []byte, process func(*gosnmp.SnmpPacket, int) *gosnmp.SnmpPacket, now func() time.Time) []byte {
	h, ok := parseV3Header(req)
	if !ok {
		return nil
	}
	level := h.flags & gosnmp.AuthPriv
	switch {
	case h.engineID == "" || h.engineID != a.engineID:
		return a.report(req, h, usmStatsUnknownEngineIDs, now)
	case h.user != a.user:
		return a.report(req, h, usmStatsUnknownUserNames, now)
	case level != a.level:
		return a.report(req, h, usmStatsUnsupportedSecLevels, now)
	case level&gosnmp.AuthNoPriv != 0 && !a.authentic(req, h):
		return a.report(req, h, usmStatsWrongDigests, now)
	}
	p, err := a.decoder.SnmpDecodePacket(req)
	if err != nil {
		return nil
	}
	budget := min(max(h.maxSize, 484), maxDatagram) - headerMargin
	resp := process(p, budget)
	if resp == nil {
		return nil
	}
	return a.marshal(resp, h, p.ContextName, level, now)
}

// authentic checks the message digest, over the message with the digest
// field zeroed.
func (a *usmAgent) authentic(req []byte, h v3Header) bool {
	if h.auth.end-h.auth.start != a.macLen {
		return false
	}
	got := append([]byte(nil), req[h.auth.start:h.auth.end]...)
	msg := append([]byte(nil), req...)
	clear(msg[h.auth.start:h.auth.end])
	mac := hmac.New(a.params.AuthenticationProtocol.HashType().New, a.params.SecretKey)
	mac.Write(msg)
	return hmac.Equal(mac.Sum(nil)[:a.macLen], got)
}

// report answers with an unauthenticated REPORT carrying one usmStats counter.
func (a *usmAgent) report(req []byte, h v3Header, oid string, now func() time.Time) []byte {
	var requestID uint32
	if h.flags&gosnmp.AuthPriv == gosnmp.NoAuthNoPriv {
		// Only plaintext requests reveal their request-id to an agent that
		// has not authenticated them.
		dec := &gosnmp.GoSNMP{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel,
			MsgFlags: gosnmp.NoAuthNoPriv, Logger: quietLogger,
			SecurityParameters: &gosnmp.UsmSecurityParameters{UserName: "discovery", Logger: quietLogger}}
		if p, err := dec.SnmpDecodePacket(append([]byte(nil), req...)); err == nil {
			requestID = p.RequestID
		}
	}
	resp := &gosnmp.SnmpPacket{PDUType: gosnmp.Report, RequestID: requestID, Logger: quietLogger,
		Variables: []gosnmp.SnmpPDU{{Name: oid, Type: gosnmp.Counter32, Value: a.reports.Add(1)}}}
	return a.marshal(resp, h, "", gosnmp.NoAuthNoPriv, now)
}

// marshal encodes resp as a v3 message at the given security level.
func (a *usmAgent) marshal(resp *gosnmp.SnmpPacket, h v3Header, contextName string, level gosnmp.SnmpV3MsgFlags, now func() time.Time) []byte {
	sp := &gosnmp.UsmSecurityParameters{
		AuthoritativeEngineID:    a.engineID,
		AuthoritativeEngineBoots: 1,
		AuthoritativeEngineTime:  uint32(max(now().Sub(a.start), 0) / time.Second),
		UserName:                 h.user,
		AuthenticationProtocol:   gosnmp.NoAuth,
		PrivacyProtocol:          gosnmp.NoPriv,
		Logger:                   quietLogger,
	}
	if level&gosnmp.AuthNoPriv != 0 {
		sp.AuthenticationProtocol, sp.SecretKey = a.params.AuthenticationProtocol, a.params.SecretKey
	}
	if level == gosnmp.AuthPriv {
		sp.PrivacyProtocol, sp.PrivacyKey = a.params.PrivacyProtocol, a.params.PrivacyKey
		sp.PrivacyParameters = binary.BigEndian.AppendUint64(nil, a.salt.Add(1))
	}
	resp.Version, resp.MsgFlags, resp.SecurityModel = gosnmp.Version3, level, gosnmp.UserSecurityModel
	resp.SecurityParameters, resp.MsgID, resp.MsgMaxSize = sp, h.msgID, maxDatagram
	resp.ContextEngineID, resp.ContextName = a.engineID, contextName
	out, err := resp.MarshalMsg()
	if err != nil {
		return nil
	}
	return out
}
