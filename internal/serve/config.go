// Package serve is `stg serve`: many routers from a YAML file, polled
// headless, each on its own, for Prometheus (README.md, "When one box is
// not enough"). Load reads and checks the file; Run polls its routers
// into a metrics.Store served on /metrics, tries again with a back-off
// whatever does not start, reads the file again on each reload signal
// and logs to stderr in logfmt or JSON.
package serve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stg-project/stg/internal/levenshtein"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// MinInterval is the shortest poll interval a router may have.
const MinInterval = 100 * time.Millisecond

// Config is a checked configuration: the routers to poll.
type Config struct {
	Routers []Router
}

// Router is one router of the file, checked, its secrets read.
type Router struct {
	// Name is the router label of its series and the name in the logs:
	// the name given, else the address.
	Name string
	// SNMP reaches it; it has passed snmp.Config's Validate.
	SNMP snmp.Config
	// Interval is the time between polls (and between top cycles).
	Interval time.Duration
	// Counters picks 64- or 32-bit counters.
	Counters snmp.CounterMode
	// Interfaces are polled as --if, Users as --user.
	Interfaces, Users []string
	// Top is how many of its busiest interfaces or sessions stg top shows
	// (0: no top); Filter, when not "", keeps the rows it matches.
	Top    int
	Filter string
	// line is where the router starts in the file.
	line int
}

// String describes the router for logs, without its secrets.
func (r Router) String() string {
	return fmt.Sprintf("%s (%s, SNMPv%s, every %s: %d interfaces, %d users, top %d)",
		r.Name, r.SNMP.Target, r.SNMP.Version, r.Interval, len(r.Interfaces), len(r.Users), r.Top)
}

// same reports whether r and o poll the same way (secrets included).
func (r Router) same(o Router) bool {
	r.line, o.line = 0, 0
	return reflect.DeepEqual(r, o)
}

// fileConfig is the file as written.
type fileConfig struct {
	Defaults routerConfig   `yaml:"defaults"`
	Routers  []routerConfig `yaml:"routers"`
}

// routerConfig is one router (or the defaults) as written. Secrets are
// named, never written: an inline one is refused.
type routerConfig struct {
	Name          string    `yaml:"name"`
	Address       string    `yaml:"address"`
	Version       string    `yaml:"version"`
	Community     yaml.Node `yaml:"community"`
	CommunityEnv  string    `yaml:"community_env"`
	CommunityFile string    `yaml:"community_file"`
	SecurityName  string    `yaml:"security_name"`
	SecurityLevel string    `yaml:"security_level"`
	AuthProtocol  string    `yaml:"auth_protocol"`
	AuthPass      yaml.Node `yaml:"auth_pass"`
	AuthPassEnv   string    `yaml:"auth_pass_env"`
	AuthPassFile  string    `yaml:"auth_pass_file"`
	PrivProtocol  string    `yaml:"priv_protocol"`
	PrivPass      yaml.Node `yaml:"priv_pass"`
	PrivPassEnv   string    `yaml:"priv_pass_env"`
	PrivPassFile  string    `yaml:"priv_pass_file"`
	Context       string    `yaml:"context"`
	Timeout       string    `yaml:"timeout"`
	Retries       *int      `yaml:"retries"`
	Interval      string    `yaml:"interval"`
	Counters      string    `yaml:"counters"`
	Interfaces    []string  `yaml:"interfaces"`
	Users         []string  `yaml:"users"`
	Top           *int      `yaml:"top"`
	Filter        string    `yaml:"filter"`
}

// Load reads and checks the file at path; env looks up the secrets the
// file names by variable. Its error is one line that starts with the
// path and, where it can, the line and the router, and never holds a
// secret.
func Load(path string, env func(string) (string, bool)) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the router configuration: %w", err)
	}
	cfg, err := parse(data, env)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	return cfg, nil
}

// lineError is a problem on a line of the file.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("%d: %s", e.line, e.msg) }

