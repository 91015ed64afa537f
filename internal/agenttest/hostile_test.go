package agenttest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
)

func TestHostileScripts(t *testing.T) {
	oids := []string{"1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.31.1.1.1.6.7", "1.3.6.1.2.1.2.2.1.10.7", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.9.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.4.20.1.1.7", "1.3.6.1.2.1.2.2.1.5.7", "1.3.6.1.2.1.99.0"}
	values := []snmp.Variable{
		{Kind: snmp.KindTimeTicks, Uint: 1<<32 - 5},
		{Kind: snmp.KindCounter64, Uint: 1<<64 - 1},
		{Kind: snmp.KindCounter32, Uint: 1<<32 - 1},
		{Kind: snmp.KindOctetString, Bytes: []byte("bras1")},
		{Kind: snmp.KindInteger, Int: -42},
		{Kind: snmp.KindOID, Bytes: []byte("1.3.6.1.4.1.9.1.923")},
		{Kind: snmp.KindIPAddress, Bytes: []byte("192.0.2.7")},
		{Kind: snmp.KindGauge32, Uint: 1000000000},
		{Kind: snmp.KindNoSuchInstance},
	}
	answer := func(req HostileRequest) []HostileReply {
		return []HostileReply{AnswerGet(req, func(oid string) snmp.Variable {
			for i, o := range oids {
				if o == oid {
					return values[i]
				}
			}
			return snmp.Variable{Kind: snmp.KindNoSuchObject}
		})}
	}
	tests := []struct {
		name      string
		script    HostileScript
		timeout   time.Duration
		wantErr   bool
		wantNoAns bool // the error is a timeout
	}{
		{name: "answers", script: answer, timeout: time.Second},
		{name: "late but in time", timeout: time.Second, script: func(req HostileRequest) []HostileReply {
			r := answer(req)
			r[0].Delay = 50 * time.Millisecond
			return r
		}},
		{name: "too late", timeout: 150 * time.Millisecond, wantErr: true, wantNoAns: true, script: func(req HostileRequest) []HostileReply {
			r := answer(req)
			r[0].Delay = 400 * time.Millisecond
			return r
		}},
		{name: "silent", timeout: 150 * time.Millisecond, wantErr: true, wantNoAns: true, script: func(HostileRequest) []HostileReply { return nil }},
		{name: "wrong request-id", timeout: 150 * time.Millisecond, wantErr: true, wantNoAns: true, script: func(req HostileRequest) []HostileReply {
			r := answer(req)
			r[0].RequestIDDelta = 1
			return r
		}},
		{name: "wrong request-id then right", timeout: time.Second, script: func(req HostileRequest) []HostileReply {
			bad := answer(req)[0]
			bad.RequestIDDelta = -1
			return append([]HostileReply{bad}, answer(req)...)
		}},
		{name: "garbage", timeout: time.Second, wantErr: true, script: func(HostileRequest) []HostileReply {
			return []HostileReply{{Raw: []byte{0x30, 0x82, 0xff, 0xff, 0x02}}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := StartHostile(t, tt.script)
			cfg := h.Config()
			cfg.Timeout = tt.timeout
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c, err := snmp.Dial(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			got, err := c.Get(ctx, oids)
			if h.Requests() != 1 {
				t.Errorf("agent saw %d requests, want 1", h.Requests())
			}
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Get succeeded: %v", got)
				}
				if errors.Is(err, snmp.ErrTimeout) != tt.wantNoAns {
					t.Errorf("Get error %v: timeout %v, want %v", err, errors.Is(err, snmp.ErrTimeout), tt.wantNoAns)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			for i, v := range got {
				w := values[i]
				if v.OID != oids[i] || v.Kind != w.Kind || v.Uint != w.Uint || v.Int != w.Int && w.Kind == snmp.KindInteger || string(v.Bytes) != string(w.Bytes) {
					t.Errorf("varbind %d = %+v, want %s %+v", i, v, oids[i], w)
				}
			}
		})
	}
}

func TestHostileIgnoresOtherCommunities(t *testing.T) {
	h := StartHostile(t, func(req HostileRequest) []HostileReply {
		return []HostileReply{AnswerGet(req, func(string) snmp.Variable { return snmp.Variable{Kind: snmp.KindTimeTicks, Uint: 1} })}
	})
	cfg := h.Config()
	cfg.Community, cfg.Timeout = "public", 100*time.Millisecond
	c, err := snmp.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Get(context.Background(), []string{snmp.OIDSysUpTime}); !errors.Is(err, snmp.ErrTimeout) {
		t.Errorf("Get with another community: %v, want a timeout", err)
	}
	if n := h.Requests(); n != 0 {
		t.Errorf("agent counted %d requests of another community", n)
	}
}
