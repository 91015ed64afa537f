package snmp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/gosnmp/gosnmp"
)

// Defaults Dial uses for zero Config fields.
const (
	// DefaultTimeout is the wait for one response.
	DefaultTimeout = time.Second
	// DefaultMaxRepetitions is the GETBULK max-repetitions of walks.
	DefaultMaxRepetitions = 50
	// maxOIDsPerGet is the varbinds per GET before a request is split; it
	// shrinks when an agent answers tooBig.
	maxOIDsPerGet = gosnmp.MaxOids
)

// Config is how to reach and authenticate to one SNMP agent.
type Config struct {
	// Target is the agent's address.
	Target Target
	// Version is "1", "2c" (the default) or "3".
	Version string
	// Community is the SNMPv1/v2c community.
	Community Secret
	// SecLevel is noAuthNoPriv, authNoPriv or authPriv (any case). Empty
	// means the strongest level the passphrases given allow.
	SecLevel string
	// SecName is the SNMPv3 user (net-snmp's -u).
	SecName string
	// AuthProto is MD5, SHA (the default), SHA-224, SHA-256, SHA-384 or SHA-512.
	AuthProto string
	// AuthPass is the SNMPv3 authentication passphrase.
	AuthPass Secret
	// PrivProto is DES, AES (the default), AES-192, AES-256, AES-192-C or
	// AES-256-C (Cisco's key extension).
	PrivProto string
	// PrivPass is the SNMPv3 privacy passphrase.
	PrivPass Secret
	// Context is the SNMPv3 context name.
	Context string
	// Timeout is the wait for one response; 0 means DefaultTimeout.
	Timeout time.Duration
	// Retries is how often a request is resent after a timeout (0..1
	// recommended). There is no exponential back-off.
	Retries int
	// MaxRepetitions is the GETBULK max-repetitions; 0 means
	// DefaultMaxRepetitions.
	MaxRepetitions int
}

// secLevels maps lower-case level names to gosnmp's message flags.
var secLevels = map[string]gosnmp.SnmpV3MsgFlags{
	"noauthnopriv": gosnmp.NoAuthNoPriv,
	"authnopriv":   gosnmp.AuthNoPriv,
	"authpriv":     gosnmp.AuthPriv,
}

// authProtos maps protocol names, upper case without '-' or '_', to gosnmp's.
var authProtos = map[string]gosnmp.SnmpV3AuthProtocol{
	"MD5":    gosnmp.MD5,
	"SHA":    gosnmp.SHA,
	"SHA1":   gosnmp.SHA,
	"SHA224": gosnmp.SHA224,
	"SHA256": gosnmp.SHA256,
	"SHA384": gosnmp.SHA384,
	"SHA512": gosnmp.SHA512,
}

// privProtos maps protocol names, upper case without '-' or '_', to gosnmp's.
var privProtos = map[string]gosnmp.SnmpV3PrivProtocol{
	"DES":     gosnmp.DES,
	"AES":     gosnmp.AES,
	"AES128":  gosnmp.AES,
	"AES192":  gosnmp.AES192,
	"AES256":  gosnmp.AES256,
	"AES192C": gosnmp.AES192C,
	"AES256C": gosnmp.AES256C,
}

func protoKey(s string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToUpper(strings.TrimSpace(s)))
}

// minPassphrase is the shortest passphrase RFC 3414 implementations accept.
const minPassphrase = 8

// Validate checks the configuration and returns one clear line for the first
// problem. It never quotes a secret.
func (c Config) Validate() error {
	_, err := c.build()
	return err
}

