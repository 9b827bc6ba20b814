package telegram

import (
	"context"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak"
)

// AnswerCallback answers a callback query, which stops the spinner on the tapped button; text, if
// any, shows as a short notice at the top of the chat. Every callback query must be answered. It
// goes through Request: the library's Send fails on methods that return True.
func (a *Adapter) AnswerCallback(ctx context.Context, callbackID, text string) error {
	api, err := a.client(ctx)
	if err != nil {
		return err
	}
	_, err = api.Request(tgbotapi.NewCallback(callbackID, text))
	return a.apiError("answer callback query "+callbackID, err)
}

// answerTimeout bounds a callback answer, which is sent even when the caller's context ended
// after the update was handled.
const answerTimeout = 10 * time.Second

// answerUpdate answers the callback query or the inline query of u, if it has one, once u was
// handled or dropped. A failure is logged, not returned: the update itself was handled.
func (a *Adapter) answerUpdate(ctx context.Context, u tgbotapi.Update) {
	if q, ok := ToInlineQuery(u); ok {
		a.answerInline(ctx, u.UpdateID, q)
		return
	}
	if u.CallbackQuery == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
	defer cancel()
	err := a.AnswerCallback(ctx, u.CallbackQuery.ID, "")
	if err == nil {
		return
	}
	if retryAfter(err) > 0 {
		a.cfg.Metrics.Limited(string(lapak.Telegram))
	}
	a.cfg.Logger.Warn("answer callback query", "update_id", u.UpdateID, "callback_id", u.CallbackQuery.ID, "err", err)
}
