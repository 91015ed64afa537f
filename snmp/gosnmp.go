package snmp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/stg-project/stg/secret"
)

// maxOIDsPerGet is the varbinds per GET before a request is split; it
// shrinks when an agent answers tooBig.
const maxOIDsPerGet = gosnmp.MaxOids

// gosnmpLevels, gosnmpAuth and gosnmpPriv map canonical names to gosnmp's.
var (
	gosnmpLevels = map[string]gosnmp.SnmpV3MsgFlags{
		levelNoAuthNoPriv: gosnmp.NoAuthNoPriv,
		levelAuthNoPriv:   gosnmp.AuthNoPriv,
		levelAuthPriv:     gosnmp.AuthPriv,
	}
	gosnmpAuth = map[string]gosnmp.SnmpV3AuthProtocol{
		"": gosnmp.NoAuth, "MD5": gosnmp.MD5, "SHA": gosnmp.SHA, "SHA-224": gosnmp.SHA224,
		"SHA-256": gosnmp.SHA256, "SHA-384": gosnmp.SHA384, "SHA-512": gosnmp.SHA512,
	}
	gosnmpPriv = map[string]gosnmp.SnmpV3PrivProtocol{
		"": gosnmp.NoPriv, "DES": gosnmp.DES, "AES": gosnmp.AES, "AES-192": gosnmp.AES192,
		"AES-256": gosnmp.AES256, "AES-192-C": gosnmp.AES192C, "AES-256-C": gosnmp.AES256C,
	}
	gosnmpVersions = map[Version]gosnmp.SnmpVersion{
		Version1: gosnmp.Version1, Version2c: gosnmp.Version2c, Version3: gosnmp.Version3,
	}
)

// build validates the configuration and returns an unconnected gosnmp
// client and the checked configuration.
func (c Config) build() (*gosnmp.GoSNMP, checkedConfig, error) {
	cc, err := c.check()
	if err != nil {
		return nil, cc, err
	}
	g := &gosnmp.GoSNMP{
		Target:         c.Target.Host,
		Port:           uint16(c.Target.Port),
		Transport:      "udp",
		Version:        gosnmpVersions[cc.version],
		Timeout:        cc.timeout,
		Retries:        c.Retries,
		MaxOids:        maxOIDsPerGet,
		MaxRepetitions: uint32(cc.maxRepetitions),
		// Like net-snmp: answers may come from another address of a
		// multi-homed router, and an ICMP unreachable is not an answer.
		UseUnconnectedUDPSocket: !c.Target.IsTCP(),
	}
	if c.Target.IsTCP() {
		g.Transport = "tcp"
	}
	if cc.version != Version3 {
		g.Community = c.Community.Reveal()
		return g, cc, nil
	}
	usm := &gosnmp.UsmSecurityParameters{
		UserName:               c.SecName,
		AuthenticationProtocol: gosnmpAuth[cc.auth],
		PrivacyProtocol:        gosnmpPriv[cc.priv],
	}
	if cc.auth != "" {
		usm.AuthenticationPassphrase = c.AuthPass.Reveal()
	}
	if cc.priv != "" {
		usm.PrivacyPassphrase = c.PrivPass.Reveal()
	}
	g.SecurityModel = gosnmp.UserSecurityModel
	g.MsgFlags = gosnmpLevels[cc.level]
	g.SecurityParameters = usm
	g.ContextName = c.Context
	return g, cc, nil
}

// gosnmpClient is the Client over gosnmp. It is used by one goroutine.
type gosnmpClient struct {
	g       *gosnmp.GoSNMP
	addr    string
	timeout time.Duration // per attempt
	retries int
	maxOIDs int
	maxReps uint32
	secrets []secret.Secret
	v3      *v3Settings // nil for SNMPv1 and v2c
	tap     *tapConn    // the socket, keeping the agent's last message
}

