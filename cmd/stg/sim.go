package main

import (
	"context"
	"fmt"
	"io"

	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/cli"
)

// runSim runs the simulated BRAS in the foreground until ctx ends (SIGINT).
func runSim(ctx context.Context, args []string, env cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	s, err := cli.ParseSim(args, env)
	if code, ok := parsed(err, "sim", stdout, stderr); !ok {
		return code
	}
	sim, err := brassim.New(s.Options)
	if err == nil {
		err = sim.Start(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stg sim: %v\n", err)
		return exitFailure
	}
	defer sim.Close()
	cli.SimBanner(stdout, sim, s)
	<-ctx.Done()
	fmt.Fprintln(stdout, "stg sim: stopped")
	return exitOK
}
