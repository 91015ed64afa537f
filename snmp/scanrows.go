package snmp

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ScannedRow is one row of a table read by ScanRows: the values of the
// columns asked for, and when the GETBULK that carried them was sent and
// answered. Every value of a row comes from the same answer, so the row
// has one time.
type ScannedRow struct {
	// Index is the row's index, the arcs after the column: "195".
	Index string
	// Values holds one Variable per column, in the order asked for. A
	// column without this row holds a KindNoSuchInstance. The slice is
	// reused once the callback returns: copy what you keep.
	Values []Variable
	// Sent is when the request that was answered went out, Received when
	// its answer came: the agent read the values in between.
	Sent, Received time.Time
}

// ScanLoss is a stretch of a table's index that ScanRows could not read:
// every attempt of its GETBULK went unanswered. Rows in it are unknown for
// this scan, neither present nor gone.
type ScanLoss struct {
	// After is the index the lost stretch starts after; "" is the start
	// of the table.
	After string
	// Last is the stretch's last index; "" when it runs to the table's end.
	Last string
}

// Contains reports whether the row index lies in the lost stretch.
func (l ScanLoss) Contains(index string) bool {
	if l.After != "" && CompareOIDs(index, l.After) <= 0 {
		return false
	}
	return l.Last == "" || CompareOIDs(index, l.Last) <= 0
}

// RowScanOptions tune ScanRows.
type RowScanOptions struct {
	// Now is the clock the rows are timed by; nil means time.Now.
	Now func() time.Time
	// Timeout is the longest wait for one attempt of a GETBULK; 0 means
	// DefaultTimeout. It should not be longer than the client's own
	// timeout, so that the client sends each attempt once and the
	// attempt's send time is the time the answer is measured from. Once
	// the agent has answered, an attempt waits as long as its answers
	// take (see AnswerTimes), at most Timeout.
	Timeout time.Duration
	// Answers, when set, carries what the scan learns of the agent's
	// answer times to the next scan of the same agent; nil starts anew.
	Answers *AnswerTimes
	// Attempts is how many times an unanswered GETBULK is sent before the
	// stretches it asked for count as lost (at least 1).
	Attempts int
}

// errNoProgress ends a scan whose agent answers too little to read a row.
var errNoProgress = errors.New("the agent's answers are too short to read one row of each stretch")

