package snmp_test

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/snmp"
)

// ftName is ifName.i of the hostile agent's walks.
func ftName(i int) snmp.Variable {
	return snmp.Variable{OID: snmp.OIDIfName + "." + strconv.Itoa(i), Kind: snmp.KindOctetString, Bytes: []byte("Vi1." + strconv.Itoa(i))}
}

// ftBulk answers a GETBULK with the varbinds vars returns for it.
func ftBulk(vars func(req agenttest.HostileRequest) []snmp.Variable) agenttest.HostileScript {
	return func(req agenttest.HostileRequest) []agenttest.HostileReply {
		return []agenttest.HostileReply{{Vars: vars(req)}}
	}
}

// ftNext is the instance after the one a walk request asks from (1 when it
// asks from the column itself).
func ftNext(req agenttest.HostileRequest) int {
	last := req.OIDs[0][len(snmp.OIDIfName):]
	if last == "" {
		return 1
	}
	n, _ := strconv.Atoi(last[1:])
	return n + 1
}

// TestFaultHostileWalk walks ifName (with BulkWalk and with ScanColumn) on
// agents that answer GETBULK out of order, in circles, forever or hugely,
// and GETs with garbage: each walk or GET ends with the documented error or
// the right values, within its deadline, after a bounded number of requests.
func TestFaultHostileWalk(t *testing.T) {
	t.Parallel()
	huge := bytes.Repeat([]byte("h"), 60000)
	tests := []struct {
		name   string
		script agenttest.HostileScript
		get    bool // a GET of ifName.1..3 instead of a walk
		scan   bool // snmp.ScanColumn instead of BulkWalk
		// wantErr is the error the call must return: nil, errAny, or a
		// sentinel for errors.Is.
		wantErr      error
		wantValues   int // values handed to the walk's fn (or returned by Get)
		maxRequests  int
		wantHugeText bool // the first value is the 60000-octet string
		endless      bool // only the call's deadline ends it
	}{
		{
			name: "repeats the requested OID", wantErr: snmp.ErrNotIncreasing, maxRequests: 2, wantValues: 2,
			script: ftBulk(func(req agenttest.HostileRequest) []snmp.Variable {
				if req.N == 1 {
					return []snmp.Variable{ftName(1), ftName(2)}
				}
				return []snmp.Variable{ftName(2), ftName(3)}
			}),
		},
		{
			name: "goes backwards inside one answer", wantErr: snmp.ErrNotIncreasing, maxRequests: 1, wantValues: 2,
			script: ftBulk(func(agenttest.HostileRequest) []snmp.Variable {
				return []snmp.Variable{ftName(1), ftName(3), ftName(2), ftName(4)}
			}),
		},
		{
			name: "loops back to the start", wantErr: snmp.ErrNotIncreasing, maxRequests: 2, wantValues: 3,
			script: ftBulk(func(agenttest.HostileRequest) []snmp.Variable {
				return []snmp.Variable{ftName(1), ftName(2), ftName(3)}
			}),
		},
		{
			// An agent with an endless column: the walk ends at ctx's deadline.
			name: "never ends", wantErr: errAny, maxRequests: 1 << 30, endless: true,
			script: ftBulk(func(req agenttest.HostileRequest) []snmp.Variable {
				n := ftNext(req)
				return []snmp.Variable{ftName(n), ftName(n + 1)}
			}),
		},
		{
			name: "huge OCTET STRING", wantValues: 2, maxRequests: 2, wantHugeText: true,
			script: ftBulk(func(req agenttest.HostileRequest) []snmp.Variable {
				if req.N == 1 {
					v := ftName(1)
					v.Bytes = huge
					return []snmp.Variable{v, ftName(2)}
				}
				return []snmp.Variable{{OID: snmp.OIDIfHCInOctets + ".1", Kind: snmp.KindCounter64, Uint: 1}}
			}),
		},
		{
			name: "always tooBig", wantErr: errAny, maxRequests: 12,
			script: func(agenttest.HostileRequest) []agenttest.HostileReply {
				return []agenttest.HostileReply{{ErrorStatus: 1}}
			},
		},
		{
			name: "answers every request-id but the right one", wantErr: snmp.ErrTimeout, maxRequests: 1,
			script: func(req agenttest.HostileRequest) []agenttest.HostileReply {
				return []agenttest.HostileReply{{Vars: []snmp.Variable{ftName(1)}, RequestIDDelta: 7}, {Vars: []snmp.Variable{ftName(1)}, RequestIDDelta: -3}}
			},
		},
		{
			name: "get: always tooBig", get: true, wantErr: errAny, maxRequests: 3,
			script: func(agenttest.HostileRequest) []agenttest.HostileReply {
				return []agenttest.HostileReply{{ErrorStatus: 1}}
			},
		},
		{
			name: "get: fewer varbinds than asked", get: true, wantErr: errAny, maxRequests: 1,
			script: ftBulk(func(agenttest.HostileRequest) []snmp.Variable { return []snmp.Variable{ftName(1)} }),
		},
		{
			name: "get: other OIDs than asked", get: true, wantErr: errAny, maxRequests: 1,
			script: ftBulk(func(agenttest.HostileRequest) []snmp.Variable {
				return []snmp.Variable{ftName(3), ftName(2), ftName(1)}
			}),
		},
		{
			name: "get: noSuchName with a bad index", get: true, wantErr: errAny, maxRequests: 1,
			script: func(agenttest.HostileRequest) []agenttest.HostileReply {
				return []agenttest.HostileReply{{ErrorStatus: 2, ErrorIndex: 9, Vars: []snmp.Variable{ftName(1), ftName(2), ftName(3)}}}
			},
		},
		{
			name: "get: genErr", get: true, wantErr: errAny, maxRequests: 1,
			script: func(agenttest.HostileRequest) []agenttest.HostileReply {
				return []agenttest.HostileReply{{ErrorStatus: 5, ErrorIndex: 1, Vars: []snmp.Variable{ftName(1), ftName(2), ftName(3)}}}
			},
		},
		{
			name: "get: garbage, then the answer", get: true, wantErr: errAny, maxRequests: 1,
			script: func(req agenttest.HostileRequest) []agenttest.HostileReply {
				return []agenttest.HostileReply{{Raw: []byte{0x30, 0x03, 0x02, 0x01}}, {Vars: []snmp.Variable{ftName(1), ftName(2), ftName(3)}}}
			},
		},
	}
	for _, tt := range tests {
		if !tt.get {
			scan := tt
			scan.name, scan.scan = "scan: "+tt.name, true
			tests = append(tests, scan)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := agenttest.StartHostile(t, tt.script)
			cfg := h.Config()
			cfg.Timeout = 300 * time.Millisecond
			c := itDial(t, cfg)
			ctx := itCtx(t, 2*time.Second)
			var got []snmp.Variable
			var err error
			switch {
			case tt.get:
				got, err = c.Get(ctx, []string{ftName(1).OID, ftName(2).OID, ftName(3).OID})
			case tt.scan:
				err = snmp.ScanColumn(ctx, c, snmp.OIDIfName, func(v snmp.Variable) error {
					got = append(got, v)
					return nil
				})
			default:
				err = c.BulkWalk(ctx, snmp.OIDIfName, func(v snmp.Variable) error {
					got = append(got, v)
					return nil
				})
			}
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("error %v, want none", err)
			case tt.wantErr == errAny && err == nil, tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if ctx.Err() != nil && !tt.endless {
				t.Errorf("the call ran into the test's deadline: %v", err)
			}
			// An agent that answered must not be reported as silent: that
			// message sends the user to check the community and the ACL.
			if err != nil && h.Requests() > 1 && len(got) > 0 && strings.Contains(err.Error(), "no SNMP response") {
				t.Errorf("after %d answers and %d values the error says: %v", h.Requests(), len(got), err)
			}
			t.Logf("%d requests, %d values, error: %v", h.Requests(), len(got), err)
			if n := h.Requests(); n > tt.maxRequests {
				t.Errorf("%d requests, want at most %d", n, tt.maxRequests)
			}
			if tt.wantValues > 0 && len(got) != tt.wantValues && !tt.get {
				t.Errorf("walk handed on %d values, want %d", len(got), tt.wantValues)
			}
			if tt.wantHugeText && (len(got) == 0 || !bytes.Equal(got[0].Bytes, huge)) {
				t.Errorf("the 60000-octet value did not arrive intact")
			}
		})
	}
}

// errAny stands for "some error" in TestFaultHostileWalk.
var errAny = errors.New("any error")
