package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/cli"
)

// completionHome makes a home directory whose ~/.ssh/config names bras1,
// bras2 and edge-1 (and a pattern, which is not a host), and whose
// ~/.snmp/hosts/ has core9, and returns it with the routers completion
// should offer.
func completionHome(t *testing.T) (string, []string) {
	t.Helper()
	home := t.TempDir()
	for path, text := range map[string]string{
		".ssh/config":            "Host bras1 bras2\n  User noc\nHost *.lab\n  Port 2222\nInclude conf.d/*\n",
		".ssh/conf.d/edge":       "Host edge-1\n  HostName 192.0.2.1\n",
		".snmp/hosts/core9.conf": "defCommunity x\n",
	} {
		p := filepath.Join(home, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home, []string{"bras1", "bras2", "core9", "edge-1"}
}

// shellEnv is the environment of a shell that finds the stg under test on
// PATH and has home as HOME.
func shellEnv(t *testing.T, home string) []string {
	return append(os.Environ(), "HOME="+home, "PATH="+filepath.Dir(stgBinary(t))+":"+os.Getenv("PATH"), "SNMPCONFPATH=")
}

// completionCase is a command line to complete (the last word is the one
// being typed) and the candidates it must offer exactly, or at least.
type completionCase struct {
	words   []string
	want    []string
	atLeast bool
}

// completionCases are the cases every shell passes: every flag of every
// command of cli.Commands, the values of every enumerated flag, the
// routers, the subcommands and the operands.
func completionCases(routers []string) []completionCase {
	var cases []completionCase
	for _, c := range cli.Commands() {
		prefix := []string{"stg"}
		if c.Name != "" {
			prefix = append(prefix, c.Name)
		}
		var flags []string
		for _, f := range c.Flags {
			flags = append(flags, "--"+f.Name)
			if len(f.Enum) > 0 {
				cases = append(cases, completionCase{words: append(slices.Clone(prefix), "--"+f.Name, ""), want: f.Enum})
			}
		}
		if len(flags) > 0 {
			cases = append(cases, completionCase{words: append(slices.Clone(prefix), "--"), want: flags, atLeast: true})
		}
	}
	return append(cases,
		completionCase{words: []string{"stg", "-v", ""}, want: []string{"1", "2c", "3"}},
		completionCase{words: []string{"stg", "--router", ""}, want: routers},
		completionCase{words: []string{"stg", "--router", "bras1", "--user", "x", "--resolve", ""}, want: []string{"auto", "snmp", "ssh"}},
		completionCase{words: []string{"stg", ""}, want: append(slices.Clone(routers), cli.Subcommands...)},
		completionCase{words: []string{"stg", "-c", "public", "res"}, want: []string{"resolve"}},
		completionCase{words: []string{"stg", "-c", "public", "resolve", "-o", ""}, want: []string{"json", "text"}},
		completionCase{words: []string{"stg", "completion", ""}, want: []string{"bash", "fish", "zsh"}},
		completionCase{words: []string{"stg", "bras1", "Gi0/"}, want: nil},
	)
}

// check compares what a shell offered with the case.
func (c completionCase) check(t *testing.T, shell string, got []string) {
	t.Helper()
	slices.Sort(got)
	want := slices.Sorted(slices.Values(c.want))
	if c.atLeast {
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: %q offers %q, which lacks %s", shell, strings.Join(c.words, " "), got, w)
			}
		}
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: %q offers %q, want %q", shell, strings.Join(c.words, " "), got, want)
	}
}

// runCompletionShell runs a shell script with a bound in time and returns its
// output.
func runCompletionShell(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

// TestCompletionInBash loads `stg completion bash` into a real bash as a
// user would (source <(stg completion bash)) and asks its completion
// function for each case, as bash does on Tab.
func TestCompletionInBash(t *testing.T) {
	home, routers := completionHome(t)
	cases := completionCases(routers)
	var script strings.Builder
	script.WriteString("source <(stg completion bash) || exit 1\n" +
		`comp() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=(); _stg; printf '%s\n' "${COMPREPLY[@]}"; echo "@@"; }` + "\n")
	for _, c := range cases {
		fmt.Fprintf(&script, "comp %s\n", quoteWords(c.words))
	}
	out := runCompletionShell(t, shellEnv(t, home), "bash", "-c", script.String())
	answers := strings.Split(out, "@@\n")
	if len(answers) != len(cases)+1 {
		t.Fatalf("bash answered %d cases of %d:\n%s", len(answers)-1, len(cases), out)
	}
	for i, c := range cases {
		c.check(t, "bash", strings.Fields(answers[i]))
	}
}

// TestCompletionInFish loads `stg completion fish` into a real fish and
// asks `complete -C` for each case.
func TestCompletionInFish(t *testing.T) {
	home, routers := completionHome(t)
	cases := completionCases(routers)
	var script strings.Builder
	script.WriteString("stg completion fish | source; or exit 1\n")
	for _, c := range cases {
		fmt.Fprintf(&script, "complete -C %s; echo @@\n", quoteWords([]string{strings.Join(c.words, " ")}))
	}
	out := runCompletionShell(t, shellEnv(t, home), "fish", "-c", script.String())
	answers := strings.Split(out, "@@\n")
	if len(answers) != len(cases)+1 {
		t.Fatalf("fish answered %d cases of %d:\n%s", len(answers)-1, len(cases), out)
	}
	for i, c := range cases {
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(answers[i]), "\n") {
			if line != "" {
				got = append(got, strings.SplitN(line, "\t", 2)[0]) // the candidate, then its description
			}
		}
		c.check(t, "fish", got)
	}
}

