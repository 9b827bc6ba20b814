package wacloud

import (
	"strconv"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// toInbound converts a message a user sent to the one Lapak handles; name is the user's profile
// name from the notification's contacts. It returns false for messages Lapak does not answer:
// system messages (a user changed number), a reaction taken back, and messages without a sender.
// Whatever else a user sends and Lapak cannot read becomes KindOther, to get a polite answer.
func toInbound(m message, name string) (bot.Inbound, bool) {
	if !digitsOnly(m.From) || m.ID == "" || m.Type == "system" {
		return bot.Inbound{}, false
	}
	in := bot.Inbound{
		Chat:     bot.Address{Channel: lapak.WhatsApp, ChatID: m.From},
		UserID:   m.From,
		UserName: name,
		UpdateID: m.ID,
		Kind:     bot.KindOther,
	}
	switch {
	case m.Type == "text" && m.Text != nil:
		in.Kind, in.Text = bot.KindText, m.Text.Body
	case m.Type == "image" && m.Image != nil:
		in.Kind, in.Text, in.Media = bot.KindPhoto, m.Image.Caption, media(m.Image)
	case m.Type == "document" && m.Document != nil:
		in.Text = m.Document.Caption
		if strings.HasPrefix(m.Document.MIMEType, "image/") {
			in.Kind, in.Media = bot.KindDocument, media(m.Document)
		}
	case m.Type == "interactive" && m.Interactive != nil:
		if r := m.Interactive.ButtonReply; r != nil && m.Interactive.Type == "button_reply" {
			in.Kind, in.Option, in.Text = bot.KindOption, r.ID, r.Title
		}
		if r := m.Interactive.ListReply; r != nil && m.Interactive.Type == "list_reply" {
			in.Kind, in.Option, in.Text = bot.KindOption, r.ID, r.Title
		}
	case m.Type == "button" && m.Button != nil:
		in.Kind, in.Option, in.Text = bot.KindOption, m.Button.Payload, m.Button.Text
		if m.Button.Payload == "" {
			in.Kind = bot.KindText
		}
	case m.Type == "reaction":
		if m.Reaction == nil || m.Reaction.Emoji == "" {
			return bot.Inbound{}, false
		}
	case m.Type == "video" && m.Video != nil:
		in.Text = m.Video.Caption
	}
	if in.Kind == bot.KindOption && in.Option == "" {
		in.Kind = bot.KindOther
	}
	return in, true
}

func media(m *mediaIn) *bot.Media {
	return &bot.Media{FileID: m.ID, Name: m.Filename, MIME: m.MIMEType}
}

// sentAt is when the user sent m, by its timestamp (Unix seconds, as a string), but never later
// than now; now when the timestamp is missing.
func sentAt(m message, now time.Time) time.Time {
	s, err := strconv.ParseInt(m.Timestamp, 10, 64)
	if err != nil || s <= 0 {
		return now
	}
	if t := time.Unix(s, 0); t.Before(now) {
		return t
	}
	return now
}

// profileName finds the name of the user who sent from among the notification's contacts.
func profileName(contacts []contact, from string) string {
	for _, c := range contacts {
		if c.WaID == from {
			return c.Profile.Name
		}
	}
	if len(contacts) == 1 {
		return contacts[0].Profile.Name
	}
	return ""
}
