package snmp_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// The columns the row scan tests read, and one between them whose rows
// must never be handed out.
const (
	rowsIn      = snmp.OIDIfHCInOctets
	rowsBetween = "1.3.6.1.2.1.31.1.1.1.7"
	rowsOut     = snmp.OIDIfHCOutOctets
)

// rowsFake returns a Fake with the in and out columns at the given
// indexes (in = 10·index, out = 10·index+1), except the rows missing from
// each, and a row of the column between them at every index.
func rowsFake(indexes []string, noIn, noOut func(i int) bool) *snmptest.Fake {
	f := snmptest.New()
	f.SetUint("1.3.6.1.2.1.31.1.1.1.5.1", snmp.KindCounter64, 5)
	for i, idx := range indexes {
		n, _ := strconv.ParseUint(idx, 10, 64)
		if noIn == nil || !noIn(i) {
			f.SetUint(rowsIn+"."+idx, snmp.KindCounter64, 10*n)
		}
		f.SetUint(rowsBetween+"."+idx, snmp.KindCounter64, 7)
		if noOut == nil || !noOut(i) {
			f.SetUint(rowsOut+"."+idx, snmp.KindCounter64, 10*n+1)
		}
	}
	f.SetUint("1.3.6.1.2.1.31.1.1.1.11.1", snmp.KindCounter64, 11)
	return f
}

