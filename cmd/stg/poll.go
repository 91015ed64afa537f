package main

import (
	"context"
	"fmt"
	"io"
)

// runPoll is a placeholder until its owner lands the real subcommand.
func runPoll(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "stg: poll is not built yet")
	return exitFailure
}
