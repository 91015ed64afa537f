package top

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// bras returns a router with three uplinks and the given sessions, each
// (in, out) b/s, on ifIndexes 100, 101, ...
func bras(rates ...[2]float64) *fakeRouter {
	r := newFakeRouter()
	r.add(1, fakeIf{descr: "TenGigabitEthernet0/0/0", name: "Te0/0/0", alias: "uplink", inBps: 9e9, outBps: 1e9})
	r.add(2, fakeIf{descr: "GigabitEthernet0", name: "Gi0", alias: "mgmt", inBps: 1e3, outBps: 1e3})
	for k, rt := range rates {
		r.add(100+k, session(k+1, "user"+strconv.Itoa(k), rt[0], rt[1]))
	}
	return r
}

// TestCycleRanksSessions: on a router with subscriber sessions the rows
// are the sessions, ranked by total with the subscriber as target, their
// rates exact, their shares of the sum adding up; the uplinks stay out.
func TestCycleRanksSessions(t *testing.T) {
	r := bras([2]float64{1e6, 2e6}, [2]float64{50e6, 400e6}, [2]float64{8e6, 1e6}, [2]float64{0, 1e5}, [2]float64{100e6, 30e6})
	c := cycles(t, newTop(r, Config{}), r, 3)
	wantOrder := []int{101, 104, 102, 100, 103}
	if len(c.Rows) != len(wantOrder) {
		t.Fatalf("%d rows, want the %d sessions", len(c.Rows), len(wantOrder))
	}
	share := 0.0
	for k, want := range wantOrder {
		row := c.Rows[k]
		if row.IfIndex != want || row.Rank != k+1 {
			t.Errorf("rank %d: ifIndex %d (rank %d), want %d", k+1, row.IfIndex, row.Rank, want)
		}
		f := r.ifs[want]
		if row.Target != f.user || row.User != f.user || row.IfName != f.name || row.IfDescr != f.descr {
			t.Errorf("row %d: target %q user %q names %q %q", want, row.Target, row.User, row.IfName, row.IfDescr)
		}
		if row.Status != sample.StatusOK || !near(row.InBps, f.inBps) || !near(row.OutBps, f.outBps) {
			t.Errorf("row %d: %s %.0f/%.0f b/s, want ok %.0f/%.0f", want, row.Status, row.InBps, row.OutBps, f.inBps, f.outBps)
		}
		if s := c.Share(&row); !math.IsNaN(s) {
			share += s
		}
	}
	if !near(c.InBps, 159e6) || !near(c.OutBps, 433.1e6) || !near(share, 1) {
		t.Errorf("sum %.0f/%.0f b/s, shares %.4f; want 159M/433M and 1", c.InBps, c.OutBps, share)
	}
	if c.Overran() || c.Lost != 0 {
		t.Errorf("walk %v overran %v, lost %d", c.Walk(), c.Overran(), c.Lost)
	}
}

