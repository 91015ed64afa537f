package sshconf

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/kevinburke/ssh_config"
)

// HostNames lists the concrete host names of the configuration's Host
// lines (no '*', '?' or '!'), from every file and every Include, sorted
// and without duplicates, for shell completion.
func HostNames(opts Options) ([]string, error) {
	if opts.FS == nil {
		return nil, ErrNoFS
	}
	seen := map[string]bool{}
	var walk func(name string, system bool, depth int) error
	walk = func(name string, system bool, depth int) error {
		pf, err := loadFile(opts.FS, name, system)
		if err != nil || pf == nil {
			return err
		}
		for _, h := range pf.cfg.Hosts {
			if _, isMatch := matchLine(h); !isMatch {
				for _, p := range h.Patterns {
					if s := p.String(); !strings.ContainsAny(s, "*?!") {
						seen[s] = true
					}
				}
			}
			for _, node := range h.Nodes {
				kv, ok := node.(*ssh_config.KV)
				if !ok || !strings.EqualFold(kv.Key, includeKey) || depth+1 > maxIncludeDepth {
					continue
				}
				for _, m := range includeMatches(opts, system, kv.Value) {
					if err := walk(m, system, depth+1); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	for _, f := range configFiles(opts) {
		if err := walk(f.name, f.system, 0); err != nil {
			return nil, fmt.Errorf("list hosts: %w", err)
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	return names, nil
}

// includeMatches expands an Include line's globs into file names, in
// lexical order per glob, skipping what cannot be expanded.
func includeMatches(opts Options, system bool, value string) []string {
	var out []string
	for _, pattern := range strings.Fields(value) {
		full, err := includePath(opts.Home, system, pattern)
		if err != nil {
			continue
		}
		p, ok := fsPath(full)
		if !ok {
			continue
		}
		matches, err := fs.Glob(opts.FS, p)
		if err != nil {
			continue
		}
		slices.Sort(matches)
		for _, m := range matches {
			out = append(out, "/"+m)
		}
	}
	return out
}

// includePath makes an Include word absolute as OpenSSH does: "~/" under
// the home directory, a relative path under ~/.ssh (user files) or
// /etc/ssh (system files).
func includePath(home string, system bool, pattern string) (string, error) {
	switch {
	case strings.HasPrefix(pattern, "~/") && !system:
		return path.Join(home, pattern[2:]), nil
	case strings.HasPrefix(pattern, "~"):
		return "", fmt.Errorf("Include %s: only ~/ is supported", pattern)
	case path.IsAbs(pattern):
		return pattern, nil
	case system:
		return path.Join("/etc/ssh", pattern), nil
	}
	return path.Join(home, ".ssh", pattern), nil
}
