package brassim

import (
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/stg-project/stg/snmp"
)

// OIDs of the Cisco MIB columns the tests read.
const (
	oidCasnUserID   = "1.3.6.1.4.1.9.9.150.1.1.3.1.2"
	oidCasnVai      = "1.3.6.1.4.1.9.9.150.1.1.3.1.8"
	oidCsubUsername = "1.3.6.1.4.1.9.9.786.1.1.1.1.24"
)

// client returns a gosnmp client of the simulator.
func client(t *testing.T, s *Sim, version gosnmp.SnmpVersion) *gosnmp.GoSNMP {
	t.Helper()
	host, port, err := net.SplitHostPort(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	g := &gosnmp.GoSNMP{Target: host, Port: uint16(p), Community: s.Community(), Version: version,
		Timeout: 2 * time.Second, Retries: 1, MaxOids: 60}
	if err := g.Connect(); err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { g.Conn.Close() })
	return g
}

func oidf(col string, idx int) string { return fmt.Sprintf("%s.%d", col, idx) }

func TestGetKinds(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 10})
	g := client(t, s, gosnmp.Version2c)
	idx, name, _ := s.Lookup(UserMine)
	tests := []struct {
		oid  string
		kind gosnmp.Asn1BER
		want any
	}{
		{snmp.OIDSysUpTime, gosnmp.TimeTicks, uint32(0)},
		{oidf(snmp.OIDIfName, idx), gosnmp.OctetString, []byte(name)},
		{oidf(snmp.OIDIfType, idx), gosnmp.Integer, 23},
		{oidf(snmp.OIDIfName, 99999), gosnmp.NoSuchInstance, nil},
		{snmp.OIDIfName, gosnmp.NoSuchInstance, nil},
		{"1.3.6.1.2.1.1.3.0.1", gosnmp.NoSuchInstance, nil},
		{"1.3.6.1.2.1.1.99.0", gosnmp.NoSuchObject, nil},
		{"1.3.6.1.2.1.2.2.1", gosnmp.NoSuchObject, nil},
		{"1.3.6.1.4.1.9.9.999.1", gosnmp.NoSuchObject, nil},
	}
	for _, tt := range tests {
		t.Run(tt.oid, func(t *testing.T) {
			r, err := g.Get([]string{tt.oid})
			if err != nil {
				t.Fatalf("GET %s: %v", tt.oid, err)
			}
			v := r.Variables[0]
			if v.Type != tt.kind || (tt.want != nil && fmt.Sprint(v.Value) != fmt.Sprint(tt.want)) {
				t.Errorf("GET %s = %v %v, want %v %v", tt.oid, v.Type, v.Value, tt.kind, tt.want)
			}
		})
	}
}

func TestCounter32IsExactlyHCMod2To32(t *testing.T) {
	s, clock := startSim(t, Options{Sessions: 10})
	g := client(t, s, gosnmp.Version2c)
	idx, _, _ := s.Lookup(UserVictim)
	var prev32 uint32
	wraps := 0
	for step := 0; step < 12; step++ {
		r, err := g.Get([]string{oidf(snmp.OIDIfHCOutOctets, idx), oidf(snmp.OIDIfOutOctets, idx), oidf(snmp.OIDIfHCOutOctets, 1), oidf(snmp.OIDIfOutOctets, 1)})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i += 2 {
			hc, c32 := gosnmp.ToBigInt(r.Variables[i].Value).Uint64(), r.Variables[i+1].Value.(uint)
			if uint64(c32) != hc%(1<<32) {
				t.Fatalf("step %d: Counter32 %d != Counter64 %d mod 2^32", step, c32, hc)
			}
		}
		_, out, _ := s.Truth(UserVictim)
		if got := gosnmp.ToBigInt(r.Variables[0].Value).Uint64(); got != out {
			t.Fatalf("step %d: ifHCOutOctets %d, truth %d", step, got, out)
		}
		c32 := uint32(r.Variables[1].Value.(uint))
		if step > 0 && c32 < prev32 {
			wraps++
		}
		prev32 = c32
		clock.Add(10 * time.Second)
	}
	if wraps == 0 {
		t.Errorf("victim's Counter32 never wrapped in 110 s")
	}
}

