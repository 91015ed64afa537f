package snmp_test

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/snmp"
)

// loStream sends fixed-size UDP datagrams over loopback at a fixed pace to
// a socket it reads and discards, until ctx ends.
func loStream(t *testing.T, ctx context.Context, size int, every time.Duration) {
	t.Helper()
	sink, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	src, err := net.DialUDP("udp4", nil, sink.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	var sent atomic.Int64
	done := make(chan struct{}, 2)
	go func() {
		defer func() { done <- struct{}{} }()
		buf := make([]byte, 65536)
		for {
			if _, err := sink.Read(buf); err != nil {
				return
			}
		}
	}()
	go func() {
		defer func() { done <- struct{}{} }()
		payload := make([]byte, size)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if _, err := src.Write(payload); err == nil {
					sent.Add(1)
				}
			}
		}
	}()
	t.Cleanup(func() {
		_ = src.Close()
		_ = sink.Close()
		<-done
		<-done
		t.Logf("loopback stream: %d datagrams of %d bytes", sent.Load(), size)
	})
}

// procNetDev reads an interface's received and transmitted bytes from
// /proc/net/dev, the kernel's own counters.
func procNetDev(t *testing.T, iface string) (rx, tx uint64) {
	t.Helper()
	f, err := os.Open("/proc/net/dev")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.TrimSpace(name) != iface {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) < 9 {
			t.Fatalf("/proc/net/dev line for %s has %d fields", iface, len(fields))
		}
		rx, err1 := strconv.ParseUint(fields[0], 10, 64)
		tx, err2 := strconv.ParseUint(fields[8], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("parse /proc/net/dev for %s: %v %v", iface, err1, err2)
		}
		return rx, tx
	}
	t.Fatalf("/proc/net/dev has no %s", iface)
	return 0, 0
}

// TestSnmpdLoopbackRates polls `lo` on net-snmp's snmpd while a steady UDP
// stream crosses loopback. snmpd refreshes its interface counters only
// about every 3 s: no ok row may show a zero rate, the cache period must be
// detected, and the mean rate must agree with /proc/net/dev over the same
// span within 2%.
func TestSnmpdLoopbackRates(t *testing.T) {
	t.Parallel()
	agent := agenttest.StartSnmpd(t)
	c := itDial(t, snmp.Config{Target: agent.Target, Version: "2c", Community: agent.Community, Timeout: 500 * time.Millisecond})
	target := itTarget(t, c, "lo", 0)
	if target.CounterBits != 64 {
		t.Fatalf("lo: %d-bit counters, want 64 (snmpd serves ifHCInOctets)", target.CounterBits)
	}
	streamCtx, stopStream := context.WithCancel(context.Background())
	defer stopStream()
	// 16 KiB every 2 ms: about 8 MB/s, far above other loopback traffic.
	loStream(t, streamCtx, 16<<10, 2*time.Millisecond)
	time.Sleep(500 * time.Millisecond) // let the pace settle

	const polls = 18
	var (
		firstRx, firstTx, lastRx, lastTx uint64
		firstAt, lastAt                  time.Time
		seen                             int
	)
	samples := itPoll(t, c, time.Second, polls, []snmp.PollTarget{target}, func(s snmp.Sample) {
		rx, tx := procNetDev(t, "lo")
		if seen++; seen == 1 {
			firstRx, firstTx, firstAt = rx, tx, time.Now()
		}
		lastRx, lastTx, lastAt = rx, tx, time.Now()
	})
	stopStream()

	if len(samples) != polls {
		t.Fatalf("%d rows, want %d", len(samples), polls)
	}
	var inBits, outBits, seconds float64
	var cache time.Duration
	for i, s := range samples {
		if s.Status == snmp.StatusOK && (s.InBps == 0 || s.OutBps == 0) {
			t.Errorf("row %d: ok with a zero rate (%.0f/%.0f b/s) under a steady stream", i, s.InBps, s.OutBps)
		}
		if s.CachePeriod > 0 {
			cache = s.CachePeriod
		}
		if s.Status.HasRate() {
			inBits += s.InBps * s.Interval.Seconds()
			outBits += s.OutBps * s.Interval.Seconds()
			seconds += s.Interval.Seconds()
		}
	}
	t.Logf("statuses: %s; cache period %s", itStatuses(samples), cache)
	if cache < 2*time.Second || cache > 4500*time.Millisecond {
		t.Errorf("detected cache period %s, want about 3 s", cache)
	}
	if seconds < polls/2 {
		t.Fatalf("rates cover %.1f s of %d polls (%s)", seconds, polls, itStatuses(samples))
	}
	span := lastAt.Sub(firstAt).Seconds()
	for _, dir := range []struct {
		name      string
		stg, proc float64
	}{
		{"in", inBits / seconds, float64(lastRx-firstRx) * 8 / span},
		{"out", outBits / seconds, float64(lastTx-firstTx) * 8 / span},
	} {
		e := math.Abs(dir.stg-dir.proc) / dir.proc
		t.Logf("%s: stg %.0f b/s, /proc/net/dev %.0f b/s, error %.2f%%", dir.name, dir.stg, dir.proc, 100*e)
		if e > 0.02 {
			t.Errorf("%s: stg's mean rate %s, /proc/net/dev %s over the same span: %.2f%% apart, want at most 2%%",
				dir.name, fmtBps(dir.stg), fmtBps(dir.proc), 100*e)
		}
	}
}

func fmtBps(v float64) string { return fmt.Sprintf("%.3f Mb/s", v/1e6) }
