package telegram

import "github.com/lapak-id/lapak/bot"

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

// splitText cuts s into messages of at most limit UTF-16 units (see bot.SplitText).
func splitText(s string, limit int) []string { return bot.SplitText(s, limit, runeUnits, "\n") }
