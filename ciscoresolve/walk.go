package ciscoresolve

import (
	"context"

	"github.com/stg-project/stg/snmp"
)

// Walk reads every row of one column with snmp.ScanColumn and calls fn
// with each row's index (the OID after the column) and value, in no
// particular order, reporting progress to s.Progress as the resolver's own
// walks do; name names the column in progress and errors. A column
// without rows gives an error that wraps ErrUnsupported.
func (s *SNMP) Walk(ctx context.Context, name, column string, fn func(index string, v snmp.Variable) error) error {
	return s.walk(ctx, name, column, fn)
}
