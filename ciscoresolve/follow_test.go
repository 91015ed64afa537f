package ciscoresolve

import (
	"context"
	"errors"
	"testing"
	"time"
)

// script is a Resolver that fails a given number of times, then answers.
type script struct {
	failures int
	calls    int
}

func (s *script) Resolve(context.Context, string) (Result, error) {
	s.calls++
	if s.calls <= s.failures {
		return Result{}, &NotFoundError{User: "u", Router: "r"}
	}
	return Result{IfIndex: 300 + s.calls}, nil
}

func TestFollowerRefind(t *testing.T) {
	tests := []struct {
		name      string
		failures  int
		wantWaits []time.Duration
	}{
		{"back at once", 0, nil},
		{"doubling back-off capped", 6, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &script{failures: tt.failures}
			var waits []time.Duration
			retries := 0
			f := &Follower{Resolver: r, Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
				OnRetry: func(string, int, error) { retries++ }}
			res, err := f.Refind(context.Background(), "u")
			if err != nil {
				t.Fatal(err)
			}
			if res.IfIndex != 300+tt.failures+1 {
				t.Errorf("ifIndex %d, want the answer after %d failures", res.IfIndex, tt.failures)
			}
			if len(waits) != len(tt.wantWaits) || retries != tt.failures {
				t.Fatalf("waits %v and %d retries, want %v", waits, retries, tt.wantWaits)
			}
			for i := range waits {
				if waits[i] != tt.wantWaits[i] {
					t.Errorf("wait %d = %v, want %v", i, waits[i], tt.wantWaits[i])
				}
			}
		})
	}
}

func TestFollowerCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	f := &Follower{Resolver: &script{failures: 1 << 30}, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	_, err := f.Refind(ctx, "u")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
}
