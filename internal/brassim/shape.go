package brassim

import "time"

// ShapeKind names a subscriber traffic pattern.
type ShapeKind int

// The traffic patterns of the simulated subscribers.
const (
	// Idle carries keepalives only: a few hundred octets per second.
	Idle ShapeKind = iota
	// Steady carries a constant rate in both directions.
	Steady
	// Bursty alternates long quiet spells with large downloads.
	Bursty
	// Video fetches a segment every few seconds: a square wave downstream.
	Video
	// DNSVictim is the target of a DNS amplification attack: a small
	// upstream and a huge downstream that wraps Counter32 within a minute.
	DNSVictim
	// Link is the traffic of a physical interface (uplink, access side).
	Link
)

var shapeNames = [...]string{
	Idle:      "idle",
	Steady:    "steady",
	Bursty:    "bursty",
	Video:     "video",
	DNSVictim: "dns-amplification-victim",
	Link:      "link",
}

// String returns the lower-case name of the shape.
func (k ShapeKind) String() string {
	if k >= 0 && int(k) < len(shapeNames) {
		return shapeNames[k]
	}
	return "unknown"
}

// Shape is a deterministic traffic pattern: a square wave per direction.
// During the first On of every Period (shifted by Phase) the interface
// carries the High rates, the rest of the period the Low rates. Rates are in
// octets per second; In is from the subscriber (upstream), Out towards it.
// A Period of zero means the Low rates all the time.
type Shape struct {
	Kind              ShapeKind
	InLow, InHigh     uint64
	OutLow, OutHigh   uint64
	Period, On, Phase time.Duration
}

// Octets returns the octets counted in each direction after the interface
// has been up for elapsed. It is exact, monotonic and has a resolution of one
// millisecond; a negative elapsed counts as zero.
func (s Shape) Octets(elapsed time.Duration) (in, out uint64) {
	ms := uint64(max(elapsed.Milliseconds(), 0))
	on := s.onMillis(ms)
	in = (s.InLow*(ms-on) + s.InHigh*on) / 1000
	out = (s.OutLow*(ms-on) + s.OutHigh*on) / 1000
	return in, out
}

// Rates returns the rates (octets per second) in force after elapsed.
func (s Shape) Rates(elapsed time.Duration) (in, out uint64) {
	if s.Period <= 0 {
		return s.InLow, s.OutLow
	}
	pos := (elapsed + s.Phase) % s.Period
	if pos < 0 {
		pos += s.Period
	}
	if pos < s.On {
		return s.InHigh, s.OutHigh
	}
	return s.InLow, s.OutLow
}

// continued returns the shape of a new session of the same subscriber that
// comes up d after this one: the same pattern, its phase moved on by d, so
// the subscriber's traffic keeps its rhythm across a reconnect instead of
// starting the period over with every session.
func (s Shape) continued(d time.Duration) Shape {
	if s.Period <= 0 {
		return s
	}
	s.Phase = (s.Phase%s.Period + d%s.Period) % s.Period
	if s.Phase < 0 {
		s.Phase += s.Period
	}
	return s
}

// onMillis returns how many of the first ms milliseconds run at the high rate.
func (s Shape) onMillis(ms uint64) uint64 {
	period, on := uint64(s.Period.Milliseconds()), uint64(s.On.Milliseconds())
	if period == 0 || on == 0 {
		return 0
	}
	on = min(on, period)
	phase := uint64(s.Phase.Milliseconds()) % period
	f := func(x uint64) uint64 { return x/period*on + min(x%period, on) }
	return f(ms+phase) - f(phase)
}
