package session

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/stg-project/stg/ciscoresolve"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// Resolve finds each of cfg.Users on the router, as `stg resolve` does, and
// tells found of each: the interface, or why there is none (its message
// free of secrets). With ResolveSSH it opens no SNMP client, and so neither
// reads nor writes the cache. It returns found's error, which stops it, or
// why it could not search at all.
func Resolve(ctx context.Context, cfg Config, out Outputs, found func(user string, res ciscoresolve.Result, err error) error) error {
	r := newRun(cfg, out)
	err := r.resolveUsers(ctx, found)
	return secret.RedactError(err, r.secrets()...)
}

// resolveUsers is Resolve.
func (r *run) resolveUsers(ctx context.Context, found func(user string, res ciscoresolve.Result, err error) error) error {
	cfg := r.cfg
	r.debug.Printf("resolve: router %s, SNMP v%s, method %s, users %q", cfg.Router, cfg.SNMP.Version, cfg.Resolve, cfg.Users)
	ctx = r.startupContext(ctx)
	var c snmp.Client
	if cfg.Resolve != ResolveSSH {
		var err error
		if c, err = snmp.Dial(ctx, cfg.SNMP); err != nil {
			return err
		}
		defer c.Close()
	}
	res, release, err := r.resolver(c, true)
	if err != nil {
		return err
	}
	defer release()
	for _, user := range cfg.Users {
		got, err := res.Resolve(ctx, user)
		if err != nil {
			err = secret.RedactError(err, r.secrets()...)
			r.debug.Printf("user %q: %s", user, err)
		} else {
			r.debug.Printf("user %q: ifIndex %d %q by %s in %s", user, got.IfIndex, got.IfDescr, got.Method, got.Elapsed)
		}
		if err := found(user, got, err); err != nil {
			return err
		}
	}
	return nil
}

// resolver builds what Config.Resolve asks for: the SNMP walks (through
// c), the SSH CLI, or for ResolveAuto with an SSH login both side by side,
// behind the cache of resolved users when there is an SNMP client to
// verify a cached answer with. c is nil for `stg resolve --resolve ssh`.
// A resolver at start-up may ask for the SSH password and shows the
// progress of long walks; one in the background (refind) does neither.
// The returned func releases what the resolver opened.
func (r *run) resolver(c snmp.Client, startup bool) (ciscoresolve.Resolver, func(), error) {
	cfg := r.cfg
	ssh, err := r.sshConfig(startup)
	if err != nil {
		return nil, nil, err
	}
	var progress func(ciscoresolve.Progress)
	if startup && r.out.Progress != nil {
		progress = func(p ciscoresolve.Progress) {
			if !r.password.prompting() { // the prompt has the terminal
				r.out.Progress(p)
			}
		}
	}
	release := func() {}
	var res ciscoresolve.Resolver
	switch {
	case cfg.Resolve == ResolveSSH && ssh == nil:
		return nil, nil, errors.New("--resolve ssh needs --ssh-user")
	case cfg.Resolve == ResolveSSH:
		// Nothing runs beside it, so it may confirm with c (when there is one).
		res = &ciscoresolve.SSH{CLI: ssh, Router: cfg.Router, Confirm: c}
	case cfg.Resolve == ResolveAuto && ssh != nil:
		// The SSH side confirms over SNMP with its own client: a client
		// serves one goroutine, and the SNMP side is walking with c.
		confirm, err := snmp.Dial(context.Background(), cfg.SNMP)
		if err != nil {
			return nil, nil, err
		}
		release = func() { confirm.Close() }
		res = &ciscoresolve.Race{Router: cfg.Router, Resolvers: []ciscoresolve.Resolver{
			&ciscoresolve.SNMP{Client: c, Router: cfg.Router, Progress: progress},
			&ciscoresolve.SSH{CLI: ssh, Router: cfg.Router, Confirm: confirm},
		}}
	default:
		res = &ciscoresolve.SNMP{Client: c, Router: cfg.Router, Progress: progress}
	}
	if cfg.CacheDir != "" && c != nil {
		res = &ciscoresolve.Cached{Cache: &ciscoresolve.Cache{Dir: cfg.CacheDir}, Router: cfg.Router, Client: c, Next: res}
	}
	return res, release, nil
}

// sshConfig returns the SSH login, or nil when none is configured. The
// password is the one given (STG_SSH_PASS), else the one typed earlier in
// the run, else, at start-up, asked on the terminal when a login needs it;
// a key's passphrase likewise, once per key and run.
func (r *run) sshConfig(startup bool) (*ciscoresolve.SSHConfig, error) {
	s := r.cfg.SSH
	if s.User == "" {
		return nil, nil
	}
	c, err := r.sshLogin(s, r.cfg.SNMP.Target.Host, startup)
	if err != nil {
		return nil, err
	}
	if c.Password == "" {
		c.Password = r.password.remembered()
	}
	if c.Password == "" && startup && r.password.canAsk() {
		c.PasswordPrompt = r.password.prompt
	}
	for _, j := range s.Jumps {
		hop, err := r.sshLogin(j, "", startup)
		if err != nil {
			return nil, err
		}
		hop.Password = ""
		c.Jumps = append(c.Jumps, hop)
	}
	return c, nil
}

// sshLogin is the login s describes, to s.Host, else to host, without a
// password of its own.
func (r *run) sshLogin(s SSH, host string, startup bool) (*ciscoresolve.SSHConfig, error) {
	known := s.KnownHosts
	if known == "" {
		if s.Home == "" {
			return nil, errors.New("no home directory for ~/.ssh/known_hosts: give --known-hosts FILE")
		}
		known = filepath.Join(s.Home, ".ssh", "known_hosts")
	}
	if s.Host != "" {
		host = s.Host
	}
	c := &ciscoresolve.SSHConfig{
		Host: host, Port: s.Port, User: s.User, Password: s.Password,
		AgentSocket: s.AgentSocket, KnownHosts: known, AcceptNew: s.AcceptNew, Legacy: s.Legacy,
		KeyFiles: s.KeyFiles, IdentitiesOnly: s.IdentitiesOnly, Keys: r.keys,
		ConnectTimeout: s.ConnectTimeout,
		Notify:         r.note,
	}
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = max(10*time.Second, 3*r.cfg.SNMP.Timeout)
	}
	if c.KeyFiles == nil && s.Home != "" {
		c.KeyFiles = ciscoresolve.DefaultKeyFiles(s.Home)
	}
	if startup && r.password.canAsk() {
		c.PassphrasePrompt = r.password.passphrase
	}
	return c, nil
}
