package snmpconf

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	etcConf    = "/etc/snmp/snmp.conf"
	etcLocal   = "/etc/snmp/snmp.local.conf"
	shareConf  = "/usr/share/snmp/snmp.conf"
	homeConf   = "/home/noc/.snmp/snmp.conf"
	homeLocal  = "/home/noc/.snmp/snmp.local.conf"
	homeApp    = "/home/noc/.snmp/snmpapp.conf"
	homeHosts  = "/home/noc/.snmp/hosts/"
	etcHosts   = "/etc/snmp/hosts/"
	homeDir    = "/home/noc"
	homeIncDir = "/home/noc/.snmp/conf.d/"
)

// warnAt is a warning a case expects: its "FILE:LINE" (or "FILE") and a
// part of its message.
type warnAt struct{ at, has string }

type loadCase struct {
	name     string
	files    map[string]file
	host     string
	confPath string
	want     values
	origins  map[Key]string // setting -> "DIRECTIVE=FILE:LINE"
	warnings []warnAt
	secrets  []string // must appear in no warning, origin or printed Config
}

var loadCases = []loadCase{
	{
		name: "v3 credentials in ~/.snmp/snmp.conf, as tutorials write them",
		files: map[string]file{homeConf: {text: "# Default SNMPv3 credentials\ndefVersion 3\ndefSecurityName monitoruser\ndefSecurityLevel authPriv\ndefAuthType SHA\n" +
			"defAuthPassphrase my_auth_passphrase_min32chars\ndefPrivType AES\ndefPrivPassphrase my_priv_passphrase_min32chars\n"}},
		want: values{Version: "3", SecName: "monitoruser", SecLevel: "authPriv", AuthProto: "SHA", PrivProto: "AES",
			AuthPass: "my_auth_passphrase_min32chars", PrivPass: "my_priv_passphrase_min32chars"},
		origins: map[Key]string{
			SettingVersion: "defVersion=" + homeConf + ":2", SettingSecName: "defSecurityName=" + homeConf + ":3",
			SettingSecLevel: "defSecurityLevel=" + homeConf + ":4", SettingAuthProto: "defAuthType=" + homeConf + ":5",
			SettingAuthPass: "defAuthPassphrase=" + homeConf + ":6", SettingPrivProto: "defPrivType=" + homeConf + ":7",
			SettingPrivPass: "defPrivPassphrase=" + homeConf + ":8",
		},
		secrets: []string{"my_auth_passphrase_min32chars", "my_priv_passphrase_min32chars"},
	},
	{
		name:    "lower-case keywords and two blanks, as net-snmp's snmpconf writes them",
		files:   map[string]file{homeConf: {text: "# defaultport: The default port number to use\n\ndefaultport  1161\n\n# defversion\n\ndefversion  2c\n\ndefcommunity  public\n\n\nmibdirs +/usr/share/snmp/mibs/iana\nmibs +ALL\nshowmiberrors  0\n"}},
		want:    values{Version: "2c", Community: "public", Port: 1161},
		origins: map[Key]string{SettingPort: "defaultPort=" + homeConf + ":3", SettingVersion: "defVersion=" + homeConf + ":7", SettingCommunity: "defCommunity=" + homeConf + ":9"},
	},
	{
		name: "later files win: /etc, /etc local, /usr/share, ~/.snmp, ~/.snmp local",
		files: map[string]file{
			etcConf:   {text: "defCommunity etc\ndefVersion 1\ntimeout 5\n"},
			etcLocal:  {text: "defCommunity etclocal\n"},
			shareConf: {text: "defCommunity share\nretries 2\n"},
			homeConf:  {text: "defCommunity home\n"},
			homeLocal: {text: "defVersion 2c\n"},
		},
		want: values{Version: "2c", Community: "home", Timeout: 5 * time.Second, Retries: 2},
		origins: map[Key]string{SettingVersion: "defVersion=" + homeLocal + ":1", SettingCommunity: "defCommunity=" + homeConf + ":1",
			SettingTimeout: "timeout=" + etcConf + ":3", SettingRetries: "retries=" + shareConf + ":2"},
	},
	{
		name: "snmpapp.conf is read after every snmp.conf, only its [snmp] lines count",
		files: map[string]file{
			homeLocal: {text: "defCommunity fromlocal\n"},
			homeApp:   {text: "defCommunity notsnmp\n[snmp] defCommunity fromapp\n"},
		},
		want:    values{Community: "fromapp"},
		origins: map[Key]string{SettingCommunity: "defCommunity=" + homeApp + ":2"},
	},
	{
		name:    "the man page's snmpapp.conf example",
		files:   map[string]file{homeApp: {text: "@manpage-snmpapp.conf"}},
		want:    values{Version: "2c", Community: "myCommunity"},
		origins: map[Key]string{SettingVersion: "defVersion=" + homeApp + ":4", SettingCommunity: "defCommunity=" + homeApp + ":3"},
	},
	{
		name:  "Debian's /etc/snmp/snmp.conf sets nothing and warns about nothing",
		files: map[string]file{etcConf: {text: "@debian-etc-snmp.conf", mode: 0o644}},
	},
	{
		name:    "comments, blanks and a '#' inside a value, as net-snmp reads them",
		files:   map[string]file{homeConf: {text: "  # indented comment\n\n\t\ndefCommunity s3cret # ops team\n  defSecurityName\tnoc   \n"}},
		want:    values{Community: "s3cret # ops team", SecName: "noc"},
		origins: map[Key]string{SettingCommunity: "defCommunity=" + homeConf + ":4", SettingSecName: "defSecurityName=" + homeConf + ":5"},
		secrets: []string{"s3cret"},
	},
	{
		name:     "keywords in any case; 2c in any case, 1 and v1 exactly",
		files:    map[string]file{homeConf: {text: "DEFVERSION V2C\nDefCommunity x\ndefVersion V1\n"}},
		want:     values{Version: "2c", Community: "x"},
		origins:  map[Key]string{SettingVersion: "defVersion=" + homeConf + ":1", SettingCommunity: "defCommunity=" + homeConf + ":2"},
		warnings: []warnAt{{homeConf + ":3", `unknown defVersion "V1"`}},
	},
	{
		name:  "double quotes group and escape, single quotes stay",
		files: map[string]file{homeConf: {text: "defSecurityName \"net ops\" trailing\ndefContext \"a\\\"b\"\ndefCommunity 'pub'\ndefAuthPassphrase \"pass phrase\\\\1\"\n"}},
		want:  values{SecName: "net ops", Context: `a"b`, Community: "'pub'", AuthPass: `pass phrase\1`},
		origins: map[Key]string{SettingSecName: "defSecurityName=" + homeConf + ":1", SettingContext: "defContext=" + homeConf + ":2",
			SettingCommunity: "defCommunity=" + homeConf + ":3", SettingAuthPass: "defAuthPassphrase=" + homeConf + ":4"},
	},
	{
		name:    "CRLF line ends are trailing blanks",
		files:   map[string]file{homeConf: {text: "defVersion 2c\r\ndefCommunity crlf\r\ntimeout 2\r\n"}},
		want:    values{Version: "2c", Community: "crlf", Timeout: 2 * time.Second},
		origins: map[Key]string{SettingVersion: "defVersion=" + homeConf + ":1", SettingCommunity: "defCommunity=" + homeConf + ":2", SettingTimeout: "timeout=" + homeConf + ":3"},
	},
	{
		name: "values net-snmp rejects keep the earlier value and name the line",
		files: map[string]file{
			etcConf:  {text: "defVersion 2c\ntimeout 3\ndefSecurityLevel authNoPriv\n", mode: 0o644},
			homeConf: {text: "defVersion 2c # v2 please\ntimeout 1.5\ndefSecurityLevel high\ndefaultPort 70000\nretries many\ndefVersion=3\n"},
		},
		want: values{Version: "2c", Timeout: 3 * time.Second, SecLevel: "authNoPriv"},
		origins: map[Key]string{SettingVersion: "defVersion=" + etcConf + ":1", SettingTimeout: "timeout=" + etcConf + ":2",
			SettingSecLevel: "defSecurityLevel=" + etcConf + ":3"},
		warnings: []warnAt{
			{homeConf + ":1", `unknown defVersion "2c # v2 please"`},
			{homeConf + ":2", `timeout "1.5" is not a whole number`},
			{homeConf + ":3", `unknown defSecurityLevel "high"`},
			{homeConf + ":4", "defaultPort 70000 is not from 1 to 65535"},
			{homeConf + ":5", `retries "many" is not a whole number`},
			{homeConf + ":6", "put a blank, not '=', between defVersion and its value"},
		},
	},
	{
		name:    "defPassphrase fills the passphrase not set on its own",
		files:   map[string]file{homeConf: {text: "defPassphrase shared-secret\ndefPrivPassphrase priv-secret\n"}},
		want:    values{AuthPass: "shared-secret", PrivPass: "priv-secret"},
		origins: map[Key]string{SettingAuthPass: "defPassphrase=" + homeConf + ":1", SettingPrivPass: "defPrivPassphrase=" + homeConf + ":2"},
		secrets: []string{"shared-secret", "priv-secret"},
	},
	{
		name: "an own passphrase from any file beats defPassphrase from a later one",
		files: map[string]file{
			etcConf:               {text: "defAuthPassphrase from-etc-auth\n"},
			homeHosts + "r1.conf": {text: "defPassphrase from-host\n"},
		},
		host:    "r1",
		want:    values{AuthPass: "from-etc-auth", PrivPass: "from-host"},
		origins: map[Key]string{SettingAuthPass: "defAuthPassphrase=" + etcConf + ":1", SettingPrivPass: "defPassphrase=" + homeHosts + "r1.conf:1"},
	},
	{
		name:    "protocols as net-snmp finds them: any case, a prefix picks the first label",
		files:   map[string]file{homeConf: {text: "defAuthType sha-2\ndefPrivType a\n"}},
		want:    values{AuthProto: "SHA-224", PrivProto: "AES"},
		origins: map[Key]string{SettingAuthProto: "defAuthType=" + homeConf + ":1", SettingPrivProto: "defPrivType=" + homeConf + ":2"},
	},
	{
		name:    "Cisco's AES-256-C and SHA-512 spelled without dashes",
		files:   map[string]file{homeConf: {text: "defAuthType SHA512\ndefPrivType aes256c\n"}},
		want:    values{AuthProto: "SHA-512", PrivProto: "AES-256-C"},
		origins: map[Key]string{SettingAuthProto: "defAuthType=" + homeConf + ":1", SettingPrivProto: "defPrivType=" + homeConf + ":2"},
	},
	{
		name: "an unknown protocol resets it to the default, as net-snmp does",
		files: map[string]file{
			etcConf:  {text: "defAuthType SHA-256\ndefPrivType AES\n"},
			homeConf: {text: "defAuthType BLAKE3\ndefPrivType NOPRIV\n"},
		},
		warnings: []warnAt{{homeConf + ":1", `unknown defAuthType "BLAKE3": the default is used`}, {homeConf + ":2", "defPrivType NOPRIV is not supported"}},
	},
	{
		name: "timeout in whole seconds; 0 and negative retries mean the default again",
		files: map[string]file{
			etcConf:  {text: "timeout 4\nretries 3\n"},
			homeConf: {text: "timeout 0\nretries -1\ndefaultPort 10161 extra words\n"},
		},
		want:    values{Port: 10161},
		origins: map[Key]string{SettingPort: "defaultPort=" + homeConf + ":3"},
	},
	{
		name: "a host file overrides everything, defVersion too; .local.conf after it",
		files: map[string]file{
			homeConf:                       {text: "defVersion 3\ndefCommunity general\ndefSecurityName noc\n"},
			etcHosts + "bras1.conf":        {text: "defCommunity etc-host\n"},
			homeHosts + "bras1.conf":       {text: "defVersion 2c\ndefCommunity bras-ro\ntransport udp:10.0.0.1:1161\n"},
			homeHosts + "bras1.local.conf": {text: "defaultPort 2161\n"},
		},
		host: "bras1",
		want: values{Version: "2c", Community: "bras-ro", SecName: "noc", Transport: "udp:10.0.0.1:1161", Port: 2161},
		origins: map[Key]string{SettingVersion: "defVersion=" + homeHosts + "bras1.conf:1", SettingCommunity: "defCommunity=" + homeHosts + "bras1.conf:2",
			SettingSecName: "defSecurityName=" + homeConf + ":3", SettingTransport: "transport=" + homeHosts + "bras1.conf:3",
			SettingPort: "defaultPort=" + homeHosts + "bras1.local.conf:1"},
	},
	{
		name:    "the man page's host file",
		files:   map[string]file{homeHosts + "foo.conf": {text: "@manpage-hosts-foo.conf"}},
		host:    "foo",
		want:    values{Version: "2c", Transport: "tcp:foo.example.com:9876"},
		origins: map[Key]string{SettingVersion: "defVersion=" + homeHosts + "foo.conf:1", SettingTransport: "transport=" + homeHosts + "foo.conf:2"},
	},
	{
		name:  "no host file for a router given with a port or a transport",
		files: map[string]file{homeHosts + "bras1.conf": {text: "defCommunity never\n"}},
		host:  "udp:bras1:161",
	},
	{
		name: "dontLoadHostConfig yes keeps host files out",
		files: map[string]file{
			etcConf:                  {text: "dontLoadHostConfig yes\n", mode: 0o644},
			homeHosts + "bras1.conf": {text: "defCommunity never\n"},
		},
		host: "bras1",
	},
	{
		name:     "sections: [snmpd] is not one, [snmpapp] for one line, [snmpapp] then [snmp]",
		files:    map[string]file{homeConf: {text: "[snmpd]\ndefCommunity stillsnmp\n[snmpapp] defVersion 1\n[snmpapp]\ndefVersion 3\n[snmp]\ndefSecurityName back\n[snmp\n"}},
		want:     values{Community: "stillsnmp", SecName: "back"},
		origins:  map[Key]string{SettingCommunity: "defCommunity=" + homeConf + ":2", SettingSecName: "defSecurityName=" + homeConf + ":7"},
		warnings: []warnAt{{homeConf + ":1", "no section [snmpd]"}, {homeConf + ":8", "no matching ']'"}},
	},
	{
		name: "includeFile relative to the file, includeDir in name order, includeSearch in the path",
		files: map[string]file{
			homeConf:                        {text: "includeFile creds/v3.conf\nincludeDir " + homeIncDir + "\nincludeSearch site.conf\n"},
			"/home/noc/.snmp/creds/v3.conf": {text: "defSecurityName fromfile\n"},
			homeIncDir + "b.conf":           {text: "defContext b\n"},
			homeIncDir + "a.conf":           {text: "defContext a\ndefCommunity a\n"},
			homeIncDir + ".hidden.conf":     {text: "defCommunity hidden\n"},
			homeIncDir + "notes.txt":        {text: "defCommunity txt\n"},
			"/etc/snmp/site.conf":           {text: "retries 1\n", mode: 0o644},
		},
		want: values{SecName: "fromfile", Context: "b", Community: "a", Retries: 1},
		origins: map[Key]string{SettingSecName: "defSecurityName=/home/noc/.snmp/creds/v3.conf:1", SettingContext: "defContext=" + homeIncDir + "b.conf:1",
			SettingCommunity: "defCommunity=" + homeIncDir + "a.conf:2", SettingRetries: "retries=/etc/snmp/site.conf:1"},
	},
	{
		name: "include mistakes: ambiguous include, a missing file, a loop",
		files: map[string]file{
			homeConf:                    {text: "include other.conf\nincludeFile missing.conf\nincludeFile loop.conf\n"},
			"/home/noc/.snmp/loop.conf": {text: "includeFile loop.conf\n"},
		},
		warnings: []warnAt{
			{homeConf + ":1", "ambiguous directive include"},
			{homeConf + ":2", "included file /home/noc/.snmp/missing.conf not found"},
			{"/home/noc/.snmp/loop.conf", "includes nest deeper than 16"},
			{"/home/noc/.snmp/loop.conf:1", "included file /home/noc/.snmp/loop.conf not found"},
		},
	},
	{
		name: "SNMPCONFPATH replaces the whole search path",
		files: map[string]file{
			homeConf:              {text: "defCommunity home\n"},
			"/opt/snmp/snmp.conf": {text: "defCommunity opt\n"},
		},
		confPath: "/opt/snmp::relative/dir",
		want:     values{Community: "opt"},
		origins:  map[Key]string{SettingCommunity: "defCommunity=/opt/snmp/snmp.conf:1"},
		warnings: []warnAt{{"relative/dir", "not absolute"}},
	},
	{
		name: "a secret in a file others can read gets one warning per file, without the secret",
		files: map[string]file{
			etcConf:   {text: "defCommunity s3cret-etc\ndefPassphrase s3cret-pass\n", mode: 0o644},
			shareConf: {text: "defVersion 2c\n", mode: 0o644},
			homeConf:  {text: "defAuthPassphrase s3cret-auth\n", mode: 0o640},
			homeLocal: {text: "defPrivPassphrase s3cret-priv\n", mode: 0o600},
		},
		want: values{Version: "2c", Community: "s3cret-etc", AuthPass: "s3cret-auth", PrivPass: "s3cret-priv"},
		origins: map[Key]string{SettingVersion: "defVersion=" + shareConf + ":1", SettingCommunity: "defCommunity=" + etcConf + ":1",
			SettingAuthPass: "defAuthPassphrase=" + homeConf + ":1", SettingPrivPass: "defPrivPassphrase=" + homeLocal + ":1"},
		warnings: []warnAt{
			{etcConf + ":1", "holds defCommunity but can be read by others (mode 0644): chmod 600 " + etcConf},
			{homeConf + ":1", "holds defAuthPassphrase but can be read by others (mode 0640)"},
		},
		secrets: []string{"s3cret-etc", "s3cret-pass", "s3cret-auth", "s3cret-priv"},
	},
	{
		name:     "a near miss of a keyword is named; other unknown directives are silent",
		files:    map[string]file{homeConf: {text: "defCommunty typo\nmibs +ALL\nlogTimestamp yes\nalias here udp:127.0.0.1:6161\ndefTimeout 5\n"}},
		warnings: []warnAt{{homeConf + ":1", "unknown directive defCommunty: did you mean defCommunity?"}},
	},
	{
		name:  "keys stg cannot use, and directives without a value",
		files: map[string]file{homeConf: {text: "defAuthMasterKey 0x0123456789abcdef\ndefCommunity\ndefCommunity # nothing\n"}},
		warnings: []warnAt{
			{homeConf + ":1", "stg does not use defAuthMasterKey"},
			{homeConf + ":2", "defCommunity has no value"},
			{homeConf + ":3", "defCommunity has no value"},
		},
		secrets: []string{"0x0123456789abcdef"},
	},
}

