package sshconf

import (
	"fmt"
	"net"
	"path"
	"strconv"
	"strings"
	"time"
)

// finish turns the raw first values into Host, with defaults and tokens.
func (r *resolver) finish() error {
	h := &r.host
	h.Alias = r.alias
	bad := func(k Key, format string, args ...any) error {
		o := h.origins[k]
		return fmt.Errorf("%s:%d: %s %s", o.File, o.Line, k, fmt.Sprintf(format, args...))
	}

	h.HostName = r.alias
	if v, ok := r.raw[KeyHostName]; ok {
		s, err := expandHostName(v, r.alias)
		if err != nil {
			return bad(KeyHostName, "%v", err)
		}
		h.HostName = s
	}
	h.HostName = strings.ToLower(h.HostName)

	h.Port = DefaultPort
	if v, ok := r.raw[KeyPort]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			return bad(KeyPort, "%q is not a port from 1 to 65535", v)
		}
		h.Port = n
	}
	h.User = r.opts.LocalUser
	if v, ok := r.raw[KeyUser]; ok {
		h.User = v
	}
	if v, ok := r.raw[KeyIdentitiesOnly]; ok {
		b, ok := yesNo(v)
		if !ok {
			return bad(KeyIdentitiesOnly, "%q: use yes or no", v)
		}
		h.IdentitiesOnly = b
	}
	h.StrictHostKeyChecking = "ask"
	if v, ok := r.raw[KeyStrictHostKeyChecking]; ok {
		s, ok := strictHostKeyChecking(v)
		if !ok {
			return bad(KeyStrictHostKeyChecking, "%q: use yes, accept-new, no or ask", v)
		}
		h.StrictHostKeyChecking = s
	}
	if v, ok := r.raw[KeyConnectTimeout]; ok {
		d, err := convTime(v)
		if err != nil {
			return bad(KeyConnectTimeout, "%q: %v", v, err)
		}
		h.ConnectTimeout = d
	}
	if v, ok := r.raw[KeyProxyCommand]; ok && !strings.EqualFold(v, "none") {
		h.ProxyCommand = v
	}
	if v, ok := r.raw[KeyProxyJump]; ok && !strings.EqualFold(v, "none") {
		jumps, err := parseJumps(v)
		if err != nil {
			return bad(KeyProxyJump, "%q: %v", v, err)
		}
		h.ProxyJump = jumps
	}
	return r.expandFiles()
}

// expandFiles expands "~/" and the tokens of IdentityFile and
// UserKnownHostsFile.
func (r *resolver) expandFiles() error {
	h := &r.host
	keyAlias := r.alias
	if v, ok := r.raw[KeyHostKeyAlias]; ok {
		keyAlias = v
	}
	tokens := map[byte]string{
		'%': "%", 'd': r.opts.Home, 'h': h.HostName, 'k': keyAlias, 'l': r.opts.LocalHost,
		'L': strings.SplitN(r.opts.LocalHost, ".", 2)[0], 'n': r.alias, 'p': strconv.Itoa(h.Port),
		'r': h.User, 'u': r.opts.LocalUser,
	}
	expand := func(value string, o Origin) (string, error) {
		s := value
		if strings.HasPrefix(s, "~/") {
			s = path.Join(r.opts.Home, s[2:])
		} else if strings.HasPrefix(s, "~") {
			return "", fmt.Errorf("%s:%d: %s %q: only ~/ is supported", o.File, o.Line, o.Key, value)
		}
		out, err := expandTokens(s, tokens)
		if err != nil {
			return "", fmt.Errorf("%s:%d: %s %q: %v", o.File, o.Line, o.Key, value, err)
		}
		return out, nil
	}
	for i, v := range r.identity {
		if strings.EqualFold(v, "none") {
			continue
		}
		s, err := expand(v, r.identityO[i])
		if err != nil {
			return err
		}
		h.IdentityFiles = append(h.IdentityFiles, s)
		if _, ok := h.origins[KeyIdentityFile]; !ok {
			h.origins[KeyIdentityFile] = r.identityO[i]
		}
	}
	files := []string{"~/.ssh/known_hosts", "~/.ssh/known_hosts2"}
	o := Origin{Key: KeyUserKnownHostsFile}
	if v, ok := r.raw[KeyUserKnownHostsFile]; ok {
		files, o = strings.Fields(v), h.origins[KeyUserKnownHostsFile]
		if strings.EqualFold(v, "none") {
			files = nil
		}
	}
	for _, f := range files {
		s, err := expand(f, o)
		if err != nil {
			return err
		}
		h.UserKnownHostsFiles = append(h.UserKnownHostsFiles, s)
	}
	return nil
}

