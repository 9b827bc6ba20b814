package telegram

import (
	"errors"
	"fmt"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak/bot"
)

// Keyboard layout: short labels share a row, up to three to a row; a longer label gets a row of its
// own, so it is never cut off on a phone.
const (
	shortLabel = 12 // runes
	perRow     = 3
)

// maxCallbackData is the limit Telegram puts on callback_data, in bytes.
const maxCallbackData = 64

// ErrOptionID is returned when an option's ID cannot be callback data: empty or over 64 bytes.
// Nothing is sent.
var ErrOptionID = errors.New("option id must be 1 to 64 bytes")

// keyboard renders options as callback buttons and links as URL buttons below them, or nil when
// there are neither.
func keyboard(options []bot.Option, links []bot.Link) (*tgbotapi.InlineKeyboardMarkup, error) {
	if len(options) == 0 && len(links) == 0 {
		return nil, nil
	}
	rows, err := optionRows(options)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if l.URL == "" || l.Label == "" {
			return nil, fmt.Errorf("link %q: label and url are required", l.Label)
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL(l.Label, l.URL)))
	}
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}, nil
}

func optionRows(options []bot.Option) ([][]tgbotapi.InlineKeyboardButton, error) {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, o := range options {
		if o.ID == "" || len(o.ID) > maxCallbackData {
			return nil, fmt.Errorf("option %q has a %d-byte id: %w", o.Label, len(o.ID), ErrOptionID)
		}
		if o.Label == "" {
			return nil, fmt.Errorf("option %q has no label", o.ID)
		}
		b := tgbotapi.NewInlineKeyboardButtonData(o.Label, o.ID)
		if n := len(rows); n > 0 && fitsRow(rows[n-1], o.Label) {
			rows[n-1] = append(rows[n-1], b)
			continue
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(b))
	}
	return rows, nil
}

// fitsRow tells whether a button labelled label may join row.
func fitsRow(row []tgbotapi.InlineKeyboardButton, label string) bool {
	if len(row) >= perRow || utf8.RuneCountInString(label) > shortLabel {
		return false
	}
	for _, b := range row {
		if utf8.RuneCountInString(b.Text) > shortLabel {
			return false
		}
	}
	return true
}
