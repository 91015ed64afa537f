package snmp

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// DefaultPort is the SNMP agent port used when a target names none.
const DefaultPort = 161

// Transports a Target can name, as net-snmp spells them.
const (
	TransportUDP  = "udp"
	TransportTCP  = "tcp"
	TransportUDP6 = "udp6"
	TransportTCP6 = "tcp6"
)

// transportAliases maps every accepted transport prefix (lower case) to its
// canonical name. net-snmp also accepts the "v6" spellings.
var transportAliases = map[string]string{
	"udp":   TransportUDP,
	"tcp":   TransportTCP,
	"udp6":  TransportUDP6,
	"tcp6":  TransportTCP6,
	"udpv6": TransportUDP6,
	"tcpv6": TransportTCP6,
}

// Target is an SNMP agent address: transport, host and port.
type Target struct {
	// Transport is "udp", "tcp", "udp6" or "tcp6".
	Transport string
	// Host is a host name or an IP address (IPv6 without brackets).
	Host string
	// Port is the agent's port, 161 unless the target named another.
	Port int
}

// ParseTarget reads a net-snmp style agent address:
// [udp:|tcp:|udp6:|tcp6:]host[:port], [v6addr]:port, or a bare IPv6 address.
// The transport defaults to udp and the port to 161. A URL (http://host)
// is refused with the format to use instead.
func ParseTarget(s string) (Target, error) { return ParseTargetPort(s, DefaultPort) }

// ParseTargetPort is ParseTarget with port for an address that names none
// (net-snmp's defaultPort of snmp.conf).
func ParseTargetPort(s string, defaultPort int) (Target, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return Target{}, fmt.Errorf("parse router address: empty")
	}
	if scheme, after, ok := strings.Cut(in, "://"); ok && isLetters(scheme) {
		return Target{}, urlError(in, after)
	}
	t := Target{Transport: TransportUDP, Port: defaultPort}
	rest := in
	if prefix, after, ok := strings.Cut(in, ":"); ok {
		if tr, known := transportAliases[strings.ToLower(prefix)]; known {
			t.Transport, rest = tr, after
		} else if strings.Contains(after, ":") && isLetters(prefix) && net.ParseIP(in) == nil {
			return Target{}, fmt.Errorf("parse router address %q: unknown transport %q (use udp, tcp, udp6 or tcp6)", in, prefix)
		}
	}
	host, port, err := splitHostPort(rest)
	if err != nil {
		return Target{}, fmt.Errorf("parse router address %q: %w", in, err)
	}
	t.Host = host
	if port != "" {
		p, err := strconv.Atoi(port)
		if err != nil || p < 1 || p > 65535 {
			return Target{}, fmt.Errorf("parse router address %q: port %q is not a number from 1 to 65535", in, port)
		}
		t.Port = p
	}
	if err := checkHost(t.Host); err != nil {
		return Target{}, fmt.Errorf("parse router address %q: %w", in, err)
	}
	if t.IsIPv6Transport() {
		if ip := net.ParseIP(t.Host); ip != nil && ip.To4() != nil {
			return Target{}, fmt.Errorf("parse router address %q: %s needs an IPv6 address or a host name, not %s", in, t.Transport, t.Host)
		}
	}
	return t, nil
}

// urlError is the error for a router given as a URL (scheme://rest): it
// names the format and an example built from the URL's host.
func urlError(in, rest string) error {
	host := "bras1"
	if u, err := url.Parse("x://" + rest); err == nil && checkHost(u.Hostname()) == nil {
		host = u.Hostname()
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
	}
	return fmt.Errorf("router %q is a URL, not a router address: give [udp:|tcp:|udp6:|tcp6:]host[:port], such as %s or udp:%s:161", in, host, host)
}

// splitHostPort separates host and port of "host", "host:port",
// "[v6]", "[v6]:port" or a bare IPv6 address. port is "" when absent.
func splitHostPort(s string) (host, port string, err error) {
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]")
		if end < 0 {
			return "", "", fmt.Errorf("missing ']' after the IPv6 address")
		}
		host, after := s[1:end], s[end+1:]
		if net.ParseIP(host) == nil || !strings.Contains(host, ":") {
			return "", "", fmt.Errorf("%q in brackets is not an IPv6 address", host)
		}
		if after == "" {
			return host, "", nil
		}
		if !strings.HasPrefix(after, ":") || after == ":" {
			return "", "", fmt.Errorf("expected ':port' after the IPv6 address, got %q", after)
		}
		return host, after[1:], nil
	}
	switch strings.Count(s, ":") {
	case 0:
		return s, "", nil
	case 1:
		host, port, _ := strings.Cut(s, ":")
		if port == "" {
			return "", "", fmt.Errorf("empty port after ':'")
		}
		return host, port, nil
	default:
		if net.ParseIP(s) == nil {
			return "", "", fmt.Errorf("%q is not an IPv6 address (write [addr]:port to give a port)", s)
		}
		return s, "", nil
	}
}

// checkHost accepts IP addresses and host names made of letters, digits,
// '-', '_' and '.'.
func checkHost(host string) error {
	if host == "" {
		return fmt.Errorf("no host")
	}
	if net.ParseIP(host) != nil {
		return nil
	}
	for _, r := range host {
		ok := r == '-' || r == '_' || r == '.' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return fmt.Errorf("host %q contains %q, which is not allowed in a host name", host, r)
		}
	}
	if len(host) > 253 {
		return fmt.Errorf("host name is longer than 253 characters")
	}
	return nil
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return s != ""
}

// IsIPv6Transport reports whether the transport is udp6 or tcp6.
func (t Target) IsIPv6Transport() bool {
	return t.Transport == TransportUDP6 || t.Transport == TransportTCP6
}

// IsTCP reports whether the transport is tcp or tcp6.
func (t Target) IsTCP() bool {
	return t.Transport == TransportTCP || t.Transport == TransportTCP6
}

// Addr returns "host:port", with an IPv6 address in brackets.
func (t Target) Addr() string {
	return net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
}

// String returns the target in net-snmp form, which ParseTarget reads back;
// the transport prefix is left out when it is the default udp and the host
// cannot be mistaken for a transport.
func (t Target) String() string {
	_, hostIsTransport := transportAliases[strings.ToLower(t.Host)]
	if (t.Transport == "" || t.Transport == TransportUDP) && !hostIsTransport {
		return t.Addr()
	}
	tr := t.Transport
	if tr == "" {
		tr = TransportUDP
	}
	return tr + ":" + t.Addr()
}