// atLine returns an error at line.
func atLine(line int, format string, a ...any) error {
	return &lineError{line: line, msg: fmt.Sprintf(format, a...)}
}

// parse checks the file's text.
func parse(data []byte, env func(string) (string, bool)) (*Config, error) {
	var f fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) { // io.EOF: an empty file
		return nil, yamlError(err)
	}
	// The lines each router starts at, read without the types.
	var nodes struct {
		Defaults yaml.Node   `yaml:"defaults"`
		Routers  []yaml.Node `yaml:"routers"`
	}
	_ = yaml.Unmarshal(data, &nodes)
	if err := checkDefaults(f.Defaults, nodes.Defaults.Line); err != nil {
		return nil, err
	}
	if len(f.Routers) == 0 {
		return nil, atLine(1, "no routers: list them under routers: (see examples/routers.yml)")
	}
	cfg := &Config{}
	names := map[string]int{}
	for i, rc := range f.Routers {
		line := 1
		if i < len(nodes.Routers) {
			line = nodes.Routers[i].Line
		}
		r, err := checkRouter(withDefaults(rc, f.Defaults), line, env)
		if err != nil {
			return nil, err
		}
		if first, ok := names[r.Name]; ok {
			return nil, atLine(line, "router %q: another router has this name (line %d): give each a name of its own", r.Name, first)
		}
		names[r.Name] = line
		cfg.Routers = append(cfg.Routers, r)
	}
	return cfg, nil
}

// yamlError words the decoder's error as one line: "LINE: what", an
// unknown key with the known one it is closest to.
func yamlError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := regexp.MustCompile(`^line (\d+): (.*)`).FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			return atLine(n, "%s", m[2])
		}
		return atLine(1, "%s", msg)
	}
	first := te.Errors[0]
	m := regexp.MustCompile(`^line (\d+): (?:field (\S+) not found in type \S+|(.*))$`).FindStringSubmatch(first)
	if m == nil {
		return atLine(1, "%s", first)
	}
	n, _ := strconv.Atoi(m[1])
	if m[2] == "" {
		return atLine(n, "%s", m[3])
	}
	return atLine(n, "unknown key %q%s", m[2], closestKey(m[2]))
}

