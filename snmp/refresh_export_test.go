package snmp

import "time"

// PreReadGap returns how long after its pre-read a poller of that interval
// makes its first poll.
func PreReadGap(interval time.Duration) time.Duration { return preReadGap(interval) }
