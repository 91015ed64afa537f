package ciscoresolve

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/stg-project/stg/snmp"
)

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
