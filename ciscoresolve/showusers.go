package ciscoresolve

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// UserCutWidth is how many characters of a username the interface table of
// IOS `show users` shows; longer names are cut.
const UserCutWidth = 18

// UserRow is one row of IOS `show users`, from either of its tables.
type UserRow struct {
	// Table is "line" for the Line table (con, vty; old IOS lists PPP
	// sessions here too) and "interface" for the Interface table.
	Table string
	// Own is true for the row marked `*`, the caller's own session.
	Own bool
	// Line is the Line cell ("2 vty 0"); empty in the Interface table.
	Line string
	// Interface is the subscriber's interface as printed ("Vi1.195"); in
	// the Line table the Host(s) cell when it names an interface.
	Interface string
	// User is the User cell, possibly cut to UserCutWidth characters.
	User string
	// Mode is the Mode cell (PPPoE, PPPoATM, PPPoVPDN) or the IOS-XR
	// Service cell.
	Mode string
	// Host is the Host(s) cell of the Line table.
	Host string
	// Idle is the Idle cell.
	Idle string
	// Peer is the Peer Address or Location cell.
	Peer string
}

// column is one header cell: its name and the offset where it starts.
type column struct {
	name  string
	start int
}

// headerNames are the column titles of the IOS and IOS-XR `show users`
// tables; "Peer Address" is the one title with a space.
var headerNames = map[string]bool{
	"Line": true, "User": true, "Host(s)": true, "Idle": true, "Location": true,
	"Interface": true, "Mode": true, "Peer": true, "Service": true, "Conns": true,
}

// modeRE matches the Mode values of PPP sessions, to split a cut username
// that runs into the Mode column.
var modeRE = regexp.MustCompile(`^(PPP\w*|VPDN\w*|L2TP\w*|PPTP\w*|IPoE\w*)$`)

// ifaceRE matches interface names in the Host(s) cell of old IOS.
var ifaceRE = regexp.MustCompile(`(?i)^(Virtual-Access|Vi|Dialer|Di|Virtual-PPP|Vp|Bundle-Ether|BE)\s?\d`)

// colSlack is how far left of its header a cell may start: IOS prints the
// Location column two characters before its title.
const colSlack = 2

// ParseShowUsers parses the output of IOS or IOS-XR `show users`. It skips
// prompts and preambles (`Load for five secs`, `Time source is`, dates),
// reads every table by its header's column positions and returns the rows.
// It fails only when the router rejected the command or no table header was
// found.
func ParseShowUsers(r io.Reader) ([]UserRow, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var (
		rows      []UserRow
		cols      []column
		table     string
		sawHeader bool
	)
	for sc.Scan() {
		line := expandTabs(strings.TrimRight(sc.Text(), "\r"))
		if isInvalidInput(line) {
			return nil, fmt.Errorf("show users: %w: %s", ErrUnsupported, strings.TrimSpace(line))
		}
		if c, t, ok := parseHeader(line); ok {
			cols, table, sawHeader = c, t, true
			continue
		}
		if cols == nil || strings.TrimSpace(line) == "" {
			continue
		}
		if row, ok := parseUserRow(line, cols, table); ok {
			rows = append(rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read show users: %w", err)
	}
	if !sawHeader {
		return nil, fmt.Errorf("show users: no table header found")
	}
	return rows, nil
}

// parseHeader recognises a table header and returns its columns.
func parseHeader(line string) ([]column, string, bool) {
	toks := tokenize(line)
	if len(toks) < 3 {
		return nil, "", false
	}
	first := toks[0].text
	if first != "Line" && first != "Interface" {
		return nil, "", false
	}
	var cols []column
	hasUser := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !headerNames[t.text] {
			if t.text == "Address" && len(cols) > 0 && cols[len(cols)-1].name == "Peer" {
				continue
			}
			return nil, "", false
		}
		hasUser = hasUser || t.text == "User"
		cols = append(cols, column{name: t.text, start: t.start})
	}
	if !hasUser {
		return nil, "", false
	}
	if first == "Line" {
		return cols, "line", true
	}
	return cols, "interface", true
}

// token is a run of non-space characters and where it starts; afterTab is
// true when a TAB came right before it.
type token struct {
	text     string
	start    int
	afterTab bool
}

// expandTabs keeps each TAB but pads it with spaces to the next multiple of
// 8 bytes, so that offsets match what a terminal shows. It works on bytes:
// names that are not UTF-8 pass through unchanged.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		col++
		if s[i] == '\t' {
			for col%8 != 0 {
				b.WriteByte(' ')
				col++
			}
		}
	}
	return b.String()
}

