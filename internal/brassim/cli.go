package brassim

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/stg-project/stg/internal/ifname"
)

// vtyLine is one logged-in SSH user as `show users` lists it.
type vtyLine struct {
	slot int
	user string
	from string
}

// cliInput is everything one exec command may print about.
type cliInput struct {
	now        time.Time
	timestamps bool
	self       int // the caller's vty slot
	lines      []vtyLine
	sessions   []Session
	ifs        []ifEntry // interfaces in IF-MIB
}

// ifEntry is one IF-MIB interface as `show snmp mib ifmib ifindex` knows it.
type ifEntry struct {
	descr string
	index uint32
}

// The IOS error lines; every output line ends in CR LF, as IOS sends them.
const (
	crlf           = "\r\n"
	invalidInput   = "% Invalid input detected at '^' marker." + crlf
	incomplete     = "% Incomplete command." + crlf
	maxUserColumn  = 18
	showUsersLines = "    Line       User       Host(s)              Idle       Location" + crlf
	showUsersIfs   = "  Interface    User               Mode         Idle     Peer Address" + crlf
)

// runCLI writes the output of one exec command line, as IOS would.
func runCLI(w io.Writer, in cliInput, line string) {
	cmd, filter, _ := strings.Cut(line, "|")
	var out bytes.Buffer
	if in.timestamps {
		fmt.Fprintf(&out, "Load for five secs: 2%%/0%%; one minute: 3%%; five minutes: 3%%%s", crlf)
		fmt.Fprintf(&out, "Time source is NTP, %s%s%s", in.now.UTC().Format("15:04:05.000 MST Mon Jan 2 2006"), crlf, crlf)
	}
	var body bytes.Buffer
	words, starts := fields(cmd)
	bad := dispatch(&body, in, words)
	switch {
	case bad == -2:
		out.WriteString(incomplete + crlf)
	case bad >= 0:
		fmt.Fprintf(&out, "%s%s%s^%s%s%s", strings.TrimRight(line, " "), crlf, strings.Repeat(" ", starts[bad]), crlf, invalidInput, crlf)
	default:
		if err := applyFilter(&out, body.Bytes(), filter); err != nil {
			fmt.Fprintf(&out, "%s%s%s^%s%s%s", line, crlf, strings.Repeat(" ", len(cmd)+1), crlf, invalidInput, crlf)
		}
	}
	_, _ = w.Write(out.Bytes())
}

// fields splits a command line into words and their start columns.
func fields(s string) (words []string, starts []int) {
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		words, starts = append(words, s[i:j]), append(starts, i)
		i = j
	}
	return words, starts
}

// keyword reports whether word abbreviates kw (at least least letters), as
// the IOS parser accepts unambiguous prefixes.
func keyword(word, kw string, least int) bool {
	return len(word) >= least && strings.HasPrefix(kw, strings.ToLower(word))
}

// dispatch runs the parsed command. It returns -1 on success, -2 for an
// incomplete command, or the index of the word the parser rejected.
func dispatch(w io.Writer, in cliInput, words []string) int {
	switch {
	case len(words) == 0:
		return -1
	case !keyword(words[0], "show", 2):
		return 0
	case len(words) == 1:
		return -2
	case keyword(words[1], "users", 2):
		if len(words) > 2 {
			return 2
		}
		showUsers(w, in)
		return -1
	case keyword(words[1], "snmp", 2):
		for i, kw := range []string{"mib", "ifmib", "ifindex"} {
			if len(words) <= 2+i {
				return -2
			}
			if !keyword(words[2+i], kw, min(len(kw), 3)) {
				return 2 + i
			}
		}
		return showIfindex(w, in, words[5:], 5)
	case keyword(words[1], "subscriber", 3):
		for i, kw := range []string{"session", "username"} {
			if len(words) <= 2+i {
				return -2
			}
			if !keyword(words[2+i], kw, 3) {
				return 2 + i
			}
		}
		if len(words) != 5 {
			return min(len(words)-1, 5)
		}
		showSubscriber(w, in, words[4])
		return -1
	}
	return 1
}

