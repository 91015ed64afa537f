package snmp

// OIDs stg reads. Column OIDs take ".<ifIndex>" as the instance.
const (
	OIDSysUpTime                  = "1.3.6.1.2.1.1.3.0"
	OIDIfDescr                    = "1.3.6.1.2.1.2.2.1.2"
	OIDIfType                     = "1.3.6.1.2.1.2.2.1.3"
	OIDIfSpeed                    = "1.3.6.1.2.1.2.2.1.5"
	OIDIfInOctets                 = "1.3.6.1.2.1.2.2.1.10"
	OIDIfOutOctets                = "1.3.6.1.2.1.2.2.1.16"
	OIDIfName                     = "1.3.6.1.2.1.31.1.1.1.1"
	OIDIfHCInOctets               = "1.3.6.1.2.1.31.1.1.1.6"
	OIDIfHCOutOctets              = "1.3.6.1.2.1.31.1.1.1.10"
	OIDIfHighSpeed                = "1.3.6.1.2.1.31.1.1.1.15"
	OIDIfAlias                    = "1.3.6.1.2.1.31.1.1.1.18"
	OIDIfCounterDiscontinuityTime = "1.3.6.1.2.1.31.1.1.1.19"
)
