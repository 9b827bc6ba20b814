package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

func TestToInlineQuery(t *testing.T) {
	u := loadUpdate(t, "telegram_update_inline_query.json")
	got, ok := ToInlineQuery(u)
	want := bot.InlineQuery{From: userChat, UserID: "1111111", Query: "inline query", ID: "134567890097"}
	if !ok || got != want {
		t.Errorf("got %+v, %v; want %+v", got, ok, want)
	}
	if _, ok := ToInbound(u); ok {
		t.Error("an inline query was converted to a message for the dispatcher")
	}
	if _, ok := ToInlineQuery(loadUpdate(t, "telegram_update_message.json")); ok {
		t.Error("a message was converted to an inline query")
	}
	u.InlineQuery.From = nil
	if _, ok := ToInlineQuery(u); ok {
		t.Error("an inline query without a sender was converted")
	}
}

// answerer is an inline answerer that records the queries it gets and answers with cards or err.
type answerer struct {
	cards []bot.Card
	err   error
	got   chan bot.InlineQuery
	left  chan time.Duration // the time the answerer had, by its context's deadline
}

func newAnswerer(cards []bot.Card, err error) *answerer {
	return &answerer{cards: cards, err: err, got: make(chan bot.InlineQuery, 10), left: make(chan time.Duration, 10)}
}

func (a *answerer) InlineResults(ctx context.Context, q bot.InlineQuery) ([]bot.Card, error) {
	deadline, _ := ctx.Deadline()
	a.left <- time.Until(deadline)
	a.got <- q
	return a.cards, a.err
}

// waitInline waits until the fake holds n inline answers, and returns them.
func waitInline(t *testing.T, fake *telegramtest.Server, n int) []telegramtest.InlineAnswer {
	t.Helper()
	if err := fake.Wait(testContext(t), func() bool { return len(fake.InlineAnswers()) >= n }); err != nil {
		t.Fatalf("inline answers %+v, want %d: %v", fake.InlineAnswers(), n, err)
	}
	return fake.InlineAnswers()
}

const longText = "Kaos polos hitam, katun combed 30s. "

func TestInlineQueryCardsBecomeResults(t *testing.T) {
	order := []bot.Link{{Label: "Pesan via WhatsApp", URL: "https://lapak.example.com/go/abc"}}
	cards := []bot.Card{
		{ID: "11", Title: "Kaos", Description: "Rp85.000 · untung Rp40.000", Text: "Kaos <Polos> & Topi", Links: order,
			Photo: &bot.Photo{FileID: "AgAD-kaos", URL: "https://lapak.example.com/img/kaos"}},
		{ID: "12", Title: "Topi", Text: "Topi", Photo: &bot.Photo{URL: "https://lapak.example.com/img/topi"}},
		{ID: "13", Title: "Sambal", Description: "Rp35.000", Text: "Sambal bawang", Links: order},
		{ID: "14", Title: "Kopi", Text: "Kopi Gayo", Photo: &bot.Photo{URL: "http://lapak.local/img/kopi"}},
		{ID: "15", Title: "Batik", Text: strings.Repeat(longText, 40), Photo: &bot.Photo{FileID: "AgAD-batik", URL: "https://lapak.example.com/img/batik"}},
	}
	inline := newAnswerer(cards, nil)
	a, fake := startAdapter(t, Config{WebhookURL: "https://lapak.example/webhooks/telegram", WebhookSecret: webhookSecret, Inline: inline})
	rec := newRecorder(nil)
	if w := post(a.WebhookHandler(rec), webhookSecret, readFixture(t, "telegram_update_inline_query.json")); w.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", w.Code)
	}
	if q := <-inline.got; q.ID != "134567890097" || q.Query != "inline query" || q.From != userChat {
		t.Errorf("answerer got %+v", q)
	}
	if left := <-inline.left; left <= 0 || left > inlineTimeout {
		t.Errorf("answerer had %v, want at most %v", left, inlineTimeout)
	}
	rec.none(t)

	answers := fake.InlineAnswers() // answered before the webhook returned
	if len(answers) != 1 {
		t.Fatalf("inline answers %+v, want one", answers)
	}
	ans := answers[0]
	if ans.InlineQueryID != "134567890097" || ans.CacheTime != 30 || !ans.IsPersonal {
		t.Errorf("answer to %q cached %ds, personal %v; want 134567890097, 30s, personal", ans.InlineQueryID, ans.CacheTime, ans.IsPersonal)
	}
	button := [][]telegramtest.Button{{{Text: "Pesan via WhatsApp", URL: "https://lapak.example.com/go/abc"}}}
	long := strings.Repeat(longText, 40)
	want := []telegramtest.InlineResult{
		{Type: "photo", ID: "11", Title: "Kaos", Description: "Rp85.000 · untung Rp40.000", PhotoFileID: "AgAD-kaos",
			Text: "Kaos &lt;Polos&gt; &amp; Topi", Plain: "Kaos <Polos> & Topi", ParseMode: "HTML", Keyboard: button},
		{Type: "photo", ID: "12", Title: "Topi", PhotoURL: "https://lapak.example.com/img/topi", ThumbnailURL: "https://lapak.example.com/img/topi",
			Text: "Topi", Plain: "Topi", ParseMode: "HTML"},
		{Type: "article", ID: "13", Title: "Sambal", Description: "Rp35.000", Text: "Sambal bawang", Plain: "Sambal bawang", ParseMode: "HTML", Keyboard: button},
		{Type: "article", ID: "14", Title: "Kopi", Text: "Kopi Gayo", Plain: "Kopi Gayo", ParseMode: "HTML"},
		{Type: "article", ID: "15", Title: "Batik", ThumbnailURL: "https://lapak.example.com/img/batik", Text: long, Plain: long, ParseMode: "HTML"},
	}
	if !reflect.DeepEqual(ans.Results, want) {
		t.Errorf("results\n%+v\nwant\n%+v", ans.Results, want)
	}
}

