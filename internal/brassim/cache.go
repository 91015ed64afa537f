package brassim

import (
	"fmt"
	"time"
)

// CacheMode says when a simulator with a counter cache (Options.Cache)
// refreshes it.
type CacheMode int

const (
	// CacheOnRequest refreshes the counters when a request arrives Cache or
	// more after the last refresh, so every refresh happens at a request:
	// agents that reload a stale cache when asked behave this way.
	CacheOnRequest CacheMode = iota
	// CacheTimer refreshes the counters every Cache on the agent's own
	// clock, whatever the requests: net-snmp's interface table (reloaded
	// every 3 s), IOS-XR's statistics collector and switch firmware that
	// copies hardware counters every 5 to 60 s behave this way.
	CacheTimer
)

var cacheModeNames = [...]string{CacheOnRequest: "request", CacheTimer: "timer"}

// String returns the mode's name as `stg sim --cache-mode` takes it.
func (m CacheMode) String() string {
	if m >= 0 && int(m) < len(cacheModeNames) {
		return cacheModeNames[m]
	}
	return "unknown"
}

// ParseCacheMode returns the mode named s ("request" or "timer").
func ParseCacheMode(s string) (CacheMode, error) {
	for m, name := range cacheModeNames {
		if s == name {
			return CacheMode(m), nil
		}
	}
	return 0, fmt.Errorf("cache mode %q: want timer or request", s)
}

// TimerPhase returns where in its period a timer cache of the given period
// first refreshes, derived from seed: the same seed gives the same phase,
// different seeds spread it over the whole period.
func TimerPhase(seed uint64, period time.Duration) time.Duration {
	if period <= 0 {
		return 0
	}
	// splitmix64: consecutive seeds land far apart in the period.
	x := seed + 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return time.Duration(x % uint64(period))
}

// countersAt returns the time whose counters a request at now is served:
// now without a cache, else the last refresh. It runs with s.mu held.
func (s *Sim) countersAt(now time.Time) time.Time {
	period := s.opts.Cache
	switch {
	case period <= 0:
		return now
	case s.opts.CacheMode == CacheTimer:
		first := s.start.Add(s.opts.CachePhase % period)
		n := now.Sub(first) / period
		if now.Before(first) && now.Sub(first)%period != 0 {
			n-- // round towards the refresh before, also before the first
		}
		return first.Add(n * period)
	}
	if !s.cacheSet || now.Sub(s.cacheAt) >= period {
		s.cacheAt, s.cacheSet = now, true
	}
	return s.cacheAt
}
