package record

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/stg-project/stg/sample"
)

// RankColumn is the column stg top appends to the sample columns: the
// row's place in its cycle, from 1.
const RankColumn = "rank"

// RankHeader is the CSV header of stg top's rows: Header, then rank.
var RankHeader = append(slices.Clone(Header), RankColumn)

// RankWriter writes stg top's rows: each cycle's rows with the columns of
// a poll row and a rank column appended (README.md, "Find who is filling
// the backhaul"). Like Writer, it flushes every row.
type RankWriter struct {
	w *Writer
}

// NewRankWriter returns a RankWriter of FormatCSV or FormatJSONL on w. The
// CSV header is written with the first row.
func NewRankWriter(w io.Writer, format Format) (*RankWriter, error) {
	if format == FormatInflux {
		return nil, fmt.Errorf("stg top's rows are written as csv or jsonl, not %s", format)
	}
	inner, err := NewWriter(w, format)
	if err != nil {
		return nil, err
	}
	return &RankWriter{w: inner}, nil
}

// WriteHeader writes the CSV header if it has not been written yet; for
// JSONL it does nothing.
func (r *RankWriter) WriteHeader() error {
	w := r.w
	if w.csv == nil || w.header {
		return nil
	}
	w.header = true
	if err := w.csv.Write(RankHeader); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	return nil
}

// Write writes one row: the sample and its rank.
func (r *RankWriter) Write(s sample.Sample, rank int) error {
	f, err := fields(s)
	if err != nil {
		return err
	}
	w := r.w
	if w.csv != nil {
		if err := r.WriteHeader(); err != nil {
			return err
		}
		if err := w.csv.Write(append(f.csvRow(), strconv.Itoa(rank))); err != nil {
			return fmt.Errorf("write CSV row for %s: %w", s.Target, err)
		}
		if err := w.flush(); err != nil {
			return fmt.Errorf("write CSV row for %s: %w", s.Target, err)
		}
		return nil
	}
	line, err := MarshalLine(rankedJSON{jsonRow: f.jsonRow(), Rank: rank})
	if err != nil {
		return fmt.Errorf("encode JSON row for %s: %w", s.Target, err)
	}
	if _, err := w.out.Write(line); err != nil {
		return fmt.Errorf("write JSON row for %s: %w", s.Target, err)
	}
	return nil
}

// rankedJSON is a JSONL object of stg top: the sample's fields, then rank.
type rankedJSON struct {
	jsonRow
	Rank int `json:"rank"`
}

// rankIndex returns the column of the rank in a recording's header, or -1
// when it has none.
func rankIndex(head []string) int {
	if len(head) > len(Header) && head[len(Header)] == RankColumn {
		return len(Header)
	}
	return -1
}

// parseRank reads a rank cell: a positive integer.
func parseRank(cell string) (int, error) {
	n, err := strconv.Atoi(cell)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("rank %q is not a positive integer", clip(cell, 40))
	}
	return n, nil
}