// Dial checks cfg and opens a socket to the agent. It sends nothing: use
// Probe to learn whether the agent answers.
func Dial(ctx context.Context, cfg Config) (Client, error) {
	g, cc, err := cfg.build()
	if err != nil {
		return nil, fmt.Errorf("snmp config for %s: %w", cfg.Target, err)
	}
	g.Context = ctx
	switch {
	case isInvalidName(cfg.Target.Host):
		// RFC 6761 §6.4: such names never resolve; Go's resolver would
		// still ask the DNS servers.
		err = &net.DNSError{Err: "no such host", Name: cfg.Target.Host, IsNotFound: true}
	case cfg.Target.IsIPv6Transport():
		err = g.ConnectIPv6()
	default:
		err = g.Connect()
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return nil, fmt.Errorf("resolve router %s: no such host — check the name or give its IP address", cfg.Target.Host)
	}
	secrets := cfg.Secrets()
	if err != nil {
		return nil, secret.RedactError(connectError(cfg.Target, err), secrets...)
	}
	g.Context = context.Background()
	c := &gosnmpClient{
		g:       g,
		addr:    cfg.Target.Addr(),
		timeout: g.Timeout,
		retries: g.Retries,
		maxOIDs: maxOIDsPerGet,
		maxReps: g.MaxRepetitions,
		secrets: secrets,
	}
	g.Conn, c.tap = tap(g.Conn)
	if cc.version == Version3 {
		c.v3 = &v3Settings{user: cfg.SecName, level: cc.level, auth: cc.auth, priv: cc.priv, context: cfg.Context}
	}
	return c, nil
}

// isInvalidName reports whether host is under the special-use domain
// "invalid." (RFC 6761), which resolvers must not look up.
func isInvalidName(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "invalid" || strings.HasSuffix(h, ".invalid")
}

// Close implements Client.
func (c *gosnmpClient) Close() error {
	return c.g.Close()
}

// call runs one gosnmp request under ctx: each attempt gives up at the
// earlier of ctx's deadline and the configured timeout, an unanswered
// attempt is resent up to the configured retries while ctx lasts, and
// call returns at once when ctx is cancelled.
func (c *gosnmpClient) call(ctx context.Context, op string, req func() (*gosnmp.SnmpPacket, error)) (*gosnmp.SnmpPacket, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", op, c.addr, err)
	}
	start := time.Now()
	c.g.Context = ctx
	defer func() { c.g.Context = context.Background() }()
	defer c.traceRetries(ctx, op)()
	conn := c.g.Conn
	stop := context.AfterFunc(ctx, func() {
		if conn != nil {
			_ = conn.SetDeadline(time.Now())
		}
	})
	defer stop()
	for attempt := 0; ; attempt++ {
		resp, err := req()
		if err != nil {
			return nil, c.mapError(ctx, op, start, err)
		}
		// gosnmp takes a response with request-id 0 as the answer to any
		// request. No agent answers that way to a request of ours: it is
		// a stale or forged reply, so ask again (once even without retries).
		if resp.RequestID != 0 || resp.PDUType != gosnmp.GetResponse {
			return resp, nil
		}
		if attempt >= max(1, c.retries) || ctx.Err() != nil {
			return nil, &NoResponseError{Addr: c.addr, Timeout: time.Since(start).Round(time.Millisecond)}
		}
	}
}

// Get implements Client. It sends at most maxOIDs varbinds per PDU, lowers
// that for good on a tooBig answer, and on SNMPv1 turns a noSuchName error
// into a noSuchInstance for the named OID and asks again for the rest.
func (c *gosnmpClient) Get(ctx context.Context, oids []string) ([]Variable, error) {
	out := make([]Variable, len(oids))
	pending := make([]int, len(oids))
	for i, oid := range oids {
		out[i].OID = NormalizeOID(oid)
		pending[i] = i
	}
	for len(pending) > 0 {
		chunk := pending[:min(c.maxOIDs, len(pending))]
		names := make([]string, len(chunk))
		for k, i := range chunk {
			names[k] = "." + out[i].OID
		}
		op := "get " + describeOIDs(names)
		resp, err := c.call(ctx, op, func() (*gosnmp.SnmpPacket, error) { return c.g.Get(names) })
		if err != nil {
			return nil, err
		}
		switch resp.Error {
		case gosnmp.NoError:
		case gosnmp.TooBig:
			if len(chunk) == 1 {
				return nil, fmt.Errorf("%s on %s: the agent says the answer is too big", op, c.addr)
			}
			c.maxOIDs = len(chunk) / 2
			continue
		case gosnmp.NoSuchName:
			bad := int(resp.ErrorIndex) - 1
			if bad < 0 || bad >= len(chunk) {
				return nil, fmt.Errorf("%s on %s: noSuchName with error index %d out of range", op, c.addr, resp.ErrorIndex)
			}
			out[chunk[bad]].Kind = KindNoSuchInstance
			pending = append(pending[:bad:bad], pending[bad+1:]...)
			continue
		default:
			return nil, fmt.Errorf("%s on %s: agent answered %s (error index %d)%s", op, c.addr, resp.Error, resp.ErrorIndex, c.accessHint(resp.Error))
		}
		if len(resp.Variables) != len(chunk) {
			return nil, fmt.Errorf("%s on %s: agent answered %d varbinds for %d OIDs", op, c.addr, len(resp.Variables), len(chunk))
		}
		for k, pdu := range resp.Variables {
			v := toVariable(pdu)
			if v.OID != out[chunk[k]].OID {
				return nil, fmt.Errorf("%s on %s: agent answered %s where %s was asked", op, c.addr, v.OID, out[chunk[k]].OID)
			}
			out[chunk[k]] = v
		}
		pending = pending[len(chunk):]
	}
	return out, nil
}

