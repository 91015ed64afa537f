package snmp_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// TestPollerOfflineRowsNameNoInterface: an offline row has no interface,
// so that a reader can tell "no interface now" from the interface the
// target had; the row that says the target was lost still names the
// interface it was lost from.
func TestPollerOfflineRowsNameNoInterface(t *testing.T) {
	var v uint64
	targets := []snmp.PollTarget{{Name: "alice", IfIndex: 7, IfName: "Vi1.7"}}
	samples, _, _ := pollRun{interval: time.Second, count: 3, targets: targets,
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			v += 100
			pollSetHC(f, 7, v, v)
			return 0, nil
		},
		between: func(p *snmp.Poller, k int) {
			if k == 1 {
				snmp.SetOffline(p, "alice")
			}
		},
	}.run(t)
	want := []sample.Status{sample.StatusFirst, sample.StatusOffline, sample.StatusOffline}
	if got := pollStatuses(samples); !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	if samples[0].IfIndex != 7 || samples[0].IfName != "Vi1.7" {
		t.Errorf("first row names ifIndex %d %q, want 7 Vi1.7", samples[0].IfIndex, samples[0].IfName)
	}
	var out strings.Builder
	w, err := record.NewWriter(&out, record.FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples[1:] {
		if s.IfIndex != 0 || s.IfName != "" {
			t.Errorf("offline row names ifIndex %d %q, want none", s.IfIndex, s.IfName)
		}
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n")[1:] {
		if f := strings.Split(line, ","); f[3] != "" || f[4] != "" {
			t.Errorf("CSV row %q has ifindex %q ifname %q, want both empty", line, f[3], f[4])
		}
	}
}

// TestPollerDuration: with a Duration the poller makes the polls whose
// slot begins within it, each to its end, and stops; a poll that ran late
// and skipped slots does not add polls past the end.
func TestPollerDuration(t *testing.T) {
	tests := []struct {
		name     string
		duration time.Duration
		slow     int // the poll that takes 1.5 intervals; -1 none
		want     []time.Duration
	}{
		{"on time", 3 * time.Second, -1, []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second}},
		{"a late poll skips a slot", 3 * time.Second, 1, []time.Duration{0, time.Second, 3 * time.Second}},
		{"end between slots", 2500 * time.Millisecond, -1, []time.Duration{0, time.Second, 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)
			clk := snmptest.NewClock(start)
			f := snmptest.New()
			c := &scriptedClient{Fake: f, clk: clk, before: func(n int) (time.Duration, error) {
				f.SetUint(snmp.OIDSysUpTime, snmp.KindTimeTicks, 1000+uint64(n)*100)
				pollSetHC(f, 1, uint64(n+1)*100, uint64(n+1)*100)
				if n == tt.slow {
					return 1500 * time.Millisecond, nil
				}
				return 0, nil
			}}
			p := snmp.NewPoller(c, snmp.PollerConfig{Router: "r", Interval: time.Second, Duration: tt.duration, Now: clk.Now},
				[]snmp.PollTarget{{Name: "a", IfIndex: 1}})
			snmp.SetPollerWait(p, func(ctx context.Context, d time.Duration) error {
				clk.Add(max(d, 0))
				return ctx.Err()
			})
			out := make(chan sample.Sample, 100)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := p.Run(ctx, out); err != nil {
				t.Fatal(err)
			}
			var got []time.Duration
			for _, s := range c.sendTimes() {
				got = append(got, s.Sub(start))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("polls at %v, want %v", got, tt.want)
			}
			if len(out) != len(tt.want) {
				t.Errorf("%d samples, want one per poll (%d)", len(out), len(tt.want))
			}
		})
	}
}
