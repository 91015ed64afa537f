package agenttest

import (
	"context"
	"testing"

	"github.com/stg-project/stg/internal/brassim"
)

// StartSim runs stg's simulated BRAS (internal/brassim) with opts, on the
// loopback ports opts names or free ones, and closes it when the test ends.
func StartSim(t testing.TB, opts brassim.Options) *brassim.Sim {
	t.Helper()
	sim, err := brassim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}
