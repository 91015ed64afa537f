package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/record"
)

// ParseResolve reads `stg resolve`'s command line: the polling command's
// flags, --user only, and its own -o text|json, the format it returns.
func ParseResolve(args []string, env LookupEnv, files Files) (_ *PollSettings, format string, err error) {
	format, rest, err := resolveFormat(args)
	if err != nil {
		return nil, "", err
	}
	p, err := ParsePoll(rest, env, files)
	if err != nil {
		return nil, "", err
	}
	if len(p.Session.Users) == 0 || len(p.Session.Ifaces) > 0 {
		return nil, "", errors.New("stg resolve takes --user USERNAME (repeatable) and no interfaces")
	}
	return p, format, nil
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

// ResolveJSON is one line of `stg resolve -o json`.
type ResolveJSON struct {
	User      string  `json:"user"`
	IfIndex   int     `json:"ifIndex"`
	IfDescr   string  `json:"ifDescr"`
	IfName    string  `json:"ifName"`
	Method    string  `json:"method"`
	ElapsedMS float64 `json:"elapsed_ms"`
	Note      string  `json:"note,omitempty"`
}

// WriteResolved writes one answer of `stg resolve` in format (text or
// json): aligned text, after a blank line when separate, or one JSON line.
func WriteResolved(w io.Writer, format string, res ciscoresolve.Result, separate bool) error {
	if format == "json" {
		b, err := record.MarshalLine(ResolveJSON{User: res.User, IfIndex: res.IfIndex, IfDescr: res.IfDescr, IfName: res.IfName,
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
