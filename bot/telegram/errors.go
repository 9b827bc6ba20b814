package telegram

import (
	"errors"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak/bot"
)

// apiError turns an error of the library into one Lapak can log and act on: the token is
// redacted, a 429 becomes a *bot.RetryAfterError, and "message is not modified" is success.
// Multipart uploads lose the error code, so a 429 is recognised by its retry_after alone.
func (a *Adapter) apiError(op string, err error) error {
	if err == nil {
		return nil
	}
	err = a.redact(err)
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		if te.RetryAfter > 0 {
			return &bot.RetryAfterError{After: time.Duration(te.RetryAfter) * time.Second, Err: fmt.Errorf("%s: %w", op, err)}
		}
		if strings.Contains(te.Message, "message is not modified") {
			return nil
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// retryAfter tells how long Telegram asked to wait, or 0.
func retryAfter(err error) time.Duration {
	var ra *bot.RetryAfterError
	if errors.As(err, &ra) {
		return ra.After
	}
	return 0
}

// apiCode returns the Bot API error code of err, or 0.
func apiCode(err error) int {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

const redactedToken = "<redacted>"

// redact hides the bot token, which the library's transport errors carry in their URL. The
// result unwraps to the first error of the chain that does not hold the token, so errors.Is
// still finds context.Canceled and net errors.
func (a *Adapter) redact(err error) error {
	if a.cfg.Token == "" || !strings.Contains(err.Error(), a.cfg.Token) {
		return err
	}
	cause := errors.Unwrap(err)
	for cause != nil && strings.Contains(cause.Error(), a.cfg.Token) {
		cause = errors.Unwrap(cause)
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), a.cfg.Token, redactedToken), cause: cause}
}

type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }
