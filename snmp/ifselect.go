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

// Interface is what stg knows about one IF-MIB row.
type Interface struct {
	// IfIndex is the row's index.
	IfIndex int
	// Descr, Name and Alias are ifDescr, ifName and ifAlias ("" when absent).
	Descr, Name, Alias string
	// SpeedBps is the link speed in bits per second from ifHighSpeed, else
	// ifSpeed; 0 when unknown.
	SpeedBps uint64
	// HasHC is true when the agent serves ifHCInOctets for the row.
	HasHC bool
}

// Label returns the best name of the interface: ifName, else ifDescr, else
// "ifIndex N".
func (i Interface) Label() string {
	switch {
	case i.Name != "":
		return i.Name
	case i.Descr != "":
		return i.Descr
	}
	return "ifIndex " + strconv.Itoa(i.IfIndex)
}

// ifSpeedTooFast is the ifSpeed value that means "look at ifHighSpeed".
const ifSpeedTooFast = 4294967295

// closestNames is how many near matches a not-found error lists.
const closestNames = 5

// DescribeInterface reads one row's names, speed and whether it has 64-bit
// counters, in one GET. A row with neither ifDescr nor ifName nor any
// counter is reported as ErrNotFound.
func DescribeInterface(ctx context.Context, c Client, ifIndex int) (Interface, error) {
	idx := "." + strconv.Itoa(ifIndex)
	oids := []string{
		OIDIfDescr + idx, OIDIfName + idx, OIDIfAlias + idx,
		OIDIfSpeed + idx, OIDIfHighSpeed + idx, OIDIfHCInOctets + idx, OIDIfInOctets + idx,
	}
	vs, err := c.Get(ctx, oids)
	if err != nil {
		return Interface{}, fmt.Errorf("describe ifIndex %d: %w", ifIndex, err)
	}
	if len(vs) != len(oids) {
		return Interface{}, fmt.Errorf("describe ifIndex %d: got %d values for %d OIDs", ifIndex, len(vs), len(oids))
	}
	descr, name, alias, speed, high, hcIn, in := vs[0], vs[1], vs[2], vs[3], vs[4], vs[5], vs[6]
	if !descr.Exists() && !name.Exists() && !in.Exists() && !hcIn.Exists() {
		return Interface{}, fmt.Errorf("describe ifIndex %d: no such interface: %w", ifIndex, ErrNotFound)
	}
	it := Interface{
		IfIndex: ifIndex,
		Descr:   textOf(descr),
		Name:    textOf(name),
		Alias:   textOf(alias),
		HasHC:   hcIn.Kind == KindCounter64,
	}
	switch {
	case high.Exists() && high.Uint > 0:
		it.SpeedBps = high.Uint * 1_000_000
	case speed.Exists() && speed.Uint != ifSpeedTooFast:
		it.SpeedBps = speed.Uint
	}
	return it, nil
}

func textOf(v Variable) string {
	if v.Kind != KindOctetString {
		return ""
	}
	return strings.TrimRight(v.Text(), "\x00")
}

