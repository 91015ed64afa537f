package tui

import (
	"math"
	"strings"
	"time"

	"github.com/stg-project/stg/sample"
)

// target is everything the UI knows about one --user or --if target: the
// latest header facts, the ring of recent points and the readouts.
type target struct {
	name        string
	ifIndex     int
	ifName      string
	counterBits int
	rtt         time.Duration
	cachePeriod time.Duration
	lastStatus  sample.Status
	lastErr     string
	lastErrAt   time.Time
	octets      [2]uint64 // the latest in/out counters read
	hasOctets   bool      // octets holds a reading
	moved       bool      // the counters moved on a pending row since the last rate

	ring    *ring
	in, out stats
	cur     [2]float64 // latest in/out rate
	curOK   bool       // cur holds a rate that is still current
	polls   int        // rows since reset
	lost    int        // gap-timeout rows since reset
}

// newTarget returns an empty target whose ring holds capacity points.
func newTarget(name string, capacity int) *target {
	return &target{name: name, ring: newRing(capacity)}
}

// validRate reports whether both rates of s are numbers a chart can draw.
func validRate(s sample.Sample) bool {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 }
	return s.Status.HasRate() && ok(s.InBps) && ok(s.OutBps)
}

// ingest records one sample: header facts, ring and statistics.
func (t *target) ingest(s sample.Sample, fallback time.Duration) {
	if s.IfIndex != 0 {
		t.ifIndex = s.IfIndex
	}
	if s.IfName != "" {
		t.ifName = s.IfName
	}
	if s.CounterBits != 0 {
		t.counterBits = s.CounterBits
	}
	if s.RTT > 0 {
		t.rtt = s.RTT
	}
	t.cachePeriod = s.CachePeriod
	t.lastStatus = s.Status
	if err := withoutNotes(s.Err); err != "" {
		t.lastErr, t.lastErrAt = err, s.Time
	}
	if s.HasOctets {
		read := [2]uint64{s.InOctets, s.OutOctets}
		t.moved = s.Status == sample.StatusPending && (t.moved || t.hasOctets && read != t.octets)
		t.octets, t.hasOctets = read, true
	}
	t.polls++
	if s.Status == sample.StatusGapTimeout {
		t.lost++
	}

	p := point{at: s.Time.UnixNano(), interval: int64(s.Interval), status: s.Status}
	if p.interval <= 0 {
		p.interval = int64(fallback)
	}
	switch {
	case validRate(s):
		p.in, p.out = s.InBps, s.OutBps
		secs := time.Duration(p.interval).Seconds()
		t.in.add(s.InBps, secs)
		t.out.add(s.OutBps, secs)
		t.cur, t.curOK = [2]float64{s.InBps, s.OutBps}, true
	case s.Status.HasRate():
		// A rate status with an unusable number is drawn as a gap.
		p.status = sample.StatusGapDiscontinuity
		t.curOK = false
	case s.Status != sample.StatusPending && s.Status != sample.StatusFirst:
		t.curOK = false
	}
	t.ring.push(p)
}

// withoutNotes returns a sample's error without the notes the poller
// appends to it ("note: ..." parts joined by "; "): the UI shows notes as
// they are told (NoteMsg), not as errors.
func withoutNotes(err string) string {
	if strings.HasPrefix(err, "note: ") {
		return ""
	}
	err, _, _ = strings.Cut(err, "; note: ")
	return err
}

// reset clears the statistics, loss count and last error; the chart keeps
// its points.
func (t *target) reset() {
	t.in, t.out = stats{}, stats{}
	t.polls, t.lost = 0, 0
	t.lastErr, t.lastErrAt = "", time.Time{}
}

// lossPercent returns the share of polls since reset that timed out.
func (t *target) lossPercent() float64 {
	if t.polls == 0 {
		return 0
	}
	return 100 * float64(t.lost) / float64(t.polls)
}

// waiting returns why the target has no current rate while it waits for
// its first one (after a start, a reset or a reconnect), or "".
func (t *target) waiting() string {
	if t.curOK {
		return ""
	}
	switch {
	case t.lastStatus == sample.StatusFirst:
		return "first reading taken: a rate needs a second one"
	case t.lastStatus == sample.StatusPending && t.moved:
		return "counters moved: learning whether the agent refreshes them on a timer or when asked"
	case t.lastStatus == sample.StatusPending && t.cachePeriod > 0:
		return "waiting for the agent's counters to change (it refreshes them every ≈" + formatPeriod(t.cachePeriod) + ")"
	case t.lastStatus == sample.StatusPending:
		return "waiting for the agent's counters to change (some agents refresh them only every few seconds)"
	}
	return ""
}
