package brassim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"time"
)

// iface is one interface of the simulated router. Its counters are
// base + shape.Octets(now - epoch); they are never stored.
type iface struct {
	index    uint32 // ifIndex (allocated even when kept out of IF-MIB)
	descr    string // full name: Virtual-Access1.195
	name     string // short name: Vi1.195
	ifType   int
	speedBps uint64
	alias    string
	shape    Shape
	epoch    time.Time
	baseIn   uint64
	baseOut  uint64
	discTick uint32 // sysUpTime at the last counter discontinuity
	sess     *session
}

// counters returns the 64-bit octet counters of the interface at t.
func (f *iface) counters(t time.Time) (in, out uint64) {
	in, out = f.shape.Octets(t.Sub(f.epoch))
	return f.baseIn + in, f.baseOut + out
}

// session is one PPP subscriber session.
type session struct {
	acctID uint32
	user   string
	addr   netip.Addr
	mode   string
	flaps  bool // reconnects on every automatic flap
	vi     *iface
}

// snapshot is an immutable view of the router's tables, replaced as a whole
// whenever sessions change so that requests never take a lock while they
// walk it. The index slices are sorted and parallel to the row slices.
type snapshot struct {
	ifIdx   []uint32
	ifs     []*iface
	sessIdx []uint32
	sess    []*session
	subIdx  []uint32
	subs    []*iface
}

// firstNames, lastNames and companies seed the generated usernames.
var (
	firstNames = []string{"anna", "marco", "giulia", "luca", "sofia", "paolo", "chiara", "andrea",
		"elena", "davide", "sara", "matteo", "laura", "simone", "marta", "giovanni", "francesca",
		"pietro", "alice", "stefano", "hans", "maria", "jan", "eva", "peter", "julia", "tomas", "nina"}
	lastNames = []string{"rossi", "bianchi", "romano", "colombo", "ricci", "marino", "greco", "bruno",
		"gallo", "conti", "deluca", "mancini", "costa", "giordano", "rizzo", "lombardi", "moretti",
		"muller", "schmidt", "novak", "horvat", "kowalski", "fischer", "weber"}
	companies = []string{"acme", "studio-legale", "pizzeria", "hotel-bellavista", "farmacia",
		"officina", "dentist", "b-and-b", "architetti", "ferramenta"}
)

// Well-known subscribers that every simulator has (when it has that many
// sessions). MyUserName is always there.
const (
	UserMine   = "MyUserName"
	UserAnna   = "anna.rossi@isp.example"
	UserLNS    = "lns-user@wholesale"
	UserVictim = "smallbiz-gw@biz.example"
)

// newModel builds the initial sessions of the simulator from its options.
func (s *Sim) newModel() {
	rng := rand.New(rand.NewPCG(s.opts.Seed, 0x5eed))
	s.phys = physicalInterfaces(s.start)
	s.nextIfIndex = 64
	s.nextAcct = 0x1000
	s.viNext = map[int]int{}
	s.byUser = make(map[string]*session, s.opts.Sessions)
	s.nameSuffix = map[string]int{}
	s.sessions = make([]*session, 0, s.opts.Sessions)
	fixed := []struct {
		user  string
		mode  string
		shape ShapeKind
	}{
		{UserMine, "PPPoATM", Bursty},
		{UserAnna, "PPPoE", Video},
		{UserLNS, "PPPoVPDN", Steady},
		{UserVictim, "PPPoE", DNSVictim},
	}
	flapEvery := max(1, int(1/max(s.opts.FlapShare, 1e-9)))
	for i := 0; i < s.opts.Sessions; i++ {
		var user, mode string
		var kind ShapeKind
		if i < len(fixed) {
			user, mode, kind = fixed[i].user, fixed[i].mode, fixed[i].shape
		} else {
			user, mode = s.uniqueName(rng)
			kind = randomShape(rng)
		}
		age := time.Duration(rng.Int64N(int64(6 * time.Hour)))
		ss := s.connect(user, mode, makeShape(kind, rng), s.start.Add(-age), 0)
		ss.flaps = i == 0 || (s.opts.FlapShare > 0 && i%flapEvery == 0)
		s.sessions = append(s.sessions, ss)
	}
	s.makeHogs()
	s.rebuild()
}

// uniqueName invents a username that is not taken yet: a taken name gets a
// number appended to its local part.
func (s *Sim) uniqueName(rng *rand.Rand) (user, mode string) {
	first := firstNames[rng.IntN(len(firstNames))]
	last := lastNames[rng.IntN(len(lastNames))]
	local, domain, mode := first+"."+last, "@isp.example", "PPPoE"
	switch r := rng.IntN(100); {
	case r < 50:
	case r < 65:
		local, domain = fmt.Sprintf("%s%s%d", first[:1], last, rng.IntN(1000)), ""
	case r < 75:
		local, domain, mode = fmt.Sprintf("lns-%05d", rng.IntN(100000)), "@wholesale", "PPPoVPDN"
	case r < 85:
		local, domain = fmt.Sprintf("%s-%d", companies[rng.IntN(len(companies))], rng.IntN(1000)), "@biz.example"
	default:
		local, domain, mode = fmt.Sprintf("0%09d", rng.IntN(1_000_000_000)), "@adsl.example", "PPPoATM"
	}
	user = local + domain
	for {
		if _, taken := s.byUser[user]; !taken {
			return user, mode
		}
		s.nameSuffix[local+domain]++
		user = local + strconv.Itoa(s.nameSuffix[local+domain]+1) + domain
	}
}

