package ciscoresolve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// bras describes a fake router for the SNMP strategy tests.
type bras struct {
	csub  map[int]string    // ifIndex → csubSessionUsername
	casn  map[int]string    // session id → casnUserId
	vai   map[int]int       // session id → casnVaiIfIndex
	ifs   map[int][3]string // ifIndex → ifDescr, ifName, ifAlias
	noIfs bool              // no IF-MIB at all
}

func (b bras) fake() *snmptest.Fake {
	f := snmptest.New()
	for i, u := range b.csub {
		f.SetString(fmt.Sprintf("%s.%d", OIDCsubSessionUsername, i), u)
	}
	for id, u := range b.casn {
		f.SetString(fmt.Sprintf("%s.%d", OIDCasnUserID, id), u)
		f.SetUint(fmt.Sprintf("%s.%d", OIDCasnVaiIfIndex, id), snmp.KindInteger, uint64(b.vai[id]))
	}
	for i, n := range b.ifs {
		f.SetString(fmt.Sprintf("%s.%d", snmp.OIDIfDescr, i), n[0])
		f.SetString(fmt.Sprintf("%s.%d", snmp.OIDIfName, i), n[1])
		f.SetString(fmt.Sprintf("%s.%d", snmp.OIDIfAlias, i), n[2])
	}
	return f
}

// ciscoIfs is a small IOS interface table.
var ciscoIfs = map[int][3]string{
	1:   {"GigabitEthernet0/0/0", "Gi0/0/0", "uplink"},
	257: {"Virtual-Access1.195", "Vi1.195", ""},
	258: {"Virtual-Access1.196", "Vi1.196", ""},
}

func TestSNMPResolve(t *testing.T) {
	tests := []struct {
		name       string
		router     bras
		user       string
		wantIndex  int
		wantMethod Method
		wantIDOID  string
		wantErr    error
		wantInErr  []string
	}{
		{
			name:       "csubSessionUsername index is the ifIndex",
			router:     bras{csub: map[int]string{257: "MyUserName", 258: "anna"}, ifs: ciscoIfs},
			user:       "MyUserName",
			wantIndex:  257,
			wantMethod: MethodCsub,
			wantIDOID:  OIDCsubSessionUsername + ".257",
		},
		{
			name:       "casnUserId then casnVaiIfIndex",
			router:     bras{casn: map[int]string{12: "anna", 13: "MyUserName"}, vai: map[int]int{12: 258, 13: 257}, ifs: ciscoIfs},
			user:       "MyUserName",
			wantIndex:  257,
			wantMethod: MethodCasn,
			wantIDOID:  OIDCasnUserID + ".13",
		},
		{
			name:      "casnVaiIfIndex 0 is no virtual-template snmp",
			router:    bras{casn: map[int]string{13: "MyUserName"}, vai: map[int]int{13: 0}, ifs: ciscoIfs},
			user:      "MyUserName",
			wantErr:   ErrNotInIFMIB,
			wantInErr: []string{"virtual-template snmp", "MyUserName", "session 13"},
		},
		{
			name:      "csub row without IF-MIB row",
			router:    bras{csub: map[int]string{300: "MyUserName"}, ifs: ciscoIfs},
			user:      "MyUserName",
			wantErr:   ErrNotInIFMIB,
			wantInErr: []string{"ifIndex 300", "no virtual-template snmp"},
		},
		{
			name:       "MikroTik pppoe name",
			router:     bras{ifs: map[int][3]string{1: {"ether1", "ether1", ""}, 9: {"<pppoe-MyUserName>", "<pppoe-MyUserName>", ""}}},
			user:       "MyUserName",
			wantIndex:  9,
			wantMethod: MethodIfMIB,
			wantIDOID:  snmp.OIDIfDescr + ".9",
		},
		{
			name:       "alias holding the user",
			router:     bras{ifs: map[int][3]string{1: {"ge-0/0/1.100", "ge-0/0/1.100", "cust: MyUserName (100M)"}}},
			user:       "MyUserName",
			wantIndex:  1,
			wantMethod: MethodIfMIB,
			wantIDOID:  snmp.OIDIfAlias + ".1",
		},
		{
			name:      "not found lists near matches and the MIBs tried",
			router:    bras{casn: map[int]string{1: "myusernam", 2: "MyUserName2", 3: "zzz"}, vai: map[int]int{1: 257, 2: 258}, ifs: ciscoIfs},
			user:      "MyUserName",
			wantErr:   ErrNotFound,
			wantInErr: []string{"myusernam", "MyUserName2", "CISCO-SUBSCRIBER-SESSION-MIB (not supported)", "CISCO-AAA-SESSION-MIB,", "IF-MIB"},
		},
		{
			name:      "nothing supported",
			router:    bras{},
			user:      "MyUserName",
			wantErr:   ErrNotFound,
			wantInErr: []string{"IF-MIB ifDescr/ifName/ifAlias (not supported)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &SNMP{Client: tt.router.fake(), Router: "bras1"}
			res, err := r.Resolve(context.Background(), tt.user)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				for _, s := range tt.wantInErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if res.IfIndex != tt.wantIndex || res.Method != tt.wantMethod || res.IdentityOID != tt.wantIDOID {
				t.Errorf("got ifIndex %d method %s identity %s, want %d %s %s", res.IfIndex, res.Method, res.IdentityOID, tt.wantIndex, tt.wantMethod, tt.wantIDOID)
			}
			want := tt.router.ifs[tt.wantIndex]
			if res.IfDescr != want[0] || res.IfName != want[1] {
				t.Errorf("names %q %q, want %q %q", res.IfDescr, res.IfName, want[0], want[1])
			}
			if res.IdentityValue == "" || res.User != tt.user {
				t.Errorf("identity value %q, user %q", res.IdentityValue, res.User)
			}
		})
	}
}

