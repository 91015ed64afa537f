package snmp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

const (
	testCommunity = "s3cr3t-community"
	testAuthPass  = "auth-passphrase-1"
	testPrivPass  = "priv-passphrase-2"
)

func TestConfigValidate(t *testing.T) {
	target := Target{Transport: "udp", Host: "127.0.0.1", Port: 161}
	v3 := func(mod func(*Config)) Config {
		c := Config{Target: target, Version: "3", SecName: "ops", SecLevel: "authPriv",
			AuthProto: "SHA", AuthPass: testAuthPass, PrivProto: "AES", PrivPass: testPrivPass}
		mod(&c)
		return c
	}
	tests := []struct {
		name    string
		cfg     Config
		wantErr string // "" means valid
	}{
		{"v2c default version", Config{Target: target, Community: testCommunity}, ""},
		{"v1", Config{Target: target, Version: "1", Community: testCommunity}, ""},
		{"v2c without community", Config{Target: target, Version: "2c"}, "needs a community"},
		{"unknown version", Config{Target: target, Version: "4", Community: testCommunity}, `unknown SNMP version "4"`},
		{"no host", Config{Version: "2c", Community: testCommunity}, "no router address"},
		{"bad port", Config{Target: Target{Host: "h", Port: 0}, Community: testCommunity}, "port 0"},
		{"negative timeout", Config{Target: target, Community: testCommunity, Timeout: -time.Second}, "timeout -1s is negative"},
		{"negative retries", Config{Target: target, Community: testCommunity, Retries: -1}, "retries -1"},
		{"too many repetitions", Config{Target: target, Community: testCommunity, MaxRepetitions: 70000}, "max-repetitions"},
		{"v3 authPriv SHA AES", v3(func(*Config) {}), ""},
		{"v3 level case-insensitive", v3(func(c *Config) { c.SecLevel = "AUTHPRIV" }), ""},
		{"v3 SHA-512 AES-256-C", v3(func(c *Config) { c.AuthProto, c.PrivProto = "sha-512", "AES-256-C" }), ""},
		{"v3 MD5 DES", v3(func(c *Config) { c.AuthProto, c.PrivProto = "MD5", "DES" }), ""},
		{"v3 SHA-224 AES-192", v3(func(c *Config) { c.AuthProto, c.PrivProto = "SHA-224", "AES-192" }), ""},
		{"v3 default protocols", v3(func(c *Config) { c.AuthProto, c.PrivProto = "", "" }), ""},
		{"v3 level inferred", v3(func(c *Config) { c.SecLevel = "" }), ""},
		{"v3 noAuthNoPriv", v3(func(c *Config) { c.SecLevel, c.AuthPass, c.PrivPass = "noAuthNoPriv", "", "" }), ""},
		{"v3 authNoPriv ignores privacy", v3(func(c *Config) { c.SecLevel, c.PrivProto, c.PrivPass = "authNoPriv", "bogus", "" }), ""},
		{"v3 no user", v3(func(c *Config) { c.SecName = "" }), "security name (-u)"},
		{"v3 unknown level", v3(func(c *Config) { c.SecLevel = "authOnly" }), `unknown security level "authOnly"`},
		{"v3 unknown auth", v3(func(c *Config) { c.AuthProto = "SHA3" }), `unknown authentication protocol "SHA3"`},
		{"v3 unknown priv", v3(func(c *Config) { c.PrivProto = "3DES" }), `unknown privacy protocol "3DES"`},
		{"v3 missing auth pass", v3(func(c *Config) { c.AuthPass = "" }), "needs an authentication passphrase (-A or STG_AUTH_PASS)"},
		{"v3 missing priv pass", v3(func(c *Config) { c.PrivPass = "" }), "authPriv needs a privacy passphrase (-X or STG_PRIV_PASS)"},
		{"v3 short auth pass", v3(func(c *Config) { c.AuthPass = "short12" }), "authentication passphrase is shorter than 8"},
		{"v3 short priv pass", v3(func(c *Config) { c.PrivPass = "1234567" }), "privacy passphrase is shorter than 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
			assertNoSecret(t, err.Error(), tt.cfg)
		})
	}
}

