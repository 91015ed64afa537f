package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
)

// SamplesMsg carries the samples that were waiting on the stream.
type SamplesMsg []sample.Sample

// StreamEndedMsg says the sample stream was closed: the poller stopped.
type StreamEndedMsg struct{}

// NoteMsg is a note for the user, such as how the agent serves its
// counters or a near match the resolver used: the footer shows it, as a
// note rather than an error, until the next key.
type NoteMsg string

// maxBatch bounds how many waiting samples one SamplesMsg carries, so a
// burst is drawn once rather than once per sample.
const maxBatch = 512

// WaitForSamples returns a command that blocks for the next sample on ch
// and takes whatever else is already waiting. The model re-arms it after
// each SamplesMsg; a closed channel yields StreamEndedMsg.
func WaitForSamples(ch <-chan sample.Sample) tea.Cmd {
	return func() tea.Msg {
		s, ok := <-ch
		if !ok {
			return StreamEndedMsg{}
		}
		batch := SamplesMsg{s}
		for len(batch) < maxBatch {
			select {
			case s, ok := <-ch:
				if !ok {
					return batch
				}
				batch = append(batch, s)
			default:
				return batch
			}
		}
		return batch
	}
}
