package cli

import "fmt"

// Subcommands are the names of stg's subcommands, those of Commands. A
// first argument with one of these names is the subcommand, never a
// router: a router named so is given with --router.
var Subcommands = func() []string {
	var names []string
	for _, c := range Commands() {
		if c.Name != "" {
			names = append(names, c.Name)
		}
	}
	return names
}()

// CompleteCommand is the hidden subcommand the completion scripts call
// for values that change on the machine (the hosts of --router).
const CompleteCommand = "__complete"

// IsSubcommand reports whether name is one of Subcommands or the hidden
// CompleteCommand.
func IsSubcommand(name string) bool { return name == CompleteCommand || contains(Subcommands, name) }

// Split finds a subcommand among args: the first argument that is not an
// option of stg nor an option's value. It returns "" when there is none
// (or the options before it do not parse: the polling command then says
// why), the options before it and the arguments after it.
func Split(args []string) (name string, before, after []string) {
	if len(args) == 0 {
		return "", nil, nil
	}
	if IsSubcommand(args[0]) {
		return args[0], nil, args[1:]
	}
	fs := Poll.flagSet()
	fs.SetInterspersed(false)
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 || fs.ArgsLenAtDash() == 0 {
		return "", nil, nil
	}
	rest := fs.Args()
	if !IsSubcommand(rest[0]) {
		return "", nil, nil
	}
	return rest[0], args[:len(args)-len(rest)], rest[1:]
}

// WantsHelp reports whether args hold -h or --help.
func WantsHelp(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" {
			return true
		}
	}
	return false
}

// NoArgs reads the command line of a subcommand that takes nothing but
// -h/--help: ErrHelp for that, an error naming an argument for any other.
func NoArgs(args []string) error {
	switch {
	case WantsHelp(args):
		return ErrHelp
	case len(args) > 0:
		return fmt.Errorf("unexpected argument %s", Echo(args[0]))
	}
	return nil
}
