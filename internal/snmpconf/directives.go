package snmpconf

import (
	"io/fs"
	"strings"

	"github.com/stg-project/stg/internal/levenshtein"
	"github.com/stg-project/stg/secret"
)

// Directives Load knows but takes no value from.
const (
	keyDontLoadHostConfig = "dontLoadHostConfig"
)

// keysUnsupported hold SNMPv3 keys stg cannot use: a file setting one
// gets a warning, as the user otherwise wonders why stg fails where
// snmpget works.
var keysUnsupported = []string{"defAuthMasterKey", "defPrivMasterKey", "defAuthLocalizedKey", "defPrivLocalizedKey"}

// secretKeys are the directives whose value is a secret.
var secretKeys = map[string]bool{
	strings.ToLower(string(KeyCommunity)): true, strings.ToLower(string(KeyPassphrase)): true,
	strings.ToLower(string(KeyAuthPassphrase)): true, strings.ToLower(string(KeyPrivPassphrase)): true,
	"defauthmasterkey": true, "defprivmasterkey": true, "defauthlocalizedkey": true, "defprivlocalizedkey": true,
}

// knownKeys maps each directive Load handles, in lower case, to its
// spelling.
var knownKeys = func() map[string]string {
	m := map[string]string{strings.ToLower(keyDontLoadHostConfig): keyDontLoadHostConfig}
	for _, k := range []Key{KeyVersion, KeyCommunity, KeySecName, KeySecLevel, KeyAuthType, KeyAuthPassphrase,
		KeyPrivType, KeyPrivPassphrase, KeyPassphrase, KeyContext, KeyPort, KeyTimeout, KeyRetries, KeyTransport} {
		m[strings.ToLower(string(k))] = string(k)
	}
	for _, k := range keysUnsupported {
		m[strings.ToLower(k)] = k
	}
	return m
}()

// directive handles one directive of the snmp section.
func (r *reader) directive(file string, n int, token, value string, hasValue bool) {
	lower := strings.ToLower(token)
	name, known := knownKeys[lower]
	if !known {
		r.nearMiss(file, n, token)
		return
	}
	if !hasValue {
		r.warn(file, n, "%s has no value: line ignored", name)
		return
	}
	value = trimRightSpace(value)
	if secretKeys[lower] {
		r.checkPerm(file, n, name)
	}
	o := Origin{Key: Key(name), File: file, Line: n}
	c := &r.cfg
	switch Key(name) {
	case KeyVersion:
		if v, ok := parseVersion(value); ok {
			c.Version = v
			c.origins[SettingVersion] = o
		} else {
			r.warn(file, n, "unknown defVersion %q (use 1, 2c or 3): line ignored", value)
		}
	case KeySecLevel:
		if v, ok := parseSecLevel(value); ok {
			c.SecLevel = v
			c.origins[SettingSecLevel] = o
		} else {
			r.warn(file, n, "unknown defSecurityLevel %q (use noAuthNoPriv, authNoPriv or authPriv): line ignored", value)
		}
	case KeyAuthType:
		r.proto(o, value, authAlgs, &c.AuthProto, SettingAuthProto)
	case KeyPrivType:
		r.proto(o, value, privAlgs, &c.PrivProto, SettingPrivProto)
	case KeyCommunity:
		c.Community = secret.Secret(stringValue(value))
		c.origins[SettingCommunity] = o
	case KeySecName:
		c.SecName = stringValue(value)
		c.origins[SettingSecName] = o
	case KeyContext:
		c.Context = stringValue(value)
		c.origins[SettingContext] = o
	case KeyTransport:
		c.Transport = stringValue(value)
		c.origins[SettingTransport] = o
	case KeyAuthPassphrase:
		r.authPass, r.authOrigin = secret.Secret(stringValue(value)), o
	case KeyPrivPassphrase:
		r.privPass, r.privOrigin = secret.Secret(stringValue(value)), o
	case KeyPassphrase:
		r.pass, r.origin = secret.Secret(stringValue(value)), o
	case KeyPort, KeyTimeout, KeyRetries:
		r.integer(o, value)
	case keyDontLoadHostConfig:
		if v, ok := parseBool(value); ok {
			r.dontLoadHostConfig = v
		} else {
			r.warn(file, n, "dontLoadHostConfig %q: use yes, no, true, false, 1 or 0", value)
		}
	default: // one of keysUnsupported
		r.warn(file, n, "stg does not use %s: give the passphrase instead (defAuthPassphrase, defPrivPassphrase)", name)
	}
}

// proto sets a protocol from net-snmp's table; an unknown name resets it
// to the default, as net-snmp does.
func (r *reader) proto(o Origin, value string, table []alg, dst *string, setting Key) {
	a, ok := lookupAlg(table, value)
	switch {
	case !ok:
		r.warn(o.File, o.Line, "unknown %s %q: the default is used", o.Key, value)
	case a.name == "":
		r.warn(o.File, o.Line, "%s %s is not supported by stg: the default is used", o.Key, a.label)
	default:
		*dst = a.name
		r.cfg.origins[setting] = o
		return
	}
	*dst = ""
	delete(r.cfg.origins, setting)
}

// integer sets defaultPort, timeout or retries. A timeout of 0 or less,
// or negative retries, mean net-snmp's default and clear an earlier value.
func (r *reader) integer(o Origin, value string) {
	v, ok := parseInt(value)
	if !ok {
		r.warn(o.File, o.Line, "%s %q is not a whole number: line ignored", o.Key, value)
		return
	}
	c := &r.cfg
	switch o.Key {
	case KeyPort:
		if v < 1 || v > 65535 {
			r.warn(o.File, o.Line, "defaultPort %d is not from 1 to 65535: line ignored", v)
			return
		}
		c.Port = v
	case KeyTimeout:
		if v <= 0 {
			c.Timeout = 0
			delete(c.origins, SettingTimeout)
			return
		}
		c.Timeout = seconds(v)
	case KeyRetries:
		if v < 0 {
			c.Retries = 0
			delete(c.origins, SettingRetries)
			return
		}
		c.Retries = v
	}
	c.origins[o.Key] = o
}

// nearMiss warns about an unknown directive that is one or two edits
// from a known one; other unknown directives are ignored silently.
func (r *reader) nearMiss(file string, n int, token string) {
	lower := strings.ToLower(token)
	if before, _, ok := strings.Cut(lower, "="); ok {
		if name, known := knownKeys[before]; known {
			r.warn(file, n, "%s: put a blank, not '=', between %s and its value", name, name)
			return
		}
	}
	if len(lower) < 6 {
		return
	}
	best, bestDist := "", 3
	for k, name := range knownKeys {
		d := levenshtein.Distance(lower, k, 2)
		if d < bestDist || d == bestDist && name < best {
			best, bestDist = name, d
		}
	}
	if best != "" {
		r.warn(file, n, "unknown directive %s: did you mean %s?", token, best)
	}
}

// checkPerm warns, once per file, when a file holding a secret can be
// read by its group or others.
func (r *reader) checkPerm(file string, n int, key string) {
	if r.permChecked[file] {
		return
	}
	r.permChecked[file] = true
	p, _ := fsPath(file)
	info, err := fs.Stat(r.fsys, p)
	if err != nil {
		return
	}
	if mode := info.Mode().Perm(); mode&0o044 != 0 {
		r.warn(file, n, "holds %s but can be read by others (mode %04o): chmod 600 %s", key, mode, file)
	}
}
