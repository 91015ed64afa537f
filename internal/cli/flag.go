// Package cli is stg's command line: the flags of each command as data
// (name, letter, kind, accepted values, group, help, environment variable),
// the parsing of arguments and an environment lookup into each command's
// settings, and the help texts, all rendered from the same tables, so that
// a manual page or shell completion can be too. It writes only to the
// writers it is given (the help, the simulator's banner); its errors are
// one line saying what to fix, and cmd/stg prints them.
//
// The polling command's settings become a session.Config whose SNMP part
// has passed snmp.Config's Validate; errors of that check are worded here
// in the flags that set the value. A new flag or subcommand starts in the
// tables of commands.go (docs/ARCHITECTURE.md, "How to add").
package cli

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/stg-project/stg/secret"
)

// Kind is the type of a flag's value.
type Kind int

// The kinds of flag values.
const (
	// Bool is a switch: present or not.
	Bool Kind = iota
	// String is one text value; the last one given wins.
	String
	// Strings is a repeatable text value: each use adds one.
	Strings
	// Int is a whole number.
	Int
	// Uint is a whole number from 0.
	Uint
	// Float is a decimal number.
	Float
	// Seconds is bare seconds (0.5) or a Go duration (500ms), as
	// net-snmp's -t takes it.
	Seconds
	// Duration is a Go duration (90s, 2m).
	Duration
	// Secret is a text value that is never shown (a community, a
	// passphrase).
	Secret
)

// Flag is one flag of a command, described as data.
type Flag struct {
	// Name is the long name (--name), Short the letter (-x), "" for none.
	Name, Short string
	// Kind is the type of the value.
	Kind Kind
	// Default is the default value as it is typed; "" for none.
	Default string
	// Enum lists the values the flag takes, for help and completion;
	// nil when any value of the kind does.
	Enum []string
	// Group is the title of the part of the help that lists the flag.
	Group string
	// Help says what the flag does; a word in backquotes is the name of
	// its value in the help (--router ROUTER).
	Help string
	// Env is the environment variable that gives the value when the flag
	// is absent; "" for none.
	Env string
}

// EnvVar is an environment variable a command reads without a flag.
type EnvVar struct {
	// Name is the variable, Help what it gives.
	Name, Help string
}

// Command is one of stg's commands, described as data.
type Command struct {
	// Name is the subcommand ("" for stg itself, the polling command).
	Name string
	// Synopsis is the usage line of the command.
	Synopsis string
	// Summary says in a few words what the command does, for the manual
	// page and shell completion.
	Summary string
	// Flags are the command's flags, in the order the help lists them.
	Flags []Flag
	// Env lists the environment variables it reads besides its flags'.
	Env []EnvVar
}

// helpFlag is the -h/--help of every command.
var helpFlag = Flag{Name: "help", Short: "h", Kind: Bool, Group: "Other", Help: "show this help"}

// versionFlag is stg's --version.
var versionFlag = Flag{Name: "version", Kind: Bool, Group: "Other", Help: "print the version stg was built from and exit"}

// ErrHelp is returned by the Parse functions for -h or --help.
var ErrHelp = errors.New("help requested")

// ErrVersion is returned by ParsePoll for --version.
var ErrVersion = errors.New("version requested")

