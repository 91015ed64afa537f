package cli

import (
	"fmt"
	"io"
	"strings"
)

// zshCompletion writes the zsh script: a function _stg with the same
// logic as bash's, offering flags and subcommands with their help.
func zshCompletion(w io.Writer, model []compCommand) {
	fmt.Fprint(w, `#compdef stg
# zsh completion for stg, made by "stg completion zsh" from stg's flag tables.
# Load it with: source <(stg completion zsh)   (after compinit)

_stg_routers() {
    local -a hosts
    hosts=(${(f)"$(command ${words[1]} `+CompleteCommand+` router 2>/dev/null)"})
    compadd -a hosts
}

`)
	shellHelpers(w, model)
	fmt.Fprint(w, `
_stg() {
    local cur=${words[CURRENT]} prev=${words[CURRENT-1]} cmd="" w skip="" i operands=0
    local -a flags subs
    for ((i = 2; i < CURRENT; i++)); do
        w=${words[i]}
        if [[ -n $skip ]]; then
            skip=""
            continue
        fi
        case $w in
        -*=*) continue ;;
        -*) _stg_takes_value "$cmd" "$w" && skip=1; continue ;;
        esac
        if [[ -z $cmd ]] && ((operands == 0)) && _stg_is_subcommand "$w"; then
            cmd=$w
            continue
        fi
        ((operands++))
    done
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        compset -P '*='
    fi
    case "$cmd $prev" in
`)
	for _, c := range model {
		for _, f := range c.flags {
			if f.value {
				fmt.Fprintf(w, "    %s) %s; return ;;\n", bashPatterns(c.name, f.names), zshComplete(f.kind, f.values))
			}
		}
	}
	fmt.Fprint(w, `    esac
    if [[ $cur == -* ]]; then
        case $cmd in
`)
	for _, c := range model {
		var specs []string
		for _, f := range c.flags {
			for _, n := range f.names {
				specs = append(specs, zshSpec(n, f.help))
			}
		}
		fmt.Fprintf(w, "        %s) flags=(%s) ;;\n", bashCase(c.name), strings.Join(specs, " "))
	}
	fmt.Fprint(w, `        esac
        _describe -t options option flags
        return
    fi
    case $cmd in
`)
	for _, c := range model {
		switch {
		case c.name == "":
			var specs []string
			for _, sub := range model[1:] {
				specs = append(specs, zshSpec(sub.name, sub.summary))
			}
			fmt.Fprintf(w, "    \"\") if ((operands == 0)); then subs=(%s); _describe -t commands subcommand subs; _stg_routers; fi ;;\n", strings.Join(specs, " "))
		case c.operand == completeFile:
			fmt.Fprintf(w, "    %s) _files ;;\n", bashCase(c.name))
		case c.operand != completeNone:
			fmt.Fprintf(w, "    %s) ((operands == 0)) && %s ;;\n", bashCase(c.name), zshComplete(c.operand, c.values))
		}
	}
	fmt.Fprint(w, `    esac
}

if [[ $funcstack[1] == _stg ]]; then
    _stg "$@"
else
    compdef _stg stg
fi
`)
}

// zshSpec is a _describe entry "name:help", the colons of the name
// escaped.
func zshSpec(name, help string) string {
	return shellQuote(strings.ReplaceAll(name, ":", `\:`) + ":" + firstLine(help))
}

// zshComplete is the command that completes one value of kind.
func zshComplete(kind string, values []string) string {
	switch kind {
	case completeValues:
		return "compadd -- " + shellWords(values)
	case completeFile:
		return "_files"
	case completeRouter:
		return "_stg_routers"
	}
	return ":"
}
