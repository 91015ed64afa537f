package main

import (
	"context"
	"io"
)

// Exit codes of stg (DESIGN.md §2).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// env reads an environment variable; tests pass a map's lookup.
type env func(string) string

// run is stg's whole command line: it dispatches subcommands and otherwise
// polls. It returns the process exit code.
func run(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "sim":
			return runSim(ctx, args[1:], getenv, stdout, stderr)
		case "demo":
			return runDemo(ctx, args[1:], getenv, stdin, stdout, stderr)
		case "replay":
			return runReplay(ctx, args[1:], getenv, stdin, stdout, stderr)
		case "resolve":
			return runResolve(ctx, args[1:], getenv, stdin, stdout, stderr)
		}
	}
	return runPoll(ctx, args, getenv, stdin, stdout, stderr)
}
