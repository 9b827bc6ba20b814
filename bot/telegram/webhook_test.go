package telegram

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

const webhookSecret = "lapak_webhook-Secret0"

func webhookAdapter(t *testing.T) (*Adapter, *telegramtest.Server) {
	t.Helper()
	return startAdapter(t, Config{WebhookURL: "https://lapak.example/webhooks/telegram", WebhookSecret: webhookSecret})
}

// post sends body to the handler as Telegram would, with secret in the header unless it is empty.
func post(h http.Handler, secret string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/telegram", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestWebhookRefusesWrongSecret(t *testing.T) {
	tests := []struct {
		name   string
		secret string
	}{
		{"Missing", ""},
		{"Wrong", "guess"},
		{"OtherCase", strings.ToUpper(webhookSecret)},
		{"Prefix", webhookSecret[:5]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := webhookAdapter(t)
			rec := newRecorder(nil)
			w := post(a.WebhookHandler(rec), tt.secret, readFixture(t, "telegram_update_message.json"))
			if w.Code != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", w.Code)
			}
			rec.none(t)
		})
	}
}

func TestWebhookWithoutConfiguredSecretRefusesEverything(t *testing.T) {
	a, _ := startAdapter(t, Config{}) // polling mode: no secret
	rec := newRecorder(nil)
	if w := post(a.WebhookHandler(rec), "", readFixture(t, "telegram_update_message.json")); w.Code != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", w.Code)
	}
	rec.none(t)
}

func TestWebhookDispatchesAndAnswersTheTap(t *testing.T) {
	a, fake := webhookAdapter(t)
	rec := newRecorder(nil)
	w := post(a.WebhookHandler(rec), webhookSecret, readFixture(t, "telegram_update_callback_current_shape.json"))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", w.Code)
	}
	if in := rec.next(t); in.Kind != bot.KindOption || in.Option != "buy:SKU123:1" || in.UpdateID != "10001" {
		t.Errorf("dispatched %+v, want the tap on buy:SKU123:1", in)
	}
	if answers := fake.Answers(); len(answers) != 1 || answers[0].CallbackQueryID != "4382bfdwdsb323b2d9" {
		t.Errorf("answers %+v, want the tap answered before 200", answers)
	}
}

func TestWebhookStatus(t *testing.T) {
	failing := func(bot.Inbound) error { return errors.New("postgres down") }
	tests := []struct {
		name       string
		method     string // default POST
		fixture    string // the body, from testdata
		raw        string // or this body
		handle     func(bot.Inbound) error
		status     int
		dispatched bool
		answered   bool
	}{
		{name: "MessageHandled", fixture: "telegram_update_message.json", status: 200, dispatched: true},
		{name: "FailedTapIsRetriedNotAnswered", fixture: "telegram_update_callback_current_shape.json", handle: failing, status: 500, dispatched: true},
		{name: "GroupMessageAcknowledged", fixture: "telegram_update_group_message.json", status: 200},
		{name: "InlineQueryAcknowledged", fixture: "telegram_update_inline_query.json", status: 200},
		{name: "IgnoredTapStillAnswered", raw: `{"update_id":7,"callback_query":{"id":"q7","from":{"id":5,"first_name":"A"},"chat_instance":"1","game_short_name":"g"}}`, status: 200, answered: true},
		{name: "UnexpectedShapeAcknowledged", raw: `{"update_id":8,"message":{"message_id":"not a number"}}`, status: 200},
		{name: "NotJSON", raw: `update_id=1`, status: 400},
		{name: "TooLarge", raw: `{"update_id":1,"message":{"text":"` + strings.Repeat("a", 1<<20) + `"}}`, status: 413},
		{name: "GetNotAllowed", method: http.MethodGet, status: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := webhookAdapter(t)
			rec := newRecorder(tt.handle)
			body := []byte(tt.raw)
			if tt.fixture != "" {
				body = readFixture(t, tt.fixture)
			}
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, "/webhooks/telegram", bytes.NewReader(body))
			req.Header.Set(SecretHeader, webhookSecret)
			w := httptest.NewRecorder()
			a.WebhookHandler(rec).ServeHTTP(w, req)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if tt.dispatched {
				rec.next(t)
			}
			rec.none(t)
			if got := len(fake.Answers()) > 0; got != tt.answered {
				t.Errorf("callback answered: %v, want %v", got, tt.answered)
			}
		})
	}
}
