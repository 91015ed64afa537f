package snmp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotFound means an interface (or another named thing) does not exist on
// the agent. Errors that wrap it carry the closest names in their message.
var ErrNotFound = errors.New("not found")

// NoResponseError is the error for an agent that did not answer at all. It
// matches ErrTimeout with errors.Is. Its message names what to check and is
// meant to be shown to the user as it is.
type NoResponseError struct {
	// Addr is the agent's "host:port".
	Addr string
	// Timeout is how long stg waited, retries included.
	Timeout time.Duration
	// Check says what to check; "" means the address, the community or
	// credentials and the agent's ACL.
	Check string
}

// Error returns the one-line message the CLI prints.
func (e *NoResponseError) Error() string {
	check := e.Check
	if check == "" {
		check = "check address, community/credentials and the agent's ACL"
	}
	return "no SNMP response from " + e.Addr + " within " + e.Timeout.String() + " — " + check
}

// Is makes errors.Is(err, ErrTimeout) true for a NoResponseError.
func (e *NoResponseError) Is(target error) bool {
	return target == ErrTimeout
}

// rewordedError shows its own message for an error it wraps, keeping the
// chain intact for errors.Is and errors.As: a message with the secrets
// replaced, or one clear line instead of a library's raw text.
type rewordedError struct {
	msg string
	err error
}

func (e *rewordedError) Error() string { return e.msg }
func (e *rewordedError) Unwrap() error { return e.err }

// redact returns err unchanged when its message contains none of the
// secrets, and otherwise an error whose message shows "<redacted>" instead.
func redact(err error, secrets ...Secret) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	replaced := msg
	for _, s := range secrets {
		if s != "" {
			replaced = strings.ReplaceAll(replaced, s.Reveal(), s.String())
		}
	}
	if replaced == msg {
		return err
	}
	return &rewordedError{msg: replaced, err: err}
}

// Probe reads sysUpTime.0 once to learn whether the agent answers. When it
// does not, the error is the *NoResponseError the CLI shows as it is.
func Probe(ctx context.Context, c Client) error {
	vs, err := c.Get(ctx, []string{OIDSysUpTime})
	if err != nil {
		var nr *NoResponseError
		if errors.As(err, &nr) {
			return nr
		}
		return fmt.Errorf("read sysUpTime.0: %w", err)
	}
	if len(vs) != 1 || vs[0].Kind != KindTimeTicks {
		return fmt.Errorf("read sysUpTime.0: the agent answered %s, not TimeTicks", kindOf(vs))
	}
	return nil
}

func kindOf(vs []Variable) Kind {
	if len(vs) == 0 {
		return KindNull
	}
	return vs[0].Kind
}
