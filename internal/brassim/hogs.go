package brassim

import "fmt"

// MaxHogs is the most backhaul hogs a simulator models.
const MaxHogs = 20

// Hog is a subscriber of the hogs scenario (Options.Hogs): one of a few
// sessions that fill the backhaul at a steady, known rate among the quiet
// others. Rates are in bits per second.
type Hog struct {
	User          string
	InBps, OutBps float64
}

// Hog rates: the DNS-amplification victim receives the most; the others
// step down to hogFloor, twice the busiest ordinary subscriber's peak (a
// bursty download of 96 Mb/s), so the hogs always rank first.
const (
	victimOutBps = 800e6
	victimInBps  = 1.2e6
	hogFloor     = 200e6
	hogInShare   = 0.03 // a hog's upstream: acknowledgements, requests
)

// Hogs returns the hogs of the simulator, the largest first (the
// DNS-amplification victim), with their exact rates; none without
// Options.Hogs.
func (s *Sim) Hogs() []Hog {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Hog, len(s.hogs))
	for k, user := range s.hogs {
		in, outOctets := hogOctets(k, len(s.hogs))
		out[k] = Hog{User: user, InBps: float64(8 * in), OutBps: float64(8 * outOctets)}
	}
	return out
}

// checkHogs checks Options.Hogs against the number of sessions: the
// victim is the fourth session, and every hog needs one of its own.
func checkHogs(o Options) error {
	switch {
	case o.Hogs < 0 || o.Hogs > MaxHogs:
		return fmt.Errorf("simulate %d backhaul hogs: want 0 to %d", o.Hogs, MaxHogs)
	case o.Hogs > 0 && o.Sessions < o.Hogs+fixedUsers:
		return fmt.Errorf("simulate %d backhaul hogs among %d sessions: want at least %d sessions", o.Hogs, o.Sessions, o.Hogs+fixedUsers)
	}
	return nil
}

// fixedUsers is how many well-known subscribers come before the
// generated ones (MyUserName, anna, the LNS user and the victim).
const fixedUsers = 4

// hogOctets returns the rates of hog k of n, in whole octets per second.
func hogOctets(k, n int) (in, out uint64) {
	if k == 0 {
		return victimInBps / 8, victimOutBps / 8
	}
	// The others from below the victim down to the floor.
	top := victimOutBps * 0.75
	bps := top - (top-hogFloor)*float64(k-1)/float64(max(n-2, 1))
	return uint64(bps * hogInShare / 8), uint64(bps / 8)
}

// makeHogs turns the victim and Options.Hogs-1 generated subscribers,
// spread over the table, into hogs with steady rates. Callers hold s.mu
// or own s.
func (s *Sim) makeHogs() {
	n := s.opts.Hogs
	if n == 0 {
		return
	}
	spread := (len(s.sessions) - fixedUsers) / n
	for k := 0; k < n; k++ {
		i := fixedUsers - 1 // the victim
		if k > 0 {
			i = fixedUsers + k*spread - 1
		}
		in, out := hogOctets(k, n)
		kind := Steady
		if k == 0 {
			kind = DNSVictim
		}
		ss := s.sessions[i]
		ss.vi.shape = Shape{Kind: kind, InLow: in, InHigh: in, OutLow: out, OutHigh: out}
		s.hogs = append(s.hogs, ss.user)
	}
}
