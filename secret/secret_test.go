package secret

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const (
	testCommunity = "s3cr3t-community"
	testAuthPass  = "auth-passphrase-1"
	testPrivPass  = "priv-passphrase-2"
)

func TestRedactError(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name    string
		err     error
		secrets []Secret
		want    string
	}{
		{"no secret in message", fmt.Errorf("get on h: %w", base), []Secret{testCommunity}, "get on h: boom"},
		{"community replaced", fmt.Errorf("bad packet for %s: %w", testCommunity, base), []Secret{testCommunity, ""}, "bad packet for <redacted>: boom"},
		{"two secrets", fmt.Errorf("%s/%s: %w", testAuthPass, testPrivPass, base), []Secret{testAuthPass, testPrivPass}, "<redacted>/<redacted>: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RedactError(tt.err, tt.secrets...)
			if got.Error() != tt.want {
				t.Errorf("RedactError = %q, want %q", got, tt.want)
			}
			if !errors.Is(got, base) {
				t.Error("redacted error lost its chain")
			}
			if Redact(tt.err.Error(), tt.secrets...) != tt.want {
				t.Errorf("Redact = %q, want %q", Redact(tt.err.Error(), tt.secrets...), tt.want)
			}
		})
	}
	if RedactError(nil, testCommunity) != nil {
		t.Error("RedactError(nil) is not nil")
	}
}

func TestSecretNeverFormats(t *testing.T) {
	s := Secret(testAuthPass)
	type holder struct{ Pass Secret }
	b, err := json.Marshal(holder{s})
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q", s, holder{s}, holder{s}, s, s), string(b)} {
		if strings.Contains(out, testAuthPass) || !strings.Contains(out, "redacted") {
			t.Errorf("formatted %q: want it redacted, never the text", out)
		}
	}
	if s.Reveal() != testAuthPass || Secret("").String() != "" {
		t.Errorf("Reveal %q, empty String %q", s.Reveal(), Secret("").String())
	}
}
