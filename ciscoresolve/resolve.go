// Package ciscoresolve finds a subscriber's interface on a BRAS: it turns a
// PPPoE/PPPoA username into the ifIndex stg polls (README.md, "Finding a
// subscriber").
//
// Strategies sit behind one Resolver interface: SNMP walks of
// CISCO-SUBSCRIBER-SESSION-MIB, CISCO-AAA-SESSION-MIB and IF-MIB (one column
// at a time, stopping at the match), and the IOS CLI over SSH (SSHConfig:
// known_hosts, agent, keys, password). Race runs SNMP and SSH side by side,
// and Cached answers a repeated question with one verifying GET. The
// parsers of the IOS outputs are pure functions of an io.Reader.
package ciscoresolve

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Method names the strategy that produced a Result.
type Method string

// The strategies a Result can come from.
const (
	// MethodCsub is CISCO-SUBSCRIBER-SESSION-MIB csubSessionUsername.
	MethodCsub Method = "snmp:csubSessionUsername"
	// MethodCasn is CISCO-AAA-SESSION-MIB casnUserId → casnVaiIfIndex.
	MethodCasn Method = "snmp:casnUserId"
	// MethodIfMIB is a match in IF-MIB ifDescr, ifName or ifAlias.
	MethodIfMIB Method = "snmp:if-mib"
	// MethodSSH is the IOS CLI over SSH.
	MethodSSH Method = "ssh"
	// MethodCache is a cached mapping verified by one GET.
	MethodCache Method = "cache"
)

// Errors callers branch on (with errors.Is).
var (
	// ErrNotFound means no strategy found the user.
	ErrNotFound = errors.New("user not found")
	// ErrNotInIFMIB means the user's session exists but its Virtual-Access
	// interface has no IF-MIB row, so there is nothing to poll.
	ErrNotInIFMIB = errors.New("Virtual-Access interfaces are not in IF-MIB on this router (`no virtual-template snmp`?): enable `virtual-template snmp` or poll via another method")
	// ErrUnsupported means the agent or router does not implement what a
	// strategy needs (an empty MIB column, an IOS command it rejects).
	ErrUnsupported = errors.New("not supported by the router")
)

// Result is a resolved subscriber: the interface to poll and how to check,
// in the poller's GET, that it still belongs to the user.
type Result struct {
	// User is the username as asked for.
	User string `json:"user"`
	// IfIndex is the interface's ifIndex.
	IfIndex int `json:"ifIndex"`
	// IfDescr is the interface's ifDescr (IOS: "Virtual-Access1.195").
	IfDescr string `json:"ifDescr"`
	// IfName is the interface's ifName (IOS: "Vi1.195").
	IfName string `json:"ifName"`
	// Method is the strategy that found the interface.
	Method Method `json:"method"`
	// Elapsed is the time the resolution took.
	Elapsed time.Duration `json:"elapsed_ns"`
	// IdentityOID is the instance the poller reads with the counters to
	// notice the session going away (csubSessionUsername.<ifIndex>,
	// casnUserId.<sessionId> or ifDescr.<ifIndex>).
	IdentityOID string `json:"identityOID"`
	// IdentityValue is the value IdentityOID must keep.
	IdentityValue string `json:"identityValue"`
	// Note is a remark worth showing, such as a name matched by its first
	// 18 characters only; usually empty.
	Note string `json:"note,omitempty"`
}

// Resolver finds the interface of a subscriber.
type Resolver interface {
	// Resolve returns the interface of user, ErrNotFound (wrapped in a
	// *NotFoundError) when no session exists, or ErrNotInIFMIB when the
	// session's interface cannot be polled.
	Resolve(ctx context.Context, user string) (Result, error)
}

// NotFoundError says that a user was not found, where it was looked for and
// which names came close. It matches ErrNotFound with errors.Is.
type NotFoundError struct {
	// User is the name looked for.
	User string
	// Router is the router searched.
	Router string
	// Tried lists the sources searched, such as "CISCO-AAA-SESSION-MIB".
	Tried []string
	// Near lists names that came close, best first.
	Near []string
}

// Error implements error.
func (e *NotFoundError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "user %q not found on %s", e.User, e.Router)
	if len(e.Tried) > 0 {
		fmt.Fprintf(&b, " (tried %s)", strings.Join(e.Tried, ", "))
	}
	if len(e.Near) > 0 {
		fmt.Fprintf(&b, "; near matches: %s", strings.Join(e.Near, ", "))
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// mergeNotFound combines the not-found errors of several strategies into one
// listing every source tried and the best near matches of all.
func mergeNotFound(user, router string, errs []error) *NotFoundError {
	out := &NotFoundError{User: user, Router: router}
	var near []string
	for _, err := range errs {
		var nf *NotFoundError
		if errors.As(err, &nf) {
			out.Tried = append(out.Tried, nf.Tried...)
			near = append(near, nf.Near...)
		}
	}
	out.Near = nearMatches(user, near, maxNear)
	return out
}
