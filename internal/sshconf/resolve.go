package sshconf

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/kevinburke/ssh_config"
)

// SystemConfig is OpenSSH's system-wide client configuration.
const SystemConfig = "/etc/ssh/ssh_config"

// DefaultPort is the port ssh uses when no Port is set.
const DefaultPort = 22

// maxIncludeDepth is OpenSSH's READCONF_MAX_DEPTH.
const maxIncludeDepth = 16

// Options says where Resolve looks and who is asking. Nothing is read
// from the process environment.
type Options struct {
	// FS reads files by absolute path with the leading "/" removed:
	// os.DirFS("/") for the real machine, an fstest.MapFS in tests.
	FS fs.FS
	// Home is the user's home directory: ~/.ssh/config, "~/" and %d.
	Home string
	// LocalUser is the local user name: the default User, %u and Match
	// localuser.
	LocalUser string
	// LocalHost is the local host name, for %l (and %L, up to its first
	// dot).
	LocalHost string
	// ConfigFile, when set, is the only file read, as `ssh -F FILE`;
	// otherwise HOME/.ssh/config then SystemConfig.
	ConfigFile string
}

// Key is an ssh_config keyword, as ssh_config(5) spells it.
type Key string

// Keywords Resolve evaluates; Host.Origin answers for each.
const (
	KeyHostName              Key = "HostName"
	KeyPort                  Key = "Port"
	KeyUser                  Key = "User"
	KeyIdentityFile          Key = "IdentityFile"
	KeyIdentitiesOnly        Key = "IdentitiesOnly"
	KeyUserKnownHostsFile    Key = "UserKnownHostsFile"
	KeyStrictHostKeyChecking Key = "StrictHostKeyChecking"
	KeyProxyJump             Key = "ProxyJump"
	KeyProxyCommand          Key = "ProxyCommand"
	KeyConnectTimeout        Key = "ConnectTimeout"
	KeyHostKeyAlias          Key = "HostKeyAlias"
)

// keys maps a keyword in lower case to its spelling.
var keys = func() map[string]Key {
	m := map[string]Key{}
	for _, k := range []Key{KeyHostName, KeyPort, KeyUser, KeyIdentityFile, KeyIdentitiesOnly, KeyUserKnownHostsFile,
		KeyStrictHostKeyChecking, KeyProxyJump, KeyProxyCommand, KeyConnectTimeout, KeyHostKeyAlias} {
		m[strings.ToLower(string(k))] = k
	}
	return m
}()

// Origin is where a keyword's value was found.
type Origin struct {
	Key  Key
	File string
	Line int
}

// String returns "KEY (FILE:LINE)"; it never holds a value.
func (o Origin) String() string { return fmt.Sprintf("%s (%s:%d)", o.Key, o.File, o.Line) }

// Warning is a part of a file Resolve skipped.
type Warning struct {
	File string
	Line int
	Msg  string
}

// String returns "FILE:LINE: MSG".
func (w Warning) String() string { return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg) }

// Jump is one ProxyJump hop. Port and User are 0 and "" when not given:
// the hop's own configuration, then the defaults, apply.
type Jump struct {
	User string
	Host string
	Port int
}

// Host is what OpenSSH's configuration says about one host. Defaults are
// filled in (port 22, the local user, ask, ~/.ssh/known_hosts and
// known_hosts2); Origin says what a file set.
type Host struct {
	// Alias is the host as given to Resolve.
	Alias string
	// HostName is the name or address to connect to, lower case.
	HostName string
	// Port is the port to connect to.
	Port int
	// User is the remote user.
	User string
	// IdentityFiles are the configured key files, expanded, in order;
	// empty when none is configured (ssh then tries ~/.ssh/id_*).
	IdentityFiles []string
	// IdentitiesOnly restricts keys to IdentityFiles (not all of the
	// agent's).
	IdentitiesOnly bool
	// UserKnownHostsFiles are the known_hosts files, expanded; empty for
	// "UserKnownHostsFile none".
	UserKnownHostsFiles []string
	// StrictHostKeyChecking is "yes", "accept-new", "no" or "ask".
	StrictHostKeyChecking string
	// ProxyJump lists the hops, first first; empty for none.
	ProxyJump []Jump
	// ProxyCommand is set when the configuration sends the connection
	// through a command (which stg does not run); ProxyJump is then empty,
	// as in OpenSSH, where the first of the two wins.
	ProxyCommand string
	// ConnectTimeout bounds the TCP connect; 0 is none.
	ConnectTimeout time.Duration

	// Files lists the files read, in order.
	Files []string
	// Warnings lists the blocks skipped.
	Warnings []Warning

	origins map[Key]Origin
}

// Origin returns where keyword k was set (the first IdentityFile for
// IdentityFile), and whether it was.
func (h *Host) Origin(k Key) (Origin, bool) {
	o, ok := h.origins[k]
	return o, ok
}

