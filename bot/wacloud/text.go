package wacloud

import (
	"strings"
	"unicode/utf8"

	"github.com/lapak-id/lapak/bot"
)

// The Cloud API's limits, in characters (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/text-messages,
// …/image-messages, …/interactive-reply-buttons-messages, …/interactive-list-messages).
const (
	maxText        = 4096 // a text message's body
	maxCaption     = 1024 // an image's or document's caption
	maxBody        = 1024 // an interactive message's body
	maxButtons     = 3    // reply buttons under one message
	maxButtonTitle = 20   // a reply button's title
	maxButtonID    = 256  // a reply button's ID
	maxRows        = 10   // list rows, all sections together
	maxListButton  = 20   // the button that opens a list
	maxRowTitle    = 24   // a list row's title
	maxRowDesc     = 72   // a list row's description
	maxRowID       = 200  // a list row's ID
	// maxTemplateParam bounds the text put into the template's body parameter: a template's body
	// is at most 1024 characters once filled in, and the template's own words need some of them.
	maxTemplateParam = 900
)

// runes counts s the way the Cloud API's limits do: in characters.
func runes(s string) int { return utf8.RuneCountInString(s) }

// clip shortens s to at most limit characters, ending it with "…" when it was cut.
func clip(s string, limit int) string {
	if runes(s) <= limit {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == limit-1 {
			cut = i
			break
		}
		n++
	}
	return strings.TrimRight(s[:cut], " ") + "…"
}

// splitText cuts s into messages of at most limit characters (see bot.SplitText).
func splitText(s string, limit int) []string {
	return bot.SplitText(s, limit, func(rune) int { return 1 }, "\n ")
}

// splitTail cuts s so that its tail holds at most limit characters, starting at a line break
// where it can: the head goes out first as text messages, the tail as an interactive body.
func splitTail(s string, limit int) (head, tail string) {
	total := runes(s)
	if total <= limit {
		return "", s
	}
	start, n := 0, 0
	for i := range s {
		if n == total-limit {
			start = i
			break
		}
		n++
	}
	window := s[start:]
	for _, sep := range []byte{'\n', ' '} {
		if i := strings.IndexByte(window, sep); i >= 0 && strings.TrimSpace(window[i+1:]) != "" {
			start += i + 1
			break
		}
	}
	return strings.TrimRight(s[:start], "\n "), strings.TrimLeft(s[start:], "\n")
}

// flatten makes s fit a template parameter, which may hold no line breaks, no tabs and no more
// than four spaces in a row: lines are joined with " · " and runs of spaces become one.
func flatten(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " · ")
}
