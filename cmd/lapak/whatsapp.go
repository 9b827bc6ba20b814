package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mdp/qrterminal/v3"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/menus"
	"github.com/lapak-id/lapak/bot/whatsapp"
	"github.com/lapak-id/lapak/i18n"
	"github.com/lapak-id/lapak/storage"
)

const whatsappUsage = "usage: lapak whatsapp link [--phone 0812…] | lapak whatsapp status"

// linkTimeout bounds `lapak whatsapp link`; WhatsApp itself stops offering codes after about
// 160 seconds.
const linkTimeout = 4 * time.Minute

// whatsappOptions are the arguments of `lapak whatsapp`.
type whatsappOptions struct {
	cmd   string      // link or status
	phone lapak.Phone // link --phone: pair by a code typed on this number's phone, not a QR code
}

// parseWhatsAppArgs reads `lapak whatsapp link [--phone NUMBER]` and `lapak whatsapp status`.
func parseWhatsAppArgs(args []string) (whatsappOptions, error) {
	if len(args) == 0 || args[0] != "link" && args[0] != "status" {
		return whatsappOptions{}, errors.New(whatsappUsage)
	}
	o := whatsappOptions{cmd: args[0]}
	fs := flag.NewFlagSet("whatsapp "+o.cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var phone string
	if o.cmd == "link" {
		fs.StringVar(&phone, "phone", "", "the store's WhatsApp number, to pair by code instead of QR")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return o, fmt.Errorf("whatsapp %s: %w (%s)", o.cmd, err, whatsappUsage)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("whatsapp %s: unexpected argument %q (%s)", o.cmd, fs.Arg(0), whatsappUsage)
	}
	if phone != "" {
		p, ok := lapak.ParsePhone(phone)
		if !ok {
			return o, fmt.Errorf("whatsapp link: --phone must be the store's Indonesian mobile number, such as 0812 3456 7890 or +62 812 3456 7890, got %q", phone)
		}
		o.phone = p
	}
	return o, nil
}

// whatsappCmd runs `lapak whatsapp link` and `lapak whatsapp status` on the device store in
// DATABASE_URL.
func whatsappCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	opts, err := parseWhatsAppArgs(args)
	if err != nil {
		return err
	}
	pool, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	// whatsmeow's progress notes would bury the QR code and the instructions: warnings only.
	quiet := newLogger(stdout, max(cfg.LogLevel, slog.LevelWarn)).With("channel", "whatsapp")
	store, err := whatsapp.OpenStore(ctx, db, quiet)
	if err != nil {
		return err
	}
	if opts.cmd == "link" {
		return linkWhatsApp(ctx, store, opts.phone, stdout)
	}
	return whatsappStatus(ctx, store, pool, stdout)
}

// say prints a message in Indonesian, then in English.
func say(w io.Writer, key string, args ...any) {
	fmt.Fprintln(w, i18n.T(lapak.Indonesian, key, args...))
	fmt.Fprintln(w, i18n.T(lapak.English, key, args...))
}

// linkWhatsApp pairs the store's number: by QR code in the terminal, or by a code typed on the
// phone of the number given.
func linkWhatsApp(ctx context.Context, store *whatsapp.Store, phone lapak.Phone, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, linkTimeout)
	defer cancel()
	dev, err := store.Link(ctx, phone.Digits(), whatsapp.LinkEvents{
		QR: func(code string, timeout time.Duration) { showQR(stdout, code, timeout) },
		PairingCode: func(code string) {
			say(stdout, "whatsapp.link.code", phone, code)
			say(stdout, "whatsapp.link.wait")
		},
	})
	switch {
	case errors.Is(err, whatsapp.ErrAlreadyPaired):
		say(stdout, "whatsapp.link.already", dev.JID)
		return err
	case errors.Is(err, whatsapp.ErrLinkTimeout), errors.Is(err, context.DeadlineExceeded):
		say(stdout, "whatsapp.link.timeout")
		return whatsapp.ErrLinkTimeout
	case errors.Is(err, whatsapp.ErrOutdated):
		say(stdout, "whatsapp.link.outdated")
		return err
	case err != nil:
		return err
	}
	say(stdout, "whatsapp.link.done", dev.JID)
	return nil
}

// showQR draws a pairing code as a QR code in the terminal, with how to scan it.
func showQR(w io.Writer, code string, timeout time.Duration) {
	fmt.Fprintln(w)
	qrterminal.GenerateHalfBlock(code, qrterminal.L, w)
	say(w, "whatsapp.link.qr", int(timeout.Seconds()))
}

// whatsappStatus prints the paired device and whether a running Lapak holds the connection.
func whatsappStatus(ctx context.Context, store *whatsapp.Store, pool *pgxpool.Pool, stdout io.Writer) error {
	dev, err := store.Device(ctx)
	switch {
	case errors.Is(err, whatsapp.ErrNotPaired):
		say(stdout, "whatsapp.status.not_paired")
	case err != nil:
		return err
	default:
		say(stdout, "whatsapp.status.paired", dev.JID)
		for _, f := range []struct{ key, value string }{
			{"whatsapp.status.name", strings.TrimSpace(dev.PushName + " " + dev.BusinessName)},
			{"whatsapp.status.lid", dev.LID},
			{"whatsapp.status.platform", dev.Platform},
		} {
			if f.value != "" {
				fmt.Fprintf(stdout, "  %s / %s: %s\n", i18n.T(lapak.Indonesian, f.key), i18n.T(lapak.English, f.key), f.value)
			}
		}
	}
	lock := whatsapp.NewLock(pool.Config().ConnConfig, whatsapp.LockKey)
	free, err := lock.TryAcquire(ctx)
	if err != nil {
		return err
	}
	if err := lock.Release(ctx); err != nil {
		return err
	}
	if free {
		say(stdout, "whatsapp.status.free")
	} else {
		say(stdout, "whatsapp.status.connected")
	}
	return nil
}

