package plot

import (
	"fmt"
	"image/color"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// sans is the typeface of every text: Liberation Sans is built into the
// binary, so the picture looks the same on every machine.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// fontCache holds the two faces the pictures use, Liberation Sans regular
// and bold, parsed when the first picture is drawn: a run of stg that
// draws none (a poll, the help) never reads a font.
type fontCache struct {
	once  sync.Once
	cache *font.Cache
	err   error
}

// fonts is the faces of every picture this process draws.
var fonts fontCache

// get returns the faces, parsing them on the first call.
func (fc *fontCache) get() (*font.Cache, error) {
	fc.once.Do(func() {
		var coll font.Collection
		for _, f := range []struct {
			weight xfont.Weight
			ttf    []byte
		}{
			{xfont.WeightNormal, liberationsansregular.TTF},
			{xfont.WeightBold, liberationsansbold.TTF},
		} {
			face, err := opentype.Parse(f.ttf)
			if err != nil {
				fc.err = fmt.Errorf("read the pictures' font Liberation Sans: %w", err)
				return
			}
			fnt := sans
			fnt.Weight = f.weight
			coll = append(coll, font.Face{Font: fnt, Face: face})
		}
		fc.cache = font.NewCache(coll)
	})
	return fc.cache, fc.err
}

// styles makes the text styles of one picture.
type styles struct {
	handler text.Handler
}

// newStyles returns the text styles of a picture, parsing the fonts on
// the first picture.
func newStyles() (styles, error) {
	cache, err := fonts.get()
	if err != nil {
		return styles{}, err
	}
	return styles{handler: text.Plain{Fonts: cache}}, nil
}

// text returns a style of size points in colour c, aligned on the point
// it is drawn at by x and y.
func (s styles) text(size float64, c color.Color, x text.XAlignment, y text.YAlignment) text.Style {
	return text.Style{Color: c, Font: font.From(sans, vg.Length(size)), XAlign: x, YAlign: y, Handler: s.handler}
}

// bold returns a bold style of size points in colour c.
func (s styles) bold(size float64, c color.Color, x text.XAlignment, y text.YAlignment) text.Style {
	sty := s.text(size, c, x, y)
	sty.Font.Weight = xfont.WeightBold
	return sty
}
