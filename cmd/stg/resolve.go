package main

import (
	"context"
	"io"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/session"
)

// runResolve is `stg resolve --router R --user U [-o text|json]`: it finds
// each user's interface, prints ifIndex, ifDescr, ifName, the method and the
// time it took, and exits 1 when one is not found.
func runResolve(ctx context.Context, args []string, env cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	p, format, err := cli.ParseResolve(args, env, hostFiles())
	if code, ok := parsed(err, "resolve", stdout, stderr); !ok {
		return code
	}
	closeLog, err := p.Begin(stderr)
	if err != nil {
		return failure(stderr, err)
	}
	defer closeLog()
	code, asked := exitOK, 0
	err = session.Resolve(ctx, p.Session, cli.StartupOutputs(stderr), func(_ string, res ciscoresolve.Result, err error) error {
		asked++
		if err != nil {
			code = failure(stderr, err)
			return nil
		}
		return cli.WriteResolved(stdout, format, res, asked > 1)
	})
	if err != nil {
		return failure(stderr, err)
	}
	return code
}
