package cli

import (
	"errors"
	"fmt"

	"github.com/stg-project/stg/internal/snmpconf"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// v3Flags are the flags that only SNMPv3 uses.
var v3Flags = []string{"sec-level", "sec-name", "auth-proto", "auth-pass", "priv-proto", "priv-pass", "context"}

// snmpSources are where the SNMP settings of a run come from, in the
// order of precedence: the flags given, the STG_* variables, then the
// snmp.conf files (files is nil when none was read), then stg's
// defaults. fromFile records, by flag name, the directive that set what
// the run uses, so that an error about it names the file and line.
type snmpSources struct {
	v        *values
	env      LookupEnv
	files    *snmpconf.Config
	fromFile map[string]snmpconf.Origin
	// notes say what stg chose for the files, for the --debug log.
	notes []string
}

// file returns the value a directive set, when the flag was not given
// and the files set it.
func (s *snmpSources) file(flag string, key snmpconf.Key) (snmpconf.Origin, bool) {
	if s.files == nil || s.v.given(flag) {
		return snmpconf.Origin{}, false
	}
	o, ok := s.files.Origin(key)
	if ok {
		s.fromFile[flag] = o
	}
	return o, ok
}

// text returns a text setting: the flag, else the files' value, else the
// flag's default.
func (s *snmpSources) text(flag string, key snmpconf.Key, fileValue string) string {
	if _, ok := s.file(flag, key); ok {
		return fileValue
	}
	return s.v.str(flag)
}

// secret returns a secret setting: the flag, else its STG_* variable,
// else the files' value. An empty value set on purpose is refused: it is
// a mistake (an unset shell variable, a typo), never a real secret.
func (s *snmpSources) secret(flag string, key snmpconf.Key, fileValue secret.Secret) (secret.Secret, error) {
	if s.v.given(flag) {
		return s.v.secret(flag), nil
	}
	if name := flagEnv(flag); name != "" {
		if value, set := s.env(name); set {
			return secret.Secret(value), nil
		}
	}
	if _, ok := s.file(flag, key); ok {
		return fileValue, nil
	}
	return "", nil
}

// communityOf returns the community: -c, else STG_COMMUNITY, else
// defCommunity, else "" (the default "public" later). An empty one, typed
// or from the environment, is refused.
func (s *snmpSources) community() (secret.Secret, error) {
	if s.v.given("community") && s.v.secret("community") == "" {
		return "", errors.New(`-c is empty: give the community, or leave -c out for the default "public"`)
	}
	if c, set := s.env("STG_COMMUNITY"); set && c == "" && !s.v.given("community") {
		return "", errors.New(`STG_COMMUNITY is set but empty: set it to the community, or unset it for the default "public"`)
	}
	var file secret.Secret
	if s.files != nil {
		file = s.files.Community
	}
	return s.secret("community", snmpconf.SettingCommunity, file)
}

// snmpConfig reads the SNMP settings of the flags, the environment and
// the snmp.conf files (nil for none) into an snmp.Config that has passed
// Validate, with its names in their canonical spelling. The version and
// the protocols are read as they are typed, whatever the level uses.
// The sources it returns tell which settings the files gave.
func snmpConfig(v *values, env LookupEnv, files *snmpconf.Config) (_ snmp.Config, _ *snmpSources, err error) {
	s := &snmpSources{v: v, env: env, files: files, fromFile: map[string]snmpconf.Origin{}}
	f := files
	if f == nil {
		f = &snmpconf.Config{}
	}
	cfg := snmp.Config{SecName: s.text("sec-name", snmpconf.SettingSecName, f.SecName),
		Context:   s.text("context", snmpconf.SettingContext, f.Context),
		AuthProto: s.text("auth-proto", snmpconf.SettingAuthProto, f.AuthProto),
		PrivProto: s.text("priv-proto", snmpconf.SettingPrivProto, f.PrivProto),
		Timeout:   v.duration("timeout"), Retries: v.integer("retries")}
	if _, ok := s.file("timeout", snmpconf.SettingTimeout); ok {
		cfg.Timeout = f.Timeout
	}
	if _, ok := s.file("retries", snmpconf.SettingRetries); ok {
		cfg.Retries = f.Retries
	}
	if cfg.AuthPass, err = s.secret("auth-pass", snmpconf.SettingAuthPass, f.AuthPass); err != nil {
		return cfg, nil, err
	}
	if cfg.PrivPass, err = s.secret("priv-pass", snmpconf.SettingPrivPass, f.PrivPass); err != nil {
		return cfg, nil, err
	}
	netsnmpProtocols(s, &cfg)
	if cfg.Version, err = snmp.ParseVersion(s.text("snmp-version", snmpconf.SettingVersion, f.Version)); err != nil {
		return cfg, nil, s.wording(err)
	}
	if cfg.Timeout <= 0 {
		return cfg, nil, errors.New("-t must be above 0")
	}
	if cfg.Version != snmp.Version3 {
		for _, name := range v3Flags {
			if v.given(name) {
				return cfg, nil, fmt.Errorf("%s is an SNMPv3 option: add -v 3", v.letter(name))
			}
		}
		cfg.AuthPass, cfg.PrivPass, cfg.SecName, cfg.Context = "", "", "", "" // what the files set for SNMPv3
		if cfg.Community, err = s.community(); err != nil {
			return cfg, nil, err
		}
		if cfg.Community == "" {
			cfg.Community = "public"
		}
	} else {
		if cfg.AuthProto, err = snmp.ParseAuthProto(cfg.AuthProto); err != nil {
			return cfg, nil, s.wording(err)
		}
		if cfg.PrivProto, err = snmp.ParsePrivProto(cfg.PrivProto); err != nil {
			return cfg, nil, s.wording(err)
		}
		if level := s.text("sec-level", snmpconf.SettingSecLevel, f.SecLevel); level != "" { // else the strongest the passphrases allow
			if cfg.SecLevel, err = snmp.ParseSecLevel(level); err != nil {
				return cfg, nil, s.wording(err)
			}
		}
	}
	cfg.Target = snmp.Target{Host: "router", Port: 161} // checked with the rest once parsed
	if cfg, err = cfg.Normalize(); err != nil {
		return cfg, nil, s.wording(err)
	}
	cfg.Target = snmp.Target{}
	return cfg, s, nil
}

// netsnmpProtocols gives passphrases the files set without a protocol
// net-snmp's protocols (MD5, DES) rather than stg's (SHA, AES), so that
// stg reaches the agent snmpget reaches with the same files.
func netsnmpProtocols(s *snmpSources, cfg *snmp.Config) {
	if s.files == nil {
		return
	}
	for _, p := range []struct {
		pass, proto string
		key         snmpconf.Key
		dst         *string
		def         string
	}{
		{"auth-pass", "auth-proto", snmpconf.SettingAuthProto, &cfg.AuthProto, snmpconf.NetSNMPDefaultAuthProto},
		{"priv-pass", "priv-proto", snmpconf.SettingPrivProto, &cfg.PrivProto, snmpconf.NetSNMPDefaultPrivProto},
	} {
		_, passFromFile := s.fromFile[p.pass]
		_, protoSet := s.files.Origin(p.key)
		if passFromFile && !protoSet && !s.v.given(p.proto) {
			*p.dst = p.def
			s.notes = append(s.notes, fmt.Sprintf("snmp.conf: --%s from the files without its protocol: %s, as net-snmp", p.pass, p.def))
		}
	}
}

// wording words an error of snmp.Config in the flag that sets the value
// and, when the snmp.conf files gave it, the directive and its place.
func (s *snmpSources) wording(err error) error {
	worded := flagWording(s.v, err)
	var ce *snmp.ConfigError
	if !errors.As(err, &ce) {
		return worded
	}
	name := settingFlags[ce.Setting]
	o, ok := s.fromFile[name]
	if !ok && ce.Problem == snmp.Missing {
		// A missing name or passphrase is asked for by a version or
		// level that may come from the files.
		if o, ok = s.fromFile["sec-level"]; !ok {
			o, ok = s.fromFile["snmp-version"]
		}
	}
	if !ok {
		return worded
	}
	return fmt.Errorf("%w (snmp.conf: %s)", worded, o)
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
