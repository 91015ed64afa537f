package realagents

// corpus lists the recordings in testdata, with what testdata/README.md
// says of each.
var corpus = []Recording{
	{Name: "iosxe_asr920", Device: "Cisco IOS-XE 17.6.2 (ASR920)", Notes: "MPLS ports have a second row (ifDescr ...-mpls layer, ifType 166) with the same ifName; no sysUpTime.0; no ifInOctets/ifOutOctets; GigabitEthernet0 has no HC counters; Virtual-PPP4001 has ifName Vi4001"},
	{Name: "iosxr_asr9k", Device: "Cisco IOS XR 5.3.4 (ASR9K)", Notes: "ifTable has no ifSpeed/ifInOctets/ifOutOctets in the recording; dwdm rows have no counters"},
	{Name: "junos_ex4200_vc", Device: "Juniper Junos 12.3X48 (EX4200 virtual chassis; sysDescr says srx100h2)", Notes: "names only: the recording has ifDescr but no counters and no ifXTable"},
	{Name: "routeros_rb952", Device: "MikroTik RouterOS 6.40.5 (RB952Ui-5ac2nD), PPPoE client pppoe-out1", Notes: "ifTable has no ifSpeed/ifInOctets/ifOutOctets: 64-bit counters only"},
	{Name: "vrp_ne40e", Device: "Huawei VRP (NetEngine, sysObjectID 2011.2.62.30)", Notes: "40GE ports, Eth-Trunk and dot1q sub-interfaces; ifName equals ifDescr"},
}
