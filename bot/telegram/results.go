package telegram

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak/bot"
)

// Limits of answerInlineQuery (https://core.telegram.org/bots/api#answerinlinequery).
const (
	maxInlineResults = 50
	maxResultID      = 64 // bytes
)

// inlineResult is an InlineQueryResultCachedPhoto, an InlineQueryResultPhoto or an
// InlineQueryResultArticle (https://core.telegram.org/bots/api#inlinequeryresult), with the field
// names of the current Bot API.
type inlineResult struct {
	Type                string                         `json:"type"`
	ID                  string                         `json:"id"`
	Title               string                         `json:"title,omitempty"`
	Description         string                         `json:"description,omitempty"`
	PhotoFileID         string                         `json:"photo_file_id,omitempty"`
	PhotoURL            string                         `json:"photo_url,omitempty"`
	ThumbnailURL        string                         `json:"thumbnail_url,omitempty"`
	Caption             string                         `json:"caption,omitempty"`
	ParseMode           string                         `json:"parse_mode,omitempty"`
	InputMessageContent *inputTextContent              `json:"input_message_content,omitempty"`
	ReplyMarkup         *tgbotapi.InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// inputTextContent is an InputTextMessageContent: the message an article sends.
type inputTextContent struct {
	MessageText string `json:"message_text"`
	ParseMode   string `json:"parse_mode"`
}

// renderCards renders the first 50 cards, each with an ID Telegram takes.
func renderCards(cards []bot.Card) ([]inlineResult, error) {
	cards = cards[:min(len(cards), maxInlineResults)]
	results := make([]inlineResult, 0, len(cards))
	used := make(map[string]bool, len(cards))
	for i, c := range cards {
		r, err := renderCard(c)
		if err != nil {
			return nil, fmt.Errorf("card %d %q: %w", i, c.Title, err)
		}
		r.ID = resultID(i, c.ID, used)
		results = append(results, r)
	}
	return results, nil
}

// renderCard makes c a photo Telegram has, a photo at an https URL, or else an article; the text,
// escaped for HTML, is the photo's caption when it fits in one.
func renderCard(c bot.Card) (inlineResult, error) {
	markup, err := keyboard(nil, c.Links)
	if err != nil {
		return inlineResult{}, err
	}
	r := inlineResult{Title: c.Title, Description: c.Description, ReplyMarkup: markup}
	var photo bot.Photo
	if c.Photo != nil {
		photo = *c.Photo
	}
	if !strings.HasPrefix(photo.URL, "https://") {
		photo.URL = "" // Telegram fetches photos and thumbnails over https only
	}
	fits := utf16Len(c.Text) <= maxCaption
	switch {
	case fits && photo.FileID != "":
		r.Type, r.PhotoFileID = "photo", photo.FileID
	case fits && photo.URL != "":
		r.Type, r.PhotoURL, r.ThumbnailURL = "photo", photo.URL, photo.URL
	default:
		return article(r, c.Text, photo.URL)
	}
	r.Caption, r.ParseMode = html.EscapeString(c.Text), tgbotapi.ModeHTML
	return r, nil
}

// article makes r an article that sends text, cut to one message, with thumb as its picture in
// the list when there is one.
func article(r inlineResult, text, thumb string) (inlineResult, error) {
	if strings.TrimSpace(r.Title) == "" || strings.TrimSpace(text) == "" {
		return r, errors.New("a card without a photo needs a title and a text")
	}
	r.Type, r.ThumbnailURL = "article", thumb
	r.InputMessageContent = &inputTextContent{MessageText: html.EscapeString(splitText(text, maxText)[0]), ParseMode: tgbotapi.ModeHTML}
	return r, nil
}

// resultID returns id when Telegram takes it: 1 to 64 bytes, not used by an earlier result.
// Otherwise it makes one from the card's position and id.
func resultID(i int, id string, used map[string]bool) string {
	if id == "" || len(id) > maxResultID || used[id] {
		sum := sha256.Sum256([]byte(strconv.Itoa(i) + ":" + id))
		id = hex.EncodeToString(sum[:16])
	}
	used[id] = true
	return id
}
