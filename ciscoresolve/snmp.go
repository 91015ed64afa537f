package ciscoresolve

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stg-project/stg/internal/ifname"
	"github.com/stg-project/stg/snmp"
)

// OIDs of the session MIBs the SNMP strategies read. Columns take ".<index>".
const (
	// OIDCsubSessionUsername is CISCO-SUBSCRIBER-SESSION-MIB
	// csubSessionUsername, indexed by ifIndex.
	OIDCsubSessionUsername = "1.3.6.1.4.1.9.9.786.1.1.1.1.24"
	// OIDCasnUserID is CISCO-AAA-SESSION-MIB casnUserId, indexed by the
	// accounting session id.
	OIDCasnUserID = "1.3.6.1.4.1.9.9.150.1.1.3.1.2"
	// OIDCasnVaiIfIndex is CISCO-AAA-SESSION-MIB casnVaiIfIndex, indexed by
	// the accounting session id; 0 when the Virtual-Access has no IF-MIB row.
	OIDCasnVaiIfIndex = "1.3.6.1.4.1.9.9.150.1.1.3.1.8"
)

// Source names used in errors for the places a user is looked for.
const (
	sourceCsub  = "CISCO-SUBSCRIBER-SESSION-MIB"
	sourceCasn  = "CISCO-AAA-SESSION-MIB"
	sourceIfMIB = "IF-MIB ifDescr/ifName/ifAlias"
)

// errStopWalk ends a walk early once the row looked for was read.
var errStopWalk = errors.New("stop walk")

