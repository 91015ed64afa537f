// Package agenttest starts real third-party agents for tests — snmpsim's
// snmpsimd and net-snmp's snmpd — on free loopback ports, waits until they
// answer a real SNMP GET, and stops them when the test ends (t.Cleanup).
//
// It imports package snmp to probe the agents, so only external test
// packages (package snmp_test) of snmp may use it.
package agenttest