func TestInlineQueryGetsNoResultsWhenCardsAreMissing(t *testing.T) {
	tests := []struct {
		name   string
		inline bot.InlineAnswerer
		logged string // logged once
	}{
		{"NoAnswerer", nil, ""},
		{"AnswererFails", newAnswerer(nil, errors.New("postgres down")), "postgres down"},
		{"AnswererRunsOutOfTime", bot.InlineAnswererFunc(func(context.Context, bot.InlineQuery) ([]bot.Card, error) {
			return nil, context.DeadlineExceeded // as when its context's deadline passes
		}), "deadline exceeded"},
		{"CardCannotBeRendered", newAnswerer([]bot.Card{{ID: "1", Text: "no title, no photo"}}, nil), "needs a title"},
		{"NoCards", newAnswerer(nil, nil), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			a, fake := startAdapter(t, Config{Inline: tt.inline, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			fake.PushUpdate(readFixture(t, "telegram_update_inline_query.json"))
			stop := poll(t, a, newRecorder(nil))
			answers := waitInline(t, fake, 1)
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			if len(answers) != 1 || len(answers[0].Results) != 0 {
				t.Errorf("answers %+v, want one with no results", answers)
			}
			if n := strings.Count(logs.String(), "level=WARN"); tt.logged != "" && (n != 1 || !strings.Contains(logs.String(), tt.logged)) {
				t.Errorf("logged %d warnings, want one about %q:\n%s", n, tt.logged, logs.String())
			}
			if tt.logged == "" && logs.Len() > 0 {
				t.Errorf("logged:\n%s", logs.String())
			}
		})
	}
}

func TestPollAnswersInlineQueriesWithoutDispatching(t *testing.T) {
	inline := newAnswerer([]bot.Card{{ID: "1", Title: "Kaos", Text: "Kaos polos"}}, nil)
	a, fake := startAdapter(t, Config{Inline: inline})
	rec := newRecorder(nil)
	pushFixture(t, fake, "telegram_update_inline_query.json")
	pushFixture(t, fake, "telegram_update_message.json")
	poll(t, a, rec)
	if in := rec.next(t); in.Text != "/start" {
		t.Errorf("dispatched %+v, want only the message", in)
	}
	answers := waitInline(t, fake, 1)
	if r := answers[0].Results; len(r) != 1 || r[0].Type != "article" || r[0].Plain != "Kaos polos" {
		t.Errorf("results %+v, want the article", r)
	}
	waitConfirmed(t, fake)
	rec.none(t)
}

func TestAnswerInlineKeepsToTelegramsLimits(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	cards := make([]bot.Card, 60)
	for i := range cards {
		cards[i] = bot.Card{ID: fmt.Sprint(i), Title: "Kaos", Text: "Kaos"}
	}
	cards[1].ID = cards[0].ID
	cards[2].ID = strings.Repeat("x", 65)
	cards[3].ID = ""
	if err := a.AnswerInline(testContext(t), "q1", cards); err != nil {
		t.Fatal(err)
	}
	results := fake.InlineAnswers()[0].Results
	if len(results) != 50 {
		t.Fatalf("%d results, want the first 50", len(results))
	}
	if results[0].ID != "0" || results[4].ID != "4" {
		t.Errorf("ids %q, %q: want good ids kept", results[0].ID, results[4].ID)
	}
}

func TestAnswerInlineRefusesABadCardAndSendsNothing(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	err := a.AnswerInline(testContext(t), "q1", []bot.Card{{ID: "1", Title: "Kaos", Text: "Kaos", Links: []bot.Link{{Label: "Pesan"}}}})
	if err == nil {
		t.Fatal("a link without a URL was accepted")
	}
	if n := fake.Calls("answerInlineQuery"); n != 0 {
		t.Errorf("answerInlineQuery called %d times", n)
	}
}

func TestAnswerInlineErrors(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	fake.FailNext("answerInlineQuery", 429, 3)
	err := a.AnswerInline(testContext(t), "q1", nil)
	if retryAfter(err) != 3*time.Second {
		t.Errorf("err = %v, want a 429 asking for 3s", err)
	}
	fake.Close()
	err = a.AnswerInline(testContext(t), "q2", nil)
	if err == nil {
		t.Fatal("answer to a closed endpoint succeeded")
	}
	assertNoToken(t, err)
}
