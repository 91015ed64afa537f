package plot

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
)

// heavyPackages are packages stg must not link: every run of stg (a poll,
// the help) would pay for what their initialisation does.
var heavyPackages = map[string]string{
	"gonum.org/v1/plot":                 "its init parses all twelve Liberation fonts",
	"gonum.org/v1/plot/plotter":         "it imports gonum.org/v1/plot",
	"gonum.org/v1/plot/font/liberation": "its collection parses all twelve Liberation fonts",
}

func TestStgDoesNotLinkGonumPlot(t *testing.T) {
	// go test puts the go tool of the toolchain running the test first
	// in PATH.
	cmd := exec.Command("go", "list", "-deps", "github.com/stg-project/stg/cmd/stg")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/stg: %v: %s", err, stderr.String())
	}
	deps := strings.Fields(string(out))
	// The list is stg's: it holds this package and what draws pictures.
	for _, want := range []string{"github.com/stg-project/stg/internal/plot", "gonum.org/v1/plot/vg/vgimg"} {
		if !slices.Contains(deps, want) {
			t.Fatalf("stg's dependencies lack %s: %q", want, deps)
		}
	}
	for _, pkg := range deps {
		if why, ok := heavyPackages[pkg]; ok {
			t.Errorf("stg links %s: %s", pkg, why)
		}
	}
}

// childEnv marks the run of this test binary that checks the fonts of a
// fresh process.
const childEnv = "STG_PLOT_FONTS_CHILD"

func TestFontsAreParsedOnlyForAPicture(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		// Other tests of this process may have drawn already: look at a
		// fresh one that runs this test alone.
		cmd := exec.Command(os.Args[0], "-test.run=^TestFontsAreParsedOnlyForAPicture$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), childEnv+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestFontsAreParsedOnlyForAPicture") {
			t.Fatalf("in a fresh process: %v\n%s", err, out)
		}
		return
	}

	liberation := []font.Font{sans, {Typeface: "Liberation", Variant: "Serif"}}
	for _, f := range liberation {
		if font.DefaultCache.Has(f) {
			t.Errorf("font %s was parsed into gonum's default cache when the program started", f.Name())
		}
	}
	if fonts.cache != nil {
		t.Fatal("the pictures' fonts were parsed before any picture was drawn")
	}

	render(t, PNG, rows("alice", "fooo"), Options{})
	if fonts.cache == nil {
		t.Fatal("a picture was drawn without the pictures' fonts")
	}
	bold := sans
	bold.Weight = xfont.WeightBold
	for _, f := range []font.Font{sans, bold} {
		if !fonts.cache.Has(f) {
			t.Errorf("the pictures' fonts lack %s", f.Name())
		}
	}
	for _, f := range liberation {
		if font.DefaultCache.Has(f) {
			t.Errorf("drawing a picture parsed %s into gonum's default cache", f.Name())
		}
	}
}
