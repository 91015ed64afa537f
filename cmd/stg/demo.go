package main

import (
	"context"
	"fmt"
	"io"
)

// runDemo is a placeholder until its owner lands the real subcommand.
func runDemo(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "stg: demo is not built yet")
	return exitFailure
}
