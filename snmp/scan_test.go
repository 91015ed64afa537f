package snmp_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// scanColumn is the column the scan tests read; rows of the columns before
// and after it must never be handed out.
const scanColumn = "1.3.6.1.4.1.9.9.150.1.1.3.1.2"

// countingClient counts the GETBULKs a client sends and the varbinds the
// agent had to produce, and cuts each answer to limit varbinds when
// limit > 0, as snmpsim (64) and IOS (its packet size) do.
type countingClient struct {
	snmp.Client
	limit    int
	requests int
	varbinds int
	maxAsked int
	striped  bool
}

func (c *countingClient) GetBulk(ctx context.Context, oids []string, maxReps int) ([]snmp.Variable, error) {
	vs, err := c.Client.GetBulk(ctx, oids, maxReps)
	if c.limit > 0 && len(vs) > c.limit {
		vs = vs[:c.limit]
	}
	c.requests++
	c.varbinds += len(vs)
	c.maxAsked = max(c.maxAsked, len(oids)*maxReps)
	c.striped = c.striped || len(oids) > 1
	return vs, err
}

// scanFake returns a Fake holding the column with the given row indexes
// (value "u<index>") and rows of its neighbour columns.
func scanFake(indexes []string) *snmptest.Fake {
	f := snmptest.New()
	f.SetString("1.3.6.1.4.1.9.9.150.1.1.3.1.1.7", "before")
	f.SetString("1.3.6.1.4.1.9.9.150.1.1.3.1.3.7", "after")
	f.SetString("1.3.6.1.4.1.9.9.150.1.1.3.1.3.8", "after")
	for _, idx := range indexes {
		f.SetString(scanColumn+"."+idx, "u"+idx)
	}
	return f
}

func scanIndexes(n int, index func(i int) uint64) []string {
	seen := map[string]bool{}
	var out []string
	for i := 0; len(out) < n; i++ {
		s := strconv.FormatUint(index(i), 10)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// TestScanColumnFindsEveryRow scans columns of many shapes and expects every
// row exactly once, nothing of the neighbour columns, no more agent work than
// a plain walk, and fewer GETBULKs than `snmpbulkwalk -Cr50` needs.
func TestScanColumnFindsEveryRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name    string
		indexes []string
		limit   int
		striped bool // long and numbered: must be read by several cursors
	}{
		{"empty", nil, 0, false},
		{"one row", []string{"42"}, 0, false},
		{"short, under the split threshold", scanIndexes(200, func(i int) uint64 { return uint64(i + 1) }), 0, false},
		{"dense from 1", scanIndexes(5000, func(i int) uint64 { return uint64(i + 1) }), 0, true},
		{"dense, agent answers 64 varbinds", scanIndexes(5000, func(i int) uint64 { return uint64(100000 + i) }), 64, true},
		{"dense, agent answers 7 varbinds", scanIndexes(3000, func(i int) uint64 { return uint64(100000 + i) }), 7, true},
		{"random over all of uint32", scanIndexes(4000, func(int) uint64 { return uint64(rng.Uint32N(1<<32 - 1)) }), 0, true},
		{"two clusters far apart", scanIndexes(4000, func(i int) uint64 {
			if i%2 == 0 {
				return uint64(10 + i)
			}
			return uint64(3_000_000_000 + 3*i)
		}), 0, true},
		{"up to the largest index", scanIndexes(3000, func(i int) uint64 { return uint64(1<<32 - 1 - i) }), 0, true},
		{"three-arc index", scanIndexes(3000, func(i int) uint64 { return uint64(i) }), 0, true},
		{"index past 32 bits", scanIndexes(1000, func(i int) uint64 { return uint64(1<<40 + i) }), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			indexes := tt.indexes
			if strings.HasPrefix(tt.name, "three-arc") {
				for i, idx := range indexes {
					indexes[i] = "3." + strconv.Itoa(i%7) + "." + idx
				}
			}
			c := &countingClient{Client: scanFake(indexes), limit: tt.limit}
			got := map[string]int{}
			err := snmp.ScanColumn(context.Background(), c, scanColumn, func(v snmp.Variable) error {
				got[v.OID]++
				if v.Text() != "u"+strings.TrimPrefix(v.OID, scanColumn+".") {
					t.Errorf("row %s has value %q", v.OID, v.Text())
				}
				return nil
			})
			if err != nil {
				t.Fatalf("ScanColumn: %v", err)
			}
			for _, idx := range indexes {
				if n := got[scanColumn+"."+idx]; n != 1 {
					t.Errorf("row %s handed out %d times", idx, n)
				}
			}
			if len(got) != len(indexes) {
				t.Errorf("%d rows handed out, want %d", len(got), len(indexes))
			}
			if c.striped != tt.striped {
				t.Errorf("several cursors at once: %v, want %v", c.striped, tt.striped)
			}
			requests := c.requests
			t.Logf("%d rows: %d GETBULKs, %d varbinds from the agent", len(indexes), requests, c.varbinds)
			if n := len(indexes); n >= 1000 && tt.limit == 0 && requests >= n/snmp.DefaultMaxRepetitions {
				t.Errorf("%d GETBULKs for %d rows, want fewer than a walk with max-repetitions %d", requests, n, snmp.DefaultMaxRepetitions)
			}
			// The agent's work: the rows, plus at most a quarter more for
			// cursors running into the next stretch and probes.
			if n := len(indexes); c.varbinds > n+n/4+2*snmp.DefaultMaxRepetitions {
				t.Errorf("the agent produced %d varbinds for %d rows", c.varbinds, n)
			}
			if tt.limit > 0 && c.maxAsked > 4*snmp.DefaultMaxRepetitions {
				t.Errorf("asked for %d varbinds in one GETBULK", c.maxAsked)
			}
		})
	}
}

