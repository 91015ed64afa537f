package snmp_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/snmp"
	"github.com/stg-project/stg/snmp/snmptest"
)

func TestPollerRetargetReconnects(t *testing.T) {
	var v uint64
	newTarget := snmp.PollTarget{Name: "alice", IfIndex: 300, IfName: "Virtual-Access1.7", CounterBits: 32}
	samples, c, _ := pollRun{interval: time.Second, count: 5,
		targets: []snmp.PollTarget{{Name: "alice", IfIndex: 257, IfName: "Virtual-Access1.5"}},
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			v += 500
			pollSetHC(f, 257, v, v)
			f.SetUint(snmp.OIDIfInOctets+".300", snmp.KindCounter32, v)
			f.SetUint(snmp.OIDIfOutOctets+".300", snmp.KindCounter32, v)
			return 0, nil
		},
		between: func(p *snmp.Poller, k int) {
			if k == 2 {
				snmp.Retarget(p, "alice", newTarget)
			}
		},
	}.run(t)
	want := []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusReconnected, sample.StatusPending, sample.StatusOK}
	if got := pollStatuses(samples); !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	for i, s := range samples {
		wantIf, wantBits := 257, 64
		if i >= 2 {
			wantIf, wantBits = 300, 32
		}
		if s.IfIndex != wantIf || s.CounterBits != wantBits || s.Target != "alice" {
			t.Errorf("sample %d: ifIndex %d bits %d target %q, want %d %d alice", i, s.IfIndex, s.CounterBits, s.Target, wantIf, wantBits)
		}
	}
	if req := c.Requests[2]; !pollHas(req, snmp.OIDIfInOctets+".300") || pollHas(req, snmp.OIDIfHCInOctets+".257") {
		t.Errorf("request after Retarget %q: want the new ifIndex's 32-bit counters only", req)
	}
}

func TestPollerRetargetDuringAPoll(t *testing.T) {
	var v uint64
	var p *snmp.Poller
	samples, _, _ := pollRun{interval: time.Second, count: 3,
		targets: []snmp.PollTarget{{Name: "bob", IfIndex: 10, IdentityOID: "1.2.3.10", IdentityValue: "bob"}},
		setup:   func(f *snmptest.Fake) { f.SetString("1.2.3.10", "bob") },
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			v += 100
			pollSetHC(f, 10, v, v)
			pollSetHC(f, 11, v, v)
			if n == 1 {
				// The session moves while the request is out: the old row
				// now belongs to someone else.
				snmp.Retarget(p, "bob", snmp.PollTarget{IfIndex: 11})
				f.SetString("1.2.3.10", "carol")
			}
			return 0, nil
		},
		between: func(pp *snmp.Poller, k int) { p = pp },
		onLost:  func(name string) { t.Errorf("%q reported lost although already retargeted", name) },
	}.run(t)
	want := []sample.Status{sample.StatusFirst, sample.StatusGapDiscontinuity, sample.StatusReconnected}
	if got := pollStatuses(samples); !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	if samples[1].IfIndex != 10 || samples[2].IfIndex != 11 {
		t.Errorf("ifIndexes %d, %d: want the in-flight poll on the old interface, then the new", samples[1].IfIndex, samples[2].IfIndex)
	}
}

func pollHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPollerSetOffline(t *testing.T) {
	var v uint64
	targets := []snmp.PollTarget{{Name: "alice", IfIndex: 1}, {Name: "bob", IfIndex: 2}}
	samples, c, _ := pollRun{interval: time.Second, count: 6, targets: targets,
		script: func(f *snmptest.Fake, n int) (time.Duration, error) {
			v += 100
			pollSetHC(f, 1, v, v)
			pollSetHC(f, 2, v, v)
			return 0, nil
		},
		between: func(p *snmp.Poller, k int) {
			switch k {
			case 1:
				snmp.SetOffline(p, "bob")
			case 2:
				snmp.SetOffline(p, "alice")
			case 4:
				snmp.Retarget(p, "bob", snmp.PollTarget{IfIndex: 2})
			}
		},
	}.run(t)
	want := []sample.Status{
		sample.StatusFirst, sample.StatusFirst,
		sample.StatusPending, sample.StatusOffline,
		sample.StatusOffline, sample.StatusOffline,
		sample.StatusOffline, sample.StatusOffline,
		sample.StatusOffline, sample.StatusReconnected,
		sample.StatusOffline, sample.StatusPending,
	}
	if got := pollStatuses(samples); !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	for _, s := range samples {
		if s.Status == sample.StatusOffline && (s.HasOctets || s.InBps != 0 || s.OutBps != 0) {
			t.Errorf("offline row carries numbers: %+v", s)
		}
	}
	// Polls 2 and 3 had nobody to read: no request at all. Poll 1 read
	// alice only.
	if len(c.Requests) != 4 {
		t.Fatalf("%d requests, want 4 (none while both are offline): %q", len(c.Requests), c.Requests)
	}
	if req := c.Requests[1]; len(req) != 4 || pollHas(req, snmp.OIDIfHCInOctets+".2") {
		t.Errorf("request while bob is offline: %q, want alice's OIDs only", req)
	}
}

