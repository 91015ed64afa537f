package snmp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/stg-project/stg/secret"
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
			g, _, err := cfg.build()
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
		{NoResponseError{Addr: "127.0.0.1:161", Timeout: 2 * time.Second},
			"no SNMP response from 127.0.0.1:161 within 2s — check address, community/credentials and the agent's ACL"},
		{NoResponseError{Addr: "[::1]:1161", Timeout: 1500 * time.Millisecond},
			"no SNMP response from [::1]:1161 within 1.5s — check address, community/credentials and the agent's ACL"},
		{NoResponseError{Addr: "[::1]:1161", Timeout: time.Second, Check: "check the context (-n)"},
			"no SNMP response from [::1]:1161 within 1s — check the context (-n)"},
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
	}
	refused := closedTCPPort(t)
	tests = append(tests, struct {
		name string
		cfg  Config
		want string
	}{"tcp refused", Config{Target: Target{Transport: "tcp", Host: "127.0.0.1", Port: refused}, Community: testCommunity},
		fmt.Sprintf("connect to tcp:127.0.0.1:%d: connection refused: nothing listens on TCP port %d (most agents answer SNMP on udp only: drop \"tcp:\")", refused, refused)})
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
			for _, raw := range []string{"dial tcp", ":0->", "error establishing"} {
				if strings.Contains(err.Error(), raw) {
					t.Errorf("Dial error = %q shows Go's raw %q", err, raw)
				}
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
	for _, s := range []secret.Secret{cfg.Community, cfg.AuthPass, cfg.PrivPass} {
		if s != "" && strings.Contains(text, s.Reveal()) {
			t.Errorf("%q leaks a secret", text)
		}
	}
}