// randomShape picks the traffic pattern of an ordinary subscriber.
func randomShape(rng *rand.Rand) ShapeKind {
	switch r := rng.IntN(100); {
	case r < 40:
		return Idle
	case r < 65:
		return Steady
	case r < 85:
		return Bursty
	default:
		return Video
	}
}

// makeShape draws the parameters of a pattern (rates in octets per second).
func makeShape(kind ShapeKind, rng *rand.Rand) Shape {
	between := func(lo, hi uint64) uint64 { return lo + rng.Uint64N(hi-lo+1) }
	sec := func(lo, hi int64) time.Duration { return time.Duration(lo+rng.Int64N(hi-lo+1)) * time.Second }
	switch kind {
	case Steady:
		in, out := between(20_000, 200_000), between(500_000, 3_000_000)
		return Shape{Kind: kind, InLow: in, InHigh: in, OutLow: out, OutHigh: out}
	case Bursty:
		period := sec(20, 60)
		return Shape{Kind: kind, InLow: between(2_000, 8_000), InHigh: between(100_000, 300_000),
			OutLow: between(10_000, 40_000), OutHigh: between(5_000_000, 12_000_000),
			Period: period, On: period / 4, Phase: time.Duration(rng.Int64N(int64(period)))}
	case Video:
		return Shape{Kind: kind, InLow: between(5_000, 15_000), InHigh: between(20_000, 40_000),
			OutLow: between(20_000, 80_000), OutHigh: between(1_000_000, 2_500_000),
			Period: 4 * time.Second, On: 2 * time.Second, Phase: time.Duration(rng.Int64N(4000)) * time.Millisecond}
	case DNSVictim:
		return Shape{Kind: kind, InLow: 12_000, InHigh: 18_000, OutLow: 70_000_000, OutHigh: 110_000_000,
			Period: 10 * time.Second, On: 7 * time.Second}
	default:
		in, out := between(40, 200), between(60, 400)
		return Shape{Kind: Idle, InLow: in, InHigh: in, OutLow: out, OutHigh: out}
	}
}

// physicalInterfaces returns the fixed interfaces of the router. The
// uplink's counters start just below 2^32, so its Counter32 columns wrap
// within seconds of start-up.
func physicalInterfaces(start time.Time) []*iface {
	link := func(in, out uint64) Shape {
		return Shape{Kind: Link, InLow: in, InHigh: in, OutLow: out, OutHigh: out}
	}
	const near32 = 1<<32 - 2_000_000_000
	return []*iface{
		{index: 1, descr: "TenGigabitEthernet0/0/0", name: "Te0/0/0", ifType: 6, speedBps: 10_000_000_000,
			alias: "uplink to core1", shape: link(400_000_000, 60_000_000), epoch: start, baseIn: near32, baseOut: near32},
		{index: 2, descr: "TenGigabitEthernet0/1/0", name: "Te0/1/0", ifType: 6, speedBps: 10_000_000_000,
			alias: "access aggregation", shape: link(60_000_000, 400_000_000), epoch: start.Add(-40 * 24 * time.Hour)},
		{index: 3, descr: "GigabitEthernet0", name: "Gi0", ifType: 6, speedBps: 1_000_000_000,
			alias: "mgmt", shape: link(2_000, 5_000), epoch: start.Add(-40 * 24 * time.Hour)},
		{index: 4, descr: "Null0", name: "Nu0", ifType: 1, speedBps: 10_000_000_000, epoch: start},
		{index: 5, descr: "Loopback0", name: "Lo0", ifType: 24, speedBps: 8_000_000_000, epoch: start},
		{index: 6, descr: "Virtual-Template1", name: "Vt1", ifType: 23, speedBps: 100_000_000, epoch: start},
	}
}

// connect creates a session and its Virtual-Access interface: the one freed
// last when ReuseInterfaces is set and one is free, otherwise a new one
// numbered after every earlier one. It does not publish the session:
// callers rebuild the snapshot.
func (s *Sim) connect(user, mode string, shape Shape, up time.Time, discTick uint32) *session {
	vi := &iface{ifType: 23, speedBps: 1_000_000_000, shape: shape, epoch: up, discTick: discTick}
	if n := len(s.freeVi); s.opts.ReuseInterfaces && n > 0 {
		f := s.freeVi[n-1]
		s.freeVi = s.freeVi[:n-1]
		vi.index, vi.descr, vi.name = f.index, f.descr, f.name
	} else {
		major := 1 + int(s.nextAcct-0x1000)%4
		if mode == "PPPoVPDN" {
			major = 5
		}
		s.viNext[major]++
		vi.index = s.nextIfIndex
		vi.descr = fmt.Sprintf("Virtual-Access%d.%d", major, s.viNext[major])
		vi.name = fmt.Sprintf("Vi%d.%d", major, s.viNext[major])
		s.nextIfIndex++
	}
	n := s.nextAcct
	ss := &session{
		acctID: n, user: user, mode: mode, vi: vi,
		addr: netip.AddrFrom4([4]byte{100, 64 + byte(n>>16&0x3f), byte(n >> 8), byte(n)}),
	}
	if s.opts.AliasUsers {
		vi.alias = user
	}
	vi.sess = ss
	s.nextAcct++
	s.byUser[user] = ss
	return ss
}

