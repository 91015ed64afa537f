package brassim

import (
	"testing"
	"time"
)

// TestFlapKeepsTrafficPattern is the regression test of the "spike" seen
// following MyUserName across `stg sim --flap 15s`: every reconnected
// session restarted its traffic pattern, so MyUserName's burst (31 s
// period, 7.75 s on, with seed 1) began 13.6 s into each session and the
// flap cut it 1.4 s later, one bursty row before every reconnect. A
// subscriber's traffic is the subscriber's, not the session's: second by
// second, every flapping user must carry the same traffic as in a twin
// router that never flaps, only counted from zero on each new session.
func TestFlapKeepsTrafficPattern(t *testing.T) {
	tests := []struct {
		name string
		o    Options
	}{
		{"seed 1 flap 15s as stg sim", Options{Seed: 1, Flap: 15 * time.Second, FlapShare: 0.05}},
		{"every shape flaps", Options{Sessions: 8, Seed: 3, Flap: 7 * time.Second, FlapShare: 1}},
		{"offline between sessions", Options{Sessions: 8, Seed: 4, Flap: 11 * time.Second, FlapShare: 1, FlapDown: 3 * time.Second}},
		{"interfaces reused", Options{Sessions: 8, Seed: 5, Flap: 13 * time.Second, FlapShare: 0.5, ReuseInterfaces: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flapping, clock := newSim(t, tt.o)
			never := tt.o
			never.Flap = 0
			twin, twinClock := newSim(t, never)
			type reading struct {
				up              time.Time
				in, out         uint64
				twinIn, twinOut uint64
			}
			last := map[string]reading{}
			failed := map[string]bool{}
			compared, reconnects := 0, 0
			for step := 1; step <= 100; step++ {
				clock.Add(time.Second)
				twinClock.Add(time.Second)
				for user, sess := range flapping.sessionsByUser() {
					var r reading
					r.up = sess.Up
					r.in, r.out, _ = flapping.Truth(user)
					r.twinIn, r.twinOut, _ = twin.Truth(user)
					prev, seen := last[user]
					last[user] = r
					switch {
					case !seen:
						continue
					case !prev.up.Equal(r.up):
						reconnects++
						continue
					}
					compared++
					// Octets counts whole milliseconds since each session
					// came up, so either end of the second may sit 1 ms
					// apart in the two routers' patterns.
					sh := sess.Shape
					inOK := within(r.in-prev.in, r.twinIn-prev.twinIn, 2*(sh.InHigh-sh.InLow)/1000+2)
					outOK := within(r.out-prev.out, r.twinOut-prev.twinOut, 2*(sh.OutHigh-sh.OutLow)/1000+2)
					if (!inOK || !outOK) && !failed[user] {
						failed[user] = true // its first wrong second says enough
						t.Errorf("second %d, %s (%s): in %d out %d octets, in the router that never flaps %d and %d",
							step, user, sh.Kind, r.in-prev.in, r.out-prev.out, r.twinIn-prev.twinIn, r.twinOut-prev.twinOut)
					}
				}
			}
			if reconnects < 3 || compared == 0 {
				t.Fatalf("%d reconnects and %d compared seconds: the test saw too few flaps", reconnects, compared)
			}
		})
	}
}

// within reports whether two octet counts differ by at most tolerance.
func within(got, want, tolerance uint64) bool {
	return max(got, want)-min(got, want) <= tolerance
}

// TestShapeContinued checks the shape a reconnected session gets: at every
// moment of the new session it is where the old pattern would have been.
func TestShapeContinued(t *testing.T) {
	square := Shape{InLow: 10, InHigh: 100, OutLow: 1, OutHigh: 1000, Period: 10 * time.Second, On: 3 * time.Second, Phase: 4 * time.Second}
	tests := []struct {
		name  string
		shape Shape
		after time.Duration
	}{
		{"steady", Shape{InLow: 5, OutLow: 7}, 17 * time.Second},
		{"within the period", square, 2500 * time.Millisecond},
		{"phase wraps", square, 7 * time.Second},
		{"many periods", square, 3*time.Hour + 123*time.Millisecond},
		{"long phase", Shape{InLow: 1, InHigh: 2, Period: 31 * time.Second, On: 7750 * time.Millisecond, Phase: 95 * time.Second}, 15 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := tt.shape.continued(tt.after)
			if next.Period > 0 && (next.Phase < 0 || next.Phase >= next.Period) {
				t.Errorf("phase %v outside [0, %v)", next.Phase, next.Period)
			}
			for e := time.Duration(0); e < 2*tt.shape.Period+time.Second; e += 250 * time.Millisecond {
				gotIn, gotOut := next.Rates(e)
				wantIn, wantOut := tt.shape.Rates(tt.after + e)
				if gotIn != wantIn || gotOut != wantOut {
					t.Errorf("%v into the new session: rates %d/%d, the old pattern %d/%d", e, gotIn, gotOut, wantIn, wantOut)
				}
			}
		})
	}
}