// TestScanRowsReadsEveryRow scans two columns of many shapes and expects
// every row exactly once with both values from the same row, a missing
// value as noSuchInstance (never 0), and fewer GETBULKs than walking the
// two columns one after the other with max-repetitions 50.
func TestScanRowsReadsEveryRow(t *testing.T) {
	every := func(k int) func(int) bool { return func(i int) bool { return i%k == k-1 } }
	tests := []struct {
		name        string
		indexes     []string
		noIn, noOut func(int) bool
		limit       int
	}{
		{"empty", nil, nil, nil, 0},
		{"one row", []string{"42"}, nil, nil, 0},
		{"short", scanIndexes(200, func(i int) uint64 { return uint64(i + 1) }), nil, nil, 0},
		{"32k sessions", scanIndexes(32000, func(i int) uint64 { return uint64(64 + i) }), nil, nil, 0},
		{"agent answers 64 varbinds", scanIndexes(5000, func(i int) uint64 { return uint64(100000 + i) }), nil, nil, 64},
		{"agent answers 7 varbinds", scanIndexes(2000, func(i int) uint64 { return uint64(100000 + i) }), nil, nil, 7},
		{"rows without out", scanIndexes(3000, func(i int) uint64 { return uint64(1 + 3*i) }), nil, every(7), 0},
		{"rows without in or out", scanIndexes(3000, func(i int) uint64 { return uint64(1 + i) }), every(11), every(7), 61},
		{"sparse over uint32", scanIndexes(3000, func(i int) uint64 { return uint64(i) * 1_400_000 }), every(5), nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &countingClient{Client: rowsFake(tt.indexes, tt.noIn, tt.noOut), limit: tt.limit}
			got := map[string]int{}
			_, err := snmp.ScanRows(context.Background(), c, []string{rowsIn, rowsOut}, snmp.RowScanOptions{}, func(r snmp.ScannedRow) error {
				got[r.Index]++
				n, _ := strconv.ParseUint(r.Index, 10, 64)
				if len(r.Values) != 2 {
					t.Fatalf("row %s has %d values", r.Index, len(r.Values))
				}
				for j, want := range []uint64{10 * n, 10*n + 1} {
					v := r.Values[j]
					switch {
					case v.Kind == snmp.KindNoSuchInstance:
						got["missing "+strconv.Itoa(j)]++
					case v.Uint != want || v.Kind != snmp.KindCounter64:
						t.Errorf("row %s column %d: %s %d, want Counter64 %d", r.Index, j, v.Kind, v.Uint, want)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatalf("ScanRows: %v", err)
			}
			wantMissing := [2]int{}
			for i, idx := range tt.indexes {
				in, out := tt.noIn != nil && tt.noIn(i), tt.noOut != nil && tt.noOut(i)
				if in && out {
					if got[idx] != 0 {
						t.Errorf("row %s without either column handed out", idx)
					}
					continue
				}
				if in {
					wantMissing[0]++
				}
				if out {
					wantMissing[1]++
				}
				if got[idx] != 1 {
					t.Errorf("row %s handed out %d times", idx, got[idx])
				}
			}
			for j := range 2 {
				if n := got["missing "+strconv.Itoa(j)]; n != wantMissing[j] {
					t.Errorf("column %d missing on %d rows, want %d", j, n, wantMissing[j])
				}
			}
			t.Logf("%d rows: %d GETBULKs, %d varbinds", len(tt.indexes), c.requests, c.varbinds)
			if n := len(tt.indexes); n >= 1000 && tt.limit == 0 && c.requests >= 2*n/snmp.DefaultMaxRepetitions {
				t.Errorf("%d GETBULKs for %d rows, want fewer than two walks with max-repetitions %d", c.requests, n, snmp.DefaultMaxRepetitions)
			}
		})
	}
}

// timedClient answers through a Fake on a fake clock: each request takes
// 4 ms, and the requests listed in lose go unanswered (after the timeout).
// It keeps when each answered request was sent and what it answered.
type timedClient struct {
	*snmptest.Fake
	clock   *snmptest.Clock
	timeout time.Duration
	lose    func(n int) bool
	n       int
	answers []timedAnswer
	waits   []time.Duration // how long each request was given
}

type timedAnswer struct {
	sent time.Time
	oids map[string]bool
}

func (c *timedClient) GetBulk(ctx context.Context, oids []string, maxReps int) ([]snmp.Variable, error) {
	c.n++
	if dl, ok := ctx.Deadline(); ok {
		c.waits = append(c.waits, time.Until(dl))
	}
	sent := c.clock.Now()
	if c.lose != nil && c.lose(c.n) {
		c.clock.Add(c.timeout)
		return nil, &snmp.NoResponseError{Addr: "fake", Timeout: c.timeout}
	}
	c.clock.Add(4 * time.Millisecond)
	vs, err := c.Fake.GetBulk(ctx, oids, maxReps)
	a := timedAnswer{sent: sent, oids: map[string]bool{}}
	for _, v := range vs {
		a.oids[v.OID] = true
	}
	c.answers = append(c.answers, a)
	return vs, err
}

// TestScanRowsTimesRowsByTheirAnswer: a row's Sent and Received are those
// of the GETBULK that carried it, not of the scan's start, so rows read
// later carry later times.
func TestScanRowsTimesRowsByTheirAnswer(t *testing.T) {
	indexes := scanIndexes(4000, func(i int) uint64 { return uint64(64 + i) })
	clock := snmptest.NewClock(time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC))
	c := &timedClient{Fake: rowsFake(indexes, nil, nil), clock: clock}
	times := map[time.Time]int{}
	_, err := snmp.ScanRows(context.Background(), c, []string{rowsIn, rowsOut}, snmp.RowScanOptions{Now: clock.Now}, func(r snmp.ScannedRow) error {
		if got := r.Received.Sub(r.Sent); got != 4*time.Millisecond {
			t.Fatalf("row %s: answered %v after it was sent, want 4ms", r.Index, got)
		}
		var carrier *timedAnswer
		for i := range c.answers {
			if c.answers[i].oids[rowsIn+"."+r.Index] {
				carrier = &c.answers[i]
			}
		}
		if carrier == nil || !carrier.sent.Equal(r.Sent) || !carrier.oids[rowsOut+"."+r.Index] {
			t.Fatalf("row %s sent at %v: not the time of the GETBULK that carried both its values", r.Index, r.Sent)
		}
		times[r.Sent]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(times) < 10 {
		t.Errorf("4000 rows carry %d different times, want one per GETBULK (%d)", len(times), len(c.answers))
	}
}

// TestScanRowsLosses: a GETBULK that goes unanswered is sent again, and
// the rows it brings are timed by the attempt answered; one that no
// attempt gets answered gives up its stretches as losses, which hold
// exactly the rows not handed out.
func TestScanRowsLosses(t *testing.T) {
	indexes := scanIndexes(3000, func(i int) uint64 { return uint64(64 + i) })
	start := time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC)

	t.Run("resent", func(t *testing.T) {
		clock := snmptest.NewClock(start)
		c := &timedClient{Fake: rowsFake(indexes, nil, nil), clock: clock, timeout: 300 * time.Millisecond,
			lose: func(n int) bool { return n == 3 }}
		rows := 0
		losses, err := snmp.ScanRows(context.Background(), c, []string{rowsIn, rowsOut},
			snmp.RowScanOptions{Now: clock.Now, Timeout: 300 * time.Millisecond, Attempts: 2}, func(r snmp.ScannedRow) error {
				rows++
				if r.Received.Sub(r.Sent) != 4*time.Millisecond {
					t.Errorf("row %s timed over %v, want the answered attempt's 4ms", r.Index, r.Received.Sub(r.Sent))
				}
				return nil
			})
		if err != nil || len(losses) != 0 || rows != len(indexes) {
			t.Errorf("ScanRows: %d rows, losses %v, error %v; want all %d rows", rows, losses, err, len(indexes))
		}
		// The first request waits the whole timeout; once the agent has
		// answered in 4 ms, a request waits the least wait.
		if c.waits[0] < 200*time.Millisecond || c.waits[2] > 150*time.Millisecond {
			t.Errorf("waits %v: want the timeout first, then about 100ms", c.waits[:3])
		}
	})

	t.Run("given up", func(t *testing.T) {
		clock := snmptest.NewClock(start)
		c := &timedClient{Fake: rowsFake(indexes, nil, nil), clock: clock, timeout: 300 * time.Millisecond,
			lose: func(n int) bool { return n >= 4 && n <= 5 }}
		seen := map[string]bool{}
		losses, err := snmp.ScanRows(context.Background(), c, []string{rowsIn, rowsOut},
			snmp.RowScanOptions{Now: clock.Now, Timeout: 300 * time.Millisecond, Attempts: 2}, func(r snmp.ScannedRow) error {
				seen[r.Index] = true
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if len(losses) == 0 || len(seen) == 0 || len(seen) == len(indexes) {
			t.Fatalf("%d rows read, losses %v: want some rows and a loss", len(seen), losses)
		}
		for _, idx := range indexes {
			lost := false
			for _, l := range losses {
				lost = lost || l.Contains(idx)
			}
			if lost == seen[idx] {
				t.Errorf("row %s: read %v, in a loss %v", idx, seen[idx], lost)
			}
		}
	})

	t.Run("other errors end the scan", func(t *testing.T) {
		f := rowsFake(indexes, nil, nil)
		bad := errors.New("agent answered genErr")
		f.Fail = func([]string) error { return bad }
		_, err := snmp.ScanRows(context.Background(), f, []string{rowsIn, rowsOut}, snmp.RowScanOptions{}, func(snmp.ScannedRow) error { return nil })
		if !errors.Is(err, bad) {
			t.Errorf("error %v, want the agent's", err)
		}
	})
}

// TestAnswerTimes: the wait follows the answers' time and spread, never
// below 100 ms nor above the limit.
func TestAnswerTimes(t *testing.T) {
	var a snmp.AnswerTimes
	if got := a.Wait(time.Second); got != time.Second {
		t.Errorf("knowing nothing: wait %v, want the limit", got)
	}
	for range 20 {
		a.Add(2 * time.Millisecond)
	}
	if got := a.Wait(time.Second); got != 100*time.Millisecond {
		t.Errorf("2 ms answers: wait %v, want 100ms", got)
	}
	for i := range 40 {
		a.Add(time.Duration(150+100*(i%2)) * time.Millisecond) // 150 and 250 ms in turn
	}
	if got := a.Wait(time.Second); got < 300*time.Millisecond || got > 600*time.Millisecond {
		t.Errorf("150-250 ms answers: wait %v, want their mean and four times their spread", got)
	}
	if got := a.Wait(200 * time.Millisecond); got != 200*time.Millisecond {
		t.Errorf("wait %v above the limit", got)
	}
}
