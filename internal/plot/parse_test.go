package plot

import (
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		w, h int
		err  bool
	}{
		{"1200x600", 1200, 600, false},
		{"800X400", 800, 400, false},
		{"1200", 0, 0, true},
		{"1200x", 0, 0, true},
		{"x600", 0, 0, true},
		{"-5x600", 0, 0, true},
		{"1200x0", 0, 0, true},
		{"1.5x2", 0, 0, true},
	}
	for _, tt := range tests {
		w, h, err := ParseSize(tt.in)
		if (err != nil) != tt.err || w != tt.w || h != tt.h {
			t.Errorf("ParseSize(%q) = %d, %d, %v; want %d, %d, error %v", tt.in, w, h, err, tt.w, tt.h, tt.err)
		}
	}
	if err := CheckSize(1200, 300, 2); err == nil || !strings.Contains(err.Error(), "use 340 to 8000 pixels") {
		t.Errorf("CheckSize of 300 high for 2 targets: %v", err)
	}
	if err := CheckSize(100, 600, 1); err == nil || !strings.Contains(err.Error(), "width 100") {
		t.Errorf("CheckSize of 100 wide: %v", err)
	}
	if w, h := DefaultSize(3); CheckSize(w, h, 3) != nil {
		t.Errorf("the default size of 3 targets, %dx%d, fails CheckSize", w, h)
	}
}

func TestParseMoment(t *testing.T) {
	first := time.Date(2026, 11, 27, 23, 50, 0, 0, testZone)
	last := first.Add(20 * time.Minute) // past midnight
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-11-27T22:55:00Z", time.Date(2026, 11, 27, 23, 55, 0, 0, testZone)},
		{"2026-11-27 23:55:30", time.Date(2026, 11, 27, 23, 55, 30, 0, testZone)},
		{"2026-11-27T23:55", time.Date(2026, 11, 27, 23, 55, 0, 0, testZone)},
		{"23:55", time.Date(2026, 11, 27, 23, 55, 0, 0, testZone)},
		{"23:55:10.5", time.Date(2026, 11, 27, 23, 55, 10, 5e8, testZone)},
		{"00:05", time.Date(2026, 11, 28, 0, 5, 0, 0, testZone)},   // after midnight, within the recording
		{"23:40", time.Date(2026, 11, 27, 23, 40, 0, 0, testZone)}, // before the start: same day
		{"+5m", first.Add(5 * time.Minute)},
		{"-90s", last.Add(-90 * time.Second)},
	}
	for _, tt := range tests {
		m, err := ParseMoment(tt.in, testZone)
		if err != nil {
			t.Errorf("ParseMoment(%q): %v", tt.in, err)
			continue
		}
		if got := m.At(first, last); !got.Equal(tt.want) {
			t.Errorf("ParseMoment(%q).At = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "25:00", "+", "-0s", "+-5m", "2026-13-01 10:00"} {
		if _, err := ParseMoment(bad, testZone); err == nil || !strings.Contains(err.Error(), "is not a time") {
			t.Errorf("ParseMoment(%q): %v, want a 'not a time' error", bad, err)
		}
	}
}
