// Package xendit is Lapak's small typed client for Xendit: payment links through the Invoice API
// v2, commission transfers through the Payouts API v2, and the parsing and verification of their
// callbacks. Amounts are whole rupiah (lapak.Money); IDR has no minor unit at Xendit.
//
// It follows Xendit's API reference (https://docs.xendit.co/apidocs): create-invoice and the
// invoice callback, create-payout, get-all-payouts, get-payout-channels, payout-webhook-notification,
// webhook-behavior and rate-limits. Package xendittest is a fake Xendit server for tests.
//
// Retries: reads, invoice expiry and payout creation (which carries an Idempotency-key) are retried
// on 429, 5xx and network errors. Invoice creation is never retried, because Xendit does not
// deduplicate invoices; see [Client.CreateInvoice].
package xendit

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// DefaultBaseURL is Xendit's API root, for test and live keys alike.
const DefaultBaseURL = "https://api.xendit.co"

// Config configures a Client. The zero value of every field but SecretKey has a usable default.
type Config struct {
	// BaseURL is the API root without a trailing slash. Default DefaultBaseURL; tests point it
	// at a xendittest server.
	BaseURL string

	// SecretKey is the secret API key (xnd_development_… or xnd_production_…), sent as the Basic
	// auth username with an empty password. Required. It never appears in an error or a log.
	SecretKey string

	// HTTPClient sends the requests. Default: a client with a 30 s timeout.
	HTTPClient *http.Client

	// Retries is how many times an idempotent call is retried after a 429, a 5xx or a network
	// error, so a call makes at most Retries+1 attempts. Default 3; a negative value disables
	// retries.
	Retries int

	// Backoff is the wait before the first retry; each further retry waits twice as long, up
	// to 30 s. A 429 that carries Rate-Limit-Reset waits that long instead. Default 500 ms.
	Backoff time.Duration

	// Sleep waits d between retries, returning ctx's error early if ctx ends first. Default: a
	// timer. Tests inject one that records d and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error

	// Logger gets one warning per retry. Default: discards everything.
	Logger *slog.Logger
}

const (
	defaultTimeout = 30 * time.Second
	defaultRetries = 3
	defaultBackoff = 500 * time.Millisecond
	maxBackoff     = 30 * time.Second
)

// String describes the configuration without the secret key, so a Config can be printed.
func (c Config) String() string {
	return fmt.Sprintf("xendit.Config{BaseURL: %q, SecretKey: %s, Retries: %d, Backoff: %s}",
		c.BaseURL, maskKey(c.SecretKey), c.Retries, c.Backoff)
}

// GoString is String, so %#v hides the key too.
func (c Config) GoString() string { return c.String() }

// LogValue logs the configuration without the secret key.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.String("secret_key", maskKey(c.SecretKey)),
		slog.Int("retries", c.Retries),
		slog.Duration("backoff", c.Backoff),
	)
}

// maskKey keeps the key's mode prefix, which is not secret, and hides the rest.
func maskKey(key string) string {
	switch {
	case key == "":
		return "(unset)"
	case strings.HasPrefix(key, "xnd_development_"):
		return "xnd_development_…"
	case strings.HasPrefix(key, "xnd_production_"):
		return "xnd_production_…"
	}
	return "(set)"
}

// withDefaults fills in every unset field.
func (c Config) withDefaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: defaultTimeout}
	}
	if c.Retries == 0 {
		c.Retries = defaultRetries
	}
	if c.Backoff <= 0 {
		c.Backoff = defaultBackoff
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Client calls Xendit. It is safe for concurrent use.
type Client struct {
	cfg Config
}

// New returns a Client for cfg with defaults filled in. It does no I/O.
func New(cfg Config) *Client {
	return &Client{cfg: cfg.withDefaults()}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