func TestSNMPResolveOrder(t *testing.T) {
	// Both MIBs know the user: csub must win and casn must not be walked.
	b := bras{csub: map[int]string{257: "MyUserName"}, casn: map[int]string{5: "MyUserName"}, vai: map[int]int{5: 258}, ifs: ciscoIfs}
	f := b.fake()
	res, err := (&SNMP{Client: f, Router: "bras1"}).Resolve(context.Background(), "MyUserName")
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != MethodCsub {
		t.Errorf("method %s, want %s", res.Method, MethodCsub)
	}
	for _, req := range f.Requests {
		if req[0] == OIDCasnUserID {
			t.Errorf("casnUserId walked although csub answered: %v", f.Requests)
		}
	}
	if n := f.RequestCount(); n != 2 {
		t.Errorf("%d requests (%v), want one walk and one GET", n, f.Requests)
	}
}

func TestSNMPResolveWalkError(t *testing.T) {
	f := bras{casn: map[int]string{1: "MyUserName"}}.fake()
	f.Fail = func([]string) error { return snmp.ErrTimeout }
	_, err := (&SNMP{Client: f, Router: "bras1"}).Resolve(context.Background(), "MyUserName")
	if !errors.Is(err, snmp.ErrTimeout) || errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want a timeout, not not-found", err)
	}
	if !strings.Contains(err.Error(), "walk csubSessionUsername on bras1") {
		t.Errorf("error %q does not say what was done to whom", err)
	}
}

// stepClock is a fake clock that advances by step on every reading.
func stepClock(step time.Duration) func() time.Time {
	t := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(step); return t }
}

