package main

import (
	"context"
	"fmt"
	"io"

	"github.com/stg-project/stg/snmp"
)

// startupContext returns ctx for the start-up requests (probe, interface
// lookup, resolution). When w is a terminal, each request sent again
// because the agent left it unanswered is shown on w as it happens, so that
// a slow start says what it waits for; before the TUI takes the screen
// only. Elsewhere (a pipe, a log) a start stays as quiet as net-snmp's
// tools, with one error line should it fail.
func startupContext(ctx context.Context, w io.Writer) context.Context {
	if !isTerminal(w) {
		return ctx
	}
	return snmp.WithRetryReport(ctx, func(r snmp.Retry) { fmt.Fprintf(w, "stg: %s\n", r) })
}