// expandHostName expands HostName's tokens: %h (the host as given) and %%.
func expandHostName(s, alias string) (string, error) {
	return expandTokens(s, map[byte]string{'%': "%", 'h': alias})
}

// expandTokens replaces %X by tokens[X]; an unknown token is an error,
// as in OpenSSH's percent_expand.
func expandTokens(s string, tokens map[byte]string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("a '%%' ends the value")
		}
		i++
		v, ok := tokens[s[i]]
		if !ok {
			return "", fmt.Errorf("token %%%c is not supported", s[i])
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// yesNo reads a flag as OpenSSH: yes or no, true or false.
func yesNo(v string) (value, ok bool) {
	switch strings.ToLower(v) {
	case "yes", "true":
		return true, true
	case "no", "false":
		return false, true
	}
	return false, false
}

// strictHostKeyChecking reads StrictHostKeyChecking as OpenSSH's
// multistate_strict_hostkey.
func strictHostKeyChecking(v string) (string, bool) {
	switch strings.ToLower(v) {
	case "yes", "true":
		return "yes", true
	case "no", "false", "off":
		return "no", true
	case "ask":
		return "ask", true
	case "accept-new":
		return "accept-new", true
	}
	return "", false
}

// convTime reads a time as OpenSSH's convtime: seconds, or numbers each
// followed by s, m, h, d or w ("1m30s"), in any case.
func convTime(v string) (time.Duration, error) {
	if v == "" {
		return 0, fmt.Errorf("empty time")
	}
	var total time.Duration
	for rest := v; rest != ""; {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("not a time: use seconds or 1m30s")
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil {
			return 0, err
		}
		unit := time.Second
		rest = rest[i:]
		if rest != "" {
			switch rest[0] {
			case 's', 'S':
			case 'm', 'M':
				unit = time.Minute
			case 'h', 'H':
				unit = time.Hour
			case 'd', 'D':
				unit = 24 * time.Hour
			case 'w', 'W':
				unit = 7 * 24 * time.Hour
			default:
				return 0, fmt.Errorf("unknown time unit %q", rest[0])
			}
			rest = rest[1:]
		}
		total += time.Duration(n) * unit
	}
	return total, nil
}

// parseJumps reads ProxyJump: comma-separated [user@]host[:port] or
// ssh://[user@]host[:port], an IPv6 address in brackets.
func parseJumps(v string) ([]Jump, error) {
	if strings.Contains(v, "%") {
		return nil, fmt.Errorf("OpenSSH takes no %%tokens in ProxyJump")
	}
	var jumps []Jump
	for _, hop := range strings.Split(v, ",") {
		j, err := parseJump(hop)
		if err != nil {
			return nil, err
		}
		jumps = append(jumps, j)
	}
	return jumps, nil
}

func parseJump(hop string) (Jump, error) {
	var j Jump
	s := strings.TrimPrefix(hop, "ssh://")
	if i := strings.LastIndex(s, "@"); i >= 0 {
		j.User, s = s[:i], s[i+1:]
		if j.User == "" {
			return j, fmt.Errorf("hop %q has an empty user", hop)
		}
	}
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		h, p, err := net.SplitHostPort(s)
		if err != nil && strings.HasSuffix(s, "]") {
			h, err = strings.Trim(s, "[]"), nil
		}
		if err != nil {
			return j, fmt.Errorf("hop %q: %v", hop, err)
		}
		host, port = h, p
	} else if i := strings.LastIndex(s, ":"); i >= 0 {
		host, port = s[:i], s[i+1:]
		if strings.Contains(host, ":") {
			return j, fmt.Errorf("hop %q: put an IPv6 address in brackets", hop)
		}
	}
	if host == "" || strings.ContainsAny(host, " %") {
		return j, fmt.Errorf("hop %q has no valid host", hop)
	}
	j.Host = host
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return j, fmt.Errorf("hop %q: port %q is not from 1 to 65535", hop, port)
		}
		j.Port = n
	}
	return j, nil
}
