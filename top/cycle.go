package top

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// getRows is how many rows one GET asks for (names, 32-bit counters):
// three OIDs each stay within one PDU of the client's.
const getRows = 20

// reading is the counters of a row read in a cycle, kept until the row's
// entry is ready for them.
type reading struct {
	ifIndex        int
	in, out        snmp.Variable
	sent, received time.Time
}

// Cycle reads every row once and returns the table, ranked by total. It
// never fails as a whole: rows a lost request or an error left unread get
// a gap-timeout row (Cycle.Lost), and Cycle.Err says what happened.
func (t *Top) Cycle(ctx context.Context) ranking.Cycle {
	t.cycle++
	c := ranking.Cycle{Router: t.cfg.Router, Number: int(t.cycle), Interval: t.cfg.Interval, Start: t.now()}
	var fresh, suspects []reading
	opts := snmp.RowScanOptions{Now: t.now, Timeout: t.cfg.Timeout, Attempts: 1 + t.cfg.Retries, Answers: &t.answers}
	losses, err := snmp.ScanRows(ctx, t.c, t.columns, opts, func(r snmp.ScannedRow) error {
		i, err := strconv.Atoi(r.Index)
		if err != nil || i <= 0 {
			return nil
		}
		rd := reading{ifIndex: i, in: r.Values[0], out: r.Values[1], sent: r.Sent, received: r.Received}
		e := t.entries[i]
		switch {
		case e == nil:
			fresh = append(fresh, rd)
			return nil
		case int(e.bits) != t.bits:
			return nil // read by read32
		}
		if s, ok := t.renew[i]; ok {
			delete(t.renew, i)
			e = t.newEntry(i, namesOf(e), s)
			t.scope(e)
			t.take(e, rd)
			return nil
		}
		e.seen = t.cycle
		switch {
		case !e.shown:
		case e.status == "" && t.cfg.Counters != "64" && !readableValues(rd, int(e.bits)):
			e.bits = 32 // its 64-bit counters are missing from the start
		default:
			t.read(e, rd.in, rd.out, rd.sent, rd.received)
			if st := e.status; st == sample.StatusGapReset || st == sample.StatusGapDiscontinuity {
				suspects = append(suspects, rd)
			}
		}
		return nil
	})
	if err != nil {
		c.Err = fmt.Sprintf("read counters of %s: %v", t.cfg.Router, err)
	}
	if t.bits == 64 && t.cfg.Counters != "64" {
		t.read32(ctx, &c)
	}
	t.admit(ctx, fresh, &c)
	t.recheck(ctx, suspects, &c)
	c.End = t.now()
	why := "no answer from " + t.cfg.Router + " to the request reading this row"
	if c.Err != "" {
		why = c.Err
	}
	for i, e := range t.entries {
		missed := e.missed
		e.missed = false
		if e.seen == t.cycle {
			continue
		}
		if err == nil && !missed && !inLosses(losses, strconv.Itoa(i)) {
			// The row is gone (its session ended), or it never had
			// counters: should it come back, it is a new row.
			delete(t.entries, i)
			continue
		}
		if e.shown && e.seen > 0 {
			t.lost(e, c.End, why)
			c.Lost++
		}
	}
	t.rank(&c)
	return c
}

// readableValues reports whether the values of a reading are counters of
// the given width.
func readableValues(rd reading, bits int) bool {
	in, inKind, _ := snmp.CounterValue(rd.in, bits)
	out, outKind, _ := snmp.CounterValue(rd.out, bits)
	return readable(snmp.Reading{InOctets: in, InKind: inKind, OutOctets: out, OutKind: outKind})
}

// inLosses reports whether a row index lies in a lost stretch.
func inLosses(losses []snmp.ScanLoss, index string) bool {
	for _, l := range losses {
		if l.Contains(index) {
			return true
		}
	}
	return false
}

// read32 reads the 32-bit counters of the shown rows that have no 64-bit
// ones (or were never seen in the scan, to find out), a GET per getRows
// rows, each row timed by its GET. A row whose 32-bit counters are
// missing too has no counters: it is not seen, and goes.
func (t *Top) read32(ctx context.Context, c *ranking.Cycle) {
	var batch []*entry
	for _, e := range t.entries {
		if e.shown && (e.bits == 32 || e.seen == 0) {
			e.bits = 32
			batch = append(batch, e)
		}
	}
	for len(batch) > 0 && ctx.Err() == nil {
		part := batch[:min(getRows, len(batch))]
		batch = batch[len(part):]
		oids := make([]string, 0, 2*len(part))
		for _, e := range part {
			idx := "." + strconv.Itoa(e.in.IfIndex)
			oids = append(oids, columns32[0]+idx, columns32[1]+idx)
		}
		sent := t.now()
		vars, err := t.c.Get(ctx, oids)
		received := t.now()
		if err != nil {
			if c.Err == "" {
				c.Err = fmt.Sprintf("read 32-bit counters of %s: %v", t.cfg.Router, err)
			}
			for _, e := range part {
				e.missed = true // a gap when it was seen before
			}
			continue
		}
		for k, e := range part {
			in, out := vars[2*k], vars[2*k+1]
			if !in.Exists() && !out.Exists() {
				continue
			}
			if e.seen == 0 {
				t.note("some interfaces have no 64-bit counters: reading their 32-bit ifInOctets/ifOutOctets")
			}
			e.seen = t.cycle
			t.read(e, in, out, sent, received)
		}
	}
}

