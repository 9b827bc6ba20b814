package sim

import (
	"strings"
	"unicode/utf8"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// Style is how a channel shows a reply's options.
type Style string

// Option styles, one per way the channels render choices.
const (
	StyleNone     Style = ""         // the reply offers no options
	StyleKeyboard Style = "keyboard" // Telegram: an inline keyboard under the message
	StyleButtons  Style = "buttons"  // WhatsApp Cloud: up to 3 reply buttons under the message
	StyleList     Style = "list"     // WhatsApp Cloud: a button that opens a list of up to 10 rows
	StyleNumbered Style = "numbered" // WhatsApp, more options than a list holds: a numbered text menu
)

// Limits of the channels, from the Telegram Bot API and the WhatsApp Cloud API's interactive
// messages (developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages).
const (
	tgShortLabel  = 12 // runes; short labels share a keyboard row, as the Telegram adapter lays them out
	tgPerRow      = 3
	waMaxButtons  = 3
	waMaxRows     = 10
	waButtonTitle = 20 // runes
	waRowTitle    = 24 // runes
)

// Button is an option or a link as the channel shows it.
type Button struct {
	ID    string `json:"id,omitempty"` // the option's ID; empty for a link
	Label string `json:"label"`
	URL   string `json:"url,omitempty"` // the link's address
}

// Layout is how a reply's options and links appear on a channel: the options' style and rows
// (a keyboard's rows; one option a row in the other styles), then one link button a row.
type Layout struct {
	Style Style      `json:"style,omitempty"`
	Rows  [][]Button `json:"rows,omitempty"`
	Links []Button   `json:"links,omitempty"`
}

// layout lays r's options and links out as channel ch shows them.
func layout(ch lapak.Channel, r bot.Reply) Layout {
	l := Layout{Links: linkButtons(r.Links)}
	switch {
	case len(r.Options) == 0:
	case ch != lapak.WhatsApp:
		l.Style, l.Rows = StyleKeyboard, keyboardRows(r.Options)
	case len(r.Options) <= waMaxButtons:
		l.Style, l.Rows = StyleButtons, oneARow(r.Options, waButtonTitle)
	case len(r.Options) <= waMaxRows:
		l.Style, l.Rows = StyleList, oneARow(r.Options, waRowTitle)
	default:
		l.Style, l.Rows = StyleNumbered, oneARow(r.Options, 0)
	}
	return l
}

// keyboardRows puts short labels up to three to a row and gives a longer label a row of its own,
// so it is never cut off on a phone.
func keyboardRows(options []bot.Option) [][]Button {
	var rows [][]Button
	for _, o := range options {
		b := Button{ID: o.ID, Label: o.Label}
		if n := len(rows); n > 0 && fitsRow(rows[n-1], o.Label) {
			rows[n-1] = append(rows[n-1], b)
			continue
		}
		rows = append(rows, []Button{b})
	}
	return rows
}

func fitsRow(row []Button, label string) bool {
	if len(row) >= tgPerRow || utf8.RuneCountInString(label) > tgShortLabel {
		return false
	}
	for _, b := range row {
		if utf8.RuneCountInString(b.Label) > tgShortLabel {
			return false
		}
	}
	return true
}

// oneARow gives each option a row, its label cut to max runes (0: uncut).
func oneARow(options []bot.Option, max int) [][]Button {
	rows := make([][]Button, len(options))
	for i, o := range options {
		rows[i] = []Button{{ID: o.ID, Label: cut(o.Label, max)}}
	}
	return rows
}

func linkButtons(links []bot.Link) []Button {
	var out []Button
	for _, l := range links {
		out = append(out, Button{Label: l.Label, URL: l.URL})
	}
	return out
}

// cut shortens s to max runes, ending with an ellipsis when it cut; max 0 leaves s whole.
func cut(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	return strings.TrimRight(string([]rune(s)[:max-1]), " ") + "…"
}
