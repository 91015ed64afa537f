package snmp

import (
	"context"
	"fmt"
	"strconv"
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
	// HasHC is true when the agent serves readable 64-bit counters for
	// the row: ifHCInOctets and ifHCOutOctets as Counter64.
	HasHC bool
	// Counters are the kinds the row's octet counters were served as.
	Counters CounterKinds
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

// DescribeInterface reads one row's names, speed and octet counters (which
// exist, and as what type), in one GET. A row with neither ifDescr nor
// ifName nor any counter is reported as ErrNotFound.
func DescribeInterface(ctx context.Context, c Client, ifIndex int) (Interface, error) {
	idx := "." + strconv.Itoa(ifIndex)
	oids := []string{
		OIDIfDescr + idx, OIDIfName + idx, OIDIfAlias + idx,
		OIDIfSpeed + idx, OIDIfHighSpeed + idx,
	}
	named := len(oids)
	oids = append(oids, counterOIDs(idx)...)
	vs, err := c.Get(ctx, oids)
	if err != nil {
		return Interface{}, fmt.Errorf("describe ifIndex %d: %w", ifIndex, err)
	}
	if len(vs) != len(oids) {
		return Interface{}, fmt.Errorf("describe ifIndex %d: got %d values for %d OIDs", ifIndex, len(vs), len(oids))
	}
	descr, name, alias, speed, high := vs[0], vs[1], vs[2], vs[3], vs[4]
	counters, anyCounter := counterKindsOf(vs[named:])
	if !descr.Exists() && !name.Exists() && !anyCounter {
		return Interface{}, notFoundError(fmt.Sprintf("no interface with ifIndex %d", ifIndex))
	}
	it := Interface{
		IfIndex:  ifIndex,
		Descr:    textOf(descr),
		Name:     textOf(name),
		Alias:    textOf(alias),
		HasHC:    counters.Has64(),
		Counters: counters,
	}
	switch {
	case high.Exists() && high.Uint > 0:
		it.SpeedBps = high.Uint * 1_000_000
	case speed.Exists() && speed.Uint != ifSpeedTooFast:
		it.SpeedBps = speed.Uint
	}
	return it, nil
}

// textOf is an OCTET STRING's text (Variable.Text), "" for other kinds.
func textOf(v Variable) string {
	if v.Kind != KindOctetString {
		return ""
	}
	return v.Text()
}
