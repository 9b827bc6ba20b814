package wacloud

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/menus"
)

// SignatureHeader is the header Meta signs every webhook request's body in.
const SignatureHeader = "X-Hub-Signature-256"

// maxWebhookBody caps one webhook request. Notifications are a few kilobytes.
const maxWebhookBody = 1 << 20

// markReadTimeout bounds the read receipt sent before a message is handled.
const markReadTimeout = 5 * time.Second

// Dispatcher takes a message and reports on the returned channel when it was handled: nil, or
// the error that means it must be delivered again. *bot.Dispatcher is one.
type Dispatcher interface {
	Dispatch(ctx context.Context, in bot.Inbound) <-chan error
}

var _ Dispatcher = (*bot.Dispatcher)(nil)

// VerifyHandler answers Meta's verification handshake, to mount at GET /webhooks/whatsapp: when
// hub.mode is "subscribe" and hub.verify_token is the configured token, it answers 200 with
// hub.challenge as it came; otherwise 403
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint).
func (a *Adapter) VerifyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		q := r.URL.Query()
		token := []byte(q.Get("hub.verify_token"))
		if q.Get("hub.mode") != "subscribe" || subtle.ConstantTimeCompare(token, []byte(a.cfg.VerifyToken)) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Write([]byte(q.Get("hub.challenge")))
	})
}

// WebhookHandler receives Meta's notifications, to mount at POST /webhooks/whatsapp. A request
// whose X-Hub-Signature-256 is missing or is not the app secret's HMAC-SHA256 of the raw body
// gets 401 and is not looked at; a body over 1 MiB gets 413.
//
// Each message is marked read with a typing indicator, refreshes its chat's customer-service
// window, has a typed number or label of the chat's last menu turned into that option, and is
// dispatched; the answer waits until all of them were handled: 200, or 500 so that Meta delivers
// the notification again (the dispatcher skips messages it handled already, by their wamid).
// Failed statuses go to the StatusRecorder; system messages and other statuses are acknowledged.
func (a *Adapter) WebhookHandler(d Dispatcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		sig := r.Header.Get(SignatureHeader)
		if sig == "" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		case !a.signatureOK(sig, body):
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var n notification
		if err := json.Unmarshal(body, &n); err != nil {
			a.cfg.Logger.Warn("drop whatsapp notification", "err", err)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if err := a.handle(r.Context(), d, n); err != nil {
			a.cfg.Logger.Warn("whatsapp notification not handled, meta will retry", "err", err)
			http.Error(w, "not handled", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// signatureOK checks header, "sha256=" and the hex HMAC-SHA256 of body under the app secret, in
// constant time.
func (a *Adapter) signatureOK(header string, body []byte) bool {
	got, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	sum, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(a.cfg.AppSecret))
	mac.Write(body)
	return hmac.Equal(sum, mac.Sum(nil))
}

// handle dispatches every message of the notification in order and waits until all were
// handled, and records failed statuses.
func (a *Adapter) handle(ctx context.Context, d Dispatcher, n notification) error {
	var waits []<-chan error
	for _, e := range n.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" {
				continue
			}
			if id := c.Value.Metadata.PhoneNumberID; id != "" && id != a.cfg.PhoneNumberID {
				a.cfg.Logger.Warn("ignore whatsapp notification for another number", "phone_number_id", id)
				continue
			}
			waits = append(waits, a.receive(ctx, d, c.Value)...)
			a.recordStatuses(ctx, c.Value.Statuses)
			for _, e := range c.Value.Errors {
				a.cfg.Logger.Warn("whatsapp notification error", "code", e.Code, "title", e.Title, "details", e.ErrorData.Details)
			}
		}
	}
	var errs []error
	for _, done := range waits {
		if err := <-done; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// receive prepares and dispatches the messages of one change.
func (a *Adapter) receive(ctx context.Context, d Dispatcher, v changeValue) []<-chan error {
	var waits []<-chan error
	for _, m := range v.Messages {
		in, ok := toInbound(m, profileName(v.Contacts, m.From))
		if !ok {
			continue
		}
		if err := a.cfg.Window.Touch(ctx, in.Chat.ChatID, sentAt(m, a.cfg.Clock.Now())); err != nil {
			a.cfg.Logger.Warn("refresh customer service window", "chat", masked(in.Chat.ChatID), "err", err)
		}
		a.markRead(ctx, in)
		in = a.mapMenu(ctx, in)
		waits = append(waits, d.Dispatch(ctx, in))
	}
	return waits
}

// markRead sends the read receipt and typing indicator for in. Failures are logged: they must not
// keep the message from being handled.
func (a *Adapter) markRead(ctx context.Context, in bot.Inbound) {
	ctx, cancel := context.WithTimeout(ctx, markReadTimeout)
	defer cancel()
	if err := a.MarkRead(ctx, in.UpdateID); err != nil {
		a.cfg.Logger.Warn("mark whatsapp message read", "chat", masked(in.Chat.ChatID), "update_id", in.UpdateID, "err", err)
	}
}

// mapMenu turns a text that names an option of the chat's last menu, by number or label, into
// that option.
func (a *Adapter) mapMenu(ctx context.Context, in bot.Inbound) bot.Inbound {
	if in.Kind != bot.KindText {
		return in
	}
	menu, err := a.cfg.Menus.Load(ctx, in.Chat.ChatID)
	if err != nil {
		a.cfg.Logger.Warn("load whatsapp menu", "chat", masked(in.Chat.ChatID), "err", err)
		return in
	}
	if o, ok := menus.Match(menu, in.Text); ok {
		in.Kind, in.Option, in.Text = bot.KindOption, o.ID, o.Label
	}
	return in
}

// recordStatuses hands failed statuses to the StatusRecorder.
func (a *Adapter) recordStatuses(ctx context.Context, statuses []status) {
	for _, s := range statuses {
		if s.Status != "failed" {
			continue
		}
		errs := s.Errors
		if len(errs) == 0 {
			errs = []errorEntry{{}}
		}
		for _, e := range errs {
			if err := a.cfg.Statuses.RecordFailure(ctx, s.RecipientID, s.ID, e.Code, e.Title); err != nil {
				a.cfg.Logger.Warn("record failed whatsapp message", "message_id", s.ID, "err", err)
			}
		}
	}
}
