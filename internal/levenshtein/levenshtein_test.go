package levenshtein

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", -1, 0},
		{"abc", "", -1, 3},
		{"kitten", "sitting", -1, 3},
		{"MyUserName", "MyUserNam", -1, 1},
		{"Gi0/1", "Gi0/2", -1, 1},
		{"Virtual-Access1.195", "Vi1.195", -1, 12},
		{"äbc", "abc", -1, 1}, // runes, not bytes
		{"kitten", "sitting", 2, 3},
		{"kitten", "sitting", 3, 3},
		{"a", "abcdef", 2, 3}, // lengths alone exceed the limit
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}
