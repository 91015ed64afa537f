package cli

import (
	"io/fs"
	"slices"

	"github.com/stg-project/stg/internal/snmpconf"
	"github.com/stg-project/stg/internal/sshconf"
)

// Files is where stg reads the client configuration net-snmp's and
// OpenSSH's tools keep on the host (snmp.conf, ~/.ssh/config). The zero
// value reads none, as the tests of other settings want.
type Files struct {
	// FS reads files by absolute path without its leading "/":
	// os.DirFS("/") on the machine, an fstest.MapFS in tests; nil reads
	// none.
	FS fs.FS
	// LocalHost is this host's name, for ssh_config's %l and %L.
	LocalHost string
}

// localUser is the login name ssh_config's Match localuser and %u see.
func localUser(env LookupEnv) string {
	if u := env.get("USER"); u != "" {
		return u
	}
	return env.get("LOGNAME")
}

// snmpconfOptions says where snmpconf looks for the router as typed.
func snmpconfOptions(env LookupEnv, files Files, router string) snmpconf.Options {
	return snmpconf.Options{FS: files.FS, Home: env.get("HOME"), ConfPath: env.get("SNMPCONFPATH"), Host: router}
}

// sshconfOptions says where sshconf looks.
func sshconfOptions(env LookupEnv, files Files) sshconf.Options {
	return sshconf.Options{FS: files.FS, Home: env.get("HOME"), LocalUser: localUser(env), LocalHost: files.LocalHost}
}

// RouterNames lists the routers the host's configuration knows by name,
// sorted and once each, for the completion of --router: the concrete
// Host names of ~/.ssh/config and /etc/ssh/ssh_config (and what they
// include), and the hosts of net-snmp's hosts/HOST.conf files. A file
// that cannot be read adds nothing.
func RouterNames(env LookupEnv, files Files) []string {
	if files.FS == nil {
		return nil
	}
	ssh, _ := sshconf.HostNames(sshconfOptions(env, files))
	snmp, _ := snmpconf.HostNames(snmpconfOptions(env, files, ""))
	names := append(ssh, snmp...)
	slices.Sort(names)
	return slices.Compact(names)
}
