// Package ifname compares interface names the way network engineers type
// them: "Vi1.195" is Cisco IOS's Virtual-Access1.195, "Te0/0/0/3" is
// IOS-XR's TenGigE0/0/0/3, "GE0/3/4" is Huawei VRP's GigabitEthernet0/3/4.
// Names are compared case-insensitively, with an optional space before the
// number; names no vendor abbreviates (Junos "ge-0/0/0", Linux "eth0") only
// match themselves.
package ifname

import (
	"strings"
	"unicode"
)

// family is one interface type under all the names vendors give it.
type family struct {
	// key is the canonical short form, lower case; IOS writes it with a
	// capital first letter ("Vi", "Gi").
	key string
	// full are the full type names; the first is the one Expand writes.
	full []string
	// short are other short forms, lower case.
	short []string
}

// families lists the interface types stg knows short forms of: Cisco IOS,
// IOS-XE and IOS-XR, NX-OS and Huawei VRP.
var families = []family{
	{"vi", []string{"Virtual-Access"}, nil},
	{"vt", []string{"Virtual-Template"}, nil},
	{"vp", []string{"Virtual-PPP"}, nil},
	{"di", []string{"Dialer"}, nil},
	{"gi", []string{"GigabitEthernet"}, []string{"ge"}},
	{"te", []string{"TenGigabitEthernet", "TenGigE"}, nil},
	{"xge", []string{"XGigabitEthernet"}, []string{"xg"}},
	{"fa", []string{"FastEthernet"}, nil},
	{"be", []string{"Bundle-Ether"}, nil},
	{"hu", []string{"HundredGigE", "HundredGigabitEthernet"}, nil},
	{"fh", []string{"FourHundredGigE", "FourHundredGigabitEthernet"}, nil},
	{"fo", []string{"FortyGigabitEthernet", "FortyGigE"}, nil},
	{"twe", []string{"TwentyFiveGigE", "TwentyFiveGigabitEthernet"}, []string{"tf"}},
	{"tw", []string{"TwoGigabitEthernet"}, nil},
	{"fi", []string{"FiveGigabitEthernet"}, nil},
	{"ap", []string{"AppGigabitEthernet"}, nil},
	{"po", []string{"Port-channel"}, nil},
	{"lo", []string{"Loopback"}, nil},
	{"mu", []string{"Multilink"}, nil},
	{"tu", []string{"Tunnel"}, nil},
	{"se", []string{"Serial"}, nil},
	{"et", []string{"Ethernet"}, []string{"eth"}},
	{"vl", []string{"Vlan"}, nil},
	{"nu", []string{"Null"}, nil},
	{"mg", []string{"MgmtEth"}, nil},
}

// Quality says how well a typed name denotes an interface name; a larger
// value is a better match.
type Quality int

// The qualities Match returns, worst first.
const (
	// NoMatch means the names denote different interfaces.
	NoMatch Quality = iota
	// Abbreviated is a type cut short the way IOS accepts it: "Gig0/1",
	// "Virt1.195", "TenGig0/0/0/3".
	Abbreviated
	// ShortForm is a vendor's short form or another vendor's full name of
	// the same type: "Te0/0/0/3" for TenGigE0/0/0/3, "GE0/3/4" for
	// GigabitEthernet0/3/4, "TenGigabitEthernet0/1" for "Te0/1".
	ShortForm
	// CaseOnly is the same name in another case or with a space before the
	// number: "gi 0/1" for "Gi0/1".
	CaseOnly
	// Exact is the very same text.
	Exact
)

// split cuts a name into its type and the rest (the number part), dropping
// spaces between them: "Virtual-Access 1.195" → "Virtual-Access", "1.195".
func split(name string) (typ, rest string) {
	name = strings.TrimSpace(name)
	i := strings.IndexFunc(name, unicode.IsDigit)
	if i < 0 {
		return name, ""
	}
	// A type that is all digits and letters, such as Huawei's "40GE" or
	// "100GE", is a whole type: cut after its letters instead.
	if i == 0 {
		j := strings.IndexFunc(name, func(r rune) bool { return !unicode.IsDigit(r) })
		if j < 0 {
			return "", name
		}
		k := strings.IndexFunc(name[j:], unicode.IsDigit)
		if k < 0 {
			return name, ""
		}
		return name[:j+k], name[j+k:]
	}
	return strings.TrimSpace(name[:i]), name[i:]
}

