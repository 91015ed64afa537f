package ciscoresolve

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// dialAgent returns an SNMP v2c client of target with community.
func dialAgent(t testing.TB, target snmp.Target, community string) snmp.Client {
	t.Helper()
	c, err := snmp.Dial(context.Background(), snmp.Config{Target: target, Community: secret.Secret(community), Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestSNMPResolveSnmpsim(t *testing.T) {
	sim := agenttest.StartSnmpsim(t, "testdata/snmprec")
	tests := []struct {
		community  string
		user       string
		wantIndex  int
		wantDescr  string
		wantMethod Method
		wantErr    error
		wantInErr  string
	}{
		{"csub", "MyUserName", 257, "Virtual-Access1.195", MethodCsub, nil, ""},
		{"csub", "lns-user@wholesale.example", 259, "Virtual-Access2.1", MethodCsub, nil, ""},
		{"casn", "MyUserName", 257, "Virtual-Access1.195", MethodCasn, nil, ""},
		{"casn", "noc", 0, "", "", ErrNotInIFMIB, "virtual-template snmp"},
		{"novt", "MyUserName", 0, "", "", ErrNotInIFMIB, "enable `virtual-template snmp`"},
		{"mikrotik", "MyUserName", 15, "<pppoe-MyUserName>", MethodIfMIB, nil, ""},
		{"alias", "anna.rossi@isp.example", 21, "pp0.1002", MethodIfMIB, nil, ""},
		{"casn", "MyUsername", 257, "Virtual-Access1.195", MethodCasn, nil, ""}, // case only: used, with a note
		{"casn", "MyUserNam", 0, "", "", ErrNotFound, "near matches: MyUserName"},
	}
	for _, tt := range tests {
		t.Run(tt.community+"/"+tt.user, func(t *testing.T) {
			r := &SNMP{Client: dialAgent(t, sim.Target, tt.community), Router: sim.Addr()}
			res, err := r.Resolve(context.Background(), tt.user)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantInErr) {
					t.Fatalf("err = %v, want %v mentioning %q", err, tt.wantErr, tt.wantInErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.IfIndex != tt.wantIndex || res.IfDescr != tt.wantDescr || res.Method != tt.wantMethod {
				t.Errorf("got %d %q %s, want %d %q %s", res.IfIndex, res.IfDescr, res.Method, tt.wantIndex, tt.wantDescr, tt.wantMethod)
			}
			if caseOnly := !strings.Contains(res.IdentityValue, tt.user); caseOnly != strings.Contains(res.Note, "differs in case") {
				t.Errorf("identity %q for user %q, note %q: a name used in another case needs a note, and only then", res.IdentityValue, tt.user, res.Note)
			}
			// The identity the poller will read must hold the value now.
			vars, err := r.Client.Get(context.Background(), []string{res.IdentityOID})
			if err != nil || vars[0].Text() != res.IdentityValue {
				t.Errorf("identity %s = %v (%v), want %q", res.IdentityOID, vars, err, res.IdentityValue)
			}
		})
	}
}

func TestSNMPResolveSimulator(t *testing.T) {
	tests := []struct {
		name       string
		opts       brassim.Options
		wantMethod Method
		wantErr    error
	}{
		{"subscriber MIB", brassim.Options{}, MethodCsub, nil},
		{"AAA MIB only", brassim.Options{NoSubscriberMIB: true}, MethodCasn, nil},
		{"IF-MIB alias only", brassim.Options{NoSubscriberMIB: true, NoAAAMIB: true, AliasUsers: true}, MethodIfMIB, nil},
		{"no virtual-template snmp", brassim.Options{NoVirtualTemplateSNMP: true}, "", ErrNotInIFMIB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Enough sessions that the columns are scanned as several
			// stretches at once.
			tt.opts.Sessions, tt.opts.Seed, tt.opts.NoSSH = 2000, 3, true
			sim := agenttest.StartSim(t, tt.opts)
			target, err := snmp.ParseTarget(sim.Addr())
			if err != nil {
				t.Fatal(err)
			}
			r := &SNMP{Client: dialAgent(t, target, sim.Community()), Router: "sim"}
			sessions := sim.Sessions()
			var users []brassim.Session
			for i := 0; i < len(sessions); i += 333 {
				users = append(users, sessions[i])
			}
			for _, s := range append(users, sessions[len(sessions)-1]) {
				res, err := r.Resolve(context.Background(), s.User)
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("%s: err = %v, want %v", s.User, err, tt.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", s.User, err)
				}
				if res.IfIndex != s.IfIndex || res.IfName != s.IfName || res.IfDescr != s.IfDescr || res.Method != tt.wantMethod {
					t.Errorf("%s: got %d %s %s via %s, want %d %s %s via %s", s.User, res.IfIndex, res.IfName, res.IfDescr, res.Method, s.IfIndex, s.IfName, s.IfDescr, tt.wantMethod)
				}
			}
		})
	}
}
