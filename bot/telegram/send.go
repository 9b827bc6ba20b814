package telegram

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// Send delivers r to a Telegram chat. Text goes out as HTML with everything in it escaped; options
// and links become an inline keyboard under the last message; a photo or document goes first, with
// the text as its caption when it fits in 1024 characters. Text over 4096 characters is sent as
// several messages, split at line breaks. A 429 comes back as *bot.RetryAfterError. When a later
// part fails, the earlier ones stay sent.
func (a *Adapter) Send(ctx context.Context, to bot.Address, r bot.Reply) error {
	chat, err := chatID(to)
	if err != nil {
		return err
	}
	markup, err := keyboard(r.Options, r.Links)
	if err != nil {
		return fmt.Errorf("send to %s: %w", to, err)
	}
	parts, err := plan(r)
	if err != nil {
		return fmt.Errorf("send to %s: %w", to, err)
	}
	api, err := a.client(ctx)
	if err != nil {
		return err
	}
	for i, p := range parts {
		if i < len(parts)-1 {
			_, err = api.Request(p.config(chat, nil))
		} else {
			_, err = api.Request(p.config(chat, markup))
		}
		if err != nil {
			return a.apiError(fmt.Sprintf("%s to %s", p.op, to), err)
		}
	}
	return nil
}

// part is one API call of a reply.
type part struct {
	op   string // "send message", "send photo" or "send document"
	text string // plain; escaped when rendered
	file tgbotapi.RequestFileData
}

// plan splits a reply into the calls that deliver it, in order: the photo, the document, then the
// text unless it fits as the last attachment's caption.
func plan(r bot.Reply) ([]part, error) {
	var parts []part
	if r.Photo != nil {
		f, err := photoFile(r.Photo)
		if err != nil {
			return nil, err
		}
		parts = append(parts, part{op: "send photo", file: f})
	}
	if r.Document != nil {
		if len(r.Document.Bytes) == 0 {
			return nil, fmt.Errorf("document %q is empty", r.Document.Name)
		}
		parts = append(parts, part{op: "send document", file: tgbotapi.FileBytes{Name: documentName(r.Document), Bytes: r.Document.Bytes}})
	}
	text := r.Text
	if n := len(parts); n > 0 && utf16Len(text) <= maxCaption {
		parts[n-1].text, text = text, ""
	}
	if strings.TrimSpace(text) == "" {
		if len(parts) == 0 {
			return nil, errors.New("reply has no text, photo or document")
		}
		return parts, nil
	}
	for _, t := range splitText(text, maxText) {
		parts = append(parts, part{op: "send message", text: t})
	}
	return parts, nil
}

func photoFile(p *bot.Photo) (tgbotapi.RequestFileData, error) {
	switch {
	case p.FileID != "":
		return tgbotapi.FileID(p.FileID), nil
	case p.URL != "":
		return tgbotapi.FileURL(p.URL), nil
	case len(p.Bytes) > 0:
		return tgbotapi.FileBytes{Name: "photo.jpg", Bytes: p.Bytes}, nil
	}
	return nil, errors.New("photo has no file id, url or bytes")
}

func documentName(d *bot.Document) string {
	if d.Name == "" {
		return "document"
	}
	return d.Name
}

// config renders the part as the library's request, in HTML parse mode.
func (p part) config(chat int64, markup *tgbotapi.InlineKeyboardMarkup) tgbotapi.Chattable {
	base := tgbotapi.BaseChat{ChatID: chat}
	if markup != nil {
		base.ReplyMarkup = markup
	}
	text := html.EscapeString(p.text)
	switch p.op {
	case "send photo":
		return tgbotapi.PhotoConfig{BaseFile: tgbotapi.BaseFile{BaseChat: base, File: p.file}, Caption: text, ParseMode: tgbotapi.ModeHTML}
	case "send document":
		return tgbotapi.DocumentConfig{BaseFile: tgbotapi.BaseFile{BaseChat: base, File: p.file}, Caption: text, ParseMode: tgbotapi.ModeHTML}
	}
	return tgbotapi.MessageConfig{BaseChat: base, Text: text, ParseMode: tgbotapi.ModeHTML}
}

// Edit replaces the text and keyboard of a message the bot sent. Only text can be edited, up to
// 4096 characters. Editing a message to what it already says is not an error.
func (a *Adapter) Edit(ctx context.Context, to bot.Address, messageID int, r bot.Reply) error {
	chat, err := chatID(to)
	if err != nil {
		return err
	}
	if r.Photo != nil || r.Document != nil || strings.TrimSpace(r.Text) == "" || utf16Len(r.Text) > maxText {
		return fmt.Errorf("edit message %d in %s: only 1 to %d characters of text can be edited", messageID, to, maxText)
	}
	markup, err := keyboard(r.Options, r.Links)
	if err != nil {
		return fmt.Errorf("edit message %d in %s: %w", messageID, to, err)
	}
	edit := tgbotapi.NewEditMessageText(chat, messageID, html.EscapeString(r.Text))
	edit.ParseMode, edit.ReplyMarkup = tgbotapi.ModeHTML, markup
	api, err := a.client(ctx)
	if err != nil {
		return err
	}
	_, err = api.Request(edit)
	return a.apiError(fmt.Sprintf("edit message %d in %s", messageID, to), err)
}

// Typing shows "typing…" in the chat for a few seconds, while a slow reply is being prepared.
func (a *Adapter) Typing(ctx context.Context, to bot.Address) error {
	chat, err := chatID(to)
	if err != nil {
		return err
	}
	api, err := a.client(ctx)
	if err != nil {
		return err
	}
	_, err = api.Request(tgbotapi.NewChatAction(chat, tgbotapi.ChatTyping))
	return a.apiError("send typing to "+to.String(), err)
}

// chatID returns the numeric chat ID of a Telegram address.
func chatID(to bot.Address) (int64, error) {
	if to.Channel != lapak.Telegram {
		return 0, fmt.Errorf("send to %s: not a telegram chat", to)
	}
	id, err := strconv.ParseInt(to.ChatID, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("send to %s: chat id is not a number", to)
	}
	return id, nil
}
