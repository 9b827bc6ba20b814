package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones work in minimal containers too

	"github.com/lapak-id/lapak"
)

// Config is everything Lapak reads from its environment, read in one place and validated at start.
// Each field names its variable and its default.
type Config struct {
	// DatabaseURL is the Postgres server (DATABASE_URL, default postgres://localhost:5432/lapak?sslmode=disable).
	// The database is created when it is missing and the server allows it.
	DatabaseURL string
	// RedisURL is the Redis server (REDIS_URL, default redis://localhost:6379/0).
	RedisURL string
	// RedisPrefix starts every Redis key, so apps can share a Redis (REDIS_PREFIX, default "lapak:").
	RedisPrefix string
	// HTTPAddr is where the HTTP server listens (HTTP_ADDR, default :8080).
	HTTPAddr string
	// PublicURL is the public base URL, for webhooks and links (PUBLIC_URL, default none).
	PublicURL string
	// WhatsAppNumber is the store's WhatsApp number, where order links open a chat
	// (WHATSAPP_NUMBER, such as 0812 3456 7890, default none: order links are not offered).
	WhatsAppNumber lapak.Phone
	// WhatsAppTransport is how customers reach the store on WhatsApp: cloud (Meta's official Cloud
	// API, by webhook at /webhooks/whatsapp), whatsmeow (a linked device) or none
	// (WHATSAPP_TRANSPORT, default none).
	WhatsAppTransport string
	// WhatsAppCloudAPIURL is the Graph API base URL with its version
	// (WHATSAPP_CLOUD_API_URL, default https://graph.facebook.com/v21.0).
	WhatsAppCloudAPIURL string
	// WhatsAppCloudToken is a system user's access token with the whatsapp_business_messaging
	// permission (WHATSAPP_CLOUD_TOKEN, required when WHATSAPP_TRANSPORT=cloud).
	WhatsAppCloudToken string
	// WhatsAppCloudPhoneNumberID is the ID of the business phone number in the WhatsApp Manager, not
	// the number itself (WHATSAPP_CLOUD_PHONE_NUMBER_ID, required when WHATSAPP_TRANSPORT=cloud).
	WhatsAppCloudPhoneNumberID string
	// WhatsAppCloudAppSecret is the Meta app's secret, which signs the webhook's requests
	// (WHATSAPP_CLOUD_APP_SECRET, required when WHATSAPP_TRANSPORT=cloud).
	WhatsAppCloudAppSecret string
	// WhatsAppCloudVerifyToken is the verify token typed into the App Dashboard with the callback
	// URL (WHATSAPP_CLOUD_VERIFY_TOKEN, required when WHATSAPP_TRANSPORT=cloud).
	WhatsAppCloudVerifyToken string
	// WhatsAppCloudTemplate is the approved template sent instead of a reply when the customer last
	// wrote more than 24 hours ago; its body has one variable, {{1}}, for the reply's text
	// (WHATSAPP_CLOUD_TEMPLATE, default order_update).
	WhatsAppCloudTemplate string
	// WhatsAppCloudTemplateLang is that template's language code (WHATSAPP_CLOUD_TEMPLATE_LANG, default id).
	WhatsAppCloudTemplateLang string
	// TelegramToken is the bot token from @BotFather (TELEGRAM_BOT_TOKEN, required by serve).
	TelegramToken string
	// TelegramEndpoint is the Bot API URL format, token then method
	// (TELEGRAM_API_ENDPOINT, default https://api.telegram.org/bot%s/%s).
	TelegramEndpoint string
	// TelegramWebhookSecret, with PublicURL, turns on webhook mode at POST /webhooks/telegram;
	// without both, Lapak long-polls (TELEGRAM_WEBHOOK_SECRET, default none).
	TelegramWebhookSecret string
	// TelegramMaxPerSecond is how many messages the bot sends per second across all chats; Telegram
	// allows about 30 (TELEGRAM_MAX_PER_SECOND, default 30). Each chat gets at most one a second.
	TelegramMaxPerSecond int
	// OwnerTelegramIDs are Telegram user IDs that are owners from the start (OWNER_TELEGRAM_IDS,
	// comma-separated, default none).
	OwnerTelegramIDs []string
	// Timezone is the owner's time zone for dates and report periods (LAPAK_TIMEZONE, default Asia/Jakarta).
	Timezone *time.Location
	// Language is the language of new users (LAPAK_LANGUAGE, id or en, default id).
	Language lapak.Lang
	// SessionTTL is how long an idle conversation is kept (SESSION_TTL, default 24h).
	SessionTTL time.Duration
	// ResellerBinding is how long a customer stays with the reseller whose code they came with
	// (RESELLER_BINDING, default 720h: 30 days).
	ResellerBinding time.Duration
	// ReservationTTL is how long an unpaid order holds its stock (RESERVATION_TTL, default 24h).
	ReservationTTL time.Duration
	// XenditAPIURL is Xendit's API root (XENDIT_API_URL, default https://api.xendit.co, for test
	// and live keys alike).
	XenditAPIURL string
	// XenditSecretKey is the secret API key from Xendit's dashboard (Settings > API keys), with
	// Money-in write permission (XENDIT_SECRET_KEY, default none). It turns payments on: every order
	// gets a Xendit payment link. Without it there are no payment links.
	XenditSecretKey string
	// XenditCallbackToken is the webhook verification token from Xendit's dashboard (Settings >
	// Webhooks), which Xendit sends with every callback (XENDIT_CALLBACK_TOKEN, required with
	// XENDIT_SECRET_KEY).
	XenditCallbackToken string
	// XenditPaymentMethods limits how invoices can be paid, in Xendit's codes such as BCA, BNI,
	// BRI, MANDIRI, PERMATA, QRIS, OVO, DANA, SHOPEEPAY, CREDIT_CARD (XENDIT_PAYMENT_METHODS,
	// comma-separated, default none: every method the Xendit account has).
	XenditPaymentMethods []string
	// EarningsHold is how long a completed order's commission stays pending before the reseller
	// can be paid it (EARNINGS_HOLD, default 168h: 7 days).
	EarningsHold time.Duration
	// AutoCompleteAfter is how long after shipping an order completes by itself
	// (AUTO_COMPLETE_AFTER, default 168h: 7 days).
	AutoCompleteAfter time.Duration
	// PayoutRunEvery is how often the payout schedule is checked for payouts due
	// (PAYOUT_RUN_EVERY, default 5m).
	PayoutRunEvery time.Duration
	// PayoutReconcileEvery is how often Xendit is asked about payouts without news
	// (PAYOUT_RECONCILE_EVERY, default 15m).
	PayoutReconcileEvery time.Duration
	// LogLevel is debug, info, warn or error (LOG_LEVEL, default info).
	LogLevel slog.Level
}

