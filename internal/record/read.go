package record

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stg-project/stg/sample"
)

// ReadCSV reads a CSV recording written by Writer. It checks the header
// (columns appended by newer versions are allowed and ignored) and every
// row; the first problem is returned as one error naming its line.
func ReadCSV(r io.Reader) ([]sample.Sample, error) {
	rec, err := read(r, false)
	return rec.Samples, err
}

// Recording is a CSV recording read back by ReadRecording.
type Recording struct {
	// Samples are the rows, in time order.
	Samples []sample.Sample
	// Ranks are the rank column of stg top's recordings, one per sample;
	// nil for a recording without it.
	Ranks []int
	// Warnings say, one line each, what ReadRecording set right.
	Warnings []string
}

// ReadRecording reads a CSV recording as ReadCSV does, and sets right what
// an interrupted or pieced-together recording holds: a last line cut short
// (it has no line end and is not a whole row, as a crash or a full disk
// leaves it) is skipped, and rows out of time order are sorted by time
// (rows of the same time keep their order). Each repair is a warning;
// every other problem is still an error.
func ReadRecording(r io.Reader) (Recording, error) {
	rec, err := read(r, true)
	if err != nil {
		return Recording{}, err
	}
	rec.sortByTime()
	return rec, nil
}

// ReadFile reads the recording at path as ReadRecording does and requires
// at least one row; errors name the file.
func ReadFile(path string) (Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return Recording{}, err
	}
	defer f.Close()
	rec, err := ReadRecording(f)
	if err != nil {
		return Recording{}, fmt.Errorf("%s: %w", path, err)
	}
	if len(rec.Samples) == 0 {
		return Recording{}, fmt.Errorf("%s: the recording has no rows", path)
	}
	return rec, nil
}

// read reads a recording; repair allows skipping a last line cut short.
// A rank column (stg top's) is read into Ranks.
func read(r io.Reader, repair bool) (Recording, error) {
	src := &lastByte{r: r}
	cr := csv.NewReader(src)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // counted below, to say how many
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Recording{}, errors.New("empty file: not an stg CSV recording")
	}
	if err != nil {
		return Recording{}, csvError(err)
	}
	if !isHeader(head) {
		return Recording{}, fmt.Errorf("line 1: not an stg CSV recording: the header should start %q, got %q",
			strings.Join(Header, ","), clip(strings.Join(head, ","), 80))
	}
	columns := len(head)
	rankAt := rankIndex(head)
	var out Recording
	for {
		s, line, err := readRow(cr, columns, rankAt, &out)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			// A bad row that ends the file without a line end is a row
			// whose writing was cut short.
			if _, _, next := readRow(cr, columns, rankAt, &Recording{}); repair && errors.Is(next, io.EOF) && src.last != '\n' {
				out.Warnings = append(out.Warnings, fmt.Sprintf("line %d: the last line is cut short (an interrupted recording?): skipped", line))
				return out, nil
			}
			return Recording{}, err
		}
		out.Samples = append(out.Samples, s)
	}
}

// readRow reads and checks the next row. It returns the row's line and
// io.EOF at the end of the file. When rankAt is not -1, the row's rank at
// that column is appended to rec.Ranks.
func readRow(cr *csv.Reader, columns, rankAt int, out *Recording) (sample.Sample, int, error) {
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return sample.Sample{}, 0, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		line := 0
		if errors.As(err, &pe) {
			line = pe.StartLine
		}
		return sample.Sample{}, line, csvError(err)
	}
	line, _ := cr.FieldPos(0)
	if len(rec) != columns {
		return sample.Sample{}, line, fmt.Errorf("line %d: not an stg CSV row: %d columns, the header has %d", line, len(rec), columns)
	}
	s, err := parseRow(rec)
	if err != nil {
		return sample.Sample{}, line, fmt.Errorf("line %d: %w", line, err)
	}
	if rankAt >= 0 {
		rank, err := parseRank(rec[rankAt])
		if err != nil {
			return sample.Sample{}, line, fmt.Errorf("line %d: %w", line, err)
		}
		out.Ranks = append(out.Ranks, rank)
	}
	return s, line, nil
}

