package metrics

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Timeouts of the HTTP server: a client that sends its request slowly,
// or reads the answer slowly, or keeps an idle connection, is cut off.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	// maxScrapes is how many scrapes are answered at once; more wait.
	maxScrapes = 4
)

// ListenAddr reads a --listen value: [HOST:]PORT. Without a host (9771 or
// :9771) it is loopback, 127.0.0.1; a host given is used as it is.
func ListenAddr(value string) (string, error) {
	bad := fmt.Errorf("--listen %q: want [HOST:]PORT, such as 127.0.0.1:9771, or :9771 for loopback", value)
	if value == "" {
		return "", bad
	}
	host, port := "", value
	if strings.Contains(value, ":") {
		var err error
		if host, port, err = net.SplitHostPort(value); err != nil {
			return "", bad
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", bad
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// Server serves a Store's metrics over HTTP: GET /metrics, and / with a
// link to it; anything else is 404 (or 405 for another method).
type Server struct {
	ln   net.Listener
	srv  *http.Server
	done chan struct{}
}

// Listen opens addr (see ListenAddr) and serves the metrics of s, of the
// process and of the Go runtime on it until Close. errLog receives the
// HTTP server's own errors (a client that went away); nil discards them.
func Listen(addr string, s *Store, errLog io.Writer) (*Server, error) {
	reg := prometheus.NewRegistry()
	for _, c := range []prometheus.Collector{s, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for /metrics on %s: %w", addr, err)
	}
	if errLog == nil {
		errLog = io.Discard
	}
	logger := log.New(errLog, "stg: /metrics: ", 0)
	srv := &http.Server{
		Handler:           Handler(reg, logger),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          logger,
	}
	sv := &Server{ln: ln, srv: srv, done: make(chan struct{})}
	go func() {
		defer close(sv.done)
		_ = srv.Serve(ln) // ErrServerClosed after Close
	}()
	return sv, nil
}

// Handler returns the HTTP handler of the endpoint: GET (or HEAD)
// /metrics answers the metrics of g, / a page that links to it.
func Handler(g prometheus.Gatherer, errLog *log.Logger) http.Handler {
	metrics := promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorLog:            errLog,
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: maxScrapes,
	})
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics) // GET patterns take HEAD too
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html>
<html><head><title>stg</title></head>
<body><h1>stg</h1><p><a href="/metrics">/metrics</a>: interface counters, rates and poll health in the Prometheus text format.</p></body></html>
`)
	})
	return mux
}

// Addr returns the address the server listens on (the port chosen when
// 0 was asked for).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Warning returns one line to show when the server listens beyond this
// host, "" on loopback.
func (s *Server) Warning() string {
	if tcp, ok := s.ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		return ""
	}
	return fmt.Sprintf("/metrics listens on %s, beyond this host: whoever reaches it reads the routers' interface names, subscribers and rates (firewall it, or give a loopback address)", s.Addr())
}

// Close stops the server at once: open scrapes are cut off.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("close /metrics on %s: %w", s.Addr(), err)
	}
	return nil
}
