package record

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// topRows are two cycles of stg top's rows as it writes them: in rank
// order, each row timed by its own answer.
func topRows() ([]sample.Sample, []int) {
	zone := time.FixedZone("", 3600)
	at := func(ms int) time.Time { return time.Date(2026, 11, 27, 10, 0, 1, ms*int(time.Millisecond), zone) }
	row := func(ms int, target string, ifIndex int, in, out float64, st sample.Status) sample.Sample {
		s := sample.Sample{Time: at(ms), Router: "bras1", Target: target, IfIndex: ifIndex, IfName: "Vi2." + target[:1],
			InBps: in, OutBps: out, Status: st, Interval: time.Second, HasOctets: st != sample.StatusGapTimeout,
			InOctets: 1000, OutOctets: 2000, CounterBits: 64}
		if !st.HasRate() {
			s.InBps, s.OutBps, s.Interval = 0, 0, 0
		}
		return s
	}
	return []sample.Sample{
			row(40, "victim@biz", 67, 120000, 800000000, sample.StatusOK),
			row(12, "anna@isp", 65, 4000000, 2000, sample.StatusOK),
			row(25, "<pppoe-bob>", 66, 0, 0, sample.StatusGapTimeout),
			row(1041, "victim@biz", 67, 120000, 790000000.5, sample.StatusOK),
			row(1012, "anna@isp", 65, 3000000, 1000, sample.StatusOK),
		},
		[]int{1, 2, 3, 1, 2}
}

// TestRankWriter writes two cycles of stg top in CSV and JSONL: the poll
// row's columns with the rank appended, in the order written.
func TestRankWriter(t *testing.T) {
	samples, ranks := topRows()
	want := map[Format]string{
		FormatCSV: strings.Join([]string{
			"time,router,target,ifindex,ifname,in_bps,out_bps,in_octets,out_octets,interval_s,status,rank",
			"2026-11-27T10:00:01.040+01:00,bras1,victim@biz,67,Vi2.v,120000,800000000,1000,2000,1.000,ok,1",
			"2026-11-27T10:00:01.012+01:00,bras1,anna@isp,65,Vi2.a,4000000,2000,1000,2000,1.000,ok,2",
			"2026-11-27T10:00:01.025+01:00,bras1,<pppoe-bob>,66,Vi2.<,,,,,0.000,gap-timeout,3",
			"2026-11-27T10:00:02.041+01:00,bras1,victim@biz,67,Vi2.v,120000,790000000.5,1000,2000,1.000,ok,1",
			"2026-11-27T10:00:02.012+01:00,bras1,anna@isp,65,Vi2.a,3000000,1000,1000,2000,1.000,ok,2",
			""}, "\n"),
		FormatJSONL: `{"time":"2026-11-27T10:00:01.040+01:00","router":"bras1","target":"victim@biz","ifindex":67,"ifname":"Vi2.v","in_bps":120000,"out_bps":800000000,"in_octets":1000,"out_octets":2000,"interval_s":1.000,"status":"ok","rank":1}
{"time":"2026-11-27T10:00:01.012+01:00","router":"bras1","target":"anna@isp","ifindex":65,"ifname":"Vi2.a","in_bps":4000000,"out_bps":2000,"in_octets":1000,"out_octets":2000,"interval_s":1.000,"status":"ok","rank":2}
{"time":"2026-11-27T10:00:01.025+01:00","router":"bras1","target":"<pppoe-bob>","ifindex":66,"ifname":"Vi2.<","in_bps":null,"out_bps":null,"in_octets":null,"out_octets":null,"interval_s":0.000,"status":"gap-timeout","rank":3}
{"time":"2026-11-27T10:00:02.041+01:00","router":"bras1","target":"victim@biz","ifindex":67,"ifname":"Vi2.v","in_bps":120000,"out_bps":790000000.5,"in_octets":1000,"out_octets":2000,"interval_s":1.000,"status":"ok","rank":1}
{"time":"2026-11-27T10:00:02.012+01:00","router":"bras1","target":"anna@isp","ifindex":65,"ifname":"Vi2.a","in_bps":3000000,"out_bps":1000,"in_octets":1000,"out_octets":2000,"interval_s":1.000,"status":"ok","rank":2}
`,
	}
	for _, format := range []Format{FormatCSV, FormatJSONL} {
		var b bytes.Buffer
		w, err := NewRankWriter(&b, format)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range samples {
			if err := w.Write(s, ranks[i]); err != nil {
				t.Fatal(err)
			}
		}
		if b.String() != want[format] {
			t.Errorf("%s:\n%s\nwant:\n%s", format, b.String(), want[format])
		}
	}
}

// TestReadRankedRecording: a recording of stg top reads back (stg replay)
// with its ranks, sorted by time without a warning, each rank staying
// with its row; a bad rank is refused.
func TestReadRankedRecording(t *testing.T) {
	samples, ranks := topRows()
	var b bytes.Buffer
	w, _ := NewRankWriter(&b, FormatCSV)
	for i, s := range samples {
		if err := w.Write(s, ranks[i]); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := ReadRecording(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Warnings) != 0 || len(rec.Samples) != 5 || len(rec.Ranks) != 5 {
		t.Fatalf("read %d rows, %d ranks, warnings %q", len(rec.Samples), len(rec.Ranks), rec.Warnings)
	}
	wantOrder := []struct {
		target string
		rank   int
	}{{"anna@isp", 2}, {"<pppoe-bob>", 3}, {"victim@biz", 1}, {"anna@isp", 2}, {"victim@biz", 1}}
	for i, w := range wantOrder {
		if rec.Samples[i].Target != w.target || rec.Ranks[i] != w.rank {
			t.Errorf("row %d: %s rank %d, want %s rank %d", i, rec.Samples[i].Target, rec.Ranks[i], w.target, w.rank)
		}
		if i > 0 && rec.Samples[i].Time.Before(rec.Samples[i-1].Time) {
			t.Errorf("row %d out of time order", i)
		}
	}
	if got, err := ReadCSV(strings.NewReader(b.String())); err != nil || len(got) != 5 {
		t.Errorf("ReadCSV of a top recording: %d rows, %v", len(got), err)
	}
	bad := strings.Replace(b.String(), "ok,2\n", "ok,zero\n", 1)
	if _, err := ReadRecording(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), `line 3: rank "zero"`) {
		t.Errorf("bad rank: %v", err)
	}
	plain := strings.Replace(b.String(), ",rank\n", ",note\n", 1)
	if rec, err := ReadRecording(strings.NewReader(plain)); err != nil || rec.Ranks != nil {
		t.Errorf("a column other than rank: ranks %v, error %v", rec.Ranks, err)
	}
}
