package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// deadlineClient answers at once, except that a request whose context
// ends sooner than the poll timeout is cut off with a timeout before the
// context itself reports its end: what gosnmp does, since it sets the
// socket's deadline to the context's, and the socket's timer may fire
// first. Counters grow on every request.
type deadlineClient struct {
	*snmptest.Fake
	pollTimeout time.Duration
	mu          sync.Mutex
	n           uint64
	cut         int
}

func (c *deadlineClient) Get(ctx context.Context, oids []string) ([]snmp.Variable, error) {
	c.mu.Lock()
	c.n++
	c.Fake.SetUint(snmp.OIDIfHCInOctets+".1", snmp.KindCounter64, c.n*1000)
	c.Fake.SetUint(snmp.OIDIfHCOutOctets+".1", snmp.KindCounter64, c.n*500)
	c.Fake.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, c.n*25)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < c.pollTimeout*3/4 {
		c.cut++
		c.mu.Unlock()
		return nil, &snmp.NoResponseError{Addr: "r1:161", Timeout: time.Until(dl)}
	}
	c.mu.Unlock()
	return c.Fake.Get(ctx, oids)
}

// TestRunEndsAfterItsLastCompletePoll: --duration and --count end a run
// after a complete poll; the end of the run never cuts a poll short into
// a gap-timeout row.
func TestRunEndsAfterItsLastCompletePoll(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantRows int
	}{
		// Polls at 0, 0.25, 0.5, 0.75 and 1 s: the one at 1 s would be
		// cut at 1.1 s if the end of the run were a deadline on it.
		{"duration", []string{"--duration", "1.1s"}, 5},
		{"count", []string{"--count", "4"}, 4},
		{"count within the duration", []string{"--count", "3", "--duration", "1.1s"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseOptions(append([]string{"--router", "r1", "--if", "1", "-i", "0.25", "-o", "csv"}, tt.args...), envOf(nil))
			if err != nil {
				t.Fatal(err)
			}
			c := &deadlineClient{Fake: snmptest.New(), pollTimeout: o.pollTimeout()}
			var out bytes.Buffer
			s := &session{o: o, format: "csv", stdout: &out, stderr: io.Discard, debug: log.New(io.Discard, "", 0)}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			code, err := s.poll(ctx, c, []snmp.PollTarget{{Name: "1", IfIndex: 1, IfName: "Gi0/1", CounterBits: 64}})
			if code != exitOK || err != nil {
				t.Fatalf("poll: %d, %v", code, err)
			}
			rows, err := record.ReadCSV(strings.NewReader(out.String()))
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tt.wantRows {
				t.Errorf("got %d rows, want %d:\n%s", len(rows), tt.wantRows, out.String())
			}
			for i, r := range rows {
				if r.Status == sample.StatusGapTimeout {
					t.Errorf("row %d is %s although the agent answered every poll in time (%d cut by the end of the run):\n%s", i, r.Status, c.cut, out.String())
				}
			}
		})
	}
}