// configVars lists every variable with its default, for the README and `lapak help`.
var configVars = []struct{ name, def string }{
	{"DATABASE_URL", "postgres://localhost:5432/lapak?sslmode=disable"},
	{"REDIS_URL", "redis://localhost:6379/0"},
	{"REDIS_PREFIX", "lapak:"},
	{"HTTP_ADDR", ":8080"},
	{"PUBLIC_URL", ""},
	{"WHATSAPP_NUMBER", ""},
	{"WHATSAPP_TRANSPORT", "none"},
	{"WHATSAPP_CLOUD_API_URL", "https://graph.facebook.com/v21.0"},
	{"WHATSAPP_CLOUD_TOKEN", ""},
	{"WHATSAPP_CLOUD_PHONE_NUMBER_ID", ""},
	{"WHATSAPP_CLOUD_APP_SECRET", ""},
	{"WHATSAPP_CLOUD_VERIFY_TOKEN", ""},
	{"WHATSAPP_CLOUD_TEMPLATE", "order_update"},
	{"WHATSAPP_CLOUD_TEMPLATE_LANG", "id"},
	{"TELEGRAM_BOT_TOKEN", ""},
	{"TELEGRAM_API_ENDPOINT", "https://api.telegram.org/bot%s/%s"},
	{"TELEGRAM_WEBHOOK_SECRET", ""},
	{"TELEGRAM_MAX_PER_SECOND", "30"},
	{"OWNER_TELEGRAM_IDS", ""},
	{"LAPAK_TIMEZONE", "Asia/Jakarta"},
	{"LAPAK_LANGUAGE", "id"},
	{"SESSION_TTL", "24h"},
	{"RESELLER_BINDING", "720h"},
	{"RESERVATION_TTL", "24h"},
	{"XENDIT_API_URL", "https://api.xendit.co"},
	{"XENDIT_SECRET_KEY", ""},
	{"XENDIT_CALLBACK_TOKEN", ""},
	{"XENDIT_PAYMENT_METHODS", ""},
	{"EARNINGS_HOLD", "168h"},
	{"AUTO_COMPLETE_AFTER", "168h"},
	{"PAYOUT_RUN_EVERY", "5m"},
	{"PAYOUT_RECONCILE_EVERY", "15m"},
	{"LOG_LEVEL", "info"},
}

var webhookSecretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// loadConfig reads and validates the environment. Errors name the variable.
func loadConfig(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range configVars {
			if v.name == name {
				return v.def
			}
		}
		return ""
	}
	c := Config{
		DatabaseURL:           get("DATABASE_URL"),
		RedisURL:              get("REDIS_URL"),
		RedisPrefix:           get("REDIS_PREFIX"),
		HTTPAddr:              get("HTTP_ADDR"),
		PublicURL:             strings.TrimRight(get("PUBLIC_URL"), "/"),
		TelegramToken:         get("TELEGRAM_BOT_TOKEN"),
		TelegramEndpoint:      get("TELEGRAM_API_ENDPOINT"),
		TelegramWebhookSecret: get("TELEGRAM_WEBHOOK_SECRET"),
	}
	var err error
	if n := get("WHATSAPP_NUMBER"); n != "" {
		p, ok := lapak.ParsePhone(n)
		if !ok {
			return c, fmt.Errorf("WHATSAPP_NUMBER must be an Indonesian mobile number such as 0812 3456 7890, got %q", n)
		}
		c.WhatsAppNumber = p
	}
	if c.TelegramMaxPerSecond, err = strconv.Atoi(get("TELEGRAM_MAX_PER_SECOND")); err != nil || c.TelegramMaxPerSecond < 1 {
		return c, fmt.Errorf("TELEGRAM_MAX_PER_SECOND must be a whole number of at least 1, got %q", get("TELEGRAM_MAX_PER_SECOND"))
	}
	for _, id := range strings.Split(get("OWNER_TELEGRAM_IDS"), ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if n, err := strconv.ParseInt(id, 10, 64); err != nil || n <= 0 {
			return c, fmt.Errorf("OWNER_TELEGRAM_IDS must be comma-separated Telegram user IDs, got %q", id)
		}
		c.OwnerTelegramIDs = append(c.OwnerTelegramIDs, id)
	}
	if c.Timezone, err = time.LoadLocation(get("LAPAK_TIMEZONE")); err != nil {
		return c, fmt.Errorf("LAPAK_TIMEZONE must be a time zone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura: %w", err)
	}
	lang, ok := lapak.ParseLang(get("LAPAK_LANGUAGE"))
	if !ok {
		return c, fmt.Errorf("LAPAK_LANGUAGE must be id or en, got %q", get("LAPAK_LANGUAGE"))
	}
	c.Language = lang
	if c.SessionTTL, err = time.ParseDuration(get("SESSION_TTL")); err != nil || c.SessionTTL < time.Minute {
		return c, fmt.Errorf("SESSION_TTL must be a duration of at least 1m, such as 24h, got %q", get("SESSION_TTL"))
	}
	if c.ResellerBinding, err = time.ParseDuration(get("RESELLER_BINDING")); err != nil || c.ResellerBinding < time.Hour {
		return c, fmt.Errorf("RESELLER_BINDING must be a duration of at least 1h, such as 720h, got %q", get("RESELLER_BINDING"))
	}
	if c.ReservationTTL, err = time.ParseDuration(get("RESERVATION_TTL")); err != nil || c.ReservationTTL < 10*time.Minute {
		return c, fmt.Errorf("RESERVATION_TTL must be a duration of at least 10m, such as 24h, got %q", get("RESERVATION_TTL"))
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", get("LOG_LEVEL"))
	}
	if err := c.loadWhatsApp(get); err != nil {
		return c, err
	}
	if err := c.loadXendit(get); err != nil {
		return c, err
	}
	if err := c.loadMoneyTimes(get); err != nil {
		return c, err
	}
	return c, c.validateURLs()
}

