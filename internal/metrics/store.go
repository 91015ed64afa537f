// Package metrics serves stg's samples to Prometheus (README.md, "When one
// box is not enough"): a Store keeps the latest sample of every polled
// target and the top rows of every `stg top` cycle, and is the
// prometheus.Collector a scrape reads, so that a scrape never waits for
// SNMP. It exposes the octet counters under snmp_exporter's names and
// labels (ifHCInOctets, ifInOctets, ... with ifIndex, ifName, ifDescr and
// ifAlias, plus router and user), 32-bit ones counted past the wraps stg
// measured; stg's rates as gauges in bytes per second, present only while
// a rate is known; and the health of each router and target. Server is
// the HTTP endpoint.
package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/session"
)

// Store holds what a scrape shows: per router, the latest sample of each
// polled target and the top rows of the latest `stg top` cycle. It is
// safe for concurrent use; Collect reads it under its lock and never
// waits for anything else.
type Store struct {
	mu      sync.Mutex
	routers map[string]*routerState
	build   BuildInfo
}

// routerState is one router's part of the store.
type routerState struct {
	targets map[string]*targetState
	top     *topState
	// up is whether the router's latest poll or cycle was answered;
	// known is false until one was made.
	up, known     bool
	startFailures uint64
}

// targetState is one polled target: its latest sample and its health.
type targetState struct {
	last            sample.Sample
	seen            bool
	in, out         counter
	inRaw, outRaw   uint64 // the counters as shown (see counter)
	polls, timeouts uint64
	lastOK          time.Time
	rtt             time.Duration
}

// NewStore returns an empty store whose stg_build_info shows build.
func NewStore(build BuildInfo) *Store {
	return &Store{routers: map[string]*routerState{}, build: build}
}

// router returns the state of name, made when missing. The caller holds
// s.mu.
func (s *Store) router(name string) *routerState {
	r := s.routers[name]
	if r == nil {
		r = &routerState{targets: map[string]*targetState{}}
		s.routers[name] = r
	}
	return r
}

// Record takes one sample: the latest of its target.
func (s *Store) Record(smp sample.Sample) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.router(smp.Router)
	t := r.targets[smp.Target]
	if t == nil {
		t = &targetState{}
		r.targets[smp.Target] = t
	}
	t.last, t.seen = smp, true
	if smp.Status != sample.StatusOffline {
		t.polls++
	}
	switch {
	case smp.Status == sample.StatusGapTimeout:
		t.timeouts++
		r.up, r.known = false, true
	case smp.HasOctets:
		t.lastOK, t.rtt = smp.Time, smp.RTT
		t.inRaw = t.in.next(smp.InOctets, smp.CounterBits, smp.Status)
		t.outRaw = t.out.next(smp.OutOctets, smp.CounterBits, smp.Status)
		r.up, r.known = true, true
	}
}

// StartFailed notes that a run on router could not start: down when the
// agent did not answer (the router is down until a poll is answered),
// else for another reason (a target not found), which says nothing of the
// router.
func (s *Store) StartFailed(router string, down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.router(router)
	if down {
		r.up, r.known = false, true
	}
	r.startFailures++
}

// Drop removes targets of router and their series: a run that ended.
func (s *Store) Drop(router string, targets []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.routers[router]; r != nil {
		for _, name := range targets {
			delete(r.targets, name)
		}
	}
}

// DropTop removes router's top rows and their series: a top run that
// ended.
func (s *Store) DropTop(router string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.routers[router]; r != nil {
		r.top = nil
	}
}

// Forget removes router and all its series: a router taken out of the
// configuration.
func (s *Store) Forget(router string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.routers, router)
}

// Consumer returns a session.Consumer that records one run's samples in
// s; when the run ends, its targets' series go.
func (s *Store) Consumer() session.Consumer { return &consumer{s: s} }

// consumer is one run's session.Consumer.
type consumer struct {
	s    *Store
	info session.Info
}

// Start implements session.Consumer.
func (c *consumer) Start(info session.Info) error {
	c.info = info
	return nil
}

// Consume implements session.Consumer.
func (c *consumer) Consume(_ context.Context, in <-chan sample.Sample) error {
	defer c.s.Drop(c.info.Router, c.info.Targets)
	for smp := range in {
		c.s.Record(smp)
	}
	return nil
}
