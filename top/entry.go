package top

import (
	"math"
	"strconv"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// identityIfMIB is the short name of an identity from the names.
const identityIfMIB = ranking.IdentityIfMIB

// names are an interface's IF-MIB names.
type names struct {
	descr, name, alias string
}

// entry is one ifIndex of the router: who it is, whether it is shown,
// and when it is, its rate state and what the cycles read of it. It keeps
// the fields of its row (ranking.Row, which rowOf makes) without the ones
// a row repeats: a large BRAS has 32,000 entries.
type entry struct {
	in    *ranking.Interface
	state *snmp.RateState
	// The row's fields as the last reading or loss left them.
	time                time.Time
	status              sample.Status
	err                 string
	interval            time.Duration
	inOctets, outOctets uint64
	// latestIn and latestOut are the last rates measured, valid when
	// hasLatest; this cycle's rates when status has one.
	latestIn, latestOut float64
	trend               [ranking.TrendLen]float32

	seen      int32 // the last cycle that read it
	noRate    int32 // cycles since its last rate
	bits      uint8 // the counters read for it: 64 or 32
	shown     bool  // in scope and matching the filter
	read      bool  // its counters were read at least once (the row's CounterBits)
	missed    bool  // this cycle's request for it went unanswered
	hasOctets bool
	hasLatest bool
}

// newEntry adds an entry for ifIndex i with its names and session.
func (t *Top) newEntry(i int, n names, s ciscoresolve.Session) *entry {
	e := &entry{bits: uint8(t.bits), in: newInterface(i, n, s)}
	for k := range e.trend {
		e.trend[k] = float32(math.NaN())
	}
	t.entries[i] = e
	return e
}

// rowOf returns the entry's row for this cycle (without its rank).
func (e *entry) rowOf() ranking.Row {
	r := ranking.Row{
		Interface: e.in, Time: e.time, Status: e.status, Interval: e.interval,
		InOctets: e.inOctets, OutOctets: e.outOctets, HasOctets: e.hasOctets, Err: e.err,
		LatestIn: e.latestIn, LatestOut: e.latestOut, HasLatest: e.hasLatest, Trend: e.trend,
	}
	if e.status.HasRate() {
		r.InBps, r.OutBps = e.latestIn, e.latestOut
	}
	if e.read {
		r.CounterBits = int(e.bits)
	}
	return r
}

// total is what the entry ranks by: ranking.ByTotal's value of its row.
func (e *entry) total() float64 {
	return ranking.ByTotal.Of(e.latestIn, e.latestOut, e.hasLatest)
}

// newInterface says who ifIndex i is, from its names and session.
func newInterface(i int, n names, s ciscoresolve.Session) *ranking.Interface {
	in := &ranking.Interface{IfIndex: i, IfName: n.name, IfDescr: n.descr, IfAlias: n.alias}
	if in.IfName == "" {
		in.IfName = n.descr
	}
	switch s.Method {
	case ciscoresolve.MethodCsub:
		in.User, in.Identity = s.User, ranking.IdentityCsub
	case ciscoresolve.MethodCasn:
		in.User, in.Identity, in.Session = s.User, ranking.IdentityCasn, s.ID
	default:
		if u := ciscoresolve.InterfaceUser(n.descr, n.name, n.alias); u != "" {
			in.User, in.Identity = u, identityIfMIB
		}
	}
	switch {
	case in.User != "":
		in.Target = in.User
	case in.IfName != "":
		in.Target = in.IfName
	default:
		in.Target = "ifIndex " + strconv.Itoa(i)
	}
	return in
}

// namesOf returns the names an entry was made with.
func namesOf(e *entry) names {
	return names{descr: e.in.IfDescr, name: e.in.IfName, alias: e.in.IfAlias}
}

// scope decides whether an entry is shown: with a filter, when the filter
// matches its subscriber or a name; on a router with subscriber sessions,
// when it carries one (or AllInterfaces); elsewhere always.
func (t *Top) scope(e *entry) {
	switch {
	case t.cfg.Filter != nil:
		f := t.cfg.Filter
		in := e.in
		e.shown = (in.User != "" && f.MatchString(in.User)) || f.MatchString(in.IfName) ||
			f.MatchString(in.IfDescr) || f.MatchString(in.IfAlias)
	case t.bras && !t.cfg.AllInterfaces:
		e.shown = e.in.User != ""
	default:
		e.shown = true
	}
	if e.shown && e.state == nil {
		e.state = snmp.NewRateState(0)
		if t.agent != nil {
			// What the rows so far showed of how the agent refreshes
			// its counters holds for a new row too.
			e.state = t.agent.ForInterface(0)
		}
	}
}

// read turns one reading of an entry's counters into its row for this
// cycle. in and out are the values read (any kind: a missing counter is
// never 0); sent and received time the request that read them.
func (t *Top) read(e *entry, in, out snmp.Variable, sent, received time.Time) {
	rtt := received.Sub(sent)
	r := snmp.Reading{Time: sent.Add(rtt / 2), RTT: rtt}
	var inRetyped, outRetyped bool
	r.InOctets, r.InKind, inRetyped = snmp.CounterValue(in, int(e.bits))
	r.OutOctets, r.OutKind, outRetyped = snmp.CounterValue(out, int(e.bits))
	if inRetyped || outRetyped {
		t.note("some interfaces' 32-bit counters are served as INTEGER or Gauge32, not Counter32: read as 32-bit counters")
	}
	e.time = r.Time
	e.hasOctets = readable(r)
	e.inOctets, e.outOctets = r.InOctets, r.OutOctets
	e.read = true
	e.err = ""
	if !e.hasOctets {
		e.inOctets, e.outOctets = 0, 0
		e.err = "counters missing: in " + in.Kind.String() + ", out " + out.Kind.String()
	}
	t.rate(e, e.state.Update(r))
}

// lost gives an entry a gap-timeout row for this cycle.
func (t *Top) lost(e *entry, at time.Time, why string) {
	e.time = at
	e.hasOctets, e.inOctets, e.outOctets = false, 0, 0
	e.err = why
	t.rate(e, e.state.Update(snmp.Reading{Time: at, TimedOut: true}))
}

// rate applies what the rate state made of the cycle's reading: the
// row's rates, its latest rate and its trend.
func (t *Top) rate(e *entry, r snmp.Rate) {
	e.status, e.interval = r.Status, r.Interval
	total := float32(math.NaN())
	if r.Status.HasRate() {
		e.latestIn, e.latestOut, e.hasLatest = r.InBps, r.OutBps, true
		t.agent = e.state
		total = float32(r.InBps + r.OutBps)
		if r.Status == sample.StatusBackfilled {
			// The rate covers the cycles whose counters had not moved
			// yet: their trend points are this rate too.
			for k := trendBack(int(e.noRate)); k > 0; k-- {
				e.trend[ranking.TrendLen-k] = total
			}
		}
		e.noRate = 0
	} else {
		e.noRate++
	}
	copy(e.trend[:], e.trend[1:])
	e.trend[ranking.TrendLen-1] = total
}

// trendBack returns how many of the newest trend points a backfilled rate
// fills in after n cycles without a rate: those cycles, as far as the
// trend reaches.
func trendBack(n int) int {
	return min(n, ranking.TrendLen-1)
}

// readable reports whether both counters of a reading carry a value.
func readable(r snmp.Reading) bool {
	ok := func(v uint64, k snmp.Kind) bool {
		return k == snmp.KindCounter32 || (k == snmp.KindCounter64 && v != math.MaxUint64)
	}
	return ok(r.InOctets, r.InKind) && ok(r.OutOctets, r.OutKind)
}
