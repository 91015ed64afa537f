package cli

import (
	"errors"
	"strings"
	"testing"
)

// TestPollListenAndInflux: --listen takes [HOST:]PORT, loopback without a
// host; -o influx is a mode of the polling command.
func TestPollListenAndInflux(t *testing.T) {
	for _, tt := range []struct {
		args       []string
		listen     string
		wantOutput OutputMode
	}{
		{[]string{"r1", "1"}, "", OutputAuto},
		{[]string{"r1", "1", "--listen", "9771"}, "127.0.0.1:9771", OutputAuto},
		{[]string{"r1", "1", "--listen", ":9771", "-o", "influx"}, "127.0.0.1:9771", OutputInflux},
		{[]string{"r1", "1", "--listen", "0.0.0.0:9771"}, "0.0.0.0:9771", OutputAuto},
	} {
		p, err := ParsePoll(tt.args, envOf(nil), Files{})
		if err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if p.Listen != tt.listen || p.Output != tt.wantOutput {
			t.Errorf("%q: listen %q output %q, want %q %q", tt.args, p.Listen, p.Output, tt.listen, tt.wantOutput)
		}
	}
	_, err := ParsePoll([]string{"r1", "1", "--listen", "metrics"}, envOf(nil), Files{})
	if err == nil || !strings.Contains(err.Error(), "[HOST:]PORT") {
		t.Errorf("--listen metrics: %v, want an error saying what it takes", err)
	}
}

func TestParseServe(t *testing.T) {
	s, err := ParseServe([]string{"--config", "routers.yml"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Config != "routers.yml" || s.Listen != "127.0.0.1:9771" || s.LogFormat != "logfmt" {
		t.Errorf("defaults: %+v", s)
	}
	s, err = ParseServe([]string{"--config=r.yml", "--listen", ":9100", "--log-format", "json"})
	if err != nil || s.Listen != "127.0.0.1:9100" || s.LogFormat != "json" {
		t.Errorf("flags: %+v, %v", s, err)
	}
	if _, err := ParseServe([]string{"-h"}); !errors.Is(err, ErrHelp) {
		t.Errorf("-h: %v", err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "--config FILE"},
		{[]string{"--config", "r.yml", "--log-format", "xml"}, "bad --log-format"},
		{[]string{"--config", "r.yml", "--listen", "x"}, "[HOST:]PORT"},
		{[]string{"--config", "r.yml", "extra"}, `unexpected argument "extra"`},
	} {
		if _, err := ParseServe(tt.args); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want an error saying %q", tt.args, err, tt.want)
		}
	}
	if !IsSubcommand("serve") {
		t.Error("serve is not a subcommand")
	}
	var b strings.Builder
	if !Help(&b, "serve") || !strings.Contains(b.String(), "--config") || !strings.Contains(b.String(), "SIGHUP") {
		t.Errorf("help of serve:\n%s", b.String())
	}
}
