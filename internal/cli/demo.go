package cli

import (
	"fmt"
	"time"

	"github.com/stg-project/stg/internal/brassim"
)

// DemoFlap is how often the demo's subscribers drop and reconnect.
const DemoFlap = time.Minute

// demoMinSessions is the fewest sessions that include the victim
// (brassim.UserVictim is the fourth session).
const demoMinSessions = 4

// ParseDemo reads `stg demo`'s command line: the simulator's sessions and
// seed.
func ParseDemo(args []string) (sessions int, seed uint64, err error) {
	v, err := Demo.parse(args)
	switch {
	case err != nil:
		return 0, 0, err
	case len(v.args()) > 0:
		return 0, 0, fmt.Errorf("unexpected argument %s", Echo(v.args()[0]))
	case v.integer("sessions") < demoMinSessions || v.integer("sessions") > brassim.MaxSessions:
		return 0, 0, fmt.Errorf("--sessions %d: want %d to %d", v.integer("sessions"), demoMinSessions, brassim.MaxSessions)
	}
	return v.integer("sessions"), v.uinteger("seed"), nil
}
