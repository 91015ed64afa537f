package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/stg-project/stg/internal/metrics"
	"github.com/stg-project/stg/session"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/tui"
)

// LookupEnv looks up an environment variable as os.LookupEnv does, so that
// a variable set but empty can be told from one not set; tests pass a
// map's lookup. Nothing below cmd/stg's main reads the environment
// otherwise.
type LookupEnv func(key string) (string, bool)

// get returns the value of key, "" when it is not set.
func (e LookupEnv) get(key string) string {
	v, _ := e(key)
	return v
}

// OutputMode is where the samples of a poll go (-o).
type OutputMode string

// The output modes.
const (
	// OutputAuto is the terminal UI on a terminal, CSV when piped.
	OutputAuto OutputMode = "auto"
	// OutputTUI is the terminal UI.
	OutputTUI OutputMode = "tui"
	// OutputCSV is CSV rows.
	OutputCSV OutputMode = "csv"
	// OutputJSONL is JSON Lines.
	OutputJSONL OutputMode = "jsonl"
	// OutputInflux is InfluxDB line protocol.
	OutputInflux OutputMode = "influx"
)

// outputModes are the values of -o.
var outputModes = []string{string(OutputAuto), string(OutputTUI), string(OutputCSV), string(OutputJSONL), string(OutputInflux)}

// Resolve returns where rows go on an output that is a terminal or not:
// auto is the terminal UI on a terminal and CSV when piped (never the
// TUI); tui needs a terminal.
func (m OutputMode) Resolve(terminal bool) (OutputMode, error) {
	switch {
	case m == OutputAuto && terminal:
		return OutputTUI, nil
	case m == OutputAuto:
		return OutputCSV, nil
	case m == OutputTUI && !terminal:
		return "", errors.New("-o tui needs a terminal on stdout: use -o csv or -o jsonl")
	}
	return m, nil
}

// minInterval is the shortest poll interval.
const minInterval = 100 * time.Millisecond

// PollSettings are the settings of a polling run: the session and what
// shows it.
type PollSettings struct {
	// Session is the run.
	Session session.Config
	// Output is -o; LogPath --log, DebugPath --debug ("" for none).
	Output    OutputMode
	LogPath   string
	DebugPath string
	// Window is the TUI's time span, Bytes its unit.
	Window time.Duration
	Bytes  bool
	// Listen is where /metrics is served (--listen); "" for nowhere.
	Listen string
	// Warnings are what stg found wrong in the configuration files it
	// read, one line each ("snmp.conf: FILE:LINE: ..."), for stderr
	// before the run starts.
	Warnings []string
	// Sources say which files the run read and which of their settings
	// it took (names and places, never values), for the --debug log.
	Sources []string
}

// ParsePoll reads the polling command line (stg itself, and `stg resolve`
// but for its -o): flags, positional ROUTER IFACE..., and the secrets,
// cache directory, home and ssh-agent from env; then what files holds of
// net-snmp's snmp.conf and OpenSSH's ssh_config fills what neither a flag
// nor an STG_* variable set. It returns ErrHelp for -h/--help, ErrVersion
// for --version, and otherwise an error whose text is one line saying
// what to fix.
func ParsePoll(args []string, env LookupEnv, files Files) (_ *PollSettings, err error) {
	defer func() {
		if err != nil && !errors.Is(err, ErrHelp) && !errors.Is(err, ErrVersion) {
			err = errors.New(EscapeControls(err.Error())) // typed values are echoed
		}
	}()
	v, err := Poll.parse(args)
	if err != nil {
		return nil, err
	}
	p := &PollSettings{LogPath: v.str("log"), DebugPath: v.str("debug"), Window: v.duration("window"), Bytes: v.boolean("bytes")}
	cfg := &p.Session
	if err := targets(v, cfg); err != nil {
		return nil, err
	}
	conf := loadSNMPConf(env, files, cfg.Router, p)
	var sources *snmpSources
	if cfg.SNMP, sources, err = snmpConfig(v, env, conf); err != nil {
		return nil, err
	}
	if err := polling(v, p); err != nil {
		return nil, err
	}
	if v.given("listen") {
		if p.Listen, err = metrics.ListenAddr(v.str("listen")); err != nil {
			return nil, err
		}
	}
	if cfg.SNMP.Target, err = agent(cfg.Router, conf, sources.fromFile); err != nil {
		return nil, err
	}
	p.Sources = append(append(p.Sources, snmpSourceLines(conf, sources.fromFile)...), sources.notes...)
	if err := sshLogin(v, env, files, p); err != nil {
		return nil, err
	}
	if !v.boolean("no-cache") {
		cfg.CacheDir = cacheDir(env)
	}
	return p, nil
}

