package session

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/secret"
)

// sshPassword is the SSH password a run asks for on the terminal: asked
// when a login first needs it (with `--resolve auto` while the SNMP search
// runs beside it, and withdrawn should that search win), at most once per
// run, and remembered for the searches that run in the background once
// the terminal belongs to the terminal UI.
type sshPassword struct {
	ask    func(ctx context.Context, prompt string) (string, error) // once per run; nil: no terminal
	read   func(ctx context.Context, prompt string) (string, error) // every time: a key's passphrase
	asking atomic.Bool                                              // a prompt is on the terminal

	mu     sync.Mutex
	answer secret.Secret
}

// newSSHPassword returns the password source of a run; read asks on the
// terminal, nil when there is no terminal to ask on.
func newSSHPassword(read func(ctx context.Context, prompt string) (string, error)) *sshPassword {
	p := &sshPassword{}
	if read != nil {
		p.read = func(ctx context.Context, prompt string) (string, error) {
			p.asking.Store(true)
			defer p.asking.Store(false)
			return read(ctx, prompt)
		}
		p.ask = ciscoresolve.PromptOnce(p.read)
	}
	return p
}

// canAsk reports whether there is a terminal to ask on.
func (p *sshPassword) canAsk() bool { return p.ask != nil }

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

// passphrase asks for a key's passphrase (ciscoresolve.Keys asks once
// per key and remembers the key).
func (p *sshPassword) passphrase(ctx context.Context, prompt string) (string, error) {
	return p.read(ctx, prompt)
}

// remembered returns the answer given, "" when none was.
func (p *sshPassword) remembered() secret.Secret {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.answer
}

// prompting reports whether a prompt is on the terminal now, when nothing
// else may write to it.
func (p *sshPassword) prompting() bool { return p.asking.Load() }
