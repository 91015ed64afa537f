package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/serve"
)

// runServe is `stg serve`: the routers of a file, polled headless for
// Prometheus until ctx ends; SIGHUP reads the file again.
func runServe(ctx context.Context, args []string, env cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	s, err := cli.ParseServe(args)
	if code, ok := parsed(err, "serve", stdout, stderr); !ok {
		return code
	}
	reload := make(chan os.Signal, 1)
	signal.Reset(syscall.SIGHUP) // SIGHUP ends stg (main), but reloads serve
	signal.Notify(reload, syscall.SIGHUP)
	defer signal.Stop(reload)
	opts := serve.Options{ConfigPath: s.Config, Listen: s.Listen, JSON: s.LogFormat == "json", Env: env, Log: stderr, Reload: reload}
	if err := serve.Run(ctx, opts); err != nil {
		return failure(stderr, err)
	}
	return exitOK
}
