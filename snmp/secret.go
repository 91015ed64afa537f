package snmp

// Secret holds a community string, passphrase or password. Its String and
// GoString methods print "<redacted>", so a Secret can be passed to fmt, a
// logger or a panic without leaking. Use Reveal only where the library needs
// the clear text.
type Secret string

// String returns "<redacted>" for a set secret and "" for an empty one.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "<redacted>"
}

// GoString keeps %#v from printing the secret.
func (s Secret) GoString() string { return s.String() }

// MarshalText keeps encoders (JSON, text) from writing the secret.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the clear text for the SNMP or SSH library.
func (s Secret) Reveal() string { return string(s) }
