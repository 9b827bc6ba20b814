package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/menus"
	"github.com/lapak-id/lapak/bot/telegram"
	"github.com/lapak-id/lapak/bot/wacloud"
)

// shutdownGrace is how long a stopping instance has to finish the updates and jobs in flight.
const shutdownGrace = 20 * time.Second

// serve runs Lapak in production: Telegram by webhook or long polling, the HTTP server and the
// job queue, until ctx ends; then it finishes what is in flight.
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	if cfg.TelegramToken == "" {
		return errors.New("TELEGRAM_BOT_TOKEN is required: create a bot with @BotFather and set its token")
	}
	a, err := openApp(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	cloud, err := whatsAppCloud(cfg, a, log)
	if err != nil {
		a.close()
		return err
	}
	linked, err := openWhatsmeow(ctx, a) // nil unless WHATSAPP_TRANSPORT=whatsmeow
	if err != nil {
		a.close()
		return err
	}
	tg := telegram.New(telegram.Config{
		Token:         cfg.TelegramToken,
		Endpoint:      cfg.TelegramEndpoint,
		WebhookURL:    webhookURL(cfg),
		WebhookSecret: cfg.TelegramWebhookSecret,
		Logger:        log.With("channel", "telegram"),
		Metrics:       a.metrics,
		Inline:        a.inlineAnswerer(),
	})
	if err := tg.Start(ctx); err != nil {
		a.close()
		return err
	}
	senders := map[lapak.Channel]bot.Sender{lapak.Telegram: a.paced(lapak.Telegram, tg, cfg.TelegramMaxPerSecond)}
	if cloud != nil {
		senders[lapak.WhatsApp] = a.paced(lapak.WhatsApp, cloud, whatsAppCloudPerSecond)
	}
	linked.addSender(senders)
	a.files, a.botUsername = telegramFiles{tg}, tg.Username
	inviteLink := func(token string) string { link, _ := tg.DeepLink("own_" + token); return link }
	if err := a.start(ctx, senders, inviteLink); err != nil {
		a.stop(context.Background())
		return err
	}
	if err := linked.start(ctx, a); err != nil {
		linked.stop()
		a.stop(context.Background())
		return err
	}
	mux := a.routes()
	if cfg.webhookMode() {
		mux.Handle("POST /webhooks/telegram", tg.WebhookHandler(a.dispatcher))
	}
	if cloud != nil {
		mux.Handle("GET /webhooks/whatsapp", cloud.VerifyHandler())
		mux.Handle("POST /webhooks/whatsapp", cloud.WebhookHandler(a.dispatcher))
	}
	errc := make(chan error, 2)
	srv, err := listen(ctx, cfg.HTTPAddr, mux, errc)
	if err != nil {
		linked.stop()
		a.stop(context.Background())
		return err
	}
	log.Info("lapak is serving", "addr", srv.Addr, "telegram", tg.Username(), "webhook", cfg.webhookMode(), "payments", cfg.payments())
	if cfg.payments() {
		log.Info("payments are on; set this invoice callback URL in Xendit's dashboard", "url", cfg.PublicURL+invoiceWebhookPath)
	}
	if !cfg.webhookMode() {
		go func() { errc <- tg.Poll(ctx, a.dispatcher) }()
	}
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	log.Info("lapak is stopping; finishing updates in flight")
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if serr := srv.Shutdown(stopCtx); serr != nil {
		log.Warn("stop http server", "err", serr)
	}
	linked.stop()
	a.stop(stopCtx)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// inlineAnswerer answers inline queries with the engine's cards. The engine is built by start,
// after the adapter; updates are received only once start has returned.
func (a *app) inlineAnswerer() bot.InlineAnswerer {
	return bot.InlineAnswererFunc(func(ctx context.Context, q bot.InlineQuery) ([]bot.Card, error) {
		return a.engine.InlineResults(ctx, q)
	})
}

func webhookURL(cfg Config) string {
	if !cfg.webhookMode() {
		return ""
	}
	return cfg.PublicURL + "/webhooks/telegram"
}

// listen starts the HTTP server on addr; its result goes to errc when it stops on its own.
func listen(ctx context.Context, addr string, h http.Handler, errc chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on HTTP_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{
		Addr:              ln.Addr().String(),
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	return srv, nil
}

// telegramFiles fetches the files users send on Telegram, refusing what is too big to take.
type telegramFiles struct{ tg *telegram.Adapter }

func (f telegramFiles) Fetch(ctx context.Context, _ bot.Address, m bot.Media) ([]byte, error) {
	if m.Size > maxUpload {
		return nil, lapak.Errorf(lapak.KindInvalid, "photo.too_large", maxUpload>>20)
	}
	return f.tg.Download(ctx, m.FileID)
}

// maxUpload is the largest file Lapak fetches from a chat.
const maxUpload = 10 << 20

// whatsAppCloudPerSecond is the Cloud API's default throughput of a business number
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput).
const whatsAppCloudPerSecond = 80

// whatsAppCloud builds the WhatsApp Cloud API channel when WHATSAPP_TRANSPORT=cloud, with its
// menus and customer-service windows in Redis; nil for the other transports (the linked-device
// channel is built by openWhatsmeow).
func whatsAppCloud(cfg Config, a *app, log *slog.Logger) (*wacloud.Adapter, error) {
	if cfg.WhatsAppTransport != "cloud" {
		return nil, nil
	}
	adapter, err := wacloud.New(wacloud.Config{
		APIURL:        cfg.WhatsAppCloudAPIURL,
		Token:         cfg.WhatsAppCloudToken,
		PhoneNumberID: cfg.WhatsAppCloudPhoneNumberID,
		AppSecret:     cfg.WhatsAppCloudAppSecret,
		VerifyToken:   cfg.WhatsAppCloudVerifyToken,
		Template:      cfg.WhatsAppCloudTemplate,
		TemplateLang:  cfg.WhatsAppCloudTemplateLang,
		Menus:         menus.NewRedis(a.rdb, cfg.RedisPrefix+"wacloud:", 24*time.Hour),
		Window:        wacloud.NewRedisWindow(a.rdb, cfg.RedisPrefix, a.clock),
		Clock:         a.clock,
		Logger:        log.With("channel", "whatsapp"),
	})
	if err != nil {
		return nil, fmt.Errorf("WHATSAPP_TRANSPORT=cloud: %w", err)
	}
	return adapter, nil
}