// SelectInterface finds the interface spec names: an ifIndex when spec is a
// number, else an ifName, ifDescr or ifAlias — matched exactly, then
// case-insensitively, then with Cisco abbreviations expanded ("Gi0/1",
// "Vi1.195"). Several matches at the same step are an error that lists them;
// no match is an error wrapping ErrNotFound that lists the closest names.
func SelectInterface(ctx context.Context, c Client, spec string) (Interface, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return Interface{}, fmt.Errorf("select interface: empty name")
	}
	if n, err := strconv.Atoi(spec); err == nil {
		if n < 1 {
			return Interface{}, fmt.Errorf("select interface %s: ifIndex must be 1 or more", spec)
		}
		it, err := DescribeInterface(ctx, c, n)
		if err != nil {
			return Interface{}, fmt.Errorf("select interface %s: %w", spec, err)
		}
		return it, nil
	}
	rows, err := walkNames(ctx, c)
	if err != nil {
		return Interface{}, fmt.Errorf("select interface %q: %w", spec, err)
	}
	matchers := []func(string) bool{
		func(s string) bool { return s == spec },
		func(s string) bool { return strings.EqualFold(s, spec) },
		func(s string) bool { return ifname.Equal(s, spec) },
	}
	for _, match := range matchers {
		var hits []Interface
		for _, r := range rows {
			if match(r.Name) || match(r.Descr) || match(r.Alias) {
				hits = append(hits, r)
			}
		}
		switch len(hits) {
		case 0:
			continue
		case 1:
			it, err := DescribeInterface(ctx, c, hits[0].IfIndex)
			if err != nil {
				return Interface{}, fmt.Errorf("select interface %q: %w", spec, err)
			}
			return it, nil
		default:
			return Interface{}, fmt.Errorf("select interface %q: ambiguous, it matches %s", spec, listInterfaces(hits))
		}
	}
	near := closest(rows, spec, closestNames)
	if len(near) == 0 {
		return Interface{}, fmt.Errorf("select interface %q: the agent lists no interfaces: %w", spec, ErrNotFound)
	}
	return Interface{}, fmt.Errorf("select interface %q: %w; closest: %s", spec, ErrNotFound, strings.Join(near, ", "))
}

// walkNames reads ifDescr, ifName and ifAlias of every row, in ifIndex order.
func walkNames(ctx context.Context, c Client) ([]Interface, error) {
	byIndex := map[int]*Interface{}
	columns := []struct {
		oid string
		set func(*Interface, string)
	}{
		{OIDIfDescr, func(i *Interface, s string) { i.Descr = s }},
		{OIDIfName, func(i *Interface, s string) { i.Name = s }},
		{OIDIfAlias, func(i *Interface, s string) { i.Alias = s }},
	}
	for _, col := range columns {
		err := c.BulkWalk(ctx, col.oid, func(v Variable) error {
			n, err := strconv.Atoi(strings.TrimPrefix(v.OID, col.oid+"."))
			if err != nil || n < 1 {
				return nil // not a single-arc ifIndex row: ignore
			}
			row := byIndex[n]
			if row == nil {
				row = &Interface{IfIndex: n}
				byIndex[n] = row
			}
			col.set(row, textOf(v))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	rows := make([]Interface, 0, len(byIndex))
	for _, r := range byIndex {
		rows = append(rows, *r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].IfIndex < rows[j].IfIndex })
	return rows, nil
}

// listInterfaces formats rows as "Gi0/1 (ifIndex 3), ...".
func listInterfaces(rows []Interface) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprintf("%s (ifIndex %d)", r.Label(), r.IfIndex)
	}
	return strings.Join(parts, ", ")
}

// closest returns up to n interface names nearest to spec: the smallest
// edit distance between lower-cased, abbreviation-expanded names, ties
// broken by the longer common prefix and then by name.
func closest(rows []Interface, spec string, n int) []string {
	type cand struct {
		name         string
		dist, prefix int
	}
	want := strings.ToLower(ifname.Expand(spec))
	best := map[string]cand{}
	for _, r := range rows {
		for _, name := range []string{r.Name, r.Descr, r.Alias} {
			if name == "" {
				continue
			}
			got := strings.ToLower(ifname.Expand(name))
			c := cand{name: name, dist: levenshtein.Distance(want, got, -1), prefix: commonPrefix(want, got)}
			if old, ok := best[name]; !ok || c.dist < old.dist {
				best[name] = c
			}
		}
	}
	cands := make([]cand, 0, len(best))
	for _, c := range best {
		cands = append(cands, c)
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.prefix != b.prefix {
			return a.prefix > b.prefix
		}
		return a.name < b.name
	})
	out := make([]string, 0, n)
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.name)
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
