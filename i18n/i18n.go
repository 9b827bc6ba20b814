// Package i18n owns every message a user sees, in Bahasa Indonesia (the default) and English.
// Messages are looked up by key; arguments are formatted with fmt verbs, so a literal percent
// sign is written %%. A test checks that every
// key has both languages and the same verbs in each.
package i18n

import (
	"fmt"
	"strings"

	"github.com/lapak-id/lapak"
)

// Text is one message in both languages.
type Text struct {
	ID string // Bahasa Indonesia
	EN string // English
}

// messages is every message, merged from the files of this package. It is never written after start.
var messages = merge(common, onboarding, pricing, catalogChat, shop, catalogImport, inline, orders, whatsapp, payments, fulfilment, payouts, reports)

func merge(sets ...map[string]Text) map[string]Text {
	out := make(map[string]Text)
	for _, set := range sets {
		for k, v := range set {
			if _, dup := out[k]; dup {
				panic("i18n: duplicate message key " + k)
			}
			out[k] = v
		}
	}
	return out
}

// T returns the message for key in lang, formatted with args. An unknown key returns the key
// itself, so a missing message shows up in tests instead of as an empty reply.
func T(lang lapak.Lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m.ID
	if lang == lapak.English {
		s = m.EN
	}
	if len(args) == 0 && !strings.Contains(s, "%") {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Has reports whether key is a known message.
func Has(key string) bool {
	_, ok := messages[key]
	return ok
}
