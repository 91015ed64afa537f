package snmpconf

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/stg-project/stg/secret"
)

// Key is a directive name, spelled as net-snmp documents it.
type Key string

// The directives Load takes values from.
const (
	KeyVersion        Key = "defVersion"
	KeyCommunity      Key = "defCommunity"
	KeySecName        Key = "defSecurityName"
	KeySecLevel       Key = "defSecurityLevel"
	KeyAuthType       Key = "defAuthType"
	KeyAuthPassphrase Key = "defAuthPassphrase"
	KeyPrivType       Key = "defPrivType"
	KeyPrivPassphrase Key = "defPrivPassphrase"
	KeyPassphrase     Key = "defPassphrase"
	KeyContext        Key = "defContext"
	KeyPort           Key = "defaultPort"
	KeyTimeout        Key = "timeout"
	KeyRetries        Key = "retries"
	KeyTransport      Key = "transport"
)

// Settings Config.Origin answers for: each field of Config is one of these.
// SettingAuthPass and SettingPrivPass come from their own directive or,
// when that is not set, from defPassphrase; Origin.Key says which.
const (
	SettingVersion   = KeyVersion
	SettingCommunity = KeyCommunity
	SettingSecName   = KeySecName
	SettingSecLevel  = KeySecLevel
	SettingAuthProto = KeyAuthType
	SettingAuthPass  = KeyAuthPassphrase
	SettingPrivProto = KeyPrivType
	SettingPrivPass  = KeyPrivPassphrase
	SettingContext   = KeyContext
	SettingPort      = KeyPort
	SettingTimeout   = KeyTimeout
	SettingRetries   = KeyRetries
	SettingTransport = KeyTransport
)

// settingOrder is the order Origins lists settings in.
var settingOrder = []Key{
	SettingVersion, SettingCommunity, SettingSecName, SettingSecLevel,
	SettingAuthProto, SettingAuthPass, SettingPrivProto, SettingPrivPass,
	SettingContext, SettingPort, SettingTimeout, SettingRetries, SettingTransport,
}

// Options says where Load looks. Nothing is read from the process
// environment: the caller passes HOME and SNMPCONFPATH.
type Options struct {
	// FS reads files by absolute path with the leading "/" removed:
	// os.DirFS("/") for the real machine, an fstest.MapFS in tests.
	FS fs.FS
	// Home is the user's home directory; empty means no HOME/.snmp.
	Home string
	// ConfPath is the value of SNMPCONFPATH, a colon-separated list of
	// directories that replaces the default search path when not empty.
	ConfPath string
	// Host is the agent as the user wrote it (bras1, 192.0.2.1,
	// udp:bras1:161); empty means no host file is read.
	Host string
}

// Origin says where a setting came from: a directive in a file.
type Origin struct {
	// Key is the directive, as Load knows it (defPassphrase for a
	// passphrase given by defPassphrase).
	Key Key
	// File is the file's absolute path.
	File string
	// Line is the line number, from 1.
	Line int
}

// String returns "KEY (FILE:LINE)"; it never holds a value.
func (o Origin) String() string { return fmt.Sprintf("%s (%s:%d)", o.Key, o.File, o.Line) }

// Warning is a problem in a file that net-snmp would also report or that
// the user should fix; Load carries on past it.
type Warning struct {
	// File is the file's absolute path.
	File string
	// Line is the line number, from 1; 0 for the file as a whole.
	Line int
	// Msg says what is wrong and what to do; it never holds a secret.
	Msg string
}

// String returns "FILE:LINE: MSG", or "FILE: MSG" for a whole file.
func (w Warning) String() string {
	if w.Line == 0 {
		return fmt.Sprintf("%s: %s", w.File, w.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
}

// Config is what the snmp.conf files set. A field is meaningful only when
// Origin reports it set; the zero value of a field that is not set is not
// a default.
type Config struct {
	// Version is "1", "2c" or "3".
	Version string
	// Community is the SNMPv1/v2c community.
	Community secret.Secret
	// SecName is the SNMPv3 security name.
	SecName string
	// SecLevel is noAuthNoPriv, authNoPriv or authPriv.
	SecLevel string
	// AuthProto is MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512.
	AuthProto string
	// AuthPass is the SNMPv3 authentication passphrase.
	AuthPass secret.Secret
	// PrivProto is DES, AES, AES-192, AES-256, AES-192-C or AES-256-C.
	PrivProto string
	// PrivPass is the SNMPv3 privacy passphrase.
	PrivPass secret.Secret
	// Context is the SNMPv3 context name.
	Context string
	// Port is the default agent port (defaultPort).
	Port int
	// Timeout is the wait for one response, in whole seconds in the file.
	Timeout time.Duration
	// Retries is how often a request is resent.
	Retries int
	// Transport is where a host file sends the host ("transport
	// tcp:rtr1.example.net:1161"), as net-snmp's AGENT syntax.
	Transport string

	// Files lists the files read, in order.
	Files []string
	// Warnings lists problems found, in the order met.
	Warnings []Warning

	origins map[Key]Origin
}

// Origin returns where setting s (a Setting* constant) was set, and
// whether it was.
func (c *Config) Origin(s Key) (Origin, bool) {
	o, ok := c.origins[s]
	return o, ok
}

// Origins lists where each set setting came from, in the order of the
// Setting* constants, for a --debug log: names and places, never values.
func (c *Config) Origins() []Origin {
	var out []Origin
	for _, k := range settingOrder {
		if o, ok := c.origins[k]; ok {
			out = append(out, o)
		}
	}
	return out
}

// NetSNMPDefaultAuthProto and NetSNMPDefaultPrivProto are the protocols
// net-snmp 5.9 (as built by Debian) uses when a passphrase is given
// without defAuthType or defPrivType. stg's own defaults (SHA, AES) differ.
const (
	NetSNMPDefaultAuthProto = "MD5"
	NetSNMPDefaultPrivProto = "DES"
)

// errNoFS is returned by Load when Options.FS is nil.
var errNoFS = errors.New("snmpconf: Options.FS is nil")

// Load reads the snmp.conf files opts names, as described in the package
// documentation. Files that do not exist are skipped. It returns an error
// only for opts without an FS; everything else is a Warning.
func Load(opts Options) (*Config, error) {
	if opts.FS == nil {
		return nil, errNoFS
	}
	r := newReader(opts)
	r.readType(r.dirs, "snmp", sectionSnmp)
	r.readType(r.dirs, "snmpapp", sectionSnmpapp)
	if isHostFileName(opts.Host) && !r.dontLoadHostConfig {
		r.readType(r.dirs, "hosts/"+opts.Host, sectionSnmp)
	}
	return r.result(), nil
}

// HostNames lists the hosts that have a net-snmp host file
// (hosts/NAME.conf or hosts/NAME.local.conf) in the search path, sorted,
// for shell completion. Names net-snmp would never load (with a ':' or
// '_') are left out.
func HostNames(opts Options) ([]string, error) {
	if opts.FS == nil {
		return nil, errNoFS
	}
	seen := map[string]bool{}
	var names []string
	for _, dir := range newReader(opts).dirs {
		p, ok := fsPath(path.Join(dir, "hosts"))
		if !ok {
			continue
		}
		entries, err := fs.ReadDir(opts.FS, p)
		if err != nil {
			continue
		}
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".conf")
			if !ok || e.IsDir() {
				continue
			}
			name = strings.TrimSuffix(name, ".local")
			if isHostFileName(name) && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names, nil
}
