// Package record writes stg's sample stream as CSV, JSON Lines or InfluxDB
// line protocol and reads a CSV recording back (README.md, "CSV and JSONL output"). Every row is
// flushed as it is written, so a pipe or a file holds every complete row at
// any moment.
//
// Number formats: time is RFC 3339 with milliseconds and the sample's zone
// offset (TimeLayout); in_bps and out_bps are bits per second as a plain
// decimal, rounded to at most three decimals and never in exponent form;
// octets are unsigned integers; interval_s has exactly three decimals. A
// value the row does not carry is an empty CSV cell and a JSON null.
package record

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/stg-project/stg/sample"
)

// TimeLayout is the layout of the time column.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Header is the CSV header, in column order. New columns are only appended.
var Header = []string{
	"time", "router", "target", "ifindex", "ifname",
	"in_bps", "out_bps", "in_octets", "out_octets", "interval_s", "status",
}

// Format is a format of the sample stream NewWriter writes.
type Format string

// The formats NewWriter accepts.
const (
	FormatCSV    Format = "csv"
	FormatJSONL  Format = "jsonl"
	FormatInflux Format = "influx"
)

// Writer writes samples in one format, flushing after every row.
type Writer struct {
	out    io.Writer
	csv    *csv.Writer
	influx *influxWriter
	header bool
}

// NewWriter returns a Writer of format "csv", "jsonl" or "influx" on w. The
// CSV header is written with the first row, so a run that produces nothing
// writes nothing; WriteHeader writes it at once.
func NewWriter(w io.Writer, format Format) (*Writer, error) {
	rw := &Writer{out: w}
	switch format {
	case FormatCSV:
		rw.csv = csv.NewWriter(w)
	case FormatJSONL:
	case FormatInflux:
		rw.influx = &influxWriter{}
	default:
		return nil, fmt.Errorf("unknown output format %q: want csv, jsonl or influx", format)
	}
	return rw, nil
}

// WriteHeader writes the CSV header if it has not been written yet; for
// JSONL and line protocol it does nothing.
func (w *Writer) WriteHeader() error {
	if w.csv == nil || w.header {
		return nil
	}
	w.header = true
	if err := w.csv.Write(Header); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	return nil
}

// Write writes one sample as one row and flushes it to the underlying
// writer. A row status that carries a rate must have finite rates.
func (w *Writer) Write(s sample.Sample) error {
	if w.influx != nil {
		return w.influx.write(w, s)
	}
	f, err := fields(s)
	if err != nil {
		return err
	}
	if w.csv != nil {
		if err := w.WriteHeader(); err != nil {
			return err
		}
		if err := w.csv.Write(f.csvRow()); err != nil {
			return fmt.Errorf("write CSV row for %s: %w", s.Target, err)
		}
		if err := w.flush(); err != nil {
			return fmt.Errorf("write CSV row for %s: %w", s.Target, err)
		}
		return nil
	}
	line, err := MarshalLine(f.jsonRow())
	if err != nil {
		return fmt.Errorf("encode JSON row for %s: %w", s.Target, err)
	}
	if _, err := w.out.Write(line); err != nil {
		return fmt.Errorf("write JSON row for %s: %w", s.Target, err)
	}
	return nil
}

// MarshalLine encodes v as one line of JSON, newline included, writing
// text literally: "<pppoe-john.doe>" stays as it is instead of becoming
// \u003cpppoe-john.doe\u003e, so that grep finds it in a log.
func MarshalLine(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// flush pushes the CSV writer's buffer to the underlying writer.
func (w *Writer) flush() error {
	w.csv.Flush()
	return w.csv.Error()
}

// row holds one sample's cells as text; "" means absent.
type row struct {
	time, router, target, ifIndex, ifName string
	inBps, outBps, inOctets, outOctets    string
	interval, status                      string
}

// fields formats a sample's cells.
func fields(s sample.Sample) (row, error) {
	r := row{
		time:     s.Time.Format(TimeLayout),
		router:   s.Router,
		target:   s.Target,
		ifName:   s.IfName,
		interval: strconv.FormatFloat(s.Interval.Seconds(), 'f', 3, 64),
		status:   string(s.Status),
	}
	if s.IfIndex > 0 {
		r.ifIndex = strconv.Itoa(s.IfIndex)
	}
	if s.Status.HasRate() {
		for _, bps := range []float64{s.InBps, s.OutBps} {
			if math.IsNaN(bps) || math.IsInf(bps, 0) {
				return row{}, fmt.Errorf("sample of %s at %s: status %s with rate %v", s.Target, r.time, s.Status, bps)
			}
		}
		r.inBps, r.outBps = FormatBps(s.InBps), FormatBps(s.OutBps)
	}
	if s.HasOctets {
		r.inOctets = strconv.FormatUint(s.InOctets, 10)
		r.outOctets = strconv.FormatUint(s.OutOctets, 10)
	}
	return r, nil
}

// FormatBps formats a rate as a plain decimal with at most three decimals.
func FormatBps(bps float64) string {
	if math.Abs(bps) < 1<<53/1000 { // above, float64 steps are coarser than 0.001
		bps = math.Round(bps*1000) / 1000
	}
	if bps == 0 {
		bps = 0 // no "-0"
	}
	return strconv.FormatFloat(bps, 'f', -1, 64)
}

func (r row) csvRow() []string {
	return []string{
		r.time, r.router, r.target, r.ifIndex, r.ifName,
		r.inBps, r.outBps, r.inOctets, r.outOctets, r.interval, r.status,
	}
}

// jsonRow is one JSONL object; its field order is the CSV column order.
type jsonRow struct {
	Time      string       `json:"time"`
	Router    string       `json:"router"`
	Target    string       `json:"target"`
	IfIndex   *json.Number `json:"ifindex"`
	IfName    *string      `json:"ifname"`
	InBps     *json.Number `json:"in_bps"`
	OutBps    *json.Number `json:"out_bps"`
	InOctets  *json.Number `json:"in_octets"`
	OutOctets *json.Number `json:"out_octets"`
	Interval  json.Number  `json:"interval_s"`
	Status    string       `json:"status"`
}

func (r row) jsonRow() jsonRow {
	return jsonRow{
		Time: r.time, Router: r.router, Target: r.target,
		IfIndex: number(r.ifIndex), IfName: text(r.ifName),
		InBps: number(r.inBps), OutBps: number(r.outBps),
		InOctets: number(r.inOctets), OutOctets: number(r.outOctets),
		Interval: json.Number(r.interval), Status: r.status,
	}
}

// number returns nil (JSON null) for an absent cell.
func number(cell string) *json.Number {
	if cell == "" {
		return nil
	}
	n := json.Number(cell)
	return &n
}

// text returns nil (JSON null) for an absent cell.
func text(cell string) *string {
	if cell == "" {
		return nil
	}
	return &cell
}
