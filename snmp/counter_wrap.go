package snmp

import "math"

// Tuning of the 32-bit wrap check on interfaces of unknown speed, explained
// in wrapCeiling.
const (
	// wrapHistoryFactor is how many times the recent peak rate an unwound
	// 32-bit delta may be and still count as a wrap.
	wrapHistoryFactor = 4
	// wrapHistoryLen is how many recent rates the peak is taken over.
	wrapHistoryLen = 8
)

// counterRange32 is the number of values of a 32-bit counter: a wrap adds
// it.
const counterRange32 = 1 << 32

// rateHistory keeps the most recent rates of one interface, in octets per
// second per direction: the evidence a 32-bit wrap is judged by when the
// link speed is unknown.
type rateHistory struct {
	in, out [wrapHistoryLen]float64
	n, next int
}

// add records the rate of one interval.
func (h *rateHistory) add(inOctets, outOctets uint64, secs float64) {
	h.in[h.next] = float64(inOctets) / secs
	h.out[h.next] = float64(outOctets) / secs
	h.next = (h.next + 1) % wrapHistoryLen
	h.n = min(h.n+1, wrapHistoryLen)
}

// peak returns the highest recent rate of a direction, 0 when none is known
// (h is nil).
func (h *rateHistory) peak(out bool) float64 {
	if h == nil {
		return 0
	}
	rates := h.in[:h.n]
	if out {
		rates = h.out[:h.n]
	}
	top := 0.0
	for _, r := range rates {
		top = max(top, r)
	}
	return top
}

// remember keeps the rate of the interval that ended at the poll r for
// wrapCeiling: only where it can be read, for 32-bit counters of an
// interface of unknown speed (a 64-bit counter never wraps, and a counter
// that changes kind is a discontinuity). The history is made at the first
// such rate: the rows of stg top that read 64-bit counters carry none.
func (s *RateState) remember(r poll, inOctets, outOctets uint64, secs float64) {
	if s.speedBps > 0 || (r.inKind != KindCounter32 && r.outKind != KindCounter32) {
		return
	}
	if s.history == nil {
		s.history = &rateHistory{}
	}
	s.history.add(inOctets, outOctets, secs)
}

// wrapCeiling returns the most octets a counter of one direction can
// plausibly have counted over secs seconds: the link speed with wrapMargin
// when the speed is known; else wrapHistoryFactor times the highest rate
// that direction carried over its recent intervals. It is 0 when nothing
// is known (no speed and no rate yet), and a decrease is then a reset.
//
// Without a speed the history is the only physical evidence. A wrap leaves
// an unwound delta in line with the recent rate (the counter was within one
// interval's traffic of the top), while a reset leaves the previous value
// anywhere in the counter's range, so its unwound delta is usually many
// times what the interface was carrying. Traffic that jumps more than
// wrapHistoryFactor-fold in the very interval the counter wraps is lost as
// a gap-reset: a lost interval, never a spike.
func (s *RateState) wrapCeiling(out bool, secs float64) float64 {
	if s.speedBps > 0 {
		return float64(s.speedBps) / 8 * secs * wrapMargin
	}
	return wrapHistoryFactor * s.history.peak(out) * secs
}

// unwrap32 returns the octets a 32-bit counter counted from prev to cur when
// cur < prev is a wrap, and false when it is a reset. It is a wrap when the
// unwound delta fits the ceiling of wrapCeiling. Without a speed, the
// counter must also not plausibly have gone round twice: when a second turn
// (another 2^32 octets) would fit the ceiling too, one turn is only a guess,
// and a guess is no rate.
func (s *RateState) unwrap32(prev, cur uint64, out bool, secs float64) (uint64, bool) {
	if prev > math.MaxUint32 {
		return 0, false
	}
	unwound := cur + counterRange32 - prev
	ceiling := s.wrapCeiling(out, secs)
	if float64(unwound) > ceiling {
		return 0, false
	}
	if s.speedBps == 0 && float64(unwound+counterRange32) <= ceiling {
		return 0, false
	}
	return unwound, true
}
