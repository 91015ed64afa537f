package ciscoresolve

import (
	"sort"
	"strings"

	"github.com/stg-project/stg/internal/levenshtein"
)

// maxNear is how many near matches an error lists.
const maxNear = 5

// nearMatches returns up to n distinct candidates that resemble user, best
// first: same name in another case, names containing it or contained in it,
// then small edit distances (at most a third of the name's length).
func nearMatches(user string, candidates []string, n int) []string {
	lu := strings.ToLower(user)
	limit := len(lu)/3 + 1
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
		case strings.Contains(lc, lu) || strings.Contains(lu, lc) && len(lc) >= 3:
			s = 1
		default:
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
