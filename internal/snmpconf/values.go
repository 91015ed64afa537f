package snmpconf

import (
	"strconv"
	"strings"
)

// parseVersion reads defVersion as net-snmp's version_conf: "1" and "v1"
// exactly, "2c", "v2c", "3" and "v3" in any case.
func parseVersion(v string) (string, bool) {
	switch {
	case v == "1" || v == "v1":
		return "1", true
	case strings.EqualFold(v, "2c") || strings.EqualFold(v, "v2c"):
		return "2c", true
	case strings.EqualFold(v, "3") || strings.EqualFold(v, "v3"):
		return "3", true
	}
	return "", false
}

// parseSecLevel reads defSecurityLevel as net-snmp's parse_secLevel_conf.
func parseSecLevel(v string) (string, bool) {
	switch {
	case strings.EqualFold(v, "noAuthNoPriv") || v == "1" || strings.EqualFold(v, "nanp"):
		return "noAuthNoPriv", true
	case strings.EqualFold(v, "authNoPriv") || v == "2" || strings.EqualFold(v, "anp"):
		return "authNoPriv", true
	case strings.EqualFold(v, "authPriv") || v == "3" || strings.EqualFold(v, "ap"):
		return "authPriv", true
	}
	return "", false
}

// alg is one entry of net-snmp's protocol tables: the label it matches
// and stg's name for it ("" for "none").
type alg struct{ label, name string }

// authAlgs and privAlgs are net-snmp 5.9's tables, in its order: a value
// selects the first label it is a prefix of, in any case ("sha-2" is
// SHA-224), as usm_lookup_alg_type does.
var (
	authAlgs = []alg{
		{"NOAUTH", ""}, {"SHA", "SHA"}, {"SHA-1", "SHA"}, {"SHA1", "SHA"},
		{"MD5", "MD5"}, {"SHA-224", "SHA-224"}, {"SHA224", "SHA-224"},
		{"SHA-256", "SHA-256"}, {"SHA256", "SHA-256"}, {"SHA-384", "SHA-384"},
		{"SHA384", "SHA-384"}, {"SHA-512", "SHA-512"}, {"SHA512", "SHA-512"},
	}
	privAlgs = []alg{
		{"NOPRIV", ""}, {"DES", "DES"}, {"AES", "AES"}, {"AES-128", "AES"},
		{"AES128", "AES"}, {"AES-192", "AES-192"}, {"AES192", "AES-192"},
		{"AES-256", "AES-256"}, {"AES256", "AES-256"}, {"AES-192-C", "AES-192-C"},
		{"AES192C", "AES-192-C"}, {"AES-256-C", "AES-256-C"}, {"AES256C", "AES-256-C"},
	}
)

// lookupAlg finds v in table; found is false when no label starts with v.
func lookupAlg(table []alg, v string) (a alg, found bool) {
	for _, a := range table {
		if len(v) <= len(a.label) && strings.EqualFold(a.label[:len(v)], v) {
			return a, true
		}
	}
	return alg{}, false
}

// parseInt reads an integer directive as net-snmp: the first word, all of
// it a decimal number with an optional sign.
func parseInt(v string) (int, bool) {
	n, err := strconv.Atoi(firstWord(v))
	return n, err == nil
}

// parseBool reads a boolean directive as net-snmp's
// netsnmp_ds_parse_boolean: yes, true, no, false in any case, 0 or 1.
func parseBool(v string) (value, ok bool) {
	w := firstWord(v)
	switch {
	case strings.EqualFold(w, "yes") || strings.EqualFold(w, "true"):
		return true, true
	case strings.EqualFold(w, "no") || strings.EqualFold(w, "false"):
		return false, true
	}
	n, ok := parseInt(w)
	if !ok || n < 0 || n > 1 {
		return false, false
	}
	return n == 1, true
}
