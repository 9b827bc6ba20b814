package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/lapak-id/lapak"
)

// halves is a w×h picture, red on the left half and blue on the right.
func halves(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 220, G: 20, B: 30, A: 255}
			if x >= w/2 {
				c = color.NRGBA{R: 20, G: 40, B: 220, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodeGIF encodes img with a palette of its own two colours, as a GIF keeps them exactly.
func encodeGIF(t *testing.T, img *image.NRGBA) []byte {
	t.Helper()
	pal := image.NewPaletted(img.Bounds(), color.Palette{img.At(0, 0), img.At(img.Bounds().Dx()-1, 0)})
	draw.Draw(pal, pal.Bounds(), img, image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := gif.Encode(&b, pal, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// transparent is a PNG cut-out: a transparent picture with a red square in the middle.
func transparent(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 40))
	for y := 15; y < 25; y++ {
		for x := 15; x < 25; x++ {
			img.SetNRGBA(x, y, color.NRGBA{R: 220, A: 255})
		}
	}
	return encodePNG(t, img)
}

// withOrientation puts an EXIF block saying orientation o right after a JPEG's start marker, as
// phones do.
func withOrientation(jpg []byte, o uint16) []byte {
	tiff := []byte("MM\x00*\x00\x00\x00\x08") // big-endian, first directory at 8
	tiff = binary.BigEndian.AppendUint16(tiff, 1)
	tiff = binary.BigEndian.AppendUint16(tiff, 0x0112)
	tiff = binary.BigEndian.AppendUint16(tiff, 3) // SHORT
	tiff = binary.BigEndian.AppendUint32(tiff, 1)
	tiff = binary.BigEndian.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0) // padding, no next directory
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1}
	app1 = binary.BigEndian.AppendUint16(app1, uint16(len(seg)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngHeader is a PNG that says it is w×h pixels and has nothing else.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	out := []byte("\x89PNG\r\n\x1a\n")
	out = binary.BigEndian.AppendUint32(out, 13)
	out = append(out, ihdr...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(ihdr))
}

func TestNormalize(t *testing.T) {
	webp, err := os.ReadFile("testdata/red-blue.webp")
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{7}).Read(random)
	tooBig := append(encodePNG(t, halves(8, 8)), make([]byte, MaxBytes)...)

	tests := []struct {
		name        string
		data        []byte
		key         string // the refusal, or "" for a photo
		w, h        int
		left, right color.RGBA // the colours at the middle of the left and right edges
	}{
		{name: "LargeJPEGIsScaledDown", data: encodeJPEG(t, halves(1600, 1200)), w: 1280, h: 960},
		{name: "TallPNGIsScaledDown", data: encodePNG(t, halves(450, 1500)), w: 384, h: 1280},
		{name: "SmallPNGKeepsItsSize", data: encodePNG(t, halves(300, 200)), w: 300, h: 200},
		{name: "GIF", data: encodeGIF(t, halves(120, 80)), w: 120, h: 80},
		{name: "WebP", data: webp, w: 64, h: 48},
		{name: "TransparentPNGGoesOnWhite", data: transparent(t), w: 40, h: 40,
			left: color.RGBA{255, 255, 255, 255}, right: color.RGBA{255, 255, 255, 255}},
		{name: "PhoneJPEGTurnedUpright", data: withOrientation(encodeJPEG(t, halves(80, 40)), 6), w: 40, h: 80},
		{name: "PDF", data: []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), key: "photo.not_image"},
		{name: "Text", data: []byte("harga kaos 150rb"), key: "photo.not_image"},
		{name: "RandomBytes", data: random, key: "photo.not_image"},
		{name: "Empty", data: nil, key: "photo.not_image"},
		{name: "TruncatedJPEG", data: encodeJPEG(t, halves(200, 200))[:300], key: "photo.not_image"},
		{name: "Over10MB", data: tooBig, key: "photo.too_large"},
		{name: "DecompressionBomb", data: pngHeader(50_000, 50_000), key: "photo.too_many_pixels"},
		{name: "JustOver40Megapixels", data: pngHeader(8000, 5001), key: "photo.too_many_pixels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, w, h, err := Normalize(tt.data)
			if tt.key != "" {
				var e *lapak.Error
				if !errors.As(err, &e) || e.Kind != lapak.KindInvalid || e.Key != tt.key {
					t.Fatalf("got %v, want %s", err, tt.key)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			img, format, err := image.Decode(bytes.NewReader(out))
			if err != nil || format != "jpeg" {
				t.Fatalf("output is not a JPEG: %s, %v", format, err)
			}
			if b := img.Bounds(); w != tt.w || h != tt.h || b.Dx() != w || b.Dy() != h {
				t.Errorf("size %dx%d (image %v), want %dx%d", w, h, b, tt.w, tt.h)
			}
			left, right := tt.left, tt.right
			if left == (color.RGBA{}) {
				left, right = color.RGBA{220, 20, 30, 255}, color.RGBA{20, 40, 220, 255}
			}
			if tt.name == "PhoneJPEGTurnedUpright" { // turned right, the left half is on top
				checkColour(t, "top", img.At(w/2, 2), left)
				checkColour(t, "bottom", img.At(w/2, h-3), right)
				return
			}
			checkColour(t, "left", img.At(2, h/2), left)
			checkColour(t, "right", img.At(w-3, h/2), right)
		})
	}
}

// checkColour fails when c is not close to want, as JPEG compression leaves it.
func checkColour(t *testing.T, where string, c color.Color, want color.RGBA) {
	t.Helper()
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) int { return int(a>>8) - int(b) }
	if abs(d(r, want.R)) > 24 || abs(d(g, want.G)) > 24 || abs(d(b, want.B)) > 24 {
		t.Errorf("%s is %d,%d,%d, want about %v", where, r>>8, g>>8, b>>8, want)
	}
}

func abs(n int) int { return max(n, -n) }

func TestExifOrientation(t *testing.T) {
	plain := encodeJPEG(t, halves(4, 4))
	for o := uint16(1); o <= 8; o++ {
		if got := exifOrientation(withOrientation(plain, o)); got != int(o) {
			t.Errorf("orientation %d read as %d", o, got)
		}
	}
	for name, data := range map[string][]byte{"NoExif": plain, "Empty": nil, "PNG": pngHeader(2, 2), "OutOfRange": withOrientation(plain, 9)} {
		if got := exifOrientation(data); got != 1 {
			t.Errorf("%s: orientation %d", name, got)
		}
	}
}

func TestOrientTurnsEveryWay(t *testing.T) {
	// A 3×2 picture with a marked corner: where the marked pixel lands says how it turned.
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	src.Set(0, 0, color.RGBA{R: 255, A: 255})
	want := map[int]image.Point{1: {0, 0}, 2: {2, 0}, 3: {2, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 2}, 8: {0, 2}}
	for o, at := range want {
		out := orient(src, o)
		if r, _, _, _ := out.At(at.X, at.Y).RGBA(); r == 0 {
			t.Errorf("orientation %d: the marked corner is not at %v", o, at)
		}
		if b := out.Bounds(); (o >= 5) != (b.Dx() == 2) {
			t.Errorf("orientation %d: size %v", o, b)
		}
	}
}
