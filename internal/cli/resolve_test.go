package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
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

// TestWriteResolvedJSONLiteral: `stg resolve -o json` writes names as they
// are ("<pppoe-john.doe>", not \u003c...\u003e), one object per line.
func TestWriteResolvedJSONLiteral(t *testing.T) {
	var b bytes.Buffer
	res := ciscoresolve.Result{User: "john.doe", IfIndex: 7, IfDescr: "<pppoe-john.doe>", IfName: "<pppoe-john.doe>", Method: ciscoresolve.MethodIfMIB, Elapsed: time.Millisecond}
	if err := WriteResolved(&b, "json", res, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"ifDescr":"<pppoe-john.doe>"`) || strings.Count(b.String(), "\n") != 1 {
		t.Errorf("got %q, want the name literally on one line", b.String())
	}
}