func TestSNMPProgress(t *testing.T) {
	b := bras{casn: map[int]string{}, vai: map[int]int{}, ifs: ciscoIfs}
	for i := 1; i <= 2000; i++ {
		b.casn[i] = fmt.Sprintf("user%05d", i)
		b.vai[i] = 257
	}
	b.casn[2000] = "MyUserName"
	var reports []Progress
	r := &SNMP{Client: b.fake(), Router: "bras1", Now: stepClock(100 * time.Millisecond), Progress: func(p Progress) { reports = append(reports, p) }}
	if _, err := r.Resolve(context.Background(), "MyUserName"); err != nil {
		t.Fatal(err)
	}
	if len(reports) < 2 {
		t.Fatalf("got %d progress reports, want several", len(reports))
	}
	last := reports[len(reports)-1]
	// The scan reads stretches of the column at once, so the last row may
	// be found before the others.
	if !last.Done || last.Column != "casnUserId" || last.Rows < 1 || last.Rows > 2000 {
		t.Errorf("last report %+v, want done after at most 2000 casnUserId rows", last)
	}
	for i, p := range reports {
		if p.Elapsed < progressDelay {
			t.Errorf("report %d after %v, before the %v delay", i, p.Elapsed, progressDelay)
		}
		if i > 0 && p.Rows < reports[i-1].Rows {
			t.Errorf("rows went back: %d after %d", p.Rows, reports[i-1].Rows)
		}
	}
	if s := last.String(); !strings.Contains(s, fmt.Sprintf(" %d rows", last.Rows)) || !strings.Contains(s, "rows/s") {
		t.Errorf("String() = %q", s)
	}
}

func TestSNMPResolveCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := (&SNMP{Client: bras{csub: map[int]string{257: "MyUserName"}}.fake(), Router: "bras1"}).Resolve(ctx, "MyUserName")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestCached(t *testing.T) {
	dir := t.TempDir() + "/stg"
	b := bras{casn: map[int]string{13: "MyUserName"}, vai: map[int]int{13: 257}, ifs: ciscoIfs}
	f := b.fake()
	c := &Cached{Cache: &Cache{Dir: dir}, Router: "udp:bras1:161", Client: f, Next: &SNMP{Client: f, Router: "bras1"}}
	ctx := context.Background()

	first, err := c.Resolve(ctx, "MyUserName")
	if err != nil || first.Method != MethodCasn {
		t.Fatalf("first run: %+v, %v; want a casn resolution", first, err)
	}
	st, err := os.Stat(c.Cache.path("udp:bras1:161"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v, want 0600", st.Mode().Perm())
	}
	if dst, err := os.Stat(dir); err != nil || dst.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode %v (%v), want 0700", dst.Mode().Perm(), err)
	}

	t.Run("hit costs one GET", func(t *testing.T) {
		before := f.RequestCount()
		res, err := c.Resolve(ctx, "MyUserName")
		if err != nil || res.Method != MethodCache || res.IfIndex != 257 || res.IfName != "Vi1.195" {
			t.Fatalf("second run: %+v, %v", res, err)
		}
		if n := f.RequestCount() - before; n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("reconnected user is resolved again", func(t *testing.T) {
		f.Delete(OIDCasnUserID + ".13")
		f.SetString(OIDCasnUserID+".14", "MyUserName")
		f.SetUint(OIDCasnVaiIfIndex+".14", snmp.KindInteger, 258)
		res, err := c.Resolve(ctx, "MyUserName")
		if err != nil || res.Method != MethodCasn || res.IfIndex != 258 {
			t.Fatalf("after reconnect: %+v, %v; want a fresh casn resolution to 258", res, err)
		}
		cached, ok, err := c.Cache.Lookup("udp:bras1:161", "MyUserName")
		if err != nil || !ok || cached.IfIndex != 258 || cached.IdentityOID != OIDCasnUserID+".14" {
			t.Errorf("cache now %+v (%v, %v), want the new session", cached, ok, err)
		}
	})
	t.Run("miss for another user", func(t *testing.T) {
		_, err := c.Resolve(ctx, "nobody")
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
		if _, ok, _ := c.Cache.Lookup("udp:bras1:161", "nobody"); ok {
			t.Error("a failed resolution was cached")
		}
	})
}

func TestCacheDamagedFile(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	if err := os.WriteFile(c.path("r"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Lookup("r", "u"); ok || err != nil {
		t.Fatalf("Lookup on a damaged file = %v, %v; want a clean miss", ok, err)
	}
	if err := c.Store("r", "u", Result{IfIndex: 7}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if res, ok, err := c.Lookup("r", "u"); !ok || err != nil || res.IfIndex != 7 {
		t.Errorf("after Store: %+v %v %v", res, ok, err)
	}
}