// TestCompletionInZsh types into a real interactive zsh in tmux, with
// compinit and `source <(stg completion zsh)` as a user's .zshrc has
// them, and reads what Tab lists or fills in.
func TestCompletionInZsh(t *testing.T) {
	if testing.Short() {
		t.Skip("drives zsh in tmux: not under -short")
	}
	home, _ := completionHome(t)
	dir := t.TempDir()
	tm := newTmux(t, dir)
	for i, tt := range []struct {
		typed string
		want  []string
	}{
		{"stg --snmp-version ", []string{"1", "2c", "3"}},
		{"stg --router ", []string{"bras1", "bras2", "core9", "edge-1"}},
		{"stg -c public resolve -o ", []string{"json", "text"}},
		{"stg --counters ", []string{"auto", "64", "32"}},
		{"stg --sn", []string{"stg --snmp-version"}},
		{"stg compl", []string{"stg completion"}},
	} {
		session := fmt.Sprintf("z%d", i)
		tm.run("new-session", "-d", "-s", session, "-x", "150", "-y", "20", "env", "HOME="+home,
			"PATH="+filepath.Dir(stgBinary(t))+":"+os.Getenv("PATH"), "zsh", "-f")
		tm.run("send-keys", "-t", session, "PS1='> '; autoload -U compinit && compinit -u && source <(stg completion zsh) && echo loaded", "Enter")
		waitFor(t, 10*time.Second, "zsh with the completion loaded", func() bool {
			return strings.Contains(tm.screen(session), "\nloaded")
		}, func() string { return tm.screen(session) })
		tm.run("send-keys", "-t", session, "-l", tt.typed)
		tm.run("send-keys", "-t", session, "Tab")
		waitFor(t, 10*time.Second, fmt.Sprintf("completion of %q", tt.typed), func() bool {
			screen := tm.screen(session)
			for _, w := range tt.want {
				if !strings.Contains(screen, w) {
					return false
				}
			}
			return true
		}, func() string { return tm.screen(session) })
	}
}

// quoteWords quotes each word for sh.
func quoteWords(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// TestManAndVersionCommands: `stg man` prints a page man(1) renders,
// `stg --version` and `stg version` print the same version.
func TestManAndVersionCommands(t *testing.T) {
	code, page, stderr := runInProcess(t, nil, "man")
	if code != exitOK || !strings.HasPrefix(page, ".TH STG 1") || stderr != "" {
		t.Fatalf("stg man: exit %d, stderr %q, page starts %.40q", code, stderr, page)
	}
	cmd := exec.Command("man", "-l", "-")
	cmd.Stdin = strings.NewReader(page)
	cmd.Env = append(os.Environ(), "MANWIDTH=100", "MANPAGER=cat", "PAGER=cat")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "EXIT STATUS") || !strings.Contains(string(out), "--snmp-version") {
		t.Errorf("man -l: %v\n%.2000s", err, out)
	}
	_, long, _ := runInProcess(t, nil, "--version")
	_, sub, _ := runInProcess(t, nil, "version")
	if long != sub || !strings.HasPrefix(long, "stg ") || !strings.Contains(long, "\ngo      go1.") {
		t.Errorf("--version %q, version %q: want the same, with the Go version", long, sub)
	}
	if code, _, stderr := runInProcess(t, nil, "completion", "tcsh"); code != exitUsage || !strings.Contains(stderr, "bash, zsh or fish") {
		t.Errorf("completion tcsh: exit %d, %q", code, stderr)
	}
}

// TestEverySubcommandRuns: every subcommand of the tables has a run
// function, and every run function a table.
func TestEverySubcommandRuns(t *testing.T) {
	runs := subcommands()
	for _, name := range cli.Subcommands {
		if runs[name] == nil {
			t.Errorf("subcommand %s has no run function in subcommands()", name)
		}
	}
	for name := range runs {
		if !cli.IsSubcommand(name) {
			t.Errorf("run function %s has no table in cli.Commands", name)
		}
	}
}
