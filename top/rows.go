package top

import (
	"context"
	"fmt"
	"io"

	"github.com/stg-project/stg/internal/pipeout"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/ranking"
)

// Rows is the consumer that writes each cycle's rows to stdout when it is
// not a terminal: in rank order, with the columns of a poll row and a rank
// column appended (record.RankWriter), one flushed row at a time. When the
// reader of the pipe goes away (EPIPE, as after `| head`), the run ends
// quietly; any other failed write is the run's error.
type Rows struct {
	out    io.Writer
	format record.Format
	router string
}

// PipeRows returns the consumer that writes the rows to w in format
// (record.FormatCSV or FormatJSONL).
func PipeRows(w io.Writer, format record.Format) *Rows {
	return &Rows{out: w, format: format}
}

// Start implements Consumer.
func (r *Rows) Start(run Info) error {
	r.router = run.Router
	return nil
}

// Consume implements Consumer: the CSV header, then each cycle's rows.
func (r *Rows) Consume(_ context.Context, in <-chan ranking.Cycle) error {
	defer pipeout.Catch()()
	w, err := record.NewRankWriter(r.out, r.format)
	if err != nil {
		return err
	}
	if err := w.WriteHeader(); err != nil {
		return r.failed(err)
	}
	for c := range in {
		for i := range c.Rows {
			row := &c.Rows[i]
			if err := w.Write(row.Sample(r.router), row.Rank); err != nil {
				return r.failed(err)
			}
		}
	}
	return nil
}

// failed says why a write failed; a closed pipe is no error.
func (r *Rows) failed(err error) error {
	if pipeout.Closed(err) {
		return nil
	}
	return fmt.Errorf("write output: %w", err)
}
