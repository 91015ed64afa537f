package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/session"
)

// t0 is the time of the first sample of the tests.
var t0 = time.Unix(1_800_000_000, 0)

// gather registers s alone in a pedantic registry (every metric checked
// against its description) and compares the metrics named with want.
func gather(t *testing.T, s *Store, want string, names ...string) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(s); err != nil {
		t.Fatal(err)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
}

// ifMetrics are the interface series' names.
var ifMetrics = []string{"ifHCInOctets", "ifHCOutOctets", "ifInOctets", "ifOutOctets", "stg_if_in_bytes_per_second", "stg_if_out_bytes_per_second"}

const ifHelp = `# HELP ifHCInOctets The total number of octets received on the interface, including framing characters (64-bit, IF-MIB 1.3.6.1.2.1.31.1.1.1.6).
# TYPE ifHCInOctets counter
# HELP ifHCOutOctets The total number of octets transmitted out of the interface, including framing characters (64-bit, IF-MIB 1.3.6.1.2.1.31.1.1.1.10).
# TYPE ifHCOutOctets counter
# HELP ifInOctets The octets received on the interface, including framing characters (32-bit IF-MIB 1.3.6.1.2.1.2.2.1.10), counted by stg from its first reading or the counter's last reset, past every wrap.
# TYPE ifInOctets counter
# HELP ifOutOctets The octets transmitted out of the interface, including framing characters (32-bit IF-MIB 1.3.6.1.2.1.2.2.1.16), counted by stg from its first reading or the counter's last reset, past every wrap.
# TYPE ifOutOctets counter
# HELP stg_if_in_bytes_per_second The interface's received bytes per second over the last interval stg measured; absent while no rate is known (first reading, pending, gap).
# TYPE stg_if_in_bytes_per_second gauge
# HELP stg_if_out_bytes_per_second The interface's transmitted bytes per second over the last interval stg measured; absent while no rate is known (first reading, pending, gap).
# TYPE stg_if_out_bytes_per_second gauge
`

// user and iface are a subscriber target and an interface target of
// bras1 at poll k.
func user(k int, st sample.Status) sample.Sample {
	return sample.Sample{Time: t0.Add(time.Duration(k) * time.Second), Router: "bras1", Target: "anna rossi", User: "anna rossi",
		IfIndex: 257, IfName: "Vi2.1", IfDescr: "Virtual-Access2.1", IfAlias: `cust "A"`, CounterBits: 64,
		InOctets: 1000 * uint64(k), OutOctets: 500 * uint64(k), HasOctets: true, InBps: 8000, OutBps: 4000,
		Interval: time.Second, Status: st, RTT: 3 * time.Millisecond}
}

func iface(k int, raw uint64, st sample.Status) sample.Sample {
	return sample.Sample{Time: t0.Add(time.Duration(k) * time.Second), Router: "bras1", Target: "Gi0/1",
		IfIndex: 2, IfName: "Gi0/1", IfDescr: "GigabitEthernet0/1", CounterBits: 32,
		InOctets: raw, OutOctets: 7, HasOctets: true, InBps: 1.6e10, OutBps: 0,
		Interval: time.Second, Status: st, RTT: time.Millisecond}
}

