package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stg-project/stg/ciscoresolve"
)

// Limits of what an error message echoes of what the user typed: a value
// is shown up to maxEcho bytes, and a whole line never passes maxLine.
const (
	maxEcho = 64
	maxLine = 2000
)

// Echo quotes a value the user typed for a message: in Go syntax, so that
// control characters stay visible and the message one line, and cut to
// maxEcho bytes with its full length when longer.
func Echo(s string) string {
	if len(s) <= maxEcho {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(cutAt(s, maxEcho)), len(s))
}

// cutAt returns the longest prefix of s of at most n bytes that does not
// split a UTF-8 sequence.
func cutAt(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// OneLine makes a message fit one line of reasonable length, whatever it
// quotes: control characters become Go escapes, each quoted value longer
// than maxEcho is cut (typed values are echoed by other packages and by
// pflag too), and the line is cut at maxLine.
func OneLine(msg string) string {
	msg = capQuoted(EscapeControls(msg))
	if len(msg) > maxLine {
		msg = fmt.Sprintf("%s… (message cut, %d bytes)", cutAt(msg, maxLine), len(msg))
	}
	return msg
}

// capQuoted cuts every double-quoted part of msg longer than maxEcho.
func capQuoted(msg string) string {
	var b strings.Builder
	for {
		start := strings.IndexByte(msg, '"')
		if start < 0 {
			b.WriteString(msg)
			return b.String()
		}
		end := closingQuote(msg, start)
		b.WriteString(msg[:start])
		quoted := msg[start:end]
		if raw, err := strconv.Unquote(quoted); err == nil && len(raw) > maxEcho {
			quoted = Echo(raw)
		} else if err != nil && len(quoted) > maxEcho+2 {
			quoted = cutAt(quoted, maxEcho) + "…"
		}
		b.WriteString(quoted)
		msg = msg[end:]
	}
}

// closingQuote returns the index just past the quote that closes the one at
// start, skipping escaped characters; len(msg) when it is not closed.
func closingQuote(msg string, start int) int {
	for i := start + 1; i < len(msg); i++ {
		switch msg[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(msg)
}

// EscapeControls writes control characters as Go escapes, so that a
// message quoting what the user typed stays one line.
func EscapeControls(msg string) string {
	if !strings.ContainsFunc(msg, unicode.IsControl) {
		return msg
	}
	var b strings.Builder
	for _, r := range msg {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ProgressPrinter returns what shows the progress of long walks on w:
// one line rewritten in place on a terminal, else a line every few
// seconds and one at the end.
func ProgressPrinter(w io.Writer, terminal bool) func(ciscoresolve.Progress) {
	var last time.Duration
	return func(p ciscoresolve.Progress) {
		switch {
		case terminal && p.Done:
			fmt.Fprintf(w, "\r\x1b[Kstg: %s\n", p)
		case terminal:
			fmt.Fprintf(w, "\r\x1b[Kstg: %s", p)
		case p.Done || p.Elapsed-last >= 5*time.Second:
			last = p.Elapsed
			fmt.Fprintf(w, "stg: %s\n", p)
		}
	}
}