// build validates the configuration and returns an unconnected gosnmp client.
func (c Config) build() (*gosnmp.GoSNMP, error) {
	if c.Target.Host == "" {
		return nil, fmt.Errorf("no router address")
	}
	if c.Target.Port < 1 || c.Target.Port > 65535 {
		return nil, fmt.Errorf("port %d is not from 1 to 65535", c.Target.Port)
	}
	if c.Timeout < 0 {
		return nil, fmt.Errorf("timeout %s is negative", c.Timeout)
	}
	if c.Retries < 0 {
		return nil, fmt.Errorf("retries %d is negative", c.Retries)
	}
	if c.MaxRepetitions < 0 || c.MaxRepetitions > 65535 {
		return nil, fmt.Errorf("max-repetitions %d is not from 0 to 65535", c.MaxRepetitions)
	}
	g := &gosnmp.GoSNMP{
		Target:         c.Target.Host,
		Port:           uint16(c.Target.Port),
		Transport:      "udp",
		Timeout:        c.Timeout,
		Retries:        c.Retries,
		MaxOids:        maxOIDsPerGet,
		MaxRepetitions: uint32(c.MaxRepetitions),
		// Like net-snmp: answers may come from another address of a
		// multi-homed router, and an ICMP unreachable is not an answer.
		UseUnconnectedUDPSocket: !c.Target.IsTCP(),
	}
	if c.Target.IsTCP() {
		g.Transport = "tcp"
	}
	if g.Timeout == 0 {
		g.Timeout = DefaultTimeout
	}
	if g.MaxRepetitions == 0 {
		g.MaxRepetitions = DefaultMaxRepetitions
	}
	switch strings.ToLower(strings.TrimSpace(c.Version)) {
	case "1", "v1":
		g.Version = gosnmp.Version1
	case "", "2c", "v2c", "2":
		g.Version = gosnmp.Version2c
	case "3", "v3":
		g.Version = gosnmp.Version3
		if err := c.buildV3(g); err != nil {
			return nil, err
		}
		return g, nil
	default:
		return nil, fmt.Errorf("unknown SNMP version %q (use 1, 2c or 3)", c.Version)
	}
	if c.Community == "" {
		return nil, fmt.Errorf("SNMPv%s needs a community (-c or STG_COMMUNITY)", g.Version)
	}
	if len(c.Community) > 255 {
		return nil, fmt.Errorf("the community is longer than 255 characters")
	}
	g.Community = c.Community.Reveal()
	return g, nil
}

// buildV3 fills in the SNMPv3 user security model.
func (c Config) buildV3(g *gosnmp.GoSNMP) error {
	if c.SecName == "" {
		return fmt.Errorf("SNMPv3 needs a security name (-u)")
	}
	level := strings.ToLower(strings.TrimSpace(c.SecLevel))
	if level == "" {
		switch {
		case c.AuthPass != "" && c.PrivPass != "":
			level = "authpriv"
		case c.AuthPass != "":
			level = "authnopriv"
		default:
			level = "noauthnopriv"
		}
	}
	flags, ok := secLevels[level]
	if !ok {
		return fmt.Errorf("unknown security level %q (use noAuthNoPriv, authNoPriv or authPriv)", c.SecLevel)
	}
	usm := &gosnmp.UsmSecurityParameters{
		UserName:               c.SecName,
		AuthenticationProtocol: gosnmp.NoAuth,
		PrivacyProtocol:        gosnmp.NoPriv,
	}
	if flags&gosnmp.AuthNoPriv != 0 {
		name := c.AuthProto
		if name == "" {
			name = "SHA"
		}
		proto, ok := authProtos[protoKey(name)]
		if !ok {
			return fmt.Errorf("unknown authentication protocol %q (use MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512)", c.AuthProto)
		}
		if err := checkPassphrase("an authentication", "-A or STG_AUTH_PASS", level, c.AuthPass); err != nil {
			return err
		}
		usm.AuthenticationProtocol = proto
		usm.AuthenticationPassphrase = c.AuthPass.Reveal()
	}
	if flags&gosnmp.AuthPriv == gosnmp.AuthPriv {
		name := c.PrivProto
		if name == "" {
			name = "AES"
		}
		proto, ok := privProtos[protoKey(name)]
		if !ok {
			return fmt.Errorf("unknown privacy protocol %q (use DES, AES, AES-192, AES-256, AES-192-C or AES-256-C)", c.PrivProto)
		}
		if err := checkPassphrase("a privacy", "-X or STG_PRIV_PASS", level, c.PrivPass); err != nil {
			return err
		}
		usm.PrivacyProtocol = proto
		usm.PrivacyPassphrase = c.PrivPass.Reveal()
	}
	g.SecurityModel = gosnmp.UserSecurityModel
	g.MsgFlags = flags
	g.SecurityParameters = usm
	g.ContextName = c.Context
	return nil
}

