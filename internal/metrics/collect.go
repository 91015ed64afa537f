package metrics

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stg-project/stg/sample"
)

// ifLabels are the labels of every interface series: snmp_exporter's
// if_mib labels (ifIndex, and ifName, ifDescr, ifAlias looked up by it),
// the router as named, and the subscriber ("" for an interface, which
// Prometheus stores as no label).
var ifLabels = []string{"router", "user", "ifIndex", "ifName", "ifDescr", "ifAlias"}

// The metrics /metrics shows. The octet counters keep snmp_exporter's
// names, help and type, so that dashboards and recording rules made for
// it work on stg.
var (
	descHCIn = prometheus.NewDesc("ifHCInOctets",
		"The total number of octets received on the interface, including framing characters (64-bit, IF-MIB 1.3.6.1.2.1.31.1.1.1.6).", ifLabels, nil)
	descHCOut = prometheus.NewDesc("ifHCOutOctets",
		"The total number of octets transmitted out of the interface, including framing characters (64-bit, IF-MIB 1.3.6.1.2.1.31.1.1.1.10).", ifLabels, nil)
	descIn = prometheus.NewDesc("ifInOctets",
		"The octets received on the interface, including framing characters (32-bit IF-MIB 1.3.6.1.2.1.2.2.1.10), counted by stg from its first reading or the counter's last reset, past every wrap.", ifLabels, nil)
	descOut = prometheus.NewDesc("ifOutOctets",
		"The octets transmitted out of the interface, including framing characters (32-bit IF-MIB 1.3.6.1.2.1.2.2.1.16), counted by stg from its first reading or the counter's last reset, past every wrap.", ifLabels, nil)
	descInRate = prometheus.NewDesc("stg_if_in_bytes_per_second",
		"The interface's received bytes per second over the last interval stg measured; absent while no rate is known (first reading, pending, gap).", ifLabels, nil)
	descOutRate = prometheus.NewDesc("stg_if_out_bytes_per_second",
		"The interface's transmitted bytes per second over the last interval stg measured; absent while no rate is known (first reading, pending, gap).", ifLabels, nil)

	descPolls = prometheus.NewDesc("stg_polls_total",
		"Polls stg made of the target.", []string{"router", "target"}, nil)
	descTimeouts = prometheus.NewDesc("stg_poll_timeouts_total",
		"Polls of the target the agent left unanswered.", []string{"router", "target"}, nil)
	descRTT = prometheus.NewDesc("stg_poll_rtt_seconds",
		"Round-trip time of the target's last answered poll.", []string{"router", "target"}, nil)
	descLastOK = prometheus.NewDesc("stg_last_success_timestamp_seconds",
		"Unix time of the target's last poll that read its counters.", []string{"router", "target"}, nil)
	descStatus = prometheus.NewDesc("stg_target_status",
		"The status of the target's latest sample (the CSV status column): 1 for the current one, 0 for the others.", []string{"router", "target", "status"}, nil)

	descUp = prometheus.NewDesc("stg_router_up",
		"1 when the router answered stg's latest poll or cycle, else 0.", []string{"router"}, nil)
	descStartFailures = prometheus.NewDesc("stg_router_start_failures_total",
		"Runs on the router that could not start (no answer, a target not found); stg serve tries again.", []string{"router"}, nil)

	descTopCycles = prometheus.NewDesc("stg_top_cycles_total",
		"Cycles of stg top on the router.", []string{"router"}, nil)
	descTopWalk = prometheus.NewDesc("stg_top_cycle_seconds",
		"How long the router's latest top cycle took to read every row.", []string{"router"}, nil)
	descTopRows = prometheus.NewDesc("stg_top_rows",
		"Rows (interfaces or sessions) the router's latest top cycle ranked; /metrics shows the first ones only.", []string{"router"}, nil)
	descTopLost = prometheus.NewDesc("stg_top_lost_rows",
		"Rows the router's latest top cycle could not read (gap-timeout).", []string{"router"}, nil)

	descBuild = prometheus.NewDesc("stg_build_info",
		"The stg build serving these metrics: its version, VCS revision and Go version; always 1.", []string{"version", "revision", "goversion"}, nil)
)

// Describe implements prometheus.Collector.
func (s *Store) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		descHCIn, descHCOut, descIn, descOut, descInRate, descOutRate,
		descPolls, descTimeouts, descRTT, descLastOK, descStatus,
		descUp, descStartFailures, descTopCycles, descTopWalk, descTopRows, descTopLost, descBuild,
	} {
		ch <- d
	}
}

