package top

import (
	"context"
	"testing"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
)

// TestPollTarget: a row's chart polls its interface on its counters and
// checks the identity the row's subscriber came from.
func TestPollTarget(t *testing.T) {
	in := func(id ranking.Identity, user, session string) *ranking.Interface {
		return &ranking.Interface{IfIndex: 300, IfName: "Vi2.7", IfDescr: "Virtual-Access2.7", User: user, Target: user, Identity: id, Session: session}
	}
	tests := []struct {
		name     string
		row      ranking.Row
		oid, val string
	}{
		{"csub", ranking.Row{Interface: in(ranking.IdentityCsub, "anna", ""), CounterBits: 64}, ciscoresolve.OIDCsubSessionUsername + ".300", "anna"},
		{"casn", ranking.Row{Interface: in(ranking.IdentityCasn, "anna", "4711"), CounterBits: 64}, ciscoresolve.OIDCasnUserID + ".4711", "anna"},
		{"names", ranking.Row{Interface: in(ranking.IdentityIfMIB, "anna", ""), CounterBits: 32}, snmp.OIDIfDescr + ".300", "Virtual-Access2.7"},
	}
	for _, tt := range tests {
		got := PollTarget(tt.row)
		if got.Name != "anna" || got.IfIndex != 300 || got.IfName != "Vi2.7" || got.CounterBits != tt.row.CounterBits ||
			got.IdentityOID != tt.oid || got.IdentityValue != tt.val {
			t.Errorf("%s: %+v", tt.name, got)
		}
	}
}

// TestFollow: a followed row is polled on its interface until stop, which
// closes the stream; stopping twice is harmless.
func TestFollow(t *testing.T) {
	r := bras([2]float64{1e6, 2e6})
	r.counters(r.clock.Now())
	row := ranking.Row{Interface: &ranking.Interface{IfIndex: 100, IfName: "Vi2.1", Target: "user0", User: "user0", Identity: ranking.IdentityCsub}, CounterBits: 64}
	samples, stop := Follow(context.Background(), r, snmp.PollerConfig{Router: "bras1", Interval: 20 * time.Millisecond}, row)
	for i := 0; i < 3; i++ {
		s := <-samples
		if s.Target != "user0" || s.IfIndex != 100 || s.Status == sample.StatusGapDiscontinuity {
			t.Fatalf("sample %d: %+v", i, s)
		}
	}
	stop()
	stop()
	for range samples { // drains what was polled, then ends
	}
}
