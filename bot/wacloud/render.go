package wacloud

import (
	"fmt"
	"strings"

	"github.com/lapak-id/lapak/bot"
)

// emptyBody stands in for the body an interactive message must have, when a reply offers
// options without text.
const emptyBody = "👇"

// checkOptions makes sure every option can be a reply button or a list row: a label, and an ID
// of 1 to 200 characters that no other option of the reply has.
func checkOptions(opts []bot.Option) error {
	seen := map[string]bool{}
	for _, o := range opts {
		if strings.TrimSpace(o.Label) == "" {
			return fmt.Errorf("option %q: %w", o.ID, ErrOptionLabel)
		}
		if len(opts) > maxRows {
			continue // a numbered menu sends no IDs
		}
		if o.ID == "" || runes(o.ID) > min(maxRowID, maxButtonID) || seen[o.ID] {
			return fmt.Errorf("option %q: %w", o.Label, ErrOptionID)
		}
		seen[o.ID] = true
	}
	return nil
}

// interactiveMessage renders options under body: reply buttons for up to 3 whose titles stay
// distinct once shortened to 20 characters, else a list.
func (a *Adapter) interactiveMessage(to, body string, opts []bot.Option) outMessage {
	if strings.TrimSpace(body) == "" {
		body = emptyBody
	}
	m := newMessage(to, "interactive")
	if bs, ok := buttons(opts); ok {
		m.Interactive = &interactive{Type: "button", Body: textObj{Text: body}, Action: action{Buttons: bs}}
		return m
	}
	m.Interactive = &interactive{Type: "list", Body: textObj{Text: body}, Action: action{
		Button:   a.cfg.ListButton,
		Sections: []section{{Rows: rows(opts)}},
	}}
	return m
}

// buttons renders up to 3 options as reply buttons, titles shortened to 20 characters with "…".
// It reports false when there are more, or when two titles would look the same.
func buttons(opts []bot.Option) ([]button, bool) {
	if len(opts) > maxButtons {
		return nil, false
	}
	seen := map[string]bool{}
	var bs []button
	for _, o := range opts {
		title := clip(strings.TrimSpace(o.Label), maxButtonTitle)
		if seen[strings.ToLower(title)] {
			return nil, false
		}
		seen[strings.ToLower(title)] = true
		bs = append(bs, button{Type: "reply", Reply: reply{ID: o.ID, Title: title}})
	}
	return bs, true
}

// rows renders options as list rows, titles shortened to 24 characters; a shortened row shows
// its whole label, up to 72 characters, as its description.
func rows(opts []bot.Option) []row {
	var rs []row
	for _, o := range opts {
		label := strings.TrimSpace(o.Label)
		r := row{ID: o.ID, Title: clip(label, maxRowTitle)}
		if r.Title != label {
			r.Description = clip(label, maxRowDesc)
		}
		rs = append(rs, r)
	}
	return rs
}

// numbered renders options as a text menu under text: "1. Kaos Hitam", one a line, then hint.
func numbered(text string, opts []bot.Option, hint string) string {
	var b strings.Builder
	if text = strings.TrimRight(text, "\n "); text != "" {
		b.WriteString(text + "\n\n")
	}
	for i, o := range opts {
		fmt.Fprintf(&b, "%d. %s\n", i+1, strings.TrimSpace(o.Label))
	}
	b.WriteString(hint)
	return b.String()
}
