package snmp

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/stg-project/stg/internal/ctxsleep"
	"github.com/stg-project/stg/sample"
)

// PollTarget is one interface the poller reads.
type PollTarget struct {
	Name          string // Sample.Target: the --if or --user value
	IfIndex       int
	IfName        string
	IfDescr       string // Sample.IfDescr
	IfAlias       string // Sample.IfAlias
	User          string // Sample.User: the subscriber, "" for an interface
	CounterBits   int    // 64: ifHCIn/OutOctets; 32: ifIn/OutOctets
	SpeedBps      uint64 // link speed for the 32-bit wrap check; 0 = unknown
	IdentityOID   string // optional: read in the same GET as the counters
	IdentityValue string // when the value read at IdentityOID stops equalling this, the target is lost
}

// PollerConfig configures a Poller.
type PollerConfig struct {
	Router   string           // Sample.Router
	Interval time.Duration    // tick spacing; sub-second allowed
	Timeout  time.Duration    // per-poll deadline; 0 = 80% of Interval; never more than Interval
	Count    int              // polls to make; 0 = until ctx ends
	Duration time.Duration    // make the polls whose slot begins within this long of the first, each to its end; 0 = until ctx ends
	Now      func() time.Time // clock; nil = time.Now
	// Refind, when set, finds a target again after it was lost: its
	// identity check failed or its row vanished (a subscriber whose session
	// dropped, an interface gone with a reload). The poller then polls the
	// target no more (its rows are `offline`) and calls Refind from a
	// goroutine of its own, at once and then after a back-off that doubles
	// from a quarter second to 4 s, until Refind returns a target or Run
	// ends; it polls the target found from its next poll on, with a
	// `reconnected` row. Refind must not use the poller's Client (a Client
	// serves one goroutine). Without Refind a lost target is polled as it
	// was, its rows gaps until its identity is back.
	Refind func(ctx context.Context, name string) (PollTarget, error)
	// OnNote, when set, is called from the poller once for each thing
	// the user should know about how the agent serves its counters or
	// its clock (a counter served as INTEGER, sysUpTime.0 frozen or
	// missing, a counter the agent cannot read). The note starts with
	// the target or router it is about; the Err of the Samples it
	// concerns says the same, so that a UI shows it too.
	OnNote func(note string)
	// PreRead reads the counters once shortly before the first poll,
	// without a Sample: when they move in between, the first reading is
	// known to be fresh and the second poll has a rate (see
	// RateState.Prime).
	PreRead bool
}

// Poller reads the counters of its targets from one router with one GET per
// tick on a fixed time grid and turns them into Samples with RateState,
// and follows the targets it loses (PollerConfig.Refind). Run is called
// once.
type Poller struct {
	client  Client
	cfg     PollerConfig
	timeout time.Duration
	now     func() time.Time
	// wait sleeps d (nothing when d <= 0) or until ctx ends; tests replace
	// it to drive the schedule with a fake clock.
	wait func(ctx context.Context, d time.Duration) error
	// lost is told, after the poll that found it, of each target lost;
	// with Refind set it starts following the target. Tests replace it.
	lost func(ctx context.Context, name string)
	// backoff sleeps between Refind's attempts; tests replace it.
	backoff func(ctx context.Context, d time.Duration) error
	// following counts the goroutines that follow a lost target.
	following sync.WaitGroup

	mu      sync.Mutex
	targets []*pollTarget

	// clock follows the agent's sysUpTime.0; noted holds the notes given
	// (each is given once). Only Run's goroutine uses them.
	clock agentClock
	noted map[string]bool

	// Buffers reused from poll to poll (only Run's goroutine uses them).
	oids      []string
	batch     []polled
	samples   []sample.Sample
	lostNames []string
	notes     []string
}

