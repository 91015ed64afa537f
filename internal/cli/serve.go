package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/stg-project/stg/internal/metrics"
)

// ServeListen is where `stg serve` serves /metrics by default.
const ServeListen = "127.0.0.1:9771"

// logFormats are the values of `stg serve --log-format`.
var logFormats = []string{"logfmt", "json"}

// Serve is `stg serve`: many routers from a configuration file, polled
// headless for Prometheus.
var Serve = Command{
	Name:     "serve",
	Summary:  "poll the routers of a file, headless, for Prometheus",
	Synopsis: "stg serve --config FILE [--listen ADDR] [--log-format logfmt|json]",
	Flags: []Flag{
		{Name: "config", Kind: String, Help: "the routers to poll: a YAML `FILE` (see examples/routers.yml); SIGHUP reads it again"},
		{Name: "listen", Kind: String, Default: ServeListen, Help: "serve /metrics on `ADDR`: [HOST:]PORT, loopback without a host"},
		{Name: "log-format", Kind: String, Default: logFormats[0], Enum: logFormats, Help: "the log on stderr: `format` logfmt or json"},
		helpFlag,
	},
	Env: []EnvVar{{"VARIABLE", "each variable the file names with community_env, auth_pass_env or priv_pass_env: a secret"}},
}

// ServeSettings are the settings of `stg serve`.
type ServeSettings struct {
	// Config is the configuration file's path.
	Config string
	// Listen is where /metrics is served, as metrics.ListenAddr reads it.
	Listen string
	// LogFormat is "logfmt" or "json".
	LogFormat string
}

// ParseServe reads `stg serve`'s command line. It returns ErrHelp for
// -h/--help and otherwise an error whose text is one line saying what to
// fix.
func ParseServe(args []string) (*ServeSettings, error) {
	v, err := Serve.parse(args)
	if err != nil {
		return nil, err
	}
	if len(v.args()) > 0 {
		return nil, fmt.Errorf("unexpected argument %s: give the routers in the --config file", Echo(v.args()[0]))
	}
	s := &ServeSettings{Config: v.str("config"), LogFormat: v.str("log-format")}
	if s.Config == "" {
		return nil, errors.New("no routers: give --config FILE, a YAML list of routers (see examples/routers.yml)")
	}
	if !contains(logFormats, s.LogFormat) {
		return nil, badValue("--log-format", s.LogFormat, logFormats)
	}
	if s.Listen, err = metrics.ListenAddr(v.str("listen")); err != nil {
		return nil, err
	}
	return s, nil
}

// helpServe writes the help of `stg serve`.
func helpServe(w io.Writer) {
	fmt.Fprintf(w, `Usage: %s

Polls the routers of a YAML file without a terminal, each on its own (one
that fails never stops the others: it is tried again, with a back-off),
and serves their interface counters, rates and poll health on /metrics for
Prometheus to scrape. Secrets come from environment variables or files the
file names, never from the file itself. SIGHUP reads the file again and
adds, restarts or stops the routers that changed; a file that does not
read keeps the running configuration. Logs go to stderr. Ctrl-C or
SIGTERM stop it.

%s`, Serve.Synopsis, Serve.flagSet().FlagUsages())
	writeEnv(w, Serve)
	fmt.Fprint(w, "\nExit codes: 0 stopped, 1 the file or the address cannot be used, 2 usage error.\n")
}
