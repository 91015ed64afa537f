package snmp

import (
	"context"
	"time"

	"github.com/stg-project/stg/sample"
)

// SetPollerWait replaces the poller's sleep, so tests drive the schedule
// with a fake clock.
func SetPollerWait(p *Poller, wait func(ctx context.Context, d time.Duration) error) { p.wait = wait }

// PollerTimeout returns the per-poll deadline the poller settled on.
func PollerTimeout(p *Poller) time.Duration { return p.timeout }

// PollOnce makes one poll now, for the benchmark.
func PollOnce(p *Poller, ctx context.Context, out chan<- sample.Sample) bool { return p.poll(ctx, out) }

// SetPollerLost replaces what the poller does with a lost target, so a
// test can play the follower in step with a fake clock.
func SetPollerLost(p *Poller, lost func(name string)) {
	p.lost = func(_ context.Context, name string) { lost(name) }
}

// SetRefindBackoff replaces the sleep between Refind's attempts.
func SetRefindBackoff(p *Poller, backoff func(ctx context.Context, d time.Duration) error) {
	p.backoff = backoff
}

// Retarget points a target at a new interface, as the poller does when
// Refind finds it.
func Retarget(p *Poller, name string, t PollTarget) { p.retarget(name, t) }

// SetOffline marks a target as having no session, as the poller does when
// it starts following it.
func SetOffline(p *Poller, name string) { p.setOffline(name) }
