package main

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/stg-project/stg/snmp"
)

// tuiConfig is what the poll mode tells the terminal UI about its run.
type tuiConfig struct {
	Router   string
	Targets  []string
	Interval time.Duration
	Window   time.Duration
	Bytes    bool
}

// runTUI is a placeholder until the tui package is wired: it shows samples
// until the channel closes or ctx ends.
func runTUI(ctx context.Context, cfg tuiConfig, samples <-chan snmp.Sample, stdin io.Reader, stdout io.Writer) error {
	return errors.New("the terminal UI is not built yet: use -o csv")
}