// Origins lists where each set keyword came from, in a fixed order, for a
// --debug log.
func (h *Host) Origins() []Origin {
	var out []Origin
	for _, k := range []Key{KeyHostName, KeyPort, KeyUser, KeyIdentityFile, KeyIdentitiesOnly, KeyUserKnownHostsFile,
		KeyStrictHostKeyChecking, KeyProxyJump, KeyProxyCommand, KeyConnectTimeout, KeyHostKeyAlias} {
		if o, ok := h.origins[k]; ok {
			out = append(out, o)
		}
	}
	return out
}

// ErrNoFS is returned when Options.FS is nil.
var ErrNoFS = errors.New("sshconf: Options.FS is nil")

// resolver is one Resolve: the raw first values, before tokens.
type resolver struct {
	opts      Options
	alias     string
	raw       map[Key]string
	identity  []string
	identityO []Origin
	host      Host
}

// Resolve evaluates the configuration for alias. Files that do not exist
// are skipped; a file that cannot be parsed, a bad value or an unknown
// token is an error naming the file and line.
func Resolve(opts Options, alias string) (*Host, error) {
	if opts.FS == nil {
		return nil, ErrNoFS
	}
	r := &resolver{opts: opts, alias: alias, raw: map[Key]string{}}
	r.host.origins = map[Key]Origin{}
	for _, f := range configFiles(opts) {
		if err := r.readFile(f.name, f.system, 0); err != nil {
			return nil, err
		}
	}
	if err := r.finish(); err != nil {
		return nil, err
	}
	return &r.host, nil
}

type configFile struct {
	name   string
	system bool
}

func configFiles(opts Options) []configFile {
	if opts.ConfigFile != "" {
		return []configFile{{name: opts.ConfigFile}}
	}
	var files []configFile
	if opts.Home != "" {
		files = append(files, configFile{name: path.Join(opts.Home, ".ssh", "config")})
	}
	return append(files, configFile{name: SystemConfig, system: true})
}

// readFile evaluates one file; a missing file is no error.
func (r *resolver) readFile(name string, system bool, depth int) error {
	pf, err := loadFile(r.opts.FS, name, system)
	if err != nil || pf == nil {
		return err
	}
	r.host.Files = append(r.host.Files, name)
	for _, h := range pf.cfg.Hosts {
		active, err := r.blockActive(pf, h)
		if err != nil {
			return err
		}
		if !active {
			continue
		}
		for _, node := range h.Nodes {
			kv, ok := node.(*ssh_config.KV)
			if !ok {
				continue
			}
			o := Origin{File: name, Line: kv.Pos().Line}
			if strings.EqualFold(kv.Key, includeKey) {
				if err := r.include(pf, kv.Value, o, depth); err != nil {
					return err
				}
				continue
			}
			r.set(kv.Key, kv.Value, o)
		}
	}
	return nil
}

// loadFile reads and parses a file; nil without error when it does not
// exist.
func loadFile(fsys fs.FS, name string, system bool) (*parsedFile, error) {
	p, ok := fsPath(name)
	if !ok {
		return nil, fmt.Errorf("read %s: not an absolute path", name)
	}
	data, err := fs.ReadFile(fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, unwrapPathError(err))
	}
	return parse(name, data, system)
}

// include follows an Include line: each word a glob, in lexical order.
func (r *resolver) include(pf *parsedFile, value string, o Origin, depth int) error {
	if depth+1 > maxIncludeDepth {
		return fmt.Errorf("%s:%d: Include nests deeper than %d (an include loop?)", o.File, o.Line, maxIncludeDepth)
	}
	for _, word := range strings.Fields(value) {
		pattern, err := includePath(r.opts.Home, pf.system, word)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", o.File, o.Line, err)
		}
		p, ok := fsPath(pattern)
		if !ok {
			return fmt.Errorf("%s:%d: Include %s: not a valid path", o.File, o.Line, pattern)
		}
		matches, err := fs.Glob(r.opts.FS, p)
		if err != nil {
			return fmt.Errorf("%s:%d: Include %s: %w", o.File, o.Line, pattern, err)
		}
		slices.Sort(matches)
		for _, m := range matches {
			if err := r.readFile("/"+m, pf.system, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// set records a keyword's value when it is the first obtained.
func (r *resolver) set(keyword, value string, o Origin) {
	k, ok := keys[strings.ToLower(keyword)]
	if !ok {
		return
	}
	o.Key = k
	switch k {
	case KeyIdentityFile:
		r.identity = append(r.identity, value)
		r.identityO = append(r.identityO, o)
		return
	case KeyProxyJump, KeyProxyCommand:
		// OpenSSH keeps whichever of the two comes first.
		if _, jump := r.raw[KeyProxyJump]; jump {
			return
		}
		if _, cmd := r.raw[KeyProxyCommand]; cmd {
			return
		}
	}
	if _, done := r.raw[k]; done {
		return
	}
	r.raw[k] = value
	r.host.origins[k] = o
}

// fsPath turns an absolute path into a name for fs.FS.
func fsPath(name string) (string, bool) {
	if !path.IsAbs(name) {
		return "", false
	}
	p := strings.TrimPrefix(path.Clean(name), "/")
	if p == "" {
		p = "."
	}
	return p, fs.ValidPath(p)
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