// rebuild publishes a new snapshot of s.sessions. Sessions are kept in
// creation order, which is accounting-id order and, unless interfaces are
// reused, ifIndex order.
func (s *Sim) rebuild() {
	n := len(s.sessions)
	snap := &snapshot{sessIdx: make([]uint32, 0, n), sess: make([]*session, 0, n)}
	for _, f := range s.phys {
		snap.ifIdx = append(snap.ifIdx, f.index)
		snap.ifs = append(snap.ifs, f)
	}
	if !s.opts.NoVirtualTemplateSNMP {
		snap.subIdx = make([]uint32, 0, n)
		snap.subs = make([]*iface, 0, n)
	}
	for _, ss := range s.sessions {
		snap.sessIdx = append(snap.sessIdx, ss.acctID)
		snap.sess = append(snap.sess, ss)
		if !s.opts.NoVirtualTemplateSNMP {
			snap.subs = append(snap.subs, ss.vi)
		}
	}
	if s.opts.ReuseInterfaces {
		slices.SortFunc(snap.subs, func(a, b *iface) int { return cmp.Compare(a.index, b.index) })
	}
	for _, f := range snap.subs {
		snap.ifIdx = append(snap.ifIdx, f.index)
		snap.ifs = append(snap.ifs, f)
		snap.subIdx = append(snap.subIdx, f.index)
	}
	s.snap.Store(snap)
}

// viName is a freed Virtual-Access that ReuseInterfaces hands out again.
type viName struct {
	index       uint32
	descr, name string
}

// offline is a dropped session waiting to come back.
type offline struct {
	old    *session
	backAt time.Time
}

// reconnect drops the sessions in drop at t. Each comes back FlapDown later
// (at once when FlapDown is 0) on a new Virtual-Access with a new ifIndex
// and fresh counters; its traffic pattern runs on in wall-clock time.
// Callers hold s.mu.
func (s *Sim) reconnect(drop map[*session]bool, t time.Time) {
	if len(drop) == 0 {
		return
	}
	kept := s.sessions[:0]
	for _, ss := range s.sessions {
		if drop[ss] {
			delete(s.byUser, ss.user)
			if s.opts.ReuseInterfaces { // otherwise nothing takes them back: the list would grow forever
				s.freeVi = append(s.freeVi, viName{index: ss.vi.index, descr: ss.vi.descr, name: ss.vi.name})
			}
			s.down = append(s.down, offline{old: ss, backAt: t.Add(s.opts.FlapDown)})
			continue
		}
		kept = append(kept, ss)
	}
	s.sessions = kept
	s.comeBack(t)
	s.rebuild()
}

// comeBack reconnects the offline sessions due by t, in order. Callers hold
// s.mu and rebuild the snapshot.
func (s *Sim) comeBack(t time.Time) {
	n := 0
	for ; n < len(s.down) && !s.down[n].backAt.After(t); n++ {
		d := s.down[n]
		// The subscriber's traffic goes on where it was in its pattern:
		// restarting the pattern with every session would put the same
		// moment of it (a burst's onset, say) at the same offset in each.
		shape := d.old.vi.shape.continued(d.backAt.Sub(d.old.vi.epoch))
		ss := s.connect(d.old.user, d.old.mode, shape, d.backAt, s.ticksAt(d.backAt))
		ss.flaps = d.old.flaps
		s.sessions = append(s.sessions, ss)
	}
	s.down = s.down[n:]
}

// advance runs the flaps and returns from offline that are due at now, in
// time order. Callers hold s.mu.
func (s *Sim) advance(now time.Time) {
	for {
		flapDue := s.opts.Flap > 0 && !now.Before(s.nextFlap)
		if len(s.down) > 0 && !s.down[0].backAt.After(now) && (!flapDue || s.down[0].backAt.Before(s.nextFlap)) {
			s.comeBack(s.down[0].backAt)
			s.rebuild()
			continue
		}
		if !flapDue {
			return
		}
		drop := map[*session]bool{}
		for _, ss := range s.sessions {
			if ss.flaps {
				drop[ss] = true
			}
		}
		s.reconnect(drop, s.nextFlap)
		s.nextFlap = s.nextFlap.Add(s.opts.Flap)
	}
}

// ticksAt returns sysUpTime at t in hundredths of a second (mod 2^32).
func (s *Sim) ticksAt(t time.Time) uint32 {
	return uint32(max(t.Sub(s.start), 0) / (10 * time.Millisecond))
}
