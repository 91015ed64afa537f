package cli

import (
	"errors"
	"strings"
	"testing"
)

// fuzzSecret is the community and passphrase every fuzzed command line
// also gets from the environment; no error may show it.
const fuzzSecret = "fuzz-s3cr3t-passphrase"

// FuzzParsePoll feeds ParsePoll command lines made of the fuzzed
// words (split on NUL) and checks that it never panics, that an accepted
// configuration has a router, at least one target and a positive
// interval, and that a rejection is one line without a secret. The seed
// corpus is in testdata/fuzz/FuzzParsePoll.
func FuzzParsePoll(f *testing.F) {
	for _, seed := range []string{
		"--router\x00bras1\x00--user\x00MyUserName",
		"bras1\x00Gi0/0/1\x00Vi1.195",
		"-v\x003\x00-u\x00noc\x00-l\x00authPriv\x00-A\x00" + fuzzSecret + "\x00r\x001",
		"-i\x000\x00r\x001",
		"-i\x00-1\x00r\x001",
		"-i\x00NaN\x00r\x001",
		"-c\x00" + fuzzSecret + "\x00--bogus=" + fuzzSecret + "\x00r\x001",
		"--router\x00r\x00extra",
		"-t\x001e300\x00r\x001",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "\x00")
		getenv := func(k string) (string, bool) {
			if strings.HasPrefix(k, "STG_") {
				return fuzzSecret, true
			}
			return "", false
		}
		p, err := ParsePoll(args, getenv, Files{})
		if errors.Is(err, ErrHelp) {
			return
		}
		if err != nil {
			msg := err.Error()
			if msg == "" || strings.ContainsAny(msg, "\r\n") {
				t.Errorf("error %q is not one line", msg)
			}
			if strings.Contains(msg, fuzzSecret) && onlyAsSecret(args) {
				t.Errorf("error %q shows the secret", msg)
			}
			return
		}
		if strings.TrimSpace(p.Session.Router) == "" {
			t.Errorf("accepted %q without a router", args)
		}
		if len(p.Session.Ifaces)+len(p.Session.Users) == 0 {
			t.Errorf("accepted %q without a target", args)
		}
		if p.Session.Interval < minInterval {
			t.Errorf("accepted %q with interval %v", args, p.Session.Interval)
		}
		if p.Session.SNMP.Timeout <= 0 {
			t.Errorf("accepted %q with timeout %v", args, p.Session.SNMP.Timeout)
		}
	})
}

// onlyAsSecret reports whether fuzzSecret appears in args only as the value
// of a secret flag (-c, -A, -X and their long names), where stg must never
// show it; typed as any other value it may be quoted back.
func onlyAsSecret(args []string) bool {
	secretFlag := map[string]bool{"-c": true, "-A": true, "-X": true, "--community": true, "--auth-pass": true, "--priv-pass": true}
	for i, a := range args {
		if !strings.Contains(a, fuzzSecret) {
			continue
		}
		name, _, isEq := strings.Cut(a, "=")
		switch {
		case isEq && secretFlag[name] && strings.HasPrefix(name, "--"):
		case i > 0 && secretFlag[args[i-1]] && !strings.Contains(args[i-1], fuzzSecret):
		default:
			return false
		}
	}
	return true
}
