package main

import (
	"context"
	"slices"
	"sync"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/snmp"
)

// follow runs until ctx ends: for each name on lost (the poller's OnLost)
// it marks the target offline and finds it again in the background, with
// back-off: a user by resolving it, an --if interface by its name. Then it
// retargets the poller to the interface found (its next row says
// `reconnected`). Each search has its own SNMP client; the SSH password is
// STG_SSH_PASS, a key or the password typed at start-up, never asked
// again, since the terminal belongs to the TUI.
func follow(ctx context.Context, o *options, f finder, p *snmp.Poller, lost <-chan string) {
	var (
		mu   sync.Mutex
		busy = map[string]bool{}
		wg   sync.WaitGroup
	)
	defer wg.Wait()
	for {
		var name string
		var ok bool
		select {
		case <-ctx.Done():
			return
		case name, ok = <-lost:
			if !ok {
				return
			}
		}
		mu.Lock()
		if busy[name] {
			mu.Unlock()
			continue
		}
		busy[name] = true
		mu.Unlock()
		p.SetOffline(name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if t, err := refind(ctx, o, f, name); err == nil {
				p.Retarget(name, t)
			}
			mu.Lock()
			delete(busy, name)
			mu.Unlock()
		}()
	}
}

// refind finds a lost target again, a user or an --if interface, until it
// is back or ctx ends.
func refind(ctx context.Context, o *options, f finder, name string) (snmp.PollTarget, error) {
	c, err := snmp.Dial(ctx, o.snmpConfig(mustTarget(o.Router)))
	if err != nil {
		return snmp.PollTarget{}, err
	}
	defer c.Close()
	find := func(ctx context.Context, spec string) (snmp.PollTarget, error) {
		t, _, err := interfaceTarget(ctx, o, c, spec)
		return t, err
	}
	if slices.Contains(o.Users, name) {
		r, release, err := newResolver(o, f.background(), c)
		if err != nil {
			return snmp.PollTarget{}, err
		}
		defer release()
		find = func(ctx context.Context, user string) (snmp.PollTarget, error) {
			return resolveTarget(ctx, o, r, c, user)
		}
	}
	var t snmp.PollTarget
	follower := &ciscoresolve.Follower{Resolver: resolverFunc(func(ctx context.Context, name string) (ciscoresolve.Result, error) {
		var err error
		t, err = find(ctx, name)
		return ciscoresolve.Result{}, err
	})}
	if _, err := follower.Refind(ctx, name); err != nil {
		return snmp.PollTarget{}, err
	}
	return t, nil
}

// resolverFunc adapts a function to ciscoresolve.Resolver.
type resolverFunc func(ctx context.Context, user string) (ciscoresolve.Result, error)

// Resolve implements ciscoresolve.Resolver.
func (f resolverFunc) Resolve(ctx context.Context, user string) (ciscoresolve.Result, error) {
	return f(ctx, user)
}
