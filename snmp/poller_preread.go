package snmp

import (
	"context"
	"time"
)

// preReadGap returns how long after the pre-read the first poll comes: long
// enough for busy counters to move (agents count by the millisecond or
// more coarsely), short enough not to hold the first row back.
func preReadGap(interval time.Duration) time.Duration {
	return min(interval/10, 100*time.Millisecond)
}

// preRead reads every target's counters once, shortly before the first poll,
// and gives them to the targets' rate states (RateState.Prime); no Sample
// is sent. A failed read is no harm: the first poll is then a plain
// baseline. It returns false when ctx ended.
func (p *Poller) preRead(ctx context.Context) bool {
	p.mu.Lock()
	oids := []string{OIDSysUpTime}
	var batch []polled
	for _, pt := range p.targets {
		if !pt.offline {
			batch = append(batch, polled{pt: pt, first: len(oids)})
			oids = append(oids, pt.oids[oidIn], pt.oids[oidOut])
		}
	}
	p.mu.Unlock()
	if len(batch) == 0 {
		return true
	}
	send := p.now()
	pctx, cancel := context.WithTimeout(ctx, p.timeout)
	vars, err := p.client.Get(pctx, oids)
	cancel()
	if ctx.Err() != nil {
		return false
	}
	if err != nil || len(vars) != len(oids) {
		return true
	}
	rtt := p.now().Sub(send)
	r := Reading{Time: send.Add(rtt / 2), RTT: rtt}
	if vars[0].Kind == KindTimeTicks {
		r.UpTimeTicks, r.HasUpTime = vars[0].Uint, true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, b := range batch {
		in, out := vars[b.first], vars[b.first+1]
		r.InOctets, r.OutOctets, r.InKind, r.OutKind = in.Uint, out.Uint, in.Kind, out.Kind
		b.pt.state.Prime(r)
	}
	return true
}
