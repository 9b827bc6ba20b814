package telegramtest

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"
)

// htmlTags are the tags Telegram's HTML parse mode supports
// (https://core.telegram.org/bots/api#html-style).
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true,
	"strike": true, "del": true, "span": true, "tg-spoiler": true, "a": true, "code": true,
	"pre": true, "blockquote": true, "tg-emoji": true,
}

// visible returns the text a user sees: for HTML, without tags and with entities decoded. Like
// Telegram, it refuses an unsupported tag and an & that does not start an entity: dynamic text
// must be escaped.
func visible(text, parseMode string) (string, *apiError) {
	if !strings.EqualFold(parseMode, "HTML") {
		return text, nil
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		n, err := htmlToken(text, i, &b)
		if err != nil {
			return "", err
		}
		i += n
	}
	return b.String(), nil
}

// htmlToken reads the tag, entity or character at text[i:], writes what a user would see of it
// and returns its length in bytes.
func htmlToken(text string, i int, b *strings.Builder) (int, *apiError) {
	switch text[i] {
	case '<':
		end := strings.IndexByte(text[i:], '>')
		if end < 0 {
			return 0, badRequest(fmt.Sprintf("can't parse entities: Unclosed start tag at byte offset %d", i))
		}
		if name := tagName(text[i+1 : i+end]); !htmlTags[name] {
			return 0, badRequest(fmt.Sprintf("can't parse entities: Unsupported start tag %q at byte offset %d", name, i))
		}
		return end + 1, nil
	case '&':
		end := strings.IndexByte(text[i:], ';')
		if end < 0 || !validEntity(text[i:i+end+1]) {
			return 0, badRequest(fmt.Sprintf("can't parse entities: Character entity expected at byte offset %d", i))
		}
		b.WriteString(html.UnescapeString(text[i : i+end+1]))
		return end + 1, nil
	}
	b.WriteByte(text[i])
	return 1, nil
}

func tagName(inner string) string {
	name := strings.TrimPrefix(inner, "/")
	if i := strings.IndexAny(name, " \t\n"); i >= 0 {
		name = name[:i]
	}
	return strings.ToLower(name)
}

// validEntity accepts the named entities Telegram supports and numeric ones.
func validEntity(e string) bool {
	switch e {
	case "&lt;", "&gt;", "&amp;", "&quot;":
		return true
	}
	digits, numeric := strings.CutPrefix(strings.TrimSuffix(e, ";"), "&#")
	if !numeric || digits == "" {
		return false
	}
	if rest, hex := strings.CutPrefix(digits, "x"); hex {
		return rest != "" && strings.Trim(rest, "0123456789abcdefABCDEF") == ""
	}
	return strings.Trim(digits, "0123456789") == ""
}

// utf16Len counts s the way Telegram's limits do.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
