package main

import (
	"context"
	"errors"
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

// demoFlags is the flag set of `stg demo`, bound to sessions and seed.
func demoFlags(sessions *int, seed *uint64) *pflag.FlagSet {
	fs := pflag.NewFlagSet("stg demo", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	fs.IntVar(sessions, "sessions", 50, fmt.Sprintf("subscriber sessions of the simulated BRAS (%d to %d)", demoMinSessions, brassim.MaxSessions))
	fs.Uint64Var(seed, "seed", 1, "seed of usernames and traffic")
	fs.BoolP("help", "h", false, "show this help")
	return fs
}

// runDemo starts the simulated BRAS in-process on free loopback ports and
// opens the TUI on a few interesting subscribers: MyUserName, the DNS
// amplification victim and a bursty downloader. It writes nothing to
// disk: the simulator keeps its host key in memory and the poll runs
// with --no-cache.
func runDemo(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	var sessions int
	var seed uint64
	fs := demoFlags(&sessions, &seed)
	err := fs.Parse(args)
	if help, _ := fs.GetBool("help"); help || errors.Is(err, pflag.ErrHelp) {
		demoUsage(stdout)
		return exitOK
	}
	switch {
	case err != nil:
		return usageError(stderr, "demo", flagError(err))
	case fs.NArg() > 0:
		return usageError(stderr, "demo", fmt.Errorf("unexpected argument %s", echo(fs.Arg(0))))
	case sessions < demoMinSessions || sessions > brassim.MaxSessions:
		return usageError(stderr, "demo", fmt.Errorf("--sessions %d: want %d to %d", sessions, demoMinSessions, brassim.MaxSessions))
	}
	// MyUserName (and a share of the others) reconnect every minute on a
	// new Virtual-Access, so the demo shows stg following a subscriber.
	sim, err := brassim.New(brassim.Options{Sessions: sessions, Seed: seed, Flap: demoFlap})
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
	return runPoll(ctx, pollArgs, getenv, stdin, stdout, stderr)
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
