package metrics

import (
	"runtime"
	"runtime/debug"
)

// BuildInfo is what stg_build_info says of the running stg.
type BuildInfo struct {
	// Version is the module version, "(devel)" for a build from a
	// checkout.
	Version string
	// Revision is the VCS revision built from ("" when unknown), with
	// "-modified" when the tree had changes.
	Revision string
	// GoVersion is the Go toolchain's version.
	GoVersion string
}

// ReadBuildInfo returns what the Go toolchain recorded of this build.
func ReadBuildInfo() BuildInfo {
	b := BuildInfo{Version: "(devel)", GoVersion: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if v := info.Main.Version; v != "" {
		b.Version = v
	}
	modified := ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "-modified"
			}
		}
	}
	if b.Revision != "" {
		b.Revision += modified
	}
	return b
}