func TestConfigBuildV3Parameters(t *testing.T) {
	tests := []struct {
		level, auth, priv string
		wantFlags         gosnmp.SnmpV3MsgFlags
		wantAuth          gosnmp.SnmpV3AuthProtocol
		wantPriv          gosnmp.SnmpV3PrivProtocol
	}{
		{"authPriv", "SHA", "AES", gosnmp.AuthPriv, gosnmp.SHA, gosnmp.AES},
		{"authPriv", "SHA-256", "AES-192-C", gosnmp.AuthPriv, gosnmp.SHA256, gosnmp.AES192C},
		{"authPriv", "SHA-384", "AES-256", gosnmp.AuthPriv, gosnmp.SHA384, gosnmp.AES256},
		{"authNoPriv", "MD5", "", gosnmp.AuthNoPriv, gosnmp.MD5, gosnmp.NoPriv},
		{"noAuthNoPriv", "", "", gosnmp.NoAuthNoPriv, gosnmp.NoAuth, gosnmp.NoPriv},
	}
	for _, tt := range tests {
		t.Run(tt.level+"/"+tt.auth+"/"+tt.priv, func(t *testing.T) {
			cfg := Config{Target: Target{Host: "::1", Port: 161}, Version: "3", SecName: "ops", SecLevel: tt.level,
				AuthProto: tt.auth, AuthPass: testAuthPass, PrivProto: tt.priv, PrivPass: testPrivPass, Context: "vrf1"}
			g, err := cfg.build()
			if err != nil {
				t.Fatal(err)
			}
			usm, ok := g.SecurityParameters.(*gosnmp.UsmSecurityParameters)
			if !ok {
				t.Fatalf("SecurityParameters is %T", g.SecurityParameters)
			}
			if g.MsgFlags != tt.wantFlags || usm.AuthenticationProtocol != tt.wantAuth || usm.PrivacyProtocol != tt.wantPriv {
				t.Errorf("flags, auth, priv = %v, %v, %v; want %v, %v, %v",
					g.MsgFlags, usm.AuthenticationProtocol, usm.PrivacyProtocol, tt.wantFlags, tt.wantAuth, tt.wantPriv)
			}
			if g.ContextName != "vrf1" || usm.UserName != "ops" {
				t.Errorf("context %q, user %q; want vrf1, ops", g.ContextName, usm.UserName)
			}
			if g.ExponentialTimeout {
				t.Error("exponential back-off is on")
			}
		})
	}
}

