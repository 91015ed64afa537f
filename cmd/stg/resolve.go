package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/session"
)

// runResolve is `stg resolve --router R --user U [-o text|json]`: it finds
// each user's interface, prints ifIndex, ifDescr, ifName, the method and the
// time it took, and exits 1 when one is not found.
func runResolve(ctx context.Context, args []string, env cli.LookupEnv, _ io.Reader, stdout, stderr io.Writer) int {
	p, format, err := cli.ParseResolve(args, env, hostFiles())
	if errors.Is(err, cli.ErrHelp) {
		cli.Help(stdout, "resolve")
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "resolve", err)
	}
	var closeDebug func()
	if p.Session.Debug, closeDebug, err = openDebugLog(p.DebugPath); err != nil {
		return failure(stderr, err)
	}
	defer closeDebug()
	tellSources(p, stderr)
	code, asked := exitOK, 0
	err = session.Resolve(ctx, p.Session, startupOutputs(stderr), func(_ string, res ciscoresolve.Result, err error) error {
		asked++
		if err != nil {
			code = failure(stderr, err)
			return nil
		}
		return printResult(stdout, format, res, asked > 1)
	})
	if err != nil {
		return failure(stderr, err)
	}
	return code
}

// resolveJSON is one line of `stg resolve -o json`.
type resolveJSON struct {
	User      string  `json:"user"`
	IfIndex   int     `json:"ifIndex"`
	IfDescr   string  `json:"ifDescr"`
	IfName    string  `json:"ifName"`
	Method    string  `json:"method"`
	ElapsedMS float64 `json:"elapsed_ms"`
	Note      string  `json:"note,omitempty"`
}

// printResult writes one resolution as aligned text or one JSON line.
func printResult(w io.Writer, format string, res ciscoresolve.Result, separate bool) error {
	if format == "json" {
		b, err := record.MarshalLine(resolveJSON{User: res.User, IfIndex: res.IfIndex, IfDescr: res.IfDescr, IfName: res.IfName,
			Method: string(res.Method), ElapsedMS: float64(res.Elapsed.Microseconds()) / 1000, Note: res.Note})
		if err != nil {
			return fmt.Errorf("encode result of %q: %w", res.User, err)
		}
		_, err = w.Write(b)
		return err
	}
	var b strings.Builder
	if separate {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "user     %s\nifIndex  %d\nifDescr  %s\nifName   %s\nmethod   %s\nelapsed  %s\n",
		res.User, res.IfIndex, res.IfDescr, res.IfName, res.Method, res.Elapsed.Round(time.Microsecond*100))
	if res.Note != "" {
		fmt.Fprintf(&b, "note     %s\n", res.Note)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
