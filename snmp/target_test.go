package snmp

import (
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in         string
		want       Target
		wantAddr   string
		wantString string
	}{
		{"bras1", Target{"udp", "bras1", 161}, "bras1:161", "bras1:161"},
		{"bras1:1161", Target{"udp", "bras1", 1161}, "bras1:1161", "bras1:1161"},
		{"  10.0.0.1  ", Target{"udp", "10.0.0.1", 161}, "10.0.0.1:161", "10.0.0.1:161"},
		{"udp:10.0.0.1:162", Target{"udp", "10.0.0.1", 162}, "10.0.0.1:162", "10.0.0.1:162"},
		{"UDP:10.0.0.1", Target{"udp", "10.0.0.1", 161}, "10.0.0.1:161", "10.0.0.1:161"},
		{"tcp:bras1.example.net", Target{"tcp", "bras1.example.net", 161}, "bras1.example.net:161", "tcp:bras1.example.net:161"},
		{"tcp:bras1:2161", Target{"tcp", "bras1", 2161}, "bras1:2161", "tcp:bras1:2161"},
		{"[::1]:1161", Target{"udp", "::1", 1161}, "[::1]:1161", "[::1]:1161"},
		{"[2001:db8::7]", Target{"udp", "2001:db8::7", 161}, "[2001:db8::7]:161", "[2001:db8::7]:161"},
		{"::1", Target{"udp", "::1", 161}, "[::1]:161", "[::1]:161"},
		{"2001:db8::7", Target{"udp", "2001:db8::7", 161}, "[2001:db8::7]:161", "[2001:db8::7]:161"},
		{"udp6:[::1]:1161", Target{"udp6", "::1", 1161}, "[::1]:1161", "udp6:[::1]:1161"},
		{"udp6:::1", Target{"udp6", "::1", 161}, "[::1]:161", "udp6:[::1]:161"},
		{"udpv6:bras1", Target{"udp6", "bras1", 161}, "bras1:161", "udp6:bras1:161"},
		{"tcp6:[2001:db8::1]:2161", Target{"tcp6", "2001:db8::1", 2161}, "[2001:db8::1]:2161", "tcp6:[2001:db8::1]:2161"},
		{"my_router-1:65535", Target{"udp", "my_router-1", 65535}, "my_router-1:65535", "my_router-1:65535"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTarget(tt.in)
			if err != nil {
				t.Fatalf("ParseTarget(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseTarget(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if a := got.Addr(); a != tt.wantAddr {
				t.Errorf("Addr() = %q, want %q", a, tt.wantAddr)
			}
			if s := got.String(); s != tt.wantString {
				t.Errorf("String() = %q, want %q", s, tt.wantString)
			}
			again, err := ParseTarget(got.String())
			if err != nil || again != got {
				t.Errorf("ParseTarget(String()) = %+v, %v; want %+v", again, err, got)
			}
		})
	}
}

func TestParseTargetErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantMsg string
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"bras1:", "empty port"},
		{"bras1:0", "not a number from 1 to 65535"},
		{"bras1:65536", "not a number from 1 to 65535"},
		{"bras1:snmp", "not a number from 1 to 65535"},
		{"bras1:-1", "not a number from 1 to 65535"},
		{"udp:", "no host"},
		{":161", "no host"},
		{"[::1", "missing ']'"},
		{"[::1]x", "expected ':port'"},
		{"[::1]:", "expected ':port'"},
		{"[10.0.0.1]:161", "not an IPv6 address"},
		{"[bras1]:161", "not an IPv6 address"},
		{"fe80::1::2:3", "not an IPv6 address"},
		{"bras 1", "not allowed in a host name"},
		{"bras1/24", "not allowed in a host name"},
		{"udp6:10.0.0.1", "needs an IPv6 address"},
		{"tcp6:127.0.0.1:161", "needs an IPv6 address"},
		{"sctp:bras1:161", "unknown transport"},
		{"http://bras1", `"http://bras1" is a URL, not a router address: give [udp:|tcp:|udp6:|tcp6:]host[:port], such as bras1 or udp:bras1:161`},
		{"https://bras1:8443/snmp", `is a URL, not a router address: give [udp:|tcp:|udp6:|tcp6:]host[:port], such as bras1 or udp:bras1:161`},
		{"snmp://10.0.0.1", `"snmp://10.0.0.1" is a URL, not a router address: give [udp:|tcp:|udp6:|tcp6:]host[:port], such as 10.0.0.1 or udp:10.0.0.1:161`},
		{"udp://bras1:161", `is a URL, not a router address: give [udp:|tcp:|udp6:|tcp6:]host[:port], such as bras1 or udp:bras1:161`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTarget(tt.in)
			if err == nil {
				t.Fatalf("ParseTarget(%q) = %+v, want an error containing %q", tt.in, got, tt.wantMsg)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("ParseTarget(%q) error = %q, want it to contain %q", tt.in, err, tt.wantMsg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
}

func TestTargetTransportKinds(t *testing.T) {
	tests := []struct {
		in       string
		wantTCP  bool
		wantIPv6 bool
	}{
		{"bras1", false, false},
		{"tcp:bras1", true, false},
		{"udp6:bras1", false, true},
		{"tcp6:bras1", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTarget(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.IsTCP() != tt.wantTCP || got.IsIPv6Transport() != tt.wantIPv6 {
				t.Errorf("IsTCP, IsIPv6Transport = %v, %v; want %v, %v", got.IsTCP(), got.IsIPv6Transport(), tt.wantTCP, tt.wantIPv6)
			}
		})
	}
}
