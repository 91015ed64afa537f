package main

import (
	"context"
	"slices"

	"github.com/stg-project/stg/snmp"
)

// refind looks once for a lost target, a user by resolving it, an --if
// interface by its name: the poller's Refind, which it calls with back-off
// until the target is back. Each attempt has its own SNMP client (the
// poller's serves the poller only); the SSH password is STG_SSH_PASS, a
// key or the password typed at start-up, never asked again, since the
// terminal belongs to the TUI.
func refind(ctx context.Context, o *options, f finder, name string) (snmp.PollTarget, error) {
	c, err := snmp.Dial(ctx, o.snmpConfig(mustTarget(o.Router)))
	if err != nil {
		return snmp.PollTarget{}, err
	}
	defer c.Close()
	if !slices.Contains(o.Users, name) {
		t, _, err := interfaceTarget(ctx, o, c, name)
		return t, err
	}
	r, release, err := newResolver(o, f, c)
	if err != nil {
		return snmp.PollTarget{}, err
	}
	defer release()
	return resolveTarget(ctx, o, r, c, name)
}
