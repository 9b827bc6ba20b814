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
	{"TELEGRAM_BOT_TOKEN", ""},
	{"TELEGRAM_API_ENDPOINT", "https://api.telegram.org/bot%s/%s"},
	{"TELEGRAM_WEBHOOK_SECRET", ""},
	{"TELEGRAM_MAX_PER_SECOND", "30"},
	{"OWNER_TELEGRAM_IDS", ""},
	{"LAPAK_TIMEZONE", "Asia/Jakarta"},
	{"LAPAK_LANGUAGE", "id"},
	{"SESSION_TTL", "24h"},
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
	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", get("LOG_LEVEL"))
	}
	return c, c.validateURLs()
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
