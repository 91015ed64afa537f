// Package polyline thins a polyline for drawing: of the points that fall
// on one column of the output (a terminal's dot column, a picture's pixel
// column) it keeps the first, the lowest, the highest and the last, in
// their order. The line through them covers the same columns and rows as
// the full line, at a fraction of the drawing cost for long windows.
package polyline

// Thin appends to out the points of line that a drawing needs and
// returns it. column gives the output column a point falls on and y its
// height; line must be ordered by column.
func Thin[P any](out, line []P, column func(P) float64, y func(P) float64) []P {
	for i := 0; i < len(line); {
		col := column(line[i])
		j, lo, hi := i, i, i
		for j+1 < len(line) && column(line[j+1]) == col {
			j++
			if y(line[j]) < y(line[lo]) {
				lo = j
			}
			if y(line[j]) > y(line[hi]) {
				hi = j
			}
		}
		keep := [4]int{i, min(lo, hi), max(lo, hi), j}
		for k, idx := range keep {
			if k == 0 || idx != keep[k-1] {
				out = append(out, line[idx])
			}
		}
		i = j + 1
	}
	return out
}
