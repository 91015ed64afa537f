package top

import (
	"context"

	"github.com/stg-project/stg/ranking"
)

// limitRows returns a consumer that gives c each cycle with its first n
// rows only, as Config.Limit would have made it (the sums and the number
// of rows ranked are the whole cycle's); c itself when n is 0 or less.
// The rows are not copied: the cut cycle shares them, unchanged.
func limitRows(c Consumer, n int) Consumer {
	if n <= 0 {
		return c
	}
	return &limited{c: c, n: n}
}

// limited is the consumer of limitRows.
type limited struct {
	c Consumer
	n int
}

// Start implements Consumer.
func (l *limited) Start(run Info) error { return l.c.Start(run) }

// Consume implements Consumer: it hands each cycle of in, cut, to the
// consumer and returns what that one returns, when it does.
func (l *limited) Consume(ctx context.Context, in <-chan ranking.Cycle) error {
	cut := make(chan ranking.Cycle)
	quit := make(chan struct{})
	go func() {
		defer close(cut)
		for c := range in {
			n := min(len(c.Rows), l.n)
			c.Rows = c.Rows[:n:n] // an append cannot reach the rows cut off
			select {
			case cut <- c:
			case <-quit:
				return
			}
		}
	}()
	defer close(quit)
	return l.c.Consume(ctx, cut)
}
