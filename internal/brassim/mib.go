package brassim

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"
)

// tableKind says which rows a column has.
type tableKind int

const (
	scalar   tableKind = iota // one instance, .0
	ifTable                   // IF-MIB rows by ifIndex
	aaaTable                  // casnActiveTable rows by accounting session id
	subTable                  // csubSessionTable rows by ifIndex
)

// view is what one request sees: a snapshot and the times it is served at.
type view struct {
	sim     *Sim
	snap    *snapshot
	uptime  uint32    // sysUpTime in ticks
	ctrTime time.Time // when the served counters were read
}

// column is one MIB object: a scalar or a table column. value returns the
// varbind of row i of the column's table (i is 0 for scalars).
type column struct {
	oid       []uint32
	prefix    string // dotted OID with a leading dot, as gosnmp writes names
	table     tableKind
	counter64 bool // hidden from SNMPv1
	value     func(v *view, i int) gosnmp.SnmpPDU
}

// keys returns the sorted instance arcs of a table in the view.
func (v *view) keys(t tableKind) []uint32 {
	switch t {
	case ifTable:
		return v.snap.ifIdx
	case aaaTable:
		return v.snap.sessIdx
	case subTable:
		return v.snap.subIdx
	}
	return scalarKeys
}

var scalarKeys = []uint32{0}

// parseOID turns a dotted OID (leading dot optional) into arcs.
func parseOID(s string) ([]uint32, bool) {
	s = strings.TrimPrefix(s, ".")
	if s == "" {
		return nil, true
	}
	out := make([]uint32, 0, 16)
	for part := range strings.SplitSeq(s, ".") {
		n, err := strconv.ParseUint(part, 10, 32)
		if err != nil {
			return nil, false
		}
		out = append(out, uint32(n))
	}
	return out, true
}

// mib is the agent's sorted list of objects.
type mib []*column

// newMIB lists the objects the options enable, in OID order.
func newMIB(o Options) mib {
	var m mib
	add := func(oid string, t tableKind, value func(v *view, i int) gosnmp.SnmpPDU) *column {
		arcs, _ := parseOID(oid)
		c := &column{oid: arcs, prefix: "." + oid, table: t, value: value}
		m = append(m, c)
		return c
	}
	addSystem(o, add)
	addIfMIB(add)
	if !o.NoAAAMIB {
		addAAA(add)
	}
	if !o.NoSubscriberMIB {
		addSubscriber(add)
	}
	sort.Slice(m, func(i, j int) bool { return slices.Compare(m[i].oid, m[j].oid) < 0 })
	return m
}

// lookupResult is what a GET or GETNEXT found.
type lookupResult struct {
	col  *column
	row  int
	kind gosnmp.Asn1BER // NoSuchObject, NoSuchInstance or EndOfMibView when col is nil
}

// get finds the exact instance oid.
func (m mib) get(v *view, oid []uint32) lookupResult {
	i := sort.Search(len(m), func(i int) bool { return slices.Compare(m[i].oid, oid) >= 0 })
	// The column whose OID is a prefix of oid sorts just before oid.
	for _, j := range []int{i - 1, i} {
		if j < 0 || j >= len(m) {
			continue
		}
		c := m[j]
		if len(oid) < len(c.oid) || !slices.Equal(oid[:len(c.oid)], c.oid) {
			continue
		}
		if len(oid) != len(c.oid)+1 {
			return lookupResult{kind: gosnmp.NoSuchInstance}
		}
		keys := v.keys(c.table)
		r, found := slices.BinarySearch(keys, oid[len(c.oid)])
		if !found {
			return lookupResult{kind: gosnmp.NoSuchInstance}
		}
		return lookupResult{col: c, row: r}
	}
	return lookupResult{kind: gosnmp.NoSuchObject}
}

// next finds the first instance after oid, skipping Counter64 columns when
// skip64 is set (SNMPv1).
func (m mib) next(v *view, oid []uint32, skip64 bool) lookupResult {
	// Columns that sort entirely before oid cannot hold the answer; the one
	// that has oid inside it sorts just before oid.
	start := sort.Search(len(m), func(i int) bool { return slices.Compare(m[i].oid, oid) >= 0 })
	if start > 0 {
		c := m[start-1]
		if len(oid) > len(c.oid) && slices.Equal(oid[:len(c.oid)], c.oid) {
			start--
		}
	}
	for _, c := range m[start:] {
		if skip64 && c.counter64 {
			continue
		}
		keys := v.keys(c.table)
		r := 0
		if len(oid) > len(c.oid) && slices.Equal(oid[:len(c.oid)], c.oid) {
			arc := oid[len(c.oid)]
			r = sort.Search(len(keys), func(i int) bool { return keys[i] > arc })
		}
		if r < len(keys) {
			return lookupResult{col: c, row: r}
		}
	}
	return lookupResult{kind: gosnmp.EndOfMibView}
}

// pdu returns the varbind of a found instance.
func (r lookupResult) pdu(v *view) gosnmp.SnmpPDU {
	p := r.col.value(v, r.row)
	p.Name = r.col.prefix + "." + strconv.FormatUint(uint64(v.keys(r.col.table)[r.row]), 10)
	return p
}
