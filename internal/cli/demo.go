package cli

import (
	"fmt"
	"time"

	"github.com/stg-project/stg/internal/brassim"
)

// DemoFlap is how often MyUserName drops and reconnects in the demo.
const DemoFlap = time.Minute

// demoMinSessions is the fewest sessions that include the victim
// (brassim.UserVictim is the fourth session); each other hog needs one
// more.
const demoMinSessions = 4

// ParseDemo reads `stg demo`'s command line into the simulator's options:
// its sessions, hogs and seed, MyUserName reconnecting every DemoFlap.
func ParseDemo(args []string) (brassim.Options, error) {
	v, err := Demo.parse(args)
	if err != nil {
		return brassim.Options{}, err
	}
	o := brassim.Options{Sessions: v.integer("sessions"), Hogs: v.integer("hogs"), Seed: v.uinteger("seed"), Flap: DemoFlap, NoSSH: true}
	switch {
	case len(v.args()) > 0:
		return o, fmt.Errorf("unexpected argument %s", Echo(v.args()[0]))
	case o.Sessions < demoMinSessions || o.Sessions > brassim.MaxSessions:
		return o, fmt.Errorf("--sessions %d: want %d to %d", o.Sessions, demoMinSessions, brassim.MaxSessions)
	case o.Hogs < 1:
		return o, fmt.Errorf("--hogs %d: want 1 to %d (the DNS-amplification victim is the first)", o.Hogs, brassim.MaxHogs)
	}
	return o, checkHogs(o.Hogs, o.Sessions)
}

// checkHogs checks --hogs against --sessions: the victim is the fourth
// session, and each other hog needs a session of its own after it.
func checkHogs(hogs, sessions int) error {
	switch {
	case hogs < 0 || hogs > brassim.MaxHogs:
		return fmt.Errorf("--hogs %d: want 0 to %d", hogs, brassim.MaxHogs)
	case hogs > 0 && sessions < hogs+demoMinSessions:
		return fmt.Errorf("--hogs %d needs --sessions %d or more", hogs, hogs+demoMinSessions)
	}
	return nil
}
