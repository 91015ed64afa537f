package snmp

import (
	"fmt"
	"strings"
)

// Version is an SNMP protocol version.
type Version string

// The SNMP versions stg speaks.
const (
	Version1  Version = "1"
	Version2c Version = "2c"
	Version3  Version = "3"
)

// Canonical names of the SNMPv3 security levels, as net-snmp spells them.
const (
	levelNoAuthNoPriv = "noAuthNoPriv"
	levelAuthNoPriv   = "authNoPriv"
	levelAuthPriv     = "authPriv"
)

// The accepted spellings of each enumerated setting, folded by foldKey,
// and the canonical names they stand for, in the order help lists them.
var (
	versionNames = []spelling{
		{"1", "1"}, {"V1", "1"}, {"2C", "2c"}, {"V2C", "2c"}, {"2", "2c"}, {"3", "3"}, {"V3", "3"},
	}
	levelNames = []spelling{
		{"NOAUTHNOPRIV", levelNoAuthNoPriv}, {"NOAUTH", levelNoAuthNoPriv}, {"1", levelNoAuthNoPriv},
		{"AUTHNOPRIV", levelAuthNoPriv}, {"AUTH", levelAuthNoPriv}, {"2", levelAuthNoPriv},
		{"AUTHPRIV", levelAuthPriv}, {"PRIV", levelAuthPriv}, {"3", levelAuthPriv},
	}
	authNames = []spelling{
		{"MD5", "MD5"}, {"SHA", "SHA"}, {"SHA1", "SHA"}, {"SHA224", "SHA-224"},
		{"SHA256", "SHA-256"}, {"SHA384", "SHA-384"}, {"SHA512", "SHA-512"},
	}
	privNames = []spelling{
		{"DES", "DES"}, {"AES", "AES"}, {"AES128", "AES"}, {"AES192", "AES-192"},
		{"AES256", "AES-256"}, {"AES192C", "AES-192-C"}, {"AES256C", "AES-256-C"},
	}
)

// spelling maps one folded spelling to a canonical name.
type spelling struct{ key, name string }

// ParseVersion reads an SNMP version as net-snmp's -v takes it: 1, 2c or 3,
// in any case, with or without a leading v (and 2 for 2c).
func ParseVersion(s string) (Version, error) {
	name, err := lookup(s, versionNames, SettingVersion)
	return Version(name), err
}

// ParseSecLevel reads an SNMPv3 security level: noAuthNoPriv, authNoPriv or
// authPriv in any case, or net-snmp's short forms (noauth, auth, priv, 1-3).
func ParseSecLevel(s string) (string, error) { return lookup(s, levelNames, SettingSecLevel) }

// ParseAuthProto reads an SNMPv3 authentication protocol (MD5, SHA,
// SHA-224, SHA-256, SHA-384, SHA-512; any case, '-' and '_' ignored) and
// returns its canonical name.
func ParseAuthProto(s string) (string, error) { return lookup(s, authNames, SettingAuthProto) }

// ParsePrivProto reads an SNMPv3 privacy protocol (DES, AES, AES-192,
// AES-256, AES-192-C, AES-256-C; any case, '-' and '_' ignored) and
// returns its canonical name.
func ParsePrivProto(s string) (string, error) { return lookup(s, privNames, SettingPrivProto) }

// Versions returns the canonical SNMP versions, for help and completion.
func Versions() []string { return names(versionNames) }

// SecLevels returns the canonical SNMPv3 security levels.
func SecLevels() []string { return names(levelNames) }

// AuthProtos returns the canonical SNMPv3 authentication protocols.
func AuthProtos() []string { return names(authNames) }

// PrivProtos returns the canonical SNMPv3 privacy protocols.
func PrivProtos() []string { return names(privNames) }

// lookup finds s among the spellings of a setting.
func lookup(s string, known []spelling, setting Setting) (string, error) {
	key := foldKey(s)
	for _, k := range known {
		if k.key == key {
			return k.name, nil
		}
	}
	e := &ConfigError{Setting: setting, Problem: Unknown, Value: s, Accepted: names(known)}
	e.msg = fmt.Sprintf("unknown %s %q (use %s)", setting, s, OrList(e.Accepted))
	return "", e
}

// foldKey folds a spelling for lookup: upper case, no blanks around it, no
// '-' or '_'.
func foldKey(s string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToUpper(strings.TrimSpace(s)))
}

// names returns the canonical names of spellings, each once, in order.
func names(known []spelling) []string {
	var out []string
	for _, k := range known {
		if len(out) == 0 || out[len(out)-1] != k.name {
			out = append(out, k.name)
		}
	}
	return out
}

// OrList joins words as "a, b or c".
func OrList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// Setting names what a ConfigError is about.
type Setting string

// The settings Validate and the Parse functions refuse values of.
const (
	SettingVersion   Setting = "SNMP version"
	SettingCommunity Setting = "community"
	SettingSecName   Setting = "security name"
	SettingSecLevel  Setting = "security level"
	SettingAuthProto Setting = "authentication protocol"
	SettingAuthPass  Setting = "authentication passphrase"
	SettingPrivProto Setting = "privacy protocol"
	SettingPrivPass  Setting = "privacy passphrase"
	SettingRetries   Setting = "retries"
)

// Problem says what is wrong with a setting.
type Problem int

// The problems of a ConfigError.
const (
	// Unknown is a value that is none of Accepted.
	Unknown Problem = iota + 1
	// Missing is a setting the version or Level needs that is not given.
	Missing
	// TooShort is a passphrase shorter than MinPassphrase.
	TooShort
	// Negative is a number below 0.
	Negative
)

// ConfigError is a setting of a Config that Validate (or a Parse function)
// refuses. Its message is one line for the user; a command line may word
// it in its own flags from the fields. It never holds a secret.
type ConfigError struct {
	// Setting is what is wrong, Problem how.
	Setting Setting
	Problem Problem
	// Value is the value refused for Unknown and Negative; "" otherwise
	// (a passphrase is never quoted).
	Value string
	// Accepted are the canonical values, for Unknown.
	Accepted []string
	// Level is the SNMPv3 security level that needs a missing or too short
	// passphrase.
	Level string

	msg string
}

// Error returns the one-line message.
func (e *ConfigError) Error() string { return e.msg }
