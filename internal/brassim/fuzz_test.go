package brassim

import (
	"testing"

	"github.com/gosnmp/gosnmp"
)

// FuzzRequest feeds arbitrary datagrams to the agent's v1/v2c and v3
// request handlers: they must answer or drop, never panic or hang.
func FuzzRequest(f *testing.F) {
	s, err := New(Options{Sessions: 20, V3: &testV3, Now: newClock().Now})
	if err != nil {
		f.Fatal(err)
	}
	m := newMIB(s.opts)
	dec := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Logger: quietLogger}
	for _, p := range []*gosnmp.SnmpPacket{
		{Version: gosnmp.Version2c, Community: "public", PDUType: gosnmp.GetRequest, RequestID: 7,
			Variables: []gosnmp.SnmpPDU{{Name: ".1.3.6.1.2.1.1.3.0", Type: gosnmp.Null}}},
		{Version: gosnmp.Version2c, Community: "public", PDUType: gosnmp.GetBulkRequest, RequestID: 8, MaxRepetitions: 20,
			Variables: []gosnmp.SnmpPDU{{Name: ".1.3.6.1.2.1.31", Type: gosnmp.Null}}},
		{Version: gosnmp.Version1, Community: "public", PDUType: gosnmp.GetNextRequest, RequestID: 9,
			Variables: []gosnmp.SnmpPDU{{Name: ".1.3.6.1.2.1.31.1.1.1.1.70", Type: gosnmp.Null}}},
	} {
		p.Logger = quietLogger
		b, err := p.MarshalMsg()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// An SNMPv3 discovery probe as net-snmp sends it.
	f.Add([]byte("0>\x02\x01\x030\x11\x02\x04\x1a\xb3\x8c\x92\x02\x03\x00\xff\xe3\x04\x01\x04\x02\x01\x03\x04\x100\x0e\x04\x00\x02\x01\x00\x02\x01\x00\x04\x00\x04\x00\x04\x000\x14\x04\x00\x04\x00\xa0\x0e\x02\x04.\xa6\xa7x\x02\x01\x00\x02\x01\x000\x00"))
	process := func(p *gosnmp.SnmpPacket, budget int) *gosnmp.SnmpPacket { return s.process(m, p, budget) }
	f.Fuzz(func(t *testing.T, req []byte) {
		if v, ok := peekVersion(req); ok && v == gosnmp.Version3 {
			s.usm.handle(append([]byte(nil), req...), process, s.now)
			return
		}
		s.handleCommunity(dec, m, append([]byte(nil), req...))
	})
}
