package cli

import (
	"errors"
	"fmt"

	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// v3Flags are the flags that only SNMPv3 uses.
var v3Flags = []string{"sec-level", "sec-name", "auth-proto", "auth-pass", "priv-proto", "priv-pass", "context"}

// communityOf returns the community: -c, else STG_COMMUNITY, else ""
// (SNMPv3, or the default "public" later). An empty one, typed or from the
// environment, is refused: it is a mistake (an unset shell variable, a
// typo), never a real community.
func communityOf(v *values, env LookupEnv) (secret.Secret, error) {
	if version, err := snmp.ParseVersion(v.str("snmp-version")); err == nil && version == snmp.Version3 {
		return "", nil // SNMPv3 has no community
	}
	if v.given("community") {
		if v.secret("community") == "" {
			return "", errors.New(`-c is empty: give the community, or leave -c out for the default "public"`)
		}
		return v.secret("community"), nil
	}
	c, set := env("STG_COMMUNITY")
	if set && c == "" {
		return "", errors.New(`STG_COMMUNITY is set but empty: set it to the community, or unset it for the default "public"`)
	}
	return secret.Secret(c), nil
}

// snmpConfig reads the SNMP flags (and the passphrases of the
// environment) into an snmp.Config that has passed Validate, with its
// names in their canonical spelling. The version and the protocols are
// read as they are typed, whatever the level uses.
func snmpConfig(v *values, env LookupEnv, community secret.Secret) (snmp.Config, error) {
	cfg := snmp.Config{Community: community, SecName: v.str("sec-name"), Context: v.str("context"),
		AuthProto: v.str("auth-proto"), PrivProto: v.str("priv-proto"),
		Timeout: v.duration("timeout"), Retries: v.integer("retries"),
		AuthPass: fromEnv(v, "auth-pass", env), PrivPass: fromEnv(v, "priv-pass", env)}
	var err error
	if cfg.Version, err = snmp.ParseVersion(v.str("snmp-version")); err != nil {
		return cfg, flagWording(v, err)
	}
	if cfg.Timeout <= 0 {
		return cfg, errors.New("-t must be above 0")
	}
	if cfg.Version != snmp.Version3 {
		for _, f := range v3Flags {
			if v.given(f) {
				return cfg, fmt.Errorf("%s is an SNMPv3 option: add -v 3", v.letter(f))
			}
		}
		if cfg.Community == "" {
			cfg.Community = "public"
		}
	} else {
		if cfg.AuthProto, err = snmp.ParseAuthProto(v.str("auth-proto")); err != nil {
			return cfg, flagWording(v, err)
		}
		if cfg.PrivProto, err = snmp.ParsePrivProto(v.str("priv-proto")); err != nil {
			return cfg, flagWording(v, err)
		}
		if v.given("sec-level") { // else the strongest the passphrases allow
			if cfg.SecLevel, err = snmp.ParseSecLevel(v.str("sec-level")); err != nil {
				return cfg, flagWording(v, err)
			}
		}
	}
	cfg.Target = snmp.Target{Host: "router", Port: 161} // checked with the rest once parsed
	if cfg, err = cfg.Normalize(); err != nil {
		return cfg, flagWording(v, err)
	}
	cfg.Target = snmp.Target{}
	return cfg, nil
}

// fromEnv returns a secret flag's value, or its environment variable's
// when the flag is absent.
func fromEnv(v *values, name string, env LookupEnv) secret.Secret {
	if v.given(name) {
		return v.secret(name)
	}
	for _, f := range Poll.Flags {
		if f.Name == name && f.Env != "" {
			return secret.Secret(env.get(f.Env))
		}
	}
	return ""
}

// settingFlags are the flags that set what an snmp.ConfigError is about.
var settingFlags = map[snmp.Setting]string{
	snmp.SettingVersion:   "snmp-version",
	snmp.SettingSecName:   "sec-name",
	snmp.SettingSecLevel:  "sec-level",
	snmp.SettingAuthProto: "auth-proto",
	snmp.SettingPrivProto: "priv-proto",
	snmp.SettingAuthPass:  "auth-pass",
	snmp.SettingPrivPass:  "priv-pass",
	snmp.SettingRetries:   "retries",
}

// flagWording words a setting that snmp.Config refuses in the flag that
// sets it (and its environment variable); other errors are returned as
// they are, without secrets.
func flagWording(v *values, err error) error {
	var ce *snmp.ConfigError
	name, ok := "", false
	if errors.As(err, &ce) {
		name, ok = settingFlags[ce.Setting]
	}
	if !ok {
		return err
	}
	flag := v.letter(name)
	switch {
	case ce.Problem == snmp.Unknown:
		return fmt.Errorf("bad %s %s: use %s", flag, Echo(ce.Value), snmp.OrList(ce.Accepted))
	case ce.Problem == snmp.Negative:
		return fmt.Errorf("%s must be 0 or more", flag)
	case ce.Problem == snmp.TooShort:
		return fmt.Errorf("the %s passphrase (%s) is shorter than %d characters, which SNMPv3 refuses", passKind(ce.Setting), flag, snmp.MinPassphrase)
	case ce.Setting == snmp.SettingSecName:
		return fmt.Errorf("-v 3 needs a security name: add %s NAME", flag)
	case ce.Problem == snmp.Missing:
		article := "a"
		if ce.Setting == snmp.SettingAuthPass {
			article = "an"
		}
		return fmt.Errorf("-l %s needs %s %s passphrase: add %s PASS or set %s", ce.Level, article, passKind(ce.Setting), flag, flagEnv(name))
	}
	return err
}

// passKind names a passphrase as the help does: "auth" or "privacy".
func passKind(s snmp.Setting) string {
	if s == snmp.SettingAuthPass {
		return "auth"
	}
	return "privacy"
}

// flagEnv returns the environment variable of a flag of Poll.
func flagEnv(name string) string {
	for _, f := range Poll.Flags {
		if f.Name == name {
			return f.Env
		}
	}
	return ""
}