// sortByTime puts the rows in time order, with a warning when they were
// not. stg top writes each cycle's rows in rank order, each timed by its
// own answer: such a recording is sorted without a warning.
func (rec *Recording) sortByTime() {
	late, first := 0, 0
	var latest time.Time
	for i, s := range rec.Samples {
		if s.Time.Before(latest) {
			if late == 0 {
				first = i
			}
			late++
			continue
		}
		latest = s.Time
	}
	if late == 0 {
		return
	}
	if rec.Ranks != nil {
		order := make([]int, len(rec.Samples))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return rec.Samples[a].Time.Compare(rec.Samples[b].Time) })
		samples, ranks := make([]sample.Sample, len(order)), make([]int, len(order))
		for i, k := range order {
			samples[i], ranks[i] = rec.Samples[k], rec.Ranks[k]
		}
		rec.Samples, rec.Ranks = samples, ranks
		return
	}
	slices.SortStableFunc(rec.Samples, func(a, b sample.Sample) int { return a.Time.Compare(b.Time) })
	rows := "rows are"
	if late == 1 {
		rows = "row is"
	}
	rec.Warnings = append(rec.Warnings, fmt.Sprintf("%d %s out of time order (the first on line %d): sorted by time", late, rows, first+2))
}

// lastByte is a reader that remembers the last byte it passed on.
type lastByte struct {
	r    io.Reader
	last byte
}

// Read implements io.Reader.
func (l *lastByte) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if n > 0 {
		l.last = p[n-1]
	}
	return n, err
}

// isHeader reports whether a first record starts with our columns.
func isHeader(head []string) bool {
	if len(head) < len(Header) {
		return false
	}
	for i, name := range Header {
		if strings.TrimPrefix(head[i], "\ufeff") != name {
			return false
		}
	}
	return true
}

// csvError names the line of a CSV syntax error.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: %w", pe.Line, pe.Err)
	}
	return fmt.Errorf("read CSV: %w", err)
}

// parseRow checks one record and turns it into a Sample.
func parseRow(rec []string) (sample.Sample, error) {
	var s sample.Sample
	var err error
	if s.Time, err = time.Parse(time.RFC3339, rec[0]); err != nil {
		return s, fmt.Errorf("time %q is not RFC 3339", clip(rec[0], 40))
	}
	s.Router, s.Target, s.IfName = rec[1], rec[2], rec[4]
	if s.Router == "" || s.Target == "" {
		return s, errors.New("router and target must not be empty")
	}
	if rec[3] != "" {
		if s.IfIndex, err = strconv.Atoi(rec[3]); err != nil || s.IfIndex < 1 {
			return s, fmt.Errorf("ifindex %q is not a positive integer", clip(rec[3], 40))
		}
	}
	s.Status = sample.Status(rec[10])
	if !s.Status.Valid() {
		return s, fmt.Errorf("unknown status %q", clip(rec[10], 40))
	}
	if err := parseRates(&s, rec[5], rec[6]); err != nil {
		return s, err
	}
	if err := parseOctets(&s, rec[7], rec[8]); err != nil {
		return s, err
	}
	sec, err := strconv.ParseFloat(rec[9], 64)
	if err != nil || sec < 0 || math.IsInf(sec, 0) || math.IsNaN(sec) {
		return s, fmt.Errorf("interval_s %q is not a number of seconds", clip(rec[9], 40))
	}
	s.Interval = time.Duration(math.Round(sec * float64(time.Second)))
	return s, nil
}

// parseRates reads in_bps and out_bps, which exist exactly when the status
// carries a rate.
func parseRates(s *sample.Sample, in, out string) error {
	if !s.Status.HasRate() {
		if in != "" || out != "" {
			return fmt.Errorf("status %s carries no rate, but in_bps/out_bps are set", s.Status)
		}
		return nil
	}
	var err error
	if s.InBps, err = parseBps("in_bps", in, s.Status); err != nil {
		return err
	}
	s.OutBps, err = parseBps("out_bps", out, s.Status)
	return err
}

func parseBps(column, cell string, status sample.Status) (float64, error) {
	if cell == "" {
		return 0, fmt.Errorf("status %s needs %s, which is empty", status, column)
	}
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%s %q is not a rate in bits per second", column, clip(cell, 40))
	}
	return v, nil
}

// parseOctets reads in_octets and out_octets: both or neither.
func parseOctets(s *sample.Sample, in, out string) error {
	if in == "" && out == "" {
		return nil
	}
	var err error
	if s.InOctets, err = strconv.ParseUint(in, 10, 64); err != nil {
		return fmt.Errorf("in_octets %q is not a counter value", clip(in, 40))
	}
	if s.OutOctets, err = strconv.ParseUint(out, 10, 64); err != nil {
		return fmt.Errorf("out_octets %q is not a counter value", clip(out, 40))
	}
	s.HasOctets = true
	return nil
}

// clip shortens text quoted in an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
