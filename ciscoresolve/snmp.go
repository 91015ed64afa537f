package ciscoresolve

import (
	"context"
	"errors"
	"fmt"
	"sort"
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

// How a name that is not exactly the user's matches it, best first.
const (
	tierExact    = 4 // the whole text, or MikroTik's <pppoe-USER>
	tierCase     = 3 // the same in another case
	tierWord     = 2 // a word of a longer text: "*** USER ***"
	tierWordCase = 1 // the same in another case
)

// candidate is an answer that is not an exact match, kept until every
// step has had its chance to find an exact one.
type candidate struct {
	tier int
	// key tells interfaces (or sessions) apart: two candidates with one
	// key are one answer.
	key string
	// label shows the candidate in an ambiguity error.
	label string
	// resolve turns the candidate into a Result.
	resolve func(context.Context) (Result, error)
}

// resolveNear uses the best of the near candidates, when it is one answer.
func (s *SNMP) resolveNear(ctx context.Context, user string, near []candidate) (Result, error) {
	best := 0
	for _, c := range near {
		best = max(best, c.tier)
	}
	var top []candidate
	keys := map[string]bool{}
	for _, c := range near {
		if c.tier == best && !keys[c.key] {
			keys[c.key] = true
			top = append(top, c)
		}
	}
	if len(top) > 1 {
		labels := make([]string, len(top))
		for i, c := range top {
			labels[i] = c.label
		}
		return Result{}, &AmbiguousError{User: user, Router: s.Router, Matches: labels}
	}
	return top[0].resolve(ctx)
}

// AmbiguousError says that a user's name matches several interfaces (or
// sessions) equally well, so stg will not pick one. It lists them.
type AmbiguousError struct {
	// User is the name looked for.
	User string
	// Router is the router searched.
	Router string
	// Matches shows each candidate once.
	Matches []string
}

// Error implements error.
func (e *AmbiguousError) Error() string {
	list := e.Matches
	more := ""
	if len(list) > maxListed {
		more = fmt.Sprintf(" and %d more", len(list)-maxListed)
		list = list[:maxListed]
	}
	return fmt.Sprintf("user %q on %s is ambiguous, %d interfaces or sessions match it equally well: %s%s; give the name exactly as the router has it, or poll with --if IFINDEX",
		e.User, e.Router, len(e.Matches), strings.Join(list, ", "), more)
}

// maxListed is how many candidates an ambiguity error lists.
const maxListed = 10

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

// byIfMIB matches the user against every row's ifDescr, ifName and
// ifAlias: MikroTik's `<pppoe-USER>` or the user's name as the whole text
// is an exact match; the name in another case, or as a word of a longer
// text (an alias "*** USER ***" or "cust: USER (100M)"), is a candidate.
// Several rows matching exactly are an *AmbiguousError.
func (s *SNMP) byIfMIB(ctx context.Context, user string, seen *[]string, near *[]candidate) (Result, error) {
	columns := []struct{ name, oid string }{
		{"ifDescr", snmp.OIDIfDescr},
		{"ifName", snmp.OIDIfName},
		{"ifAlias", snmp.OIDIfAlias},
	}
	rows := map[int]*ifMatch{}
	var order []int
	for _, col := range columns {
		err := s.walk(ctx, col.name, col.oid, func(index string, v snmp.Variable) error {
			n, err := strconv.Atoi(index)
			if err != nil || n <= 0 {
				return nil
			}
			m := rows[n]
			if m == nil {
				m = &ifMatch{row: snmp.InterfaceRow{IfIndex: n}}
				rows[n] = m
				order = append(order, n)
			}
			text := v.Text()
			m.set(col.name, text)
			if tier := ifMIBMatch(text, user); tier > m.tier {
				m.tier, m.column, m.oid, m.value = tier, col.name, col.oid, text
			} else if tier == 0 {
				*seen = append(*seen, text)
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrUnsupported) {
			return Result{}, err
		}
	}
	if len(rows) == 0 {
		return Result{}, errMIBEmpty
	}
	sort.Ints(order)
	var exact []*ifMatch
	for _, n := range order {
		switch m := rows[n]; {
		case m.tier == tierExact:
			exact = append(exact, m)
		case m.tier > 0:
			*near = append(*near, s.ifCandidate(user, m))
		}
	}
	switch len(exact) {
	case 0:
		return Result{}, ErrNotFound
	case 1:
		return s.ifResult(ctx, user, exact[0])
	}
	return Result{}, s.ambiguousRows(ctx, user, exact)
}

// ifMatch is one IF-MIB row and how its names match the user.
type ifMatch struct {
	row                snmp.InterfaceRow
	tier               int
	column, oid, value string
}

func (m *ifMatch) set(column, text string) {
	switch column {
	case "ifDescr":
		m.row.Descr = text
	case "ifName":
		m.row.Name = text
	default:
		m.row.Alias = text
	}
}

func (s *SNMP) ifResult(ctx context.Context, user string, m *ifMatch) (Result, error) {
	res, err := describe(ctx, s.Client, s.Router, user, m.row.IfIndex)
	if err != nil {
		return Result{}, err
	}
	res.Method = MethodIfMIB
	res.IdentityOID = m.oid + "." + strconv.Itoa(m.row.IfIndex)
	res.IdentityValue = m.value
	return res, nil
}

func (s *SNMP) ifCandidate(user string, m *ifMatch) candidate {
	return candidate{
		tier:  m.tier,
		key:   "ifIndex " + strconv.Itoa(m.row.IfIndex),
		label: m.row.String(),
		resolve: func(ctx context.Context) (Result, error) {
			res, err := s.ifResult(ctx, user, m)
			if m.tier == tierCase {
				res.Note = caseNote(user, m.value, m.column)
			} else {
				res.Note = fmt.Sprintf("no interface named %q; using ifIndex %d, whose %s %q holds it", user, m.row.IfIndex, m.column, m.value)
			}
			return res, err
		},
	}
}

// ambiguousRows reads the ifType of rows that match equally and returns
// the error listing them.
func (s *SNMP) ambiguousRows(ctx context.Context, user string, ms []*ifMatch) error {
	oids := make([]string, len(ms))
	for i, m := range ms {
		oids[i] = snmp.OIDIfType + "." + strconv.Itoa(m.row.IfIndex)
	}
	vars, err := s.Client.Get(ctx, oids)
	if err != nil {
		return fmt.Errorf("get ifType on %s: %w", s.Router, err)
	}
	labels := make([]string, len(ms))
	for i, m := range ms {
		if i < len(vars) && vars[i].Kind == snmp.KindInteger {
			m.row.Type = int(vars[i].Int)
		}
		labels[i] = m.row.String()
	}
	return &AmbiguousError{User: user, Router: s.Router, Matches: labels}
}

// tunnelPrefixes are MikroTik's dynamic interface names for a user:
// <pppoe-USER>, <l2tp-USER>, ...
var tunnelPrefixes = []string{"<pppoe-", "<pptp-", "<l2tp-", "<sstp-", "<ovpn-"}

// ifMIBMatch says how an ifDescr, ifName or ifAlias holds user: the whole
// text (or MikroTik's <pppoe-USER>), the same in another case, the user as
// a word of a longer text, the same in another case; 0 for none. A word
// ends where the text does or at a character that no username contains:
// "CUSTOMER" is a word of "*** CUSTOMER ***" but not of "CUSTOMER-X".
func ifMIBMatch(text, user string) int {
	if user == "" || text == "" {
		return 0
	}
	whole := []string{text}
	for _, p := range tunnelPrefixes {
		if len(text) > len(p)+1 && strings.EqualFold(text[:len(p)], p) && text[len(text)-1] == '>' {
			whole = append(whole, text[len(p):len(text)-1])
		}
	}
	best := 0
	for _, w := range whole {
		if w == user {
			return tierExact
		}
		if strings.EqualFold(w, user) {
			best = tierCase
		}
	}
	if best > 0 {
		return best
	}
	if hasWord(text, user) {
		return tierWord
	}
	if hasWord(strings.ToLower(text), strings.ToLower(user)) {
		return tierWordCase
	}
	return 0
}

// hasWord reports whether word occurs in text with no username character
// right before or after it.
func hasWord(text, word string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(word)
		if (j == 0 || !nameByte(text[j-1])) && (end == len(text) || !nameByte(text[end])) {
			return true
		}
		i = j + 1
	}
}

// nameByte reports whether b can be part of a username: letters, digits
// and . _ - @ + (and any byte of a multi-byte letter).
func nameByte(b byte) bool {
	switch {
	case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b >= 0x80:
		return true
	}
	return strings.IndexByte("._-@+", b) >= 0
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
// reports progress. A column without
// rows gives errMIBEmpty; fn returning errStopWalk ends the walk without
// error.
func (s *SNMP) walk(ctx context.Context, name, column string, fn func(index string, v snmp.Variable) error) error {
	p := newProgressMeter(s.Router, name, s.Progress, s.now)
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
