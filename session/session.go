// Package session is one polling run of stg, from a checked Config to the
// last sample (docs/ARCHITECTURE.md, "The data flow of one sample"). Run
// dials the router and probes it, finds the targets (--if interfaces,
// their identity included, and --user subscribers through the resolvers it
// composes: cache, SNMP, SSH, both side by side), picks their counters,
// runs the poller, which follows the targets it loses through the same
// search, and hands the one sample stream to every Consumer. Notes for the
// user take one path too: Outputs.Note.
//
// A new output (a metrics endpoint, a ranking table) is a new Consumer
// handed to Run; nothing here changes (docs/ARCHITECTURE.md, "How to
// add").
package session

import (
	"context"
	"log"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/sample"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// Config is one run: what to poll on which router, and how. The command
// line fills it (internal/cli); its SNMP part has passed snmp.Config's
// Validate.
type Config struct {
	// SNMP reaches the router.
	SNMP snmp.Config
	// Router is the router as the user gave it: Sample.Router and the
	// name in messages and in the cache of resolved users.
	Router string
	// Ifaces are the --if values, Users the --user values, in order.
	Ifaces, Users []string
	// Interval is the time between polls; Count and Duration end the run
	// after that many polls or that long (0: until stopped).
	Interval time.Duration
	Count    int
	Duration time.Duration
	// Counters picks 64- or 32-bit counters.
	Counters snmp.CounterMode
	// Resolve is how --user is found.
	Resolve ResolveMode
	// SSH is the login for the SSH resolver; SSH.User "" means none.
	SSH SSH
	// CacheDir holds the cache of resolved users; "" means no cache.
	CacheDir string
	// Debug is the --debug log; nil logs nothing.
	Debug *log.Logger
}

// SSH is how the SSH resolver logs in to the router (or to a jump host on
// the way, for an element of Jumps).
type SSH struct {
	// User is the login name; "" means SSH is not configured.
	User string
	// Host is the name or address to connect to (ssh_config's HostName);
	// "" means the router's.
	Host string
	// Port is the SSH port.
	Port int
	// Password is the password given (STG_SSH_PASS); "" means a key, or
	// the prompt when Outputs.AskPassword is set.
	Password secret.Secret
	// KnownHosts is the known_hosts file; "" means Home/.ssh/known_hosts.
	KnownHosts string
	// Home is the user's home directory, for known_hosts and the keys.
	Home string
	// AgentSocket is SSH_AUTH_SOCK: ssh-agent's socket, "" for none.
	AgentSocket string
	// AcceptNew trusts an unknown host key on first use.
	AcceptNew bool
	// Legacy allows old key exchange and CBC ciphers.
	Legacy bool
	// KeyFiles are the private keys to offer (ssh_config's
	// IdentityFile); nil means Home/.ssh/id_ed25519, id_ecdsa and id_rsa.
	// IdentitiesOnly offers only those, not every key of ssh-agent.
	KeyFiles       []string
	IdentitiesOnly bool
	// ConnectTimeout bounds connecting and logging in; 0 means the
	// larger of 10 s and three SNMP timeouts.
	ConnectTimeout time.Duration
	// Jumps are the ProxyJump hosts, first first; each logs in with its
	// own keys (a jump host is never given the password).
	Jumps []SSH
}

// ResolveMode is how --user is found.
type ResolveMode string

// The resolve modes.
const (
	// ResolveAuto walks the SNMP MIBs, side by side with the SSH CLI when
	// an SSH login is configured.
	ResolveAuto ResolveMode = "auto"
	// ResolveSNMP walks the SNMP MIBs only.
	ResolveSNMP ResolveMode = "snmp"
	// ResolveSSH asks the router's CLI over SSH only.
	ResolveSSH ResolveMode = "ssh"
)

// ResolveModes returns the resolve modes, for help and completion.
func ResolveModes() []string {
	return []string{string(ResolveAuto), string(ResolveSNMP), string(ResolveSSH)}
}

// Outputs are where a run's samples and what it tells the user go. Every
// field is optional.
type Outputs struct {
	// Consumers each take the whole sample stream.
	Consumers []Consumer
	// Note is told each note once, secrets taken out: how the agent
	// serves its counters or its clock, the 32-bit counters chosen for
	// an interface, a near match a resolver used, an SSH host key
	// recorded.
	Note func(text string)
	// Retry is told of each start-up request sent again because the
	// agent left it unanswered (never a poll: polls are not resent).
	Retry func(snmp.Retry)
	// Progress shows long walks while users are found; it is not called
	// while AskPassword's prompt is up.
	Progress func(ciscoresolve.Progress)
	// AskPassword asks for the SSH password on the terminal when a login
	// first needs it; nil means there is no terminal to ask on.
	AskPassword func(ctx context.Context, prompt string) (string, error)
}

// Info is what a consumer knows of a run before its first sample.
type Info struct {
	// Router is the router as the user gave it.
	Router string
	// Targets are the names of the targets, users first, in order.
	Targets []string
	// Interval is the time between polls.
	Interval time.Duration
}

// A Consumer is one output of a run: the CSV or JSONL rows, the --log
// recording, the terminal UI, and next a metrics endpoint or a ranking
// table. Run starts every consumer, then gives each its own copy of the
// sample stream.
type Consumer interface {
	// Start prepares the output once the targets are known (it opens a
	// file, say); an error ends the run before the first poll.
	Start(run Info) error
	// Consume takes the samples from in, in order, until in is closed
	// (the poller stopped), then returns. Returning earlier (the user
	// quit, the reader of a pipe went away) ends the run; an error then
	// is the run's, and ends the other consumers through ctx.
	Consume(ctx context.Context, in <-chan sample.Sample) error
}
