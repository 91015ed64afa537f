// Package snmpconf reads net-snmp's client configuration (snmp.conf) the
// way net-snmp 5.9's own tools do, so stg can start from the defaults an
// engineer already keeps for snmpget and snmpwalk.
//
// # Files and precedence
//
// Load reads, in this order, each later value replacing an earlier one:
//
//  1. for each directory of the search path, DIR/snmp.conf then
//     DIR/snmp.local.conf; the path is SNMPCONFPATH when set (and then
//     only that), else /etc/snmp, /usr/share/snmp and HOME/.snmp;
//  2. the same directories' snmpapp.conf and snmpapp.local.conf, where
//     only lines in an [snmp] section count;
//  3. for the agent being reached, each directory's hosts/HOST.conf and
//     hosts/HOST.local.conf, when HOST is a bare name or address (letters,
//     digits, '.' and '-': no transport prefix, no port) and no file said
//     "dontLoadHostConfig yes". net-snmp reads these when it opens the
//     session, so they override the general files.
//
// net-snmp's arch-specific library directory (on Debian
// /usr/lib/x86_64-linux-gnu/snmp) and its persistent directory
// (/var/lib/snmp) are not read: they hold no client defaults in practice.
//
// # Directives
//
// Keywords are matched in any case (net-snmp uses strcasecmp). A line
// whose first non-blank character is '#' is a comment; a '#' later on a
// line is part of the value, as in net-snmp ("defCommunity s3cret # ops"
// sets the community "s3cret # ops"). A string value is the rest of the
// line without trailing blanks, or the text between double quotes when
// it starts with one (backslash escapes the next character). Integer
// values (defaultPort, timeout, retries) are decimal; timeout is in whole
// seconds. "[snmp]" and "[snmpapp]" switch the section for the rest of the
// file, or for one line when a directive follows them on the same line.
// includeFile, includeDir and includeSearch are followed as net-snmp does.
// Directives stg has no use for (mibs, mibdirs, logTimestamp...) are
// ignored silently, as net-snmp's own tools ignore the ones they do not
// know; a near miss of a known keyword (defCommunty) gets a warning.
//
// Values net-snmp would reject (defVersion 4, timeout 1.5) are reported as
// warnings naming the file and line and leave the earlier value in place,
// as net-snmp does; an unknown defAuthType or defPrivType resets it to
// the default, again as net-snmp does.
//
// # Where stg differs from net-snmp's tools, on purpose
//
// net-snmp 5.9's snmpget decides the SNMP version before it reads a host
// file, so "defVersion" in hosts/HOST.conf has no effect there, although
// snmp.conf(5) gives exactly that example; and it refuses a community that
// only a host file sets. Load follows the man page: a host file's values
// all override the general ones.
//
// # Secrets
//
// Communities and passphrases are secret.Secret values, which print as
// "<redacted>". Origins and warnings name files, lines and keywords,
// never values. A file that holds a community, passphrase or key and can
// be read by its group or others gets a warning, as snmp.conf(5) asks for
// such files to be readable by their owner only.
package snmpconf
