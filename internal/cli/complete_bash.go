package cli

import (
	"fmt"
	"io"
	"strings"
)

// shellHelpers writes the functions the bash and zsh scripts share:
// _stg_is_subcommand WORD, and _stg_takes_value SUBCOMMAND FLAG, which
// says whether the flag takes a value (so the next word is not an
// operand).
func shellHelpers(w io.Writer, model []compCommand) {
	fmt.Fprint(w, `_stg_is_subcommand() {
    case "$1" in
    `+strings.Join(Subcommands, "|")+`) return 0 ;;
    esac
    return 1
}

_stg_takes_value() {
    case "$1 $2" in
`)
	for _, c := range model {
		if names := valueFlags(c); len(names) > 0 {
			fmt.Fprintf(w, "    %s) return 0 ;;\n", bashPatterns(c.name, names))
		}
	}
	fmt.Fprint(w, `    esac
    return 1
}
`)
}

// bashCompletion writes the bash script: a function _stg that finds the
// subcommand among the words, then completes the value of the flag before
// the cursor, a flag, or an operand.
func bashCompletion(w io.Writer, model []compCommand) {
	fmt.Fprint(w, `# bash completion for stg, made by "stg completion bash" from stg's flag tables.
# Load it with: source <(stg completion bash)

_stg_routers() {
    local IFS=$'\n'
    COMPREPLY+=($(compgen -W "$(command "${COMP_WORDS[0]}" `+CompleteCommand+` router 2>/dev/null)" -- "$cur"))
}

_stg_files() {
    compopt -o filenames 2>/dev/null
    local IFS=$'\n'
    COMPREPLY+=($(compgen -f -- "$cur"))
}

`)
	shellHelpers(w, model)
	fmt.Fprint(w, `
_stg() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" w i skip="" operands=0
    COMPREPLY=()
    ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    # bash splits --flag=value at the "=".
    if [[ $cur == "=" ]]; then
        cur=""
    elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
        prev="${COMP_WORDS[COMP_CWORD-2]}"
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${COMP_WORDS[i]}"
        if [[ -n $skip ]]; then
            skip=""
            continue
        fi
        case "$w" in
        =) skip=1; continue ;;
        -*=*) continue ;;
        -*)
            if [[ ${COMP_WORDS[i+1]} != "=" ]] && _stg_takes_value "$cmd" "$w"; then skip=1; fi
            continue ;;
        esac
        if [[ -z $cmd ]] && ((operands == 0)) && _stg_is_subcommand "$w"; then
            cmd="$w"
            continue
        fi
        ((operands++))
    done
    case "$cmd $prev" in
`)
	for _, c := range model {
		for _, f := range c.flags {
			if !f.value {
				continue
			}
			fmt.Fprintf(w, "    %s) %s; return ;;\n", bashPatterns(c.name, f.names), bashComplete(f.kind, f.values))
		}
	}
	fmt.Fprint(w, `    esac
    if [[ $cur == -* ]]; then
        case "$cmd" in
`)
	for _, c := range model {
		fmt.Fprintf(w, "        %s) COMPREPLY=($(compgen -W %s -- \"$cur\")) ;;\n", bashCase(c.name), shellQuote(strings.Join(allNames(c), " ")))
	}
	fmt.Fprint(w, `        esac
        return
    fi
    case "$cmd" in
`)
	for _, c := range model {
		switch {
		case c.name == "":
			fmt.Fprintf(w, "    \"\") ((operands == 0)) && { _stg_routers; COMPREPLY+=($(compgen -W %s -- \"$cur\")); } ;;\n", shellQuote(strings.Join(Subcommands, " ")))
		case c.operand == completeFile:
			fmt.Fprintf(w, "    %s) _stg_files ;;\n", bashCase(c.name))
		case c.operand != completeNone:
			fmt.Fprintf(w, "    %s) ((operands == 0)) && { %s; } ;;\n", bashCase(c.name), bashComplete(c.operand, c.values))
		}
	}
	fmt.Fprint(w, `    esac
    return 0
}

complete -F _stg stg
`)
}

// bashCase is a case pattern for a subcommand ("" for stg itself).
func bashCase(name string) string {
	if name == "" {
		return `""`
	}
	return name
}

// bashPatterns is the case pattern "cmd -x"|"cmd --name" of flags.
func bashPatterns(cmd string, names []string) string {
	p := make([]string, len(names))
	for i, n := range names {
		p[i] = `"` + cmd + " " + n + `"`
	}
	return strings.Join(p, "|")
}

// bashComplete is the command that completes one value of kind.
func bashComplete(kind string, values []string) string {
	switch kind {
	case completeValues:
		return `COMPREPLY=($(compgen -W ` + shellQuote(strings.Join(values, " ")) + ` -- "$cur"))`
	case completeFile:
		return "_stg_files"
	case completeRouter:
		return "_stg_routers"
	}
	return ":"
}