func TestToVariable(t *testing.T) {
	tests := []struct {
		name string
		pdu  gosnmp.SnmpPDU
		want Variable
	}{
		{"counter64", gosnmp.SnmpPDU{Name: ".1.2.3", Type: gosnmp.Counter64, Value: uint64(1) << 63},
			Variable{OID: "1.2.3", Kind: KindCounter64, Uint: 1 << 63, Int: -1 << 63}},
		{"counter32", gosnmp.SnmpPDU{Name: ".1.2", Type: gosnmp.Counter32, Value: uint(4294967295)},
			Variable{OID: "1.2", Kind: KindCounter32, Uint: 4294967295, Int: 4294967295}},
		{"gauge32", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.Gauge32, Value: uint(10000)},
			Variable{OID: "1", Kind: KindGauge32, Uint: 10000, Int: 10000}},
		{"timeticks", gosnmp.SnmpPDU{Name: ".1.3.6.1.2.1.1.3.0", Type: gosnmp.TimeTicks, Value: uint32(360000)},
			Variable{OID: "1.3.6.1.2.1.1.3.0", Kind: KindTimeTicks, Uint: 360000, Int: 360000}},
		{"negative integer", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.Integer, Value: -5},
			Variable{OID: "1", Kind: KindInteger, Int: -5}},
		{"integer", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.Integer, Value: 6},
			Variable{OID: "1", Kind: KindInteger, Int: 6, Uint: 6}},
		{"octet string", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.OctetString, Value: []byte("Vi1.195")},
			Variable{OID: "1", Kind: KindOctetString, Bytes: []byte("Vi1.195")}},
		{"oid", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.4.1.9"},
			Variable{OID: "1", Kind: KindOID, Bytes: []byte("1.3.6.1.4.1.9")}},
		{"ip address", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.IPAddress, Value: "10.0.0.1"},
			Variable{OID: "1", Kind: KindIPAddress, Bytes: []byte("10.0.0.1")}},
		{"noSuchInstance", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.NoSuchInstance}, Variable{OID: "1", Kind: KindNoSuchInstance}},
		{"noSuchObject", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.NoSuchObject}, Variable{OID: "1", Kind: KindNoSuchObject}},
		{"endOfMibView", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.EndOfMibView}, Variable{OID: "1", Kind: KindEndOfMibView}},
		{"null", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.Null}, Variable{OID: "1", Kind: KindNull}},
		{"counter with a wrong Go type", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.Counter64, Value: "7"}, Variable{OID: "1", Kind: KindOther}},
		{"opaque", gosnmp.SnmpPDU{Name: ".1", Type: gosnmp.OpaqueFloat, Value: float32(1)}, Variable{OID: "1", Kind: KindOther}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := toVariable(tt.pdu)
			if got.OID != tt.want.OID || got.Kind != tt.want.Kind || got.Uint != tt.want.Uint ||
				got.Int != tt.want.Int || string(got.Bytes) != string(tt.want.Bytes) {
				t.Errorf("toVariable = %+v, want %+v", got, tt.want)
			}
			if !(Variable{Kind: tt.want.Kind}).Exists() && got.Exists() {
				t.Errorf("%s exists", got.Kind)
			}
		})
	}
}

func TestNoResponseErrorMessage(t *testing.T) {
	tests := []struct {
		err  NoResponseError
		want string
	}{
		{NoResponseError{"127.0.0.1:161", 2 * time.Second},
			"no SNMP response from 127.0.0.1:161 within 2s — check address, community/credentials and the agent's ACL"},
		{NoResponseError{"[::1]:1161", 1500 * time.Millisecond},
			"no SNMP response from [::1]:1161 within 1.5s — check address, community/credentials and the agent's ACL"},
	}
	for _, tt := range tests {
		t.Run(tt.err.Addr, func(t *testing.T) {
			err := error(&tt.err)
			if err.Error() != tt.want {
				t.Errorf("Error() = %q, want %q", err, tt.want)
			}
			if !errors.Is(fmt.Errorf("poll: %w", err), ErrTimeout) {
				t.Error("wrapped NoResponseError is not ErrTimeout")
			}
		})
	}
}

func TestRedact(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name    string
		err     error
		secrets []Secret
		want    string
	}{
		{"no secret in message", fmt.Errorf("get on h: %w", base), []Secret{testCommunity}, "get on h: boom"},
		{"community replaced", fmt.Errorf("bad packet for %s: %w", testCommunity, base), []Secret{testCommunity, ""}, "bad packet for <redacted>: boom"},
		{"two secrets", fmt.Errorf("%s/%s: %w", testAuthPass, testPrivPass, base), []Secret{testAuthPass, testPrivPass}, "<redacted>/<redacted>: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := redact(tt.err, tt.secrets...)
			if got.Error() != tt.want {
				t.Errorf("redact = %q, want %q", got, tt.want)
			}
			if !errors.Is(got, base) {
				t.Error("redacted error lost its chain")
			}
		})
	}
}

// silentUDP opens a loopback UDP socket that reads and never answers.
func silentUDP(t *testing.T) Target {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	return Target{Transport: "udp", Host: "127.0.0.1", Port: pc.LocalAddr().(*net.UDPAddr).Port}
}

