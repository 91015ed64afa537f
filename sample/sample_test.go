package sample

import "testing"

func TestStatuses(t *testing.T) {
	rated := map[Status]bool{StatusOK: true, StatusWrap: true, StatusBackfilled: true}
	all := Statuses()
	if len(all) != 10 {
		t.Errorf("%d statuses, want the 10 of the CSV contract", len(all))
	}
	seen := map[Status]bool{}
	for _, s := range all {
		if seen[s] {
			t.Errorf("%s listed twice", s)
		}
		seen[s] = true
		if !s.Valid() {
			t.Errorf("%s is listed but not Valid", s)
		}
		if s.HasRate() != rated[s] || s.IsGap() == rated[s] {
			t.Errorf("%s: HasRate %v, IsGap %v; want a rate only for ok, wrap and backfilled", s, s.HasRate(), s.IsGap())
		}
	}
	for _, s := range []Status{"", "OK", "gap", "gap-timeout "} {
		if s.Valid() {
			t.Errorf("%q is Valid", s)
		}
	}
}