// pollTarget is a target and its rate state. Retarget replaces it with a
// new one; only offline changes in place.
type pollTarget struct {
	t         PollTarget
	oids      []string // in, out, discontinuity time, identity (when set)
	state     *RateState
	offline   bool
	retired   bool // replaced by Retarget while a poll was reading it
	reconnect bool // the next baseline is reported as reconnected
	lost      bool // reported lost; not again until the target is found or retargeted
}

// polled is a target of a poll and where its OIDs are in the request.
type polled struct {
	pt    *pollTarget
	first int // index of the target's first OID in the request
}

// The positions of a target's OIDs in its part of the request.
const (
	oidIn = iota
	oidOut
	oidDiscontinuity
	oidIdentity
)

// NewPoller returns a Poller that reads targets through c.
func NewPoller(c Client, cfg PollerConfig, targets []PollTarget) *Poller {
	p := &Poller{client: c, cfg: cfg, now: cfg.Now, wait: ctxsleep.Sleep, backoff: ctxsleep.Sleep}
	if p.now == nil {
		p.now = time.Now
	}
	if cfg.Refind != nil {
		p.lost = p.follow
	}
	p.timeout = cfg.Timeout
	if p.timeout <= 0 {
		p.timeout = cfg.Interval * 4 / 5
	}
	if p.timeout > cfg.Interval {
		p.timeout = cfg.Interval
	}
	for _, t := range targets {
		p.targets = append(p.targets, newPollTarget(t))
	}
	return p
}

func newPollTarget(t PollTarget) *pollTarget {
	idx := "." + strconv.Itoa(t.IfIndex)
	in, out := OIDIfHCInOctets, OIDIfHCOutOctets
	if t.CounterBits == 32 {
		in, out = OIDIfInOctets, OIDIfOutOctets
	}
	pt := &pollTarget{t: t, state: NewRateState(t.SpeedBps)}
	pt.oids = []string{in + idx, out + idx, OIDIfCounterDiscontinuityTime + idx}
	if t.IdentityOID != "" {
		pt.oids = append(pt.oids, NormalizeOID(t.IdentityOID))
	}
	return pt
}

