package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
)

// accuracyPolls is the number of 1 s polls of each accuracy run.
const accuracyPolls = 40

// rateErrors are the per-sample errors (percent) of stg and of the naive
// method over the same raw samples.
type rateErrors struct {
	Stg, Naive []float64
	// StgSlots are stg's errors per poll slot as the chart draws them: a
	// rate over several polls (backfilled) counts once per slot it
	// covers, against the truth of that slot.
	StgSlots []float64
	// StgRated and Polls count stg's rows with a rate and all rows.
	StgRated, Polls int
}

// accuracyRows turns the errors of one agent into table rows.
func accuracyRows(agentName string, e rateErrors) []row {
	s, n := summarise(e.Stg), summarise(e.Naive)
	note := fmt.Sprintf("%d stg rows with a rate of %d rows; errors: stg %d, naive %d (in and out)", e.StgRated, e.Polls, s.N, n.N)
	peer := "naive Δ/interval"
	rows := []row{
		newRow("2", agentName+" rate error p50", "%", s.P50).vs(peer, n.P50),
		newRow("2", agentName+" rate error p95", "%", s.P95).vs(peer, n.P95),
		withNote(newRow("2", agentName+" rate error max", "%", s.Max).vs(peer, n.Max), note),
	}
	if len(e.StgSlots) == 0 {
		return rows
	}
	sl := summarise(e.StgSlots)
	return append(rows,
		newRow("2", agentName+" error per 1 s slot drawn, p50", "%", sl.P50).vs(peer, n.P50),
		newRow("2", agentName+" error per 1 s slot drawn, p95", "%", sl.P95).vs(peer, n.P95),
		withNote(newRow("2", agentName+" error per 1 s slot drawn, max", "%", sl.Max).vs(peer, n.Max),
			fmt.Sprintf("stg: %d slot errors; a backfilled rate counts once per poll it covers", sl.N)))
}

// withNote returns r with note.
func withNote(r row, note string) row {
	r.Note = note
	return r
}

// stgBin is the stg binary under test.
type stgBin struct {
	path string
	// keep, when not "", is a directory that receives every CSV stg
	// wrote, as label.csv.
	keep string
}

// poll runs stg piped to CSV against a and parses its rows.
func (s stgBin) poll(ctx context.Context, a *agent, label string, args ...string) ([]sample.Sample, runResult, error) {
	full := append([]string{"--router", a.Addr, "-o", "csv"}, args...)
	res, err := run(ctx, []string{"STG_COMMUNITY=" + a.Community}, s.path, full...)
	if s.keep != "" {
		if werr := os.WriteFile(filepath.Join(s.keep, label+".csv"), res.Stdout, 0o644); werr != nil && err == nil {
			err = fmt.Errorf("keep stg CSV: %w", werr)
		}
	}
	if err != nil {
		return nil, res, err
	}
	rows, err := record.ReadCSV(bytes.NewReader(res.Stdout))
	return rows, res, err
}