func TestGetBulkEdges(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 20})
	g := client(t, s, gosnmp.Version2c)
	snap := s.snap.Load()
	lastIf := int(snap.ifIdx[len(snap.ifIdx)-1])
	lastSub := int(snap.subIdx[len(snap.subIdx)-1])
	tests := []struct {
		name     string
		oids     []string
		nonRep   uint8
		maxRep   uint32
		wantLen  int
		wantName []string // expected names by position ("" = any)
		wantEnd  []int    // positions that must be endOfMibView
	}{
		{name: "non-repeater then ifName rows", oids: []string{"1.3.6.1.2.1.1.3", snmp.OIDIfName}, nonRep: 1, maxRep: 3,
			wantLen: 4, wantName: []string{snmp.OIDSysUpTime, oidf(snmp.OIDIfName, 1), oidf(snmp.OIDIfName, 2), oidf(snmp.OIDIfName, 3)}},
		{name: "max-repetitions 0 gives the non-repeaters only", oids: []string{"1.3.6.1.2.1.1.3", snmp.OIDIfName}, nonRep: 1, maxRep: 0,
			wantLen: 1, wantName: []string{snmp.OIDSysUpTime}},
		{name: "column end runs into the next column", oids: []string{oidf(snmp.OIDIfName, lastIf)}, maxRep: 1,
			wantLen: 1, wantName: []string{oidf(snmp.OIDIfHCInOctets, 1)}},
		{name: "past the end of the MIB", oids: []string{oidf(oidCsubUsername, lastSub-1)}, maxRep: 5,
			wantLen: 2, wantName: []string{oidf(oidCsubUsername, lastSub), ""}, wantEnd: []int{1}},
		{name: "two repeaters past the end", oids: []string{oidf(oidCsubUsername, lastSub), "1.4"}, maxRep: 4,
			wantLen: 2, wantEnd: []int{0, 1}},
		{name: "non-repeaters more than varbinds", oids: []string{"1.3.6.1.2.1.1.5"}, nonRep: 5, maxRep: 9,
			wantLen: 1, wantName: []string{"1.3.6.1.2.1.1.5.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := g.GetBulk(tt.oids, tt.nonRep, tt.maxRep)
			if err != nil {
				t.Fatalf("GETBULK: %v", err)
			}
			if len(r.Variables) != tt.wantLen {
				t.Fatalf("got %d varbinds, want %d: %v", len(r.Variables), tt.wantLen, r.Variables)
			}
			for i, want := range tt.wantName {
				if got := snmp.NormalizeOID(r.Variables[i].Name); want != "" && got != want {
					t.Errorf("varbind %d = %s, want %s", i, got, want)
				}
			}
			for _, i := range tt.wantEnd {
				if r.Variables[i].Type != gosnmp.EndOfMibView {
					t.Errorf("varbind %d = %v, want endOfMibView", i, r.Variables[i].Type)
				}
			}
		})
	}
}

func TestGetBulkFitsOneDatagram(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 2000})
	g := client(t, s, gosnmp.Version2c)
	r, err := g.GetBulk([]string{snmp.OIDIfDescr, snmp.OIDIfName, snmp.OIDIfAlias}, 0, 2000)
	if err != nil {
		t.Fatalf("GETBULK: %v", err)
	}
	all := 3 * len(s.snap.Load().ifs)
	if n := len(r.Variables); n < 300 || n >= all {
		t.Errorf("got %d of %d varbinds, want a large answer cut to fit one datagram", n, all)
	}
	for i := 1; i < len(r.Variables); i++ {
		if i%3 == 0 && snmp.CompareOIDs(r.Variables[i-3].Name, r.Variables[i].Name) >= 0 {
			t.Fatalf("repeater order broken at %d: %s then %s", i, r.Variables[i-3].Name, r.Variables[i].Name)
		}
	}
}

