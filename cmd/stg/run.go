package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// Exit codes of stg (README.md, "Usage").
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// env looks up an environment variable as os.LookupEnv does, so that a
// variable set but empty can be told from one not set; tests pass a map's
// lookup.
type env func(key string) (string, bool)

// get returns the value of key, "" when it is not set.
func (e env) get(key string) string {
	v, _ := e(key)
	return v
}

// subcommand is one of stg's subcommands.
type subcommand struct {
	run func(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int
	// help writes the subcommand's help.
	help func(w io.Writer)
	// sharesFlags says that the subcommand takes stg's own options, so that
	// they may also come before its name (`stg -c X resolve ...`).
	sharesFlags bool
}

// subcommands returns stg's subcommands by name. A first argument with one
// of these names is the subcommand, never a router: a router named so is
// given with --router.
func subcommands() map[string]subcommand {
	return map[string]subcommand{
		"resolve": {runResolve, resolveUsage, true},
		"demo":    {runDemo, demoUsage, false},
		"sim": {func(ctx context.Context, args []string, getenv env, _ io.Reader, stdout, stderr io.Writer) int {
			return runSim(ctx, args, getenv, stdout, stderr)
		}, simUsage, false},
		"replay":  {runReplay, replayHelp, false},
		"plot":    {runPlot, plotHelp, false},
		"help":    {runHelp, usage, false},
		"version": {runVersion, versionUsage, false},
	}
}

// run is stg's whole command line: it dispatches subcommands and otherwise
// polls. It returns the process exit code.
func run(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr) // plain `stg`: what it can do, and a usage exit
		return exitUsage
	}
	name, before, after := splitSubcommand(args)
	sub, ok := subcommands()[name]
	if !ok {
		return runPoll(ctx, args, getenv, stdin, stdout, stderr)
	}
	if len(before) > 0 {
		if wantsHelp(before) {
			sub.help(stdout)
			return exitOK
		}
		if !sub.sharesFlags {
			return usageError(stderr, name, fmt.Errorf("%s comes before %q, which does not take stg's polling options: put %s's own options after it",
				echo(strings.Join(before, " ")), name, name))
		}
	}
	return sub.run(ctx, append(append([]string(nil), before...), after...), getenv, stdin, stdout, stderr)
}

// splitSubcommand finds a subcommand name among args: the first argument
// that is not an option of stg nor an option's value. It returns "" when
// there is none (or the options before it do not parse: the poll mode then
// says why), the options before it and the arguments after it.
func splitSubcommand(args []string) (name string, before, after []string) {
	if _, ok := subcommands()[args[0]]; ok {
		return args[0], nil, args[1:]
	}
	fs, _ := newFlagSets(&options{})
	fs.SetInterspersed(false)
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 || fs.ArgsLenAtDash() == 0 {
		return "", nil, nil
	}
	rest := fs.Args()
	if _, ok := subcommands()[rest[0]]; !ok {
		return "", nil, nil
	}
	return rest[0], args[:len(args)-len(rest)], rest[1:]
}

// wantsHelp reports whether args hold -h or --help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" {
			return true
		}
	}
	return false
}

// runHelp is `stg help [SUBCOMMAND]`.
func runHelp(_ context.Context, args []string, _ env, _ io.Reader, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		usage(stdout)
		return exitOK
	case len(args) > 1:
		return usageError(stderr, "", fmt.Errorf("help takes at most one subcommand, got %d arguments", len(args)))
	}
	sub, ok := subcommands()[args[0]]
	if !ok {
		return usageError(stderr, "", fmt.Errorf("no subcommand %s: stg help lists them", echo(args[0])))
	}
	sub.help(stdout)
	return exitOK
}

// versionUsage is the help of `stg version`.
func versionUsage(w io.Writer) {
	fmt.Fprint(w, "Usage: stg version\n\nPrints the version stg was built from (module version, or the commit of a source build).\n")
}

// runVersion is `stg version`: what the Go toolchain recorded of the build.
func runVersion(_ context.Context, args []string, _ env, _ io.Reader, stdout, stderr io.Writer) int {
	if wantsHelp(args) {
		versionUsage(stdout)
		return exitOK
	}
	if len(args) > 0 {
		return usageError(stderr, "version", fmt.Errorf("unexpected argument %s", echo(args[0])))
	}
	fmt.Fprintln(stdout, "stg "+buildVersion())
	return exitOK
}

// buildVersion describes the build from debug.ReadBuildInfo: the module
// version when installed with `go install`, else the VCS revision when the
// build recorded one, else "(devel)".
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+modified"
			}
		}
	}
	if rev == "" {
		return "(devel)"
	}
	return "(devel) " + rev[:min(12, len(rev))] + modified
}
