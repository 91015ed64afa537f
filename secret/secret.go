// Package secret keeps stg's secrets (communities, passphrases, passwords)
// out of everything it prints: a Secret formats as "<redacted>", and
// Redact takes the clear text of secrets out of a message that may quote
// them (an error of a library, a line for the debug log).
package secret

import "strings"

// Secret holds a community string, passphrase or password. Its String and
// GoString methods print "<redacted>", so a Secret can be passed to fmt, a
// logger or a panic without leaking. Use Reveal only where a library needs
// the clear text.
type Secret string

// Redacted is what a set Secret prints instead of its text.
const Redacted = "<redacted>"

// String returns Redacted for a set secret and "" for an empty one.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Redacted
}

// GoString keeps %#v from printing the secret.
func (s Secret) GoString() string { return s.String() }

// MarshalText keeps encoders (JSON, text) from writing the secret.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the clear text for the SNMP or SSH library.
func (s Secret) Reveal() string { return string(s) }

// Redact returns msg with the clear text of every secret replaced by
// Redacted. It is the one place stg takes secrets out of text.
func Redact(msg string, secrets ...Secret) string {
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s.Reveal(), Redacted)
		}
	}
	return msg
}

// RedactError returns err unchanged when its message holds none of the
// secrets, and otherwise an error whose message is Redact's and which
// still unwraps to err, for errors.Is and errors.As.
func RedactError(err error, secrets ...Secret) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if redacted := Redact(msg, secrets...); redacted != msg {
		return &redactedError{msg: redacted, err: err}
	}
	return err
}

// redactedError shows a message with the secrets taken out, keeping the
// chain of the error it stands for.
type redactedError struct {
	msg string
	err error
}

// Error returns the redacted message.
func (e *redactedError) Error() string { return e.msg }

// Unwrap returns the error whose message was redacted.
func (e *redactedError) Unwrap() error { return e.err }
