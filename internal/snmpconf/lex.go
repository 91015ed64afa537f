package snmpconf

import "strings"

// isCSpace reports whether b is white space for C's isspace in the "C"
// locale, which is what net-snmp's parser tests.
func isCSpace(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// skipWhite drops leading white space. Like net-snmp's skip_white it
// reports false when nothing is left or the rest starts with '#'.
func skipWhite(s string) (string, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	s = s[i:]
	if s == "" || s[0] == '#' {
		return "", false
	}
	return s, true
}

// trimRightSpace drops trailing white space, as net-snmp does to a value
// before handing it to a directive's handler.
func trimRightSpace(s string) string {
	i := len(s)
	for i > 0 && isCSpace(s[i-1]) {
		i--
	}
	return s[:i]
}

// nextWord splits the next word off s, as net-snmp's copy_nword: a word is
// text up to white space, or the text between a pair of double or single
// quotes; a backslash takes the next character as it is. rest is what
// follows after white space, with ok false when nothing or a comment
// follows.
func nextWord(s string) (word, rest string, ok bool) {
	var b strings.Builder
	i := 0
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		quote := s[0]
		i = 1
		for i < len(s) && s[i] != quote {
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			b.WriteByte(s[i])
			i++
		}
		if i < len(s) {
			i++ // the closing quote
		}
	} else {
		for i < len(s) && !isCSpace(s[i]) {
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			b.WriteByte(s[i])
			i++
		}
	}
	rest, ok = skipWhite(s[i:])
	return b.String(), rest, ok
}

// stringValue is a string directive's value as net-snmp stores it: the
// quoted word when the value starts with a double quote, else the whole
// value.
func stringValue(v string) string {
	if strings.HasPrefix(v, `"`) {
		w, _, _ := nextWord(v)
		return w
	}
	return v
}

// firstWord is the value's first word, split at blanks, tabs and newlines
// as net-snmp's strtok(" \t\n") does for numbers and booleans.
func firstWord(v string) string {
	f := strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
