package cli

import (
	"fmt"

	"github.com/stg-project/stg/internal/snmpconf"
	"github.com/stg-project/stg/snmp"
)

// loadSNMPConf reads net-snmp's snmp.conf files for router as typed (its
// hosts/ROUTER.conf too when it is a bare name), as snmpget would, and
// adds their warnings and the files read to p. It returns nil when files
// reads none.
func loadSNMPConf(env LookupEnv, files Files, router string, p *PollSettings) *snmpconf.Config {
	if files.FS == nil {
		return nil
	}
	conf, err := snmpconf.Load(snmpconfOptions(env, files, router))
	if err != nil {
		return nil // only for a nil FS, checked above
	}
	for _, w := range conf.Warnings {
		p.Warnings = append(p.Warnings, "snmp.conf: "+w.String())
	}
	for _, f := range conf.Files {
		p.Sources = append(p.Sources, "snmp.conf: read "+f)
	}
	return conf
}

// agent is the address of router: as typed, with the snmp.conf files'
// defaultPort when it names no port, or where a host file's transport
// directive sends it.
func agent(router string, conf *snmpconf.Config, fromFile map[string]snmpconf.Origin) (snmp.Target, error) {
	if conf != nil {
		if o, ok := conf.Origin(snmpconf.SettingTransport); ok {
			t, err := snmp.ParseTarget(conf.Transport)
			if err != nil {
				return t, fmt.Errorf("snmp.conf: %s: %w", o, err)
			}
			fromFile["transport"] = o
			return t, nil
		}
		if o, ok := conf.Origin(snmpconf.SettingPort); ok {
			t, err := snmp.ParseTargetPort(router, conf.Port)
			if err == nil && t.Port == conf.Port {
				fromFile["port"] = o
			}
			return t, err
		}
	}
	return snmp.ParseTarget(router)
}

// snmpSourceLines say, for the --debug log, which settings of the files
// the run took and which the command line or the environment overrode:
// names and places, never values.
func snmpSourceLines(conf *snmpconf.Config, fromFile map[string]snmpconf.Origin) []string {
	if conf == nil {
		return nil
	}
	used := map[snmpconf.Origin]bool{}
	for _, o := range fromFile {
		used[o] = true
	}
	var lines []string
	for _, o := range conf.Origins() {
		if used[o] {
			lines = append(lines, "snmp.conf: using "+o.String())
		} else {
			lines = append(lines, "snmp.conf: not using "+o.String()+": a flag, an STG_* variable or the SNMP version set it otherwise")
		}
	}
	return lines
}
