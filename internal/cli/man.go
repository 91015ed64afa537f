package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// manDescription is the DESCRIPTION of the manual page: what stg does,
// in the words of README.md's introduction.
const manDescription = `stg polls the octet counters of interfaces over SNMP, by default every
second, and draws their in and out rates as scrolling charts in the
terminal; with its output piped, it writes one CSV or JSON Lines row per
target per poll instead. An interface is named by ifName, ifDescr, ifAlias
or ifIndex (--if); a PPPoE or IPoE subscriber of a Cisco BRAS by its
username (--user), found through the subscriber MIBs or, over SSH, the
router's CLI, and followed when it reconnects on another interface.
.PP
A rate is never a spike or a zero that did not happen: polls without an
answer, counter resets, wraps, discontinuities and agents that cache their
counters each have a status of their own (see the CSV output in README.md).
.PP
stg starts from the configuration net-snmp's and OpenSSH's tools already
use on the host: the defaults of snmp.conf (community, SNMPv3 user,
passphrases, port, timeout) and, for the SSH resolver, ~/.ssh/config
(HostName, Port, User, IdentityFile, ProxyJump...). Flags win over the
environment, which wins over the files.`

// manExamples are the EXAMPLES of the manual page: a command, then what
// it does.
var manExamples = [][2]string{
	{"stg --router bras1 --user MyUserName", "Chart a PPPoE subscriber's rates in the terminal."},
	{"stg -v 3 -u ops -l authPriv bras1 Gi0/0/1 Te0/1/0", "Two interfaces over SNMPv3; the passphrases come from STG_AUTH_PASS and STG_PRIV_PASS, or from snmp.conf."},
	{"stg --router bras1 --if Gi0/0/1 --duration 5m > gi.csv", "Five minutes of CSV rows."},
	{"stg plot gi.csv --out gi.png", "A picture of the recording for a ticket."},
	{"stg resolve --router bras1 --user MyUserName --resolve ssh", "The subscriber's interface, found through the router's CLI, reached as ~/.ssh/config says."},
	{"source <(stg completion bash)", "Completion in the running bash."},
}

// manFiles are the FILES of the manual page.
var manFiles = [][2]string{
	{"/etc/snmp/snmp.conf, ~/.snmp/snmp.conf", "net-snmp's client defaults (defVersion, defCommunity, defSecurityName, defAuthPassphrase...), read as snmpget reads them; SNMPCONFPATH replaces the directories searched."},
	{"~/.snmp/hosts/ROUTER.conf", "net-snmp's defaults for one router, over the general files."},
	{"~/.ssh/config, /etc/ssh/ssh_config", "OpenSSH's client configuration, for the SSH resolver."},
	{"~/.ssh/known_hosts", "the routers' SSH host keys (or --known-hosts, or UserKnownHostsFile)."},
	{"~/.ssh/id_ed25519, id_ecdsa, id_rsa", "keys offered to routers, unless IdentityFile names others."},
	{"$XDG_CACHE_HOME/stg, ~/.cache/stg", "the cache of resolved users (or STG_CACHE_DIR)."},
}

// Manual writes stg's manual page in roff (man(7)) from the command
// tables, the same as the help is made from. b dates the page and names
// the version.
func Manual(w io.Writer, b Build) {
	m := &roff{w: w}
	date := b.Date
	if len(date) >= 10 {
		date = date[:10]
	}
	m.line(".TH STG 1 %s %s %s", quoteArg(date), quoteArg("stg "+b.Version), quoteArg("User Commands"))
	m.section("NAME")
	m.line("stg \\- %s", escape(Poll.Summary))
	m.section("SYNOPSIS")
	for _, c := range Commands() {
		for i, s := range strings.Split(c.Synopsis, "; ") {
			if i > 0 || c.Name != "" {
				m.line(".br")
			}
			m.line("%s", escape(s))
		}
	}
	m.section("DESCRIPTION")
	m.text(manDescription)
	m.section("OPTIONS")
	var titles []string
	byGroup := map[string][]Flag{}
	for _, f := range Poll.Flags {
		if _, ok := byGroup[f.Group]; !ok {
			titles = append(titles, f.Group)
		}
		byGroup[f.Group] = append(byGroup[f.Group], f)
	}
	for _, t := range titles {
		m.line(".SS %s", quoteArg(t))
		m.flags(Poll, byGroup[t])
	}
	m.section("COMMANDS")
	for _, c := range Commands()[1:] {
		m.command(c)
	}
	m.section("EXIT STATUS")
	m.item("0", "normal end: the run was stopped (q, Ctrl-C, SIGTERM, SIGHUP), --count or --duration ended it, or a subcommand succeeded.")
	m.item("1", "runtime failure: no answer, a router or user not found, a file that cannot be written (stg resolve: a user not found).")
	m.item("2", "usage error: the one line on standard error says what to change.")
	m.section("ENVIRONMENT")
	for _, e := range environment() {
		m.item(e.Name, e.Help)
	}
	m.section("FILES")
	for _, f := range manFiles {
		m.item(f[0], f[1])
	}
	m.section("EXAMPLES")
	for _, e := range manExamples {
		m.line(".PP")
		m.text(e[1])
		m.line(".PP")
		m.line(".RS 4")
		m.line(".EX")
		m.line("%s", escape(e[0]))
		m.line(".EE")
		m.line(".RE")
	}
	m.section("SEE ALSO")
	m.line(".BR snmpget (1),")
	m.line(".BR snmp.conf (5),")
	m.line(".BR ssh (1),")
	m.line(".BR ssh_config (5)")
}

