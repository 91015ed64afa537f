package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/secret"
)

// sshPassword is the SSH password a run asks for on the terminal: asked
// when a login first needs it (with `--resolve auto` while the SNMP search
// runs beside it, and withdrawn should that search win), at most once per
// run, and remembered for the searches that run in the background once
// the terminal belongs to the TUI.
type sshPassword struct {
	ask    func(ctx context.Context, prompt string) (string, error) // once per run
	asking atomic.Bool                                              // a prompt is on the terminal

	mu     sync.Mutex
	answer secret.Secret
}

// newSSHPassword returns the password source of a run; read asks on the
// terminal (ttyPassword), nil when there is no terminal to ask on.
func newSSHPassword(read func(ctx context.Context, prompt string) (string, error)) *sshPassword {
	p := &sshPassword{}
	if read != nil {
		p.ask = ciscoresolve.PromptOnce(func(ctx context.Context, prompt string) (string, error) {
			p.asking.Store(true)
			defer p.asking.Store(false)
			return read(ctx, prompt)
		})
	}
	return p
}

// prompt asks (once per run) and remembers the answer.
func (p *sshPassword) prompt(ctx context.Context, prompt string) (string, error) {
	pw, err := p.ask(ctx, prompt)
	if err == nil {
		p.mu.Lock()
		p.answer = secret.Secret(pw)
		p.mu.Unlock()
	}
	return pw, err
}

// remembered returns the answer given, "" when none was.
func (p *sshPassword) remembered() secret.Secret {
	if p == nil {
		return ""
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.answer
}

// prompting reports whether a prompt is on the terminal now, when nothing
// else may write to it.
func (p *sshPassword) prompting() bool { return p != nil && p.asking.Load() }

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
