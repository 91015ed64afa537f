package ifname

import "testing"

func TestExpand(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Vi1.195", "Virtual-Access1.195"},
		{"vi1.195", "Virtual-Access1.195"},
		{"Vi 1.195", "Virtual-Access1.195"},
		{"Virtual-Access 1.195", "Virtual-Access1.195"},
		{"virtual-access1.195", "Virtual-Access1.195"},
		{"Virt1.195", "Virtual-Access1.195"},
		{"Gi0/1", "GigabitEthernet0/1"},
		{"Te0/0/0", "TenGigabitEthernet0/0/0"},
		{"BE1.100.pppoe2148182752", "Bundle-Ether1.100.pppoe2148182752"},
		{"Di1", "Dialer1"},
		{"eth0", "Ethernet0"},
		{"ens3", "ens3"},
		{"lo", "lo"},
		{"<pppoe-anna>", "<pppoe-anna>"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Expand(tt.in); got != tt.want {
				t.Errorf("Expand(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAbbreviate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Virtual-Access1.195", "Vi1.195"},
		{"GigabitEthernet0/1", "Gi0/1"},
		{"Bundle-Ether1.100", "Be1.100"},
		{"ens3", "ens3"},
	}
	for _, tt := range tests {
		if got := Abbreviate(tt.in); got != tt.want {
			t.Errorf("Abbreviate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEqual(t *testing.T) {
	if !Equal("Vi1.195", "Virtual-Access1.195") {
		t.Error("Vi1.195 should equal Virtual-Access1.195")
	}
	if !Equal("gi 0/1", "GigabitEthernet0/1") {
		t.Error("gi 0/1 should equal GigabitEthernet0/1")
	}
	if Equal("Vi1.195", "Virtual-Access1.196") {
		t.Error("Vi1.195 should not equal Virtual-Access1.196")
	}
	if Equal("Vi1.19", "Virtual-Access1.195") {
		t.Error("a prefix of the number must not match")
	}
}

func TestEqualVendorShortForms(t *testing.T) {
	tests := []struct {
		typed, name string
		want        bool
	}{
		// IOS-XR
		{"Te0/0/0/3", "TenGigE0/0/0/3", true},
		{"Hu0/0/0/1", "HundredGigE0/0/0/1", true},
		{"Fo0/1/0/2", "FortyGigE0/1/0/2", true},
		{"TF0/0/0/4", "TwentyFiveGigE0/0/0/4", true},
		{"BE6.1604", "Bundle-Ether6.1604", true},
		{"Gi0/0/0/5", "GigabitEthernet0/0/0/5", true},
		{"Mg0/RSP0/CPU0/0", "MgmtEth0/RSP0/CPU0/0", true},
		{"FH0/0/0/29", "FourHundredGigE0/0/0/29", true},
		{"Te0/0/0/3", "TenGigE0/0/0/30", false},
		// IOS-XE
		{"Twe1/0/1", "TwentyFiveGigE1/0/1", true},
		{"Tw1/0/1", "TwoGigabitEthernet1/0/1", true},
		{"Tw1/0/1", "TwentyFiveGigE1/0/1", false},
		{"TenGigabitEthernet0/0/26", "Te0/0/26", true},
		// Huawei VRP
		{"GE0/3/4", "GigabitEthernet0/3/4", true},
		{"XGE0/0/1", "XGigabitEthernet0/0/1", true},
		{"40GE0/3/1", "40GE0/3/1", true},
		{"40ge0/3/1", "40GE0/3/1", true},
		{"100GE0/3/1", "40GE0/3/1", false},
		{"eth-trunk1", "Eth-Trunk1", true},
		{"Eth-Trunk 1", "Eth-Trunk1", true},
		{"Eth-Trunk1", "Eth-Trunk1.2", false},
		// Junos names are literal
		{"ge-0/0/0", "ge-0/0/0", true},
		{"GE0/0/0", "ge-0/0/0", false},
		{"ge-0/0/0", "GigabitEthernet0/0/0", false},
		{"ae0", "ae0.0", false},
	}
	for _, tt := range tests {
		t.Run(tt.typed+"="+tt.name, func(t *testing.T) {
			if got := Equal(tt.typed, tt.name); got != tt.want {
				t.Errorf("Equal(%q, %q) = %v, want %v", tt.typed, tt.name, got, tt.want)
			}
		})
	}
}

func TestMatchQuality(t *testing.T) {
	tests := []struct {
		typed, name string
		want        Quality
	}{
		{"Te0/0/26", "Te0/0/26", Exact},
		{"te0/0/26", "Te0/0/26", CaseOnly},
		{"gi 0/1", "Gi0/1", CaseOnly},
		{"Te0/0/26", "TenGigabitEthernet0/0/26", ShortForm},
		{"GE0/3/4", "GigabitEthernet0/3/4", ShortForm},
		{"Gig0/1", "GigabitEthernet0/1", Abbreviated},
		{"Virt1.195", "Virtual-Access1.195", Abbreviated},
		{"Te0/0/26", "TenGigabitEthernet0/0/26-mpls layer", NoMatch},
		{"ether1", "ether1", Exact},
		{"uplink", "Gi0/1", NoMatch},
	}
	for _, tt := range tests {
		if got := Match(tt.typed, tt.name); got != tt.want {
			t.Errorf("Match(%q, %q) = %d, want %d", tt.typed, tt.name, got, tt.want)
		}
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Te0/0/0/3", "TenGigE0/0/0/3"},
		{"GE0/3/4", "GigabitEthernet0/3/4"},
		{"vi 1.195", "Virtual-Access1.195"},
		{"ge-0/0/0", "GE-0/0/0"},
	}
	for _, tt := range tests {
		if Canonical(tt.a) != Canonical(tt.b) {
			t.Errorf("Canonical(%q) = %q, Canonical(%q) = %q; want them equal", tt.a, Canonical(tt.a), tt.b, Canonical(tt.b))
		}
	}
	if Canonical("Te0/0/0/3") == Canonical("Hu0/0/0/3") {
		t.Error("Te0/0/0/3 and Hu0/0/0/3 must differ")
	}
}

func TestAbbreviateVendors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"TenGigE0/0/0/3", "Te0/0/0/3"},
		{"Vi1.195", "Vi1.195"},
		{"XGigabitEthernet0/0/1", "Xge0/0/1"},
		{"ge-0/0/0", "ge-0/0/0"},
		{"ether1", "ether1"},
		{"mgmt0", "mgmt0"},
	}
	for _, tt := range tests {
		if got := Abbreviate(tt.in); got != tt.want {
			t.Errorf("Abbreviate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
