package cli

import (
	"errors"
	"fmt"
	"strings"
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