func TestLoad(t *testing.T) {
	for _, tt := range loadCases {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]file{}
			for name, f := range tt.files {
				if strings.HasPrefix(f.text, "@") {
					f.text = testdata(t, f.text[1:])
				}
				files[name] = f
			}
			c, err := Load(Options{FS: machine(files), Home: homeDir, Host: tt.host, ConfPath: tt.confPath})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diffValues(valuesOf(c), tt.want) {
				t.Error(d)
			}
			want := tt.origins
			if want == nil {
				want = map[Key]string{}
			}
			if got := originStrings(c); !slices.Equal(sortedKeys(got), sortedKeys(want)) {
				t.Errorf("origins:\n got %v\nwant %v", sortedKeys(got), sortedKeys(want))
			}
			checkWarnings(t, c, tt.warnings)
			checkNoSecrets(t, c, tt.secrets)
		})
	}
}

func checkWarnings(t *testing.T, c *Config, want []warnAt) {
	t.Helper()
	got := warningStrings(c)
	if len(got) != len(want) {
		t.Errorf("got %d warnings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
		return
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w.at+": ") || !strings.Contains(got[i], w.has) {
			t.Errorf("warning %d: got %q, want %q... containing %q", i, got[i], w.at, w.has)
		}
	}
}

// checkNoSecrets prints the Config and every warning and origin every
// way a caller might, and fails if a secret shows.
func checkNoSecrets(t *testing.T, c *Config, secrets []string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%v %+v %#v %s %v", *c, *c, *c, c.Community, c.AuthPass)
	for _, w := range c.Warnings {
		b.WriteString(w.String())
	}
	for _, o := range c.Origins() {
		b.WriteString(o.String())
	}
	for _, s := range secrets {
		if strings.Contains(b.String(), s) {
			t.Errorf("secret %q shows in the printed Config, a warning or an origin", s)
		}
	}
}
