package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stg-project/stg/internal/cli"
)

// Exit codes of stg (README.md, "Usage").
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command runs one of stg's commands and returns the exit code.
type command func(ctx context.Context, args []string, env cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int

// subcommands returns how each of cli.Subcommands runs.
func subcommands() map[string]command {
	return map[string]command{
		"resolve":           runResolve,
		"top":               runTop,
		"demo":              runDemo,
		"sim":               runSim,
		"replay":            runReplay,
		"plot":              runPlot,
		"serve":             runServe,
		"help":              runHelp,
		"version":           runVersion,
		"completion":        runCompletion,
		"man":               runMan,
		cli.CompleteCommand: runComplete,
	}
}

// run is stg's whole command line: it dispatches subcommands and otherwise
// polls. It returns the process exit code.
func run(ctx context.Context, args []string, env cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		cli.Usage(stderr) // plain `stg`: what it can do, and a usage exit
		return exitUsage
	}
	name, before, after := cli.Split(args)
	if name == "" {
		return runPoll(ctx, args, env, stdin, stdout, stderr)
	}
	if len(before) > 0 {
		if cli.WantsHelp(before) {
			cli.Help(stdout, name)
			return exitOK
		}
		if name != "resolve" && name != "top" { // the subcommands that take stg's SNMP options
			return usageError(stderr, name, fmt.Errorf("%s comes before %q, which does not take stg's polling options: put %s's own options after it",
				cli.Echo(strings.Join(before, " ")), name, name))
		}
	}
	return subcommands()[name](ctx, append(append([]string(nil), before...), after...), env, stdin, stdout, stderr)
}

// runHelp is `stg help [SUBCOMMAND]`.
func runHelp(_ context.Context, args []string, _ cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		cli.Usage(stdout)
	case len(args) > 1:
		return usageError(stderr, "", fmt.Errorf("help takes at most one subcommand, got %d arguments", len(args)))
	case !cli.Help(stdout, args[0]):
		return usageError(stderr, "", fmt.Errorf("no subcommand %s: stg help lists them", cli.Echo(args[0])))
	}
	return exitOK
}

// runVersion is `stg version`: what the Go toolchain recorded of the build.
func runVersion(_ context.Context, args []string, _ cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	if code, ok := parsed(cli.NoArgs(args), "version", stdout, stderr); !ok {
		return code
	}
	fmt.Fprint(stdout, cli.BuildOf())
	return exitOK
}

// parsed ends a command whose command line gave no settings to run on:
// on -h/--help it writes the help (cli.Usage for stg itself, sub ""), on
// --version the version, both exit 0; on another error it is a usage
// error, exit 2. ok is true when err is nil: the command goes on.
func parsed(err error, sub string, stdout, stderr io.Writer) (code int, ok bool) {
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, cli.ErrHelp) && sub == "":
		cli.Usage(stdout)
	case errors.Is(err, cli.ErrHelp):
		cli.Help(stdout, sub)
	case errors.Is(err, cli.ErrVersion):
		fmt.Fprint(stdout, cli.BuildOf())
	default:
		return usageError(stderr, sub, err), false
	}
	return exitOK, false
}

// usageError prints a one-line usage reason that points at the help of
// the command (sub: "" for stg itself) and returns the usage exit code.
func usageError(stderr io.Writer, sub string, err error) int {
	help := "stg --help"
	if sub != "" {
		help = "stg " + sub + " --help"
	}
	fmt.Fprintf(stderr, "stg: %s (see %s)\n", cli.OneLine(err.Error()), help)
	return exitUsage
}

// failure prints a runtime error, its secrets already taken out by the
// session, and returns exit 1.
func failure(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "stg: %s\n", cli.OneLine(err.Error()))
	return exitFailure
}
