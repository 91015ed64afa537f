package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/session"
)

// runResolve is `stg resolve --router R --user U [-o text|json]`: it finds
// each user's interface, prints ifIndex, ifDescr, ifName, the method and the
// time it took, and exits 1 when one is not found.
func runResolve(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	format, rest, err := resolveFormat(args)
	if err != nil {
		return usageError(stderr, "resolve", err)
	}
	o, err := parseOptions(rest, getenv)
	if errors.Is(err, errHelp) {
		resolveUsage(stdout)
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "resolve", err)
	}
	if len(o.Users) == 0 || len(o.Ifaces) > 0 {
		return usageError(stderr, "resolve", errors.New("stg resolve takes --user USERNAME (repeatable) and no interfaces"))
	}
	cfg, err := o.sessionConfig(getenv)
	if err != nil {
		return usageError(stderr, "resolve", err)
	}
	var closeDebug func()
	if cfg.Debug, closeDebug, err = openDebugLog(o.Debug); err != nil {
		return failure(stderr, err)
	}
	defer closeDebug()
	code, asked := exitOK, 0
	err = session.Resolve(ctx, cfg, startupOutputs(stderr), func(_ string, res ciscoresolve.Result, err error) error {
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

// resolveFormat takes `-o text|json` (or --output) out of args: the shared
// flag set only knows the polling output modes.
func resolveFormat(args []string) (string, []string, error) {
	format := "text"
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		var v string
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
			continue
		case a == "-o" || a == "--output":
			if i+1 >= len(args) {
				return "", nil, fmt.Errorf("flag needs an argument: %s", a)
			}
			i++
			v = args[i]
		case strings.HasPrefix(a, "--output="):
			v = strings.TrimPrefix(a, "--output=")
		case strings.HasPrefix(a, "-o") && !strings.HasPrefix(a, "--"):
			v = strings.TrimPrefix(strings.TrimPrefix(a, "-o"), "=")
		default:
			rest = append(rest, a)
			continue
		}
		if v != "text" && v != "json" {
			return "", nil, fmt.Errorf("bad -o %q for stg resolve: use text or json", v)
		}
		format = v
	}
	return format, rest, nil
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
