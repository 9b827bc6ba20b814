package telegramtest

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestAnswerInlineQueryRecordsEachResultType(t *testing.T) {
	s := New(t)
	results := `[
		{"type":"photo","id":"1","photo_file_id":"AgAD-1","title":"Kaos","description":"Rp85.000","caption":"Kaos &amp; topi","parse_mode":"HTML",
		 "reply_markup":{"inline_keyboard":[[{"text":"Pesan","url":"https://lapak.example/go/abc"}]]}},
		{"type":"photo","id":"2","photo_url":"https://lapak.example/img/x","thumbnail_url":"https://lapak.example/img/x","caption":"Topi"},
		{"type":"article","id":"3","title":"Sambal","input_message_content":{"message_text":"<b>Sambal</b> pedas","parse_mode":"HTML"}}]`
	_, a := call(t, s, Token, "answerInlineQuery", url.Values{"inline_query_id": {"q1"}, "results": {results}, "cache_time": {"30"}, "is_personal": {"true"}})
	if !a.OK {
		t.Fatal(a.Description)
	}
	want := []InlineAnswer{{InlineQueryID: "q1", CacheTime: 30, IsPersonal: true, Results: []InlineResult{
		{Type: "photo", ID: "1", Title: "Kaos", Description: "Rp85.000", PhotoFileID: "AgAD-1", Text: "Kaos &amp; topi", Plain: "Kaos & topi", ParseMode: "HTML",
			Keyboard: [][]Button{{{Text: "Pesan", URL: "https://lapak.example/go/abc"}}}},
		{Type: "photo", ID: "2", PhotoURL: "https://lapak.example/img/x", ThumbnailURL: "https://lapak.example/img/x", Text: "Topi", Plain: "Topi"},
		{Type: "article", ID: "3", Title: "Sambal", Text: "<b>Sambal</b> pedas", Plain: "Sambal pedas", ParseMode: "HTML"},
	}}}
	if got := s.InlineAnswers(); !reflect.DeepEqual(got, want) {
		t.Errorf("answers\n%+v\nwant\n%+v", got, want)
	}
}

func TestAnswerInlineQueryRefusesWhatTelegramRefuses(t *testing.T) {
	article := func(id string) string {
		return fmt.Sprintf(`{"type":"article","id":%q,"title":"T","input_message_content":{"message_text":"x"}}`, id)
	}
	many := make([]string, 51)
	for i := range many {
		many[i] = article(fmt.Sprint(i))
	}
	tests := []struct {
		name, id, results, want string
	}{
		{"NoQueryID", "", "[]", "QUERY_ID_INVALID"},
		{"ResultsNotAnArray", "q", `{"type":"article"}`, "can't parse"},
		{"NoResults", "q", "", "can't parse"},
		{"MoreThanFifty", "q", "[" + strings.Join(many, ",") + "]", "RESULTS_TOO_MUCH"},
		{"EmptyID", "q", "[" + article("") + "]", "RESULT_ID_INVALID"},
		{"IDOver64Bytes", "q", "[" + article(strings.Repeat("x", 65)) + "]", "RESULT_ID_INVALID"},
		{"DuplicateID", "q", "[" + article("a") + "," + article("a") + "]", "RESULT_ID_DUPLICATE"},
		{"UnknownType", "q", `[{"type":"sticker","id":"1"}]`, "RESULT_TYPE_INVALID"},
		{"PhotoURLWithoutThumbnail", "q", `[{"type":"photo","id":"1","photo_url":"https://x/y.jpg","thumb_url":"https://x/t.jpg"}]`, "THUMBNAIL_URL_EMPTY"},
		{"PhotoWithoutFile", "q", `[{"type":"photo","id":"1"}]`, "PHOTO_INVALID"},
		{"CaptionTooLong", "q", `[{"type":"photo","id":"1","photo_file_id":"f","caption":"` + strings.Repeat("a", 1025) + `"}]`, "caption is too long"},
		{"CaptionUnescaped", "q", `[{"type":"photo","id":"1","photo_file_id":"f","caption":"Tom & Jerry","parse_mode":"HTML"}]`, "can't parse entities"},
		{"ArticleWithoutTitle", "q", `[{"type":"article","id":"1","input_message_content":{"message_text":"x"}}]`, "RESULT_TITLE_EMPTY"},
		{"ArticleWithoutMessage", "q", `[{"type":"article","id":"1","title":"T"}]`, "input_message_content"},
		{"ArticleMessageEmpty", "q", `[{"type":"article","id":"1","title":"T","input_message_content":{"message_text":" "}}]`, "message text is empty"},
		{"ArticleMessageTooLong", "q", `[{"type":"article","id":"1","title":"T","input_message_content":{"message_text":"` + strings.Repeat("a", 4097) + `"}}]`, "message is too long"},
		{"CallbackDataTooLong", "q", `[{"type":"photo","id":"1","photo_file_id":"f","reply_markup":{"inline_keyboard":[[{"text":"x","callback_data":"` + strings.Repeat("a", 65) + `"}]]}}]`, "BUTTON_DATA_INVALID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			form := url.Values{"inline_query_id": {tt.id}}
			if tt.results != "" {
				form.Set("results", tt.results)
			}
			status, a := call(t, s, Token, "answerInlineQuery", form)
			if a.OK || status != 400 || !strings.Contains(a.Description, tt.want) {
				t.Errorf("answered %d %s, want 400 about %q", status, a.raw, tt.want)
			}
			if n := len(s.InlineAnswers()); n != 0 {
				t.Errorf("%d refused answers recorded", n)
			}
		})
	}
}

func TestAnswerInlineQueryTwiceIsRefused(t *testing.T) {
	s := New(t)
	form := url.Values{"inline_query_id": {"q9"}, "results": {"[]"}}
	if _, a := call(t, s, Token, "answerInlineQuery", form); !a.OK {
		t.Fatal(a.Description)
	}
	if _, a := call(t, s, Token, "answerInlineQuery", form); a.OK || !strings.Contains(a.Description, "query is too old") {
		t.Errorf("second answer: %s", a.raw)
	}
	if got := s.InlineAnswers(); len(got) != 1 || got[0].Results == nil || len(got[0].Results) != 0 || got[0].CacheTime != 300 {
		t.Errorf("answers %+v, want one empty answer with the default cache time", got)
	}
}

func TestWaitWakesOnAnInlineAnswer(t *testing.T) {
	s := New(t)
	go post(s, Token, "answerInlineQuery", url.Values{"inline_query_id": {"q2"}, "results": {"[]"}})
	err := s.Wait(ctx(t), func() bool { return len(s.InlineAnswers()) == 1 })
	if err != nil {
		t.Fatal(err)
	}
	s.Reset()
	if n := len(s.InlineAnswers()); n != 0 {
		t.Errorf("%d inline answers after Reset", n)
	}
}