// TestStoreSeries: the latest sample of each target shows its counters
// under snmp_exporter's names (64-bit as read, 32-bit counted from stg's
// first reading past the wrap) and
// its rates in bytes per second only while it has a rate; a target on the
// same interface as another shows it once; an offline target shows no
// interface at all.
func TestStoreSeries(t *testing.T) {
	s := NewStore(BuildInfo{})
	s.Record(user(1, sample.StatusFirst))
	s.Record(iface(1, 4_000_000_000, sample.StatusFirst))
	gather(t, s, ifHelp+`
ifHCInOctets{ifAlias="cust \"A\"",ifDescr="Virtual-Access2.1",ifIndex="257",ifName="Vi2.1",router="bras1",user="anna rossi"} 1000
ifHCOutOctets{ifAlias="cust \"A\"",ifDescr="Virtual-Access2.1",ifIndex="257",ifName="Vi2.1",router="bras1",user="anna rossi"} 500
ifInOctets{ifAlias="",ifDescr="GigabitEthernet0/1",ifIndex="2",ifName="Gi0/1",router="bras1",user=""} 0
ifOutOctets{ifAlias="",ifDescr="GigabitEthernet0/1",ifIndex="2",ifName="Gi0/1",router="bras1",user=""} 0
`, ifMetrics...)

	s.Record(user(2, sample.StatusPending))
	s.Record(iface(2, 1_000_000_000, sample.StatusWrap))
	dup := iface(2, 1_000_000_000, sample.StatusWrap)
	dup.Target = "gi0/1" // the same interface, named otherwise: the first by name shows
	s.Record(dup)
	gather(t, s, ifHelp+`
ifHCInOctets{ifAlias="cust \"A\"",ifDescr="Virtual-Access2.1",ifIndex="257",ifName="Vi2.1",router="bras1",user="anna rossi"} 2000
ifHCOutOctets{ifAlias="cust \"A\"",ifDescr="Virtual-Access2.1",ifIndex="257",ifName="Vi2.1",router="bras1",user="anna rossi"} 1000
ifInOctets{ifAlias="",ifDescr="GigabitEthernet0/1",ifIndex="2",ifName="Gi0/1",router="bras1",user=""} 1.294967296e9
ifOutOctets{ifAlias="",ifDescr="GigabitEthernet0/1",ifIndex="2",ifName="Gi0/1",router="bras1",user=""} 0
stg_if_in_bytes_per_second{ifAlias="",ifDescr="GigabitEthernet0/1",ifIndex="2",ifName="Gi0/1",router="bras1",user=""} 2e9
stg_if_out_bytes_per_second{ifAlias="",ifDescr="GigabitEthernet0/1",ifIndex="2",ifName="Gi0/1",router="bras1",user=""} 0
`, ifMetrics...)

	s.Record(sample.Sample{Time: t0.Add(3 * time.Second), Router: "bras1", Target: "anna rossi", User: "anna rossi", Status: sample.StatusOffline})
	s.Record(sample.Sample{Time: t0.Add(3 * time.Second), Router: "bras1", Target: "Gi0/1", IfIndex: 2, IfName: "Gi0/1",
		IfDescr: "GigabitEthernet0/1", CounterBits: 32, Status: sample.StatusGapTimeout})
	s.Drop("bras1", []string{"gi0/1"})
	gather(t, s, "", ifMetrics...)
}

