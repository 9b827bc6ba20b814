// Package wacloud is Lapak's WhatsApp channel over Meta's official WhatsApp Business Cloud API.
// It receives messages by webhook (a verification handshake on GET and signed notifications on
// POST), turns them into bot.Inbound messages, and sends bot.Reply through the Graph API: text,
// images, reply buttons for up to 3 options, a list for up to 10, and a numbered text menu beyond
// that, whose number or label typed back maps to the option.
//
// Reply buttons on the Cloud API cannot open URLs, so a reply's links are appended to its text.
// Free-form messages are only allowed within 24 hours of the user's last message; outside that
// customer-service window the adapter sends the configured approved template instead.
//
// Meta's references: webhooks https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint,
// messages https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages,
// limits https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput,
// errors https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes.
package wacloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/menus"
)

// Config configures an Adapter.
type Config struct {
	// APIURL is the Graph API base URL with its version. Default "https://graph.facebook.com/v21.0".
	APIURL string
	// Token is the access token of a system user with the whatsapp_business_messaging permission.
	// Required. It is sent only in the Authorization header and never appears in errors or logs.
	Token string
	// PhoneNumberID is the business phone number's ID (not the number itself). Required.
	// Notifications for other numbers of the same app are ignored.
	PhoneNumberID string
	// AppSecret is the Meta app's secret, which signs every webhook request. Required.
	AppSecret string
	// VerifyToken is the token typed into the App Dashboard with the callback URL, which Meta
	// sends back in the verification handshake. Required.
	VerifyToken string
	// Template is the name of the approved template sent outside the customer-service window. Its
	// body must have exactly one variable, {{1}}, which gets the reply's text. Default "order_update".
	Template string
	// TemplateLang is the template's language code. Default "id".
	TemplateLang string
	// ListButton labels the button that opens a list of options, at most 20 characters.
	// Default "Lihat pilihan".
	ListButton string
	// MenuHint ends a numbered text menu. Default "Balas dengan angka atau nama pilihan."
	MenuHint string
	// Menus remembers the options last offered in each chat. Default: in memory.
	Menus Menus
	// Window remembers when each user last wrote. Default: in memory.
	Window Window
	// Statuses records messages Meta reports as failed. Default: the last 256, logged as warnings.
	Statuses StatusRecorder
	// Clock tells the time, for the customer-service window. Default lapak.SystemClock.
	Clock lapak.Clock
	// HTTPClient calls the Graph API. Default: a client with a 30s timeout.
	HTTPClient *http.Client
	// Sleep waits before a later part of a reply is tried again after a rate limit.
	// Default bot.SleepContext.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger logs what the adapter cannot return as an error. Default slog.Default().
	Logger *slog.Logger
}

// Defaults of Config.
const (
	DefaultAPIURL       = "https://graph.facebook.com/v21.0"
	DefaultTemplate     = "order_update"
	DefaultTemplateLang = "id"
	DefaultListButton   = "Lihat pilihan"
	DefaultMenuHint     = "Balas dengan angka atau nama pilihan."
)

// Adapter is the WhatsApp Cloud API channel: a bot.Sender and the webhook's handlers.
type Adapter struct {
	cfg Config
}

var _ bot.Sender = (*Adapter)(nil)

// New checks cfg and returns an adapter with its defaults filled in. It does no I/O.
func New(cfg Config) (*Adapter, error) {
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.Template == "" {
		cfg.Template = DefaultTemplate
	}
	if cfg.TemplateLang == "" {
		cfg.TemplateLang = DefaultTemplateLang
	}
	if cfg.ListButton == "" {
		cfg.ListButton = DefaultListButton
	}
	if cfg.MenuHint == "" {
		cfg.MenuHint = DefaultMenuHint
	}
	if cfg.Clock == nil {
		cfg.Clock = lapak.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Menus == nil {
		cfg.Menus = menus.NewMemory(menuTTL, cfg.Clock)
	}
	if cfg.Window == nil {
		cfg.Window = NewMemoryWindow()
	}
	if cfg.Statuses == nil {
		cfg.Statuses = NewStatusLog(cfg.Logger, 256)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Sleep == nil {
		cfg.Sleep = bot.SleepContext
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Adapter{cfg: cfg}, nil
}

func (c Config) validate() error {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"token", c.Token}, {"phone number id", c.PhoneNumberID}, {"app secret", c.AppSecret}, {"verify token", c.VerifyToken},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("whatsapp cloud: %s required", strings.Join(missing, ", "))
	}
	if !digitsOnly(c.PhoneNumberID) {
		return fmt.Errorf("whatsapp cloud: phone number id %q must be digits", c.PhoneNumberID)
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("whatsapp cloud: api url %q must be an http(s) URL", c.APIURL)
	}
	if runes(c.ListButton) > maxListButton {
		return fmt.Errorf("whatsapp cloud: list button %q is longer than %d characters", c.ListButton, maxListButton)
	}
	return nil
}

// digitsOnly reports whether s is one or more ASCII digits.
func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// masked shows a WhatsApp number as logs may: +62*******890.
func masked(digits string) string { return lapak.Phone("+" + digits).Masked() }

// ErrNotWhatsApp is returned by Send for an address on another channel, or one that is not a
// WhatsApp number.
var ErrNotWhatsApp = errors.New("not a whatsapp chat")

// recipient returns the number a WhatsApp address sends to.
func recipient(to bot.Address) (string, error) {
	if to.Channel != lapak.WhatsApp || !digitsOnly(to.ChatID) {
		return "", fmt.Errorf("send to %s:%s: %w", to.Channel, masked(to.ChatID), ErrNotWhatsApp)
	}
	return to.ChatID, nil
}
