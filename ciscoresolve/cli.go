package ciscoresolve

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// IfIndexEntry is one answer of IOS `show snmp mib ifmib ifindex`.
type IfIndexEntry struct {
	// Interface is the full interface name IOS prints back.
	Interface string
	// IfIndex is its ifIndex.
	IfIndex int
}

var (
	// ifIndexOneRE matches "Interface = Virtual-Access1.195, Ifindex = 257".
	ifIndexOneRE = regexp.MustCompile(`^\s*Interface\s*=\s*(.+?)\s*,\s*Ifindex\s*=\s*(\d+)\s*$`)
	// ifIndexListRE matches "Virtual-Access1.195: Ifindex = 257".
	ifIndexListRE = regexp.MustCompile(`^\s*(\S.*?)\s*:\s*Ifindex\s*=\s*(\d+)\s*$`)
	// subscriberIfRE matches the "Interface: Virtual-Access1.1" line.
	subscriberIfRE = regexp.MustCompile(`^\s*Interface:\s*(\S+)\s*$`)
	// subscriberUserRE matches the "Identifier: user" or "Username: user" line.
	subscriberUserRE = regexp.MustCompile(`^\s*(?:Identifier|Username|User name):\s*(\S.*?)\s*$`)
)

// ParseIfIndex parses IOS `show snmp mib ifmib ifindex [INTERFACE]`, in the
// one-interface form ("Interface = X, Ifindex = N") or the list form
// ("X: Ifindex = N"). A rejected command gives ErrUnsupported.
func ParseIfIndex(r io.Reader) ([]IfIndexEntry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var out []IfIndexEntry
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if isInvalidInput(line) {
			return nil, fmt.Errorf("show snmp mib ifmib ifindex: %w: %s", ErrUnsupported, strings.TrimSpace(line))
		}
		m := ifIndexOneRE.FindStringSubmatch(line)
		if m == nil {
			m = ifIndexListRE.FindStringSubmatch(line)
		}
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[2])
		if err != nil || n <= 0 {
			continue
		}
		out = append(out, IfIndexEntry{Interface: m[1], IfIndex: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read show snmp mib ifmib ifindex: %w", err)
	}
	return out, nil
}

// SubscriberSession is what stg reads from IOS-XE `show subscriber session
// username U`: the session's identifier and interface.
type SubscriberSession struct {
	// User is the Identifier (or Username) line's value; may be empty.
	User string
	// Interface is the Interface line's value, such as "Virtual-Access1.1".
	Interface string
}

// ParseSubscriberSession parses IOS-XE `show subscriber session username U`
// and returns one entry per Interface line (a user may have several
// sessions). A rejected command gives ErrUnsupported; no session gives an
// empty slice.
func ParseSubscriberSession(r io.Reader) ([]SubscriberSession, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var (
		out  []SubscriberSession
		user string
	)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if isInvalidInput(line) {
			return nil, fmt.Errorf("show subscriber session: %w: %s", ErrUnsupported, strings.TrimSpace(line))
		}
		if m := subscriberUserRE.FindStringSubmatch(line); m != nil {
			user = m[1]
			continue
		}
		if m := subscriberIfRE.FindStringSubmatch(line); m != nil {
			out = append(out, SubscriberSession{User: user, Interface: m[1]})
			user = ""
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read show subscriber session: %w", err)
	}
	return out, nil
}

// pagerRE matches an IOS `--More--` prompt and the backspaces and spaces
// that erase it.
var pagerRE = regexp.MustCompile(` ?--More-- ?(\x08+ *\x08*)?`)

// cleanPager removes `--More--` prompts, should a router page exec output
// after all.
func cleanPager(s string) string {
	if !strings.Contains(s, "--More--") {
		return s
	}
	return pagerRE.ReplaceAllString(s, "")
}
