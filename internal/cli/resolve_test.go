package cli

import (
	"strings"
	"testing"
)

func TestResolveFormat(t *testing.T) {
	tests := []struct {
		args []string
		want string
		rest string
		err  bool
	}{
		{[]string{"--router", "r", "-o", "json"}, "json", "--router r", false},
		{[]string{"-ojson", "--user", "u"}, "json", "--user u", false},
		{[]string{"--output=text"}, "text", "", false},
		{[]string{"--user", "u"}, "text", "--user u", false},
		{[]string{"-o"}, "", "", true},
		{[]string{"-o", "tui"}, "", "", true},
		{[]string{"--", "-o", "json"}, "text", "-- -o json", false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			got, rest, err := resolveFormat(tt.args)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if !tt.err && (got != tt.want || strings.Join(rest, " ") != tt.rest) {
				t.Errorf("got %q %q, want %q %q", got, rest, tt.want, tt.rest)
			}
		})
	}
}
