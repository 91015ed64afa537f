package snmp

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/stg-project/stg/internal/ifname"
	"github.com/stg-project/stg/internal/levenshtein"
)

// closestNames is how many interfaces a not-found error suggests.
const closestNames = 5

// maxListed is how many interfaces an ambiguity error lists before "and N
// more".
const maxListed = 10

// notFoundError is an ErrNotFound whose message says it all, once.
type notFoundError string

func (e notFoundError) Error() string        { return string(e) }
func (e notFoundError) Is(target error) bool { return target == ErrNotFound }

// InterfaceRow is one IF-MIB row as lists of candidates show it.
type InterfaceRow struct {
	// IfIndex is the row's index.
	IfIndex int
	// Descr, Name and Alias are ifDescr, ifName and ifAlias ("" when absent).
	Descr, Name, Alias string
	// Type is ifType; 0 when not read.
	Type int
}

// String tells the row apart from others: its ifName (else ifDescr), then
// its ifIndex, its ifDescr when it differs, its ifType and its ifAlias:
// `Te0/0/26 (ifIndex 37, TenGigabitEthernet0/0/26-mpls layer, mpls)`.
func (r InterfaceRow) String() string {
	label := Interface{IfIndex: r.IfIndex, Descr: r.Descr, Name: r.Name}.Label()
	parts := []string{"ifIndex " + strconv.Itoa(r.IfIndex)}
	if r.Descr != "" && r.Descr != label {
		parts = append(parts, r.Descr)
	}
	if r.Type != 0 {
		parts = append(parts, IfTypeName(r.Type))
	}
	if r.Alias != "" {
		parts = append(parts, fmt.Sprintf("alias %q", r.Alias))
	}
	return label + " (" + strings.Join(parts, ", ") + ")"
}

// ListRows lists rows for an error message, each interface once, at most
// max of them followed by "and N more".
func ListRows(rows []InterfaceRow, max int) string {
	seen := map[int]bool{}
	var parts []string
	more := 0
	for _, r := range rows {
		if seen[r.IfIndex] {
			continue
		}
		seen[r.IfIndex] = true
		if len(parts) == max {
			more++
			continue
		}
		parts = append(parts, r.String())
	}
	s := strings.Join(parts, ", ")
	if more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}

// ifTypeNames are the IANAifType names of the types routers list most.
var ifTypeNames = map[int]string{
	1: "other", 6: "ethernetCsmacd", 22: "propPointToPointSerial", 23: "ppp",
	24: "softwareLoopback", 53: "propVirtual", 62: "fastEther", 71: "ieee80211",
	108: "pppMultilinkBundle", 117: "gigabitEthernet", 131: "tunnel", 135: "l2vlan",
	136: "l3ipvlan", 150: "mplsTunnel", 161: "ieee8023adLag", 166: "mpls", 209: "bridge",
	250: "gpon",
}

// IfTypeName returns the IANAifType name of an ifType value, or "ifType N".
func IfTypeName(t int) string {
	if n, ok := ifTypeNames[t]; ok {
		return n
	}
	return "ifType " + strconv.Itoa(t)
}

// subLayerTypes are the ifTypes of rows a router adds on top of a port
// (IOS-XE's "TenGigabitEthernet0/0/26-mpls layer" shares the port's ifName).
var subLayerTypes = map[int]bool{150: true, 166: true}

// SelectInterface finds the interface spec names: an ifIndex when spec is a
// number, else an ifName, ifDescr or ifAlias. The best match wins: the
// exact text, then the same text in another case, then a vendor's short
// form of the name ("Te0/0/0/3" for IOS-XR's TenGigE0/0/0/3, "GE0/3/4" for
// Huawei's GigabitEthernet0/3/4), then an IOS-style abbreviation
// ("Gig0/1"); at each step an ifName or ifDescr beats an ifAlias. When
// several rows match equally and all but one are layers on top of a port
// (IOS-XE's "-mpls layer" rows share the port's ifName), the port is chosen;
// other ties are an error listing the rows. No match is an error wrapping
// ErrNotFound that lists the closest interfaces.
func SelectInterface(ctx context.Context, c Client, spec string) (Interface, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return Interface{}, fmt.Errorf("select interface: empty name")
	}
	if n, err := strconv.Atoi(spec); err == nil {
		if n < 1 {
			return Interface{}, fmt.Errorf("select interface %s: ifIndex must be 1 or more", spec)
		}
		return DescribeInterface(ctx, c, n)
	}
	rows, err := walkNames(ctx, c)
	if err != nil {
		return Interface{}, fmt.Errorf("select interface %q: %w", spec, err)
	}
	hits := bestMatches(rows, spec)
	if len(hits) > 1 {
		if err := readTypes(ctx, c, hits); err != nil {
			return Interface{}, fmt.Errorf("select interface %q: %w", spec, err)
		}
		hits = dropSubLayers(hits)
	}
	switch len(hits) {
	case 1:
		return DescribeInterface(ctx, c, hits[0].IfIndex)
	case 0:
		near := closest(rows, spec, closestNames)
		if len(near) == 0 {
			return Interface{}, fmt.Errorf("select interface %q: the agent lists no interfaces: %w", spec, ErrNotFound)
		}
		if err := readTypes(ctx, c, near); err != nil {
			return Interface{}, fmt.Errorf("select interface %q: %w", spec, err)
		}
		return Interface{}, fmt.Errorf("select interface %q: %w; closest: %s", spec, ErrNotFound, ListRows(near, closestNames))
	}
	return Interface{}, fmt.Errorf("select interface %q: ambiguous, it matches %d interfaces: %s; pass the ifIndex instead",
		spec, len(hits), ListRows(hits, maxListed))
}

