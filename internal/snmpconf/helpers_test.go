package snmpconf

import (
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stg-project/stg/secret"
)

// file is one file of a test machine: its text and mode (0600 when 0).
type file struct {
	text string
	mode fs.FileMode
}

// machine builds an FS from absolute paths.
func machine(files map[string]file) fstest.MapFS {
	m := fstest.MapFS{}
	for name, f := range files {
		mode := f.mode
		if mode == 0 {
			mode = 0o600
		}
		m[strings.TrimPrefix(name, "/")] = &fstest.MapFile{Data: []byte(f.text), Mode: mode}
	}
	return m
}

// testdata reads a file of testdata/.
func testdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// values is the part of a Config a table test compares.
type values struct {
	Version, SecName, SecLevel, AuthProto, PrivProto, Context, Transport string
	Community, AuthPass, PrivPass                                        secret.Secret
	Port, Retries                                                        int
	Timeout                                                              time.Duration
}

func valuesOf(c *Config) values {
	return values{
		Version: c.Version, SecName: c.SecName, SecLevel: c.SecLevel, AuthProto: c.AuthProto,
		PrivProto: c.PrivProto, Context: c.Context, Transport: c.Transport, Community: c.Community,
		AuthPass: c.AuthPass, PrivPass: c.PrivPass, Port: c.Port, Retries: c.Retries, Timeout: c.Timeout,
	}
}

// diffValues lists the fields that differ, secrets in clear text: the
// test's own fake secrets.
func diffValues(got, want values) []string {
	var d []string
	add := func(name string, g, w any) {
		if g != w {
			d = append(d, fmt.Sprintf("%s: got %q, want %q", name, fmt.Sprint(g), fmt.Sprint(w)))
		}
	}
	add("Version", got.Version, want.Version)
	add("SecName", got.SecName, want.SecName)
	add("SecLevel", got.SecLevel, want.SecLevel)
	add("AuthProto", got.AuthProto, want.AuthProto)
	add("PrivProto", got.PrivProto, want.PrivProto)
	add("Context", got.Context, want.Context)
	add("Transport", got.Transport, want.Transport)
	add("Community", got.Community.Reveal(), want.Community.Reveal())
	add("AuthPass", got.AuthPass.Reveal(), want.AuthPass.Reveal())
	add("PrivPass", got.PrivPass.Reveal(), want.PrivPass.Reveal())
	add("Port", got.Port, want.Port)
	add("Retries", got.Retries, want.Retries)
	add("Timeout", got.Timeout, want.Timeout)
	return d
}

// originStrings renders origins as "KEY=FILE:LINE" for each setting,
// the key being the directive that gave it.
func originStrings(c *Config) map[Key]string {
	m := map[Key]string{}
	for _, k := range settingOrder {
		if o, ok := c.Origin(k); ok {
			m[k] = fmt.Sprintf("%s=%s:%d", o.Key, o.File, o.Line)
		}
	}
	return m
}

func sortedKeys(m map[Key]string) []string {
	var s []string
	for k, v := range m {
		s = append(s, string(k)+" "+v)
	}
	sort.Strings(s)
	return s
}

func warningStrings(c *Config) []string {
	var s []string
	for _, w := range c.Warnings {
		s = append(s, w.String())
	}
	return s
}
