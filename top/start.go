package top

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/snmp"
)

// The counter columns a cycle reads: 64-bit first, then 32-bit.
var (
	columns64 = []string{snmp.OIDIfHCInOctets, snmp.OIDIfHCOutOctets}
	columns32 = []string{snmp.OIDIfInOctets, snmp.OIDIfOutOctets}
)

// counterNames names the four counter columns, in the order of
// columns64 then columns32, for messages.
var counterNames = []string{"ifHCInOctets", "ifHCOutOctets", "ifInOctets", "ifOutOctets"}

// Start reads what the cycles need: which counter columns the router
// serves, every interface's ifDescr, ifName and ifAlias, and the
// subscriber sessions. A router that serves neither the 64-bit nor the
// 32-bit counter columns (or not the ones Counters asks for) is an error
// that names what is missing. Run calls Start when it was not called.
func (t *Top) Start(ctx context.Context) error {
	if t.started {
		return nil
	}
	if err := t.chooseColumns(ctx); err != nil {
		return err
	}
	walker := &ciscoresolve.SNMP{Client: t.c, Router: t.cfg.Router, Progress: t.cfg.Progress, Now: t.now}
	t.sessions = &ciscoresolve.Sessions{SNMP: *walker}
	sessions, err := t.sessions.Load(ctx)
	if err != nil {
		return fmt.Errorf("read the subscriber sessions of %s: %w", t.cfg.Router, err)
	}
	byIndex := map[int]*names{}
	for _, col := range []struct {
		name, oid string
		set       func(n *names, text string)
	}{
		{"ifDescr", snmp.OIDIfDescr, func(n *names, s string) { n.descr = s }},
		{"ifName", snmp.OIDIfName, func(n *names, s string) { n.name = s }},
		{"ifAlias", snmp.OIDIfAlias, func(n *names, s string) { n.alias = s }},
	} {
		err := walker.Walk(ctx, col.name, col.oid, func(index string, v snmp.Variable) error {
			i, err := strconv.Atoi(index)
			if err != nil || i <= 0 {
				return nil
			}
			n := byIndex[i]
			if n == nil {
				n = &names{}
				byIndex[i] = n
			}
			col.set(n, v.Text())
			return nil
		})
		if err != nil && !errors.Is(err, ciscoresolve.ErrUnsupported) {
			return fmt.Errorf("read the interface names of %s: %w", t.cfg.Router, err)
		}
	}
	t.bras = len(sessions) > 0
	for i, n := range byIndex {
		e := t.newEntry(i, *n, sessions[i])
		t.bras = t.bras || e.in.Identity == identityIfMIB
	}
	for _, e := range t.entries {
		t.scope(e)
	}
	t.started = true
	return nil
}

// chooseColumns reads the first row of each counter column and picks the
// columns the cycles scan: the 64-bit ones unless the version or Counters
// rules them out or the router has none.
func (t *Top) chooseColumns(ctx context.Context) error {
	all := append(append([]string(nil), columns64...), columns32...)
	vars, err := t.c.GetBulk(ctx, all, 1)
	if err != nil {
		return fmt.Errorf("read the counter columns of %s: %w", t.cfg.Router, err)
	}
	var has [4]bool
	var missing []string
	for i, col := range all {
		has[i] = i < len(vars) && vars[i].Exists() && snmp.HasPrefix(vars[i].OID, col) && vars[i].OID != col
		if !has[i] {
			missing = append(missing, counterNames[i])
		}
	}
	has64, has32 := has[0] && has[1], has[2] && has[3]
	v1 := t.cfg.Version == "1"
	none := fmt.Sprintf("%s serves no %s", t.cfg.Router, strings.Join(missing, ", "))
	switch {
	case t.cfg.Counters == "64" && v1:
		return errors.New("SNMPv1 cannot read 64-bit counters: use -v 2c or --counters 32")
	case t.cfg.Counters == "64" && !has64:
		return fmt.Errorf("%s: use --counters 32 or auto", none)
	case t.cfg.Counters == "64", t.cfg.Counters != "32" && !v1 && has64:
		t.bits, t.columns = 64, columns64
	case has32:
		t.bits, t.columns = 32, columns32
		switch {
		case t.cfg.Counters == "32":
		case v1:
			t.note("SNMPv1 has no 64-bit counters: reading 32-bit ifInOctets/ifOutOctets")
		default:
			t.note(none + ": reading 32-bit ifInOctets/ifOutOctets")
		}
	case len(missing) == len(all):
		return fmt.Errorf("%s (IF-MIB's interface counters): nothing to rank", none)
	case v1 && has64:
		return fmt.Errorf("%s, and SNMPv1 cannot read 64-bit ones: use -v 2c", none)
	default:
		return fmt.Errorf("%s: no octet counters to rank by", none)
	}
	return nil
}
