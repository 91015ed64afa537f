package ciscoresolve

import (
	"sort"
	"strings"
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
			d := editDistance(lu, lc, limit)
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

// editDistance is the Levenshtein distance of a and b in bytes; it gives up
// and returns limit+1 as soon as the distance must exceed limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