func TestSNMPv1Rules(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 5})
	g := client(t, s, gosnmp.Version1)
	idx, _, _ := s.Lookup(UserMine)
	t.Run("GET Counter64 is noSuchName", func(t *testing.T) {
		r, err := g.Get([]string{snmp.OIDSysUpTime, oidf(snmp.OIDIfHCInOctets, idx)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Error != gosnmp.NoSuchName || r.ErrorIndex != 2 {
			t.Errorf("error %v index %d, want noSuchName at 2", r.Error, r.ErrorIndex)
		}
	})
	t.Run("GETNEXT skips Counter64 columns", func(t *testing.T) {
		snap := s.snap.Load()
		last := int(snap.ifIdx[len(snap.ifIdx)-1])
		r, err := g.GetNext([]string{oidf(snmp.OIDIfName, last)})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := snmp.NormalizeOID(r.Variables[0].Name), oidf(snmp.OIDIfHighSpeed, 1); got != want {
			t.Errorf("GETNEXT after the last ifName = %s, want %s", got, want)
		}
	})
	t.Run("GETNEXT at the end is noSuchName", func(t *testing.T) {
		r, err := g.GetNext([]string{"1.4"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Error != gosnmp.NoSuchName {
			t.Errorf("error %v, want noSuchName", r.Error)
		}
	})
}

func TestSNMPOverFlapAndModes(t *testing.T) {
	t.Run("flap removes the old row", func(t *testing.T) {
		s, _ := startSim(t, Options{Sessions: 10})
		g := client(t, s, gosnmp.Version2c)
		old, _, _ := s.Lookup(UserMine)
		if err := s.Flap(UserMine); err != nil {
			t.Fatal(err)
		}
		idx, _, _ := s.Lookup(UserMine)
		r, err := g.Get([]string{oidf(snmp.OIDIfHCInOctets, old), oidf(oidCsubUsername, idx), oidf(snmp.OIDIfCounterDiscontinuityTime, idx)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Variables[0].Type != gosnmp.NoSuchInstance {
			t.Errorf("old ifIndex %d: %v, want noSuchInstance", old, r.Variables[0].Type)
		}
		if string(r.Variables[1].Value.([]byte)) != UserMine {
			t.Errorf("csubSessionUsername.%d = %v, want %s", idx, r.Variables[1].Value, UserMine)
		}
	})
	t.Run("no virtual-template snmp", func(t *testing.T) {
		s, _ := startSim(t, Options{Sessions: 10, NoVirtualTemplateSNMP: true})
		g := client(t, s, gosnmp.Version2c)
		var acct uint32
		for _, ss := range s.Sessions() {
			if ss.User == UserMine {
				acct = ss.AcctID
			}
		}
		r, err := g.Get([]string{oidf(oidCasnUserID, int(acct)), oidf(oidCasnVai, int(acct))})
		if err != nil {
			t.Fatal(err)
		}
		if string(r.Variables[0].Value.([]byte)) != UserMine || r.Variables[1].Value != 0 {
			t.Errorf("casnUserId, casnVaiIfIndex = %v, %v; want %s, 0", r.Variables[0].Value, r.Variables[1].Value, UserMine)
		}
		rows, err := g.BulkWalkAll(snmp.OIDIfDescr)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(physicalInterfaces(time.Time{})) {
			t.Errorf("ifDescr has %d rows, want the physical interfaces only", len(rows))
		}
	})
	t.Run("Cisco MIBs disabled", func(t *testing.T) {
		s, _ := startSim(t, Options{Sessions: 10, NoAAAMIB: true, NoSubscriberMIB: true})
		g := client(t, s, gosnmp.Version2c)
		r, err := g.Get([]string{oidf(oidCasnUserID, 4096), oidf(oidCsubUsername, 64)})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range r.Variables {
			if v.Type != gosnmp.NoSuchObject {
				t.Errorf("%s: %v, want noSuchObject", v.Name, v.Type)
			}
		}
	})
}

func TestCacheOverSNMP(t *testing.T) {
	s, clock := startSim(t, Options{Sessions: 5, Cache: 3 * time.Second})
	g := client(t, s, gosnmp.Version2c)
	idx, _, _ := s.Lookup(UserLNS)
	read := func() uint64 {
		r, err := g.Get([]string{oidf(snmp.OIDIfHCOutOctets, idx)})
		if err != nil {
			t.Fatal(err)
		}
		return gosnmp.ToBigInt(r.Variables[0].Value).Uint64()
	}
	var got []uint64
	for range 7 {
		got = append(got, read())
		clock.Add(time.Second)
	}
	changes := 0
	for i := 1; i < len(got); i++ {
		if got[i] != got[i-1] {
			changes++
		}
	}
	if changes != 2 {
		t.Errorf("over 7 one-second polls with a 3 s cache the counter changed %d times, want 2: %v", changes, got)
	}
}

func TestGoSNMPv3(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 40, V3: &testV3})
	host, port, _ := net.SplitHostPort(s.Addr())
	p, _ := strconv.Atoi(port)
	g := &gosnmp.GoSNMP{Target: host, Port: uint16(p), Version: gosnmp.Version3, Timeout: 2 * time.Second, Retries: 1,
		SecurityModel: gosnmp.UserSecurityModel, MsgFlags: gosnmp.AuthPriv, MaxRepetitions: 10,
		SecurityParameters: &gosnmp.UsmSecurityParameters{UserName: testV3.Name,
			AuthenticationProtocol: gosnmp.SHA, AuthenticationPassphrase: testV3.AuthPass,
			PrivacyProtocol: gosnmp.AES, PrivacyPassphrase: testV3.PrivPass}}
	if err := g.Connect(); err != nil {
		t.Fatal(err)
	}
	defer g.Conn.Close()
	rows, err := g.BulkWalkAll(oidCasnUserID)
	if err != nil {
		t.Fatalf("v3 walk: %v", err)
	}
	if len(rows) != 40 || string(rows[0].Value.([]byte)) != UserMine {
		t.Errorf("v3 walk: %d rows, first %v; want 40 starting with %s", len(rows), rows[0].Value, UserMine)
	}
}

func TestSetIsRefused(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 3})
	for _, version := range []gosnmp.SnmpVersion{gosnmp.Version1, gosnmp.Version2c} {
		t.Run(version.String(), func(t *testing.T) {
			g := client(t, s, version)
			r, err := g.Set([]gosnmp.SnmpPDU{{Name: "1.3.6.1.2.1.1.5.0", Type: gosnmp.OctetString, Value: "pwned"}})
			if err != nil {
				t.Fatal(err)
			}
			want := gosnmp.NoAccess
			if version == gosnmp.Version1 {
				want = gosnmp.NoSuchName
			}
			if r.Error != want {
				t.Errorf("SET answered %v, want %v", r.Error, want)
			}
		})
	}
}
