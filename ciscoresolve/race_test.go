package ciscoresolve

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// resolverFunc adapts a function to Resolver.
type resolverFunc func(ctx context.Context, user string) (Result, error)

func (f resolverFunc) Resolve(ctx context.Context, user string) (Result, error) { return f(ctx, user) }

// blocked waits for cancellation and reports it on cancelled.
func blocked(cancelled chan<- error) Resolver {
	return resolverFunc(func(ctx context.Context, _ string) (Result, error) {
		<-ctx.Done()
		cancelled <- ctx.Err()
		return Result{}, ctx.Err()
	})
}

func failing(err error) Resolver {
	return resolverFunc(func(context.Context, string) (Result, error) { return Result{}, err })
}

func TestRaceFirstAnswerCancelsTheOther(t *testing.T) {
	cancelled := make(chan error, 1)
	fast := resolverFunc(func(context.Context, string) (Result, error) { return Result{IfIndex: 257, Method: MethodSSH}, nil })
	res, err := (&Race{Resolvers: []Resolver{blocked(cancelled), fast}, Router: "r"}).Resolve(context.Background(), "u")
	if err != nil || res.IfIndex != 257 {
		t.Fatalf("got %+v, %v", res, err)
	}
	select {
	case err := <-cancelled:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("slow resolver ended with %v, want context.Canceled", err)
		}
	default:
		t.Fatal("Resolve returned before the cancelled resolver had")
	}
}

func TestRaceErrors(t *testing.T) {
	nfSNMP := &NotFoundError{User: "u", Router: "r", Tried: []string{sourceCasn}, Near: []string{"u1"}}
	nfSSH := &NotFoundError{User: "u", Router: "r", Tried: []string{"show users"}, Near: []string{"U"}}
	noVT := errors.Join(errors.New("user u"), ErrNotInIFMIB)
	auth := errors.New("ssh: authentication failed")
	tests := []struct {
		name    string
		errs    []error
		wantIs  error
		wantIn  []string
		wantOut []string
	}{
		{"both not found: merged", []error{nfSNMP, nfSSH}, ErrNotFound, []string{sourceCasn, "show users", "U, u1"}, nil},
		{"not in IF-MIB wins", []error{nfSSH, noVT}, ErrNotInIFMIB, nil, nil},
		{"not found and an SSH failure: both told", []error{nfSNMP, auth}, ErrNotFound, []string{"authentication failed", sourceCasn}, nil},
		{"only failures", []error{auth, auth}, nil, []string{"authentication failed"}, []string{"not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs []Resolver
			for _, e := range tt.errs {
				rs = append(rs, failing(e))
			}
			_, err := (&Race{Resolvers: rs, Router: "r"}).Resolve(context.Background(), "u")
			if err == nil || (tt.wantIs != nil && !errors.Is(err, tt.wantIs)) {
				t.Fatalf("err = %v, want %v", err, tt.wantIs)
			}
			for _, s := range tt.wantIn {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			for _, s := range tt.wantOut {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q mentions %q", err, s)
				}
			}
		})
	}
}

func TestRaceParentCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cancelled := make(chan error, 2)
	_, err := (&Race{Resolvers: []Resolver{blocked(cancelled), blocked(cancelled)}, Router: "r"}).Resolve(ctx, "u")
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want context.Canceled and not a not-found", err)
	}
}
