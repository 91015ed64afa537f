package ciscoresolve

import (
	"context"
	"errors"
	"fmt"
)

// Race runs several resolvers side by side and returns the first answer,
// cancelling the others and waiting for them to return: `--resolve auto` with SSH configured races the SNMP
// walk (slow on a big BRAS) against the CLI. When every resolver fails, the
// most useful error wins: a session that cannot be polled, then a failure
// other than not-found, then a not-found listing everything tried.
type Race struct {
	// Resolvers run concurrently; each must own its clients.
	Resolvers []Resolver
	// Router names the router in a merged not-found error.
	Router string
}

// Resolve implements Resolver.
func (r *Race) Resolve(parent context.Context, user string) (Result, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	type answer struct {
		res Result
		err error
	}
	answers := make(chan answer, len(r.Resolvers))
	for _, res := range r.Resolvers {
		go func() {
			a, err := res.Resolve(ctx, user)
			answers <- answer{a, err}
		}()
	}
	var (
		errs   []error
		winner *Result
	)
	// Wait for every resolver, also after a winner: a loser may still be
	// using a client the caller is about to use again.
	for range r.Resolvers {
		a := <-answers
		switch {
		case winner != nil:
		case a.err == nil:
			winner = &a.res
			cancel()
		default:
			errs = append(errs, a.err)
		}
	}
	if winner != nil {
		return *winner, nil
	}
	if err := parent.Err(); err != nil {
		return Result{}, fmt.Errorf("resolve %q on %s: %w", user, r.Router, err)
	}
	return Result{}, pickError(user, r.Router, errs)
}

// pickError chooses what to tell the user when every strategy failed.
func pickError(user, router string, errs []error) error {
	for _, err := range errs {
		if errors.Is(err, ErrNotInIFMIB) {
			return err
		}
	}
	var other []error
	for _, err := range errs {
		var nf *NotFoundError
		if errors.Is(err, ErrNotFound) && !errors.As(err, &nf) {
			return err // a specific not-found, such as an ambiguous cut name
		}
		if !errors.Is(err, ErrNotFound) && !errors.Is(err, context.Canceled) {
			other = append(other, err)
		}
	}
	switch {
	case len(other) == len(errs):
		return errors.Join(other...)
	case len(other) > 0:
		nf := mergeNotFound(user, router, errs)
		return fmt.Errorf("%w; also: %w", nf, errors.Join(other...))
	}
	return mergeNotFound(user, router, errs)
}