// showUsers writes the vty table and the PPP interface table.
func showUsers(w io.Writer, in cliInput) {
	io.WriteString(w, showUsersLines)
	for _, l := range in.lines {
		mark := " "
		if l.slot == in.self {
			mark = "*"
		}
		fmt.Fprintf(w, "%s%3d %-9s %-10s %-20s %-8s %s%s", mark, 2+l.slot, fmt.Sprintf("vty %d", l.slot),
			l.user, "idle", "00:00:00", l.from, crlf)
	}
	io.WriteString(w, crlf+showUsersIfs)
	for _, s := range in.sessions {
		user := s.User
		if len(user) > maxUserColumn {
			user = user[:maxUserColumn]
		}
		fmt.Fprintf(w, "  %-13s%-19s%-13s%-9s%s%s", s.IfName, user, s.Mode, idleTime(s, in.now), s.Addr, crlf)
	}
}

// idleTime is the Idle cell of a session: "-" while it carries traffic.
func idleTime(s Session, now time.Time) string {
	if s.Shape.Kind != Idle {
		return "-"
	}
	d := min(now.Sub(s.Up), time.Duration(s.AcctID%600)*time.Second).Truncate(time.Second)
	return clock(d)
}

// clock formats a duration as IOS does: hh:mm:ss.
func clock(d time.Duration) string {
	d = max(d, 0)
	return fmt.Sprintf("%02d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}

// showIfindex writes `show snmp mib ifmib ifindex [INTERFACE]`; args start at
// word index first. It returns dispatch's result code.
func showIfindex(w io.Writer, in cliInput, args []string, first int) int {
	if len(args) == 0 {
		for _, f := range in.ifs {
			fmt.Fprintf(w, "%s: Ifindex = %d%s", f.descr, f.index, crlf)
		}
		return -1
	}
	if len(args) > 2 {
		return first + 2
	}
	name := strings.Join(args, "")
	for _, f := range in.ifs {
		if ifname.Equal(f.descr, name) {
			fmt.Fprintf(w, "Interface = %s, Ifindex = %d%s", f.descr, f.index, crlf)
			return -1
		}
	}
	return first
}

// showSubscriber writes the IOS-XE detailed form of `show subscriber session
// username U`, or nothing when the user has no session.
func showSubscriber(w io.Writer, in cliInput, user string) {
	for _, s := range in.sessions {
		if s.User != user {
			continue
		}
		up := clock(in.now.Sub(s.Up))
		access := "PPPoE/PPP"
		if s.Mode == "PPPoVPDN" {
			access = "L2TP/PPP"
		}
		lines := []string{
			fmt.Sprintf("Unique Session ID: %d", s.AcctID),
			"Identifier: " + s.User,
			"SIP subscriber access type(s): " + access,
			"Current SIP options: Req Fwding/Req Fwded",
			fmt.Sprintf("Session Up-time: %s, Last Changed: %s", up, up),
			"Interface: " + s.IfDescr,
			"",
			"Policy information:",
			fmt.Sprintf("  Context %08X: Handle %08X", 0x7E000000+s.AcctID, 0xA2000000+s.AcctID),
			fmt.Sprintf("  AAA_id %08X: Flow_handle 0", s.AcctID),
			"  Authentication status: authen",
			"  Downloaded User profile, excluding services:",
			"    Framed-Protocol      1 [PPP]",
			"    addr                 " + s.Addr,
			"",
			"Configuration sources associated with this session:",
			"Interface: Virtual-Template1, Active Time = " + up,
		}
		for _, l := range lines {
			io.WriteString(w, l+crlf)
		}
		return
	}
}

// applyFilter copies body to w through an IOS output modifier
// ("include RE", "exclude RE", "begin RE"); an empty filter copies all.
func applyFilter(w io.Writer, body []byte, filter string) error {
	words, _ := fields(filter)
	if len(words) == 0 {
		_, err := w.Write(body)
		return err
	}
	if len(words) < 2 {
		return fmt.Errorf("output modifier %q: missing expression", filter)
	}
	re, err := regexp.Compile(strings.Join(words[1:], " "))
	if err != nil {
		return fmt.Errorf("output modifier %q: %w", filter, err)
	}
	var keep func(string) bool
	begun := false
	switch {
	case keyword(words[0], "include", 1):
		keep = re.MatchString
	case keyword(words[0], "exclude", 1):
		keep = func(l string) bool { return !re.MatchString(l) }
	case keyword(words[0], "begin", 1):
		keep = func(l string) bool { begun = begun || re.MatchString(l); return begun }
	default:
		return fmt.Errorf("output modifier %q: unknown", words[0])
	}
	for _, l := range strings.SplitAfter(string(body), crlf) {
		if l != "" && keep(strings.TrimSuffix(l, crlf)) {
			io.WriteString(w, l)
		}
	}
	return nil
}
