// Package agenttest starts the peers stg's tests talk to, on free loopback
// ports, and stops them when the test ends (t.Cleanup): real third-party
// agents — snmpsim's snmpsimd and net-snmp's snmpd, each waited for until it
// answers a real SNMP GET —, a real OpenSSH sshd whose forced command replays
// IOS output, a scriptable hostile SNMP agent for the fault tests, and
// stg's own simulated BRAS.
//
// It imports package snmp to probe the agents, so only external test
// packages (package snmp_test) of snmp may use it.
package agenttest