// snmpsimAccuracy measures measurement 2 on snmpsim's constant-rate
// Counter64 counters: truth is the configured rate.
func snmpsimAccuracy(ctx context.Context, stg stgBin, cacheDir string) (rateErrors, error) {
	data := filepath.Join(cacheDir, "data", "rates")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return rateErrors{}, fmt.Errorf("make rates data dir: %w", err)
	}
	if err := writeIfChanged(filepath.Join(data, "rates.snmprec"), ratesSnmprec()); err != nil {
		return rateErrors{}, err
	}
	a, err := startSnmpsim(ctx, data, filepath.Join(cacheDir, "snmpsim-cache"), "rates")
	if err != nil {
		return rateErrors{}, err
	}
	defer a.stop()
	args := []string{"--count", strconv.Itoa(accuracyPolls), "-i", "1s"}
	truth := map[string]rateIface{}
	for _, r := range rateIfaces {
		args = append(args, "--if", strconv.Itoa(r.IfIndex))
		truth[strconv.Itoa(r.IfIndex)] = r
	}
	rows, _, err := stg.poll(ctx, a, "accuracy-snmpsim", args...)
	if err != nil {
		return rateErrors{}, fmt.Errorf("poll snmpsim: %w", err)
	}
	var e rateErrors
	e.Polls = len(rows)
	for target, rs := range byTarget(rows) {
		t, ok := truth[target]
		if !ok {
			return e, fmt.Errorf("stg CSV has unknown target %q", target)
		}
		for _, r := range rs {
			if r.Status.HasRate() {
				e.StgRated++
				e.Stg = appendErrors(e.Stg, r.InBps, t.InBps, r.OutBps, t.OutBps)
			}
		}
		for _, n := range naiveRates(rs, time.Second) {
			e.Naive = appendErrors(e.Naive, n.InBps, t.InBps, n.OutBps, t.OutBps)
		}
	}
	return e, nil
}

// slots splits from..to into round((to−from)/interval) equal poll slots
// (at least one).
func slots(from, to time.Time, interval time.Duration) [][2]time.Time {
	span := to.Sub(from)
	n := max(1, int(math.Round(float64(span)/float64(interval))))
	out := make([][2]time.Time, n)
	for k := range out {
		out[k] = [2]time.Time{from.Add(span * time.Duration(k) / time.Duration(n)), from.Add(span * time.Duration(k+1) / time.Duration(n))}
	}
	return out
}

// appendErrors appends the relative errors of both directions.
func appendErrors(errs []float64, in, inTruth, out, outTruth float64) []float64 {
	if p, ok := relErrorPct(in, inTruth); ok {
		errs = append(errs, p)
	}
	if p, ok := relErrorPct(out, outTruth); ok {
		errs = append(errs, p)
	}
	return errs
}

// devSample is one reading of lo's counters in /proc/net/dev.
type devSample struct {
	At     time.Time
	RX, TX uint64
}

// devSeries is lo's counters sampled every few milliseconds.
type devSeries struct {
	mu      sync.Mutex
	samples []devSample
}

// sample reads /proc/net/dev every period until ctx ends.
func (d *devSeries) sample(ctx context.Context, period time.Duration) error {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		rx, tx, err := readLo()
		if err != nil {
			return err
		}
		d.mu.Lock()
		d.samples = append(d.samples, devSample{At: time.Now(), RX: rx, TX: tx})
		d.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// readLo returns lo's received and transmitted bytes.
func readLo() (rx, tx uint64, err error) {
	b, err := os.ReadFile("/proc/net/dev")
	if err != nil {
		return 0, 0, fmt.Errorf("read /proc/net/dev: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.TrimSpace(name) != "lo" {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 9 {
			break
		}
		rx, err1 := strconv.ParseUint(f[0], 10, 64)
		tx, err2 := strconv.ParseUint(f[8], 10, 64)
		if err1 != nil || err2 != nil {
			break
		}
		return rx, tx, nil
	}
	return 0, 0, fmt.Errorf("no lo line in /proc/net/dev")
}

// rates returns lo's true in and out bits per second between from and
// to, interpolating between samples; ok is false outside the series.
func (d *devSeries) rates(from, to time.Time) (in, out float64, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return interpolatedRates(d.samples, from, to)
}

// interpolatedRates is rates over a series sorted by time.
func interpolatedRates(s []devSample, from, to time.Time) (in, out float64, ok bool) {
	if !to.After(from) {
		return 0, 0, false
	}
	rx0, tx0, ok0 := interpolate(s, from)
	rx1, tx1, ok1 := interpolate(s, to)
	if !ok0 || !ok1 {
		return 0, 0, false
	}
	secs := to.Sub(from).Seconds()
	return (rx1 - rx0) * 8 / secs, (tx1 - tx0) * 8 / secs, true
}

// interpolate returns the counters at t by linear interpolation.
func interpolate(s []devSample, t time.Time) (rx, tx float64, ok bool) {
	for i := 1; i < len(s); i++ {
		a, b := s[i-1], s[i]
		if t.Before(a.At) || t.After(b.At) {
			continue
		}
		f := 0.0
		if span := b.At.Sub(a.At); span > 0 {
			f = float64(t.Sub(a.At)) / float64(span)
		}
		rx = float64(a.RX) + f*(float64(b.RX)-float64(a.RX))
		tx = float64(a.TX) + f*(float64(b.TX)-float64(a.TX))
		return rx, tx, true
	}
	return 0, 0, false
}

// streamDatagrams and streamTick pace the loopback UDP stream: 10
// datagrams of 1,000 bytes every 2 ms, about 5 MB/s (40 Mb/s) each way.
const (
	streamDatagrams = 10
	streamTick      = 2 * time.Millisecond
)

// stream sends a steady UDP stream over loopback to a socket that drains
// it, until ctx ends.
func stream(ctx context.Context) error {
	sink, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen for the loopback stream: %w", err)
	}
	defer sink.Close()
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := sink.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	conn, err := net.Dial("udp4", sink.LocalAddr().String())
	if err != nil {
		return fmt.Errorf("dial the loopback stream: %w", err)
	}
	defer conn.Close()
	payload := make([]byte, 1000)
	t := time.NewTicker(streamTick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		for i := 0; i < streamDatagrams; i++ {
			_, _ = conn.Write(payload) // a dropped datagram is still counted by lo or not at all
		}
	}
}

