// Package telegram is Lapak's Telegram channel. It turns Bot API updates into bot.Inbound
// messages, renders bot.Reply as HTML messages with inline keyboards, answers inline queries with
// bot.Card results, and receives updates by long polling or by webhook.
//
// It is built on go-telegram-bot-api v5.5.1 and fills that library's gaps: the webhook secret
// token, offsets confirmed only after updates were handled, typed 429 errors, callback answers
// through Request, and the bot token redacted from every error.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/metrics"
)

// Config configures an Adapter.
type Config struct {
	// Token is the bot token from @BotFather. Required.
	Token string
	// Endpoint is the Bot API URL as a Sprintf format taking the token, then the method.
	// Default tgbotapi.APIEndpoint, "https://api.telegram.org/bot%s/%s".
	Endpoint string
	// FileEndpoint is the file download URL as a Sprintf format taking the token, then the file
	// path. Default: Endpoint with "/bot%s/%s" replaced by "/file/bot%s/%s".
	FileEndpoint string
	// WebhookURL is the public HTTPS URL Telegram posts updates to. Default empty: long polling.
	WebhookURL string
	// WebhookSecret is the secret Telegram sends with every webhook request, 1 to 256 characters
	// of A-Z, a-z, 0-9, _ and -. Required when WebhookURL is set.
	WebhookSecret string
	// HTTPClient makes the API calls. Default: a client whose timeout is PollTimeout + 15s. A
	// custom client's timeout must also be longer than PollTimeout.
	HTTPClient *http.Client
	// PollTimeout is how long one getUpdates call waits for updates, in whole seconds. Default 30s.
	PollTimeout time.Duration
	// Logger logs what the adapter cannot return as an error. Default slog.Default().
	Logger *slog.Logger
	// Metrics counts 429 answers to getUpdates and answerCallbackQuery; those to Send are counted
	// by bot.PacedSender. Default nil: nothing is recorded.
	Metrics *metrics.Metrics
	// Sleep waits before getUpdates is tried again after an error. Default bot.SleepContext.
	Sleep func(ctx context.Context, d time.Duration) error
	// Inline finds the cards for inline queries ("@bot kaos" typed in any chat). Default nil:
	// inline queries are answered with no results.
	Inline bot.InlineAnswerer
}

// allowedUpdates are the update types Lapak asks Telegram for.
var allowedUpdates = []string{"message", "callback_query", "inline_query"}

// Adapter is the Telegram channel: a bot.Sender, an update poller and a webhook handler.
type Adapter struct {
	cfg Config
	api atomic.Pointer[tgbotapi.BotAPI] // set by Start
}

var _ bot.Sender = (*Adapter)(nil)

// New returns an adapter for cfg with its defaults filled in. It does no I/O; call Start.
func New(cfg Config) *Adapter {
	if cfg.Endpoint == "" {
		cfg.Endpoint = tgbotapi.APIEndpoint
	}
	if cfg.FileEndpoint == "" && strings.HasSuffix(cfg.Endpoint, "/bot%s/%s") {
		cfg.FileEndpoint = strings.TrimSuffix(cfg.Endpoint, "/bot%s/%s") + "/file/bot%s/%s"
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 30 * time.Second
	}
	if cfg.HTTPClient == nil {
		// Keep as many idle connections to the Bot API as the dispatcher has workers, so replies
		// reuse connections instead of opening (and in production, TLS-handshaking) new ones.
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.MaxIdleConns, transport.MaxIdleConnsPerHost = 128, 64
		cfg.HTTPClient = &http.Client{Timeout: cfg.PollTimeout + 15*time.Second, Transport: transport}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Sleep == nil {
		cfg.Sleep = bot.SleepContext
	}
	return &Adapter{cfg: cfg}
}

// Start checks the token with getMe, then registers the webhook with its secret token when
// WebhookURL is set, or deletes any webhook so that Poll can fetch updates.
func (a *Adapter) Start(ctx context.Context) error {
	if err := a.validate(); err != nil {
		return err
	}
	api, err := tgbotapi.NewBotAPIWithClient(a.cfg.Token, a.cfg.Endpoint, ctxClient{ctx, a.cfg.HTTPClient})
	if err != nil {
		return a.apiError("check bot token with getMe", err)
	}
	api.Client = a.cfg.HTTPClient
	a.api.Store(api)
	if a.cfg.WebhookURL != "" {
		return a.setWebhook(ctx)
	}
	return a.deleteWebhook(ctx)
}

var secretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (a *Adapter) validate() error {
	if a.cfg.Token == "" {
		return errors.New("telegram bot token is empty")
	}
	if strings.Count(a.cfg.Endpoint, "%s") != 2 {
		return fmt.Errorf("telegram endpoint %q must hold two %%s, for the token and the method", a.cfg.Endpoint)
	}
	if a.cfg.WebhookURL != "" && !secretToken.MatchString(a.cfg.WebhookSecret) {
		return errors.New("telegram webhook secret must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
	}
	return nil
}

// setWebhook registers the webhook through a raw request: v5.5.1's WebhookConfig has no
// secret_token (https://core.telegram.org/bots/api#setwebhook).
func (a *Adapter) setWebhook(ctx context.Context) error {
	params := tgbotapi.Params{"url": a.cfg.WebhookURL, "secret_token": a.cfg.WebhookSecret}
	if err := params.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return fmt.Errorf("encode allowed updates: %w", err)
	}
	api, err := a.client(ctx)
	if err != nil {
		return err
	}
	_, err = api.MakeRequest("setWebhook", params)
	return a.apiError("set webhook", err)
}

func (a *Adapter) deleteWebhook(ctx context.Context) error {
	api, err := a.client(ctx)
	if err != nil {
		return err
	}
	_, err = api.Request(tgbotapi.DeleteWebhookConfig{})
	return a.apiError("delete webhook", err)
}

// Username returns the bot's username as getMe told it, without the @; empty before Start.
func (a *Adapter) Username() string {
	if api := a.api.Load(); api != nil {
		return api.Self.UserName
	}
	return ""
}

var deepLinkPayload = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// DeepLink returns the t.me link that opens the bot and sends it "/start payload"
// (https://core.telegram.org/bots/features#deep-linking). payload is 1 to 64 characters of
// A-Z, a-z, 0-9, _ and -.
func (a *Adapter) DeepLink(payload string) (string, error) {
	name := a.Username()
	if name == "" {
		return "", errors.New("deep link: bot username unknown before Start")
	}
	if !deepLinkPayload.MatchString(payload) {
		return "", fmt.Errorf("deep link payload %q: want 1 to 64 of A-Z, a-z, 0-9, _ and -", payload)
	}
	return "https://t.me/" + name + "?start=" + payload, nil
}

// ErrNotStarted is returned by calls made before Start succeeded.
var ErrNotStarted = errors.New("telegram adapter not started")

// client returns the bot API bound to ctx: the library takes no context, so each call gets a copy
// whose HTTP client attaches ctx to its requests.
func (a *Adapter) client(ctx context.Context) (*tgbotapi.BotAPI, error) {
	api := a.api.Load()
	if api == nil {
		return nil, ErrNotStarted
	}
	c := *api
	c.Client = ctxClient{ctx, a.cfg.HTTPClient}
	return &c, nil
}

// ctxClient sends every request with its context.
type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (c ctxClient) Do(r *http.Request) (*http.Response, error) {
	return c.c.Do(r.WithContext(c.ctx))
}
