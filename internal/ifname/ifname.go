// Package ifname normalises Cisco interface names: it expands abbreviations
// such as "Vi1.195" or "gi 0/1" to their full form and compares names the way
// IOS accepts them (case-insensitive, optional space before the number).
package ifname

import (
	"strings"
	"unicode"
)

// abbreviations maps a lower-case short prefix to the full IOS type name.
// Order matters for Expand: longer prefixes first where they share letters.
var abbreviations = []struct{ short, full string }{
	{"vi", "Virtual-Access"},
	{"vt", "Virtual-Template"},
	{"vp", "Virtual-PPP"},
	{"di", "Dialer"},
	{"gi", "GigabitEthernet"},
	{"te", "TenGigabitEthernet"},
	{"fa", "FastEthernet"},
	{"be", "Bundle-Ether"},
	{"hu", "HundredGigE"},
	{"fo", "FortyGigabitEthernet"},
	{"tw", "TwentyFiveGigE"},
	{"po", "Port-channel"},
	{"lo", "Loopback"},
	{"mu", "Multilink"},
	{"tu", "Tunnel"},
	{"se", "Serial"},
	{"et", "Ethernet"},
	{"vl", "Vlan"},
}

// split cuts a name into its alphabetic type and the rest (the number part),
// dropping spaces between them: "Virtual-Access 1.195" → "Virtual-Access", "1.195".
func split(name string) (typ, rest string) {
	name = strings.TrimSpace(name)
	i := strings.IndexFunc(name, func(r rune) bool { return unicode.IsDigit(r) })
	if i < 0 {
		return name, ""
	}
	return strings.TrimSpace(name[:i]), name[i:]
}

// Expand returns the full IOS form of name: "Vi1.195" and "vi 1.195" become
// "Virtual-Access1.195". A type that is already full (in any case) is written
// in its canonical case; names it does not know are returned trimmed.
func Expand(name string) string {
	typ, rest := split(name)
	if rest == "" {
		return strings.TrimSpace(name)
	}
	lt := strings.ToLower(typ)
	for _, a := range abbreviations {
		full := strings.ToLower(a.full)
		if lt == a.short || (len(lt) >= 2 && strings.HasPrefix(full, lt) && strings.HasPrefix(lt, a.short)) {
			return a.full + rest
		}
	}
	return typ + rest
}

// Abbreviate returns the short IOS form of name: "Virtual-Access1.195"
// becomes "Vi1.195". Names it does not know are returned trimmed.
func Abbreviate(name string) string {
	full := Expand(name)
	typ, rest := split(full)
	for _, a := range abbreviations {
		if typ == a.full {
			return strings.ToUpper(a.short[:1]) + a.short[1:] + rest
		}
	}
	return full
}

// Equal reports whether two interface names denote the same interface, the
// way IOS reads them: "Vi1.195", "vi 1.195" and "Virtual-Access1.195" are equal.
func Equal(a, b string) bool {
	return strings.EqualFold(Expand(a), Expand(b))
}