// snmpdAccuracy measures measurement 2 on net-snmp snmpd reading lo with
// its default counter cache while a steady stream crosses loopback: truth
// is /proc/net/dev over each sample's span.
func snmpdAccuracy(ctx context.Context, stg stgBin, tmp string) (rateErrors, error) {
	dir, err := os.MkdirTemp(tmp, "snmpd-*")
	if err != nil {
		return rateErrors{}, fmt.Errorf("make snmpd dir: %w", err)
	}
	a, err := startSnmpd(ctx, dir, randomCommunity())
	if err != nil {
		return rateErrors{}, err
	}
	defer a.stop()
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	var dev devSeries
	errc := make(chan error, 2)
	go func() { errc <- dev.sample(sctx, 5*time.Millisecond) }()
	go func() { errc <- stream(sctx) }()
	time.Sleep(2 * time.Second) // let the stream settle
	rows, _, err := stg.poll(ctx, a, "accuracy-snmpd", "--if", "lo", "--count", strconv.Itoa(accuracyPolls), "-i", "1s")
	time.Sleep(100 * time.Millisecond)
	stop()
	for i := 0; i < 2; i++ {
		if e := <-errc; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return rateErrors{}, fmt.Errorf("poll snmpd: %w", err)
	}
	e := rateErrors{Polls: len(rows)}
	for _, r := range rows {
		if !r.Status.HasRate() {
			continue
		}
		e.StgRated++
		from := r.Time.Add(-r.Interval)
		if in, out, ok := dev.rates(from, r.Time); ok {
			e.Stg = appendErrors(e.Stg, r.InBps, in, r.OutBps, out)
		}
		for _, sl := range slots(from, r.Time, time.Second) {
			if in, out, ok := dev.rates(sl[0], sl[1]); ok {
				e.StgSlots = appendErrors(e.StgSlots, r.InBps, in, r.OutBps, out)
			}
		}
	}
	for _, n := range naiveRates(rows, time.Second) {
		if in, out, ok := dev.rates(n.From, n.To); ok {
			e.Naive = appendErrors(e.Naive, n.InBps, in, n.OutBps, out)
		}
	}
	return e, nil
}

// randomCommunity returns a fresh community for the driver's snmpd.
func randomCommunity() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "bench-" + hex.EncodeToString(b)
}
