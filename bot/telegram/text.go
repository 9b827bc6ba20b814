package telegram

import (
	"strings"
	"unicode/utf8"
)

// Telegram's limits, counted in UTF-16 code units after entity parsing
// (https://core.telegram.org/bots/api#sendmessage, #sendphoto).
const (
	maxText    = 4096
	maxCaption = 1024
)

// utf16Len counts s the way Telegram does: in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

func runeUnits(r rune) int {
	if r > 0xFFFF {
		return 2
	}
	return 1
}

// splitText cuts s into pieces of at most limit UTF-16 units, at line breaks where it can, at a
// space when one line is too long, and between runes when a word is.
func splitText(s string, limit int) []string {
	var parts []string
	for utf16Len(s) > limit {
		cut := cutPoint(s, limit)
		parts = append(parts, strings.TrimRight(s[:cut], "\n"))
		s = strings.TrimLeft(s[cut:], "\n")
	}
	if s != "" || len(parts) == 0 {
		parts = append(parts, s)
	}
	return parts
}

// cutPoint returns the byte offset to cut s at so the head fits in limit units: just after the
// last line break that fits, else after the last space, else at the last rune that fits.
func cutPoint(s string, limit int) int {
	units, fit := 0, 0
	for i, r := range s {
		units += runeUnits(r)
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
