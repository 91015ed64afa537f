package record

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/influxdata/line-protocol/v2/lineprotocol"

	"github.com/stg-project/stg/sample"
)

// InfluxMeasurement is the measurement of every line -o influx writes.
const InfluxMeasurement = "stg_interface"

// influxWriter encodes samples as InfluxDB line protocol (README.md, "When
// one box is not enough"): one line per sample, measurement
// stg_interface, tags router, target, ifIndex, ifName and user (those the
// row has), fields in_bps and out_bps (bits/s, only with a rate),
// in_octets and out_octets (integers, only when read), interval_s and
// status, and the sample's time in nanoseconds. Escaping is the reference
// encoder's.
type influxWriter struct {
	enc lineprotocol.Encoder
}

// write encodes s into one line and writes it to w.
func (iw *influxWriter) write(w *Writer, s sample.Sample) error {
	e := &iw.enc
	e.Reset()
	e.StartLine(InfluxMeasurement)
	// Tag keys in lexical order, as the encoder wants them.
	if s.IfIndex > 0 {
		e.AddTag("ifIndex", strconv.Itoa(s.IfIndex))
	}
	addTag(e, "ifName", s.IfName)
	addTag(e, "router", s.Router)
	addTag(e, "target", s.Target)
	addTag(e, "user", s.User)
	if s.Status.HasRate() {
		for _, f := range []struct {
			key string
			bps float64
		}{{"in_bps", s.InBps}, {"out_bps", s.OutBps}} {
			v, ok := lineprotocol.FloatValue(f.bps)
			if !ok {
				return fmt.Errorf("sample of %s at %s: status %s with rate %v", s.Target, s.Time.Format(TimeLayout), s.Status, f.bps)
			}
			e.AddField(f.key, v)
		}
	}
	if s.HasOctets {
		// A counter above 2^63−1 (never seen: exabytes) is left out
		// rather than written as a wrong integer.
		if s.InOctets <= math.MaxInt64 {
			e.AddField("in_octets", lineprotocol.IntValue(int64(s.InOctets)))
		}
		if s.OutOctets <= math.MaxInt64 {
			e.AddField("out_octets", lineprotocol.IntValue(int64(s.OutOctets)))
		}
	}
	interval, _ := lineprotocol.FloatValue(s.Interval.Seconds())
	e.AddField("interval_s", interval)
	status, _ := lineprotocol.StringValue(string(s.Status))
	e.AddField("status", status)
	e.EndLine(s.Time)
	if err := e.Err(); err != nil {
		return fmt.Errorf("encode line protocol for %s: %w", s.Target, err)
	}
	if _, err := w.out.Write(e.Bytes()); err != nil {
		return fmt.Errorf("write line protocol for %s: %w", s.Target, err)
	}
	return nil
}

// addTag adds a tag when value is not empty (line protocol has no empty
// tag values), made something a tag can hold: control characters and
// bytes that are not UTF-8 become U+FFFD, as does a trailing backslash,
// which would escape the separator after it.
func addTag(e *lineprotocol.Encoder, key, value string) {
	if value == "" {
		return
	}
	value = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(value, "\uFFFD"))
	if strings.HasSuffix(value, `\`) {
		value = strings.TrimSuffix(value, `\`) + "\uFFFD"
	}
	e.AddTag(key, value)
}
