package main

import (
	"context"
	"fmt"
	"io"
)

// runResolve is a placeholder until its owner lands the real subcommand.
func runResolve(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "stg: resolve is not built yet")
	return exitFailure
}
