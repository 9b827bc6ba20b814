package telegram

import (
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// ToInbound converts an update to the message Lapak handles. It returns false for updates Lapak
// does not serve as messages: anything outside private chats, edits, service messages, update
// types it does not know, and inline queries, which ToInlineQuery converts. Those are acknowledged
// and dropped.
func ToInbound(u tgbotapi.Update) (bot.Inbound, bool) {
	switch {
	case u.Message != nil:
		return fromMessage(u.UpdateID, u.Message)
	case u.CallbackQuery != nil:
		return fromCallback(u.UpdateID, u.CallbackQuery)
	}
	return bot.Inbound{}, false
}

func fromMessage(updateID int, m *tgbotapi.Message) (bot.Inbound, bool) {
	if m.Chat == nil || m.Chat.Type != "private" {
		return bot.Inbound{}, false
	}
	in := newInbound(updateID, m.Chat.ID, m.From)
	switch {
	case m.Text != "":
		in.Kind, in.Text = bot.KindText, m.Text
	case len(m.Photo) > 0:
		in.Kind, in.Text, in.Media = bot.KindPhoto, m.Caption, largest(m.Photo)
	case m.Animation != nil: // a GIF also carries a document
		in.Kind, in.Text = bot.KindOther, m.Caption
	case m.Document != nil:
		in.Kind, in.Text, in.Media = bot.KindDocument, m.Caption, document(m.Document)
	case hasOtherContent(m):
		in.Kind, in.Text = bot.KindOther, m.Caption
	default: // a service message: pinned message, auto-delete timer, …
		return bot.Inbound{}, false
	}
	return in, true
}

// hasOtherContent tells whether m carries something a user sent that Lapak cannot read.
func hasOtherContent(m *tgbotapi.Message) bool {
	return m.Sticker != nil || m.Voice != nil || m.Audio != nil || m.Video != nil ||
		m.VideoNote != nil || m.Location != nil || m.Venue != nil || m.Contact != nil ||
		m.Dice != nil || m.Poll != nil || m.Game != nil || m.Caption != ""
}

func fromCallback(updateID int, q *tgbotapi.CallbackQuery) (bot.Inbound, bool) {
	if q.From == nil || q.Data == "" {
		return bot.Inbound{}, false
	}
	chatID := q.From.ID // a button under an inline-mode message: answer in the user's chat
	if q.Message != nil {
		if q.Message.Chat == nil || q.Message.Chat.Type != "private" {
			return bot.Inbound{}, false
		}
		chatID = q.Message.Chat.ID
	}
	in := newInbound(updateID, chatID, q.From)
	in.Kind, in.Option, in.Text = bot.KindOption, q.Data, buttonLabel(q.Message, q.Data)
	return in, true
}

func newInbound(updateID int, chatID int64, from *tgbotapi.User) bot.Inbound {
	chat := strconv.FormatInt(chatID, 10)
	in := bot.Inbound{
		Chat:     bot.Address{Channel: lapak.Telegram, ChatID: chat},
		UserID:   chat, // a private chat's ID is its user's
		UpdateID: strconv.Itoa(updateID),
	}
	if from != nil {
		in.UserID = strconv.FormatInt(from.ID, 10)
		in.UserName = strings.TrimSpace(from.FirstName + " " + from.LastName)
		in.LangCode = from.LanguageCode
	}
	return in
}

// largest returns the biggest of the sizes Telegram offers for a photo.
func largest(sizes []tgbotapi.PhotoSize) *bot.Media {
	best := sizes[0]
	for _, s := range sizes[1:] {
		if s.Width*s.Height >= best.Width*best.Height {
			best = s
		}
	}
	return &bot.Media{FileID: best.FileID, Size: int64(best.FileSize)}
}

func document(d *tgbotapi.Document) *bot.Media {
	return &bot.Media{FileID: d.FileID, Name: d.FileName, MIME: d.MimeType, Size: int64(d.FileSize)}
}

// buttonLabel finds the label of the tapped button on the message it was under, if any.
func buttonLabel(m *tgbotapi.Message, data string) string {
	if m == nil || m.ReplyMarkup == nil {
		return ""
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != nil && *b.CallbackData == data {
				return b.Text
			}
		}
	}
	return ""
}
