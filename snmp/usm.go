package snmp

import (
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/gosnmp/gosnmp"
)

// An SNMPv3 agent that refuses a request says why in a Report PDU carrying
// one of the usmStats counters (RFC 3414 §3.2). It sends that report without
// authentication, since it could not authenticate the user, and gosnmp then
// drops it as "not authentic" and keeps only that. stg keeps the last
// datagram the agent sent (tapConn) and reads the report itself, so the
// error names the flag to change.

// usmReport is what an agent's Report PDU says went wrong.
type usmReport int

// The reports stg explains.
const (
	reportNone usmReport = iota
	reportUnsupportedSecLevel
	reportNotInTimeWindow
	reportUnknownUserName
	reportUnknownEngineID
	reportWrongDigest
	reportDecryptionError
)

// usmReportOIDs maps the usmStats counters (SNMP-USER-BASED-SM-MIB) to the
// report they name.
var usmReportOIDs = map[string]usmReport{
	"1.3.6.1.6.3.15.1.1.1.0": reportUnsupportedSecLevel,
	"1.3.6.1.6.3.15.1.1.2.0": reportNotInTimeWindow,
	"1.3.6.1.6.3.15.1.1.3.0": reportUnknownUserName,
	"1.3.6.1.6.3.15.1.1.4.0": reportUnknownEngineID,
	"1.3.6.1.6.3.15.1.1.5.0": reportWrongDigest,
	"1.3.6.1.6.3.15.1.1.6.0": reportDecryptionError,
}

// gosnmpReports maps the errors gosnmp returns for reports it accepted
// (those sent at the request's own level) to the report.
var gosnmpReports = []struct {
	err    error
	report usmReport
}{
	{gosnmp.ErrUnknownSecurityLevel, reportUnsupportedSecLevel},
	{gosnmp.ErrNotInTimeWindow, reportNotInTimeWindow},
	{gosnmp.ErrUnknownUsername, reportUnknownUserName},
	{gosnmp.ErrUnknownEngineID, reportUnknownEngineID},
	{gosnmp.ErrWrongDigest, reportWrongDigest},
	{gosnmp.ErrDecryption, reportDecryptionError},
}

// v3Settings are the SNMPv3 settings of a client, for messages.
type v3Settings struct {
	user, level, auth, priv, context string
}

// v3Error explains an SNMPv3 request the agent refused with a report: the
// report gosnmp returned, or the one in the last datagram the agent sent.
// It returns nil when there is no such report.
func (c *gosnmpClient) v3Error(err error) error {
	if c.v3 == nil {
		return nil
	}
	report := reportNone
	for _, r := range gosnmpReports {
		if errors.Is(err, r.err) {
			report = r.report
		}
	}
	if report == reportNone && c.tap != nil {
		report = decodeReport(c.tap.last())
	}
	if report == reportNone {
		return nil
	}
	return &rewordedError{msg: c.v3.explain(report), err: err}
}

// explain says what the agent refused and which flag to change.
func (s *v3Settings) explain(r usmReport) string {
	user := fmt.Sprintf("SNMPv3 user %q", s.user)
	switch r {
	case reportUnsupportedSecLevel:
		switch s.level {
		case levelAuthPriv:
			return fmt.Sprintf("the agent does not allow %s at level authPriv: the user has no privacy key there (usmStatsUnsupportedSecLevels): use -l authNoPriv, or give the user a privacy key on the agent", user)
		case levelAuthNoPriv:
			return fmt.Sprintf("the agent does not allow %s at level authNoPriv: the user has no authentication key there (usmStatsUnsupportedSecLevels): use -l noAuthNoPriv, or give the user an authentication key on the agent", user)
		}
		return fmt.Sprintf("the agent does not allow %s at level %s (usmStatsUnsupportedSecLevels): change the level (-l)", user, s.level)
	case reportUnknownUserName:
		return fmt.Sprintf("the agent has no %s (usmStatsUnknownUserNames): check the security name (-u)", user)
	case reportWrongDigest:
		return fmt.Sprintf("SNMPv3 authentication failed for user %q: the agent rejected the digest (usmStatsWrongDigests): check the authentication passphrase (-A) and protocol (-a, now %s)", s.user, s.auth)
	case reportDecryptionError:
		return fmt.Sprintf("the agent could not decrypt the request of %s (usmStatsDecryptionErrors): check the privacy passphrase (-X) and protocol (-x, now %s)", user, s.priv)
	case reportNotInTimeWindow:
		return fmt.Sprintf("the agent keeps refusing %s as outside its time window (usmStatsNotInTimeWindows), even after stg took its clock: its engine boots or time jump, as when two agents share one engine ID", user)
	case reportUnknownEngineID:
		return "the agent refused the engine ID it had announced (usmStatsUnknownEngineIDs): another agent may answer on the same address"
	}
	return fmt.Sprintf("the agent refused %s", user)
}