// flagSet returns a pflag set of the command's flags, silent and in the
// table's order.
func (c Command) flagSet() *pflag.FlagSet {
	fs := pflag.NewFlagSet("stg "+c.Name, pflag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.Usage = func() {}
	fs.SortFlags = false
	for _, f := range c.Flags {
		addFlag(fs, f)
	}
	return fs
}

// addFlag adds f to fs with its default.
func addFlag(fs *pflag.FlagSet, f Flag) {
	switch f.Kind {
	case Bool:
		fs.BoolP(f.Name, f.Short, f.Default == "true", f.Help)
	case String:
		fs.StringP(f.Name, f.Short, f.Default, f.Help)
	case Strings:
		fs.StringArrayP(f.Name, f.Short, nil, f.Help)
	case Int:
		n, _ := strconv.Atoi(f.Default)
		fs.IntP(f.Name, f.Short, n, f.Help)
	case Uint:
		n, _ := strconv.ParseUint(f.Default, 10, 64)
		fs.Uint64P(f.Name, f.Short, n, f.Help)
	case Float:
		x, _ := strconv.ParseFloat(f.Default, 64)
		fs.Float64P(f.Name, f.Short, x, f.Help)
	case Seconds:
		d, _ := parseSeconds(f.Default)
		fs.VarP((*secondsValue)(&d), f.Name, f.Short, f.Help)
	case Duration:
		d, _ := time.ParseDuration(f.Default)
		fs.DurationP(f.Name, f.Short, d, f.Help)
	case Secret:
		fs.VarP(new(secretValue), f.Name, f.Short, f.Help)
	}
}

// parse parses args with the command's flags and returns them, ErrHelp
// for -h/--help, or a one-line error.
func (c Command) parse(args []string) (*values, error) {
	fs := c.flagSet()
	if err := fs.Parse(args); err != nil {
		return nil, flagError(err)
	}
	if help, _ := fs.GetBool("help"); help {
		return nil, ErrHelp
	}
	if version, _ := fs.GetBool("version"); version {
		return nil, ErrVersion
	}
	return &values{fs}, nil
}

// flagError turns a pflag error into stg's one-line usage reason.
func flagError(err error) error {
	if errors.Is(err, pflag.ErrHelp) {
		return ErrHelp
	}
	return errors.New(EscapeControls(strings.TrimPrefix(err.Error(), "pflag: ")))
}

// values are the parsed flags of a command, read by name.
type values struct{ fs *pflag.FlagSet }

// given reports whether the flag was on the command line.
func (v *values) given(name string) bool { return v.fs.Changed(name) }

// str returns a String flag's value.
func (v *values) str(name string) string { s, _ := v.fs.GetString(name); return s }

// strs returns a Strings flag's values, in order; nil when it was not
// given. (pflag's GetStringArray goes through a CSV text that loses an
// empty value.)
func (v *values) strs(name string) []string {
	if !v.given(name) {
		return nil
	}
	return v.fs.Lookup(name).Value.(pflag.SliceValue).GetSlice()
}

// integer returns an Int flag's value.
func (v *values) integer(name string) int { n, _ := v.fs.GetInt(name); return n }

// uinteger returns a Uint flag's value.
func (v *values) uinteger(name string) uint64 { n, _ := v.fs.GetUint64(name); return n }

// float returns a Float flag's value.
func (v *values) float(name string) float64 { x, _ := v.fs.GetFloat64(name); return x }

// boolean returns a Bool flag's value.
func (v *values) boolean(name string) bool { b, _ := v.fs.GetBool(name); return b }

// duration returns a Seconds or Duration flag's value.
func (v *values) duration(name string) time.Duration {
	if d, ok := v.fs.Lookup(name).Value.(*secondsValue); ok {
		return time.Duration(*d)
	}
	d, _ := v.fs.GetDuration(name)
	return d
}

// secret returns a Secret flag's value.
func (v *values) secret(name string) secret.Secret {
	return secret.Secret(*v.fs.Lookup(name).Value.(*secretValue))
}

// args returns the arguments that are not flags.
func (v *values) args() []string { return v.fs.Args() }

// letter returns how the help names a flag: -x when it has a letter, else
// --name.
func (v *values) letter(name string) string {
	if f := v.fs.Lookup(name); f != nil && f.Shorthand != "" {
		return "-" + f.Shorthand
	}
	return "--" + name
}

// discard is an io.Writer for pflag's own output, which stg never shows.
type discard struct{}

// Write implements io.Writer.
func (discard) Write(p []byte) (int, error) { return len(p), nil }

// secretValue is a pflag.Value that stores a secret and never shows it.
type secretValue secret.Secret

// String implements pflag.Value without revealing the secret.
func (s *secretValue) String() string { return secret.Secret(*s).String() }

// Set implements pflag.Value.
func (s *secretValue) Set(v string) error { *s = secretValue(v); return nil }

// Type implements pflag.Value.
func (s *secretValue) Type() string { return "secret" }

// secondsValue is a pflag.Value for a time.Duration that also accepts bare
// seconds ("0.5", "2"), as net-snmp's -t does.
type secondsValue time.Duration

// String implements pflag.Value.
func (d *secondsValue) String() string {
	if *d == 0 {
		return "0"
	}
	return time.Duration(*d).String()
}

// Set implements pflag.Value.
func (d *secondsValue) Set(v string) error {
	parsed, err := parseSeconds(v)
	if err != nil {
		return err
	}
	*d = secondsValue(parsed)
	return nil
}

// Type implements pflag.Value.
func (d *secondsValue) Type() string { return "duration" }

// maxSeconds bounds bare seconds, far past any sensible value, so that the
// conversion to a Duration cannot overflow.
const maxSeconds = 1e9

// parseSeconds reads bare seconds ("0.5") or a Go duration ("500ms").
func parseSeconds(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(f) || math.Abs(f) > maxSeconds {
			return 0, errors.New("want seconds (0.5) or a duration (500ms, 2s)")
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, errors.New("want seconds (0.5) or a duration (500ms, 2s)")
	}
	return d, nil
}

// badValue is the error for a value that is none of a flag's values.
func badValue(flag, value string, enum []string) error {
	return fmt.Errorf("bad %s %s: use one of %s", flag, Echo(value), strings.Join(enum, ", "))
}
