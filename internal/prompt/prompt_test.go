package prompt

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestReadPasswordLine(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"s3cret\n", "s3cret", nil},
		{"s3cret\r\n", "s3cret", nil},
		{"last line without end", "last line without end", nil},
		{"first\nsecond\n", "first", nil},
		{"", "", errNoAnswer},
	}
	for _, tt := range tests {
		got, err := readPasswordLine(strings.NewReader(tt.in))
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("readPasswordLine(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	long := strings.Repeat("x", 2*maxPassword) + "\n"
	if got, _ := readPasswordLine(strings.NewReader(long)); len(got) > maxPassword {
		t.Errorf("read %d bytes of a long line, want at most %d", len(got), maxPassword)
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(&bytes.Buffer{}) || IsTerminal(f) {
		t.Error("a buffer or a file counts as a terminal")
	}
}
