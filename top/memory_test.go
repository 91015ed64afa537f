package top

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// genRouter is a BRAS of n subscriber sessions (ifIndex 1 to n) whose
// values are computed when asked rather than stored, so that a router of
// 32,000 rows costs the test next to nothing: the memory measured is the
// engine's. Session i carries 1000+i b/s in and 8000+i b/s out; with a
// cache, the counters are those of the last refresh of a timer of that
// period (a caching agent, as net-snmp's or IOS-XR's).
type genRouter struct {
	mu    sync.Mutex
	n     int
	clock *snmptest.Clock
	rtt   time.Duration
	cache time.Duration
}

// genColumns are the columns genRouter serves, in SNMP order.
var genColumns = []string{snmp.OIDIfDescr, snmp.OIDIfName, snmp.OIDIfHCInOctets, snmp.OIDIfHCOutOctets,
	snmp.OIDIfAlias, ciscoresolve.OIDCsubSessionUsername}

// value returns row i of a column at time at.
func (r *genRouter) value(col string, i int, at time.Time) snmp.Variable {
	oid := col + "." + strconv.Itoa(i)
	if r.cache > 0 {
		at = t0.Add(at.Sub(t0) / r.cache * r.cache)
	}
	secs := at.Sub(t0).Seconds()
	switch col {
	case snmp.OIDIfDescr:
		return snmp.Variable{OID: oid, Kind: snmp.KindOctetString, Bytes: []byte("Virtual-Access2." + strconv.Itoa(i))}
	case snmp.OIDIfName:
		return snmp.Variable{OID: oid, Kind: snmp.KindOctetString, Bytes: []byte("Vi2." + strconv.Itoa(i))}
	case snmp.OIDIfAlias:
		return snmp.Variable{OID: oid, Kind: snmp.KindOctetString}
	case ciscoresolve.OIDCsubSessionUsername:
		return snmp.Variable{OID: oid, Kind: snmp.KindOctetString, Bytes: []byte("user" + strconv.Itoa(i) + "@isp")}
	case snmp.OIDIfHCInOctets:
		return snmp.Variable{OID: oid, Kind: snmp.KindCounter64, Uint: uint64(float64(1000+i) / 8 * secs)}
	case snmp.OIDIfHCOutOctets:
		return snmp.Variable{OID: oid, Kind: snmp.KindCounter64, Uint: uint64(float64(8000+i) / 8 * secs)}
	}
	return snmp.Variable{OID: oid, Kind: snmp.KindNoSuchObject}
}

// next returns the variable after oid, as a GETNEXT would.
func (r *genRouter) next(oid string, at time.Time) snmp.Variable {
	oid = snmp.NormalizeOID(oid)
	for _, col := range genColumns {
		if snmp.CompareOIDs(oid, col) < 0 {
			return r.value(col, 1, at)
		}
		if !snmp.HasPrefix(oid, col) {
			continue
		}
		i := 0
		if rest := strings.TrimPrefix(oid, col+"."); rest != oid {
			first, _, _ := strings.Cut(rest, ".")
			i, _ = strconv.Atoi(first)
		}
		if i+1 <= r.n {
			return r.value(col, i+1, at)
		}
	}
	return snmp.Variable{OID: oid, Kind: snmp.KindEndOfMibView}
}

// tick runs one request on the clock and returns the time it is read at.
func (r *genRouter) tick() time.Time {
	r.clock.Add(r.rtt / 2)
	at := r.clock.Now()
	r.clock.Add(r.rtt / 2)
	return at
}

func (r *genRouter) Get(ctx context.Context, oids []string) ([]snmp.Variable, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	at := r.tick()
	out := make([]snmp.Variable, len(oids))
	for k, oid := range oids {
		oid = snmp.NormalizeOID(oid)
		out[k] = snmp.Variable{OID: oid, Kind: snmp.KindNoSuchInstance}
		i := strings.LastIndexByte(oid, '.')
		if n, err := strconv.Atoi(oid[i+1:]); err == nil && n >= 1 && n <= r.n {
			out[k] = r.value(oid[:i], n, at)
		}
	}
	return out, nil
}

func (r *genRouter) GetBulk(ctx context.Context, oids []string, reps int) ([]snmp.Variable, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	at := r.tick()
	cur := append([]string(nil), oids...)
	out := make([]snmp.Variable, 0, len(oids)*max(reps, 1))
	for k := 0; k < max(reps, 1); k++ {
		for j, oid := range cur {
			v := r.next(oid, at)
			out = append(out, v)
			cur[j] = v.OID
		}
	}
	return out, nil
}

func (r *genRouter) BulkWalk(ctx context.Context, root string, fn func(snmp.Variable) error) error {
	return nil
}

func (r *genRouter) Close() error { return nil }

// engineBytesPerRow builds a top run on a router of rows sessions, makes
// cycles cycles a second apart on its clock, and returns how many bytes
// the run keeps alive per row once they are done (the heap after a
// collection, less the heap before the run).
func engineBytesPerRow(tb testing.TB, rows, cycles int, cache time.Duration) float64 {
	r := &genRouter{n: rows, clock: snmptest.NewClock(t0), rtt: 2 * time.Millisecond, cache: cache}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tp := New(r, Config{Router: "bras1", Now: r.clock.Now, Timeout: time.Second})
	if err := tp.Start(context.Background()); err != nil {
		tb.Fatalf("Start: %v", err)
	}
	for k := 0; k < cycles; k++ {
		if k > 0 {
			r.clock.Add(time.Second)
		}
		c := tp.Cycle(context.Background())
		if c.Err != "" || c.Ranked != rows {
			tb.Fatalf("cycle %d: %d rows, want %d: %s", c.Number, c.Ranked, rows, c.Err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(tp)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(rows)
}

// BenchmarkEngineMemory reports the bytes the engine keeps per row
// (B/row) at 32,000 rows after 40 cycles, on an agent whose counters
// follow every poll and on one that caches them on a 3 s timer (whose
// rows keep their refresh model's window): a regression in what a row
// costs shows here. Run it with -benchtime 1x.
func BenchmarkEngineMemory(b *testing.B) {
	for _, bc := range []struct {
		name  string
		cache time.Duration
	}{{"fresh", 0}, {"timer3s", 3 * time.Second}} {
		b.Run(bc.name, func(b *testing.B) {
			var perRow float64
			for i := 0; i < b.N; i++ {
				perRow = engineBytesPerRow(b, 32000, 40, bc.cache)
			}
			b.ReportMetric(perRow, "B/row")
		})
	}
}
