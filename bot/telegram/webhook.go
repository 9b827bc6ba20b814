package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SecretHeader is the header Telegram sends the webhook secret token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxWebhookBody caps one webhook request. Updates are a few kilobytes.
const maxWebhookBody = 1 << 20

// WebhookHandler returns the handler for Telegram's webhook requests, to mount at
// POST /webhooks/telegram. A request without the right secret token gets 401 and is not looked at.
// The update is dispatched and the answer waits until it was handled: 200, or 500 so that
// Telegram delivers it again (the dispatcher skips it if it was handled after all). An inline
// query gets 200 once it was answered; other updates Lapak does not serve get 200 at once.
func (a *Adapter) WebhookHandler(d Dispatcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if !a.secretOK(r.Header.Get(SecretHeader)) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		u, status := a.readUpdate(w, r)
		if status != http.StatusOK {
			http.Error(w, http.StatusText(status), status)
			return
		}
		if err := a.handleUpdate(r.Context(), d, u); err != nil {
			a.cfg.Logger.Warn("webhook update not handled, telegram will retry", "update_id", u.UpdateID, "err", err)
			http.Error(w, "update not handled", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// secretOK compares the secret token in constant time. Without a configured secret nothing passes.
func (a *Adapter) secretOK(got string) bool {
	want := a.cfg.WebhookSecret
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// readUpdate reads and decodes the request body, returning the HTTP status to answer when it
// cannot be used. An update that is JSON but does not fit the library's types is dropped with a
// warning: Telegram would only send it again.
func (a *Adapter) readUpdate(w http.ResponseWriter, r *http.Request) (tgbotapi.Update, int) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return tgbotapi.Update{}, http.StatusRequestEntityTooLarge
	case err != nil:
		return tgbotapi.Update{}, http.StatusBadRequest
	}
	u, err := decodeUpdate(body)
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return tgbotapi.Update{}, http.StatusBadRequest
	case err != nil:
		a.cfg.Logger.Warn("drop update", "update_id", u.UpdateID, "err", err)
	}
	return u, http.StatusOK
}

// handleUpdate dispatches u unless Lapak drops it, waits until it was handled and answers its
// callback query or its inline query.
func (a *Adapter) handleUpdate(ctx context.Context, d Dispatcher, u tgbotapi.Update) error {
	var done <-chan error
	if in, ok := ToInbound(u); ok {
		done = d.Dispatch(ctx, in)
	}
	return a.settle(ctx, u, done)
}
