package snmp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/stg-project/stg/secret"
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
// chain intact for errors.Is and errors.As: one clear line instead of a
// library's raw text.
type rewordedError struct {
	msg string
	err error
}

func (e *rewordedError) Error() string { return e.msg }
func (e *rewordedError) Unwrap() error { return e.err }

// Probe reads sysUpTime.0 once to learn whether the agent answers. When it
// does not, the error is the *NoResponseError the CLI shows as it is. Any
// answer will do, even one without sysUpTime.0 (noSuchObject, another
// type): such an agent is polled without it, and the poller says so.
func Probe(ctx context.Context, c Client) error {
	if _, err := c.Get(ctx, []string{OIDSysUpTime}); err != nil {
		var nr *NoResponseError
		if errors.As(err, &nr) {
			return nr
		}
		return fmt.Errorf("read sysUpTime.0: %w", err)
	}
	return nil
}

// connectError says in one line why opening the socket to t failed: the
// system's reason without Go's "dial tcp :0->..." detail, and for a TCP
// agent that refused, that most agents serve SNMP over UDP only.
func connectError(t Target, err error) error {
	reason := err
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		reason = opErr.Err
		var sysErr *os.SyscallError
		if errors.As(reason, &sysErr) {
			reason = sysErr.Err
		}
	}
	if t.IsTCP() && errors.Is(err, syscall.ECONNREFUSED) {
		udp := `drop "` + t.Transport + `:"`
		if t.IsIPv6Transport() {
			udp = `use "udp6:" instead of "tcp6:"`
		}
		return &rewordedError{msg: fmt.Sprintf("connect to %s: connection refused: nothing listens on TCP port %d (most agents answer SNMP on udp only: %s)", t, t.Port, udp), err: err}
	}
	return &rewordedError{msg: fmt.Sprintf("connect to %s: %v", t, reason), err: err}
}

// mapError turns a gosnmp error into one of stg's: timeouts become a
// NoResponseError, cancellation keeps ctx's error, and no message carries a
// secret.
func (c *gosnmpClient) mapError(ctx context.Context, op string, start time.Time, err error) error {
	if ctxErr := ctx.Err(); errors.Is(ctxErr, context.Canceled) {
		return fmt.Errorf("%s on %s: %w", op, c.addr, ctxErr)
	}
	var netErr net.Error
	timedOut := errors.Is(err, gosnmp.ErrMaxRetriesExceeded) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		(errors.As(err, &netErr) && netErr.Timeout())
	if timedOut {
		waited := c.timeout * time.Duration(c.retries+1)
		if dl, ok := ctx.Deadline(); ok && dl.Sub(start) < waited {
			waited = time.Since(start).Round(time.Millisecond)
		}
		return &NoResponseError{Addr: c.addr, Timeout: waited, Check: c.silentCheck()}
	}
	if v3err := c.v3Error(err); v3err != nil {
		err = v3err
	} else if strings.Contains(err.Error(), "not authentic") {
		err = fmt.Errorf("SNMPv3 authentication failed, check the authentication protocol and passphrase (-a, -A) and the security name (-u): %w", err)
	}
	return secret.RedactError(fmt.Errorf("%s on %s: %w", op, c.addr, err), c.secrets...)
}

// silentCheck is what to check when the agent did not answer a request.
// An SNMPv3 agent that answered engine discovery is up and reachable: the
// request it ignored points at the user, the privacy settings, the context
// or the user's access.
func (c *gosnmpClient) silentCheck() string {
	usm, ok := c.g.SecurityParameters.(*gosnmp.UsmSecurityParameters)
	if c.g.Version != gosnmp.Version3 || !ok || usm.AuthoritativeEngineID == "" {
		return ""
	}
	return "the agent answered SNMPv3 engine discovery, so check the security name (-u), the privacy protocol and passphrase (-x, -X), the context (-n) and the user's access on the agent"
}
