package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/stg-project/stg/internal/brassim"
)

// demoMinSessions is the fewest sessions that include the victim
// (brassim.UserVictim is the fourth session).
const demoMinSessions = 4

// demoFlap is how often the demo's subscribers drop and reconnect.
const demoFlap = time.Minute

// runDemo starts the simulated BRAS in-process on free loopback ports and
// opens the TUI on a few interesting subscribers: MyUserName, the DNS
// amplification victim and a bursty downloader.
func runDemo(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("stg demo", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sessions := fs.Int("sessions", 50, "subscriber sessions of the simulated BRAS")
	seed := fs.Uint64("seed", 1, "seed of usernames and traffic")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "stg demo: %v\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "stg demo: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *sessions < demoMinSessions || *sessions > brassim.MaxSessions {
		fmt.Fprintf(stderr, "stg demo: --sessions %d: want %d to %d\n", *sessions, demoMinSessions, brassim.MaxSessions)
		return exitUsage
	}
	// MyUserName (and a share of the others) reconnect every minute on a
	// new Virtual-Access, so the demo shows stg following a subscriber.
	sim, err := brassim.New(brassim.Options{Sessions: *sessions, Seed: *seed, Flap: demoFlap})
	if err == nil {
		err = sim.Start(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stg demo: start the simulator: %v\n", err)
		return exitFailure
	}
	defer sim.Close()
	pollArgs := []string{"--router", sim.Addr(), "-c", sim.Community(), "-o", "tui", "--window", "1m"}
	for _, u := range demoUsers(sim.Sessions()) {
		pollArgs = append(pollArgs, "--user", u)
	}
	return run(ctx, pollArgs, getenv, stdin, stdout, stderr)
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
