package snmp

import (
	"context"
	"time"
)

// The back-off between the attempts to find a lost target again: the
// first retry comes quickly (a PPP session usually reconnects within
// seconds), later ones at most every few seconds.
const (
	refindMinBackoff = 250 * time.Millisecond
	refindMaxBackoff = 4 * time.Second
)

// follow is the poller's answer to a lost target when PollerConfig.Refind
// is set: the target is polled no more (its rows are `offline`) and a
// goroutine looks for it until it is back or ctx ends, then points the
// target at what it found.
func (p *Poller) follow(ctx context.Context, name string) {
	p.setOffline(name)
	p.following.Add(1)
	go func() {
		defer p.following.Done()
		if t, err := p.refind(ctx, name); err == nil {
			p.retarget(name, t)
		}
	}()
}

// refind calls Refind until it finds the target or ctx ends, waiting a
// doubling back-off between attempts. Every error (not found while the
// session is down, a timeout of a busy router) is tried again.
func (p *Poller) refind(ctx context.Context, name string) (PollTarget, error) {
	wait := refindMinBackoff
	for {
		t, err := p.cfg.Refind(ctx, name)
		if err == nil {
			return t, nil
		}
		if ctx.Err() != nil {
			return PollTarget{}, ctx.Err()
		}
		if err := p.backoff(ctx, wait); err != nil {
			return PollTarget{}, err
		}
		wait = min(wait*2, refindMaxBackoff)
	}
}

// retarget points a target at a new interface (goroutine-safe); its next
// sample is `reconnected` with a new baseline. A name the Poller does not
// know yet is added as a new target, whose first sample is `first`. A poll
// already in flight still reports the old interface.
func (p *Poller) retarget(name string, t PollTarget) {
	t.Name = name
	p.mu.Lock()
	defer p.mu.Unlock()
	pt := newPollTarget(t)
	for i, old := range p.targets {
		if old.t.Name == name {
			old.retired = true
			pt.reconnect = true
			pt.state = old.state.ForInterface(t.SpeedBps)
			p.targets[i] = pt
			return
		}
	}
	p.targets = append(p.targets, pt)
}

// setOffline marks a target as having no session (goroutine-safe); it is
// not polled and its rows are `offline` until retarget. A name the Poller
// does not know yet is added as an offline target.
func (p *Poller) setOffline(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pt := range p.targets {
		if pt.t.Name == name {
			pt.offline = true
			return
		}
	}
	pt := newPollTarget(PollTarget{Name: name})
	pt.offline = true
	p.targets = append(p.targets, pt)
}
