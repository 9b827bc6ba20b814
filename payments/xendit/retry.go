package xendit

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps a server-given wait. Xendit's rate-limit window is one minute.
const maxRetryAfter = 2 * time.Minute

// retryDelay says whether the failed attempt number attempt (0 for the first) of r may be sent
// again, and after how long. Only idempotent calls are retried, only after a 429, a 5xx or a
// network error, and never once ctx has ended. See https://docs.xendit.co/apidocs/rate-limits.
func (c *Client) retryDelay(ctx context.Context, r request, attempt int, err error) (time.Duration, bool) {
	if err == nil || !r.retry || attempt >= c.cfg.Retries || ctx.Err() != nil {
		return 0, false
	}
	var apiErr *Error
	var netErr *transportError
	switch {
	case errors.As(err, &apiErr):
		if !apiErr.Temporary() {
			return 0, false
		}
		if apiErr.RetryAfter > 0 {
			return apiErr.RetryAfter, true
		}
	case !errors.As(err, &netErr):
		return 0, false
	}
	return c.backoff(attempt), true
}

// backoff is the exponential wait before retry number attempt+1.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.Backoff
	for range attempt {
		d *= 2
		if d >= maxBackoff {
			return maxBackoff
		}
	}
	return d
}

// logRetry notes a retry. It logs the method, the path and the error, never a body or a header.
func (c *Client) logRetry(ctx context.Context, r request, attempt int, wait time.Duration, err error) {
	c.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "xendit call failed, retrying",
		slog.String("method", r.method),
		slog.String("path", r.path),
		slog.Int("attempt", attempt+1),
		slog.Duration("wait", wait),
		slog.String("error", err.Error()),
	)
}

// retryAfter reads how long the server asks the client to wait. On a 429 that is Xendit's
// Rate-Limit-Reset (seconds left in the window, a float such as 58.37), else a standard
// Retry-After in seconds; on a 503, Retry-After. Xendit sends Rate-Limit-Reset on every answer,
// so on other statuses it says nothing about when to retry. It returns 0 when there is no hint.
func retryAfter(status int, h http.Header) time.Duration {
	var names []string
	switch status {
	case http.StatusTooManyRequests:
		names = []string{"Rate-Limit-Reset", "Retry-After"}
	case http.StatusServiceUnavailable:
		names = []string{"Retry-After"}
	}
	for _, name := range names {
		v := strings.TrimSpace(h.Get(name))
		secs, err := strconv.ParseFloat(v, 64)
		if err != nil || !(secs > 0) { // also refuses NaN
			continue
		}
		if secs >= maxRetryAfter.Seconds() {
			return maxRetryAfter
		}
		return time.Duration(secs * float64(time.Second))
	}
	return 0
}
