package ciscoresolve

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/stg-project/stg/internal/levenshtein"
)

// maxNear is how many near matches an error lists.
const maxNear = 5

// nearMatches returns up to n distinct candidates that plausibly are what
// the user meant, best first: the same name in another case, names that
// contain it or that it contains (of at least half its length), then names
// a few edits away — at most one edit per four characters of the name, so
// "bob" is near "bo8" but not near "lo".
func nearMatches(user string, candidates []string, n int) []string {
	lu := strings.ToLower(user)
	limit := max(1, len(lu)/4)
	type scored struct {
		name  string
		score int
	}
	seen := map[string]bool{}
	var best []scored
	for _, c := range candidates {
		if c == "" || c == user || seen[c] {
			continue
		}
		seen[c] = true
		lc := strings.ToLower(c)
		var s int
		switch {
		case lc == lu:
			s = 0
		case strings.Contains(lc, lu) && 2*len(lu) >= len(lc),
			strings.Contains(lu, lc) && 2*len(lc) >= len(lu) && len(lc) >= 3:
			s = 1
		default:
			if len(lu) < 3 || abs(len(lc)-len(lu)) > limit {
				continue
			}
			d := levenshtein.Distance(lu, lc, limit)
			if d > limit {
				continue
			}
			s = 1 + d
		}
		best = append(best, scored{c, s})
	}
	sort.SliceStable(best, func(i, j int) bool {
		if best[i].score != best[j].score {
			return best[i].score < best[j].score
		}
		return best[i].name < best[j].name
	})
	var out []string
	for i := 0; i < len(best) && i < n; i++ {
		out = append(out, best[i].name)
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// How a name that is not exactly the user's matches it, best first.
const (
	tierExact    = 4 // the whole text, or MikroTik's <pppoe-USER>
	tierCase     = 3 // the same in another case
	tierWord     = 2 // a word of a longer text: "*** USER ***"
	tierWordCase = 1 // the same in another case
)

// candidate is an answer that is not an exact match, kept until every
// step has had its chance to find an exact one.
type candidate struct {
	tier int
	// key tells interfaces (or sessions) apart: two candidates with one
	// key are one answer.
	key string
	// label shows the candidate in an ambiguity error.
	label string
	// resolve turns the candidate into a Result.
	resolve func(context.Context) (Result, error)
}

// resolveNear uses the best of the near candidates, when it is one answer.
func (s *SNMP) resolveNear(ctx context.Context, user string, near []candidate) (Result, error) {
	best := 0
	for _, c := range near {
		best = max(best, c.tier)
	}
	var top []candidate
	keys := map[string]bool{}
	for _, c := range near {
		if c.tier == best && !keys[c.key] {
			keys[c.key] = true
			top = append(top, c)
		}
	}
	if len(top) > 1 {
		labels := make([]string, len(top))
		for i, c := range top {
			labels[i] = c.label
		}
		return Result{}, &AmbiguousError{User: user, Router: s.Router, Matches: labels}
	}
	return top[0].resolve(ctx)
}

// AmbiguousError says that a user's name matches several interfaces (or
// sessions) equally well, so stg will not pick one. It lists them.
type AmbiguousError struct {
	// User is the name looked for.
	User string
	// Router is the router searched.
	Router string
	// Matches shows each candidate once.
	Matches []string
}

// Error implements error.
func (e *AmbiguousError) Error() string {
	list := e.Matches
	more := ""
	if len(list) > maxListed {
		more = fmt.Sprintf(" and %d more", len(list)-maxListed)
		list = list[:maxListed]
	}
	return fmt.Sprintf("user %q on %s is ambiguous, %d interfaces or sessions match it equally well: %s%s; give the name exactly as the router has it, or poll with --if IFINDEX",
		e.User, e.Router, len(e.Matches), strings.Join(list, ", "), more)
}

// maxListed is how many candidates an ambiguity error lists.
const maxListed = 10
