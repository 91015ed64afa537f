package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/stg-project/stg/internal/cli"
)

// hostFiles is where stg reads net-snmp's and OpenSSH's client
// configuration: the machine's files.
func hostFiles() cli.Files {
	host, _ := os.Hostname()
	return cli.Files{FS: os.DirFS("/"), LocalHost: host}
}

// runCompletion is `stg completion bash|zsh|fish`.
func runCompletion(_ context.Context, args []string, _ cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	if cli.WantsHelp(args) {
		cli.Help(stdout, "completion")
		return exitOK
	}
	if len(args) != 1 {
		return usageError(stderr, "completion", errors.New("give one shell: bash, zsh or fish"))
	}
	if err := cli.WriteCompletion(stdout, args[0]); err != nil {
		return usageError(stderr, "completion", err)
	}
	return exitOK
}

// runMan is `stg man`: the manual page on stdout.
func runMan(_ context.Context, args []string, _ cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	if code, ok := parsed(cli.NoArgs(args), "man", stdout, stderr); !ok {
		return code
	}
	cli.Manual(stdout, cli.BuildOf())
	return exitOK
}

// runComplete is the hidden `stg __complete router` the completion
// scripts call: the hosts to offer for --router, one a line. It never
// fails: a shell completing shows nothing rather than an error.
func runComplete(_ context.Context, args []string, env cli.LookupEnv, _ io.Reader, stdout, _ io.Writer) int {
	if len(args) == 1 && args[0] == "router" {
		for _, name := range cli.RouterNames(env, hostFiles()) {
			fmt.Fprintln(stdout, name)
		}
	}
	return exitOK
}
