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

// MinPassphrase is the shortest SNMPv3 passphrase: RFC 3414
// implementations refuse shorter ones.
const MinPassphrase = 8

// Config is how to reach and authenticate to one SNMP agent. It is the one
// place stg's SNMP settings are checked (Validate) and mapped onto the SNMP
// library (Dial); the command line and configuration files only fill it.
type Config struct {
	// Target is the agent's address.
	Target Target
	// Version is "1", "2c" (the default, also for "") or "3".
	Version Version
	// Community is the SNMPv1/v2c community.
	Community secret.Secret
	// SecLevel is noAuthNoPriv, authNoPriv or authPriv (ParseSecLevel's
	// spellings). Empty means the strongest level the passphrases given
	// allow.
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

// Secrets returns the secrets of the configuration, for secret.Redact.
func (c Config) Secrets() []secret.Secret {
	return []secret.Secret{c.Community, c.AuthPass, c.PrivPass}
}

// Validate checks the configuration and returns one clear line for the first
// problem: a *ConfigError for the version, the SNMPv3 settings and the
// retries. It never quotes a secret.
func (c Config) Validate() error {
	_, err := c.check()
	return err
}

// Normalize returns the configuration with its names in their canonical
// spelling (Version "2c" for "", SecLevel inferred from the passphrases
// when empty, the protocols as Config documents them), or Validate's
// error.
func (c Config) Normalize() (Config, error) {
	cc, err := c.check()
	if err != nil {
		return c, err
	}
	c.Version = cc.version
	if cc.version != Version3 {
		return c, nil
	}
	c.SecLevel = cc.level
	if c.AuthProto != "" {
		c.AuthProto, _ = ParseAuthProto(c.AuthProto)
	}
	if c.PrivProto != "" {
		c.PrivProto, _ = ParsePrivProto(c.PrivProto)
	}
	return c, nil
}

// checkedConfig is a validated Config with canonical names and defaults.
type checkedConfig struct {
	version        Version
	level          string // v3 only: a level* constant
	auth, priv     string // v3 only: canonical names, "" when unused
	timeout        time.Duration
	maxRepetitions int
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
		return cc, &ConfigError{Setting: SettingRetries, Problem: Negative, Value: fmt.Sprint(c.Retries),
			msg: fmt.Sprintf("retries %d is negative", c.Retries)}
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
	cc.version = Version2c
	if strings.TrimSpace(string(c.Version)) != "" {
		v, err := ParseVersion(string(c.Version))
		if err != nil {
			return cc, err
		}
		cc.version = v
	}
	if cc.version == Version3 {
		return cc, c.checkV3(&cc)
	}
	if c.Community == "" {
		return cc, &ConfigError{Setting: SettingCommunity, Problem: Missing,
			msg: fmt.Sprintf("SNMPv%s needs a community (-c or STG_COMMUNITY)", cc.version)}
	}
	if len(c.Community) > 255 {
		return cc, fmt.Errorf("the community is longer than 255 characters")
	}
	return cc, nil
}

func (c Config) checkV3(cc *checkedConfig) error {
	if c.SecName == "" {
		return &ConfigError{Setting: SettingSecName, Problem: Missing, msg: "SNMPv3 needs a security name (-u)"}
	}
	switch {
	case strings.TrimSpace(c.SecLevel) != "":
		level, err := ParseSecLevel(c.SecLevel)
		if err != nil {
			return err
		}
		cc.level = level
	case c.AuthPass != "" && c.PrivPass != "":
		cc.level = levelAuthPriv
	case c.AuthPass != "":
		cc.level = levelAuthNoPriv
	default:
		cc.level = levelNoAuthNoPriv
	}
	if cc.level == levelNoAuthNoPriv {
		return nil
	}
	auth, err := ParseAuthProto(orDefault(c.AuthProto, "SHA"))
	if err != nil {
		return err
	}
	if err := checkPassphrase(SettingAuthPass, cc.level, c.AuthPass); err != nil {
		return err
	}
	cc.auth = auth
	if cc.level != levelAuthPriv {
		return nil
	}
	priv, err := ParsePrivProto(orDefault(c.PrivProto, "AES"))
	if err != nil {
		return err
	}
	if err := checkPassphrase(SettingPrivPass, cc.level, c.PrivPass); err != nil {
		return err
	}
	cc.priv = priv
	return nil
}

// orDefault returns s, or def when s is blank.
func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// checkPassphrase checks the authentication or privacy passphrase that
// level needs.
func checkPassphrase(which Setting, level string, pass secret.Secret) error {
	what, article, where := "authentication", "an", "-A or STG_AUTH_PASS"
	if which == SettingPrivPass {
		what, article, where = "privacy", "a", "-X or STG_PRIV_PASS"
	}
	switch {
	case pass == "":
		return &ConfigError{Setting: which, Problem: Missing, Level: level,
			msg: fmt.Sprintf("SNMPv3 level %s needs %s %s passphrase (%s)", level, article, what, where)}
	case len(pass) < MinPassphrase:
		return &ConfigError{Setting: which, Problem: TooShort, Level: level,
			msg: fmt.Sprintf("the SNMPv3 %s passphrase is shorter than %d characters", what, MinPassphrase)}
	}
	return nil
}
