package telegramtest

import (
	"encoding/json"
	"time"
)

// The Bot API objects the fake answers with (https://core.telegram.org/bots/api#available-types),
// reduced to the fields it fills.

type wireUser struct {
	ID                      int64  `json:"id"`
	IsBot                   bool   `json:"is_bot"`
	FirstName               string `json:"first_name"`
	Username                string `json:"username,omitempty"`
	CanJoinGroups           bool   `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages bool   `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   bool   `json:"supports_inline_queries,omitempty"`
}

type wireChat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

type wireMessage struct {
	MessageID   int             `json:"message_id"`
	From        wireUser        `json:"from"`
	Chat        wireChat        `json:"chat"`
	Date        int64           `json:"date"`
	EditDate    int64           `json:"edit_date,omitempty"`
	Text        string          `json:"text,omitempty"`
	Caption     string          `json:"caption,omitempty"`
	Photo       []wirePhotoSize `json:"photo,omitempty"`
	Document    *wireDocument   `json:"document,omitempty"`
	ReplyMarkup *wireMarkup     `json:"reply_markup,omitempty"`
}

type wirePhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireDocument struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int    `json:"file_size"`
	FilePath     string `json:"file_path"`
}

type wireMarkup struct {
	InlineKeyboard [][]wireButton `json:"inline_keyboard"`
}

type wireButton struct {
	Text         string  `json:"text"`
	URL          string  `json:"url,omitempty"`
	CallbackData *string `json:"callback_data,omitempty"`
}

type wireWebhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}

// me is the fake bot, as getMe and the from field of sent messages show it.
var me = wireUser{ID: BotID, IsBot: true, FirstName: "Lapak Test", Username: Username, CanJoinGroups: true}

// wire renders a recorded message the way the Bot API returns it.
func wire(m Message) wireMessage {
	w := wireMessage{MessageID: m.MessageID, From: me, Chat: wireChat{ID: m.ChatID, Type: chatType(m.ChatID)}, Date: time.Now().Unix()}
	switch {
	case m.Photo != nil:
		w.Caption = m.Plain
		w.Photo = []wirePhotoSize{{FileID: fileIDOf(m.Photo), FileUniqueID: "u-" + fileIDOf(m.Photo), Width: 800, Height: 800, FileSize: len(m.Photo.Data)}}
	case m.Document != nil:
		w.Caption = m.Plain
		w.Document = &wireDocument{FileID: fileIDOf(m.Document), FileUniqueID: "u-" + fileIDOf(m.Document), FileName: m.Document.Name, FileSize: len(m.Document.Data)}
	default:
		w.Text = m.Plain
	}
	if m.Method == "editMessageText" {
		w.EditDate = w.Date
	}
	w.ReplyMarkup = wireKeyboard(m.Keyboard)
	return w
}

func chatType(id int64) string {
	if id < 0 {
		return "supergroup"
	}
	return "private"
}

func fileIDOf(f *File) string {
	if f.FileID != "" {
		return f.FileID
	}
	return "fake-url-" + f.URL
}

func wireKeyboard(rows [][]Button) *wireMarkup {
	if rows == nil {
		return nil
	}
	m := &wireMarkup{InlineKeyboard: make([][]wireButton, len(rows))}
	for i, row := range rows {
		for _, b := range row {
			wb := wireButton{Text: b.Text, URL: b.URL}
			if b.URL == "" {
				wb.CallbackData = &b.CallbackData
			}
			m.InlineKeyboard[i] = append(m.InlineKeyboard[i], wb)
		}
	}
	return m
}

// parseKeyboard decodes an inline keyboard reply_markup. Other markups (reply keyboards, force
// reply) give nil. Like Telegram, it refuses callback data outside 1 to 64 bytes.
func parseKeyboard(raw string) ([][]Button, *apiError) {
	if raw == "" || raw == "null" {
		return nil, nil
	}
	var m wireMarkup
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	var rows [][]Button
	for _, row := range m.InlineKeyboard {
		var out []Button
		for _, b := range row {
			btn, e := parseButton(b)
			if e != nil {
				return nil, e
			}
			out = append(out, btn)
		}
		rows = append(rows, out)
	}
	return rows, nil
}

func parseButton(b wireButton) (Button, *apiError) {
	switch {
	case b.Text == "":
		return Button{}, badRequest("text buttons are unallowed in the inline keyboard")
	case b.CallbackData != nil && (len(*b.CallbackData) == 0 || len(*b.CallbackData) > 64):
		return Button{}, badRequest("BUTTON_DATA_INVALID")
	case b.CallbackData == nil && b.URL == "":
		return Button{}, badRequest("can't find field \"callback_data\" or \"url\" in the inline keyboard button")
	}
	btn := Button{Text: b.Text, URL: b.URL}
	if b.CallbackData != nil {
		btn.CallbackData = *b.CallbackData
	}
	return btn, nil
}
