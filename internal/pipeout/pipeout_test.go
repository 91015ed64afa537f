package pipeout

import (
	"fmt"
	"os"
	"syscall"
	"testing"
)

// TestCatch: with Catch, a write to a pipe whose reader is gone fails with
// an error Closed recognises, and the process lives on.
func TestCatch(t *testing.T) {
	stop := Catch()
	defer stop()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	defer w.Close()
	_, err = w.Write([]byte("row\n"))
	if !Closed(fmt.Errorf("write output: %w", err)) {
		t.Errorf("write to a closed pipe: %v, want EPIPE", err)
	}
	if Closed(fmt.Errorf("write output: %w", syscall.ENOSPC)) {
		t.Error("ENOSPC counts as a closed pipe")
	}
}
