// Package prompt talks to the user's terminal: it asks for a password
// without echo, on the controlling terminal, and tells whether an output
// is a terminal. The rest of stg only writes lines.
package prompt

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// maxPassword bounds the line read as a password.
const maxPassword = 4096

// errNoAnswer means the terminal closed before a password was typed.
var errNoAnswer = errors.New("no password typed (the terminal closed)")

// readPasswordLine reads one line from r, without its line end.
func readPasswordLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, maxPassword)).ReadString('\n')
	switch {
	case err == nil, errors.Is(err, io.EOF) && line != "":
		return strings.TrimRight(line, "\r\n"), nil
	case errors.Is(err, io.EOF):
		return "", errNoAnswer
	}
	return "", fmt.Errorf("read the SSH password: %w", err)
}

// IsTerminal reports whether w is a terminal (a bytes.Buffer never is).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