// SNMP resolves users from the router's MIBs, in the order README.md's
// "Finding a subscriber" gives: csubSessionUsername, casnUserId →
// casnVaiIfIndex, then IF-MIB names. Each walk reads one column with
// GETBULK; a session MIB walk stops at the first exact match (a user logged
// in twice is found on either session), the IF-MIB walks read every row,
// since two interfaces carrying the name must not be guessed between.
type SNMP struct {
	// Client is the router's SNMP client; SNMP uses it from one goroutine.
	Client snmp.Client
	// Router names the router in errors and progress.
	Router string
	// Progress, when set, is called while a walk runs longer than a second.
	Progress func(Progress)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// errMIBEmpty is returned by a strategy whose column has no rows.
var errMIBEmpty = fmt.Errorf("empty column: %w", ErrUnsupported)

// Resolve implements Resolver. An exact answer of any step wins; only
// when no step has one is a near answer used, with a Note saying how it
// matched: the name in another case, then (IF-MIB) the name as a word
// inside a longer ifDescr, ifName or ifAlias. Several equally good answers
// on different interfaces are an *AmbiguousError: stg never guesses.
func (s *SNMP) Resolve(ctx context.Context, user string) (Result, error) {
	start := s.now()
	nf := &NotFoundError{User: user, Router: s.Router}
	var seen []string
	var near []candidate
	steps := []struct {
		source string
		run    func(context.Context, string, *[]string, *[]candidate) (Result, error)
	}{
		{sourceCsub, s.byCsub},
		{sourceCasn, s.byCasn},
		{sourceIfMIB, s.byIfMIB},
	}
	for _, step := range steps {
		res, err := step.run(ctx, user, &seen, &near)
		switch {
		case err == nil:
			res.User = user
			res.Elapsed = s.now().Sub(start)
			return res, nil
		case errors.Is(err, ErrUnsupported):
			nf.Tried = append(nf.Tried, step.source+" (not supported)")
		case errors.Is(err, ErrNotFound):
			nf.Tried = append(nf.Tried, step.source)
		default:
			return Result{}, err
		}
	}
	if len(near) > 0 {
		res, err := s.resolveNear(ctx, user, near)
		if err != nil {
			return Result{}, err
		}
		res.User = user
		res.Elapsed = s.now().Sub(start)
		return res, nil
	}
	nf.Near = nearMatches(user, seen, maxNear)
	return Result{}, nf
}

// sessionMatch says how a session MIB's username matches user: exactly,
// or in another case (kept as a candidate); 0 for no match.
func sessionMatch(name, user string) int {
	switch {
	case name == user:
		return tierExact
	case strings.EqualFold(name, user):
		return tierCase
	}
	return 0
}

// byCsub finds the user in csubSessionUsername, whose index is the ifIndex.
func (s *SNMP) byCsub(ctx context.Context, user string, seen *[]string, near *[]candidate) (Result, error) {
	var ifIndex int
	var value string
	err := s.walk(ctx, "csubSessionUsername", OIDCsubSessionUsername, func(index string, v snmp.Variable) error {
		name := v.Text()
		n, err := strconv.Atoi(index)
		switch sessionMatch(name, user) {
		case tierExact:
			if err != nil || n <= 0 {
				return nil
			}
			ifIndex, value = n, name
			return errStopWalk
		case tierCase:
			if err == nil && n > 0 {
				*near = append(*near, s.csubCandidate(user, name, n))
			}
		}
		*seen = append(*seen, name)
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	if ifIndex == 0 {
		return Result{}, ErrNotFound
	}
	return s.csubResult(ctx, user, value, ifIndex)
}

func (s *SNMP) csubResult(ctx context.Context, user, value string, ifIndex int) (Result, error) {
	res, err := describe(ctx, s.Client, s.Router, user, ifIndex)
	if err != nil {
		return Result{}, err
	}
	res.Method = MethodCsub
	res.IdentityOID = OIDCsubSessionUsername + "." + strconv.Itoa(ifIndex)
	res.IdentityValue = value
	return res, nil
}

func (s *SNMP) csubCandidate(user, name string, ifIndex int) candidate {
	return candidate{
		tier:  tierCase,
		key:   "ifIndex " + strconv.Itoa(ifIndex),
		label: fmt.Sprintf("csubSessionUsername %q (ifIndex %d)", name, ifIndex),
		resolve: func(ctx context.Context) (Result, error) {
			res, err := s.csubResult(ctx, user, name, ifIndex)
			res.Note = caseNote(user, name, "csubSessionUsername")
			return res, err
		},
	}
}

// caseNote says that the name used differs from the one asked for in case.
func caseNote(user, name, where string) string {
	return fmt.Sprintf("no session of %q; using %q (%s), which differs in case only", user, name, where)
}

// byCasn finds the user in casnUserId and reads the session's casnVaiIfIndex.
func (s *SNMP) byCasn(ctx context.Context, user string, seen *[]string, near *[]candidate) (Result, error) {
	var session, value string
	err := s.walk(ctx, "casnUserId", OIDCasnUserID, func(index string, v snmp.Variable) error {
		name := v.Text()
		switch sessionMatch(name, user) {
		case tierExact:
			session, value = index, name
			return errStopWalk
		case tierCase:
			*near = append(*near, s.casnCandidate(user, name, index))
		}
		*seen = append(*seen, name)
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	if session == "" {
		return Result{}, ErrNotFound
	}
	return s.casnResult(ctx, user, value, session)
}

func (s *SNMP) casnResult(ctx context.Context, user, value, session string) (Result, error) {
	vars, err := s.Client.Get(ctx, []string{OIDCasnVaiIfIndex + "." + session})
	if err != nil {
		return Result{}, fmt.Errorf("get casnVaiIfIndex.%s on %s: %w", session, s.Router, err)
	}
	if len(vars) != 1 || !vars[0].Exists() || vars[0].Uint == 0 {
		return Result{}, fmt.Errorf("user %q on %s has session %s but casnVaiIfIndex is 0 or absent: %w", value, s.Router, session, ErrNotInIFMIB)
	}
	res, err := describe(ctx, s.Client, s.Router, user, int(vars[0].Uint))
	if err != nil {
		return Result{}, err
	}
	res.Method = MethodCasn
	res.IdentityOID = OIDCasnUserID + "." + session
	res.IdentityValue = value
	return res, nil
}

func (s *SNMP) casnCandidate(user, name, session string) candidate {
	return candidate{
		tier:  tierCase,
		key:   "session " + session,
		label: fmt.Sprintf("casnUserId %q (session %s)", name, session),
		resolve: func(ctx context.Context) (Result, error) {
			res, err := s.casnResult(ctx, user, name, session)
			res.Note = caseNote(user, name, "casnUserId")
			return res, err
		},
	}
}

// describe reads ifDescr and ifName of ifIndex in one GET; a missing ifDescr
// means the session's interface is not in IF-MIB.
func describe(ctx context.Context, c snmp.Client, router, user string, ifIndex int) (Result, error) {
	i := strconv.Itoa(ifIndex)
	vars, err := c.Get(ctx, []string{snmp.OIDIfDescr + "." + i, snmp.OIDIfName + "." + i})
	if err != nil {
		return Result{}, fmt.Errorf("get ifDescr.%s on %s: %w", i, router, err)
	}
	if len(vars) != 2 || !vars[0].Exists() {
		return Result{}, fmt.Errorf("user %q on %s is on ifIndex %d, which has no IF-MIB row: %w", user, router, ifIndex, ErrNotInIFMIB)
	}
	res := Result{IfIndex: ifIndex, IfDescr: vars[0].Text(), IfName: vars[1].Text()}
	if !vars[1].Exists() {
		res.IfName = ifname.Abbreviate(res.IfDescr)
	}
	return res, nil
}

// walk reads one column with snmp.ScanColumn, calling fn with each row's
// index (the OID after the column) and value, in no particular order, and
// reports progress, resent requests included. A column without
// rows gives errMIBEmpty; fn returning errStopWalk ends the walk without
// error.
func (s *SNMP) walk(ctx context.Context, name, column string, fn func(index string, v snmp.Variable) error) error {
	p := newProgressMeter(s.Router, name, s.Progress, s.now)
	if s.Progress != nil {
		ctx = snmp.WithRetryReport(ctx, p.retry)
	}
	rows := 0
	err := snmp.ScanColumn(ctx, s.Client, column, func(v snmp.Variable) error {
		if !v.Exists() || !snmp.HasPrefix(v.OID, column) || v.OID == column {
			return nil
		}
		rows++
		p.row()
		return fn(v.OID[len(column)+1:], v)
	})
	p.done()
	switch {
	case errors.Is(err, errStopWalk):
		return nil
	case err != nil:
		return fmt.Errorf("walk %s on %s: %w", name, s.Router, err)
	case rows == 0:
		return errMIBEmpty
	}
	return nil
}

func (s *SNMP) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
