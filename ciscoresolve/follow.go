package ciscoresolve

import (
	"context"
	"fmt"
	"time"

	"github.com/stg-project/stg/internal/ctxsleep"
)

// Default back-off of Follower: the first retry comes quickly (a PPP
// session usually reconnects within seconds), later ones at most every
// few seconds.
const (
	DefaultMinBackoff = 250 * time.Millisecond
	DefaultMaxBackoff = 4 * time.Second
)

// Follower finds a subscriber again after its session went away (the
// poller's identity check failed): it resolves until the user is back,
// waiting a doubling back-off between attempts, capped at MaxBackoff.
type Follower struct {
	// Resolver finds the user; it must not share clients with the poller.
	Resolver Resolver
	// MinBackoff and MaxBackoff bound the wait between attempts; zero
	// means DefaultMinBackoff and DefaultMaxBackoff.
	MinBackoff, MaxBackoff time.Duration
	// Sleep waits d or until ctx ends; nil means a timer. Tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnRetry, when set, is told about each failed attempt.
	OnRetry func(user string, attempt int, err error)
}

// Refind resolves user until it succeeds or ctx ends. Every error (not
// found while the session is down, not in IF-MIB, a timeout of a busy
// router) is retried.
func (f *Follower) Refind(ctx context.Context, user string) (Result, error) {
	wait := f.MinBackoff
	if wait <= 0 {
		wait = DefaultMinBackoff
	}
	limit := f.MaxBackoff
	if limit <= 0 {
		limit = DefaultMaxBackoff
	}
	sleep := f.Sleep
	if sleep == nil {
		sleep = ctxsleep.Sleep
	}
	for attempt := 1; ; attempt++ {
		res, err := f.Resolver.Resolve(ctx, user)
		if err == nil {
			return res, nil
		}
		if ctx.Err() != nil {
			return Result{}, fmt.Errorf("follow %q: %w", user, ctx.Err())
		}
		if f.OnRetry != nil {
			f.OnRetry(user, attempt, err)
		}
		if err := sleep(ctx, wait); err != nil {
			return Result{}, fmt.Errorf("follow %q: %w", user, err)
		}
		wait = min(wait*2, limit)
	}
}
