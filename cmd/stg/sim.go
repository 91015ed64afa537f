package main

import (
	"context"
	"fmt"
	"io"
)

// runSim is a placeholder until its owner lands the real subcommand.
func runSim(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "stg: sim is not built yet")
	return exitFailure
}
