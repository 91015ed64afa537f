package snmp

import (
	"fmt"
	"strings"
	"time"

	"github.com/stg-project/stg/secret"
)

// Defaults Dial uses for zero Config fields.
const (
	// DefaultTimeout is the wait for one response.
	DefaultTimeout = time.Second
	// DefaultMaxRepetitions is the GETBULK max-repetitions of walks.
	DefaultMaxRepetitions = 50
)

// Config is how to reach and authenticate to one SNMP agent.
type Config struct {
	// Target is the agent's address.
	Target Target
	// Version is "1", "2c" (the default) or "3".
	Version string
	// Community is the SNMPv1/v2c community.
	Community secret.Secret
	// SecLevel is noAuthNoPriv, authNoPriv or authPriv (any case). Empty
	// means the strongest level the passphrases given allow.
	SecLevel string
	// SecName is the SNMPv3 user (net-snmp's -u).
	SecName string
	// AuthProto is MD5, SHA (the default), SHA-224, SHA-256, SHA-384 or SHA-512.
	AuthProto string
	// AuthPass is the SNMPv3 authentication passphrase.
	AuthPass secret.Secret
	// PrivProto is DES, AES (the default), AES-192, AES-256, AES-192-C or
	// AES-256-C (Cisco's key extension).
	PrivProto string
	// PrivPass is the SNMPv3 privacy passphrase.
	PrivPass secret.Secret
	// Context is the SNMPv3 context name.
	Context string
	// Timeout is the wait for one response; 0 means DefaultTimeout.
	Timeout time.Duration
	// Retries is how often a request is resent after a timeout, as
	// net-snmp's -r (whose default is 5); a request whose context ends
	// first is not resent. There is no exponential back-off.
	Retries int
	// MaxRepetitions is the GETBULK max-repetitions; 0 means
	// DefaultMaxRepetitions.
	MaxRepetitions int
}

// Canonical names of security levels and protocols, as net-snmp spells them.
const (
	levelNoAuthNoPriv = "noAuthNoPriv"
	levelAuthNoPriv   = "authNoPriv"
	levelAuthPriv     = "authPriv"
)

// authNames and privNames map a protocol name, upper case without '-' or
// '_', to its canonical spelling.
var (
	authNames = map[string]string{
		"MD5": "MD5", "SHA": "SHA", "SHA1": "SHA", "SHA224": "SHA-224",
		"SHA256": "SHA-256", "SHA384": "SHA-384", "SHA512": "SHA-512",
	}
	privNames = map[string]string{
		"DES": "DES", "AES": "AES", "AES128": "AES", "AES192": "AES-192",
		"AES256": "AES-256", "AES192C": "AES-192-C", "AES256C": "AES-256-C",
	}
)

// minPassphrase is the shortest passphrase RFC 3414 implementations accept.
const minPassphrase = 8

// checkedConfig is a validated Config with canonical names and defaults.
type checkedConfig struct {
	version        string // "1", "2c" or "3"
	level          string // v3 only: a level* constant
	auth, priv     string // v3 only: canonical names, "" when unused
	timeout        time.Duration
	maxRepetitions int
}

// Validate checks the configuration and returns one clear line for the first
// problem. It never quotes a secret.
func (c Config) Validate() error {
	_, err := c.check()
	return err
}

func (c Config) check() (checkedConfig, error) {
	var cc checkedConfig
	switch {
	case c.Target.Host == "":
		return cc, fmt.Errorf("no router address")
	case c.Target.Port < 1 || c.Target.Port > 65535:
		return cc, fmt.Errorf("port %d is not from 1 to 65535", c.Target.Port)
	case c.Timeout < 0:
		return cc, fmt.Errorf("timeout %s is negative", c.Timeout)
	case c.Retries < 0:
		return cc, fmt.Errorf("retries %d is negative", c.Retries)
	case c.MaxRepetitions < 0 || c.MaxRepetitions > 65535:
		return cc, fmt.Errorf("max-repetitions %d is not from 0 to 65535", c.MaxRepetitions)
	}
	cc.timeout, cc.maxRepetitions = c.Timeout, c.MaxRepetitions
	if cc.timeout == 0 {
		cc.timeout = DefaultTimeout
	}
	if cc.maxRepetitions == 0 {
		cc.maxRepetitions = DefaultMaxRepetitions
	}
	switch strings.ToLower(strings.TrimSpace(c.Version)) {
	case "1", "v1":
		cc.version = "1"
	case "", "2c", "v2c", "2":
		cc.version = "2c"
	case "3", "v3":
		cc.version = "3"
		return cc, c.checkV3(&cc)
	default:
		return cc, fmt.Errorf("unknown SNMP version %q (use 1, 2c or 3)", c.Version)
	}
	if c.Community == "" {
		return cc, fmt.Errorf("SNMPv%s needs a community (-c or STG_COMMUNITY)", cc.version)
	}
	if len(c.Community) > 255 {
		return cc, fmt.Errorf("the community is longer than 255 characters")
	}
	return cc, nil
}

func (c Config) checkV3(cc *checkedConfig) error {
	if c.SecName == "" {
		return fmt.Errorf("SNMPv3 needs a security name (-u)")
	}
	switch strings.ToLower(strings.TrimSpace(c.SecLevel)) {
	case "":
		switch {
		case c.AuthPass != "" && c.PrivPass != "":
			cc.level = levelAuthPriv
		case c.AuthPass != "":
			cc.level = levelAuthNoPriv
		default:
			cc.level = levelNoAuthNoPriv
		}
	case "noauthnopriv":
		cc.level = levelNoAuthNoPriv
	case "authnopriv":
		cc.level = levelAuthNoPriv
	case "authpriv":
		cc.level = levelAuthPriv
	default:
		return fmt.Errorf("unknown security level %q (use noAuthNoPriv, authNoPriv or authPriv)", c.SecLevel)
	}
	if cc.level == levelNoAuthNoPriv {
		return nil
	}
	auth, ok := authNames[protoKey(c.AuthProto, "SHA")]
	if !ok {
		return fmt.Errorf("unknown authentication protocol %q (use MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512)", c.AuthProto)
	}
	if err := checkPassphrase("authentication", "-A or STG_AUTH_PASS", cc.level, c.AuthPass); err != nil {
		return err
	}
	cc.auth = auth
	if cc.level != levelAuthPriv {
		return nil
	}
	priv, ok := privNames[protoKey(c.PrivProto, "AES")]
	if !ok {
		return fmt.Errorf("unknown privacy protocol %q (use DES, AES, AES-192, AES-256, AES-192-C or AES-256-C)", c.PrivProto)
	}
	if err := checkPassphrase("privacy", "-X or STG_PRIV_PASS", cc.level, c.PrivPass); err != nil {
		return err
	}
	cc.priv = priv
	return nil
}

// protoKey folds a protocol name for lookup: upper case, no '-' or '_'.
func protoKey(s, def string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		s = def
	}
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToUpper(s))
}

func checkPassphrase(what, where, level string, pass secret.Secret) error {
	article := "a"
	if what == "authentication" {
		article = "an"
	}
	switch {
	case pass == "":
		return fmt.Errorf("SNMPv3 level %s needs %s %s passphrase (%s)", level, article, what, where)
	case len(pass) < minPassphrase:
		return fmt.Errorf("the SNMPv3 %s passphrase is shorter than %d characters", what, minPassphrase)
	}
	return nil
}