// tokenize splits s at ASCII white space, keeping offsets.
func tokenize(s string) []token {
	var toks []token
	start := -1
	tab := false
	for i := 0; i <= len(s); i++ {
		sp := i == len(s) || s[i] == ' ' || s[i] == '\t' || s[i] == '\v' || s[i] == '\f' || s[i] == '\r'
		switch {
		case sp && start >= 0:
			toks = append(toks, token{text: s[start:i], start: start, afterTab: tab})
			start, tab = -1, false
		case !sp && start < 0:
			start = i
		}
		if i < len(s) && s[i] == '\t' {
			tab = true
		}
	}
	return toks
}

// parseUserRow splits a data row into the header's columns.
func parseUserRow(line string, cols []column, table string) (UserRow, bool) {
	row := UserRow{Table: table}
	if strings.HasPrefix(line, "*") {
		row.Own = true
		line = " " + line[1:]
	}
	toks := tokenize(line)
	if len(toks) == 0 || strings.HasSuffix(toks[len(toks)-1].text, "#") {
		return row, false // a prompt, not a row
	}
	cells := make([][]string, len(cols))
	prev, shift := 0, 0
	for i, t := range toks {
		pos := t.start - shift
		c := 0
		for j, col := range cols {
			if col.start <= pos+colSlack {
				c = j
			}
		}
		if i > 0 && t.afterTab && c <= prev && prev+1 < len(cols) {
			c = prev + 1
		}
		c = max(c, prev)
		cells[c] = append(cells[c], t.text)
		prev = c
		// A value wider than its column (a long name) pushes the rest of
		// the row to the right: read the following cells that much left.
		if c+1 < len(cols) {
			if end := pos + len(t.text); end >= cols[c+1].start {
				shift += end + 1 - cols[c+1].start
			}
		}
	}
	get := func(name string) string {
		for j, col := range cols {
			if col.name == name {
				return strings.Join(cells[j], " ")
			}
		}
		return ""
	}
	row.Line = get("Line")
	row.User = get("User")
	row.Host = get("Host(s)")
	row.Idle = get("Idle")
	row.Peer = get("Peer") + get("Location")
	row.Mode = get("Mode") + get("Service")
	if table == "interface" {
		row.Interface = get("Interface")
		if len(cells[0]) > 0 {
			splitByMode(&row, toks[len(cells[0]):])
		}
	} else if ifaceRE.MatchString(row.Host) {
		row.Interface = row.Host
	}
	return row, true
}

// splitByMode re-reads the cells after the Interface cell around the Mode
// value, which is the anchor of the row: the User cell before it (cut to
// UserCutWidth and running into it, or shifted by a TAB), then one Idle and
// one Peer Address token. Rows without a known Mode value keep the cells
// found by position.
func splitByMode(row *UserRow, toks []token) {
	for i, t := range toks {
		user, mode := "", ""
		switch {
		case modeRE.MatchString(t.text):
			mode = t.text
		case len(t.text) > UserCutWidth && modeRE.MatchString(t.text[UserCutWidth:]):
			user, mode = t.text[:UserCutWidth], t.text[UserCutWidth:]
		default:
			continue
		}
		var words []string
		for _, u := range toks[:i] {
			words = append(words, u.text)
		}
		if user != "" {
			words = append(words, user)
		}
		row.User, row.Mode = strings.Join(words, " "), mode
		row.Idle, row.Peer = "", ""
		if rest := toks[i+1:]; len(rest) > 0 {
			row.Idle = rest[0].text
			if len(rest) > 1 {
				row.Peer = rest[1].text
			}
		}
		return
	}
}

// Match is a `show users` row that belongs to a user, and whether it matched
// only by the first UserCutWidth characters of the name.
type Match struct {
	Row UserRow
	Cut bool
}

// FindUser returns the rows with an interface that belong to user: exact
// (case-insensitive) matches of the User cell first; when there are none and
// the name is longer than UserCutWidth, the rows whose cell is the name's
// first UserCutWidth characters, marked Cut.
func FindUser(rows []UserRow, user string) []Match {
	var exact, cut []Match
	for _, r := range rows {
		if r.Interface == "" || r.User == "" {
			continue
		}
		switch {
		case strings.EqualFold(r.User, user):
			exact = append(exact, Match{Row: r})
		case len(user) > UserCutWidth && len(r.User) == UserCutWidth && strings.EqualFold(r.User, user[:UserCutWidth]):
			cut = append(cut, Match{Row: r, Cut: true})
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return cut
}

// isInvalidInput reports whether a line is IOS's rejection of a command.
func isInvalidInput(line string) bool {
	l := strings.TrimSpace(line)
	return strings.HasPrefix(l, "% Invalid input") || strings.HasPrefix(l, "% Incomplete command") ||
		strings.HasPrefix(l, "% Ambiguous command") || strings.HasPrefix(l, "% Unknown command")
}
