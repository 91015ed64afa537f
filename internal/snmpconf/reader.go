package snmpconf

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/stg-project/stg/secret"
)

// Sections of a file: only directives in the snmp section are ones Load
// takes values from. snmpapp is the section snmpapp.conf starts in.
const (
	sectionSnmp    = "snmp"
	sectionSnmpapp = "snmpapp"
)

// Limits net-snmp puts on includes; a loop of includeFile hits them.
const (
	maxIncludeDepth = 16
	maxFiles        = 4096
)

// reader is one Load: the values seen so far and where they came from.
type reader struct {
	fsys fs.FS
	dirs []string
	cfg  Config
	// passphrases as set by their own directive; resolved in result.
	authPass, privPass, pass       secret.Secret
	authOrigin, privOrigin, origin Origin
	dontLoadHostConfig             bool
	depth, files                   int
	permChecked                    map[string]bool
}

func newReader(opts Options) *reader {
	r := &reader{fsys: opts.FS, permChecked: map[string]bool{}}
	r.cfg.origins = map[Key]Origin{}
	for _, dir := range searchPath(opts) {
		if !path.IsAbs(dir) {
			r.warn(dir, 0, "SNMPCONFPATH holds a directory that is not absolute: skipped")
			continue
		}
		r.dirs = append(r.dirs, dir)
	}
	return r
}

// searchPath is the directories net-snmp searches, in order.
func searchPath(opts Options) []string {
	if opts.ConfPath != "" {
		var dirs []string
		for _, d := range strings.Split(opts.ConfPath, ":") {
			if d != "" {
				dirs = append(dirs, d)
			}
		}
		return dirs
	}
	dirs := []string{"/etc/snmp", "/usr/share/snmp"}
	if opts.Home != "" {
		dirs = append(dirs, path.Join(opts.Home, ".snmp"))
	}
	return dirs
}

// isHostFileName reports whether net-snmp would look for a host file
// named after host: letters, digits, '.' and '-' only.
func isHostFileName(host string) bool {
	if host == "" {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
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

func (r *reader) warn(file string, line int, format string, args ...any) {
	r.cfg.Warnings = append(r.cfg.Warnings, Warning{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// readType reads NAME.conf then NAME.local.conf in each directory; it
// reports whether any file was read.
func (r *reader) readType(dirs []string, name, section string) bool {
	read := false
	for _, dir := range dirs {
		for _, f := range []string{name + ".conf", name + ".local.conf"} {
			if r.readFile(path.Join(dir, f), section) {
				read = true
			}
		}
	}
	return read
}

// readFile reads one file starting in section; false when it does not
// exist or cannot be read.
func (r *reader) readFile(name, section string) bool {
	p, ok := fsPath(name)
	if !ok {
		r.warn(name, 0, "not an absolute file name: skipped")
		return false
	}
	if r.depth >= maxIncludeDepth || r.files >= maxFiles {
		r.warn(name, 0, "not read: includes nest deeper than %d or name more than %d files (an include loop?)", maxIncludeDepth, maxFiles)
		return false
	}
	data, err := fs.ReadFile(r.fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return false
	}
	if err != nil {
		r.warn(name, 0, "cannot read it: %v", unwrapPathError(err))
		return false
	}
	r.files++
	r.depth++
	defer func() { r.depth-- }()
	r.cfg.Files = append(r.cfg.Files, name)
	for i, line := range strings.Split(string(data), "\n") {
		section = r.line(name, i+1, line, section)
	}
	return true
}

// unwrapPathError drops the path from an fs error: the warning names the
// file already.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// line handles one line and returns the section for the next one.
func (r *reader) line(file string, n int, text, section string) string {
	s, ok := skipWhite(text)
	if !ok {
		return section
	}
	token, rest, hasValue := nextWord(s)
	lineSection := section
	if strings.HasPrefix(token, "[") {
		if !strings.HasSuffix(token, "]") || len(token) < 2 {
			r.warn(file, n, "no matching ']' for section %s: line ignored", token)
			return section
		}
		name := token[1 : len(token)-1]
		if name != sectionSnmp && name != sectionSnmpapp {
			r.warn(file, n, "no section [%s] for SNMP client tools (only [snmp] and [snmpapp]): line ignored, the section stays [%s]", name, section)
			return section
		}
		if !hasValue {
			return name
		}
		lineSection = name
		token, rest, hasValue = nextWord(rest)
	} else if r.include(file, n, token, rest, hasValue, section) {
		return section
	}
	if lineSection != sectionSnmp {
		return section
	}
	r.directive(file, n, token, rest, hasValue)
	return section
}

// include follows includeFile, includeDir and includeSearch and reports
// whether token was one of them (or the ambiguous "include").
func (r *reader) include(file string, n int, token, arg string, hasArg bool, section string) bool {
	kind := strings.ToLower(token)
	switch kind {
	case "include":
		r.warn(file, n, "ambiguous directive %s: use includeFile or includeSearch", token)
		return true
	case "includefile", "includedir", "includesearch":
	default:
		return false
	}
	if !hasArg {
		r.warn(file, n, "%s names no file", token)
		return true
	}
	arg = trimRightSpace(arg)
	switch kind {
	case "includefile":
		target := arg
		if !path.IsAbs(target) {
			target = path.Join(path.Dir(file), target)
		}
		if !r.readFile(target, section) {
			r.warn(file, n, "included file %s not found", target)
		}
	case "includedir":
		r.includeDir(file, n, arg, section)
	case "includesearch":
		name := arg
		if len(name) > 5 && strings.HasSuffix(name, ".conf") {
			name = strings.TrimSuffix(name, ".conf")
		}
		if !r.readType(r.dirs, name, section) {
			r.warn(file, n, "included config %s not found in the search path", arg)
		}
	}
	return true
}

// includeDir reads DIR's *.conf files (not hidden ones) in name order;
// net-snmp reads them in no particular order.
func (r *reader) includeDir(file string, n int, dir, section string) {
	p, ok := fsPath(dir)
	if !ok {
		r.warn(file, n, "includeDir %s: the directory must be an absolute path", dir)
		return
	}
	entries, err := fs.ReadDir(r.fsys, p)
	if err != nil {
		r.warn(file, n, "cannot open include dir %s: %v", dir, unwrapPathError(err))
		return
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, ".") && len(name) > 5 && strings.HasSuffix(name, ".conf") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		r.readFile(path.Join(dir, name), section)
	}
}

// result resolves the passphrases and returns the Config.
func (r *reader) result() *Config {
	c := &r.cfg
	resolve := func(own secret.Secret, ownOrigin Origin, dst *secret.Secret, setting Key) {
		switch {
		case own != "":
			*dst = own
			c.origins[setting] = ownOrigin
		case r.pass != "":
			*dst = r.pass
			c.origins[setting] = r.origin
		}
	}
	resolve(r.authPass, r.authOrigin, &c.AuthPass, SettingAuthPass)
	resolve(r.privPass, r.privOrigin, &c.PrivPass, SettingPrivPass)
	return c
}

// seconds converts a timeout directive's whole seconds.
func seconds(n int) time.Duration { return time.Duration(n) * time.Second }
