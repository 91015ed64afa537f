package main

import (
	"context"
	"fmt"
	"io"

	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/cli"
)

// runDemo starts the simulated BRAS in-process on free loopback ports,
// with a few subscribers filling the backhaul (the DNS-amplification
// victim first), and opens stg top on it: Enter charts a subscriber. It
// writes nothing to disk: the simulator keeps its host key in memory and
// stg top has no cache.
func runDemo(ctx context.Context, args []string, env cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := cli.ParseDemo(args)
	if code, ok := parsed(err, "demo", stdout, stderr); !ok {
		return code
	}
	sim, err := brassim.New(opts)
	if err == nil {
		err = sim.Start(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stg demo: start the simulator: %v\n", err)
		return exitFailure
	}
	defer sim.Close()
	return runTop(ctx, []string{"--router", sim.Addr(), "-c", sim.Community(), "-o", "tui", "--window", "1m"}, env, stdin, stdout, stderr)
}
