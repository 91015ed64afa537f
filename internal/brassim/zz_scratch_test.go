package brassim

import (
	"testing"
	"time"
)

func TestZZScratch(t *testing.T) {
	s, clock := newSim(t, Options{Seed: 1, Flap: 15 * time.Second, FlapShare: 0.05})
	for _, ss := range s.Sessions()[:1] {
		t.Logf("%+v", ss)
	}
	var pin, pout uint64
	pidx := 0
	for i := 0; i < 60; i++ {
		clock.Add(time.Second)
		idx, name, _ := s.Lookup(UserMine)
		in, out, _ := s.Truth(UserMine)
		sess := s.sessionsByUser()[UserMine]
		e := clock.Now().Sub(sess.Up)
		r1, r2 := sess.Shape.Rates(e)
		if idx == pidx {
			t.Logf("t=%2d idx=%d %s elapsed=%v rates=%d/%d delta=%d/%d", i+1, idx, name, e, r1, r2, in-pin, out-pout)
		} else {
			t.Logf("t=%2d idx=%d %s elapsed=%v NEW in=%d out=%d", i+1, idx, name, e, in, out)
		}
		pin, pout, pidx = in, out, idx
	}
}
