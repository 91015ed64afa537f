package plot

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stg-project/stg/sample"
)

// Save writes a picture of samples from opts.From to opts.To (the terminal
// UI's view, its save key) as a PNG in dir, named after the router and the
// view's end in local time (stg-bras1-20261127-105429.png; -2, -3, ...
// keep earlier pictures), and returns the file's name.
func Save(dir, router string, samples []sample.Sample, opts Options) (string, error) {
	name, err := pictureName(dir, router, opts.To)
	if err != nil {
		return "", err
	}
	if err := WriteFile(name, samples, opts); err != nil {
		return "", err
	}
	return name, nil
}

// pictureName returns the first free name for a picture of router's view
// ending at end.
func pictureName(dir, router string, end time.Time) (string, error) {
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, router)
	base := filepath.Join(dir, "stg-"+safe+"-"+end.Local().Format("20060102-150405"))
	for n := 1; n <= 100; n++ {
		name := base + ".png"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.png", base, n)
		}
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			return name, nil
		}
	}
	return "", fmt.Errorf("name a picture in %s: %s.png and 99 more names are taken", dir, base)
}
