package cli

import (
	"fmt"
	"io"
	"strings"
)

// fishCompletion writes the fish script: a function that finds the
// subcommand among the tokens, and one `complete` line per flag, per
// subcommand and per operand, each under the condition of its command.
func fishCompletion(w io.Writer, model []compCommand) {
	fmt.Fprint(w, `# fish completion for stg, made by "stg completion fish" from stg's flag tables.
# Load it with: stg completion fish | source

function __stg_takes_value
    switch "$argv[1] $argv[2]"
`)
	for _, c := range model {
		if names := valueFlags(c); len(names) > 0 {
			fmt.Fprintf(w, "        case %s\n            return 0\n", fishPatterns(c.name, names))
		}
	}
	fmt.Fprint(w, `    end
    return 1
end

# __stg_state prints the subcommand ("" for stg itself) and how many
# operands come before the cursor.
function __stg_state
    set -l cmd ""
    set -l operands 0
    set -l skip 0
    for w in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case '-*=*'
                continue
            case '-*'
                __stg_takes_value "$cmd" $w; and set skip 1
                continue
        end
        if test -z "$cmd" -a $operands = 0; and contains -- $w `+strings.Join(Subcommands, " ")+`
            set cmd $w
            continue
        end
        set operands (math $operands + 1)
    end
    echo $cmd
    echo $operands
end

# __stg_is CMD: the subcommand is CMD; __stg_first CMD: and no operand yet.
function __stg_is
    set -l state (__stg_state)
    test "$state[1]" = "$argv[1]"
end

function __stg_first
    set -l state (__stg_state)
    test "$state[1]" = "$argv[1]" -a "$state[2]" = 0
end

function __stg_routers
    set -l stg (commandline -opc)[1]
    command $stg `+CompleteCommand+` router 2>/dev/null
end

complete -c stg -f
`)
	for _, c := range model {
		is := fmt.Sprintf("-n %s", shellQuote("__stg_is "+fishArg(c.name)))
		first := fmt.Sprintf("-n %s", shellQuote("__stg_first "+fishArg(c.name)))
		for _, f := range c.flags {
			var b strings.Builder
			fmt.Fprintf(&b, "complete -c stg %s", is)
			for _, n := range f.names {
				if strings.HasPrefix(n, "--") {
					fmt.Fprintf(&b, " -l %s", n[2:])
				} else {
					fmt.Fprintf(&b, " -s %s", n[1:])
				}
			}
			switch {
			case !f.value:
			case f.kind == completeValues:
				fmt.Fprintf(&b, " -x -a %s", shellQuote(strings.Join(f.values, " ")))
			case f.kind == completeFile:
				b.WriteString(" -r -F")
			case f.kind == completeRouter:
				b.WriteString(" -x -a '(__stg_routers)'")
			default:
				b.WriteString(" -x")
			}
			fmt.Fprintf(&b, " -d %s\n", shellQuote(firstLine(f.help)))
			io.WriteString(w, b.String())
		}
		switch {
		case c.name == "":
			for _, sub := range model[1:] {
				fmt.Fprintf(w, "complete -c stg %s -a %s -d %s\n", first, sub.name, shellQuote(sub.summary))
			}
			fmt.Fprintf(w, "complete -c stg %s -a '(__stg_routers)' -d router\n", first)
		case c.operand == completeFile:
			fmt.Fprintf(w, "complete -c stg %s -F\n", is)
		case c.operand == completeValues:
			fmt.Fprintf(w, "complete -c stg %s -a %s\n", first, shellQuote(strings.Join(c.values, " ")))
		case c.operand == completeRouter:
			fmt.Fprintf(w, "complete -c stg %s -a '(__stg_routers)' -d router\n", first)
		}
	}
}

// fishArg quotes a subcommand name for a condition ("" for stg itself).
func fishArg(name string) string {
	if name == "" {
		return `""`
	}
	return name
}

// fishPatterns is the switch case "cmd -x" "cmd --name" of flags.
func fishPatterns(cmd string, names []string) string {
	p := make([]string, len(names))
	for i, n := range names {
		p[i] = shellQuote(cmd + " " + n)
	}
	return strings.Join(p, " ")
}
