// Package snmptest provides an in-memory snmp.Client for unit tests: a map of
// OIDs to values that records every request.
package snmptest

import (
	"context"
	"sort"
	"sync"

	"github.com/stg-project/stg/snmp"
)

// Fake is a map-driven snmp.Client. Set values with Set; every Get, GetBulk
// and BulkWalk is recorded in Requests. Fail, when set, is consulted before
// each request and its error returned instead of an answer.
type Fake struct {
	mu       sync.Mutex
	vars     map[string]snmp.Variable
	sorted   []string // the OIDs of vars in order; nil after a change
	Requests [][]string
	Fail     func(oids []string) error
}

// New returns an empty Fake.
func New() *Fake {
	return &Fake{vars: map[string]snmp.Variable{}}
}

// Set stores a variable under its OID, replacing any earlier one.
func (f *Fake) Set(v snmp.Variable) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v.OID = snmp.NormalizeOID(v.OID)
	if _, ok := f.vars[v.OID]; !ok {
		f.sorted = nil
	}
	f.vars[v.OID] = v
}

// SetUint stores a numeric variable of the given kind.
func (f *Fake) SetUint(oid string, kind snmp.Kind, value uint64) {
	f.Set(snmp.Variable{OID: oid, Kind: kind, Uint: value, Int: int64(value)})
}

// SetString stores an OctetString variable.
func (f *Fake) SetString(oid, value string) {
	f.Set(snmp.Variable{OID: oid, Kind: snmp.KindOctetString, Bytes: []byte(value)})
}

// Delete removes a variable, so that it reads as noSuchInstance.
func (f *Fake) Delete(oid string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.vars, snmp.NormalizeOID(oid))
	f.sorted = nil
}

// Get implements snmp.Client.
func (f *Fake) Get(ctx context.Context, oids []string) ([]snmp.Variable, error) {
	if err := f.record(ctx, oids); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]snmp.Variable, len(oids))
	for i, oid := range oids {
		oid = snmp.NormalizeOID(oid)
		v, ok := f.vars[oid]
		if !ok {
			v = snmp.Variable{OID: oid, Kind: snmp.KindNoSuchInstance}
		}
		out[i] = v
	}
	return out, nil
}

// BulkWalk implements snmp.Client over the stored variables in OID order.
func (f *Fake) BulkWalk(ctx context.Context, root string, fn func(snmp.Variable) error) error {
	root = snmp.NormalizeOID(root)
	if err := f.record(ctx, []string{root}); err != nil {
		return err
	}
	f.mu.Lock()
	var vars []snmp.Variable
	for _, oid := range f.sortedLocked() {
		if snmp.HasPrefix(oid, root) {
			vars = append(vars, f.vars[oid])
		}
	}
	f.mu.Unlock()
	for _, v := range vars {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

// GetBulk implements snmp.Client over the stored variables in OID order:
// maxReps repetitions of a GETNEXT of every OID, endOfMibView past the last.
func (f *Fake) GetBulk(ctx context.Context, oids []string, maxReps int) ([]snmp.Variable, error) {
	if err := f.record(ctx, oids); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	names := f.sortedLocked()
	cur := make([]string, len(oids))
	for i, oid := range oids {
		cur[i] = snmp.NormalizeOID(oid)
	}
	var out []snmp.Variable
	for r := 0; r < max(maxReps, 1); r++ {
		for i, oid := range cur {
			j := sort.Search(len(names), func(j int) bool { return snmp.CompareOIDs(names[j], oid) > 0 })
			if j == len(names) {
				out = append(out, snmp.Variable{OID: oid, Kind: snmp.KindEndOfMibView})
				continue
			}
			out = append(out, f.vars[names[j]])
			cur[i] = names[j]
		}
	}
	return out, nil
}

// sortedLocked returns the stored OIDs in SNMP order, sorting them again
// only after a change. f.mu must be held.
func (f *Fake) sortedLocked() []string {
	if f.sorted == nil {
		f.sorted = make([]string, 0, len(f.vars))
		for oid := range f.vars {
			f.sorted = append(f.sorted, oid)
		}
		sort.Slice(f.sorted, func(i, j int) bool { return snmp.CompareOIDs(f.sorted[i], f.sorted[j]) < 0 })
	}
	return f.sorted
}

// Close implements snmp.Client.
func (f *Fake) Close() error { return nil }

func (f *Fake) record(ctx context.Context, oids []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.Requests = append(f.Requests, append([]string(nil), oids...))
	fail := f.Fail
	f.mu.Unlock()
	if fail != nil {
		return fail(oids)
	}
	return nil
}

// RequestCount returns how many requests the Fake has answered or failed.
func (f *Fake) RequestCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.Requests)
}
