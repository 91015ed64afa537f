package snmp

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"
)

// A request the agent does not answer within the timeout is sent again,
// up to Config.Retries times, as net-snmp's tools do: the same request
// from the same place (a walk resumes from the last OID it got), and an
// answer to any of its attempts is taken, however late, while answers to
// earlier requests are dropped by their request-id. A request whose
// context ends first is never resent: the poller gives each poll a
// deadline no later than the timeout, so a poll is sent once.

// Retry describes a request sent again because the agent did not answer
// it within the timeout.
type Retry struct {
	// Op is the request, such as "get 1.3.6.1.2.1.1.3.0".
	Op string
	// Addr is the agent's "host:port".
	Addr string
	// Attempt is the attempt now sent: 2 for the first resend.
	Attempt int
	// Attempts is how many attempts there will be at most (1 + retries).
	Attempts int
	// Waited is the time since the request was first sent.
	Waited time.Duration
}

// Status says what is happening, for a progress line: "no answer for 2s,
// asking again (3 of 6)".
func (r Retry) Status() string {
	return fmt.Sprintf("no answer for %s, asking again (%d of %d)", r.Waited.Round(100*time.Millisecond), r.Attempt, r.Attempts)
}

// String names the request and its status.
func (r Retry) String() string {
	return nameOIDs(r.Op) + " on " + r.Addr + ": " + r.Status()
}

type retryKey struct{}

// WithRetryReport returns a context under which a Client from Dial calls
// report each time it resends a request for want of an answer. The
// innermost report of a context chain is the one called.
func WithRetryReport(ctx context.Context, report func(Retry)) context.Context {
	return context.WithValue(ctx, retryKey{}, report)
}

// retryReport returns the report of ctx, or nil.
func retryReport(ctx context.Context) func(Retry) {
	report, _ := ctx.Value(retryKey{}).(func(Retry))
	return report
}

// traceRetries hooks gosnmp's send loop to report resends under ctx; the
// returned func removes the hooks. gosnmp calls OnRetry before every
// further pass of its loop (also the last, which sends nothing) and
// PreSend before every send, and it also resends at once after an answer
// it could not use; only a send that follows an attempt left unanswered
// for about the timeout is reported.
func (c *gosnmpClient) traceRetries(ctx context.Context, op string) func() {
	report := retryReport(ctx)
	if report == nil {
		return func() {}
	}
	var (
		first, last time.Time
		sends       int
		again       bool
	)
	c.g.OnRetry = func(*gosnmp.GoSNMP) { again = true }
	c.g.PreSend = func(*gosnmp.GoSNMP) {
		now := time.Now()
		if !again { // a new send loop: v3 engine discovery, then the request
			first, sends = now, 0
		}
		sends++
		if again && now.Sub(last) >= c.timeout/2 {
			report(Retry{Op: op, Addr: c.addr, Attempt: sends, Attempts: c.retries + 1, Waited: now.Sub(first)})
		}
		last, again = now, false
	}
	return func() { c.g.OnRetry, c.g.PreSend = nil, nil }
}

// oidNames are the OIDs stg asks for most, by name, for progress lines.
var oidNames = []struct{ oid, name string }{
	{OIDSysUpTime, "sysUpTime.0"},
	{OIDIfDescr, "ifDescr"},
	{OIDIfType, "ifType"},
	{OIDIfSpeed, "ifSpeed"},
	{OIDIfInOctets, "ifInOctets"},
	{OIDIfOutOctets, "ifOutOctets"},
	{OIDIfName, "ifName"},
	{OIDIfHCInOctets, "ifHCInOctets"},
	{OIDIfHCOutOctets, "ifHCOutOctets"},
	{OIDIfHighSpeed, "ifHighSpeed"},
	{OIDIfAlias, "ifAlias"},
	{OIDIfCounterDiscontinuityTime, "ifCounterDiscontinuityTime"},
}

// nameOIDs replaces the OIDs of op that stg knows by their names:
// "walk 1.3.6.1.2.1.31.1.1.1.1" is "walk ifName".
func nameOIDs(op string) string {
	words := strings.Fields(op)
	for i, w := range words {
		for _, n := range oidNames {
			if w == n.oid {
				words[i] = n.name
				break
			}
			if rest, ok := strings.CutPrefix(w, n.oid+"."); ok {
				words[i] = n.name + "." + rest
				break
			}
		}
	}
	return strings.Join(words, " ")
}
