package session

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/snmp"
)

// findTargets finds every --if and --user target on the router through c,
// with their counters and identity checks, and returns them users first.
func (r *run) findTargets(ctx context.Context, c snmp.Client) ([]snmp.PollTarget, error) {
	var ifaces, users []snmp.PollTarget
	for _, spec := range r.cfg.Ifaces {
		t, err := r.interfaceTarget(ctx, c, spec, true)
		if err != nil {
			return nil, err
		}
		ifaces = append(ifaces, t)
	}
	if len(r.cfg.Users) == 0 {
		return ifaces, nil
	}
	res, release, err := r.resolver(c, true)
	if err != nil {
		return nil, err
	}
	defer release()
	for _, user := range r.cfg.Users {
		t, err := r.userTarget(ctx, res, c, user, true)
		if err != nil {
			return nil, err
		}
		users = append(users, t)
	}
	return append(users, ifaces...), nil
}

// interfaceTarget finds one --if interface and picks its counters; at
// start-up it notes a choice of 32-bit counters. An interface given by
// name (not by ifIndex) carries its ifDescr as identity: should its
// ifIndex go away or come to hold another interface (a Virtual-Access that
// dropped, a reload without `snmp-server ifindex persist`), the poller
// loses it and refind looks it up by name again.
func (r *run) interfaceTarget(ctx context.Context, c snmp.Client, spec string, startup bool) (snmp.PollTarget, error) {
	router := r.cfg.SNMP.Target
	it, err := snmp.SelectInterface(ctx, c, spec)
	if err != nil {
		return snmp.PollTarget{}, fmt.Errorf("on %s: %w", router, err)
	}
	choice, err := snmp.ChooseCounters(r.cfg.Counters, r.cfg.SNMP.Version, it)
	if err != nil {
		return snmp.PollTarget{}, fmt.Errorf("interface %q on %s: %w", spec, router, err)
	}
	if startup {
		r.debug.Printf("target %q: ifIndex %d %q, %d-bit counters, speed %d b/s", spec, it.IfIndex, it.Label(), choice.Bits, it.SpeedBps)
		if choice.Note != "" {
			r.note(it.Label() + ": " + choice.Note)
		}
	}
	t := snmp.PollTarget{Name: spec, IfIndex: it.IfIndex, IfName: it.Label(), IfDescr: it.Descr, IfAlias: it.Alias,
		CounterBits: choice.Bits, SpeedBps: it.SpeedBps}
	if _, err := strconv.Atoi(spec); err != nil && it.Descr != "" {
		t.IdentityOID, t.IdentityValue = snmp.OIDIfDescr+"."+strconv.Itoa(it.IfIndex), it.Descr
	}
	return t, nil
}

// userTarget resolves one user and describes its interface for polling,
// with the identity check the resolver found. At start-up it notes a near
// match the resolver used (a name in another case, a word of an ifAlias),
// as `stg resolve` shows it; a mapping from the cache notes nothing, it
// only says that it was cached.
func (r *run) userTarget(ctx context.Context, res ciscoresolve.Resolver, c snmp.Client, user string, startup bool) (snmp.PollTarget, error) {
	found, err := res.Resolve(ctx, user)
	if err != nil {
		return snmp.PollTarget{}, err
	}
	if found.Note != "" && startup && found.Method != ciscoresolve.MethodCache {
		r.note(found.Note)
	}
	it, err := snmp.DescribeInterface(ctx, c, found.IfIndex)
	if err != nil {
		return snmp.PollTarget{}, fmt.Errorf("user %q on %s: %w", user, r.cfg.Router, err)
	}
	choice, err := snmp.ChooseCounters(r.cfg.Counters, r.cfg.SNMP.Version, it)
	if err != nil {
		return snmp.PollTarget{}, fmt.Errorf("user %q (%s) on %s: %w", user, it.Label(), r.cfg.Router, err)
	}
	return snmp.PollTarget{Name: user, IfIndex: found.IfIndex, IfName: it.Label(), IfDescr: it.Descr, IfAlias: it.Alias, User: user,
		CounterBits: choice.Bits, SpeedBps: it.SpeedBps, IdentityOID: found.IdentityOID, IdentityValue: found.IdentityValue}, nil
}

// refind looks once for a lost target, a user by resolving it, an --if
// interface by its name: the poller's Refind, which it calls with back-off
// until the target is back. Each attempt has its own SNMP client (the
// poller's serves the poller only); the SSH password is the one given or
// typed at start-up, never asked again, since the terminal may belong to
// the terminal UI by now.
func (r *run) refind(ctx context.Context, name string) (snmp.PollTarget, error) {
	c, err := snmp.Dial(ctx, r.cfg.SNMP)
	if err != nil {
		return snmp.PollTarget{}, err
	}
	defer c.Close()
	if !slices.Contains(r.cfg.Users, name) {
		return r.interfaceTarget(ctx, c, name, false)
	}
	res, release, err := r.resolver(c, false)
	if err != nil {
		return snmp.PollTarget{}, err
	}
	defer release()
	return r.userTarget(ctx, res, c, name, false)
}
