package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"tracegate"
)

// photographFilings gives the demo's first filings a product photo, drawn
// here (a tin or a box in the brand's colour on a light ground): a filing's
// photo is a filed fact, shown on the scan page once the filing is approved.
func photographFilings(ctx context.Context, s tracegate.ProductStore, ps []*tracegate.Product) error {
	colours := []color.RGBA{{0x1f, 0x4e, 0x9a, 0xff}, {0xe8, 0x6a, 0x10, 0xff}, {0xb0, 0x1e, 0x4f, 0xff}}
	for i, p := range ps {
		if i >= len(colours) {
			break
		}
		img := image.NewRGBA(image.Rect(0, 0, 320, 240))
		for y := range 240 {
			for x := range 320 {
				c := color.RGBA{0xf4, 0xf6, 0xf9, 0xff}
				// a tin: a rounded body with a lid and a label band
				if dx, dy := x-160, y-130; dx*dx*9+dy*dy*4 < 90*90*9/2 && y > 50 && y < 215 {
					c = colours[i]
					if y > 105 && y < 155 {
						c = color.RGBA{0xff, 0xff, 0xff, 0xff}
					}
				}
				if y >= 40 && y <= 55 && x > 85 && x < 235 {
					c = color.RGBA{0x9a, 0xa3, 0xaf, 0xff}
				}
				img.SetRGBA(x, y, c)
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return err
		}
		got, err := s.SetProductPhoto(ctx, p.ID, "image/png", buf.Bytes())
		if err != nil {
			return fmt.Errorf("demo: photo of %s: %w", p.GTIN, err)
		}
		*p = *got
	}
	return nil
}