// TestCycleScope: without sessions every interface is a row, AllInterfaces
// keeps the uplinks of a BRAS, and a filter keeps what matches a name or a
// subscriber, sessions or not.
func TestCycleScope(t *testing.T) {
	two := [][2]float64{{1e6, 1e6}, {2e6, 2e6}}
	tests := []struct {
		name string
		r    func() *fakeRouter
		cfg  Config
		want []int
	}{
		{"router without sessions", func() *fakeRouter {
			r := bras()
			r.add(3, fakeIf{descr: "TenGigabitEthernet0/0/1", name: "Te0/0/1", inBps: 1e6})
			return r
		}, Config{}, []int{1, 3, 2}},
		{"BRAS, all interfaces", func() *fakeRouter { return bras(two...) }, Config{AllInterfaces: true}, []int{1, 101, 100, 2}},
		{"filter on a name", func() *fakeRouter { return bras(two...) }, Config{Filter: regexp.MustCompile(`^Te`)}, []int{1}},
		{"filter on a subscriber", func() *fakeRouter { return bras(two...) }, Config{Filter: regexp.MustCompile(`user1$`)}, []int{101}},
		{"filter on an alias", func() *fakeRouter { return bras(two...) }, Config{Filter: regexp.MustCompile(`mgmt|user0`)}, []int{100, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r()
			c := cycles(t, newTop(r, tt.cfg), r, 3)
			var got []int
			for _, row := range c.Rows {
				got = append(got, row.IfIndex)
			}
			if !equalInts(got, tt.want) {
				t.Errorf("rows %v, want %v", got, tt.want)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCycleTimesEachRow: on a router where reading 3000 rows takes many
// GETBULKs (each 40 ms), every row is timed by the answer that carried it:
// the rates are exact, and the rows of one cycle carry many times. Timed
// by the cycle's start instead, the rows read last would be off by up to
// the walk's length.
func TestCycleTimesEachRow(t *testing.T) {
	var rates [][2]float64
	for k := 0; k < 3000; k++ {
		rates = append(rates, [2]float64{float64(1e5 * (k%97 + 1)), float64(1e6 * (k%89 + 1))})
	}
	r := bras(rates...)
	r.rtt = 40 * time.Millisecond
	c := cycles(t, newTop(r, Config{}), r, 3)
	if len(c.Rows) != 3000 {
		t.Fatalf("%d rows, want 3000", len(c.Rows))
	}
	times := map[time.Time]bool{}
	for _, row := range c.Rows {
		f := r.ifs[row.IfIndex]
		// The fake's counters are whole octets: 8 b/s of rounding.
		if row.Status != sample.StatusOK || math.Abs(row.InBps-f.inBps) > 16 || math.Abs(row.OutBps-f.outBps) > 16 {
			t.Fatalf("row %d: %s %.1f/%.1f b/s, want ok %.0f/%.0f", row.IfIndex, row.Status, row.InBps, row.OutBps, f.inBps, f.outBps)
		}
		times[row.Time] = true
	}
	if len(times) < 10 || !c.Overran() {
		t.Errorf("rows of one cycle carry %d times over a %v walk; want one per GETBULK, and a walk longer than 1s", len(times), c.Walk())
	}
}

// TestCycleChurn: a session that ends is gone from the next cycle; a new
// one is a row from its first reading (its names and subscriber read by
// GET, not by walking the tables again), with a rate from the second.
func TestCycleChurn(t *testing.T) {
	r := bras([2]float64{1e6, 1e6}, [2]float64{2e6, 2e6})
	tp := newTop(r, Config{})
	cycles(t, tp, r, 6) // long enough to learn that the agent has no counter cache
	r.remove(100)
	r.add(150, session(50, "newcomer", 5e6, 5e6))
	gets := r.gets
	c := cycles(t, tp, r, 1)
	if rowOf(c, 100) != nil {
		t.Errorf("the ended session is still a row")
	}
	row := rowOf(c, 150)
	if row == nil || row.Status != sample.StatusFirst || row.User != "newcomer" || row.IfName != "Vi2.50" {
		t.Fatalf("new session's row %+v, want first of newcomer on Vi2.50", row)
	}
	if r.gets-gets != 2 {
		t.Errorf("%d GETs for one new interface, want 2 (its names, its subscriber)", r.gets-gets)
	}
	c = cycles(t, tp, r, 1)
	if row = rowOf(c, 150); row == nil || row.Status != sample.StatusOK || !near(row.InBps, 5e6) {
		t.Errorf("new session's second row %+v, want ok 5 Mb/s", row)
	}
	if c.Rows[0].IfIndex != 150 {
		t.Errorf("the new 10 Mb/s session is not ranked first: %d is", c.Rows[0].IfIndex)
	}
}

// TestCycleIfIndexReuse: an interface that comes back with another
// subscriber between two cycles (its counters from zero) is a new row,
// first, never a rate across the two sessions; a counter reset of the
// same subscriber is a gap on the same row.
func TestCycleIfIndexReuse(t *testing.T) {
	r := bras([2]float64{80e6, 80e6}, [2]float64{1e6, 1e6})
	tp := newTop(r, Config{})
	cycles(t, tp, r, 5)
	r.add(100, session(1, "next-subscriber", 1e6, 1e6))
	c := cycles(t, tp, r, 1)
	row := rowOf(c, 100)
	if row == nil || row.User != "next-subscriber" || row.Status != sample.StatusFirst || row.HasLatest {
		t.Fatalf("reused interface's row %+v, want a first row of next-subscriber without a rate", row)
	}
	for _, v := range row.Trend {
		if !math.IsNaN(float64(v)) {
			t.Fatalf("the new subscriber's trend holds the old one's rates: %v", row.Trend)
		}
	}
	c = cycles(t, tp, r, 1)
	if row = rowOf(c, 100); row == nil || row.Status != sample.StatusOK || !near(row.InBps, 1e6) {
		t.Errorf("next row %+v, want ok 1 Mb/s", row)
	}

	r.add(101, session(2, "user1", 1e6, 1e6)) // the same subscriber, counters cleared
	c = cycles(t, tp, r, 1)
	if row = rowOf(c, 101); row == nil || row.Status != sample.StatusGapReset || row.User != "user1" {
		t.Errorf("cleared counters' row %+v, want gap-reset of user1", row)
	}
}

// TestCycleLosses: a GETBULK that goes unanswered leaves the rows it
// would have read with a gap-timeout row (no rate, never 0) while the
// others have theirs; the next cycle bridges back with a rate over both.
func TestCycleLosses(t *testing.T) {
	var rates [][2]float64
	for k := 0; k < 2000; k++ {
		rates = append(rates, [2]float64{1e6, float64(1e5 * (k + 1))})
	}
	r := bras(rates...)
	tp := newTop(r, Config{Retries: 1})
	cycles(t, tp, r, 3)
	bulks := 0
	r.lose = func(oids []string) bool {
		if len(oids) < 2 || !strings.HasPrefix(oids[0], snmp.OIDIfHCInOctets) {
			return false
		}
		bulks++
		return bulks >= 3 // the third GETBULK and its resend, and all after
	}
	r.clock.Add(time.Second)
	c := tp.Cycle(context.Background())
	r.lose = nil
	if !strings.Contains(c.Err, "") {
		t.Errorf("cycle error %q", c.Err)
	}
	if c.Lost == 0 || c.Lost == len(c.Rows) || len(c.Rows) != 2000 {
		t.Fatalf("%d rows lost of %d; want some, not all, of 2000", c.Lost, len(c.Rows))
	}
	lost := map[int]bool{}
	for _, row := range c.Rows {
		switch row.Status {
		case sample.StatusGapTimeout:
			lost[row.IfIndex] = true
			if row.InBps != 0 || row.OutBps != 0 || row.HasOctets || !row.HasLatest {
				t.Fatalf("lost row %+v: want no rate, no octets, the last rate kept for the ranking", row)
			}
		case sample.StatusOK:
		default:
			t.Fatalf("row %d: %s", row.IfIndex, row.Status)
		}
	}
	c = cycles(t, tp, r, 1)
	for _, row := range c.Rows {
		f := r.ifs[row.IfIndex]
		if row.Status != sample.StatusOK || !near(row.OutBps, f.outBps) {
			t.Fatalf("row %d after the loss: %s %.0f b/s, want ok %.0f", row.IfIndex, row.Status, row.OutBps, f.outBps)
		}
		if lost[row.IfIndex] && row.Interval < 1500*time.Millisecond {
			t.Errorf("row %d bridges %v, want about two cycles", row.IfIndex, row.Interval)
		}
	}
}

// TestCycle32Bit: a row without 64-bit counters is read on its 32-bit
// ones, wraps included; SNMPv1 reads only 32-bit ones.
func TestCycle32Bit(t *testing.T) {
	r := bras([2]float64{1e6, 1e6})
	r.add(101, fakeIf{descr: "Virtual-Access2.2", name: "Vi2.2", user: "old-cpe", inBps: 2e9, outBps: 8e6, no64: true})
	tp := newTop(r, Config{})
	c := cycles(t, tp, r, 3)
	row := rowOf(c, 101)
	if row == nil || row.CounterBits != 32 || row.Status != sample.StatusOK || !near(row.InBps, 2e9) {
		t.Fatalf("32-bit row %+v, want ok 2 Gb/s on 32-bit counters", row)
	}
	wraps := 0
	for k := 0; k < 20; k++ { // 2 Gb/s wraps 2^32 octets every 17 s
		c = cycles(t, tp, r, 1)
		row = rowOf(c, 101)
		if row.Status == sample.StatusWrap {
			wraps++
		}
		if !row.Status.HasRate() || !near(row.InBps, 2e9) {
			t.Fatalf("32-bit row %s %.0f b/s, want 2 Gb/s", row.Status, row.InBps)
		}
	}
	if wraps == 0 {
		t.Errorf("no wrap in 20 s at 2 Gb/s")
	}
	if row := rowOf(c, 100); row.CounterBits != 64 {
		t.Errorf("a row with 64-bit counters read on %d-bit ones", row.CounterBits)
	}

	r = bras([2]float64{1e6, 1e6})
	var notes []string
	tp = newTop(r, Config{Version: "1", OnNote: func(n string) { notes = append(notes, n) }})
	c = cycles(t, tp, r, 3)
	if row := rowOf(c, 100); row == nil || row.CounterBits != 32 || row.Status != sample.StatusOK {
		t.Errorf("SNMPv1 row %+v, want ok on 32-bit counters", row)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "SNMPv1 has no 64-bit counters") {
		t.Errorf("notes %q", notes)
	}
}

// TestStartMissingColumns: a router without the counter columns asked for
// is an error that names them and what to do.
func TestStartMissingColumns(t *testing.T) {
	tests := []struct {
		name  string
		no64  bool
		noAny bool
		cfg   Config
		want  string
	}{
		{"no counters at all", false, true, Config{}, "serves no ifHCInOctets, ifHCOutOctets, ifInOctets, ifOutOctets"},
		{"64 asked, only 32", true, false, Config{Counters: "64"}, "serves no ifHCInOctets, ifHCOutOctets: use --counters 32 or auto"},
		{"64 over SNMPv1", false, false, Config{Counters: "64", Version: "1"}, "SNMPv1 cannot read 64-bit counters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newFakeRouter()
			if !tt.noAny {
				r.add(1, fakeIf{descr: "eth0", name: "eth0", no64: tt.no64})
				r.counters(r.clock.Now())
			} else {
				r.fake.SetString(snmp.OIDIfDescr+".1", "eth0")
			}
			err := newTop(r, tt.cfg).Start(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start: %v, want %q", err, tt.want)
			}
		})
	}
}

// TestCycleAgentCache: on an agent that refreshes its counters every 3 s,
// the cycles between refreshes are pending (no rate, never 0), the row
// keeps ranking by its last rate, and the backfilled rate fills its trend.
func TestCycleAgentCache(t *testing.T) {
	r := bras([2]float64{10e6, 10e6}, [2]float64{1e6, 1e6})
	r.cache = 3 * time.Second
	tp := newTop(r, Config{})
	c := cycles(t, tp, r, 20)
	statuses := map[sample.Status]int{}
	for k := 0; k < 9; k++ {
		c = cycles(t, tp, r, 1)
		row := rowOf(c, 100)
		statuses[row.Status]++
		if c.Rows[0].IfIndex != 100 || !row.HasLatest || !near(row.LatestIn, 10e6) {
			t.Fatalf("cycle %d: the 20 Mb/s row ranks %d with latest %.0f b/s (%s)", c.Number, row.Rank, row.LatestIn, row.Status)
		}
		if row.Status == sample.StatusPending && row.InBps != 0 {
			t.Fatalf("pending row with a rate")
		}
	}
	if statuses[sample.StatusPending] != 6 || statuses[sample.StatusBackfilled] != 3 {
		t.Errorf("statuses %v, want 6 pending and 3 backfilled", statuses)
	}
	row := rowOf(c, 100)
	for _, v := range row.Trend[ranking.TrendLen-6:] {
		if !near(float64(v), 20e6) && row.Status == sample.StatusBackfilled {
			t.Errorf("trend %v after a backfill, want 20M filled in", row.Trend)
		}
	}
}

// TestRunSchedule: cycles start Interval apart, or at once when the walk
// took longer (they never overlap), and Count ends the run.
func TestRunSchedule(t *testing.T) {
	var rates [][2]float64
	for k := 0; k < 600; k++ {
		rates = append(rates, [2]float64{1e6, 1e6})
	}
	r := bras(rates...)
	tp := newTop(r, Config{Interval: time.Second, Count: 4})
	tp.wait = func(_ context.Context, d time.Duration) error {
		r.clock.Add(max(d, 0))
		return nil
	}
	out := make(chan ranking.Cycle, 10)
	if err := tp.Run(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	close(out)
	var got []ranking.Cycle
	for c := range out {
		got = append(got, c)
	}
	if len(got) != 4 {
		t.Fatalf("%d cycles, want 4", len(got))
	}
	for k := 1; k < len(got); k++ {
		if gap := got[k].Start.Sub(got[k-1].Start); gap != time.Second {
			t.Errorf("cycle %d started %v after the one before, want 1s", k+1, gap)
		}
	}
	r.rtt = 200 * time.Millisecond // a walk of about 2 s
	tp = newTop(r, Config{Interval: time.Second, Count: 3})
	tp.wait = func(_ context.Context, d time.Duration) error {
		r.clock.Add(max(d, 0))
		return nil
	}
	out = make(chan ranking.Cycle, 10)
	if err := tp.Run(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	close(out)
	got = got[:0]
	for c := range out {
		got = append(got, c)
	}
	for k := 1; k < len(got); k++ {
		if !got[k-1].Overran() || !got[k].Start.Equal(got[k-1].End) {
			t.Errorf("cycle %d starts at %v, the one before (%v long) ended at %v", k+1, got[k].Start, got[k-1].Walk(), got[k-1].End)
		}
	}
}

// TestCycleCasnReuse: on a router with CISCO-AAA-SESSION-MIB only, the
// sessions read for a new interface also tell of an interface handed to
// another subscriber meanwhile (its counters never went back): its next
// reading starts a new row.
func TestCycleCasnReuse(t *testing.T) {
	r := bras()
	casn := func(id, ifIndex int, user string) {
		r.fake.SetString(ciscoresolve.OIDCasnUserID+"."+strconv.Itoa(id), user)
		r.fake.SetUint(ciscoresolve.OIDCasnVaiIfIndex+"."+strconv.Itoa(id), snmp.KindInteger, uint64(ifIndex))
	}
	r.add(100, session(1, "", 1e6, 1e6))
	casn(7, 100, "anna")
	tp := newTop(r, Config{})
	c := cycles(t, tp, r, 3)
	if row := rowOf(c, 100); row == nil || row.User != "anna" || row.Identity != ranking.IdentityCasn || row.Session != "7" {
		t.Fatalf("row %+v, want anna's casn session 7", row)
	}
	r.fake.Delete(ciscoresolve.OIDCasnUserID + ".7")
	r.fake.Delete(ciscoresolve.OIDCasnVaiIfIndex + ".7")
	casn(8, 100, "dora")
	r.add(150, session(50, "", 1e6, 1e6))
	casn(9, 150, "carla")
	c = cycles(t, tp, r, 1)
	if row := rowOf(c, 150); row == nil || row.User != "carla" {
		t.Fatalf("new interface's row %+v, want carla", row)
	}
	c = cycles(t, tp, r, 1)
	if row := rowOf(c, 100); row == nil || row.User != "dora" || row.Status != sample.StatusFirst || row.Session != "8" {
		t.Errorf("reused interface's row %+v, want a first row of dora's session 8", row)
	}
}

// TestCycleLimit: a limit keeps the first rows; the sums still add every
// row up.
func TestCycleLimit(t *testing.T) {
	r := bras([2]float64{1e6, 1e6}, [2]float64{5e6, 5e6}, [2]float64{3e6, 3e6})
	c := cycles(t, newTop(r, Config{Limit: 2}), r, 3)
	if len(c.Rows) != 2 || c.Ranked != 3 || c.Rows[0].IfIndex != 101 || c.Rows[1].IfIndex != 102 || !near(c.InBps, 9e6) {
		t.Errorf("%d rows of %d (first %d), sum %.0f b/s; want 2 of 3, 101 first, 9 Mb/s", len(c.Rows), c.Ranked, c.Rows[0].IfIndex, c.InBps)
	}
}
