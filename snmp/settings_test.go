package snmp

import (
	"errors"
	"testing"
)

func TestParseSettings(t *testing.T) {
	tests := []struct {
		parse    func(string) (string, error)
		in, want string
		setting  Setting
	}{
		{func(s string) (string, error) { v, err := ParseVersion(s); return string(v), err }, "V2C", "2c", SettingVersion},
		{func(s string) (string, error) { v, err := ParseVersion(s); return string(v), err }, "2", "2c", SettingVersion},
		{func(s string) (string, error) { v, err := ParseVersion(s); return string(v), err }, "v1", "1", SettingVersion},
		{func(s string) (string, error) { v, err := ParseVersion(s); return string(v), err }, "4", "", SettingVersion},
		{ParseSecLevel, "priv", "authPriv", SettingSecLevel},
		{ParseSecLevel, "AUTH_NO_PRIV", "authNoPriv", SettingSecLevel},
		{ParseSecLevel, "", "", SettingSecLevel},
		{ParseAuthProto, "sha_256", "SHA-256", SettingAuthProto},
		{ParseAuthProto, "SHA1", "SHA", SettingAuthProto},
		{ParseAuthProto, "SHA3", "", SettingAuthProto},
		{ParsePrivProto, "aes256c", "AES-256-C", SettingPrivProto},
		{ParsePrivProto, "3DES", "", SettingPrivProto},
	}
	for _, tt := range tests {
		t.Run(string(tt.setting)+" "+tt.in, func(t *testing.T) {
			got, err := tt.parse(tt.in)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			var ce *ConfigError
			switch {
			case tt.want != "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.want == "" && !errors.As(err, &ce):
				t.Errorf("error %v, want a *ConfigError", err)
			case tt.want == "" && (ce.Setting != tt.setting || ce.Problem != Unknown || ce.Value != tt.in || len(ce.Accepted) < 3):
				t.Errorf("error %+v, want %s, Unknown, %q and the accepted names", ce, tt.setting, tt.in)
			}
		})
	}
}

func TestValidateNamesTheSetting(t *testing.T) {
	target := Target{Transport: "udp", Host: "127.0.0.1", Port: 161}
	v3 := Config{Target: target, Version: "3", SecName: "ops", SecLevel: "authPriv", AuthPass: testAuthPass, PrivPass: testPrivPass}
	tests := []struct {
		name    string
		mod     func(*Config)
		setting Setting
		problem Problem
	}{
		{"no user", func(c *Config) { c.SecName = "" }, SettingSecName, Missing},
		{"no auth pass", func(c *Config) { c.AuthPass = "" }, SettingAuthPass, Missing},
		{"short priv pass", func(c *Config) { c.PrivPass = "1234567" }, SettingPrivPass, TooShort},
		{"negative retries", func(c *Config) { c.Retries = -1 }, SettingRetries, Negative},
		{"v2c without community", func(c *Config) { c.Version = "2c" }, SettingCommunity, Missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := v3
			tt.mod(&c)
			var ce *ConfigError
			if err := c.Validate(); !errors.As(err, &ce) || ce.Setting != tt.setting || ce.Problem != tt.problem {
				t.Errorf("Validate() = %v, want a ConfigError %s/%d", err, tt.setting, tt.problem)
			}
		})
	}
	n, err := Config{Target: target, Version: "v3", SecName: "ops", AuthPass: testAuthPass, AuthProto: "sha512", PrivProto: "aes"}.Normalize()
	if err != nil || n.Version != Version3 || n.SecLevel != "authNoPriv" || n.AuthProto != "SHA-512" || n.PrivProto != "AES" {
		t.Errorf("Normalize = %+v, %v; want v3 authNoPriv SHA-512 AES", n, err)
	}
}
