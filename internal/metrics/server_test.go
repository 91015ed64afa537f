package metrics

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stg-project/stg/sample"
)

func TestListenAddr(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"9771", "127.0.0.1:9771"},
		{":9771", "127.0.0.1:9771"},
		{"127.0.0.1:9771", "127.0.0.1:9771"},
		{"localhost:0", "localhost:0"},
		{"[::1]:9771", "[::1]:9771"},
		{"0.0.0.0:9771", "0.0.0.0:9771"},
	} {
		if got, err := ListenAddr(tt.in); err != nil || got != tt.want {
			t.Errorf("ListenAddr(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "host", "host:", "host:http", ":65536", "-1", "::1:9771", "a:b:c"} {
		if got, err := ListenAddr(bad); err == nil || !strings.Contains(err.Error(), "[HOST:]PORT") {
			t.Errorf("ListenAddr(%q) = %q, %v; want an error saying what it takes", bad, got, err)
		}
	}
}

// TestHandler: GET and HEAD /metrics answer the text format, / links to
// it, another path is 404 and another method 405.
func TestHandler(t *testing.T) {
	s := NewStore(BuildInfo{Version: "v9"})
	s.Record(user(1, sample.StatusFirst))
	sv, err := Listen("127.0.0.1:0", s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	if w := sv.Warning(); w != "" {
		t.Errorf("warning on loopback: %q", w)
	}
	base := "http://" + sv.Addr()
	for _, tt := range []struct {
		method, path string
		code         int
		body         string
	}{
		{"GET", "/metrics", 200, `ifHCInOctets{ifAlias="cust \"A\"",ifDescr="Virtual-Access2.1",ifIndex="257",ifName="Vi2.1",router="bras1",user="anna rossi"} 1000`},
		{"GET", "/metrics", 200, "process_resident_memory_bytes"},
		{"GET", "/metrics", 200, `stg_build_info{goversion="",revision="",version="v9"} 1`},
		{"HEAD", "/metrics", 200, ""},
		{"GET", "/", 200, `<a href="/metrics">`},
		{"GET", "/metricsx", 404, ""},
		{"GET", "/debug/pprof/", 404, ""},
		{"POST", "/metrics", 405, ""},
		{"DELETE", "/", 405, ""},
	} {
		req, err := http.NewRequest(tt.method, base+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code || !strings.Contains(string(body), tt.body) {
			t.Errorf("%s %s: %d, body without %q:\n%.300s", tt.method, tt.path, resp.StatusCode, tt.body, body)
		}
	}
	if err := sv.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if _, err := http.Get(base + "/metrics"); err == nil {
		t.Error("the server still answers after Close")
	}
}

// TestWarningBeyondLoopback: a server on an address other hosts reach
// says so in one line, naming the address.
func TestWarningBeyondLoopback(t *testing.T) {
	sv := &Server{ln: fakeListener{&net.TCPAddr{IP: net.IPv4zero, Port: 9771}}}
	if w := sv.Warning(); !strings.Contains(w, "0.0.0.0:9771") || !strings.Contains(w, "beyond this host") || strings.Contains(w, "\n") {
		t.Errorf("warning %q", w)
	}
}

type fakeListener struct{ addr net.Addr }

func (fakeListener) Accept() (net.Conn, error) { return nil, net.ErrClosed }
func (fakeListener) Close() error              { return nil }
func (l fakeListener) Addr() net.Addr          { return l.addr }
