package cli

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/stg-project/stg/internal/metrics"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/top"
	"github.com/stg-project/stg/tui"
)

// TopSettings are the settings of `stg top`: the run, and what shows it.
type TopSettings struct {
	// Run is the router and the engine's configuration.
	Run top.Settings
	// Output is -o.
	Output OutputMode
	// Window is the time span of a row's chart, Bytes the TUI's unit.
	Window time.Duration
	Bytes  bool
	// Warnings are what stg found wrong in the snmp.conf files it read,
	// for stderr before the run.
	Warnings []string
	// Listen is where --listen serves /metrics, as metrics.ListenAddr
	// reads it; "" without --listen.
	Listen string
	// ListenRows is how many rows of each cycle /metrics shows: --limit,
	// else TopListenRows.
	ListenRows int
	// GCPercent is the garbage collector's target to run under
	// (top.GCPercent); 0 when GOGC or GOMEMLIMIT is set: the runtime
	// follows them.
	GCPercent int
}

// TopListenRows is how many rows of each cycle `stg top --listen` shows
// on /metrics without --limit: the busiest, within what a Prometheus
// keeps without trouble at 1 s scrapes.
const TopListenRows = 100

// ParseTop reads `stg top`'s command line: the router (--router, or
// ROUTER alone), the SNMP flags with the secrets of env and the defaults
// of net-snmp's snmp.conf files (as for polling), the filter, the cycles
// and the output. It returns ErrHelp for -h/--help and otherwise an error
// whose text is one line saying what to fix.
func ParseTop(args []string, env LookupEnv, files Files) (_ *TopSettings, err error) {
	defer func() {
		if err != nil && !errors.Is(err, ErrHelp) {
			err = errors.New(EscapeControls(err.Error())) // typed values are echoed
		}
	}()
	v, err := Top.parse(args)
	if err != nil {
		return nil, err
	}
	s := &TopSettings{Window: v.duration("window"), Bytes: v.boolean("bytes")}
	cfg := &s.Run.Config
	if cfg.Router, err = topRouter(v); err != nil {
		return nil, err
	}
	var read PollSettings // the snmp.conf files' warnings
	conf := loadSNMPConf(env, files, cfg.Router, &read)
	s.Warnings = read.Warnings
	var sources *snmpSources
	if s.Run.SNMP, sources, err = snmpConfig(v, env, conf); err != nil {
		return nil, err
	}
	if s.Run.SNMP.Target, err = agent(cfg.Router, conf, sources.fromFile); err != nil {
		return nil, err
	}
	if err := topCycles(v, s); err != nil {
		return nil, err
	}
	if text := v.str("filter"); v.given("filter") {
		if cfg.Filter, err = regexp.Compile(text); err != nil {
			return nil, fmt.Errorf("--filter %s is not a regular expression: %v", Echo(text), strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
	if v.given("listen") {
		if s.Listen, err = metrics.ListenAddr(v.str("listen")); err != nil {
			return nil, err
		}
		if s.ListenRows = cfg.Limit; s.ListenRows == 0 {
			s.ListenRows = TopListenRows
		}
	}
	cfg.AllInterfaces = v.boolean("all")
	cfg.Version, cfg.Timeout, cfg.Retries = string(s.Run.SNMP.Version), s.Run.SNMP.Timeout, s.Run.SNMP.Retries
	if env.get("GOGC") == "" && env.get("GOMEMLIMIT") == "" {
		s.GCPercent = top.GCPercent
	}
	return s, nil
}

// topRouter returns the one router of `stg top`: --router, or the only
// argument.
func topRouter(v *values) (string, error) {
	routers, args := v.strs("router"), v.args()
	switch {
	case len(routers) > 1:
		return "", fmt.Errorf("--router is given more than once (%s, then %s): stg top ranks one router per run; start one per router",
			Echo(routers[0]), Echo(routers[1]))
	case len(routers) == 1 && len(args) > 0:
		return "", fmt.Errorf("unexpected argument %s: stg top takes one router and no interfaces (narrow the rows with --filter)", Echo(args[0]))
	case len(routers) == 0 && len(args) > 1:
		return "", fmt.Errorf("unexpected argument %s: stg top takes one router and no interfaces (narrow the rows with --filter)", Echo(args[1]))
	case len(routers) == 0 && len(args) == 0:
		return "", errors.New("no router: give --router ROUTER")
	}
	router := append(routers, args...)[0]
	if strings.TrimSpace(router) == "" {
		return "", errors.New("empty router: give --router HOST")
	}
	return router, nil
}

// topCycles reads and checks the cycle and output flags.
func topCycles(v *values, s *TopSettings) error {
	cfg := &s.Run.Config
	cfg.Interval, cfg.Count, cfg.Limit = v.duration("interval"), v.integer("count"), v.integer("limit")
	if err := checkCadence(cfg.Interval, cfg.Count); err != nil {
		return err
	}
	if cfg.Limit < 0 {
		return errors.New("--limit must be 0 (every row) or more")
	}
	if err := tui.CheckWindow(s.Window, cfg.Interval); err != nil {
		return fmt.Errorf("--window: %w", err)
	}
	output := v.str("output")
	if s.Output = OutputMode(output); !contains(outputModes, output) {
		return badValue("-o", output, outputModes)
	}
	counters, err := snmp.ParseCounterMode(v.str("counters"))
	if err != nil {
		return badValue("--counters", v.str("counters"), snmp.CounterModes())
	}
	if counters == snmp.Counters64 && s.Run.SNMP.Version == snmp.Version1 {
		return errors.New("--counters 64 needs -v 2c or 3: SNMPv1 has no 64-bit counters")
	}
	cfg.Counters = string(counters)
	return nil
}