// targets reads the router and the targets: --router, or ROUTER as the
// first argument with IFACEs after it. It requires one router, at least
// one target and no target twice.
func targets(v *values, cfg *session.Config) error {
	routers, args := v.strs("router"), v.args()
	if len(routers) > 1 {
		return fmt.Errorf("--router is given more than once (%s, then %s): stg polls one router per run; start one stg per router",
			Echo(routers[0]), Echo(routers[1]))
	}
	cfg.Ifaces, cfg.Users = v.strs("if"), v.strs("user")
	switch {
	case len(routers) == 1 && len(args) > 0:
		return fmt.Errorf("unexpected argument %s: with --router, name interfaces with --if", Echo(args[0]))
	case len(routers) == 1:
		cfg.Router = routers[0]
	case len(args) == 0:
		return errors.New("no router: give --router ROUTER or ROUTER as the first argument")
	default:
		cfg.Router = args[0]
		cfg.Ifaces = append(append([]string(nil), args[1:]...), cfg.Ifaces...)
	}
	if strings.TrimSpace(cfg.Router) == "" {
		return errors.New("empty router: give --router HOST")
	}
	if len(cfg.Ifaces) == 0 && len(cfg.Users) == 0 {
		return fmt.Errorf("nothing to poll on %s: add --if IFACE or --user USERNAME", cfg.Router)
	}
	seen := map[string]bool{}
	for _, t := range append(append([]string(nil), cfg.Ifaces...), cfg.Users...) {
		if strings.TrimSpace(t) == "" {
			return errors.New("empty --if or --user value")
		}
		if seen[t] {
			return fmt.Errorf("target %s is given twice", Echo(t))
		}
		seen[t] = true
	}
	return nil
}

// checkCadence checks --interval and --count, which stg and stg top share.
func checkCadence(interval time.Duration, count int) error {
	switch {
	case interval <= 0:
		return fmt.Errorf("--interval must be above 0 (got %s)", interval)
	case interval < minInterval:
		return fmt.Errorf("--interval %s is too short: the minimum is %s", interval, minInterval)
	case count < 0:
		return errors.New("--count must be 0 (no limit) or more")
	}
	return nil
}

// polling reads and checks the polling, output and resolution flags.
func polling(v *values, p *PollSettings) error {
	cfg := &p.Session
	cfg.Interval, cfg.Count, cfg.Duration = v.duration("interval"), v.integer("count"), v.duration("duration")
	if err := checkCadence(cfg.Interval, cfg.Count); err != nil {
		return err
	}
	switch {
	case cfg.Duration < 0:
		return errors.New("--duration must be 0 (no limit) or more")
	case v.integer("ssh-port") < 1 || v.integer("ssh-port") > 65535:
		return fmt.Errorf("--ssh-port %d is not a port number (1-65535)", v.integer("ssh-port"))
	}
	if err := tui.CheckWindow(p.Window, cfg.Interval); err != nil {
		return fmt.Errorf("--window: %w", err)
	}
	output := v.str("output")
	if p.Output = OutputMode(output); !contains(outputModes, output) {
		return badValue("-o", output, outputModes)
	}
	counters, err := snmp.ParseCounterMode(v.str("counters"))
	if err != nil {
		return badValue("--counters", v.str("counters"), snmp.CounterModes())
	}
	resolve := v.str("resolve")
	if !contains(session.ResolveModes(), resolve) {
		return badValue("--resolve", resolve, session.ResolveModes())
	}
	cfg.Counters, cfg.Resolve = counters, session.ResolveMode(resolve)
	if counters == snmp.Counters64 && cfg.SNMP.Version == snmp.Version1 {
		return errors.New("--counters 64 needs -v 2c or 3: SNMPv1 has no 64-bit counters")
	}
	return nil
}

// contains reports whether w is one of words.
func contains(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// cacheDir is where resolutions are cached: $STG_CACHE_DIR, else
// $XDG_CACHE_HOME/stg, else ~/.cache/stg; "" (no cache) when none is known.
func cacheDir(env LookupEnv) string {
	if d := env.get("STG_CACHE_DIR"); d != "" {
		return d
	}
	if d := env.get("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "stg")
	}
	if h := env.get("HOME"); h != "" {
		return filepath.Join(h, ".cache", "stg")
	}
	return ""
}