func TestPollerReportsLost(t *testing.T) {
	const idOID = "1.3.6.1.4.1.9.9.786.1.1.1.1.24.257"
	tests := []struct {
		name string
		// at sets up the Fake for poll n.
		at         func(f *snmptest.Fake, n int)
		identity   bool
		idValue    string // the identity the target expects; "alice" when ""
		wantStatus []sample.Status
		wantLost   int
	}{
		{
			name: "identity changes, then comes back",
			at: func(f *snmptest.Fake, n int) {
				switch n {
				case 2:
					f.SetString(idOID, "mallory")
				case 4:
					f.SetString(idOID, "alice")
				}
			},
			identity: true,
			wantStatus: []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusGapDiscontinuity,
				sample.StatusGapDiscontinuity, sample.StatusReconnected, sample.StatusPending},
			wantLost: 1,
		},
		{
			name: "each loss is reported once",
			at: func(f *snmptest.Fake, n int) {
				id := map[bool]string{true: "alice", false: "mallory"}[n%2 == 0]
				f.SetString(idOID, id)
			},
			identity: true,
			wantStatus: []sample.Status{sample.StatusFirst, sample.StatusGapDiscontinuity, sample.StatusReconnected,
				sample.StatusGapDiscontinuity, sample.StatusReconnected, sample.StatusGapDiscontinuity},
			wantLost: 3,
		},
		{
			name: "numeric identity (casnVaiIfIndex) that stays",
			at: func(f *snmptest.Fake, n int) {
				f.Set(snmp.Variable{OID: idOID, Kind: snmp.KindInteger, Int: 257, Uint: 257})
			},
			identity: true, idValue: "257",
			wantStatus: []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusOK},
		},
		{
			name: "numeric identity that changes",
			at: func(f *snmptest.Fake, n int) {
				f.Set(snmp.Variable{OID: idOID, Kind: snmp.KindInteger, Int: int64(256 + n), Uint: uint64(256 + n)})
			},
			identity: true, idValue: "257",
			wantStatus: []sample.Status{sample.StatusGapDiscontinuity, sample.StatusReconnected, sample.StatusGapDiscontinuity},
			wantLost:   2,
		},
		{
			name:     "identity vanishes",
			at:       func(f *snmptest.Fake, n int) { f.Delete(idOID) },
			identity: true,
			wantStatus: []sample.Status{sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity,
				sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity},
			wantLost: 1,
		},
		{
			name: "counters vanish",
			at: func(f *snmptest.Fake, n int) {
				if n == 3 {
					f.Delete(snmp.OIDIfHCOutOctets + ".257")
				}
			},
			identity: true,
			wantStatus: []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusOK,
				sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity},
			wantLost: 1,
		},
		{
			name: "counters vanish without an identity check",
			at: func(f *snmptest.Fake, n int) {
				if n == 3 {
					f.Delete(snmp.OIDIfHCOutOctets + ".257")
				}
			},
			wantStatus: []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusOK,
				sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity, sample.StatusGapDiscontinuity},
			wantLost: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := snmp.PollTarget{Name: "alice", IfIndex: 257}
			if tt.identity {
				target.IdentityOID, target.IdentityValue = idOID, "alice"
				if tt.idValue != "" {
					target.IdentityValue = tt.idValue
				}
			}
			var lost []string
			var v uint64
			samples, _, _ := pollRun{interval: time.Second, count: len(tt.wantStatus),
				targets: []snmp.PollTarget{target},
				setup:   func(f *snmptest.Fake) { f.SetString(idOID, "alice") },
				script: func(f *snmptest.Fake, n int) (time.Duration, error) {
					v += 100
					f.SetUint(snmp.OIDIfHCInOctets+".257", snmp.KindCounter64, v)
					if n < 3 {
						f.SetUint(snmp.OIDIfHCOutOctets+".257", snmp.KindCounter64, v)
					}
					tt.at(f, n)
					return 0, nil
				},
				onLost: func(name string) { lost = append(lost, name) },
			}.run(t)
			if got := pollStatuses(samples); !reflect.DeepEqual(got, tt.wantStatus) {
				t.Errorf("statuses %v, want %v", got, tt.wantStatus)
			}
			if len(lost) != tt.wantLost {
				t.Errorf("reported lost %d times (%q), want %d", len(lost), lost, tt.wantLost)
			}
			for _, name := range lost {
				if name != "alice" {
					t.Errorf("lost %q, want alice", name)
				}
			}
			for _, s := range samples {
				if s.Status != sample.StatusGapDiscontinuity || !tt.identity {
					continue
				}
				if !strings.Contains(s.Err, "lost") {
					t.Errorf("lost row without a reason: %+v", s)
				}
				// The counters read belong to whoever holds the ifIndex now.
				if s.HasOctets || s.InOctets != 0 || s.OutOctets != 0 {
					t.Errorf("lost row carries counters %d/%d that are not alice's", s.InOctets, s.OutOctets)
				}
			}
		})
	}
}
