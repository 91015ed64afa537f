package top

import (
	"strconv"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/ranking"
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
