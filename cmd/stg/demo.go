package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/cli"
)

// runDemo starts the simulated BRAS in-process on free loopback ports and
// polls a few interesting subscribers in the TUI: MyUserName, the DNS
// amplification victim and a bursty downloader, which reconnect every
// minute on a new Virtual-Access, so the demo shows stg following a
// subscriber. It writes nothing to disk: the simulator keeps its host key
// in memory and the poll runs with --no-cache.
func runDemo(ctx context.Context, args []string, env cli.LookupEnv, stdin io.Reader, stdout, stderr io.Writer) int {
	sessions, seed, err := cli.ParseDemo(args)
	if errors.Is(err, cli.ErrHelp) {
		cli.Help(stdout, "demo")
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "demo", err)
	}
	sim, err := brassim.New(brassim.Options{Sessions: sessions, Seed: seed, Flap: cli.DemoFlap})
	if err == nil {
		err = sim.Start(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stg demo: start the simulator: %v\n", err)
		return exitFailure
	}
	defer sim.Close()
	pollArgs := []string{"--router", sim.Addr(), "-c", sim.Community(), "-o", "tui", "--window", "1m", "--no-cache"}
	for _, u := range demoUsers(sim.Sessions()) {
		pollArgs = append(pollArgs, "--user", u)
	}
	return runPoll(ctx, pollArgs, env, stdin, stdout, stderr)
}

// demoUsers picks the subscribers the demo graphs: MyUserName, the DNS
// amplification victim and the first other bursty downloader.
func demoUsers(sessions []brassim.Session) []string {
	users := []string{brassim.UserMine, brassim.UserVictim}
	for _, s := range sessions {
		if s.Shape.Kind == brassim.Bursty && s.User != brassim.UserMine {
			return append(users, s.User)
		}
	}
	return append(users, brassim.UserAnna)
}
