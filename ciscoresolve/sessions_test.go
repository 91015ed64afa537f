package ciscoresolve

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/stg-project/stg/snmp"
)

// TestSessionsLoad reads every session of routers with each session MIB,
// and none of a router without them.
func TestSessionsLoad(t *testing.T) {
	tests := []struct {
		name   string
		router bras
		method Method
		want   map[int]Session
	}{
		{"csub", bras{csub: map[int]string{257: "anna", 258: "bob"}, casn: map[int]string{7: "ignored"}, vai: map[int]int{7: 300}},
			MethodCsub, map[int]Session{257: {User: "anna", Method: MethodCsub}, 258: {User: "bob", Method: MethodCsub}}},
		{"casn", bras{casn: map[int]string{7: "anna", 9: "bob", 11: "no-vi"}, vai: map[int]int{7: 257, 9: 258, 11: 0}},
			MethodCasn, map[int]Session{257: {User: "anna", Method: MethodCasn, ID: "7"}, 258: {User: "bob", Method: MethodCasn, ID: "9"}}},
		{"neither", bras{ifs: map[int][3]string{1: {"Gi0", "Gi0", ""}}}, "", map[int]Session{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Sessions{SNMP: SNMP{Client: tt.router.fake(), Router: "bras1"}}
			got, err := s.Load(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) || s.Method() != tt.method {
				t.Errorf("Load: %v (method %q), want %v (%q)", got, s.Method(), tt.want, tt.method)
			}
		})
	}
}

// TestSessionsLookup reads the sessions of interfaces that appeared after
// Load: by GET on csub, from the sessions opened since on casn.
func TestSessionsLookup(t *testing.T) {
	t.Run("csub", func(t *testing.T) {
		f := bras{csub: map[int]string{257: "anna"}}.fake()
		s := &Sessions{SNMP: SNMP{Client: f, Router: "bras1"}}
		if _, err := s.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.SetString(OIDCsubSessionUsername+".300", "carla")
		n := f.RequestCount()
		got, err := s.Lookup(context.Background(), []int{300, 301})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[int]Session{300: {User: "carla", Method: MethodCsub}}; !reflect.DeepEqual(got, want) || f.RequestCount()-n != 1 {
			t.Errorf("Lookup: %v in %d requests, want %v in one GET", got, f.RequestCount()-n, want)
		}
	})
	t.Run("casn", func(t *testing.T) {
		f := bras{casn: map[int]string{7: "anna", 9: "bob"}, vai: map[int]int{7: 257, 9: 258}}.fake()
		s := &Sessions{SNMP: SNMP{Client: f, Router: "bras1"}}
		if _, err := s.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		for id, vi := range map[int]int{12: 300, 13: 257} { // 13: anna's interface, handed to dora
			f.SetString(fmt.Sprintf("%s.%d", OIDCasnUserID, id), map[int]string{12: "carla", 13: "dora"}[id])
			f.SetUint(fmt.Sprintf("%s.%d", OIDCasnVaiIfIndex, id), snmp.KindInteger, uint64(vi))
		}
		got, err := s.Lookup(context.Background(), []int{300})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]Session{300: {User: "carla", Method: MethodCasn, ID: "12"}, 257: {User: "dora", Method: MethodCasn, ID: "13"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Lookup: %v, want %v", got, want)
		}
		if got, _ := s.Lookup(context.Background(), []int{300}); len(got) != 0 {
			t.Errorf("second Lookup read old sessions again: %v", got)
		}
	})
}

// TestInterfaceUser: MikroTik's dynamic names and a Virtual-Access's alias
// name a subscriber; anything else does not.
func TestInterfaceUser(t *testing.T) {
	tests := []struct{ descr, name, alias, want string }{
		{"<pppoe-john.doe>", "<pppoe-john.doe>", "", "john.doe"},
		{"ether1", "<l2tp-anna@isp>", "", "anna@isp"},
		{"Virtual-Access2.7", "Vi2.7", "anna.rossi@isp.example", "anna.rossi@isp.example"},
		{"Virtual-Access2.7", "Vi2.7", "", ""},
		{"Virtual-Access2.7", "Vi2.7", "customer X (100M)", ""},
		{"GigabitEthernet0/0/1", "Gi0/0/1", "uplink", ""},
		{"<pppoe->", "<pppoe->", "", ""},
	}
	for _, tt := range tests {
		if got := InterfaceUser(tt.descr, tt.name, tt.alias); got != tt.want {
			t.Errorf("InterfaceUser(%q, %q, %q) = %q, want %q", tt.descr, tt.name, tt.alias, got, tt.want)
		}
	}
}