// rank orders how a row matches: higher is better. A name (ifName or
// ifDescr) beats an alias of the same quality; aliases only match as
// whole text.
func rank(r InterfaceRow, spec string) int {
	best := 0
	for _, name := range []string{r.Name, r.Descr} {
		if name != "" {
			best = max(best, 2*int(ifname.Match(spec, name)))
		}
	}
	if q := ifname.Match(spec, r.Alias); r.Alias != "" && q >= ifname.CaseOnly {
		best = max(best, 2*int(q)-1)
	}
	return best
}

// bestMatches returns the rows that match spec best, in ifIndex order.
func bestMatches(rows []InterfaceRow, spec string) []InterfaceRow {
	top := 0
	var hits []InterfaceRow
	for _, r := range rows {
		switch k := rank(r, spec); {
		case k == 0 || k < top:
		case k > top:
			top, hits = k, []InterfaceRow{r}
		default:
			hits = append(hits, r)
		}
	}
	return hits
}

// dropSubLayers keeps the one row that is a port when all the others are
// layers on it: rows of a sub-layer ifType, or whose ifDescr is another
// candidate's followed by a suffix ("TenGigabitEthernet0/0/26-mpls layer").
// Otherwise it returns hits unchanged.
func dropSubLayers(hits []InterfaceRow) []InterfaceRow {
	var ports []InterfaceRow
	for _, h := range hits {
		if !isSubLayer(h, hits) {
			ports = append(ports, h)
		}
	}
	if len(ports) == 1 {
		return ports
	}
	return hits
}

func isSubLayer(r InterfaceRow, others []InterfaceRow) bool {
	if subLayerTypes[r.Type] {
		return true
	}
	for _, o := range others {
		if o.IfIndex != r.IfIndex && o.Descr != "" && len(r.Descr) > len(o.Descr) && strings.HasPrefix(r.Descr, o.Descr) {
			if c := r.Descr[len(o.Descr)]; c == '-' || c == ' ' || c == ':' {
				return true
			}
		}
	}
	return false
}

// readTypes fills in the ifType of rows, in one GET.
func readTypes(ctx context.Context, c Client, rows []InterfaceRow) error {
	oids := make([]string, len(rows))
	for i, r := range rows {
		oids[i] = OIDIfType + "." + strconv.Itoa(r.IfIndex)
	}
	vs, err := c.Get(ctx, oids)
	if err != nil {
		return fmt.Errorf("get ifType: %w", err)
	}
	for i := range rows {
		if i < len(vs) && vs[i].Kind == KindInteger {
			rows[i].Type = int(vs[i].Int)
		}
	}
	return nil
}

// walkNames reads ifDescr, ifName and ifAlias of every row, in ifIndex order.
func walkNames(ctx context.Context, c Client) ([]InterfaceRow, error) {
	byIndex := map[int]*InterfaceRow{}
	columns := []struct {
		oid string
		set func(*InterfaceRow, string)
	}{
		{OIDIfDescr, func(i *InterfaceRow, s string) { i.Descr = s }},
		{OIDIfName, func(i *InterfaceRow, s string) { i.Name = s }},
		{OIDIfAlias, func(i *InterfaceRow, s string) { i.Alias = s }},
	}
	for _, col := range columns {
		err := c.BulkWalk(ctx, col.oid, func(v Variable) error {
			n, err := strconv.Atoi(strings.TrimPrefix(v.OID, col.oid+"."))
			if err != nil || n < 1 {
				return nil // not a single-arc ifIndex row: ignore
			}
			row := byIndex[n]
			if row == nil {
				row = &InterfaceRow{IfIndex: n}
				byIndex[n] = row
			}
			col.set(row, textOf(v))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	rows := make([]InterfaceRow, 0, len(byIndex))
	for _, r := range byIndex {
		rows = append(rows, *r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].IfIndex < rows[j].IfIndex })
	return rows, nil
}

// closest returns up to n interfaces whose names come nearest to spec:
// the smallest edit distance between canonical names (ifname.Canonical,
// so "Te0/0/0/30" is one edit from IOS-XR's TenGigE0/0/0/3), ties broken
// by the longer common prefix and then by ifIndex. Each interface counts
// once, by its nearest name.
func closest(rows []InterfaceRow, spec string, n int) []InterfaceRow {
	type cand struct {
		row          InterfaceRow
		dist, prefix int
	}
	want := ifname.Canonical(spec)
	var cands []cand
	for _, r := range rows {
		c := cand{row: r, dist: -1}
		for _, name := range []string{r.Name, r.Descr, r.Alias} {
			if name == "" {
				continue
			}
			got := ifname.Canonical(name)
			d := levenshtein.Distance(want, got, -1)
			if c.dist < 0 || d < c.dist {
				c.dist, c.prefix = d, commonPrefix(want, got)
			}
		}
		if c.dist >= 0 {
			cands = append(cands, c)
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.prefix != b.prefix {
			return a.prefix > b.prefix
		}
		return a.row.IfIndex < b.row.IfIndex
	})
	out := make([]InterfaceRow, 0, n)
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.row)
	}
	return out
}

// commonPrefix is the length in bytes of the longest common prefix.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
