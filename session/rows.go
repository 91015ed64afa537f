package session

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/stg-project/stg/internal/pipeout"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/sample"
)

// Rows is the consumer that writes the samples as CSV or JSON Lines, one
// flushed row per sample, so that the file or pipe holds every complete row
// at any moment: the piped output (PipeRows) or the --log recording
// (LogRows).
type Rows struct {
	format record.Format
	// what names the output in errors: "output" or "--log".
	what string
	// out is where the rows go; for --log it is created by Start.
	out  io.Writer
	path string
	file *os.File
	// pipe says that out is stdout: a reader that went away ends the
	// run quietly, as `| head` expects.
	pipe bool
}

// PipeRows returns the consumer that writes the rows to w, stdout when it
// is not a terminal. The CSV header comes first, before any row. When the
// reader of the pipe goes away (EPIPE, as after `| head`), the run ends
// quietly; any other failed write is the run's error.
func PipeRows(w io.Writer, format record.Format) *Rows {
	return &Rows{format: format, what: "output", out: w, pipe: true}
}

// LogRows returns the consumer that records the rows as CSV to path
// (--log), a file created, or emptied, by Start.
func LogRows(path string) *Rows {
	return &Rows{format: record.FormatCSV, what: "--log", path: path}
}

// Start implements Consumer: it creates the --log file.
func (r *Rows) Start(Info) error {
	if r.path == "" {
		return nil
	}
	f, err := os.Create(r.path)
	if err != nil {
		return fmt.Errorf("create --log file: %w", err)
	}
	r.file, r.out = f, f
	return nil
}

// Consume implements Consumer: a header, then a row per sample.
func (r *Rows) Consume(_ context.Context, in <-chan sample.Sample) error {
	if r.file != nil {
		defer r.file.Close()
	}
	if r.pipe {
		defer pipeout.Catch()()
	}
	w, err := record.NewWriter(r.out, r.format)
	if err != nil {
		return err
	}
	if err := w.WriteHeader(); err != nil {
		return r.failed(err)
	}
	for s := range in {
		if err := w.Write(s); err != nil {
			return r.failed(err)
		}
	}
	return nil
}

// failed says why a write failed; a closed pipe is no error.
func (r *Rows) failed(err error) error {
	if r.pipe && pipeout.Closed(err) {
		return nil
	}
	return fmt.Errorf("write %s: %w", r.what, err)
}