// lookup returns the family a type belongs to and how: ShortForm for its
// key, a short form or a full name, Abbreviated for a cut-short full name.
func lookup(typ string) (*family, Quality) {
	lt := strings.ToLower(typ)
	if len(lt) < 2 {
		return nil, NoMatch
	}
	for i := range families {
		f := &families[i]
		if lt == f.key {
			return f, ShortForm
		}
		for _, s := range f.short {
			if lt == s {
				return f, ShortForm
			}
		}
		for _, full := range f.full {
			if lt == strings.ToLower(full) {
				return f, ShortForm
			}
		}
	}
	for i := range families {
		f := &families[i]
		if !strings.HasPrefix(lt, f.key) {
			continue
		}
		for _, full := range f.full {
			if strings.HasPrefix(strings.ToLower(full), lt) {
				return f, Abbreviated
			}
		}
	}
	return nil, NoMatch
}

// compact is a name with the spaces between its type and number removed.
func compact(name string) string {
	typ, rest := split(name)
	return typ + rest
}

// Match says how well typed denotes the interface called name. The number
// parts must be equal (ignoring case); the types equal, or two names of
// one type of interface.
func Match(typed, name string) Quality {
	if typed == name {
		return Exact
	}
	if strings.EqualFold(compact(typed), compact(name)) {
		return CaseOnly
	}
	tt, tr := split(typed)
	nt, nr := split(name)
	if tr == "" || !strings.EqualFold(tr, nr) {
		return NoMatch
	}
	nf, nq := lookup(nt)
	if nf == nil || nq != ShortForm {
		return NoMatch
	}
	tf, tq := lookup(tt)
	if tf != nf {
		return NoMatch
	}
	return tq
}

// Equal reports whether two interface names denote the same interface:
// "Vi1.195", "vi 1.195" and "Virtual-Access1.195" are equal, and so are
// "Te0/0/0/3" and "TenGigE0/0/0/3".
func Equal(a, b string) bool {
	return Match(a, b) != NoMatch || Match(b, a) != NoMatch
}

// Canonical returns a form of name that two names of one interface share:
// the lower-case short type and the number, "te0/0/0/3" for both
// "Te0/0/0/3" and "TenGigE0/0/0/3". Names of unknown types are lower-cased
// without spaces. It is meant for measuring how close two names are.
func Canonical(name string) string {
	typ, rest := split(name)
	if f, q := lookup(typ); f != nil && rest != "" && q != NoMatch {
		return f.key + strings.ToLower(rest)
	}
	return strings.ToLower(typ + rest)
}

// Expand returns the full Cisco IOS form of name: "Vi1.195" and
// "vi 1.195" become "Virtual-Access1.195", "Te0/1" becomes
// "TenGigabitEthernet0/1". A type that is already full (in any case) is
// written in its canonical case; names it does not know are returned
// trimmed.
func Expand(name string) string {
	typ, rest := split(name)
	if rest == "" {
		return strings.TrimSpace(name)
	}
	if f, q := lookup(typ); f != nil && q != NoMatch {
		for _, full := range f.full {
			if strings.EqualFold(full, typ) {
				return full + rest
			}
		}
		return f.full[0] + rest
	}
	return typ + rest
}

// Abbreviate returns the short Cisco form of name: "Virtual-Access1.195"
// becomes "Vi1.195", "TenGigE0/0/0/3" becomes "Te0/0/0/3". Names of types
// it does not know by name (MikroTik's "ether1", NX-OS's "mgmt0") are
// returned trimmed.
func Abbreviate(name string) string {
	typ, rest := split(name)
	if f, q := lookup(typ); f != nil && q == ShortForm && rest != "" {
		return strings.ToUpper(f.key[:1]) + f.key[1:] + rest
	}
	return strings.TrimSpace(name)
}