// TestScanColumnStopsAndFails: an error from fn ends the scan at once and is
// returned as is; an agent error is returned.
func TestScanColumnStopsAndFails(t *testing.T) {
	indexes := scanIndexes(3000, func(i int) uint64 { return uint64(i + 1) })
	stop := errors.New("found")
	c := &countingClient{Client: scanFake(indexes)}
	rows := 0
	err := snmp.ScanColumn(context.Background(), c, scanColumn, func(v snmp.Variable) error {
		rows++
		if v.OID == scanColumn+".2999" {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("error %v, want fn's", err)
	}
	if rows >= len(indexes) {
		t.Errorf("read all %d rows before stopping", rows)
	}

	f := scanFake(indexes)
	f.Fail = func([]string) error { return snmp.ErrTimeout }
	if err := snmp.ScanColumn(context.Background(), f, scanColumn, func(snmp.Variable) error { return nil }); !errors.Is(err, snmp.ErrTimeout) {
		t.Errorf("error %v, want the agent's timeout", err)
	}
}

// TestScanColumnOrderFree: the rows come in several orders, but sorted they
// are the walk's.
func TestScanColumnMatchesWalk(t *testing.T) {
	indexes := scanIndexes(2500, func(i int) uint64 { return uint64(7 * (i + 1)) })
	f := scanFake(indexes)
	var walked, scanned []string
	if err := f.BulkWalk(context.Background(), scanColumn, func(v snmp.Variable) error {
		walked = append(walked, v.OID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := snmp.ScanColumn(context.Background(), f, scanColumn, func(v snmp.Variable) error {
		scanned = append(scanned, v.OID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Slice(scanned, func(i, j int) bool { return snmp.CompareOIDs(scanned[i], scanned[j]) < 0 })
	if strings.Join(walked, " ") != strings.Join(scanned, " ") {
		t.Errorf("scan and walk differ: %d vs %d rows", len(scanned), len(walked))
	}
}
