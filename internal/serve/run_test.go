package serve

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/secret"
)

// TestSupervisorApply: a new configuration starts the routers it adds,
// restarts those that changed (a secret included), stops and forgets
// those it drops, and leaves the others running.
func TestSupervisorApply(t *testing.T) {
	var (
		mu     sync.Mutex
		starts = map[string]int{}
		live   = map[string]bool{}
		forgot []string
	)
	run := func(ctx context.Context, r Router) {
		mu.Lock()
		starts[r.Name]++
		live[r.Name] = true
		mu.Unlock()
		<-ctx.Done()
		mu.Lock()
		live[r.Name] = false
		mu.Unlock()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newSupervisor(ctx, run, func(name string) { forgot = append(forgot, name) })
	router := func(name, community string, line int) Router {
		r := Router{Name: name, Interval: time.Second, Top: 5, line: line}
		r.SNMP.Community = secret.Secret(community)
		return r
	}
	added, changed, removed := s.apply(&Config{Routers: []Router{router("a", "x", 1), router("b", "x", 5), router("c", "x", 9)}})
	if !slices.Equal(added, []string{"a", "b", "c"}) || changed != nil || removed != nil {
		t.Errorf("first: added %v changed %v removed %v", added, changed, removed)
	}
	// b moves in the file (same settings), c's community changes, a goes, d comes.
	added, changed, removed = s.apply(&Config{Routers: []Router{router("b", "x", 1), router("c", "y", 5), router("d", "x", 9)}})
	if !slices.Equal(added, []string{"d"}) || !slices.Equal(changed, []string{"c"}) || !slices.Equal(removed, []string{"a"}) {
		t.Errorf("reload: added %v changed %v removed %v", added, changed, removed)
	}
	slices.Sort(forgot)
	if !slices.Equal(forgot, []string{"a", "c"}) {
		t.Errorf("forgot %v, want a and c", forgot)
	}
	s.stopAll()
	mu.Lock()
	defer mu.Unlock()
	if starts["a"] != 1 || starts["b"] != 1 || starts["c"] != 2 || starts["d"] != 1 {
		t.Errorf("starts %v, want b once (unchanged), c twice (changed)", starts)
	}
	for name, on := range live {
		if on {
			t.Errorf("%s still running after stopAll", name)
		}
	}
}
