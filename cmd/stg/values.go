package main

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/stg-project/stg/secret"
)

// routerValue is the pflag.Value of --router: it keeps every value given,
// so that a second --router is refused instead of replacing the first.
type routerValue struct {
	dst   *string
	given []string
}

// String implements pflag.Value.
func (r *routerValue) String() string { return *r.dst }

// Set implements pflag.Value.
func (r *routerValue) Set(v string) error {
	r.given = append(r.given, v)
	*r.dst = v
	return nil
}

// Type implements pflag.Value.
func (r *routerValue) Type() string { return "string" }

// secretValue is a pflag.Value that stores a secret.Secret and never shows it.
type secretValue secret.Secret

// String implements pflag.Value without revealing the secret.
func (s *secretValue) String() string { return secret.Secret(*s).String() }

// Set implements pflag.Value.
func (s *secretValue) Set(v string) error { *s = secretValue(v); return nil }

// Type implements pflag.Value.
func (s *secretValue) Type() string { return "secret" }

// durationValue is a pflag.Value for a time.Duration that also accepts bare
// seconds ("0.5", "2"), as net-snmp's -t does.
type durationValue time.Duration

// String implements pflag.Value.
func (d *durationValue) String() string {
	if *d == 0 {
		return "0"
	}
	return time.Duration(*d).String()
}

// Set implements pflag.Value.
func (d *durationValue) Set(v string) error {
	parsed, err := parseSeconds(v)
	if err != nil {
		return err
	}
	*d = durationValue(parsed)
	return nil
}

// Type implements pflag.Value.
func (d *durationValue) Type() string { return "duration" }

// parseSeconds reads bare seconds ("0.5") or a Go duration ("500ms").
func parseSeconds(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(f) || math.Abs(f) > maxSeconds {
			return 0, errors.New("want seconds (0.5) or a duration (500ms, 2s)")
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, errors.New("want seconds (0.5) or a duration (500ms, 2s)")
	}
	return d, nil
}
