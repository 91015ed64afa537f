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
// and when it is, its rate state and the row it makes.
type entry struct {
	state  *snmp.RateState
	seen   int32 // the last cycle that read it
	missed int32 // the last cycle whose request for it went unanswered
	noRate int32 // cycles since its last rate
	bits   uint8 // the counters read for it: 64 or 32
	shown  bool  // in scope and matching the filter
	row    ranking.Row
}

// newEntry adds an entry for ifIndex i with its names and session.
func (t *Top) newEntry(i int, n names, s ciscoresolve.Session) *entry {
	e := &entry{bits: uint8(t.bits), row: ranking.Row{Interface: newInterface(i, n, s)}}
	for k := range e.row.Trend {
		e.row.Trend[k] = float32(math.NaN())
	}
	t.entries[i] = e
	return e
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
	return names{descr: e.row.IfDescr, name: e.row.IfName, alias: e.row.IfAlias}
}

// scope decides whether an entry is shown: with a filter, when the filter
// matches its subscriber or a name; on a router with subscriber sessions,
// when it carries one (or AllInterfaces); elsewhere always.
func (t *Top) scope(e *entry) {
	switch {
	case t.cfg.Filter != nil:
		f := t.cfg.Filter
		in := e.row.Interface
		e.shown = (in.User != "" && f.MatchString(in.User)) || f.MatchString(in.IfName) ||
			f.MatchString(in.IfDescr) || f.MatchString(in.IfAlias)
	case t.bras && !t.cfg.AllInterfaces:
		e.shown = e.row.User != ""
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
	s := &e.row
	s.Time = r.Time
	s.HasOctets = readable(r)
	s.InOctets, s.OutOctets = r.InOctets, r.OutOctets
	s.CounterBits = int(e.bits)
	s.Err = ""
	if !s.HasOctets {
		s.InOctets, s.OutOctets = 0, 0
		s.Err = "counters missing: in " + in.Kind.String() + ", out " + out.Kind.String()
	}
	t.rate(e, e.state.Update(r))
}

// lost gives an entry a gap-timeout row for this cycle.
func (t *Top) lost(e *entry, at time.Time, why string) {
	e.row.Time = at
	e.row.HasOctets, e.row.InOctets, e.row.OutOctets = false, 0, 0
	e.row.Err = why
	t.rate(e, e.state.Update(snmp.Reading{Time: at, TimedOut: true}))
}

// rate applies what the rate state made of the cycle's reading: the
// row's rates, its latest rate and its trend.
func (t *Top) rate(e *entry, r snmp.Rate) {
	s := &e.row
	s.Status, s.Interval = r.Status, r.Interval
	s.InBps, s.OutBps = r.InBps, r.OutBps
	total := float32(math.NaN())
	if r.Status.HasRate() {
		e.row.LatestIn, e.row.LatestOut, e.row.HasLatest = r.InBps, r.OutBps, true
		t.agent = e.state
		total = float32(r.InBps + r.OutBps)
		if r.Status == sample.StatusBackfilled {
			// The rate covers the cycles whose counters had not moved
			// yet: their trend points are this rate too.
			for k := trendBack(int(e.noRate)); k > 0; k-- {
				e.row.Trend[ranking.TrendLen-k] = total
			}
		}
		e.noRate = 0
	} else {
		e.noRate++
	}
	copy(e.row.Trend[:], e.row.Trend[1:])
	e.row.Trend[ranking.TrendLen-1] = total
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
