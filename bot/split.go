package bot

import (
	"strings"
	"unicode/utf8"
)

// SplitText cuts s into pieces of at most limit units as a channel counts them (width gives a
// rune's units: 1 per character, or 2 for runes outside the BMP where UTF-16 counts), at line
// breaks where it can, at a space when one line is too long, and between runes when a word is.
// The characters in trim are dropped from both sides of each cut.
func SplitText(s string, limit int, width func(rune) int, trim string) []string {
	var parts []string
	for textWidth(s, width) > limit {
		cut := cutPoint(s, limit, width)
		parts = append(parts, strings.TrimRight(s[:cut], trim))
		s = strings.TrimLeft(s[cut:], trim)
	}
	if s != "" || len(parts) == 0 {
		parts = append(parts, s)
	}
	return parts
}

func textWidth(s string, width func(rune) int) int {
	n := 0
	for _, r := range s {
		n += width(r)
	}
	return n
}

// cutPoint returns the byte offset to cut s at so the head fits in limit units: just after the
// last line break that fits, else after the last space, else at the last rune that fits.
func cutPoint(s string, limit int, width func(rune) int) int {
	units, fit := 0, 0
	for i, r := range s {
		units += width(r)
		if units > limit {
			break
		}
		fit = i + utf8.RuneLen(r)
	}
	head := s[:fit]
	if i := strings.LastIndexByte(head, '\n'); i > 0 {
		return i + 1
	}
	if i := strings.LastIndexByte(head, ' '); i > 0 {
		return i + 1
	}
	return fit
}