// Collect implements prometheus.Collector: it reads the latest samples
// and cycles, and never waits for SNMP.
func (s *Store) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	defer s.mu.Unlock()
	emit(ch, descBuild, prometheus.GaugeValue, 1, s.build.Version, s.build.Revision, s.build.GoVersion)
	for name, r := range s.routers {
		if r.known {
			emit(ch, descUp, prometheus.GaugeValue, boolValue(r.up), name)
		}
		emit(ch, descStartFailures, prometheus.CounterValue, float64(r.startFailures), name)
		// Two targets on one interface show it once, always the same
		// one's (the first by name): counters from two baselines taking
		// turns would look like resets.
		shown := map[string]bool{} // interface series already out, by label values
		for _, target := range slices.Sorted(maps.Keys(r.targets)) {
			t := r.targets[target]
			collectTarget(ch, name, target, t)
			if t.seen && t.last.IfIndex > 0 {
				smp := t.last
				collectInterface(ch, shown, ifValues(name, smp.User, smp.IfIndex, smp.IfName, smp.IfDescr, smp.IfAlias),
					smp, t.inRaw, t.outRaw)
			}
		}
		if r.top != nil {
			collectTop(ch, shown, name, r.top)
		}
	}
}

// collectTarget sends the health of one polled target.
func collectTarget(ch chan<- prometheus.Metric, router, target string, t *targetState) {
	emit(ch, descPolls, prometheus.CounterValue, float64(t.polls), router, target)
	emit(ch, descTimeouts, prometheus.CounterValue, float64(t.timeouts), router, target)
	if !t.lastOK.IsZero() {
		emit(ch, descRTT, prometheus.GaugeValue, t.rtt.Seconds(), router, target)
		emit(ch, descLastOK, prometheus.GaugeValue, float64(t.lastOK.UnixNano())/1e9, router, target)
	}
	if t.seen {
		for _, st := range sample.Statuses() {
			emit(ch, descStatus, prometheus.GaugeValue, boolValue(st == t.last.Status), router, target, string(st))
		}
	}
}

// collectTop sends a router's top rows and what its latest cycle said of
// itself.
func collectTop(ch chan<- prometheus.Metric, shown map[string]bool, router string, t *topState) {
	emit(ch, descTopCycles, prometheus.CounterValue, float64(t.cycles), router)
	emit(ch, descTopWalk, prometheus.GaugeValue, t.walk.Seconds(), router)
	emit(ch, descTopRows, prometheus.GaugeValue, float64(t.ranked), router)
	emit(ch, descTopLost, prometheus.GaugeValue, float64(t.lost), router)
	for _, row := range t.rows {
		smp := row.Sample(router)
		collectInterface(ch, shown, ifValues(router, row.User, row.IfIndex, row.IfName, row.IfDescr, row.IfAlias),
			smp, row.inRaw, row.outRaw)
	}
}

// collectInterface sends one interface's counters (when the latest
// reading read them) and rates (when it has one), once per label values:
// two targets on the same interface show it once.
func collectInterface(ch chan<- prometheus.Metric, shown map[string]bool, labels []string, smp sample.Sample, inRaw, outRaw uint64) {
	key := strings.Join(labels, "\xff")
	if shown[key] {
		return
	}
	shown[key] = true
	if smp.HasOctets {
		in, out := descHCIn, descHCOut
		if smp.CounterBits == 32 {
			in, out = descIn, descOut
		}
		emit(ch, in, prometheus.CounterValue, float64(inRaw), labels...)
		emit(ch, out, prometheus.CounterValue, float64(outRaw), labels...)
	}
	if smp.Status.HasRate() {
		emit(ch, descInRate, prometheus.GaugeValue, smp.InBps/8, labels...)
		emit(ch, descOutRate, prometheus.GaugeValue, smp.OutBps/8, labels...)
	}
}

// ifValues returns the values of ifLabels, as snmp_exporter writes them
// (ifIndex in decimal).
func ifValues(router, user string, ifIndex int, ifName, ifDescr, ifAlias string) []string {
	return []string{router, user, strconv.Itoa(ifIndex), ifName, ifDescr, ifAlias}
}

// emit sends one metric; label values that are not UTF-8 (an agent's
// bytes) get U+FFFD where they are not, since Prometheus refuses them.
func emit(ch chan<- prometheus.Metric, desc *prometheus.Desc, kind prometheus.ValueType, v float64, labels ...string) {
	for i, l := range labels {
		labels[i] = strings.ToValidUTF8(l, "\uFFFD")
	}
	m, err := prometheus.NewConstMetric(desc, kind, v, labels...)
	if err != nil {
		m = prometheus.NewInvalidMetric(desc, err)
	}
	ch <- m
}

// boolValue is 1 for true, 0 for false.
func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