// Run polls until ctx ends or Count polls are done, sending one Sample per
// target per poll on out. It does not close out.
//
// Polls start on the grid start + k×Interval and never overlap; a poll that
// ends after the next slot began skips the missed slots instead of
// bursting. Each poll's deadline is the Timeout; there is no back-off.
// Count and Duration end the run after a complete poll: a run's end never
// cuts a poll short (a gap row is a poll the agent missed). Run returns
// nil when ctx ends (the way to stop it early) and an error only for an
// unusable configuration; it stops following the targets it lost before
// it returns.
func (p *Poller) Run(ctx context.Context, out chan<- sample.Sample) error {
	if p.cfg.Interval <= 0 {
		return fmt.Errorf("poll %s: interval %v is not positive", p.cfg.Router, p.cfg.Interval)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer p.following.Wait()
	defer cancel()
	slot := p.now()
	if p.cfg.PreRead {
		if !p.preRead(ctx) {
			return nil
		}
		slot = p.now().Add(preReadGap(p.cfg.Interval))
	}
	end := slot.Add(p.cfg.Duration)
	for done := 0; p.cfg.Count <= 0 || done < p.cfg.Count; done++ {
		if p.cfg.Duration > 0 && slot.After(end) {
			return nil
		}
		if p.wait(ctx, slot.Sub(p.now())) != nil {
			return nil
		}
		if !p.poll(ctx, out) {
			return nil
		}
		slot = nextSlot(slot, p.now(), p.cfg.Interval)
	}
	return nil
}

// nextSlot returns the first slot of the grid after slot that has not begun
// at now.
func nextSlot(slot, now time.Time, interval time.Duration) time.Time {
	slot = slot.Add(interval)
	if late := now.Sub(slot); late > 0 {
		slot = slot.Add((late + interval - 1) / interval * interval)
	}
	return slot
}

// poll makes one GET for every target that is not offline and sends the
// Samples. It returns false when ctx ended.
func (p *Poller) poll(ctx context.Context, out chan<- sample.Sample) bool {
	p.mu.Lock()
	p.oids = p.oids[:0]
	if !p.clock.off {
		p.oids = append(p.oids, OIDSysUpTime)
	}
	head := len(p.oids)
	p.batch = p.batch[:0]
	for _, pt := range p.targets {
		p.batch = append(p.batch, polled{pt: pt, first: len(p.oids)})
		if !pt.offline {
			p.oids = append(p.oids, pt.oids...)
		}
	}
	p.mu.Unlock()

	var (
		vars []Variable
		err  error
		rtt  time.Duration
	)
	send := p.now()
	if len(p.oids) > head {
		pctx, cancel := context.WithTimeout(ctx, p.timeout)
		vars, err = p.client.Get(pctx, p.oids)
		cancel()
		if ctx.Err() != nil {
			return false
		}
		rtt = p.now().Sub(send)
	}
	mid := send.Add(rtt / 2)
	var clk clockReading
	switch {
	case err != nil:
		// Whatever the error (no answer, an error status, a garbled
		// packet), this poll has no counters: a timeout gap whose Err
		// says why, and the baselines wait for the next answer.
		err = fmt.Errorf("get counters from %s: %w", p.cfg.Router, err)
		rtt = 0
	case head > 0 && len(p.oids) > head:
		up := Variable{Kind: KindNull} // a short answer lacks it
		if len(vars) > 0 {
			up = vars[0]
		}
		clk = p.clock.read(up, mid)
	}

	p.mu.Lock()
	p.samples = p.samples[:0]
	p.lostNames = p.lostNames[:0]
	p.notes = p.notes[:0]
	if clk.note != "" {
		p.note(p.cfg.Router, clk.note)
	}
	for _, b := range p.batch {
		p.samples = append(p.samples, p.sample(b, vars, err, mid, rtt, clk))
	}
	p.mu.Unlock()

	for _, name := range p.lostNames {
		if p.lost != nil {
			p.lost(ctx, name)
		}
	}
	for _, note := range p.notes {
		if p.cfg.OnNote != nil {
			p.cfg.OnNote(note)
		}
	}
	for _, s := range p.samples {
		select {
		case out <- s:
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// sample makes the Sample of one target from the poll's answer and what the
// poll learnt of the agent's clock. It runs with p.mu held.
func (p *Poller) sample(b polled, vars []Variable, err error, mid time.Time, rtt time.Duration, clk clockReading) sample.Sample {
	pt := b.pt
	s := sample.Sample{
		Time:        mid,
		Router:      p.cfg.Router,
		Target:      pt.t.Name,
		IfIndex:     pt.t.IfIndex,
		IfName:      pt.t.IfName,
		IfDescr:     pt.t.IfDescr,
		IfAlias:     pt.t.IfAlias,
		User:        pt.t.User,
		CounterBits: counterBits(pt.t.CounterBits),
		RTT:         rtt,
		CachePeriod: pt.state.CachePeriod(),
	}
	switch {
	case pt.offline:
		// Also when SetOffline came while the request was out. The row
		// names no interface: the target has none now.
		s.Status = sample.StatusOffline
		s.IfIndex, s.IfName, s.IfDescr, s.IfAlias = 0, "", "", ""
		return s
	case err != nil:
		applyRate(&s, pt.state.Update(Reading{Time: mid, TimedOut: true}))
		s.Err = err.Error()
		return s
	}

	// A short answer leaves the rest missing (never 0).
	at := func(j int) Variable {
		if j < len(vars) {
			return vars[j]
		}
		return Variable{Kind: KindNull}
	}
	in, outV, disc := at(b.first+oidIn), at(b.first+oidOut), at(b.first+oidDiscontinuity)
	r := Reading{Time: mid, RTT: rtt, UpTimeTicks: clk.ticks, HasUpTime: clk.ok}
	var inRetyped, outRetyped bool
	r.InOctets, r.InKind, inRetyped = asCounter(in, s.CounterBits)
	r.OutOctets, r.OutKind, outRetyped = asCounter(outV, s.CounterBits)
	if disc.Kind == KindTimeTicks {
		r.DiscontinuityTicks, r.HasDiscontinuity = disc.Uint, true
	}
	if readable(r) {
		s.InOctets, s.OutOctets, s.HasOctets = r.InOctets, r.OutOctets, true
		s.CounterBits = 64
		if r.InKind == KindCounter32 {
			s.CounterBits = 32
		}
	}
	var notes []string
	if clk.note != "" {
		notes = append(notes, clk.note)
	}
	if note := retypedNote(pt, in, outV, inRetyped, outRetyped); note != "" && p.note(pt.t.Name, note) {
		notes = append(notes, note)
	}
	unread := unreadableErr(pt, r)
	if unread != "" {
		p.note(pt.t.Name, unread) // every such row's Err says it too
	}

	if pt.t.IdentityOID != "" {
		// A row whose counters the agent still serves is there, whatever
		// their type or value.
		if why := identityLost(pt.t, at(b.first+oidIdentity), in.Exists() && outV.Exists()); why != "" {
			// The session behind the interface is gone: no rate, a fresh
			// state for when it is found again, one report per loss. The
			// counters read, if any, are another session's (an ifIndex
			// reused by the next subscriber): the row carries none.
			s.InOctets, s.OutOctets, s.HasOctets = 0, 0, false
			pt.state = pt.state.ForInterface(pt.t.SpeedBps)
			pt.reconnect = true
			// A target Retarget replaced meanwhile is already taken care of.
			if !pt.lost && !pt.retired {
				pt.lost = true
				p.lostNames = append(p.lostNames, pt.t.Name)
			}
			s.Status = sample.StatusGapDiscontinuity
			s.Err = withNotes(fmt.Sprintf("target %s on ifIndex %d lost: %s", pt.t.Name, pt.t.IfIndex, why), notes)
			return s
		}
		pt.lost = false
	}

	applyRate(&s, pt.state.Update(r))
	switch {
	case unread != "":
		s.Err = unread
	case !s.HasOctets:
		s.Err = fmt.Sprintf("counters of ifIndex %d missing: in %s, out %s", pt.t.IfIndex, in.Kind, outV.Kind)
	}
	s.Err = withNotes(s.Err, notes)
	if s.Status == sample.StatusFirst && pt.reconnect {
		s.Status = sample.StatusReconnected
		pt.reconnect = false
	}
	return s
}

// identityLost returns why a target with an identity check is lost, or ""
// when it is still there.
func identityLost(t PollTarget, id Variable, hasCounters bool) string {
	switch {
	case !hasCounters:
		return "its counters vanished"
	case !id.Exists():
		return "its identity " + id.Kind.String()
	case variableText(id) != CleanText(t.IdentityValue):
		return "its identity changed"
	}
	return ""
}

// variableText returns a value as text for the identity comparison: the
// string of an OctetString (or IpAddress, OID) as CleanText leaves it, the
// decimal of a number.
func variableText(v Variable) string {
	switch v.Kind {
	case KindOctetString, KindIPAddress, KindOID:
		return v.Text()
	case KindInteger:
		return strconv.FormatInt(v.Int, 10)
	}
	return strconv.FormatUint(v.Uint, 10)
}

// apply copies a Rate into the Sample.
func applyRate(s *sample.Sample, r Rate) {
	s.Status = r.Status
	s.InBps, s.OutBps = r.InBps, r.OutBps
	s.Interval = r.Interval
	s.CachePeriod = r.CachePeriod
}

// counterBits is 32 or 64 (the default).
func counterBits(bits int) int {
	if bits == 32 {
		return 32
	}
	return 64
}