// describeOIDs names a request in an error: the OID itself when there is
// one, else the count.
func describeOIDs(names []string) string {
	if len(names) == 1 {
		return NormalizeOID(names[0])
	}
	return fmt.Sprintf("%d OIDs", len(names))
}

// BulkWalk implements Client with GETBULK (GETNEXT on SNMPv1). When the
// subtree is empty and root is itself an instance, it reads root with a GET,
// as net-snmp's snmpwalk does.
func (c *gosnmpClient) BulkWalk(ctx context.Context, root string, fn func(Variable) error) error {
	root = NormalizeOID(root)
	if root == "" {
		return fmt.Errorf("walk on %s: empty root OID", c.addr)
	}
	op := "walk " + root
	cur, found := root, false
	for {
		name := "." + cur
		resp, err := c.call(ctx, op, func() (*gosnmp.SnmpPacket, error) {
			if c.g.Version == gosnmp.Version1 {
				return c.g.GetNext([]string{name})
			}
			return c.g.GetBulk([]string{name}, 0, c.maxReps)
		})
		if dl, ok := ctx.Deadline(); err != nil && found && ok && !time.Now().Before(dl) {
			// The agent answered; the caller's time ran out mid-walk.
			return fmt.Errorf("%s on %s: time ran out at %s: %w", op, c.addr, cur, context.DeadlineExceeded)
		}
		if err != nil {
			return err
		}
		switch resp.Error {
		case gosnmp.NoError:
		case gosnmp.NoSuchName: // SNMPv1: past the end of the MIB
			return c.walkRoot(ctx, op, root, found, fn)
		case gosnmp.TooBig:
			if c.maxReps <= 1 {
				return fmt.Errorf("%s on %s: the agent says one row is too big", op, c.addr)
			}
			c.maxReps /= 2
			continue
		default:
			return fmt.Errorf("%s on %s: agent answered %s after %s%s", op, c.addr, resp.Error, cur, c.accessHint(resp.Error))
		}
		if len(resp.Variables) == 0 {
			return c.walkRoot(ctx, op, root, found, fn)
		}
		for _, pdu := range resp.Variables {
			v := toVariable(pdu)
			if !v.Exists() || !HasPrefix(v.OID, root) {
				return c.walkRoot(ctx, op, root, found, fn)
			}
			if CompareOIDs(v.OID, cur) <= 0 {
				return fmt.Errorf("%s on %s: %s after %s: %w", op, c.addr, v.OID, cur, ErrNotIncreasing)
			}
			if err := fn(v); err != nil {
				return err
			}
			cur, found = v.OID, true
		}
	}
}

// GetBulk implements Client. On SNMPv1 it sends one GETNEXT per OID and
// answers endOfMibView where the agent says noSuchName. An agent that
// answers tooBig gets the request again with half the repetitions.
func (c *gosnmpClient) GetBulk(ctx context.Context, oids []string, maxReps int) ([]Variable, error) {
	op := "getbulk " + describeOIDs(oids)
	if c.g.Version == gosnmp.Version1 {
		return c.getNextEach(ctx, oids)
	}
	names := make([]string, len(oids))
	for i, oid := range oids {
		names[i] = "." + NormalizeOID(oid)
	}
	reps := uint32(max(maxReps, 1))
	for {
		resp, err := c.call(ctx, op, func() (*gosnmp.SnmpPacket, error) {
			return c.g.GetBulk(names, 0, reps)
		})
		if err != nil {
			return nil, err
		}
		switch {
		case resp.Error == gosnmp.NoError:
			vs := make([]Variable, len(resp.Variables))
			for i, pdu := range resp.Variables {
				vs[i] = toVariable(pdu)
			}
			return vs, nil
		case resp.Error == gosnmp.TooBig && reps > 1:
			reps /= 2
		default:
			return nil, fmt.Errorf("%s on %s: agent answered %s%s", op, c.addr, resp.Error, c.accessHint(resp.Error))
		}
	}
}