// ScanRows reads every row of several columns of one table, such as
// ifHCInOctets and ifHCOutOctets, and calls fn for each row, in no
// particular order, until the table ends or fn returns an error. It walks
// the index as ScanColumn does (one cursor, then up to eight stretches
// once the table proves long), and each GETBULK asks for every column of
// every stretch, so a row's values arrive in one answer and the row is
// timed by that answer (ScannedRow.Sent and Received). A column that
// lacks a row the others have gives that row a KindNoSuchInstance.
//
// A GETBULK left unanswered is sent again, up to Attempts times in all,
// each attempt timed on its own; when none is answered, its stretches are
// given up and returned as losses, and the scan goes on with the others
// (there are none left then: all stretches share each GETBULK). Any other
// error ends the scan.
func ScanRows(ctx context.Context, c Client, columns []string, opts RowScanOptions, fn func(ScannedRow) error) ([]ScanLoss, error) {
	if len(columns) == 0 {
		return nil, errors.New("scan rows: no columns")
	}
	cols := make([]string, len(columns))
	for i, col := range columns {
		cols[i] = NormalizeOID(col)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	opts.Attempts = max(opts.Attempts, 1)
	if opts.Answers == nil {
		opts.Answers = &AnswerTimes{}
	}
	rs := &rowScan{
		scan: scan{
			column:  cols[0],
			perPDU:  DefaultMaxRepetitions,
			ceiling: scanMaxGrowth * DefaultMaxRepetitions,
			numeric: true,
		},
		cols: cols,
		opts: opts,
		fn:   fn,
	}
	rs.stretches = []*stretch{{from: rs.column, open: true}}
	for len(rs.stretches) > 0 {
		rs.split()
		if err := rs.step(ctx, c); err != nil {
			return rs.losses, err
		}
	}
	return rs.losses, nil
}

// rowScan is a scan over several columns. Its stretches' cursors are OIDs
// of the first column; the other columns are asked at the same index.
type rowScan struct {
	scan
	cols   []string
	opts   RowScanOptions
	fn     func(ScannedRow) error
	losses []ScanLoss
	// got holds, per stretch and column, what one answer gave, and
	// values a row's values: both reused from step to step.
	got    [][]cell
	values []Variable
}

// cell is one value of a column in an answer, at its first-column OID.
type cell struct {
	key string // the OID of the same row in the first column
	v   Variable
}

// step sends one GETBULK for every column of every stretch and hands out
// the rows the answer completes.
func (rs *rowScan) step(ctx context.Context, c Client) error {
	// An agent that answers fewer varbinds than one of each column of
	// every stretch is asked for as many stretches as it answers; the
	// others wait for the next GETBULK.
	m := len(rs.cols)
	n := min(len(rs.stretches), max(1, rs.ceiling/m))
	asked, waiting := rs.stretches[:n], rs.stretches[n:]
	reps := max(1, rs.perPDU/(n*m))
	oids := make([]string, 0, n*m)
	for _, st := range asked {
		at := st.from[len(rs.column):]
		for _, col := range rs.cols {
			oids = append(oids, col+at)
		}
	}
	vars, sent, received, err := rs.ask(ctx, c, oids, reps)
	switch {
	case errors.Is(err, ErrTimeout) && ctx.Err() == nil:
		// Every stretch is given up, the waiting ones too: an agent that
		// answered none of these attempts would cost each its timeouts.
		for _, st := range rs.stretches {
			rs.losses = append(rs.losses, rs.loss(st))
		}
		rs.stretches = nil
		return nil
	case err != nil:
		return err
	case len(vars) == 0:
		// No varbinds at all: as BulkWalk, take it as the end.
		rs.stretches = nil
		return nil
	}
	rs.sort(vars, n)
	live := append([]*stretch(nil), waiting...)
	progress := false
	for k, st := range asked {
		done, moved, err := rs.emit(st, rs.got[k*m:(k+1)*m], sent, received)
		if err != nil {
			return err
		}
		progress = progress || done || moved
		if !done {
			live = append(live, st)
		}
	}
	rs.stretches = live
	switch {
	case len(vars) < n*m*reps:
		// The agent cut the answer short: that is its size.
		rs.perPDU, rs.ceiling = max(len(vars), 1), max(len(vars), 1)
	case rs.perPDU < rs.ceiling:
		rs.perPDU = min(2*rs.perPDU, rs.ceiling)
	}
	if !progress && n == 1 {
		// Not even one value of each column came for a lone stretch:
		// asking for fewer stretches cannot help. (With several, the
		// next GETBULK asks for fewer.)
		return fmt.Errorf("scan %s: %w (%d varbinds for %d asked)", rs.column, errNoProgress, len(vars), n*m*reps)
	}
	return nil
}

// ask sends one GETBULK, again after each attempt left unanswered, and
// returns the answer with the send time of the attempt answered.
func (rs *rowScan) ask(ctx context.Context, c Client, oids []string, reps int) (vars []Variable, sent, received time.Time, err error) {
	for attempt := 0; attempt < rs.opts.Attempts; attempt++ {
		actx, cancel := context.WithTimeout(ctx, rs.opts.Answers.Wait(rs.opts.Timeout))
		sent = rs.opts.Now()
		vars, err = c.GetBulk(actx, oids, reps)
		received = rs.opts.Now()
		cancel()
		if err == nil {
			rs.opts.Answers.Add(received.Sub(sent))
		}
		if err == nil || ctx.Err() != nil || !errors.Is(err, ErrTimeout) {
			break
		}
	}
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return vars, sent, received, err
}

// sort files the varbinds of an answer by stretch and column, in order.
// A column's first value outside it (an exception, another column) ends
// the column in this answer: it is filed as a cell without a key.
func (rs *rowScan) sort(vars []Variable, n int) {
	m := len(rs.cols)
	if cap(rs.got) < n*m {
		rs.got = make([][]cell, n*m)
	}
	rs.got = rs.got[:n*m]
	for i := range rs.got {
		rs.got[i] = rs.got[i][:0]
	}
	for i, v := range vars {
		slot := i % (n * m)
		cells := rs.got[slot]
		if len(cells) > 0 && cells[len(cells)-1].key == "" {
			continue // ended
		}
		col := rs.cols[slot%m]
		if !v.Exists() || !HasPrefix(v.OID, col) || v.OID == col {
			rs.got[slot] = append(cells, cell{})
			continue
		}
		rs.got[slot] = append(cells, cell{key: rs.column + v.OID[len(col):], v: v})
	}
}

// emit hands out the rows of one stretch that every column's answer has
// reached: a column that is behind (the answer was cut short) decides how
// far, and the stretch goes on from there; a column that ended no longer
// holds anyone back. It reports whether the stretch is done and whether
// its cursor moved.
func (rs *rowScan) emit(st *stretch, got [][]cell, sent, received time.Time) (done, moved bool, err error) {
	frontier, all := "", true // all: every column ended, nothing holds back
	for j, cells := range got {
		cur, ended := st.from, false
		for i, ce := range cells {
			if ce.key == "" || (!st.open && CompareOIDs(ce.key, st.last) > 0) {
				got[j], ended = cells[:i], true
				break
			}
			if CompareOIDs(ce.key, cur) <= 0 {
				return false, false, fmt.Errorf("scan %s: %s after %s: %w", rs.cols[j], ce.v.OID, rs.cols[j]+cur[len(rs.column):], ErrNotIncreasing)
			}
			cur = ce.key
		}
		if !ended && (all || CompareOIDs(cur, frontier) < 0) {
			frontier, all = cur, false
		}
	}
	if err := rs.merge(got, frontier, all, sent, received); err != nil {
		return false, false, err
	}
	if all {
		return true, true, nil
	}
	moved = frontier != st.from
	st.from = frontier
	return false, moved, nil
}

// merge hands out, in index order, the rows the columns' cells hold up to
// and including frontier (all of them when all is set).
func (rs *rowScan) merge(got [][]cell, frontier string, all bool, sent, received time.Time) error {
	m := len(rs.cols)
	next := make([]int, m)
	for {
		best := ""
		for j, cells := range got {
			if next[j] < len(cells) && (best == "" || CompareOIDs(cells[next[j]].key, best) < 0) {
				best = cells[next[j]].key
			}
		}
		if best == "" || (!all && CompareOIDs(best, frontier) > 0) {
			return nil
		}
		index := best[len(rs.column)+1:]
		if len(rs.values) != m {
			rs.values = make([]Variable, m)
		}
		row := ScannedRow{Index: index, Values: rs.values, Sent: sent, Received: received}
		for j, cells := range got {
			if next[j] < len(cells) && cells[next[j]].key == best {
				row.Values[j] = cells[next[j]].v
				next[j]++
				continue
			}
			row.Values[j] = Variable{OID: rs.cols[j] + "." + index, Kind: KindNoSuchInstance}
		}
		rs.note(best)
		if err := rs.fn(row); err != nil {
			return err
		}
	}
}

// loss is the part of a stretch not read yet.
func (rs *rowScan) loss(st *stretch) ScanLoss {
	l := ScanLoss{}
	if st.from != rs.column {
		l.After = st.from[len(rs.column)+1:]
	}
	if !st.open {
		l.Last = st.last[len(rs.column)+1:]
	}
	return l
}

// minAnswerWait is the shortest wait for an answer, however fast the
// agent has been: a busy agent may take this long now and then.
const minAnswerWait = 100 * time.Millisecond

// AnswerTimes follows how long an agent takes to answer, as TCP follows a
// round trip (RFC 6298): a smoothed time and its variation. A request
// then waits for its answer the smoothed time plus four variations, at
// least minAnswerWait, before it is sent again: on a link that loses
// packets, a lost request costs about a round trip instead of the whole
// timeout. The zero value knows nothing yet.
type AnswerTimes struct {
	smooth, vary time.Duration
	known        bool
}

// Add takes the time one request took to be answered.
func (a *AnswerTimes) Add(rtt time.Duration) {
	if !a.known {
		a.smooth, a.vary, a.known = rtt, rtt/2, true
		return
	}
	d := a.smooth - rtt
	if d < 0 {
		d = -d
	}
	a.vary = (3*a.vary + d) / 4
	a.smooth = (7*a.smooth + rtt) / 8
}

// Wait returns how long to wait for an answer: what the answers so far
// call for, at most limit (all of it while nothing is known).
func (a *AnswerTimes) Wait(limit time.Duration) time.Duration {
	if !a.known {
		return limit
	}
	return min(limit, max(minAnswerWait, a.smooth+4*a.vary))
}
