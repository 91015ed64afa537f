package agenttest

import (
	"bytes"
	"fmt"
)

// OIDs BRASSnmprec writes.
const (
	oidSysDescr      = "1.3.6.1.2.1.1.1.0"
	oidSysUpTime     = "1.3.6.1.2.1.1.3.0"
	oidIfDescr       = "1.3.6.1.2.1.2.2.1.2"
	oidIfName        = "1.3.6.1.2.1.31.1.1.1.1"
	oidIfHCInOctets  = "1.3.6.1.2.1.31.1.1.1.6"
	oidIfHCOutOctets = "1.3.6.1.2.1.31.1.1.1.10"
	oidCasnUserID    = "1.3.6.1.4.1.9.9.150.1.1.3.1.2"
	oidCasnVaiIf     = "1.3.6.1.4.1.9.9.150.1.1.3.1.8"
)

// BRASUser is the username of session i (from 0) of BRASSnmprec.
func BRASUser(i int) string { return fmt.Sprintf("u%06d@bench.example", i) }

// BRASIfIndex is the ifIndex of session i of BRASSnmprec.
func BRASIfIndex(i int) int { return 1000 + i }

// BRASSnmprec returns the .snmprec of a BRAS with n PPP sessions for
// snmpsim: IF-MIB ifDescr (Virtual-Access2.N), ifName (Vi2.N) and
// ifHCInOctets/ifHCOutOctets, and CISCO-AAA-SESSION-MIB casnUserId and
// casnVaiIfIndex (session index 100000+i). Session i is user BRASUser(i)
// on ifIndex BRASIfIndex(i), and its counters grow by exactly rate(i)
// octets per second of snmpsim's clock (its numeric module), from the
// moment snmpsimd starts. Lines are in OID order, as snmpsim needs.
func BRASSnmprec(n int, rate func(i int) (in, out uint64)) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s|4|stg test BRAS with %d sessions\n", oidSysDescr, n)
	fmt.Fprintf(&b, "%s|67:numeric|rate=100,initial=1000\n", oidSysUpTime)
	column := func(oid string, line func(i int) string) {
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "%s.%d|%s\n", oid, BRASIfIndex(i), line(i))
		}
	}
	column(oidIfDescr, func(i int) string { return fmt.Sprintf("4|Virtual-Access2.%d", i+1) })
	column(oidIfName, func(i int) string { return fmt.Sprintf("4|Vi2.%d", i+1) })
	column(oidIfHCInOctets, func(i int) string {
		in, _ := rate(i)
		return fmt.Sprintf("70:numeric|rate=%d,initial=%d", in, 1_000_000_000+i)
	})
	column(oidIfHCOutOctets, func(i int) string {
		_, out := rate(i)
		return fmt.Sprintf("70:numeric|rate=%d,initial=%d", out, 2_000_000_000+i)
	})
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s.%d|4|%s\n", oidCasnUserID, 100000+i, BRASUser(i))
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s.%d|2|%d\n", oidCasnVaiIf, 100000+i, BRASIfIndex(i))
	}
	return b.Bytes()
}
