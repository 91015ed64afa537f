package realagents

// corpus lists the recordings in testdata, with what testdata/README.md
// says of each.
var corpus = []Recording{
	{Name: "iosxr_asr9k", Device: "Cisco IOS XR 5.3.4 (ASR9K)", Notes: "ifTable has no ifSpeed/ifInOctets/ifOutOctets in the recording; dwdm rows have no counters"},
	{Name: "junos_ex4200_vc", Device: "Juniper Junos 12.3X48 (EX4200 virtual chassis; sysDescr says srx100h2)", Notes: "names only: the recording has ifDescr but no counters and no ifXTable"},
	{Name: "routeros_rb952", Device: "MikroTik RouterOS 6.40.5 (RB952Ui-5ac2nD), PPPoE client pppoe-out1", Notes: "ifTable has no ifSpeed/ifInOctets/ifOutOctets: 64-bit counters only"},
}
