// Package snmp is everything in stg that speaks SNMP: target parsing, the
// client seam over gosnmp, the poller, and the pure counter and rate math.
package snmp

import (
	"context"
	"errors"
	"strings"
)

// Kind is the SNMP type of a value in a response, reduced to what stg needs.
type Kind int

// The kinds a Variable can carry. The exception kinds (NoSuchObject,
// NoSuchInstance, EndOfMibView) and Null mean "no value": they are never 0.
const (
	KindNull Kind = iota
	KindInteger
	KindOctetString
	KindOID
	KindIPAddress
	KindCounter32
	KindGauge32
	KindTimeTicks
	KindCounter64
	KindNoSuchObject
	KindNoSuchInstance
	KindEndOfMibView
	KindOther
)

var kindNames = [...]string{
	KindNull:           "Null",
	KindInteger:        "INTEGER",
	KindOctetString:    "OCTET STRING",
	KindOID:            "OBJECT IDENTIFIER",
	KindIPAddress:      "IpAddress",
	KindCounter32:      "Counter32",
	KindGauge32:        "Gauge32",
	KindTimeTicks:      "TimeTicks",
	KindCounter64:      "Counter64",
	KindNoSuchObject:   "noSuchObject",
	KindNoSuchInstance: "noSuchInstance",
	KindEndOfMibView:   "endOfMibView",
	KindOther:          "other",
}

// String returns the SMI name of the kind.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Variable is one varbind of a response. OID is dotted without a leading dot.
// Numeric kinds set Uint (Integer may be negative: see Int); OctetString,
// IpAddress and OID set Bytes (IpAddress and OID as their dotted text).
type Variable struct {
	OID   string
	Kind  Kind
	Uint  uint64
	Int   int64
	Bytes []byte
}

// Exists reports whether the variable carries a value (not an exception or Null).
func (v Variable) Exists() bool {
	switch v.Kind {
	case KindNull, KindNoSuchObject, KindNoSuchInstance, KindEndOfMibView:
		return false
	}
	return true
}

// IsCounter reports whether the kind is Counter32 or Counter64.
func (k Kind) IsCounter() bool { return k == KindCounter32 || k == KindCounter64 }

// Text returns the value as stg shows and compares it: the bytes of an
// OctetString, IpAddress or OID cleaned by CleanText, and "" for everything
// else. Bytes keeps the raw value.
func (v Variable) Text() string {
	return CleanText(string(v.Bytes))
}

// CleanText is the one normaliser of strings read from an agent, used
// wherever stg looks up, compares or shows one: it cuts the text at the
// first NUL byte and removes surrounding blanks, because agents pad names
// ("eth0\x00", "Port 1   ", a C buffer's garbage after the NUL).
func CleanText(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// Client is the one seam between stg and an SNMP library. A Client is used by
// one goroutine at a time.
type Client interface {
	// Get reads the given OIDs (dotted, no leading dot) and returns one
	// Variable per OID in the same order. It may split the request into
	// several PDUs when the agent limits the varbinds per message.
	Get(ctx context.Context, oids []string) ([]Variable, error)
	// BulkWalk walks the subtree under root with GETBULK (GETNEXT on
	// SNMPv1), calling fn for each variable in order. It stops at the end of
	// the subtree, when fn returns an error, or when the agent returns an OID
	// that does not increase (a loop guard).
	BulkWalk(ctx context.Context, root string, fn func(Variable) error) error
	// GetBulk sends one GETBULK for oids (no non-repeaters, maxReps
	// repetitions) and returns the varbinds as the agent sent them:
	// repetition after repetition, one per OID, possibly cut short by the
	// agent. Exceptions such as endOfMibView come back as Variables.
	GetBulk(ctx context.Context, oids []string, maxReps int) ([]Variable, error)
	// Close releases the client's socket.
	Close() error
}

// Errors callers branch on.
var (
	// ErrTimeout means the agent did not answer within the timeout.
	ErrTimeout = errors.New("request timeout")
	// ErrNotIncreasing means a walk returned an OID not after the previous one.
	ErrNotIncreasing = errors.New("agent returned OIDs out of order")
)

// NormalizeOID strips a leading dot and surrounding space from an OID.
func NormalizeOID(oid string) string {
	return strings.TrimPrefix(strings.TrimSpace(oid), ".")
}

// HasPrefix reports whether oid lies inside the subtree root (or equals it).
func HasPrefix(oid, root string) bool {
	return oid == root || strings.HasPrefix(oid, root+".")
}

// CompareOIDs orders two dotted OIDs numerically, arc by arc, as SNMP does:
// it returns -1 when a sorts before b, 0 when they are equal and 1 otherwise.
// Arcs that are not numbers compare as text.
func CompareOIDs(a, b string) int {
	a, b = NormalizeOID(a), NormalizeOID(b)
	// Skip the arcs both spell alike: OIDs compared during a walk share
	// most of theirs, and this is the hot path of reading a long column.
	same := 0
	for same < len(a) && same < len(b) && a[same] == b[same] {
		same++
	}
	start := strings.LastIndexByte(a[:same], '.') + 1
	a, b = a[start:], b[start:]
	for a != "" && b != "" {
		var x, y string
		x, a, _ = strings.Cut(a, ".")
		y, b, _ = strings.Cut(b, ".")
		if c := compareArc(x, y); c != 0 {
			return c
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	default:
		return 1
	}
}

func compareArc(x, y string) int {
	x, y = strings.TrimLeft(x, "0"), strings.TrimLeft(y, "0")
	if len(x) != len(y) {
		if len(x) < len(y) {
			return -1
		}
		return 1
	}
	return strings.Compare(x, y)
}