func TestProbeNoResponse(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		retries int
		want    time.Duration
	}{
		{"no retry", 200 * time.Millisecond, 0, 200 * time.Millisecond},
		{"one retry", 150 * time.Millisecond, 1, 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := silentUDP(t)
			c, err := Dial(context.Background(), Config{Target: target, Community: testCommunity, Timeout: tt.timeout, Retries: tt.retries})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			start := time.Now()
			err = Probe(context.Background(), c)
			elapsed := time.Since(start)
			want := (&NoResponseError{Addr: target.Addr(), Timeout: tt.want}).Error()
			if err == nil || err.Error() != want {
				t.Fatalf("Probe = %v, want %q", err, want)
			}
			if !errors.Is(err, ErrTimeout) {
				t.Error("not ErrTimeout")
			}
			if elapsed < tt.want || elapsed > tt.want+2*time.Second {
				t.Errorf("Probe took %s, want about %s", elapsed, tt.want)
			}
			assertNoSecret(t, err.Error(), Config{Community: testCommunity})
		})
	}
}

func TestGetHonoursContext(t *testing.T) {
	tests := []struct {
		name      string
		ctx       func() (context.Context, context.CancelFunc)
		wantErr   error
		wantUnder time.Duration
	}{
		{"deadline shorter than timeout", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}, ErrTimeout, 2 * time.Second},
		{"cancelled while waiting", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled, 2 * time.Second},
		{"cancelled before", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, context.Canceled, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Dial(context.Background(), Config{Target: silentUDP(t), Community: testCommunity, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := tt.ctx()
			defer cancel()
			start := time.Now()
			_, err = c.Get(ctx, []string{OIDSysUpTime})
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Get = %v, want errors.Is %v", err, tt.wantErr)
			}
			if d := time.Since(start); d > tt.wantUnder {
				t.Errorf("Get returned after %s, want under %s (the 5s timeout must not be waited for)", d, tt.wantUnder)
			}
		})
	}
}

func TestDialErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"invalid config", Config{Target: Target{Host: "127.0.0.1", Port: 161}, Version: "3", SecName: "u", SecLevel: "authNoPriv", AuthPass: "xq9z7w1"},
			"snmp config for 127.0.0.1:161: the SNMPv3 authentication passphrase is shorter than 8 characters"},
		{"tcp refused", Config{Target: Target{Transport: "tcp", Host: "127.0.0.1", Port: closedTCPPort(t)}, Community: testCommunity},
			"connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Dial(context.Background(), tt.cfg)
			if err == nil {
				c.Close()
				t.Fatal("Dial succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Dial error = %q, want it to contain %q", err, tt.want)
			}
			assertNoSecret(t, err.Error(), tt.cfg)
		})
	}
}

// closedTCPPort returns a loopback TCP port nothing listens on.
func closedTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	return port
}

func assertNoSecret(t *testing.T, text string, cfg Config) {
	t.Helper()
	for _, s := range []Secret{cfg.Community, cfg.AuthPass, cfg.PrivPass} {
		if s != "" && strings.Contains(text, s.Reveal()) {
			t.Errorf("%q leaks a secret", text)
		}
	}
}

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
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
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
	return Target{Transport: "udp", Host: "127.0.0.1", Port: pc.LocalAddr().(*net.UDPAddr).Port}
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
			c, err := Dial(context.Background(), Config{Target: target, Version: tt.version, Community: testCommunity, Timeout: 2 * time.Second})
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

func TestBulkWalkLoopGuard(t *testing.T) {
	for _, version := range []string{"1", "2c"} {
		t.Run("v"+version, func(t *testing.T) {
			target := startScriptedAgent(t, &scriptedAgent{loop: true})
			c, err := Dial(context.Background(), Config{Target: target, Version: version, Community: testCommunity, Timeout: 2 * time.Second})
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
