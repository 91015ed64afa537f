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
