package main

import (
	"context"
	"fmt"
	"io"
)

// runReplay is a placeholder until its owner lands the real subcommand.
func runReplay(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "stg: replay is not built yet")
	return exitFailure
}
