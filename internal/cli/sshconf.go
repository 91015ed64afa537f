package cli

import (
	"errors"
	"fmt"
	"slices"

	"github.com/stg-project/stg/internal/sshconf"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/session"
)

// sshLogin fills the login of the SSH resolver: the flags first, then
// what OpenSSH's ~/.ssh/config and /etc/ssh/ssh_config say of the router,
// as `ssh ROUTER` would read them, for the keywords stg honours. The
// files are read only when a --user search may log in over SSH.
func sshLogin(v *values, env LookupEnv, files Files, p *PollSettings) error {
	cfg := &p.Session
	s := session.SSH{User: v.str("ssh-user"), Port: v.integer("ssh-port"), Password: secret.Secret(env.get("STG_SSH_PASS")),
		KnownHosts: v.str("known-hosts"), Home: env.get("HOME"), AgentSocket: env.get("SSH_AUTH_SOCK"),
		AcceptNew: v.boolean("ssh-accept-new"), Legacy: v.boolean("ssh-legacy")}
	if files.FS != nil && len(cfg.Users) > 0 && cfg.Resolve != session.ResolveSNMP {
		if err := fromSSHConfig(v, env, files, p, &s); err != nil {
			return err
		}
	}
	if cfg.Resolve == session.ResolveSSH && s.User == "" {
		return errors.New("--resolve ssh needs --ssh-user NAME, or a User for the router in ~/.ssh/config (the password from STG_SSH_PASS or a prompt, or a key)")
	}
	cfg.SSH = s
	return nil
}

// fromSSHConfig applies ssh_config to s where no flag set the value. Its
// User switches SSH on for --resolve ssh, and beside SNMP for auto when
// a Host line names the router (not a pattern only): a `Host *` default
// alone does not send stg to every router over SSH.
func fromSSHConfig(v *values, env LookupEnv, files Files, p *PollSettings, s *session.SSH) error {
	opts := sshconfOptions(env, files)
	alias := p.Session.SNMP.Target.Host
	explicit := s.User != "" || p.Session.Resolve == session.ResolveSSH
	h, err := sshconf.Resolve(opts, alias)
	if err != nil {
		if explicit {
			return fmt.Errorf("ssh_config: %w", err)
		}
		p.Sources = append(p.Sources, "ssh_config: not used: "+err.Error())
		return nil
	}
	if _, ok := h.Origin(sshconf.KeyUser); ok && s.User == "" {
		names, _ := sshconf.HostNames(opts)
		if p.Session.Resolve == session.ResolveSSH || slices.Contains(names, alias) {
			s.User = h.User
		}
	}
	if s.User == "" {
		return nil // no SSH login: nothing of the files is used
	}
	for _, f := range h.Files {
		p.Sources = append(p.Sources, "ssh_config: read "+f)
	}
	for _, w := range h.Warnings {
		p.Warnings = append(p.Warnings, "ssh_config: "+w.String())
	}
	if o, ok := h.Origin(sshconf.KeyProxyCommand); ok {
		return fmt.Errorf("ssh_config: %s:%d: ProxyCommand is not supported by stg: use ProxyJump", o.File, o.Line)
	}
	used := func(k sshconf.Key) bool {
		o, ok := h.Origin(k)
		if ok {
			p.Sources = append(p.Sources, "ssh_config: using "+o.String())
		}
		return ok
	}
	used(sshconf.KeyUser)
	if used(sshconf.KeyHostName) {
		s.Host = h.HostName
	}
	if !v.given("ssh-port") && used(sshconf.KeyPort) {
		s.Port = h.Port
	}
	if !v.given("known-hosts") && used(sshconf.KeyUserKnownHostsFile) && len(h.UserKnownHostsFiles) > 0 {
		s.KnownHosts = h.UserKnownHostsFiles[0]
	}
	if !v.given("ssh-accept-new") && used(sshconf.KeyStrictHostKeyChecking) {
		s.AcceptNew = acceptNew(h, p)
	}
	if used(sshconf.KeyConnectTimeout) {
		s.ConnectTimeout = h.ConnectTimeout
	}
	if used(sshconf.KeyIdentityFile) {
		s.KeyFiles = h.IdentityFiles
	}
	if used(sshconf.KeyIdentitiesOnly) {
		s.IdentitiesOnly = h.IdentitiesOnly
	}
	if used(sshconf.KeyProxyJump) {
		return jumps(v, env, opts, h.ProxyJump, p, s)
	}
	return nil
}

// acceptNew reads StrictHostKeyChecking: accept-new records unknown keys;
// yes and ask refuse them (stg has no prompt for a fingerprint). stg
// takes no as accept-new, and says so: a changed key is always refused.
func acceptNew(h *sshconf.Host, p *PollSettings) bool {
	switch h.StrictHostKeyChecking {
	case "accept-new":
		return true
	case "no":
		o, _ := h.Origin(sshconf.KeyStrictHostKeyChecking)
		p.Warnings = append(p.Warnings, fmt.Sprintf("ssh_config: %s:%d: StrictHostKeyChecking no is taken as accept-new: "+
			"stg records unknown host keys, but still refuses a changed one", o.File, o.Line))
		return true
	}
	return false
}

// jumps resolves each ProxyJump hop through ssh_config as ssh does (its
// own HostName, Port, User, IdentityFile, known hosts, host key checking
// and ConnectTimeout, not the router's); the user and port written in
// ProxyJump win, and the flags win over the files.
func jumps(v *values, env LookupEnv, opts sshconf.Options, hops []sshconf.Jump, p *PollSettings, s *session.SSH) error {
	for i, j := range hops {
		h, err := sshconf.Resolve(opts, j.Host)
		if err != nil {
			return fmt.Errorf("ssh_config: jump host %s: %w", j.Host, err)
		}
		hop := session.SSH{User: h.User, Host: h.HostName, Port: h.Port, Home: s.Home, AgentSocket: s.AgentSocket,
			KnownHosts: v.str("known-hosts"), AcceptNew: v.boolean("ssh-accept-new"), Legacy: s.Legacy, ConnectTimeout: h.ConnectTimeout,
			IdentitiesOnly: h.IdentitiesOnly}
		if j.User != "" {
			hop.User = j.User
		}
		if j.Port != 0 {
			hop.Port = j.Port
		}
		if _, ok := h.Origin(sshconf.KeyIdentityFile); ok {
			hop.KeyFiles = h.IdentityFiles
		}
		if _, ok := h.Origin(sshconf.KeyUserKnownHostsFile); ok && !v.given("known-hosts") && len(h.UserKnownHostsFiles) > 0 {
			hop.KnownHosts = h.UserKnownHostsFiles[0]
		}
		if _, ok := h.Origin(sshconf.KeyStrictHostKeyChecking); ok && !v.given("ssh-accept-new") {
			hop.AcceptNew = acceptNew(h, p)
		}
		if hop.User == "" {
			return fmt.Errorf("ssh_config: jump host %s: no user: write user@%s in ProxyJump or give it a User", j.Host, j.Host)
		}
		p.Sources = append(p.Sources, fmt.Sprintf("ssh_config: jump host %d: %s as %s, port %d", i+1, hop.Host, hop.User, hop.Port))
		s.Jumps = append(s.Jumps, hop)
	}
	return nil
}