// TestStoreHealth: per target the polls, the unanswered ones, the last
// answered poll's round trip and time, and its status as a set; per
// router whether it answered and how often a run could not start; and
// the build.
func TestStoreHealth(t *testing.T) {
	s := NewStore(BuildInfo{Version: "v1.2.3", Revision: "abc123", GoVersion: "go1.26.8"})
	s.Record(user(1, sample.StatusFirst))
	s.Record(user(2, sample.StatusOK))
	s.Record(sample.Sample{Time: t0.Add(3 * time.Second), Router: "bras1", Target: "anna rossi", Status: sample.StatusGapTimeout})
	s.StartFailed("core1", true)
	s.StartFailed("bras1", false) // a user not found: bras1 answers
	var status strings.Builder
	for _, st := range sample.Statuses() {
		v := "0"
		if st == sample.StatusGapTimeout {
			v = "1"
		}
		status.WriteString(`stg_target_status{router="bras1",status="` + string(st) + `",target="anna rossi"} ` + v + "\n")
	}
	gather(t, s, `# HELP stg_polls_total Polls stg made of the target.
# TYPE stg_polls_total counter
stg_polls_total{router="bras1",target="anna rossi"} 3
# HELP stg_poll_timeouts_total Polls of the target the agent left unanswered.
# TYPE stg_poll_timeouts_total counter
stg_poll_timeouts_total{router="bras1",target="anna rossi"} 1
# HELP stg_poll_rtt_seconds Round-trip time of the target's last answered poll.
# TYPE stg_poll_rtt_seconds gauge
stg_poll_rtt_seconds{router="bras1",target="anna rossi"} 0.003
# HELP stg_last_success_timestamp_seconds Unix time of the target's last poll that read its counters.
# TYPE stg_last_success_timestamp_seconds gauge
stg_last_success_timestamp_seconds{router="bras1",target="anna rossi"} 1.800000002e9
# HELP stg_target_status The status of the target's latest sample (the CSV status column): 1 for the current one, 0 for the others.
# TYPE stg_target_status gauge
`+status.String()+`# HELP stg_router_up 1 when the router answered stg's latest poll or cycle, else 0.
# TYPE stg_router_up gauge
stg_router_up{router="bras1"} 0
stg_router_up{router="core1"} 0
# HELP stg_router_start_failures_total Runs on the router that could not start (no answer, a target not found); stg serve tries again.
# TYPE stg_router_start_failures_total counter
stg_router_start_failures_total{router="bras1"} 1
stg_router_start_failures_total{router="core1"} 1
# HELP stg_build_info The stg build serving these metrics: its version, VCS revision and Go version; always 1.
# TYPE stg_build_info gauge
stg_build_info{goversion="go1.26.8",revision="abc123",version="v1.2.3"} 1
`, "stg_polls_total", "stg_poll_timeouts_total", "stg_poll_rtt_seconds", "stg_last_success_timestamp_seconds", "stg_target_status",
		"stg_router_up", "stg_router_start_failures_total", "stg_build_info")

	s.Record(user(4, sample.StatusOK))
	s.StartFailed("bras1", false)
	if got := testutil.ToFloat64(upOf(s, "bras1")); got != 1 {
		t.Errorf("stg_router_up after an answered poll and a user not found: %v, want 1", got)
	}
	s.StartFailed("bras1", true)
	if got := testutil.ToFloat64(upOf(s, "bras1")); got != 0 {
		t.Errorf("stg_router_up after a start without an answer: %v, want 0", got)
	}
}

// upOf is a collector of router's stg_router_up alone.
func upOf(s *Store, router string) prometheus.Collector {
	return collectorFunc(func(ch chan<- prometheus.Metric) {
		s.mu.Lock()
		defer s.mu.Unlock()
		emit(ch, descUp, prometheus.GaugeValue, boolValue(s.routers[router].up), router)
	})
}

// collectorFunc is an unchecked collector.
type collectorFunc func(ch chan<- prometheus.Metric)

func (collectorFunc) Describe(chan<- *prometheus.Desc)      {}
func (f collectorFunc) Collect(ch chan<- prometheus.Metric) { f(ch) }

// TestConsumerDropsItsTargets: a run's consumer records its samples, and
// when the run ends its targets' series go (stg serve stopped or
// restarted the router's run).
func TestConsumerDropsItsTargets(t *testing.T) {
	s := NewStore(BuildInfo{})
	c := s.Consumer()
	if err := c.Start(session.Info{Router: "bras1", Targets: []string{"anna rossi"}}); err != nil {
		t.Fatal(err)
	}
	in := make(chan sample.Sample, 2)
	in <- user(1, sample.StatusFirst)
	in <- user(2, sample.StatusOK)
	close(in)
	done := make(chan error)
	go func() { done <- c.Consume(context.Background(), in) }()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(s, "stg_polls_total", "ifHCInOctets"); n != 0 {
		t.Errorf("%d series of the run left after it ended", n)
	}
	s.Record(user(1, sample.StatusFirst))
	if n := testutil.CollectAndCount(s, "ifHCInOctets"); n != 1 {
		t.Errorf("%d ifHCInOctets series, want 1", n)
	}
	s.Forget("bras1")
	if n := testutil.CollectAndCount(s, "ifHCInOctets", "stg_router_up"); n != 0 {
		t.Errorf("%d series of a forgotten router", n)
	}
}
