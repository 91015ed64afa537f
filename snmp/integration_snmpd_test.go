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
	"github.com/stg-project/stg/sample"
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
		// Pace by the clock, catching up after a late wake-up, so the
		// stream's average holds on every span longer than a few ticks.
		payload := make([]byte, size)
		tick := time.NewTicker(every)
		defer tick.Stop()
		start, n := time.Now(), int64(0)
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				for due := int64(now.Sub(start) / every); n < due; n++ {
					if _, err := src.Write(payload); err == nil {
						sent.Add(1)
					}
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
//
// Like the other rate tests it does not run in parallel: the truth is a
// clock, and CPU contention in the test binary itself would skew it.
func TestSnmpdLoopbackRates(t *testing.T) {
	// 60,000 bytes every 2 ms: 30 MB/s in few system calls, so that other
	// loopback traffic (other tests on this machine) stays a small part.
	streamCtx, stopStream := context.WithCancel(context.Background())
	defer stopStream()
	loStream(t, streamCtx, 60000, 2*time.Millisecond)
	steadyFrom := time.Now().Add(3500 * time.Millisecond) // one snmpd cache period, and a margin

	agent := agenttest.StartSnmpd(t)
	c := itDial(t, snmp.Config{Target: agent.Target, Version: "2c", Community: agent.Community, Timeout: 500 * time.Millisecond})
	target := itTarget(t, c, "lo", 0)
	if target.CounterBits != 64 {
		t.Fatalf("lo: %d-bit counters, want 64 (snmpd serves ifHCInOctets)", target.CounterBits)
	}
	// The first reading may be a refresh period old: the stream must
	// already run then.
	time.Sleep(time.Until(steadyFrom))

	// /proc/net/dev is read as each row arrives; a row's Time is the
	// midpoint of its poll, so the readings bracket the span the rates cover.
	// The first change after the first reading is pending (the rates'
	// baseline), which takes one refresh period, pendingRows polls, from
	// the rows with a rate: the run is that much longer.
	const (
		pendingRows = 3
		polls       = 18 + pendingRows
	)
	type reading struct {
		at     time.Time // the row's Time
		rx, tx uint64
	}
	var kernel []reading
	samples := itPoll(t, c, time.Second, polls, []snmp.PollTarget{target}, func(s sample.Sample) {
		rx, tx := procNetDev(t, "lo")
		kernel = append(kernel, reading{s.Time, rx, tx})
	})
	stopStream()

	if len(samples) != polls {
		t.Fatalf("%d rows, want %d", len(samples), polls)
	}
	var inBits, outBits float64
	var cache time.Duration
	first, last := -1, -1
	for i, s := range samples {
		if s.Status == sample.StatusOK && (s.InBps == 0 || s.OutBps == 0) {
			t.Errorf("row %d: ok with a zero rate (%.0f/%.0f b/s) under a steady stream", i, s.InBps, s.OutBps)
		}
		if s.CachePeriod > 0 {
			cache = s.CachePeriod
		}
		if s.Status.HasRate() {
			inBits += s.InBps * s.Interval.Seconds()
			outBits += s.OutBps * s.Interval.Seconds()
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	t.Logf("statuses: %s; cache period %s", itStatuses(samples), cache)
	if cache < 2*time.Second || cache > 4500*time.Millisecond {
		t.Errorf("detected cache period %s, want about 3 s", cache)
	}
	if first < 0 || last-first < (polls-pendingRows)/2 {
		t.Fatalf("too few rows with a rate (%s)", itStatuses(samples))
	}
	// The rates cover [start of the first rate's interval, last rate row].
	from := nearest(kernel, samples[first].Time.Add(-samples[first].Interval), func(r reading) time.Time { return r.at })
	to := kernel[last]
	if d := samples[first].Time.Add(-samples[first].Interval).Sub(from.at); d.Abs() > 100*time.Millisecond {
		t.Fatalf("the first rate starts %s away from any poll", d)
	}
	span := to.at.Sub(from.at).Seconds()
	for _, dir := range []struct {
		name      string
		stg, proc float64
	}{
		{"in", inBits / span, float64(to.rx-from.rx) * 8 / span},
		{"out", outBits / span, float64(to.tx-from.tx) * 8 / span},
	} {
		e := math.Abs(dir.stg-dir.proc) / dir.proc
		t.Logf("%s over %.3f s: stg %s, /proc/net/dev %s, error %.2f%%", dir.name, span, fmtBps(dir.stg), fmtBps(dir.proc), 100*e)
		if e > 0.02 {
			t.Errorf("%s: stg's mean rate %s, /proc/net/dev %s over the same %.3f s: %.2f%% apart, want at most 2%%",
				dir.name, fmtBps(dir.stg), fmtBps(dir.proc), span, 100*e)
		}
	}
}

// nearest returns the element of list whose time is closest to at.
func nearest[T any](list []T, at time.Time, timeOf func(T) time.Time) T {
	best := list[0]
	for _, x := range list[1:] {
		if timeOf(x).Sub(at).Abs() < timeOf(best).Sub(at).Abs() {
			best = x
		}
	}
	return best
}

func fmtBps(v float64) string { return fmt.Sprintf("%.3f Mb/s", v/1e6) }
