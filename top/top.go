// Package top ranks every interface or subscriber session of a router by
// its rate, live (stg top): each cycle reads the octet counters of every
// row with GETBULK (snmp.ScanRows), times each row by the answer that
// carried it, and turns its readings into rates with its own
// snmp.RateState, under the same rules as the poller. Names and
// subscribers are read once at start and again only for interfaces that
// appear later. The result of each cycle is a ranking.Cycle.
package top

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/internal/ctxsleep"
	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/snmp"
)

// Config configures a top run.
type Config struct {
	// Router is the router as the user named it (never with credentials).
	Router string
	// Version is the SNMP version ("1", "2c", "3"): SNMPv1 cannot read
	// 64-bit counters, so it reads the 32-bit ones.
	Version string
	// Counters is "auto" (or ""): 64-bit counters where the agent has
	// them, each row without them on its 32-bit ones; "64" or "32" only
	// those.
	Counters string
	// Interval is the least time between the starts of two cycles (0
	// means 1 s). A cycle whose walk takes longer is as long as its walk:
	// cycles never overlap.
	Interval time.Duration
	// Timeout is the longest wait for one answer (0 means
	// snmp.DefaultTimeout): give the client's own timeout, so that each
	// request is sent once and timed from its sending. Once the agent
	// has answered, a request waits about as long as its answers take
	// before it is sent again (snmp.AnswerTimes).
	Timeout time.Duration
	// Retries is how often a request left unanswered is sent again within
	// a cycle before its rows count as lost for that cycle.
	Retries int
	// Filter, when set, keeps the rows whose subscriber, ifName, ifDescr
	// or ifAlias it matches, whether or not they carry a subscriber.
	Filter *regexp.Regexp
	// AllInterfaces keeps every interface of a router that has
	// subscriber sessions; without it (and without Filter) such a router
	// shows its sessions only.
	AllInterfaces bool
	// Limit, when positive, keeps the first Limit rows of each cycle
	// (the sums still add up every row): piped output with --limit.
	Limit int
	// Count is how many cycles Run makes; 0 means until its context ends.
	Count int
	// Now is the clock rows are timed by; nil means time.Now.
	Now func() time.Time
	// OnNote, when set, is told once each thing the user should know
	// about how the router serves its counters (32-bit counters only, a
	// counter served as INTEGER).
	OnNote func(note string)
	// Progress, when set, hears how the walks at start are going.
	Progress func(ciscoresolve.Progress)
}

// staleCycles is after how many intervals without a new rate a row's last
// rate no longer ranks it (at least staleMin): a row whose counters stopped
// answering is not the backhaul's load any more.
const (
	staleCycles = 5
	staleMin    = 10 * time.Second
)

// Top is one router's top run. Use New, then Run (or Start and Cycle).
// It is used from one goroutine.
type Top struct {
	c    snmp.Client
	cfg  Config
	now  func() time.Time
	wait func(ctx context.Context, d time.Duration) error

	started  bool
	bits     int // the width of the columns scanned: 64 or 32
	columns  []string
	sessions *ciscoresolve.Sessions
	bras     bool // the router has subscriber sessions
	// agent is the rate state of a row that measured a rate lately: what
	// it learnt of the agent's counter refresh starts each new row.
	agent   *snmp.RateState
	entries map[int]*entry
	renew   map[int]ciscoresolve.Session // interfaces since found on a new session
	order   []*entry                     // rank's buffer, reused
	answers snmp.AnswerTimes             // how long the agent takes to answer a GETBULK
	cycle   int32
	noted   map[string]bool
}

// New returns a top run that reads through c.
func New(c snmp.Client, cfg Config) *Top {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = snmp.DefaultTimeout
	}
	t := &Top{c: c, cfg: cfg, now: cfg.Now, wait: ctxsleep.Sleep, entries: map[int]*entry{}, renew: map[int]ciscoresolve.Session{}, noted: map[string]bool{}}
	if t.now == nil {
		t.now = time.Now
	}
	return t
}

// Run makes cycles until ctx ends or Count cycles are done, sending each
// on out; it does not close out. A cycle starts Interval after the last
// one started, or at once when that one's walk took longer. It starts the
// run first when Start was not called. It returns nil when ctx ends and
// an error when the run cannot start; a cycle that fails on the way (the
// agent stops answering) is sent with its Err and its rows' gaps, and the
// next one tries again.
func (t *Top) Run(ctx context.Context, out chan<- ranking.Cycle) error {
	if err := t.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	next := t.now()
	for done := 0; t.cfg.Count <= 0 || done < t.cfg.Count; done++ {
		if t.wait(ctx, next.Sub(t.now())) != nil {
			return nil
		}
		start := t.now()
		c := t.Cycle(ctx)
		if ctx.Err() != nil {
			return nil
		}
		select {
		case out <- c:
		case <-ctx.Done():
			return nil
		}
		next = start.Add(t.cfg.Interval)
	}
	return nil
}

// note tells OnNote once.
func (t *Top) note(text string) {
	if t.noted[text] {
		return
	}
	t.noted[text] = true
	if t.cfg.OnNote != nil {
		t.cfg.OnNote(fmt.Sprintf("%s: %s", t.cfg.Router, text))
	}
}
