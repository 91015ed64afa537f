package tui

import (
	"math"
	"testing"
	"time"
)

func TestFormatSI(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {-1, "0"}, {math.NaN(), "?"}, {0.5, "0.5"}, {1, "1"}, {12.34, "12.3"}, {999, "999"},
		{999.6, "1k"}, {1000, "1k"}, {1234, "1.23k"}, {12345, "12.3k"}, {123456, "123k"},
		{65e6, "65M"}, {100e6, "100M"}, {1.5e9, "1.5G"}, {999.99e9, "1T"}, {2e18, "2E"},
	}
	for _, tt := range tests {
		got := formatSI(tt.in)
		if got != tt.want {
			t.Errorf("formatSI(%g) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) > 5 {
			t.Errorf("formatSI(%g) = %q is longer than 5 bytes", tt.in, got)
		}
	}
}

func TestFormatDurations(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"rtt zero", formatRTT(0), "-"},
		{"rtt us", formatRTT(850 * time.Microsecond), "850us"},
		{"rtt ms", formatRTT(3200 * time.Microsecond), "3.2ms"},
		{"rtt 3ms", formatRTT(3 * time.Millisecond), "3ms"},
		{"rtt 120ms", formatRTT(120 * time.Millisecond), "120ms"},
		{"rtt s", formatRTT(1500 * time.Millisecond), "1.5s"},
		{"period 3.05s", formatPeriod(3050 * time.Millisecond), "3 s"},
		{"period 1.5s", formatPeriod(1500 * time.Millisecond), "1.5 s"},
		{"window 1m", formatWindow(time.Minute), "1m"},
		{"window 1h", formatWindow(time.Hour), "1h"},
		{"window 90s", formatWindow(90 * time.Second), "1m30s"},
		{"window 4h45m", formatWindow(4*time.Hour + 45*time.Minute), "4h45m"},
		{"window 24h", formatWindow(24 * time.Hour), "24h"},
		{"span 42s", formatWindow(42 * time.Second), "42s"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestFitAndPad(t *testing.T) {
	if got := fit("agent ≈3 s", 7); got != "agent ≈" {
		t.Errorf("fit = %q", got)
	}
	if got := pad("ab", 4); got != "ab  " {
		t.Errorf("pad = %q", got)
	}
}
