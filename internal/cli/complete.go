package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// What a flag's value or an operand completes to.
const (
	completeNone   = ""       // a value of its own (a number, a name): nothing offered
	completeValues = "values" // one of a list
	completeFile   = "file"   // a file name
	completeRouter = "router" // a host of ~/.ssh/config or ~/.snmp/hosts/
)

// compFlag is a flag as the completion scripts see it.
type compFlag struct {
	// names are -x and --name.
	names []string
	// value is true when the flag takes a value, which then completes as
	// kind says (values lists the choices).
	value  bool
	kind   string
	values []string
	// help is the flag's help, for the shells that show it.
	help string
}

// compCommand is a command as the completion scripts see it.
type compCommand struct {
	// name is the subcommand, "" for stg itself.
	name, summary string
	flags         []compFlag
	// operand is what its arguments complete to: the first only for
	// values and routers, all of them for files.
	operand string
	values  []string
}

// completionModel describes every command of Commands for the scripts:
// the flags, their values and the operands, all from the tables.
func completionModel() []compCommand {
	var out []compCommand
	for _, c := range Commands() {
		cc := compCommand{name: c.Name, summary: c.Summary}
		fs := c.flagSet()
		for _, f := range c.Flags {
			cf := compFlag{names: []string{"--" + f.Name}, value: f.Kind != Bool}
			if f.Short != "" {
				cf.names = []string{"-" + f.Short, "--" + f.Name}
			}
			placeholder, usage := pflag.UnquoteUsage(fs.Lookup(f.Name))
			cf.help = usage
			switch {
			case !cf.value:
			case len(f.Enum) > 0:
				cf.kind, cf.values = completeValues, f.Enum
			case f.Name == "router" || placeholder == "ROUTER":
				cf.kind = completeRouter
			case strings.Contains(placeholder, "FILE"):
				cf.kind = completeFile
			}
			cc.flags = append(cc.flags, cf)
		}
		cc.operand, cc.values = operandOf(c)
		out = append(out, cc)
	}
	return out
}

// operandOf reads what a command's first operand is from its synopsis:
// ROUTER, a FILE, one of a|b|c, or a SUBCOMMAND.
func operandOf(c Command) (string, []string) {
	forms := strings.Split(c.Synopsis, "; ")
	words := strings.Fields(forms[0])
	for _, form := range forms[1:] {
		// Several forms: the one with an operand right after [flags].
		if w := strings.Fields(form); len(w) > 2 && w[1] == "[flags]" && !strings.HasPrefix(w[2], "-") {
			words = w
		}
	}
	if len(words) == 0 {
		return completeNone, nil
	}
	afterFlag := false
	for _, w := range words[1:] {
		w = strings.Trim(w, "[]")
		switch {
		case w == "" || w == c.Name || w == "flags":
			continue
		case strings.HasPrefix(w, "-"):
			afterFlag = !strings.Contains(w, "=") && takesValue(c, strings.TrimLeft(w, "-"))
			continue
		case afterFlag:
			afterFlag = false
			continue
		case w == "ROUTER":
			return completeRouter, nil
		case strings.Contains(w, "FILE"):
			return completeFile, nil
		case w == "SUBCOMMAND":
			return completeValues, Subcommands
		case strings.Contains(w, "|"):
			return completeValues, strings.Split(w, "|")
		}
		return completeNone, nil
	}
	return completeNone, nil
}

// takesValue reports whether c has a flag named name (or with that
// letter) that takes a value.
func takesValue(c Command, name string) bool {
	for _, f := range c.Flags {
		if f.Name == name || f.Short == name {
			return f.Kind != Bool
		}
	}
	return false
}

// WriteCompletion writes the completion script of shell (bash, zsh or
// fish) to w; the script asks `stg __complete router` for the hosts of
// --router when it needs them.
func WriteCompletion(w io.Writer, shell string) error {
	model := completionModel()
	switch shell {
	case "bash":
		bashCompletion(w, model)
	case "zsh":
		zshCompletion(w, model)
	case "fish":
		fishCompletion(w, model)
	default:
		return fmt.Errorf("no completion for shell %s: use bash, zsh or fish", Echo(shell))
	}
	return nil
}

// shellWords quotes words for sh: each in single quotes.
func shellWords(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = shellQuote(w)
	}
	return strings.Join(q, " ")
}

// shellQuote quotes s in single quotes for sh, zsh and fish.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// valueFlags returns the names of the flags of c that take a value.
func valueFlags(c compCommand) []string {
	var out []string
	for _, f := range c.flags {
		if f.value {
			out = append(out, f.names...)
		}
	}
	return out
}

// allNames returns every name of every flag of c.
func allNames(c compCommand) []string {
	var out []string
	for _, f := range c.flags {
		out = append(out, f.names...)
	}
	return out
}

// firstLine cuts a help text to its first clause, for shells that show a
// description beside each candidate.
func firstLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if i := strings.IndexAny(s, ":;("); i > 20 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
