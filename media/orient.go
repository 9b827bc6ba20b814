package media

import (
	"bytes"
	"encoding/binary"
	"image"
)

// exifOrientation returns the EXIF orientation of a JPEG, 1 to 8, and 1 when it has none. Phones
// store photos as the sensor saw them and say in this tag how to turn them upright.
func exifOrientation(jpeg []byte) int {
	if len(jpeg) < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(jpeg) && jpeg[i] == 0xFF; {
		marker := jpeg[i+1]
		size := int(binary.BigEndian.Uint16(jpeg[i+2:]))
		if marker == 0xDA || size < 2 || i+2+size > len(jpeg) { // start of scan: no more headers
			return 1
		}
		seg := jpeg[i+4 : i+2+size]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + size
	}
	return 1
}

// tiffOrientation reads the orientation tag (0x0112) from the first directory of a TIFF header.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return 1
	}
	ifd := int(order.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	n := int(order.Uint16(t[ifd:]))
	for e := ifd + 2; e+12 <= len(t) && n > 0; e, n = e+12, n-1 {
		if order.Uint16(t[e:]) == 0x0112 && order.Uint16(t[e+2:]) == 3 { // SHORT
			if o := int(order.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 1
		}
	}
	return 1
}

// orient turns img upright as EXIF orientation o says: 2 to 4 mirror or turn it half way round,
// 5 to 8 also swap its sides.
func orient(img *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			sx, sy := source(o, x, y, w, h)
			copy(dst.Pix[dst.PixOffset(x, y):][:4], img.Pix[img.PixOffset(sx+img.Rect.Min.X, sy+img.Rect.Min.Y):][:4])
		}
	}
	return dst
}

// source returns the pixel of a w×h image that lands on (x, y) once turned as orientation o says.
func source(o, x, y, w, h int) (int, int) {
	switch o {
	case 2: // mirrored
		return w - 1 - x, y
	case 3: // upside down
		return w - 1 - x, h - 1 - y
	case 4: // upside down, mirrored
		return x, h - 1 - y
	case 5: // on its side, mirrored
		return y, x
	case 6: // turned left: turn it right
		return y, h - 1 - x
	case 7: // on its other side, mirrored
		return w - 1 - y, h - 1 - x
	default: // 8, turned right: turn it left
		return w - 1 - y, x
	}
}