func checkPassphrase(what, where, level string, pass Secret) error {
	switch {
	case pass == "":
		return fmt.Errorf("SNMPv3 level %s needs %s passphrase (%s)", canonicalLevel(level), what, where)
	case len(pass) < minPassphrase:
		return fmt.Errorf("the SNMPv3 %s passphrase is shorter than %d characters", strings.Fields(what)[1], minPassphrase)
	}
	return nil
}

func canonicalLevel(level string) string {
	switch level {
	case "authnopriv":
		return "authNoPriv"
	case "authpriv":
		return "authPriv"
	}
	return "noAuthNoPriv"
}

// gosnmpClient is the Client over gosnmp. It is used by one goroutine.
type gosnmpClient struct {
	g       *gosnmp.GoSNMP
	addr    string
	timeout time.Duration // per attempt
	retries int
	maxOIDs int
	maxReps uint32
	secrets []Secret
}

// Dial checks cfg and opens a socket to the agent. It sends nothing: use
// Probe to learn whether the agent answers.
func Dial(ctx context.Context, cfg Config) (Client, error) {
	g, err := cfg.build()
	if err != nil {
		return nil, fmt.Errorf("snmp config for %s: %w", cfg.Target, err)
	}
	g.Context = ctx
	if cfg.Target.IsIPv6Transport() {
		err = g.ConnectIPv6()
	} else {
		err = g.Connect()
	}
	secrets := []Secret{cfg.Community, cfg.AuthPass, cfg.PrivPass}
	if err != nil {
		return nil, redact(fmt.Errorf("connect to %s: %w", cfg.Target, err), secrets...)
	}
	g.Context = context.Background()
	return &gosnmpClient{
		g:       g,
		addr:    cfg.Target.Addr(),
		timeout: g.Timeout,
		retries: g.Retries,
		maxOIDs: maxOIDsPerGet,
		maxReps: g.MaxRepetitions,
		secrets: secrets,
	}, nil
}

// Close implements Client.
func (c *gosnmpClient) Close() error {
	return c.g.Close()
}

// call runs one gosnmp request under ctx: the request gives up at the
// earlier of ctx's deadline and the configured timeout, and returns at once
// when ctx is cancelled.
func (c *gosnmpClient) call(ctx context.Context, op string, req func() (*gosnmp.SnmpPacket, error)) (*gosnmp.SnmpPacket, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", op, c.addr, err)
	}
	start := time.Now()
	c.g.Context = ctx
	defer func() { c.g.Context = context.Background() }()
	conn := c.g.Conn
	stop := context.AfterFunc(ctx, func() {
		if conn != nil {
			_ = conn.SetDeadline(time.Now())
		}
	})
	resp, err := req()
	stop()
	if err == nil {
		return resp, nil
	}
	return nil, c.mapError(ctx, op, start, err)
}

