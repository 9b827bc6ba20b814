package sim

import (
	"errors"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak/bot"
)

// Action is what the browser sends from a pane: typed text, or a tapped option with its label.
type Action struct {
	Pane   string `json:"pane"`
	Text   string `json:"text,omitempty"`
	Option string `json:"option,omitempty"`
	Label  string `json:"label,omitempty"`
}

// Errors for actions no channel would deliver.
var (
	ErrUnknownPane = errors.New("no such pane")
	ErrEmpty       = errors.New("nothing to send: type a message or tap an option")
)

// toInbound converts an action in pane p into the update its channel would deliver. When the pane
// was last shown a numbered menu, a typed number or label chooses from it, as on WhatsApp linked
// devices.
func toInbound(p Pane, a Action, updateID string, menu []bot.Option) (bot.Inbound, error) {
	in := bot.Inbound{Chat: p.Chat, UserID: p.UserID, UserName: p.UserName, LangCode: p.LangCode, UpdateID: updateID}
	if a.Option != "" {
		in.Kind, in.Option, in.Text = bot.KindOption, a.Option, a.Label
		return in, nil
	}
	if strings.TrimSpace(a.Text) == "" {
		return bot.Inbound{}, ErrEmpty
	}
	if o, ok := menuChoice(menu, a.Text); ok {
		in.Kind, in.Option, in.Text = bot.KindOption, o.ID, o.Label
		return in, nil
	}
	in.Kind, in.Text = bot.KindText, a.Text
	return in, nil
}

// menuChoice finds the option a typed text names in a numbered menu: its number or its label.
func menuChoice(menu []bot.Option, text string) (bot.Option, bool) {
	text = strings.TrimSpace(text)
	if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(menu) {
		return menu[n-1], true
	}
	for _, o := range menu {
		if strings.EqualFold(o.Label, text) {
			return o, true
		}
	}
	return bot.Option{}, false
}
