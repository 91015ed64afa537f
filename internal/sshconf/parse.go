package sshconf

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kevinburke/ssh_config"
)

// The library follows Include lines itself, from the real home directory,
// and refuses Match criteria it does not know. parse hands it each file
// with those two keywords renamed so that sshconf evaluates them: an
// Include becomes a plain key, a Match a Host block whose single pattern
// names the Match line.
const (
	includeKey    = "StgInclude"
	matchSentinel = "stg-match-line-"
)

// keywordLine finds a line's keyword, before blanks or '='.
var keywordLine = regexp.MustCompile(`^(\s*)([A-Za-z]+)(\s*=\s*|\s+)(.*)$`)

// parsedFile is one file as the library parsed it, with its Match lines.
type parsedFile struct {
	name   string
	system bool // /etc/ssh/ssh_config or a file it includes
	cfg    *ssh_config.Config
	// matches maps a Match line's number to its criteria.
	matches map[int]string
}

// parse splits data into blocks and key/value pairs.
func parse(name string, data []byte, system bool) (*parsedFile, error) {
	pf := &parsedFile{name: name, system: system, matches: map[int]string{}}
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		m := keywordLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		switch strings.ToLower(m[2]) {
		case "include":
			lines[i] = m[1] + includeKey + " " + m[4]
		case "match":
			criteria, _, _ := strings.Cut(m[4], "#")
			pf.matches[i+1] = strings.TrimSpace(criteria)
			lines[i] = m[1] + "Host " + matchSentinel + strconv.Itoa(i+1)
		}
	}
	cfg, err := ssh_config.DecodeBytes([]byte(strings.Join(lines, "\n")))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	pf.cfg = cfg
	return pf, nil
}

// matchLine reports whether h stands for a Match line, and which.
func matchLine(h *ssh_config.Host) (int, bool) {
	if len(h.Patterns) != 1 {
		return 0, false
	}
	rest, ok := strings.CutPrefix(h.Patterns[0].String(), matchSentinel)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil
}