// getNextEach is GetBulk's one repetition over SNMPv1.
func (c *gosnmpClient) getNextEach(ctx context.Context, oids []string) ([]Variable, error) {
	vs := make([]Variable, len(oids))
	for i, oid := range oids {
		oid = NormalizeOID(oid)
		op := "getnext " + oid
		resp, err := c.call(ctx, op, func() (*gosnmp.SnmpPacket, error) {
			return c.g.GetNext([]string{"." + oid})
		})
		switch {
		case err != nil:
			return nil, err
		case resp.Error == gosnmp.NoSuchName:
			vs[i] = Variable{OID: oid, Kind: KindEndOfMibView}
		case resp.Error != gosnmp.NoError || len(resp.Variables) != 1:
			return nil, fmt.Errorf("%s on %s: agent answered %s with %d varbinds%s", op, c.addr, resp.Error, len(resp.Variables), c.accessHint(resp.Error))
		default:
			vs[i] = toVariable(resp.Variables[0])
		}
	}
	return vs, nil
}

// walkRoot ends a walk: when nothing was found under root, root may be an
// instance itself.
func (c *gosnmpClient) walkRoot(ctx context.Context, op, root string, found bool, fn func(Variable) error) error {
	if found {
		return nil
	}
	vs, err := c.Get(ctx, []string{root})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if vs[0].Exists() {
		return fn(vs[0])
	}
	return nil
}

// toVariable converts a gosnmp varbind. Values of an unexpected Go type
// become KindOther rather than a zero.
func toVariable(pdu gosnmp.SnmpPDU) Variable {
	v := Variable{OID: NormalizeOID(pdu.Name), Kind: KindOther}
	setUint := func(kind Kind, u uint64) {
		v.Kind, v.Uint, v.Int = kind, u, int64(u)
	}
	switch pdu.Type {
	case gosnmp.Integer:
		if n, ok := pdu.Value.(int); ok {
			v.Kind, v.Int = KindInteger, int64(n)
			if n >= 0 {
				v.Uint = uint64(n)
			}
		}
	case gosnmp.OctetString:
		if b, ok := pdu.Value.([]byte); ok {
			v.Kind, v.Bytes = KindOctetString, append([]byte(nil), b...)
		}
	case gosnmp.ObjectIdentifier:
		if s, ok := pdu.Value.(string); ok {
			v.Kind, v.Bytes = KindOID, []byte(NormalizeOID(s))
		}
	case gosnmp.IPAddress:
		s, _ := pdu.Value.(string)
		v.Kind, v.Bytes = KindIPAddress, []byte(s)
	case gosnmp.Counter32:
		if u, ok := pdu.Value.(uint); ok {
			setUint(KindCounter32, uint64(u))
		}
	case gosnmp.Gauge32:
		if u, ok := pdu.Value.(uint); ok {
			setUint(KindGauge32, uint64(u))
		}
	case gosnmp.Uinteger32:
		if u, ok := pdu.Value.(uint32); ok {
			setUint(KindGauge32, uint64(u))
		}
	case gosnmp.TimeTicks:
		if u, ok := pdu.Value.(uint32); ok {
			setUint(KindTimeTicks, uint64(u))
		}
	case gosnmp.Counter64:
		if u, ok := pdu.Value.(uint64); ok {
			setUint(KindCounter64, u)
		}
	case gosnmp.Null:
		v.Kind = KindNull
	case gosnmp.NoSuchObject:
		v.Kind = KindNoSuchObject
	case gosnmp.NoSuchInstance:
		v.Kind = KindNoSuchInstance
	case gosnmp.EndOfMibView:
		v.Kind = KindEndOfMibView
	}
	return v
}
