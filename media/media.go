// Package media turns the photos owners send into what Lapak stores and shows: a JPEG no larger
// than 1280 pixels on its longest side, upright, on a white background.
package media

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // GIF photos, first frame
	"image/jpeg"
	_ "image/png" // PNG photos, such as cut-outs with a transparent background

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // WebP photos, as WhatsApp and browsers save them

	"github.com/lapak-id/lapak"
)

// Limits of Normalize.
const (
	MaxBytes    = 10 << 20   // the largest file accepted: 10 MB
	MaxPixels   = 40_000_000 // the most pixels a photo may have, so that decoding it cannot eat the memory
	MaxSide     = 1280       // the longest side of a normalised photo
	JPEGQuality = 85         // the quality normalised photos are encoded at
)

// Normalize reads a JPEG, PNG, GIF or WebP photo and returns it as a JPEG of quality 85, turned
// upright as its EXIF orientation says, with transparent parts made white, and scaled down so that
// its longest side is at most 1280 pixels; smaller photos keep their size. It returns the JPEG's
// width and height.
//
// It refuses, with a *lapak.Error of KindInvalid: anything that is not such a photo
// (photo.not_image), more than 10 MB (photo.too_large, argument 10) and more than 40 megapixels
// (photo.too_many_pixels, argument 40). The size in pixels is read from the header before the
// photo is decoded, so a small file claiming to be huge costs nothing.
func Normalize(data []byte) (out []byte, width, height int, err error) {
	if len(data) > MaxBytes {
		return nil, 0, 0, &lapak.Error{Kind: lapak.KindInvalid, Key: "photo.too_large", Args: []any{MaxBytes >> 20},
			Err: fmt.Errorf("%d bytes", len(data))}
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, notImage(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, 0, 0, notImage(fmt.Errorf("%s of %dx%d pixels", format, cfg.Width, cfg.Height))
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, 0, 0, &lapak.Error{Kind: lapak.KindInvalid, Key: "photo.too_many_pixels", Args: []any{MaxPixels / 1_000_000},
			Err: fmt.Errorf("%s of %dx%d pixels", format, cfg.Width, cfg.Height)}
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, notImage(err)
	}
	small := scale(img, MaxSide)
	if format == "jpeg" {
		small = orient(small, exifOrientation(data))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, small, &jpeg.Options{Quality: JPEGQuality}); err != nil {
		return nil, 0, 0, fmt.Errorf("encode jpeg: %w", err)
	}
	b := small.Bounds()
	return buf.Bytes(), b.Dx(), b.Dy(), nil
}

func notImage(err error) error {
	return &lapak.Error{Kind: lapak.KindInvalid, Key: "photo.not_image", Err: err}
}

// scale draws img on a white canvas whose longest side is at most maxSide, keeping its aspect.
func scale(img image.Image, maxSide int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > maxSide || h > maxSide {
		if w >= h {
			w, h = maxSide, max(1, (h*maxSide+w/2)/w)
		} else {
			w, h = max(1, (w*maxSide+h/2)/h), maxSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
		return dst
	}
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, xdraw.Over, nil)
	return dst
}
