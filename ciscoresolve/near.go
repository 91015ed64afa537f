package ciscoresolve

import (
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
