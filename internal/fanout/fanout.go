// Package fanout hands one stream of values to several consumers, each in
// order and at its own pace within a buffer: stg's sample stream (package
// session) and stg top's cycle stream (package top) go to the terminal UI,
// the CSV rows and any other output through it.
package fanout

import (
	"context"
	"sync"
)

// Consume is one consumer: it takes the values from in, in order, until in
// is closed, then returns. Returning earlier stops taking values; an error
// is the run's.
type Consume[T any] func(ctx context.Context, in <-chan T) error

// Run hands every value of in to each consumer, in order, until in is
// closed and every consumer has returned, and returns the first error of a
// consumer. stopped is called, with its error, for a consumer that fails
// or returns before it took its last value, from that consumer's goroutine
// (so from several at once). A consumer that has returned is skipped; a
// slow one holds the others back by at most buffer values.
func Run[T any](ctx context.Context, in <-chan T, consumers []Consume[T], buffer int, stopped func(error)) error {
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	chans := make([]chan T, len(consumers))
	done := make([]chan struct{}, len(consumers))
	for i, consume := range consumers {
		chans[i], done[i] = make(chan T, buffer), make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[i])
			err := consume(ctx, chans[i])
			if err != nil {
				once.Do(func() { firstErr = err })
			}
			if err != nil || !drained(chans[i]) {
				stopped(err)
			}
		}()
	}
	for v := range in {
		for i := range consumers {
			select {
			case chans[i] <- v:
			case <-done[i]:
			}
		}
	}
	for _, ch := range chans {
		close(ch)
	}
	wg.Wait()
	return firstErr
}

// drained reports whether ch is closed and empty: its consumer took every
// value.
func drained[T any](ch <-chan T) bool {
	select {
	case _, open := <-ch:
		return !open
	default:
		return false
	}
}
