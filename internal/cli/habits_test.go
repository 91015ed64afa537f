package cli

import (
	"bytes"
	"os/exec"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

// TestBuildFrom: the version comes from what the Makefile links in, else
// from the module version `go install ...@v1.2.0` records, else "devel";
// the commit and date from the link, else from the VCS stamp.
func TestBuildFrom(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
		{Key: "vcs.modified", Value: "true"}}
	installed := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}}
	source := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs}
	tests := []struct {
		name                  string
		info                  *debug.BuildInfo
		version, commit, date string
		want                  Build
	}{
		{"make build", source, "v1.3.0-2-gabcdef0", "abcdef0123", "2026-02-03T00:00:00Z",
			Build{Version: "v1.3.0-2-gabcdef0", Commit: "abcdef0123", Modified: true, Date: "2026-02-03T00:00:00Z", GoVersion: "go1.26.8"}},
		{"go install @version", installed, "", "", "", Build{Version: "v1.2.0", GoVersion: "go1.26.8"}},
		{"go build in a clone", source, "", "", "", Build{Version: "devel", Commit: "0123456789abcdef", Modified: true, Date: "2026-01-02T03:04:05Z", GoVersion: "go1.26.8"}},
		{"dirty tree", nil, "v1.3.0-dirty", "", "", Build{Version: "v1.3.0-dirty", Modified: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildFrom(tt.info, tt.version, tt.commit, tt.date)
			got.Platform = ""
			if tt.info == nil {
				got.GoVersion = ""
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
	s := Build{Version: "v1.2.0", Commit: "abc", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.26.8", Platform: "linux/arm64"}.String()
	for _, want := range []string{"stg v1.2.0\n", "commit  abc\n", "date    2026-01-02T03:04:05Z\n", "go      go1.26.8 linux/arm64\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %q, lacks %q", s, want)
		}
	}
}

// helpOf returns the help of a command as `stg --help` or `stg SUB
// --help` prints it.
func helpOf(c Command) string {
	var b strings.Builder
	if c.Name == "" {
		Usage(&b)
	} else {
		Help(&b, c.Name)
	}
	return b.String()
}

// TestEveryFlagDocumentedEverywhere is the guard for new flags and
// subcommands: each flag of each command of Commands is in that
// command's help, in the manual page and in the three completion
// scripts, and each subcommand is in all of them, with a summary. Nothing
// is listed by hand: a table added to Commands is checked as it is.
func TestEveryFlagDocumentedEverywhere(t *testing.T) {
	var man bytes.Buffer
	Manual(&man, Build{Version: "v1.0.0", Date: "2026-01-02T03:04:05Z"})
	scripts := map[string]string{}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		var b bytes.Buffer
		if err := WriteCompletion(&b, shell); err != nil {
			t.Fatal(err)
		}
		scripts[shell] = b.String()
	}
	for _, c := range Commands() {
		help := helpOf(c)
		if c.Summary == "" {
			t.Errorf("%s has no Summary for the manual and completion", commandName(c))
		}
		if c.Name != "" {
			if !slices.Contains(Subcommands, c.Name) {
				t.Errorf("%s is not among Subcommands", c.Name)
			}
			if !strings.Contains(man.String(), `.SS "stg `+c.Name+`"`) {
				t.Errorf("the manual has no section for stg %s", c.Name)
			}
			if help == "" {
				t.Errorf("stg help %s prints nothing", c.Name)
			}
			for shell, s := range scripts {
				if !strings.Contains(s, c.Name) {
					t.Errorf("the %s completion does not offer %s", shell, c.Name)
				}
			}
		}
		for _, f := range c.Flags {
			if !strings.Contains(help, "--"+f.Name) {
				t.Errorf("the help of %s does not list --%s", commandName(c), f.Name)
			}
			if !strings.Contains(man.String(), `\-\-`+escape(f.Name)) {
				t.Errorf("the manual does not list --%s of %s", f.Name, commandName(c))
			}
			for shell, s := range scripts {
				if !strings.Contains(s, "--"+f.Name) && !strings.Contains(s, "-l "+f.Name) {
					t.Errorf("the %s completion lacks --%s of %s", shell, f.Name, commandName(c))
				}
				for _, v := range f.Enum {
					if !strings.Contains(s, v) {
						t.Errorf("the %s completion lacks the value %s of --%s", shell, v, f.Name)
					}
				}
			}
		}
	}
	// And the other way round: the manual lists no flag that no table has.
	known := map[string]bool{}
	for _, c := range Commands() {
		for _, f := range c.Flags {
			known[f.Name] = true
		}
	}
	for _, m := range regexp.MustCompile(`\\fB\\-\\-([a-z0-9-]+)\\fR`).FindAllStringSubmatch(man.String(), -1) {
		if !known[m[1]] {
			t.Errorf("the manual lists --%s, which no command has", m[1])
		}
	}
}

// TestManualRendersWithoutWarnings: groff reads the page with every
// warning on and says nothing, and the page has the sections a manual
// page is expected to have.
func TestManualRendersWithoutWarnings(t *testing.T) {
	var man bytes.Buffer
	Manual(&man, Build{Version: "v1.0.0", Date: "2026-01-02T03:04:05Z"})
	for _, s := range []string{"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"} {
		if !strings.Contains(man.String(), `.SH "`+s+`"`) {
			t.Errorf("the manual has no %s section", s)
		}
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = &man
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, out)
	}
}

// TestCompletionRefusesUnknownShell: a shell stg has no script for is a
// usage error naming the ones it has.
func TestCompletionRefusesUnknownShell(t *testing.T) {
	err := WriteCompletion(&bytes.Buffer{}, "tcsh")
	if err == nil || !strings.Contains(err.Error(), "bash, zsh or fish") {
		t.Errorf("tcsh: %v", err)
	}
}

// TestOperandOf: what the first operand of each command completes to,
// read from its synopsis.
func TestOperandOf(t *testing.T) {
	for _, tt := range []struct {
		c    Command
		want string
	}{
		{Poll, completeRouter}, {Resolve, completeNone}, {Demo, completeNone}, {Replay, completeFile}, {Plot, completeFile},
		{Completion, completeValues}, {HelpCommand, completeValues}, {Man, completeNone},
	} {
		if got, _ := operandOf(tt.c); got != tt.want {
			t.Errorf("operand of %s: %q, want %q", commandName(tt.c), got, tt.want)
		}
	}
}
