package top

import (
	"context"
	"strconv"
	"sync"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// PollTarget returns what the 1-second chart of a row polls (stg top's
// Enter): the row's interface and counters, named as the row, with the
// identity check that sees its session end: the subscriber's username in
// the session MIB it came from, else the interface's ifDescr. The chart's
// poller then marks the end of the session instead of reading the next
// subscriber's counters on a reused interface.
func PollTarget(r ranking.Row) snmp.PollTarget {
	idx := strconv.Itoa(r.IfIndex)
	t := snmp.PollTarget{Name: r.Target, IfIndex: r.IfIndex, IfName: r.IfName, CounterBits: r.CounterBits}
	switch {
	case r.Identity == ranking.IdentityCsub:
		t.IdentityOID, t.IdentityValue = ciscoresolve.OIDCsubSessionUsername+"."+idx, r.User
	case r.Identity == ranking.IdentityCasn && r.Session != "":
		t.IdentityOID, t.IdentityValue = ciscoresolve.OIDCasnUserID+"."+r.Session, r.User
	case r.IfDescr != "":
		t.IdentityOID, t.IdentityValue = snmp.OIDIfDescr+"."+idx, r.IfDescr
	}
	return t
}

// Follow polls one row for its chart until stop is called, with a poller
// of its own on c (stg top's engine keeps its own client): the samples
// come on the returned channel, which stop closes once the poller has
// ended. cfg is the poller's (the router, -i, -t); its count and duration
// are ignored.
func Follow(ctx context.Context, c snmp.Client, cfg snmp.PollerConfig, r ranking.Row) (samples <-chan sample.Sample, stop func()) {
	cfg.Count, cfg.Duration = 0, 0
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan sample.Sample, 16)
	done := make(chan struct{})
	p := snmp.NewPoller(c, cfg, []snmp.PollTarget{PollTarget(r)})
	go func() {
		defer close(done)
		_ = p.Run(ctx, out) // nil when ctx ends; an interval error cannot happen with the run's own
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() {
			cancel()
			<-done
			close(out)
		})
	}
}
