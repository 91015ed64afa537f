package ciscoresolve

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stg-project/stg/internal/ifname"
	"github.com/stg-project/stg/snmp"
)

// Runner runs one CLI command on a router and returns its output.
// *SSHConfig is the real one.
type Runner interface {
	Run(ctx context.Context, command string) (string, error)
}

// SSH resolves users with the IOS CLI: `show users` → the user's
// Virtual-Access → `show snmp mib ifmib ifindex` → ifIndex. When the name is
// not in `show users` in full (cut at 18 characters, or absent), it asks
// IOS-XE's `show subscriber session username U`.
type SSH struct {
	// CLI runs the commands.
	CLI Runner
	// Router names the router in errors.
	Router string
	// Confirm, when set, is an SNMP client of the same router (not shared
	// with another goroutine) used to read ifDescr and ifName of the found
	// ifIndex, confirming the answer.
	Confirm snmp.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Resolve implements Resolver.
func (s *SSH) Resolve(ctx context.Context, user string) (Result, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	start := now()
	if user == "" || strings.ContainsFunc(user, func(r rune) bool { return r <= ' ' || r == '|' || r == 0x7f }) {
		return Result{}, fmt.Errorf("resolve %q over SSH: a username with spaces, control characters or | cannot be passed to the IOS CLI", user)
	}
	iface, note, err := s.findInterface(ctx, user)
	if err != nil {
		return Result{}, err
	}
	res, err := s.ifIndex(ctx, user, iface)
	if err != nil {
		return Result{}, err
	}
	res.User, res.Method, res.Note = user, MethodSSH, note
	res.IdentityOID, res.IdentityValue = s.identity(ctx, user, res)
	res.Elapsed = now().Sub(start)
	return res, nil
}

// identity picks what the poller re-reads with the counters to notice the
// session going away: csubSessionUsername of the ifIndex when the router has
// it and it names the user, else ifDescr. IOS hands a freed Virtual-Access,
// name and all, to the next session, so ifDescr alone cannot tell a new
// subscriber on the same interface; it is the fallback for routers without
// the subscriber MIB.
func (s *SSH) identity(ctx context.Context, user string, res Result) (oid, value string) {
	oid, value = fmt.Sprintf("%s.%d", snmp.OIDIfDescr, res.IfIndex), res.IfDescr
	if s.Confirm == nil {
		return oid, value
	}
	csub := fmt.Sprintf("%s.%d", OIDCsubSessionUsername, res.IfIndex)
	vars, err := s.Confirm.Get(ctx, []string{csub})
	if err != nil || len(vars) != 1 || !vars[0].Exists() || vars[0].Text() != user {
		return oid, value
	}
	return csub, user
}

// findInterface returns the user's interface name as the router prints it.
func (s *SSH) findInterface(ctx context.Context, user string) (iface, note string, err error) {
	nf := &NotFoundError{User: user, Router: s.Router}
	out, err := s.CLI.Run(ctx, "show users")
	if err != nil {
		return "", "", fmt.Errorf("show users on %s: %w", s.Router, err)
	}
	rows, perr := ParseShowUsers(strings.NewReader(out))
	var matches []Match
	if perr == nil {
		nf.Tried = append(nf.Tried, "show users")
		matches = FindUser(rows, user)
		if len(matches) == 1 && !matches[0].Cut {
			return matches[0].Row.Interface, "", nil
		}
	} else {
		nf.Tried = append(nf.Tried, "show users (not understood)")
	}
	// Cut, ambiguous or absent: the IOS-XE command names the full user.
	sessions, serr := s.subscriberSessions(ctx, user)
	if serr == nil {
		nf.Tried = append(nf.Tried, "show subscriber session username")
		if len(sessions) > 0 {
			return sessions[0].Interface, "", nil
		}
	} else if !errors.Is(serr, ErrUnsupported) {
		return "", "", serr
	}
	switch {
	case len(matches) == 1:
		return matches[0].Row.Interface, fmt.Sprintf("matched by the first %d characters of the name in show users (not confirmed: the router has no show subscriber session)", UserCutWidth), nil
	case len(matches) > 1:
		var ifs []string
		for _, m := range matches {
			ifs = append(ifs, m.Row.Interface)
		}
		return "", "", fmt.Errorf("user %q on %s: show users lists it on %s and the router cannot say which (no show subscriber session): %w",
			user, s.Router, strings.Join(ifs, ", "), ErrNotFound)
	}
	for _, r := range rows {
		if r.Interface != "" {
			nf.Near = append(nf.Near, r.User)
		}
	}
	nf.Near = nearMatches(user, nf.Near, maxNear)
	return "", "", nf
}

// subscriberSessions runs `show subscriber session username U`; a router
// without it gives ErrUnsupported.
func (s *SSH) subscriberSessions(ctx context.Context, user string) ([]SubscriberSession, error) {
	out, err := s.CLI.Run(ctx, "show subscriber session username "+user)
	if err != nil {
		return nil, fmt.Errorf("show subscriber session username on %s: %w", s.Router, err)
	}
	return ParseSubscriberSession(strings.NewReader(out))
}

// ifIndex asks the router for iface's ifIndex and confirms it over SNMP
// when a client is set.
func (s *SSH) ifIndex(ctx context.Context, user, iface string) (Result, error) {
	full := ifname.Expand(iface)
	out, err := s.CLI.Run(ctx, "show snmp mib ifmib ifindex "+full)
	if err != nil {
		return Result{}, fmt.Errorf("show snmp mib ifmib ifindex on %s: %w", s.Router, err)
	}
	entries, err := ParseIfIndex(strings.NewReader(out))
	var idx IfIndexEntry
	for _, e := range entries {
		if ifname.Equal(e.Interface, full) {
			idx = e
		}
	}
	if err != nil || idx.IfIndex == 0 {
		return Result{}, fmt.Errorf("user %q on %s is on %s, which has no ifIndex: %w", user, s.Router, full, ErrNotInIFMIB)
	}
	if s.Confirm == nil {
		return Result{IfIndex: idx.IfIndex, IfDescr: idx.Interface, IfName: ifname.Abbreviate(idx.Interface)}, nil
	}
	res, err := describe(ctx, s.Confirm, s.Router, user, idx.IfIndex)
	if err != nil {
		return Result{}, err
	}
	if !ifname.Equal(res.IfDescr, full) {
		return Result{}, fmt.Errorf("user %q on %s: the CLI puts %s at ifIndex %d but SNMP says ifDescr.%d is %q", user, s.Router, full, idx.IfIndex, idx.IfIndex, res.IfDescr)
	}
	return res, nil
}
