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

// SNMP resolves users from the router's MIBs, in DESIGN.md §5's order:
// csubSessionUsername, casnUserId → casnVaiIfIndex, then IF-MIB names. Each
// walk reads one column with GETBULK and stops at the first exact match it
// reads (a user logged in twice is found on either session).
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

// Resolve implements Resolver.
func (s *SNMP) Resolve(ctx context.Context, user string) (Result, error) {
	start := s.now()
	nf := &NotFoundError{User: user, Router: s.Router}
	var seen []string
	steps := []struct {
		source string
		run    func(context.Context, string, *[]string) (Result, error)
	}{
		{sourceCsub, s.byCsub},
		{sourceCasn, s.byCasn},
		{sourceIfMIB, s.byIfMIB},
	}
	for _, step := range steps {
		res, err := step.run(ctx, user, &seen)
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
	nf.Near = nearMatches(user, seen, maxNear)
	return Result{}, nf
}

// byCsub finds the user in csubSessionUsername, whose index is the ifIndex.
func (s *SNMP) byCsub(ctx context.Context, user string, seen *[]string) (Result, error) {
	var ifIndex int
	var value string
	err := s.walk(ctx, "csubSessionUsername", OIDCsubSessionUsername, func(index string, v snmp.Variable) error {
		name := v.Text()
		if name != user {
			*seen = append(*seen, name)
			return nil
		}
		n, err := strconv.Atoi(index)
		if err != nil || n <= 0 {
			return nil
		}
		ifIndex, value = n, name
		return errStopWalk
	})
	if err != nil {
		return Result{}, err
	}
	if ifIndex == 0 {
		return Result{}, ErrNotFound
	}
	res, err := describe(ctx, s.Client, s.Router, user, ifIndex)
	if err != nil {
		return Result{}, err
	}
	res.Method = MethodCsub
	res.IdentityOID = OIDCsubSessionUsername + "." + strconv.Itoa(ifIndex)
	res.IdentityValue = value
	return res, nil
}

// byCasn finds the user in casnUserId and reads the session's casnVaiIfIndex.
func (s *SNMP) byCasn(ctx context.Context, user string, seen *[]string) (Result, error) {
	var session, value string
	err := s.walk(ctx, "casnUserId", OIDCasnUserID, func(index string, v snmp.Variable) error {
		name := v.Text()
		if name != user {
			*seen = append(*seen, name)
			return nil
		}
		session, value = index, name
		return errStopWalk
	})
	if err != nil {
		return Result{}, err
	}
	if session == "" {
		return Result{}, ErrNotFound
	}
	vars, err := s.Client.Get(ctx, []string{OIDCasnVaiIfIndex + "." + session})
	if err != nil {
		return Result{}, fmt.Errorf("get casnVaiIfIndex.%s on %s: %w", session, s.Router, err)
	}
	if len(vars) != 1 || !vars[0].Exists() || vars[0].Uint == 0 {
		return Result{}, fmt.Errorf("user %q on %s has session %s but casnVaiIfIndex is 0 or absent: %w", user, s.Router, session, ErrNotInIFMIB)
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

// byIfMIB matches the user against ifDescr, ifName and ifAlias: MikroTik's
// `<pppoe-USER>`, an alias holding the user, or an interface name.
func (s *SNMP) byIfMIB(ctx context.Context, user string, seen *[]string) (Result, error) {
	columns := []struct{ name, oid string }{
		{"ifDescr", snmp.OIDIfDescr},
		{"ifName", snmp.OIDIfName},
		{"ifAlias", snmp.OIDIfAlias},
	}
	rows := 0
	for _, col := range columns {
		var ifIndex int
		var value string
		err := s.walk(ctx, col.name, col.oid, func(index string, v snmp.Variable) error {
			rows++
			text := v.Text()
			if !ifNameMatches(text, user, col.name == "ifAlias") {
				*seen = append(*seen, text)
				return nil
			}
			n, err := strconv.Atoi(index)
			if err != nil || n <= 0 {
				return nil
			}
			ifIndex, value = n, text
			return errStopWalk
		})
		if err != nil && !errors.Is(err, ErrUnsupported) {
			return Result{}, err
		}
		if ifIndex == 0 {
			continue
		}
		res, err := describe(ctx, s.Client, s.Router, user, ifIndex)
		if err != nil {
			return Result{}, err
		}
		res.Method = MethodIfMIB
		res.IdentityOID = col.oid + "." + strconv.Itoa(ifIndex)
		res.IdentityValue = value
		return res, nil
	}
	if rows == 0 {
		return Result{}, errMIBEmpty
	}
	return Result{}, ErrNotFound
}

// ifNameMatches reports whether an IF-MIB name or alias belongs to user.
func ifNameMatches(text, user string, alias bool) bool {
	if strings.EqualFold(text, "<pppoe-"+user+">") || strings.EqualFold(text, user) {
		return true
	}
	if alias {
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" ,;:()[]<>", r) }) {
			if strings.EqualFold(w, user) {
				return true
			}
		}
		return false
	}
	return ifname.Equal(text, user)
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
