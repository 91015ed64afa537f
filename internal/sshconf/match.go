package sshconf

import (
	"fmt"
	"strings"

	"github.com/kevinburke/ssh_config"
)

// blockActive reports whether a Host or Match block applies to the host.
func (r *resolver) blockActive(pf *parsedFile, h *ssh_config.Host) (bool, error) {
	if n, ok := matchLine(h); ok {
		return r.matchActive(pf.name, n, pf.matches[n])
	}
	positive := false
	for _, p := range h.Patterns {
		text := p.String()
		negated := strings.HasPrefix(text, "!")
		if matchPattern(r.alias, strings.TrimPrefix(text, "!")) {
			if negated {
				return false, nil
			}
			positive = true
		}
	}
	return positive, nil
}

// matchActive evaluates a Match line's criteria, all of which must hold.
// An unsupported criterion skips the block with a warning.
func (r *resolver) matchActive(file string, line int, criteria string) (bool, error) {
	words := strings.Fields(criteria)
	if len(words) == 0 {
		return false, fmt.Errorf("%s:%d: Match needs a criterion", file, line)
	}
	result := true
	for i := 0; i < len(words); i++ {
		word := strings.ToLower(words[i])
		negate := strings.HasPrefix(word, "!")
		word = strings.TrimPrefix(word, "!")
		var ok bool
		switch word {
		case "all":
			ok = true
		case "canonical", "final":
			ok = false
		case "host", "originalhost", "user", "localuser":
			if i+1 >= len(words) {
				return false, fmt.Errorf("%s:%d: Match %s needs an argument", file, line, word)
			}
			i++
			subject, patterns := r.matchSubject(word), words[i]
			if word == "host" || word == "originalhost" {
				// OpenSSH's match_hostname ignores case.
				subject, patterns = strings.ToLower(subject), strings.ToLower(patterns)
			}
			ok = matchPatternList(subject, patterns)
		default:
			r.host.Warnings = append(r.host.Warnings, Warning{File: file, Line: line,
				Msg: fmt.Sprintf("Match %s is not supported by stg: this block is skipped", word)})
			return false, nil
		}
		if ok == negate {
			result = false
		}
	}
	return result, nil
}

// matchSubject is what a Match criterion compares with: the HostName or
// User set so far, as OpenSSH does.
func (r *resolver) matchSubject(criterion string) string {
	switch criterion {
	case "host":
		if hn, ok := r.raw[KeyHostName]; ok {
			if s, err := expandHostName(hn, r.alias); err == nil {
				return s
			}
		}
		return r.alias
	case "user":
		if u, ok := r.raw[KeyUser]; ok {
			return u
		}
		return r.opts.LocalUser
	case "localuser":
		return r.opts.LocalUser
	}
	return r.alias
}

// matchPatternList matches s against comma-separated patterns, any of
// which may be negated with '!': a negated match fails the list.
func matchPatternList(s, list string) bool {
	found := false
	for _, p := range strings.Split(list, ",") {
		negated := strings.HasPrefix(p, "!")
		if matchPattern(s, strings.TrimPrefix(p, "!")) {
			if negated {
				return false
			}
			found = true
		}
	}
	return found
}

// matchPattern is OpenSSH's match_pattern: '*' matches any run of
// characters, '?' exactly one; case matters.
func matchPattern(s, pattern string) bool {
	for {
		if pattern == "" {
			return s == ""
		}
		switch pattern[0] {
		case '*':
			for pattern != "" && pattern[0] == '*' {
				pattern = pattern[1:]
			}
			if pattern == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if matchPattern(s[i:], pattern) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != pattern[0] {
				return false
			}
		}
		s, pattern = s[1:], pattern[1:]
	}
}
