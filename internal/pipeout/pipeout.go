// Package pipeout lets a command that writes rows to stdout end quietly
// when the reader goes away (`stg … | head`): the write fails with EPIPE
// instead of SIGPIPE killing the process, and that failure is no error.
package pipeout

import (
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// Catch receives SIGPIPE until stop is called, so that a write to a closed
// stdout fails with EPIPE instead of killing the process (os/signal,
// "SIGPIPE").
func Catch() (stop func()) {
	sigpipe := make(chan os.Signal, 1)
	signal.Notify(sigpipe, syscall.SIGPIPE)
	return func() { signal.Stop(sigpipe) }
}

// Closed reports whether err is a write to a pipe whose reader went away.
func Closed(err error) bool {
	return errors.Is(err, syscall.EPIPE)
}