// admit makes entries for the rows that appeared: their names and
// subscriber are read (a GET per getRows rows, and the session MIB's new
// sessions), then their first reading is taken.
func (t *Top) admit(ctx context.Context, fresh []reading, c *ranking.Cycle) {
	if len(fresh) == 0 {
		return
	}
	ids, err := t.identities(ctx, fresh)
	if err != nil && c.Err == "" {
		c.Err = err.Error()
	}
	for _, rd := range fresh {
		id, ok := ids[rd.ifIndex]
		if !ok {
			continue // its names could not be read: it comes again next cycle
		}
		e := t.newEntry(rd.ifIndex, id.names, id.session)
		t.scope(e)
		t.take(e, rd)
	}
}

// recheck reads again who is on the rows whose counters went back or
// vanished: an interface the router handed to the next subscriber (IOS
// reuses a freed Virtual-Access) starts a new row, never a rate across
// two sessions.
func (t *Top) recheck(ctx context.Context, suspects []reading, c *ranking.Cycle) {
	if len(suspects) == 0 {
		return
	}
	ids, err := t.identities(ctx, suspects)
	if err != nil && c.Err == "" {
		c.Err = err.Error()
	}
	for _, rd := range suspects {
		id, ok := ids[rd.ifIndex]
		old := t.entries[rd.ifIndex]
		if !ok || old == nil || *newInterface(rd.ifIndex, id.names, id.session) == *old.in {
			continue
		}
		e := t.newEntry(rd.ifIndex, id.names, id.session)
		t.scope(e)
		t.take(e, rd)
	}
}

// take gives a new entry its first reading.
func (t *Top) take(e *entry, rd reading) {
	e.seen = t.cycle
	switch {
	case !e.shown:
	case !readableValues(rd, int(e.bits)) && e.bits == 64 && t.cfg.Counters != "64":
		e.bits = 32 // read32 reads it from the next cycle on
	default:
		t.read(e, rd.in, rd.out, rd.sent, rd.received)
	}
}

// identity is who an interface is: its names and its session.
type identity struct {
	names   names
	session ciscoresolve.Session
}

// identities reads the names and sessions of the readings' interfaces.
// Interfaces whose names could not be read are not in the map.
func (t *Top) identities(ctx context.Context, rds []reading) (map[int]identity, error) {
	out := make(map[int]identity, len(rds))
	idx := make([]int, len(rds))
	for i, rd := range rds {
		idx[i] = rd.ifIndex
	}
	var firstErr error
	for start := 0; start < len(idx); start += getRows {
		part := idx[start:min(start+getRows, len(idx))]
		oids := make([]string, 0, 3*len(part))
		for _, i := range part {
			s := "." + strconv.Itoa(i)
			oids = append(oids, snmp.OIDIfDescr+s, snmp.OIDIfName+s, snmp.OIDIfAlias+s)
		}
		vars, err := t.c.Get(ctx, oids)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("read the names of new interfaces of %s: %w", t.cfg.Router, err)
			}
			continue
		}
		for k, i := range part {
			out[i] = identity{names: names{descr: vars[3*k].Text(), name: vars[3*k+1].Text(), alias: vars[3*k+2].Text()}}
		}
	}
	sessions, err := t.sessions.Lookup(ctx, idx)
	if err != nil {
		if firstErr == nil {
			firstErr = fmt.Errorf("read the subscribers of new interfaces of %s: %w", t.cfg.Router, err)
		}
		return out, firstErr
	}
	for i, s := range sessions {
		if id, ok := out[i]; ok {
			id.session = s
			out[i] = id
			continue
		}
		// A session MIB read by new sessions (casn) may tell of an
		// interface not asked for that was handed to another subscriber
		// since: its next reading starts a new row.
		if e := t.entries[i]; e != nil && e.in.User != s.User {
			t.renew[i] = s
		}
	}
	return out, firstErr
}

// rank makes the cycle's rows: every shown entry's row, ranked by total
// (the first Limit of them when Limit is set), and the sums of all. A
// row's last rate ranks it only while it is recent.
func (t *Top) rank(c *ranking.Cycle) {
	stale := int32(max(staleCycles, int((staleMin+t.cfg.Interval-1)/t.cfg.Interval)))
	order := t.order[:0]
	for _, e := range t.entries {
		if !e.shown || e.status == "" {
			continue
		}
		if e.hasLatest && e.noRate > stale {
			e.hasLatest = false
		}
		if e.hasLatest {
			c.InBps += e.latestIn
			c.OutBps += e.latestOut
		}
		order = append(order, e)
	}
	slices.SortFunc(order, func(a, b *entry) int {
		return ranking.CompareValues(a.total(), a.in.IfIndex, b.total(), b.in.IfIndex)
	})
	n := len(order)
	if t.cfg.Limit > 0 {
		n = min(n, t.cfg.Limit)
	}
	c.Rows, c.Ranked = make([]ranking.Row, n), len(order)
	for i := range c.Rows {
		c.Rows[i] = order[i].rowOf()
		c.Rows[i].Rank = i + 1
	}
	clear(order) // keep no entry alive from here
	t.order = order[:0]
}
