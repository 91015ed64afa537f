package session

import (
	"bytes"
	"context"
	"errors"
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
		count    int
		duration time.Duration
		wantRows int
	}{
		// Polls at 0, 0.25, 0.5, 0.75 and 1 s: the one at 1 s would be
		// cut at 1.1 s if the end of the run were a deadline on it.
		{"duration", 0, 1100 * time.Millisecond, 5},
		{"count", 4, 0, 4},
		{"count within the duration", 3, 1100 * time.Millisecond, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Router: "r1", Ifaces: []string{"1"}, Interval: 250 * time.Millisecond,
				SNMP: snmp.Config{Timeout: time.Second}, Count: tt.count, Duration: tt.duration}
			var out bytes.Buffer
			r := newRun(cfg, Outputs{Consumers: []Consumer{PipeRows(&out, record.FormatCSV)}})
			c := &deadlineClient{Fake: snmptest.New(), pollTimeout: r.pollTimeout()}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := r.poll(ctx, c, []snmp.PollTarget{{Name: "1", IfIndex: 1, IfName: "Gi0/1", CounterBits: 64}}); err != nil {
				t.Fatalf("poll: %v", err)
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

func TestPollTimeout(t *testing.T) {
	tests := []struct {
		timeout, interval, want time.Duration
	}{
		{time.Second, time.Second, 800 * time.Millisecond},
		{300 * time.Millisecond, time.Second, 300 * time.Millisecond},
		{time.Second, 500 * time.Millisecond, 400 * time.Millisecond},
		{time.Second, 5 * time.Second, time.Second},
		{10 * time.Second, 5 * time.Second, 4 * time.Second},
	}
	for _, tt := range tests {
		r := newRun(Config{SNMP: snmp.Config{Timeout: tt.timeout}, Interval: tt.interval}, Outputs{})
		if got := r.pollTimeout(); got != tt.want {
			t.Errorf("-t %v -i %v: poll timeout %v, want %v", tt.timeout, tt.interval, got, tt.want)
		}
	}
}

// script is a consumer that takes samples until it has taken quitAfter
// of them (all when 0), then returns err.
type script struct {
	quitAfter int
	err       error
	took      int
}

func (s *script) Start(Info) error { return nil }

func (s *script) Consume(_ context.Context, in <-chan sample.Sample) error {
	for range in {
		s.took++
		if s.took == s.quitAfter {
			return s.err
		}
	}
	return s.err
}

// TestFanOut: every consumer gets every sample until it returns; one that
// returns before its last sample, or fails, stops the run; the first
// failure is the run's error.
func TestFanOut(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name        string
		consumers   []*script
		wantTook    []int
		wantStopped []error
		wantErr     error
	}{
		{"all take everything", []*script{{}, {}}, []int{5, 5}, nil, nil},
		{"one quits early", []*script{{}, {quitAfter: 2}}, []int{5, 2}, []error{nil}, nil},
		{"one fails", []*script{{quitAfter: 1, err: boom}, {}}, []int{1, 5}, []error{boom}, boom},
		{"one fails at the end", []*script{{}, {err: boom}}, []int{5, 5}, []error{boom}, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var consumers []Consumer
			for _, c := range tt.consumers {
				consumers = append(consumers, c)
			}
			var mu sync.Mutex
			var stopped []error
			err := fanOut(context.Background(), feed(5), consumers, func(err error) {
				mu.Lock()
				stopped = append(stopped, err)
				mu.Unlock()
			})
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("fanOut = %v, want %v", err, tt.wantErr)
			}
			for i, c := range tt.consumers {
				if c.took != tt.wantTook[i] {
					t.Errorf("consumer %d took %d samples, want %d", i, c.took, tt.wantTook[i])
				}
			}
			if len(stopped) != len(tt.wantStopped) || len(stopped) == 1 && stopped[0] != tt.wantStopped[0] {
				t.Errorf("stopped %v, want %v", stopped, tt.wantStopped)
			}
		})
	}
}