// accessHint explains an authorizationError or noAccess answer: the agent
// authenticated the request but its access rules do not let it read.
// It returns "" for other statuses.
func (c *gosnmpClient) accessHint(status gosnmp.SNMPError) string {
	if status != gosnmp.AuthorizationError && status != gosnmp.NoAccess {
		return ""
	}
	if c.v3 == nil {
		return ": the agent's access rules give this community no read access: check its rocommunity or VACM view on the agent"
	}
	s := c.v3
	where := ""
	if s.context != "" {
		where = fmt.Sprintf(" in context %q", s.context)
	}
	denied := fmt.Sprintf(": the agent's access rules give SNMPv3 user %q no read access at level %s%s", s.user, s.level, where)
	switch s.level {
	case levelNoAuthNoPriv:
		return denied + ": if its rouser or group asks for more, use -l authNoPriv (with -A) or -l authPriv (with -A and -X); else ask for read access on the agent"
	case levelAuthNoPriv:
		return denied + ": if its rouser or group asks for privacy, use -l authPriv (with -X); else ask for read access on the agent"
	}
	return denied + ": ask for read access (rouser or a VACM group) on the agent"
}

// decodeReport reads an unauthenticated SNMPv3 Report PDU from msg and
// returns the usmStats counter it carries; reportNone for anything else.
func decodeReport(msg []byte) usmReport {
	if len(msg) == 0 {
		return reportNone
	}
	// gosnmp decodes only for a named user; the name plays no part in
	// reading an unauthenticated message.
	d := &gosnmp.GoSNMP{
		Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel,
		MsgFlags: gosnmp.NoAuthNoPriv, SecurityParameters: &gosnmp.UsmSecurityParameters{UserName: "report"},
	}
	pkt, err := d.SnmpDecodePacket(msg)
	if err != nil || pkt.PDUType != gosnmp.Report || len(pkt.Variables) != 1 {
		return reportNone
	}
	return usmReportOIDs[NormalizeOID(pkt.Variables[0].Name)]
}

// tapConn is the client's socket with the last message the agent sent kept
// aside: for UDP the last datagram, for TCP the bytes read since the last
// request. It changes nothing that passes through.
type tapConn struct {
	net.Conn
	mu   sync.Mutex
	msg  []byte
	seen bool // bytes were read since the last write (TCP)
}

// maxTapped bounds what a tapConn keeps; a report is far smaller.
const maxTapped = 4096

// tap wraps conn; a packet socket stays a net.PacketConn, as gosnmp
// checks for one to use ReadFrom and WriteTo.
func tap(conn net.Conn) (net.Conn, *tapConn) {
	t := &tapConn{Conn: conn}
	if pc, ok := conn.(net.PacketConn); ok {
		return &tapPacketConn{tapConn: t, pc: pc}, t
	}
	return t, t
}

// last returns a copy of the last message kept.
func (t *tapConn) last() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.msg...)
}

// keep stores b, replacing what was kept (a new datagram) or appending to
// it (more of a TCP stream).
func (t *tapConn) keep(b []byte, replace bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if replace || !t.seen {
		t.msg = t.msg[:0]
	}
	t.seen = true
	if room := maxTapped - len(t.msg); room > 0 {
		t.msg = append(t.msg, b[:min(len(b), room)]...)
	}
}

// sent marks the start of a new exchange.
func (t *tapConn) sent() {
	t.mu.Lock()
	t.seen = false
	t.mu.Unlock()
}

// Read implements net.Conn.
func (t *tapConn) Read(b []byte) (int, error) {
	n, err := t.Conn.Read(b)
	if n > 0 {
		t.keep(b[:n], false)
	}
	return n, err
}

// Write implements net.Conn.
func (t *tapConn) Write(b []byte) (int, error) {
	t.sent()
	return t.Conn.Write(b)
}

// tapPacketConn is a tapConn over a packet socket.
type tapPacketConn struct {
	*tapConn
	pc net.PacketConn
}

// ReadFrom implements net.PacketConn.
func (t *tapPacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, addr, err := t.pc.ReadFrom(b)
	if err == nil {
		t.keep(b[:n], true)
	}
	return n, addr, err
}

// WriteTo implements net.PacketConn.
func (t *tapPacketConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	t.sent()
	return t.pc.WriteTo(b, addr)
}

// Read implements net.Conn for a connected packet socket: each read is
// one datagram.
func (t *tapPacketConn) Read(b []byte) (int, error) {
	n, err := t.tapConn.Conn.Read(b)
	if err == nil {
		t.keep(b[:n], true)
	}
	return n, err
}
