//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package prompt

import (
	"context"
	"fmt"
	"os"

	"golang.org/x/term"
)

// Password asks for a password on the console (stdin, prompt on
// stderr) without echo. Here the read cannot be withdrawn: when ctx ends
// first, the read is left in the background and ctx's error returned.
func Password(ctx context.Context, prompt string) (string, error) {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return "", fmt.Errorf("no terminal to ask for the SSH password (set STG_SSH_PASS)")
	}
	type answer struct {
		pw  string
		err error
	}
	done := make(chan answer, 1)
	go func() {
		fmt.Fprint(os.Stderr, prompt)
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(os.Stderr)
		done <- answer{string(b), err}
	}()
	select {
	case a := <-done:
		if a.err != nil {
			return "", fmt.Errorf("read the SSH password: %w", a.err)
		}
		return a.pw, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
