package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set by `make build` and `make dist` with -ldflags -X (see the Makefile);
// empty in a plain `go build` or `go install`, where the build information
// the Go toolchain records stands in.
var (
	linkedVersion string
	linkedCommit  string
	linkedDate    string
)

// Build is what a stg binary was built from.
type Build struct {
	// Version is the release (v1.2.0, or git describe's v1.2.0-3-gabc1234),
	// the module version of `go install ...@v1.2.0`, or "devel".
	Version string
	// Commit is the VCS revision, "" when unknown; Modified says the tree
	// had uncommitted changes.
	Commit   string
	Modified bool
	// Date is the time of the commit (so that two builds of one commit
	// are the same), RFC 3339; "" when unknown.
	Date string
	// GoVersion is the toolchain, Platform GOOS/GOARCH.
	GoVersion, Platform string
}

// BuildOf returns the build of this binary: what the Makefile linked in,
// else what debug.ReadBuildInfo recorded.
func BuildOf() Build {
	info, _ := debug.ReadBuildInfo()
	return buildFrom(info, linkedVersion, linkedCommit, linkedDate)
}

// buildFrom merges the linked values with the build information (nil when
// the binary has none).
func buildFrom(info *debug.BuildInfo, version, commit, date string) Build {
	b := Build{Version: version, Commit: commit, Date: date, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info != nil {
		b.GoVersion = info.GoVersion
		if v := info.Main.Version; b.Version == "" && v != "" && v != "(devel)" {
			b.Version = v
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = b.Modified || s.Value == "true"
			}
		}
	}
	if strings.HasSuffix(b.Version, "-dirty") {
		b.Modified = true
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	return b
}

// String is what `stg version` and `stg --version` print: the version on
// the first line, then the commit, its date and the toolchain.
func (b Build) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "stg %s\n", b.Version)
	if b.Commit != "" {
		modified := ""
		if b.Modified {
			modified = " (with uncommitted changes)"
		}
		fmt.Fprintf(&s, "commit  %s%s\n", b.Commit, modified)
	}
	if b.Date != "" {
		fmt.Fprintf(&s, "date    %s\n", b.Date)
	}
	fmt.Fprintf(&s, "go      %s %s\n", b.GoVersion, b.Platform)
	return s.String()
}
