package cli

import (
	"fmt"
	"io"
	"log"
	"os"

	"github.com/stg-project/stg/internal/prompt"
	"github.com/stg-project/stg/session"
	"github.com/stg-project/stg/snmp"
)

// StartupOutputs are what a run tells the user on stderr: notes as
// `stg: note: ...` lines; on a terminal also each request sent again, the
// progress of long walks rewritten in place and the SSH password prompt
// (elsewhere the progress is a line every few seconds).
func StartupOutputs(stderr io.Writer) session.Outputs {
	out := session.Outputs{Note: func(text string) { fmt.Fprintf(stderr, "stg: note: %s\n", text) }}
	if prompt.IsTerminal(stderr) {
		out.Retry = func(r snmp.Retry) { fmt.Fprintf(stderr, "stg: %s\n", r) }
		out.AskPassword = prompt.Password
	}
	out.Progress = ProgressPrinter(stderr, prompt.IsTerminal(stderr))
	return out
}

// WriteWarnings writes what stg found wrong in the configuration files
// it read, a `stg: ...` line each: before the run owns the terminal.
func WriteWarnings(w io.Writer, warnings []string) {
	for _, text := range warnings {
		fmt.Fprintf(w, "stg: %s\n", OneLine(text))
	}
}

// Begin readies the run p describes before it starts: it opens the
// --debug log as the session's (none without --debug), writes the
// warnings on stderr (WriteWarnings) and logs what the run took from the
// configuration files to the debug log. closeLog closes the log.
func (p *PollSettings) Begin(stderr io.Writer) (closeLog func(), err error) {
	closeLog = func() {}
	if p.DebugPath != "" {
		f, err := os.OpenFile(p.DebugPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open debug log: %w", err)
		}
		p.Session.Debug, closeLog = log.New(f, "", log.LstdFlags|log.Lmicroseconds), func() { f.Close() }
	}
	WriteWarnings(stderr, p.Warnings)
	if p.Session.Debug != nil {
		for _, s := range p.Sources {
			p.Session.Debug.Print(s)
		}
	}
	return closeLog, nil
}