// closestKey suggests the known key nearest to key, or "". The key of
// an inline secret, which the file may not hold, suggests the two keys
// that name it.
func closestKey(key string) string {
	best, bestD := "", 4
	for _, t := range []reflect.Type{reflect.TypeOf(fileConfig{}), reflect.TypeOf(routerConfig{})} {
		for i := 0; i < t.NumField(); i++ {
			k := t.Field(i).Tag.Get("yaml")
			if d := levenshtein.Distance(key, k, bestD); d < bestD {
				best, bestD = fmt.Sprintf("%q", k), d
				if t.Field(i).Type == reflect.TypeOf(yaml.Node{}) {
					best = fmt.Sprintf("%q or %q", k+"_env", k+"_file")
				}
			}
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// checkDefaults refuses what only a router can say in the defaults.
func checkDefaults(d routerConfig, line int) error {
	for key, set := range map[string]bool{"name": d.Name != "", "address": d.Address != "", "interfaces": d.Interfaces != nil,
		"users": d.Users != nil, "top": d.Top != nil, "filter": d.Filter != ""} {
		if set {
			return atLine(line, "defaults: %s is per router: write it under routers", key)
		}
	}
	return nil
}

// withDefaults fills what rc leaves unset from d.
func withDefaults(rc, d routerConfig) routerConfig {
	rv, dv := reflect.ValueOf(&rc).Elem(), reflect.ValueOf(d)
	for i := 0; i < rv.NumField(); i++ {
		if rv.Field(i).IsZero() {
			rv.Field(i).Set(dv.Field(i))
		}
	}
	return rc
}

// checkRouter checks one router and reads its secrets.
func checkRouter(rc routerConfig, line int, env func(string) (string, bool)) (Router, error) {
	r := Router{Name: rc.Name, line: line, Interfaces: rc.Interfaces, Users: rc.Users, Filter: rc.Filter}
	if r.Name == "" {
		r.Name = rc.Address
	}
	fail := func(format string, a ...any) (Router, error) {
		return Router{}, atLine(line, "router %q: %s", r.Name, fmt.Sprintf(format, a...))
	}
	if r.Name == "" {
		r.Name = "#" + strconv.Itoa(line)
	}
	for _, inline := range []struct {
		node *yaml.Node
		key  string
	}{{&rc.Community, "community"}, {&rc.AuthPass, "auth_pass"}, {&rc.PrivPass, "priv_pass"}} {
		if !inline.node.IsZero() {
			return Router{}, atLine(inline.node.Line, "router %q: write no secret into the file: name an environment variable (%s_env) or a file (%s_file)",
				r.Name, inline.key, inline.key)
		}
	}
	if rc.Address == "" {
		return fail("no address: add address: HOST (or [udp:|tcp:]HOST[:PORT])")
	}
	target, err := snmp.ParseTarget(rc.Address)
	if err != nil {
		return fail("address: %v", err)
	}
	if err := r.pollSettings(rc); err != nil {
		return fail("%v", err)
	}
	if r.SNMP, err = snmpConfig(rc, target, env); err != nil {
		return fail("%v", err)
	}
	return r, nil
}

// pollSettings reads what r polls and how often.
func (r *Router) pollSettings(rc routerConfig) error {
	var err error
	r.Interval = time.Second
	if rc.Interval != "" {
		if r.Interval, err = time.ParseDuration(rc.Interval); err != nil {
			return fmt.Errorf("interval: %q is not a duration: write it as 1s or 500ms", rc.Interval)
		}
	}
	if r.Interval < MinInterval {
		return fmt.Errorf("interval %s is too short: the minimum is %s", r.Interval, MinInterval)
	}
	counters := rc.Counters
	if counters == "" {
		counters = string(snmp.CountersAuto)
	}
	if r.Counters, err = snmp.ParseCounterMode(counters); err != nil {
		return fmt.Errorf("counters: bad value %q: use %s", rc.Counters, snmp.OrList(snmp.CounterModes()))
	}
	if rc.Top != nil {
		if r.Top = *rc.Top; r.Top < 1 {
			return fmt.Errorf("top %d: want the number of rows to show, 1 or more", r.Top)
		}
	}
	if r.Filter != "" {
		if r.Top == 0 {
			return errors.New("filter is for top: add top: N, or take the filter out")
		}
		if _, err := regexp.Compile(r.Filter); err != nil {
			return fmt.Errorf("filter: %v", err)
		}
	}
	if len(r.Interfaces) == 0 && len(r.Users) == 0 && r.Top == 0 {
		return errors.New("nothing to poll: add interfaces, users or top")
	}
	all := append(slices.Clone(r.Interfaces), r.Users...)
	for i, t := range all {
		if strings.TrimSpace(t) == "" {
			return errors.New("an empty interface or user")
		}
		if slices.Contains(all[:i], t) {
			return fmt.Errorf("target %q is given twice", t)
		}
	}
	return nil
}

// snmpConfig builds the router's snmp.Config, its secrets read, and
// checks it.
func snmpConfig(rc routerConfig, target snmp.Target, env func(string) (string, bool)) (snmp.Config, error) {
	c := snmp.Config{Target: target, Version: snmp.Version(rc.Version), SecName: rc.SecurityName, SecLevel: rc.SecurityLevel,
		AuthProto: rc.AuthProtocol, PrivProto: rc.PrivProtocol, Context: rc.Context, Retries: 5}
	if rc.Version != "" {
		v, err := snmp.ParseVersion(rc.Version)
		if err != nil {
			return c, fmt.Errorf("version: bad SNMP version %q: use 1, 2c or 3", rc.Version)
		}
		c.Version = v
	}
	if rc.Retries != nil {
		c.Retries = *rc.Retries
	}
	c.Timeout = time.Second
	if rc.Timeout != "" {
		t, err := time.ParseDuration(rc.Timeout)
		if err != nil || t <= 0 {
			return c, fmt.Errorf("timeout: %q is not a positive duration: write it as 1s or 500ms", rc.Timeout)
		}
		c.Timeout = t
	}
	var err error
	v3 := c.Version == snmp.Version3
	if c.Community, err = readSecret("community", rc.CommunityEnv, rc.CommunityFile, !v3, env); err != nil {
		return c, err
	}
	if c.AuthPass, err = readSecret("auth_pass", rc.AuthPassEnv, rc.AuthPassFile, v3, env); err != nil {
		return c, err
	}
	if c.PrivPass, err = readSecret("priv_pass", rc.PrivPassEnv, rc.PrivPassFile, v3, env); err != nil {
		return c, err
	}
	if !v3 && c.Community == "" {
		c.Community = "public"
	}
	if v3 && c.AuthProto == "" {
		c.AuthProto = "SHA"
	}
	if v3 && c.PrivProto == "" {
		c.PrivProto = "AES"
	}
	if c, err = c.Normalize(); err != nil {
		return c, keyWording(err)
	}
	return c, nil
}

// readSecret reads the secret key names: from the environment variable
// KEY_env or the file KEY_file (its last line end dropped). allowed is
// false when the version does not use it.
func readSecret(key, envName, file string, allowed bool, env func(string) (string, bool)) (secret.Secret, error) {
	switch {
	case envName == "" && file == "":
		return "", nil
	case envName != "" && file != "":
		return "", fmt.Errorf("give %s_env or %s_file, not both", key, key)
	case !allowed && key == "community":
		return "", fmt.Errorf("%s_env and %s_file are for SNMPv1 and v2c: SNMPv3 uses auth_pass and priv_pass", key, key)
	case !allowed:
		return "", fmt.Errorf("%s_env and %s_file are for SNMPv3: add version: 3, or use community_env", key, key)
	case envName != "":
		v, ok := env(envName)
		if !ok {
			return "", fmt.Errorf("%s_env: %s is not set", key, envName)
		}
		if v == "" {
			return "", fmt.Errorf("%s_env: %s is empty", key, envName)
		}
		return secret.Secret(v), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_file: read %s: %v", key, file, errors.Unwrap(err))
	}
	v := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if v == "" {
		return "", fmt.Errorf("%s_file: %s is empty", key, file)
	}
	return secret.Secret(v), nil
}

// settingKeys are the keys that set what an snmp.ConfigError is about.
var settingKeys = map[snmp.Setting]string{
	snmp.SettingVersion:   "version",
	snmp.SettingSecName:   "security_name",
	snmp.SettingSecLevel:  "security_level",
	snmp.SettingAuthProto: "auth_protocol",
	snmp.SettingPrivProto: "priv_protocol",
	snmp.SettingAuthPass:  "auth_pass",
	snmp.SettingPrivPass:  "priv_pass",
	snmp.SettingRetries:   "retries",
}

// keyWording words a setting snmp.Config refuses in the keys of the file.
func keyWording(err error) error {
	var ce *snmp.ConfigError
	if !errors.As(err, &ce) {
		return err
	}
	key := settingKeys[ce.Setting]
	switch {
	case ce.Problem == snmp.Unknown:
		return fmt.Errorf("%s: bad value %q: use %s", key, ce.Value, snmp.OrList(ce.Accepted))
	case ce.Problem == snmp.Negative:
		return fmt.Errorf("%s must be 0 or more", key)
	case ce.Problem == snmp.TooShort:
		return fmt.Errorf("the %s is shorter than %d characters, which SNMPv3 refuses", key, snmp.MinPassphrase)
	case ce.Setting == snmp.SettingSecName:
		return errors.New("SNMPv3 needs security_name")
	case ce.Problem == snmp.Missing && (ce.Setting == snmp.SettingAuthPass || ce.Setting == snmp.SettingPrivPass):
		return fmt.Errorf("security_level %s needs %s_env or %s_file", ce.Level, key, key)
	}
	return err
}