// mapError turns a gosnmp error into one of stg's: timeouts become a
// NoResponseError, cancellation keeps ctx's error, and no message carries a
// secret.
func (c *gosnmpClient) mapError(ctx context.Context, op string, start time.Time, err error) error {
	if ctxErr := ctx.Err(); errors.Is(ctxErr, context.Canceled) {
		return fmt.Errorf("%s on %s: %w", op, c.addr, ctxErr)
	}
	var netErr net.Error
	timedOut := errors.Is(err, gosnmp.ErrMaxRetriesExceeded) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		(errors.As(err, &netErr) && netErr.Timeout())
	if timedOut {
		waited := c.timeout * time.Duration(c.retries+1)
		if dl, ok := ctx.Deadline(); ok && dl.Sub(start) < waited {
			waited = time.Since(start).Round(time.Millisecond)
		}
		return &NoResponseError{Addr: c.addr, Timeout: waited}
	}
	switch {
	case errors.Is(err, gosnmp.ErrUnknownUsername):
		err = fmt.Errorf("SNMPv3 user unknown to the agent: %w", err)
	case errors.Is(err, gosnmp.ErrWrongDigest):
		err = fmt.Errorf("SNMPv3 authentication failed (wrong passphrase or protocol): %w", err)
	case errors.Is(err, gosnmp.ErrDecryption):
		err = fmt.Errorf("SNMPv3 decryption failed (wrong privacy passphrase or protocol): %w", err)
	case errors.Is(err, gosnmp.ErrUnknownSecurityLevel):
		err = fmt.Errorf("SNMPv3 security level not supported for this user: %w", err)
	}
	return redact(fmt.Errorf("%s on %s: %w", op, c.addr, err), c.secrets...)
}

// Get implements Client. It sends at most maxOIDs varbinds per PDU, halves
// that on a tooBig answer, and on SNMPv1 turns a noSuchName error into a
// noSuchInstance for the named OID and asks again for the rest.
func (c *gosnmpClient) Get(ctx context.Context, oids []string) ([]Variable, error) {
	out := make([]Variable, len(oids))
	idx := make([]int, len(oids))
	for i, oid := range oids {
		out[i].OID = NormalizeOID(oid)
		idx[i] = i
	}
	for len(idx) > 0 {
		n := min(c.maxOIDs, len(idx))
		if err := c.getBatch(ctx, out, idx[:n]); err != nil {
			return nil, err
		}
		idx = idx[n:]
	}
	return out, nil
}

// getBatch reads the variables out[i] for i in idx with as few GETs as the
// agent allows.
func (c *gosnmpClient) getBatch(ctx context.Context, out []Variable, idx []int) error {
	for len(idx) > 0 {
		names := make([]string, len(idx))
		for k, i := range idx {
			names[k] = "." + out[i].OID
		}
		op := fmt.Sprintf("get %s", describeOIDs(names))
		resp, err := c.call(ctx, op, func() (*gosnmp.SnmpPacket, error) { return c.g.Get(names) })
		if err != nil {
			return err
		}
		switch resp.Error {
		case gosnmp.NoError:
		case gosnmp.TooBig:
			if len(idx) == 1 {
				return fmt.Errorf("%s on %s: the agent says the answer is too big", op, c.addr)
			}
			half := len(idx) / 2
			c.maxOIDs = max(1, min(c.maxOIDs, half))
			if err := c.getBatch(ctx, out, idx[:half]); err != nil {
				return err
			}
			return c.getBatch(ctx, out, idx[half:])
		case gosnmp.NoSuchName:
			bad := int(resp.ErrorIndex) - 1
			if bad < 0 || bad >= len(idx) {
				return fmt.Errorf("%s on %s: noSuchName with error index %d out of range", op, c.addr, resp.ErrorIndex)
			}
			out[idx[bad]].Kind = KindNoSuchInstance
			idx = append(idx[:bad:bad], idx[bad+1:]...)
			continue
		default:
			return fmt.Errorf("%s on %s: agent answered %s (error index %d)", op, c.addr, resp.Error, resp.ErrorIndex)
		}
		if len(resp.Variables) != len(idx) {
			return fmt.Errorf("%s on %s: agent answered %d varbinds for %d OIDs", op, c.addr, len(resp.Variables), len(idx))
		}
		for k, pdu := range resp.Variables {
			v := toVariable(pdu)
			if v.OID != out[idx[k]].OID {
				return fmt.Errorf("%s on %s: agent answered %s where %s was asked", op, c.addr, v.OID, out[idx[k]].OID)
			}
			out[idx[k]] = v
		}
		return nil
	}
	return nil
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
			return fmt.Errorf("%s on %s: agent answered %s after %s", op, c.addr, resp.Error, cur)
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
