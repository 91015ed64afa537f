package fanout

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

// feed returns a closed channel holding 1..n.
func feed(n int) <-chan int {
	ch := make(chan int, n)
	for i := 1; i <= n; i++ {
		ch <- i
	}
	close(ch)
	return ch
}

// TestRun: each consumer takes every value in order; one that returns
// early is skipped from then on and reported, with its error when it
// failed; the first error is the run's.
func TestRun(t *testing.T) {
	var all, firstTwo []int
	failed := errors.New("write: disk full")
	var mu sync.Mutex
	var stopped []error
	err := Run(context.Background(), feed(100), []Consume[int]{
		func(_ context.Context, in <-chan int) error {
			for v := range in {
				all = append(all, v)
			}
			return nil
		},
		func(_ context.Context, in <-chan int) error {
			firstTwo = append(firstTwo, <-in, <-in)
			return nil
		},
		func(_ context.Context, in <-chan int) error {
			<-in
			return failed
		},
	}, 1, func(err error) { mu.Lock(); stopped = append(stopped, err); mu.Unlock() })
	if !errors.Is(err, failed) {
		t.Errorf("Run = %v, want the failed consumer's error", err)
	}
	if len(all) != 100 || !slices.IsSorted(all) || !slices.Equal(firstTwo, []int{1, 2}) {
		t.Errorf("the full consumer took %d values (sorted %v), the other %v", len(all), slices.IsSorted(all), firstTwo)
	}
	if len(stopped) != 2 || !slices.Contains(stopped, nil) || !slices.Contains(stopped, failed) {
		t.Errorf("stopped with %v, want nil (returned early) and the failure", stopped)
	}
}