// paymentMethodRE is one of Xendit's payment method codes, such as BCA or CREDIT_CARD.
var paymentMethodRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,39}$`)

// loadXendit reads and checks Xendit's variables: with a secret key, payments are on and the
// callback token is required.
func (c *Config) loadXendit(get func(string) string) error {
	c.XenditAPIURL = strings.TrimRight(get("XENDIT_API_URL"), "/")
	c.XenditSecretKey = get("XENDIT_SECRET_KEY")
	c.XenditCallbackToken = get("XENDIT_CALLBACK_TOKEN")
	for _, m := range strings.Split(get("XENDIT_PAYMENT_METHODS"), ",") {
		if m = strings.ToUpper(strings.TrimSpace(m)); m == "" {
			continue
		}
		if !paymentMethodRE.MatchString(m) {
			return fmt.Errorf("XENDIT_PAYMENT_METHODS must be comma-separated Xendit payment method codes such as BCA,QRIS,OVO,CREDIT_CARD, got %q", m)
		}
		c.XenditPaymentMethods = append(c.XenditPaymentMethods, m)
	}
	if u, err := url.Parse(c.XenditAPIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("XENDIT_API_URL must be an http(s) URL such as https://api.xendit.co, got %q", c.XenditAPIURL)
	}
	if c.XenditSecretKey != "" && c.XenditCallbackToken == "" {
		return fmt.Errorf("XENDIT_CALLBACK_TOKEN is required with XENDIT_SECRET_KEY: copy the webhook verification token from Xendit's dashboard (Settings > Webhooks)")
	}
	if c.XenditSecretKey == "" && c.XenditCallbackToken != "" {
		return fmt.Errorf("XENDIT_SECRET_KEY is required with XENDIT_CALLBACK_TOKEN: copy a secret API key from Xendit's dashboard (Settings > API keys)")
	}
	return nil
}

// payments reports whether orders get Xendit payment links.
func (c Config) payments() bool { return c.XenditSecretKey != "" }

var (
	templateNameRE = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
	templateLangRE = regexp.MustCompile(`^[a-z]{2,3}(_[A-Z]{2})?$`)
)

// loadWhatsApp reads and checks the WhatsApp transport's variables.
func (c *Config) loadWhatsApp(get func(string) string) error {
	c.WhatsAppTransport = strings.ToLower(get("WHATSAPP_TRANSPORT"))
	c.WhatsAppCloudAPIURL = strings.TrimRight(get("WHATSAPP_CLOUD_API_URL"), "/")
	c.WhatsAppCloudToken = get("WHATSAPP_CLOUD_TOKEN")
	c.WhatsAppCloudPhoneNumberID = get("WHATSAPP_CLOUD_PHONE_NUMBER_ID")
	c.WhatsAppCloudAppSecret = get("WHATSAPP_CLOUD_APP_SECRET")
	c.WhatsAppCloudVerifyToken = get("WHATSAPP_CLOUD_VERIFY_TOKEN")
	c.WhatsAppCloudTemplate = get("WHATSAPP_CLOUD_TEMPLATE")
	c.WhatsAppCloudTemplateLang = get("WHATSAPP_CLOUD_TEMPLATE_LANG")
	switch c.WhatsAppTransport {
	case "none", "whatsmeow":
		return nil
	case "cloud":
	default:
		return fmt.Errorf("WHATSAPP_TRANSPORT must be whatsmeow, cloud or none, got %q", get("WHATSAPP_TRANSPORT"))
	}
	var missing []string
	for _, v := range []struct{ name, value string }{
		{"WHATSAPP_CLOUD_TOKEN", c.WhatsAppCloudToken},
		{"WHATSAPP_CLOUD_PHONE_NUMBER_ID", c.WhatsAppCloudPhoneNumberID},
		{"WHATSAPP_CLOUD_APP_SECRET", c.WhatsAppCloudAppSecret},
		{"WHATSAPP_CLOUD_VERIFY_TOKEN", c.WhatsAppCloudVerifyToken},
	} {
		if v.value == "" {
			missing = append(missing, v.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s required when WHATSAPP_TRANSPORT=cloud: find them in the Meta app's dashboard (WhatsApp > API Setup, App settings > Basic)", strings.Join(missing, ", "))
	}
	if u, err := url.Parse(c.WhatsAppCloudAPIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("WHATSAPP_CLOUD_API_URL must be an http(s) URL such as https://graph.facebook.com/v21.0, got %q", c.WhatsAppCloudAPIURL)
	}
	if strings.Trim(c.WhatsAppCloudPhoneNumberID, "0123456789") != "" {
		return fmt.Errorf("WHATSAPP_CLOUD_PHONE_NUMBER_ID must be the phone number's ID from WhatsApp > API Setup (digits), not the number, got %q", c.WhatsAppCloudPhoneNumberID)
	}
	if !templateNameRE.MatchString(c.WhatsAppCloudTemplate) {
		return fmt.Errorf("WHATSAPP_CLOUD_TEMPLATE must be a template name of lower-case letters, digits and _, got %q", c.WhatsAppCloudTemplate)
	}
	if !templateLangRE.MatchString(c.WhatsAppCloudTemplateLang) {
		return fmt.Errorf("WHATSAPP_CLOUD_TEMPLATE_LANG must be a language code such as id or en_US, got %q", c.WhatsAppCloudTemplateLang)
	}
	return nil
}

func (c Config) validateURLs() error {
	for _, v := range []struct{ name, value string }{{"DATABASE_URL", c.DatabaseURL}, {"REDIS_URL", c.RedisURL}} {
		if u, err := url.Parse(v.value); err != nil || u.Scheme == "" {
			return fmt.Errorf("%s must be a URL, got %q", v.name, v.value)
		}
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("PUBLIC_URL must be an http(s) URL such as https://lapak.example.com, got %q", c.PublicURL)
		}
	}
	if strings.Count(c.TelegramEndpoint, "%s") != 2 {
		return fmt.Errorf("TELEGRAM_API_ENDPOINT must hold two %%s, for the token and the method, got %q", c.TelegramEndpoint)
	}
	if c.TelegramWebhookSecret != "" && !webhookSecretRE.MatchString(c.TelegramWebhookSecret) {
		return fmt.Errorf("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
	}
	return nil
}

// webhookMode reports whether Telegram should call us rather than be polled.
func (c Config) webhookMode() bool { return c.PublicURL != "" && c.TelegramWebhookSecret != "" }

// loadMoneyTimes reads how long commission is held and how often payouts are looked at.
func (c *Config) loadMoneyTimes(get func(string) string) error {
	for _, d := range []struct {
		name string
		dst  *time.Duration
		min  time.Duration
	}{
		{"EARNINGS_HOLD", &c.EarningsHold, time.Minute},
		{"AUTO_COMPLETE_AFTER", &c.AutoCompleteAfter, time.Minute},
		{"PAYOUT_RUN_EVERY", &c.PayoutRunEvery, time.Minute},
		{"PAYOUT_RECONCILE_EVERY", &c.PayoutReconcileEvery, time.Minute},
	} {
		v, err := time.ParseDuration(get(d.name))
		if err != nil || v < d.min {
			return fmt.Errorf("%s must be a duration of at least %s, such as 168h, got %q", d.name, d.min, get(d.name))
		}
		*d.dst = v
	}
	return nil
}
