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
