package realagents

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

// Fake returns an in-memory client that answers as the recorded agent did,
// every value frozen as recorded (a counter variation reads as its initial
// value).
func (r Recording) Fake() (*snmptest.Fake, error) {
	lines, err := r.Lines()
	if err != nil {
		return nil, err
	}
	f := snmptest.New()
	for _, l := range lines {
		v, err := l.Variable()
		if err != nil {
			return nil, fmt.Errorf("recording %s: %w", r.Name, err)
		}
		f.Set(v)
	}
	return f, nil
}

// Variable returns the value the line describes, as stg's SNMP client would
// return it. A variation ("70:numeric|rate=...,initial=V") gives its initial
// value.
func (l Line) Variable() (snmp.Variable, error) {
	v := snmp.Variable{OID: snmp.NormalizeOID(l.OID)}
	tag, variation, _ := strings.Cut(l.Tag, ":")
	value := l.Value
	if variation != "" {
		value = variationParam(l.Value, "initial")
	}
	switch tag {
	case "4", "4x", "6", "64":
		v.Kind = map[string]snmp.Kind{"4": snmp.KindOctetString, "4x": snmp.KindOctetString, "6": snmp.KindOID, "64": snmp.KindIPAddress}[tag]
		v.Bytes = []byte(value)
		if tag == "4x" {
			b, err := hex.DecodeString(value)
			if err != nil {
				return v, fmt.Errorf("%s: hex string: %w", l.OID, err)
			}
			v.Bytes = b
		}
		return v, nil
	case "2":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return v, fmt.Errorf("%s: INTEGER: %w", l.OID, err)
		}
		v.Kind, v.Int, v.Uint = snmp.KindInteger, n, uint64(n)
		return v, nil
	}
	kind, ok := map[string]snmp.Kind{"65": snmp.KindCounter32, "66": snmp.KindGauge32, "67": snmp.KindTimeTicks, "70": snmp.KindCounter64}[tag]
	if !ok {
		return v, fmt.Errorf("%s: unknown tag %q", l.OID, l.Tag)
	}
	n, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return v, fmt.Errorf("%s: %s: %w", l.OID, kind, err)
	}
	v.Kind, v.Uint, v.Int = kind, n, int64(n)
	return v, nil
}

// variationParam returns one "key=value" parameter of a variation's
// parameters ("rate=1,initial=5"), or "0" when it is absent.
func variationParam(params, key string) string {
	for _, p := range strings.Split(params, ",") {
		if k, v, ok := strings.Cut(p, "="); ok && k == key {
			return v
		}
	}
	return "0"
}