// environment lists the variables any command reads, each once: those
// of flags first, in table order.
func environment() []EnvVar {
	var out []EnvVar
	seen := map[string]bool{}
	add := func(e EnvVar) {
		if !seen[e.Name] {
			seen[e.Name] = true
			out = append(out, e)
		}
	}
	for _, c := range Commands() {
		for _, f := range c.Flags {
			if f.Env != "" {
				add(EnvVar{f.Env, fmt.Sprintf("--%s of %s when the flag is not given.", f.Name, commandName(c))})
			}
		}
	}
	for _, c := range Commands() {
		for _, e := range c.Env {
			add(e)
		}
	}
	return out
}

// commandName is "stg" or "stg NAME".
func commandName(c Command) string { return strings.TrimSpace("stg " + c.Name) }

// roff writes a manual page.
type roff struct{ w io.Writer }

func (m *roff) line(format string, args ...any) { fmt.Fprintf(m.w, format+"\n", args...) }

func (m *roff) section(title string) { m.line(".SH %s", quoteArg(title)) }

// text writes prose, escaped, keeping the .PP lines it holds.
func (m *roff) text(s string) {
	for _, l := range strings.Split(s, "\n") {
		if l == ".PP" {
			m.line(".PP")
			continue
		}
		m.line("%s", escape(l))
	}
}

// item writes a tagged paragraph.
func (m *roff) item(tag, text string) {
	m.line(".TP")
	m.line(".B %s", quoteArg(tag))
	m.text(text)
}

// command writes a subcommand: its synopsis, summary and flags; the flags
// it shares with stg itself are named, their text is under OPTIONS.
func (m *roff) command(c Command) {
	m.line(".SS %s", quoteArg(commandName(c)))
	m.line(".B %s", quoteArg(c.Synopsis))
	m.line(".PP")
	m.text(capitalize(c.Summary) + ".")
	var own []Flag
	var shared []string
	for _, f := range c.Flags {
		if p, ok := pollFlag(f.Name); ok && p.Help == f.Help && p.Short == f.Short && f.Name != "help" {
			shared = append(shared, "\\-\\-"+f.Name)
			continue
		}
		own = append(own, f)
	}
	if len(shared) > 0 {
		m.line(".PP")
		m.line("It takes these options of stg (see OPTIONS): %s.", strings.Join(shared, ", "))
	}
	m.flags(c, own)
}

// pollFlag returns the flag of Poll named name.
func pollFlag(name string) (Flag, bool) {
	for _, f := range Poll.Flags {
		if f.Name == name {
			return f, true
		}
	}
	return Flag{}, false
}

// flags writes each flag as a tagged paragraph: its letter and name, its
// value's name, its help, its values and its default.
func (m *roff) flags(c Command, flags []Flag) {
	fs := c.flagSet()
	for _, f := range flags {
		pf := fs.Lookup(f.Name)
		name, usage := pflag.UnquoteUsage(pf)
		tag := "\\fB\\-\\-" + escape(f.Name) + "\\fR"
		if f.Short != "" {
			tag = "\\fB\\-" + escape(f.Short) + "\\fR, " + tag
		}
		if f.Kind != Bool && name != "" {
			tag += " \\fI" + escape(name) + "\\fR"
		}
		text := usage
		if len(f.Enum) > 0 && !mentionsAll(usage, f.Enum) {
			text += "; one of " + strings.Join(f.Enum, ", ")
		}
		if f.Default != "" && f.Kind != Bool && f.Kind != Secret && !strings.Contains(usage, "default") {
			text += " (default " + f.Default + ")"
		}
		if f.Env != "" && !strings.Contains(usage, f.Env) {
			text += " (or " + f.Env + ")"
		}
		m.line(".TP")
		m.line("%s", tag)
		m.text(capitalize(text) + ".")
	}
}

// mentionsAll reports whether text names every one of words.
func mentionsAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// escape makes text safe for a roff line: backslashes and hyphens of
// options escaped, and a leading control character neutralised.
func escape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "--", `\-\-`)
	s = strings.ReplaceAll(s, " -", ` \-`)
	if strings.HasPrefix(s, "-") {
		s = `\-` + s[1:]
	}
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// quoteArg quotes a macro argument.
func quoteArg(s string) string { return `"` + strings.ReplaceAll(escape(s), `"`, `\(dq`) + `"` }

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