// whatsmeowChannel is WhatsApp through a linked device, as serve wires it: opened before the app
// starts, so that its sender is among the app's senders, and started once the app's dispatcher
// exists.
type whatsmeowChannel struct {
	adapter *whatsapp.Adapter
	sender  bot.Sender // the adapter, paced
	db      *sql.DB
	log     *slog.Logger
}

// Pacing of the linked device, kept low because WhatsApp bans numbers that message like bots: one
// message every 2 seconds per chat with bursts of 3 (a reply is often a card and a menu), and one
// a second across all chats with bursts of 5.
var (
	whatsmeowPerChat = bot.Rate{Every: 2 * time.Second, Burst: 3}
	whatsmeowGlobal  = bot.Rate{Every: time.Second, Burst: 5}
)

// openWhatsmeow opens the device store in Lapak's database (creating or upgrading whatsmeow's
// tables) and builds the channel, paced, with its ban-risk state in Redis. It does not connect.
// Unless WHATSAPP_TRANSPORT is whatsmeow it returns nil, whose methods do nothing.
func openWhatsmeow(ctx context.Context, a *app) (*whatsmeowChannel, error) {
	if a.cfg.WhatsAppTransport != "whatsmeow" {
		return nil, nil
	}
	log := a.log.With("channel", "whatsapp")
	lockCfg, err := pgx.ParseConfig(a.cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	db := stdlib.OpenDBFromPool(a.pool)
	store, err := whatsapp.OpenStore(ctx, db, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	adapter := whatsapp.New(whatsapp.Config{
		Store:  store,
		Lock:   whatsapp.NewLock(lockCfg, whatsapp.LockKey),
		Seen:   whatsapp.NewRedisSeen(a.rdb, a.cfg.RedisPrefix, 30*24*time.Hour),
		Menus:  menus.NewRedis(a.rdb, a.cfg.RedisPrefix+"whatsapp:", 24*time.Hour),
		Lang:   a.langOf,
		Alert:  a.alertOwners,
		Clock:  a.clock,
		Logger: log,
	})
	sender := &bot.PacedSender{
		Sender:  adapter,
		Limiter: a.limiter,
		Channel: string(lapak.WhatsApp),
		PerChat: whatsmeowPerChat,
		Global:  whatsmeowGlobal,
		Metrics: a.metrics,
	}
	return &whatsmeowChannel{adapter: adapter, sender: sender, db: db, log: log}, nil
}

// addSender puts the channel's sender among senders, for WhatsApp.
func (w *whatsmeowChannel) addSender(senders map[lapak.Channel]bot.Sender) {
	if w != nil {
		senders[lapak.WhatsApp] = w.sender
	}
}

// start connects, in the background, whenever this instance holds the WhatsApp lock, and hands
// customers' messages to the app's dispatcher; call it after the app's start. A store that is not
// paired is logged and the rest of Lapak serves on: WhatsApp sends fail until it is paired and
// Lapak restarted.
func (w *whatsmeowChannel) start(ctx context.Context, a *app) error {
	if w == nil {
		return nil
	}
	err := w.adapter.Start(ctx, a.dispatcher)
	if errors.Is(err, whatsapp.ErrNotPaired) {
		w.log.Warn("WhatsApp is not paired: customers cannot reach the store on WhatsApp until `lapak whatsapp link` pairs its number and Lapak restarts")
		return nil
	}
	return err
}

// stop disconnects, releases the lock and closes the store; call it before the app's stop, so
// that no message arrives for a closed dispatcher.
func (w *whatsmeowChannel) stop() {
	if w == nil {
		return
	}
	w.adapter.Stop()
	w.db.Close()
}

// alertOwners tells every owner outside WhatsApp, in their language, through the job queue.
func (a *app) alertOwners(ctx context.Context, key string, args ...any) {
	owners, err := a.store.Owners(ctx)
	if err != nil {
		a.log.Error("alert owners", "alert", key, "err", err)
		return
	}
	var msgs []bot.Outbound
	for _, o := range owners {
		if o.Channel != lapak.WhatsApp {
			msgs = append(msgs, bot.Outbound{To: bot.Address{Channel: o.Channel, ChatID: o.ChatID}, Reply: bot.Reply{Text: i18n.T(o.Lang, key, args...)}})
		}
	}
	if len(msgs) == 0 {
		a.log.Warn("no owner to alert", "alert", key)
		return
	}
	err = pgx.BeginFunc(ctx, a.pool, func(tx pgx.Tx) error { return a.store.Notify(ctx, tx, msgs) })
	if err != nil {
		a.log.Error("alert owners", "alert", key, "err", err)
	}
}
