package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// maxInlineResults is how many results one answer to an inline query may hold.
const maxInlineResults = 50

// InlineAnswer is an answer to an inline query.
type InlineAnswer struct {
	InlineQueryID string
	Results       []InlineResult
	CacheTime     int
	IsPersonal    bool
}

// InlineResult is one result of an inline query answer: a photo, by file ID (a cached photo) or by
// URL, or an article.
type InlineResult struct {
	Type         string // "photo" or "article"
	ID           string
	Title        string
	Description  string
	PhotoFileID  string
	PhotoURL     string
	ThumbnailURL string
	Text         string     // the photo's caption or the article's message, markup included
	Plain        string     // what the user sees of Text: tags removed, entities decoded
	ParseMode    string     // of Text
	Keyboard     [][]Button // the inline keyboard under the message sent; nil without one
}

// Buttons returns the keyboard's buttons row after row.
func (r InlineResult) Buttons() []Button { return Message{Keyboard: r.Keyboard}.Buttons() }

// InlineAnswers returns a copy of the inline query answers so far, oldest first.
func (s *Server) InlineAnswers() []InlineAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.inlineAnswers)
}

// wireInlineResult is an InlineQueryResult as the bot sends it, with the fields of the types the
// fake serves (https://core.telegram.org/bots/api#inlinequeryresult).
type wireInlineResult struct {
	Type                string          `json:"type"`
	ID                  string          `json:"id"`
	Title               string          `json:"title"`
	Description         string          `json:"description"`
	PhotoFileID         string          `json:"photo_file_id"`
	PhotoURL            string          `json:"photo_url"`
	ThumbnailURL        string          `json:"thumbnail_url"`
	Caption             string          `json:"caption"`
	ParseMode           string          `json:"parse_mode"`
	InputMessageContent *wireInputText  `json:"input_message_content"`
	ReplyMarkup         json.RawMessage `json:"reply_markup"`
}

type wireInputText struct {
	MessageText string `json:"message_text"`
	ParseMode   string `json:"parse_mode"`
}

// answerInlineQuery checks an answer the way Telegram does and records it. Like Telegram, it
// refuses a second answer to the same query.
func (s *Server) answerInlineQuery(_ context.Context, req *request) (any, *apiError) {
	a := InlineAnswer{InlineQueryID: req.str("inline_query_id"), IsPersonal: req.bool("is_personal")}
	var e *apiError
	if a.CacheTime, e = req.int("cache_time", 300); e != nil {
		return nil, e
	}
	if a.InlineQueryID == "" {
		return nil, badRequest("QUERY_ID_INVALID")
	}
	if a.Results, e = parseInlineResults(req.str("results")); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inlineAnswered[a.InlineQueryID] {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.inlineAnswered[a.InlineQueryID] = true
	s.inlineAnswers = append(s.inlineAnswers, a)
	s.notifyLocked()
	return true, nil
}

func parseInlineResults(raw string) ([]InlineResult, *apiError) {
	var wires []wireInlineResult
	if err := json.Unmarshal([]byte(raw), &wires); err != nil || wires == nil {
		return nil, badRequest("can't parse inline query results JSON object")
	}
	if len(wires) > maxInlineResults {
		return nil, badRequest("RESULTS_TOO_MUCH")
	}
	results := make([]InlineResult, 0, len(wires))
	ids := map[string]bool{}
	for _, w := range wires {
		r, e := parseInlineResult(w)
		if e == nil && ids[r.ID] {
			e = badRequest("RESULT_ID_DUPLICATE")
		}
		if e != nil {
			return nil, e
		}
		ids[r.ID] = true
		results = append(results, r)
	}
	return results, nil
}

func parseInlineResult(w wireInlineResult) (InlineResult, *apiError) {
	if w.ID == "" || len(w.ID) > 64 {
		return InlineResult{}, badRequest("RESULT_ID_INVALID")
	}
	r := InlineResult{Type: w.Type, ID: w.ID, Title: w.Title, Description: w.Description,
		PhotoFileID: w.PhotoFileID, PhotoURL: w.PhotoURL, ThumbnailURL: w.ThumbnailURL}
	var e *apiError
	switch w.Type {
	case "photo":
		e = r.photo(w)
	case "article":
		e = r.article(w)
	default:
		e = badRequest(fmt.Sprintf("RESULT_TYPE_INVALID: the fake serves photo and article results, not %q", w.Type))
	}
	if e != nil {
		return InlineResult{}, e
	}
	r.Keyboard, e = parseKeyboard(string(w.ReplyMarkup))
	return r, e
}

// photo checks a cached photo (photo_file_id) or a photo by URL, which needs a thumbnail, and its
// caption, or the message sent instead of the photo.
func (r *InlineResult) photo(w wireInlineResult) *apiError {
	switch {
	case (w.PhotoFileID == "") == (w.PhotoURL == ""):
		return badRequest("PHOTO_INVALID: want one of photo_file_id and photo_url")
	case w.PhotoURL != "" && !strings.HasPrefix(w.PhotoURL, "http"):
		return badRequest("PHOTO_INVALID")
	case w.PhotoURL != "" && w.ThumbnailURL == "":
		return badRequest("THUMBNAIL_URL_EMPTY: a photo by URL needs thumbnail_url")
	}
	if w.InputMessageContent != nil {
		return r.message(w.InputMessageContent)
	}
	var e *apiError
	r.Text, r.ParseMode = w.Caption, w.ParseMode
	if r.Plain, e = visible(w.Caption, w.ParseMode); e != nil {
		return e
	}
	return checkLength("caption", r.Plain)
}

// article checks an article: a title and the message it sends.
func (r *InlineResult) article(w wireInlineResult) *apiError {
	switch {
	case strings.TrimSpace(w.Title) == "":
		return badRequest("RESULT_TITLE_EMPTY")
	case w.InputMessageContent == nil:
		return badRequest("can't find field \"input_message_content\"")
	}
	return r.message(w.InputMessageContent)
}

// message checks an InputTextMessageContent the way sendMessage checks its text.
func (r *InlineResult) message(in *wireInputText) *apiError {
	var e *apiError
	r.Text, r.ParseMode = in.MessageText, in.ParseMode
	if r.Plain, e = visible(in.MessageText, in.ParseMode); e != nil {
		return e
	}
	return checkLength("text", r.Plain)
}
