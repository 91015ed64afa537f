package tui

import (
	"github.com/charmbracelet/lipgloss"
)

// styles are the UI's lipgloss styles, all from one renderer so a test
// can render with the ASCII profile.
type styles struct {
	in, out       lipgloss.Style // the in area (green) and the out line (blue)
	outOnIn       lipgloss.Style // the out line where it crosses the in area
	axis, label   lipgloss.Style // chart axes and their labels
	reconnect     lipgloss.Style // 'R' markers
	reset         lipgloss.Style // 'X' markers
	title, focus  lipgloss.Style // target title lines; focus marks the tab target
	head, dim     lipgloss.Style // readout heads, secondary text
	paused, error lipgloss.Style // the PAUSED badge, the last error
	help          lipgloss.Style // the help overlay box
}

// newStyles builds the styles on r.
func newStyles(r *lipgloss.Renderer) *styles {
	return &styles{
		in:        r.NewStyle().Foreground(lipgloss.Color("10")),
		out:       r.NewStyle().Foreground(lipgloss.Color("12")),
		outOnIn:   r.NewStyle().Foreground(lipgloss.Color("12")).Background(lipgloss.Color("10")),
		axis:      r.NewStyle().Foreground(lipgloss.Color("8")),
		label:     r.NewStyle().Foreground(lipgloss.Color("7")),
		reconnect: r.NewStyle().Foreground(lipgloss.Color("11")).Bold(true),
		reset:     r.NewStyle().Foreground(lipgloss.Color("9")).Bold(true),
		title:     r.NewStyle().Bold(true),
		focus:     r.NewStyle().Bold(true).Reverse(true),
		head:      r.NewStyle().Foreground(lipgloss.Color("8")),
		dim:       r.NewStyle().Faint(true),
		paused:    r.NewStyle().Bold(true).Reverse(true),
		error:     r.NewStyle().Foreground(lipgloss.Color("9")),
		help:      r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1),
	}
}
