package brassim

import (
	"math"

	"github.com/gosnmp/gosnmp"
)

// adder registers one MIB object.
type adder func(oid string, t tableKind, value func(v *view, i int) gosnmp.SnmpPDU) *column

func octets(s string) gosnmp.SnmpPDU {
	return gosnmp.SnmpPDU{Type: gosnmp.OctetString, Value: []byte(s)}
}
func integer(n int) gosnmp.SnmpPDU  { return gosnmp.SnmpPDU{Type: gosnmp.Integer, Value: n} }
func gauge(n uint32) gosnmp.SnmpPDU { return gosnmp.SnmpPDU{Type: gosnmp.Gauge32, Value: n} }
func ticks(n uint32) gosnmp.SnmpPDU { return gosnmp.SnmpPDU{Type: gosnmp.TimeTicks, Value: n} }

// sysDescr is what `show version` would start with, marked as simulated.
const sysDescr = "Cisco IOS Software [Dublin], ASR1000 Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), " +
	"Version 17.12.4, RELEASE SOFTWARE (fc1)\r\nTechnical Support: http://www.cisco.com/techsupport\r\n" +
	"Simulated by stg brassim"

// addSystem registers the system group and ifNumber.
func addSystem(o Options, add adder) {
	add("1.3.6.1.2.1.1.1", scalar, func(*view, int) gosnmp.SnmpPDU { return octets(sysDescr) })
	add("1.3.6.1.2.1.1.2", scalar, func(*view, int) gosnmp.SnmpPDU {
		return gosnmp.SnmpPDU{Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.4.1.9.1.1861"}
	})
	add("1.3.6.1.2.1.1.3", scalar, func(v *view, _ int) gosnmp.SnmpPDU { return ticks(v.uptime) })
	add("1.3.6.1.2.1.1.4", scalar, func(*view, int) gosnmp.SnmpPDU { return octets("noc@isp.example") })
	host := o.Hostname
	add("1.3.6.1.2.1.1.5", scalar, func(*view, int) gosnmp.SnmpPDU { return octets(host) })
	add("1.3.6.1.2.1.1.6", scalar, func(*view, int) gosnmp.SnmpPDU { return octets("stg simulator, loopback") })
	add("1.3.6.1.2.1.2.1", scalar, func(v *view, _ int) gosnmp.SnmpPDU { return integer(len(v.snap.ifs)) })
}

// addIfMIB registers ifTable and ifXTable columns.
func addIfMIB(add adder) {
	f := func(v *view, i int) *iface { return v.snap.ifs[i] }
	in := func(v *view, i int) uint64 { n, _ := f(v, i).counters(v.ctrTime); return n }
	out := func(v *view, i int) uint64 { _, n := f(v, i).counters(v.ctrTime); return n }
	c32 := func(n uint64) gosnmp.SnmpPDU { return gosnmp.SnmpPDU{Type: gosnmp.Counter32, Value: uint32(n)} }
	c64 := func(n uint64) gosnmp.SnmpPDU { return gosnmp.SnmpPDU{Type: gosnmp.Counter64, Value: n} }
	add("1.3.6.1.2.1.2.2.1.1", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return integer(int(f(v, i).index)) })
	add("1.3.6.1.2.1.2.2.1.2", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return octets(f(v, i).descr) })
	add("1.3.6.1.2.1.2.2.1.3", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return integer(f(v, i).ifType) })
	add("1.3.6.1.2.1.2.2.1.4", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return integer(1500) })
	add("1.3.6.1.2.1.2.2.1.5", ifTable, func(v *view, i int) gosnmp.SnmpPDU {
		return gauge(uint32(min(f(v, i).speedBps, math.MaxUint32)))
	})
	add("1.3.6.1.2.1.2.2.1.7", ifTable, func(*view, int) gosnmp.SnmpPDU { return integer(1) })
	add("1.3.6.1.2.1.2.2.1.8", ifTable, func(*view, int) gosnmp.SnmpPDU { return integer(1) })
	add("1.3.6.1.2.1.2.2.1.10", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return c32(in(v, i)) })
	add("1.3.6.1.2.1.2.2.1.16", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return c32(out(v, i)) })
	add("1.3.6.1.2.1.31.1.1.1.1", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return octets(f(v, i).name) })
	add("1.3.6.1.2.1.31.1.1.1.6", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return c64(in(v, i)) }).counter64 = true
	add("1.3.6.1.2.1.31.1.1.1.10", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return c64(out(v, i)) }).counter64 = true
	add("1.3.6.1.2.1.31.1.1.1.15", ifTable, func(v *view, i int) gosnmp.SnmpPDU {
		return gauge(uint32(f(v, i).speedBps / 1_000_000))
	})
	add("1.3.6.1.2.1.31.1.1.1.18", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return octets(f(v, i).alias) })
	add("1.3.6.1.2.1.31.1.1.1.19", ifTable, func(v *view, i int) gosnmp.SnmpPDU { return ticks(f(v, i).discTick) })
}

// addAAA registers CISCO-AAA-SESSION-MIB casnActiveTable columns.
func addAAA(add adder) {
	s := func(v *view, i int) *session { return v.snap.sess[i] }
	add("1.3.6.1.4.1.9.9.150.1.1.3.1.2", aaaTable, func(v *view, i int) gosnmp.SnmpPDU { return octets(s(v, i).user) })
	add("1.3.6.1.4.1.9.9.150.1.1.3.1.3", aaaTable, func(v *view, i int) gosnmp.SnmpPDU {
		return gosnmp.SnmpPDU{Type: gosnmp.IPAddress, Value: s(v, i).addr.String()}
	})
	add("1.3.6.1.4.1.9.9.150.1.1.3.1.8", aaaTable, func(v *view, i int) gosnmp.SnmpPDU {
		if v.sim.opts.NoVirtualTemplateSNMP {
			return integer(0)
		}
		return integer(int(s(v, i).vi.index))
	})
}

// addSubscriber registers CISCO-SUBSCRIBER-SESSION-MIB csubSessionTable columns.
func addSubscriber(add adder) {
	add("1.3.6.1.4.1.9.9.786.1.1.1.1.1", subTable, func(*view, int) gosnmp.SnmpPDU { return integer(4) })
	add("1.3.6.1.4.1.9.9.786.1.1.1.1.24", subTable, func(v *view, i int) gosnmp.SnmpPDU {
		return octets(v.snap.subs[i].sess.user)
	})
}
