package brassim

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/stg-project/stg/snmp"
)

// BenchmarkNew32k measures start-up of a 32,000-session router.
func BenchmarkNew32k(b *testing.B) {
	for b.Loop() {
		if _, err := New(Options{Sessions: MaxSessions, NoSSH: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// startBenchSim starts a 32,000-session simulator for a benchmark.
func startBenchSim(b *testing.B) *Sim {
	b.Helper()
	s, err := New(Options{Sessions: MaxSessions, NoSSH: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkGetBulkWalk32k walks ifHCInOctets of a 32,000-session router with
// an in-process gosnmp client (GETBULK, max-repetitions 50) and reports the
// varbinds served per second.
func BenchmarkGetBulkWalk32k(b *testing.B) {
	s := startBenchSim(b)
	host, port, _ := strings.Cut(s.Addr(), ":")
	var p uint16
	for _, c := range port {
		p = p*10 + uint16(c-'0')
	}
	g := &gosnmp.GoSNMP{Target: host, Port: p, Community: s.Community(), Version: gosnmp.Version2c,
		Timeout: 5 * time.Second, Retries: 1, MaxRepetitions: 50}
	if err := g.Connect(); err != nil {
		b.Fatal(err)
	}
	defer g.Conn.Close()
	total := 0
	start := time.Now()
	for b.Loop() {
		vars, err := g.BulkWalkAll(snmp.OIDIfHCInOctets)
		if err != nil {
			b.Fatal(err)
		}
		total += len(vars)
	}
	b.ReportMetric(float64(total)/time.Since(start).Seconds(), "varbinds/s")
}

// BenchmarkSnmpbulkwalk32k times net-snmp's snmpbulkwalk -Cr50 of casnUserId
// on a 32,000-session router, as a process, and reports varbinds per second.
func BenchmarkSnmpbulkwalk32k(b *testing.B) {
	s := startBenchSim(b)
	total := 0
	start := time.Now()
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		out, err := exec.CommandContext(ctx, "snmpbulkwalk", "-v2c", "-c", s.Community(), "-Cr50", "-On", s.Addr(), oidCasnUserID).Output()
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		total += strings.Count(string(out), "\n")
	}
	b.ReportMetric(float64(total)/time.Since(start).Seconds(), "varbinds/s")
}

// BenchmarkServeGetBulk32k measures the agent alone: decoding a GETBULK
// (max-repetitions 50, two columns) for a 32,000-session router, answering
// and encoding it, without sockets or a client.
func BenchmarkServeGetBulk32k(b *testing.B) {
	s, err := New(Options{Sessions: MaxSessions, NoSSH: true})
	if err != nil {
		b.Fatal(err)
	}
	m := newMIB(s.opts)
	dec := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Logger: quietLogger}
	req := &gosnmp.SnmpPacket{Version: gosnmp.Version2c, Community: s.Community(), PDUType: gosnmp.GetBulkRequest,
		RequestID: 1, MaxRepetitions: 50, Logger: quietLogger, Variables: []gosnmp.SnmpPDU{
			{Name: snmp.OIDIfHCInOctets + ".20000", Type: gosnmp.Null}, {Name: snmp.OIDIfHCOutOctets + ".20000", Type: gosnmp.Null}}}
	raw, err := req.MarshalMsg()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for b.Loop() {
		if s.handleCommunity(dec, m, append([]byte(nil), raw...)) == nil {
			b.Fatal("no answer")
		}
	}
	b.ReportMetric(float64(100*b.N)/time.Since(start).Seconds(), "varbinds/s")
}
