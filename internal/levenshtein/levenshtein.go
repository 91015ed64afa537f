// Package levenshtein measures how far apart two names are, for the "closest
// names" stg suggests when an interface or a user is not found.
package levenshtein

// Distance returns the Levenshtein distance of a and b in runes. When limit
// is not negative it gives up as soon as the distance must exceed limit and
// returns limit+1, which keeps a scan of thousands of names cheap.
func Distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); limit >= 0 && (d > limit || -d > limit) {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if limit >= 0 && rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
