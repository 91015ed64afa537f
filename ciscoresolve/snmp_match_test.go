package ciscoresolve

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestSNMPResolveNeverGuesses: an exact whole name wins; near answers are
// used only when they are one interface, with a note; equally good answers
// on several interfaces are an error that lists each once.
func TestSNMPResolveNeverGuesses(t *testing.T) {
	ports := map[int][3]string{
		2: {"GigabitEthernet0/0/1", "Gi0/0/1", "*** CUSTOMER-X ***"},
		7: {"Port-channel1", "Po1", "*** CUSTOMER-X ***"},
		8: {"Port-channel2", "Po2", "*** CUSTOMER-X ***"},
		9: {"Port-channel3", "Po3", "CUSTOMER-XY"},
	}
	withExact := map[int][3]string{4: {"GigabitEthernet0/0/3", "Gi0/0/3", "CUSTOMER-X"}}
	for i, r := range ports {
		withExact[i] = r
	}
	tests := []struct {
		name      string
		router    bras
		user      string
		wantIndex int
		wantNote  string // "" means no note
		wantAmbig []string
		wantNF    bool
	}{
		{name: "alias on three interfaces", router: bras{ifs: ports}, user: "CUSTOMER-X",
			wantAmbig: []string{"3 interfaces", "Gi0/0/1 (ifIndex 2,", "Po1 (ifIndex 7,", "Po2 (ifIndex 8,"}},
		{name: "the exact whole alias wins", router: bras{ifs: withExact}, user: "CUSTOMER-X", wantIndex: 4},
		{name: "a word ends at a username character", router: bras{ifs: ports}, user: "CUSTOMER", wantNF: true},
		{name: "one alias holding the user", router: bras{ifs: map[int][3]string{1: {"ge-0/0/1.100", "ge-0/0/1.100", "cust: anna (100M)"}}},
			user: "anna", wantIndex: 1, wantNote: `ifAlias "cust: anna (100M)" holds it`},
		{name: "MikroTik name in another case", router: bras{ifs: map[int][3]string{15: {"<pppoe-myusername>", "<pppoe-myusername>", ""}}},
			user: "MyUserName", wantIndex: 15, wantNote: "differs in case"},
		{name: "csub in another case", router: bras{csub: map[int]string{257: "John.Doe"}, ifs: ciscoIfs},
			user: "john.doe", wantIndex: 257, wantNote: `using "John.Doe" (csubSessionUsername), which differs in case only`},
		{name: "csub exact beats csub in another case", router: bras{csub: map[int]string{257: "John.Doe", 258: "john.doe"}, ifs: ciscoIfs},
			user: "john.doe", wantIndex: 258},
		{name: "two sessions in another case", router: bras{csub: map[int]string{257: "JOHN.DOE", 258: "John.Doe"}, ifs: ciscoIfs},
			user: "john.doe", wantAmbig: []string{"2 interfaces or sessions", `csubSessionUsername "JOHN.DOE" (ifIndex 257)`, `csubSessionUsername "John.Doe" (ifIndex 258)`}},
		{name: "an exact IF-MIB name beats a session in another case", router: bras{csub: map[int]string{257: "John.Doe"},
			ifs: map[int][3]string{1: {"GigabitEthernet0/0/0", "Gi0/0/0", "john.doe"}, 257: ciscoIfs[257]}},
			user: "john.doe", wantIndex: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &SNMP{Client: tt.router.fake(), Router: "bras1"}
			res, err := r.Resolve(context.Background(), tt.user)
			switch {
			case tt.wantNF:
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("Resolve = %+v, %v; want not found", res, err)
				}
				return
			case tt.wantAmbig != nil:
				var amb *AmbiguousError
				if !errors.As(err, &amb) {
					t.Fatalf("Resolve = %+v, %v; want an *AmbiguousError", res, err)
				}
				for _, s := range tt.wantAmbig {
					if n := strings.Count(err.Error(), s); n != 1 {
						t.Errorf("error mentions %q %d times, want once: %v", s, n, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if res.IfIndex != tt.wantIndex {
				t.Errorf("ifIndex %d, want %d", res.IfIndex, tt.wantIndex)
			}
			if (tt.wantNote == "") != (res.Note == "") || !strings.Contains(res.Note, tt.wantNote) {
				t.Errorf("note %q, want one mentioning %q", res.Note, tt.wantNote)
			}
		})
	}
}

func TestIfMIBMatch(t *testing.T) {
	tests := []struct {
		text, user string
		want       int
	}{
		{"bob", "bob", tierExact},
		{"<pppoe-bob>", "bob", tierExact},
		{"<l2tp-bob>", "bob", tierExact},
		{"<pppoe-Bob>", "bob", tierCase},
		{"<pppoe-bob-1>", "bob", 0},
		{"*** bob ***", "bob", tierWord},
		{"cust:bob", "bob", tierWord},
		{"*** BOB ***", "bob", tierWordCase},
		{"bobby", "bob", 0},
		{"bob@isp.example", "bob", 0},
		{"anna-bob", "bob", 0},
		{"john.doe@isp.example (100M)", "john.doe@isp.example", tierWord},
		{"", "bob", 0},
	}
	for _, tt := range tests {
		if got := ifMIBMatch(tt.text, tt.user); got != tt.want {
			t.Errorf("ifMIBMatch(%q, %q) = %d, want %d", tt.text, tt.user, got, tt.want)
		}
	}
}

func TestNearMatchesArePlausible(t *testing.T) {
	got := nearMatches("bob", []string{"lo", "eth0", "Gi0/0/1", "bo8", "bobby", "Bob", "b"}, maxNear)
	want := []string{"Bob", "bobby", "bo8"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("nearMatches(bob) = %q, want %q", got, want)
	}
	got = nearMatches("MyUserName", []string{"MyUserName2", "myusernam", "anna", "zzz"}, maxNear)
	want = []string{"MyUserName2", "myusernam"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("nearMatches(MyUserName) = %q, want %q", got, want)
	}
}
