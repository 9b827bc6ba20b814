// Package whatsapp is Lapak's WhatsApp channel through a linked device (whatsmeow): the store's
// own number, paired like WhatsApp Web with `lapak whatsapp link`, receives customers' messages as
// bot.Inbound and sends bot.Reply as text and images. Options become a numbered text menu and a
// typed number or label maps back to its option: buttons and lists do not show on linked devices.
//
// # Ban risk
//
// A linked device speaks WhatsApp's web protocol without WhatsApp's blessing. WhatsApp logs out or
// bans numbers, for hours or for good, that look like spam: messages to people who never wrote
// (ban code 101), many people blocking the number (102), the same message to many people (104),
// broadcast lists (106). Numbers that only answer have been warned too, and WhatsApp rejects
// clients it deems outdated. So Lapak:
//
//   - answers only chats that wrote first, and never starts a conversation (ErrUnsolicited);
//   - refuses to send the same text to more than a few chats in a short time, except as answers
//     to what they just wrote (ErrBulk);
//   - paces messages per chat and overall, through bot.PacedSender;
//   - keeps one connection per number: instances take a Postgres advisory lock, and only the
//     holder connects, so two sessions never replace each other;
//   - marks messages read and shows "typing…" as a person's phone would;
//   - stops sending at once and alerts the owners when WhatsApp logs the device out, bans the
//     number, replaces the session or calls the client outdated: Send then returns a
//     *StoppedError, never a silent success.
//
// Use a number dedicated to the shop, let it warm up with real conversations, and move to the
// official WhatsApp Cloud API when the shop outgrows a phone.
package whatsapp

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/menus"
)

// Dispatcher takes a message and reports on the returned channel when it was handled: nil, or
// the error that means WhatsApp must deliver it again. *bot.Dispatcher is one.
type Dispatcher interface {
	Dispatch(ctx context.Context, in bot.Inbound) <-chan error
}

var _ Dispatcher = (*bot.Dispatcher)(nil)

// Menus remembers the options last offered in each chat, so a typed number or label chooses one.
type Menus interface {
	Save(ctx context.Context, chat string, opts []bot.Option) error
	Load(ctx context.Context, chat string) ([]bot.Option, error)
}

var (
	_ Menus = (*menus.Memory)(nil)
	_ Menus = (*menus.Redis)(nil)
	_ Seen  = (*MemorySeen)(nil)
	_ Seen  = (*RedisSeen)(nil)
)

// Config configures an Adapter.
type Config struct {
	// Store is the linked device's store (OpenStore). Required.
	Store *Store
	// Lock lets one instance own the connection (NewLock with LockKey). Required.
	Lock *Lock
	// Seen remembers which chats wrote first; share it (RedisSeen) so a restart forgets no one.
	// Default: a MemorySeen that keeps chats for 30 days.
	Seen Seen
	// Menus remembers the numbered menus. Default: menus.NewMemory for 24 hours.
	Menus Menus
	// Rules tune the ban-risk rules; see Rules for the defaults.
	Rules Rules
	// Lang tells a chat's language, for the line under a menu. Default: Indonesian.
	Lang bot.LangOf
	// Alert tells the owners, in their language, that WhatsApp stopped or works again: key is an
	// i18n message key and args its arguments. Default: alerts are only logged.
	Alert func(ctx context.Context, key string, args ...any)
	// HTTPClient fetches photos that replies name by URL. Default: a client with a 30s timeout.
	HTTPClient *http.Client
	// LockRetry is how often an instance without the lock tries to take over. Default 30s.
	LockRetry time.Duration
	// Clock tells the time for the rules. Default: the wall clock.
	Clock lapak.Clock
	// Logger logs what cannot be returned as an error. Default slog.Default().
	Logger *slog.Logger
}

// client is the part of *whatsmeow.Client that receiving and sending use.
type client interface {
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
	Upload(ctx context.Context, plaintext []byte, appInfo whatsmeow.MediaType) (whatsmeow.UploadResponse, error)
	Download(ctx context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error)
	MarkRead(ctx context.Context, ids []types.MessageID, timestamp time.Time, chat, sender types.JID, receiptTypeExtra ...types.ReceiptType) error
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error
}

var _ client = (*whatsmeow.Client)(nil)

// Adapter is the WhatsApp channel over a linked device: a bot.Sender, and the connection that
// receives messages while this instance holds the lock.
type Adapter struct {
	cfg   Config
	guard *guard

	mu   sync.Mutex
	wa   client     // set by Start
	lids LIDs       // set by Start
	d    Dispatcher // set by Start
	ctx  context.Context
	down error // why Send cannot send now; nil while connected

	cancel context.CancelFunc
	done   chan struct{}
}

var _ bot.Sender = (*Adapter)(nil)

// ErrNotConnected is returned by Send while this instance is not connected: before Start, while
// another instance holds the connection, or while WhatsApp reconnects.
var ErrNotConnected = errors.New("whatsapp not connected")

// StoppedError is returned by Send after WhatsApp ended the session in a way Lapak must not
// retry by itself: the device was logged out, the number banned, the session replaced by another
// process, or the client called outdated. Key and Args are the owners' alert.
type StoppedError struct {
	Reason string // what WhatsApp said, for logs
	Key    string // the i18n key of the alert
	Args   []any  // the alert's arguments
}

// Error says that sending stopped, and why.
func (e *StoppedError) Error() string { return "whatsapp stopped sending: " + e.Reason }

// New returns an adapter for cfg with its defaults filled in. It does no I/O; call Start.
func New(cfg Config) *Adapter {
	if cfg.Clock == nil {
		cfg.Clock = lapak.SystemClock{}
	}
	if cfg.Seen == nil {
		cfg.Seen = NewMemorySeen(30*24*time.Hour, cfg.Clock)
	}
	if cfg.Menus == nil {
		cfg.Menus = menus.NewMemory(24*time.Hour, cfg.Clock)
	}
	if cfg.Lang == nil {
		cfg.Lang = func(context.Context, bot.Address) lapak.Lang { return lapak.Indonesian }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Alert == nil {
		cfg.Alert = func(context.Context, string, ...any) {}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.LockRetry <= 0 {
		cfg.LockRetry = 30 * time.Second
	}
	return &Adapter{cfg: cfg, guard: newGuard(cfg.Rules, cfg.Seen, cfg.Clock), down: ErrNotConnected}
}

// Start loads the paired device and, in the background until Stop, connects whenever this
// instance holds the lock; an instance that finds the lock taken stays off WhatsApp and tries
// again every LockRetry, to take over when the holder stops. Messages go to d. Start returns
// ErrNotPaired when the store holds no device; the adapter then stays unconnected.
func (a *Adapter) Start(ctx context.Context, d Dispatcher) error {
	if a.cfg.Store == nil || a.cfg.Lock == nil {
		return errors.New("whatsapp adapter needs a store and a lock")
	}
	dev, err := a.cfg.Store.device(ctx)
	if errors.Is(err, ErrNotPaired) {
		a.setDown(ErrNotPaired)
	}
	if err != nil {
		return err
	}
	cli := whatsmeow.NewClient(dev, waLogger(a.cfg.Logger, "client"))
	cli.EnableDecryptedEventBuffer = true // a message whose handling failed is redelivered decrypted
	cli.InitialAutoReconnect = true       // a network error at the first connect is retried too
	cli.AddEventHandlerWithSuccessStatus(a.handle)
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.mu.Lock()
	a.wa, a.lids, a.d, a.ctx = cli, dev.LIDs, d, runCtx
	a.cancel, a.done = cancel, make(chan struct{})
	a.mu.Unlock()
	go a.lead(runCtx, cli)
	return nil
}

// Stop disconnects, releases the lock and waits until the connection is closed.
func (a *Adapter) Stop() {
	a.mu.Lock()
	cancel, done := a.cancel, a.done
	a.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

// conn is what lead needs of the whatsmeow client.
type conn interface {
	ConnectContext(ctx context.Context) error
	Disconnect()
}

// lead connects while this instance holds the lock, and waits for the lock otherwise.
func (a *Adapter) lead(ctx context.Context, c conn) {
	defer close(a.done)
	defer func() {
		release, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := a.cfg.Lock.Release(release); err != nil {
			a.cfg.Logger.Warn("release whatsapp lock", "err", err)
		}
	}()
	waiting := false
	for ctx.Err() == nil {
		ok, err := a.cfg.Lock.TryAcquire(ctx)
		switch {
		case err != nil:
			a.cfg.Logger.Warn("take whatsapp lock", "err", err)
		case !ok && !waiting:
			a.cfg.Logger.Info("another Lapak instance owns the WhatsApp connection; this one stays off WhatsApp and takes over if that one stops")
			waiting = true
		case ok:
			waiting = false
			a.own(ctx, c)
		}
		_ = bot.SleepContext(ctx, a.cfg.LockRetry)
	}
}

// own connects and stays connected until ctx ends or the lock is lost.
func (a *Adapter) own(ctx context.Context, c conn) {
	a.cfg.Logger.Info("connecting to WhatsApp")
	if err := c.ConnectContext(ctx); err != nil {
		a.cfg.Logger.Error("connect to whatsapp", "err", err)
		return
	}
	defer func() {
		c.Disconnect()
		a.setDown(ErrNotConnected)
	}()
	for {
		if err := bot.SleepContext(ctx, a.cfg.LockRetry); err != nil {
			return
		}
		if err := a.cfg.Lock.Check(ctx); err != nil {
			a.cfg.Logger.Error("lost the whatsapp lock; disconnecting until it is taken again", "err", err)
			return
		}
	}
}

// setDown records why Send cannot send; nil allows sending. A stop stays until a connection
// succeeds: disconnecting after it does not hide it.
func (a *Adapter) setDown(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var stopped *StoppedError
	if errors.As(a.down, &stopped) && errors.Is(err, ErrNotConnected) {
		return
	}
	a.down = err
}

// sender returns the client to send with, or why there is none.
func (a *Adapter) sender() (client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.down != nil {
		return nil, a.down
	}
	if a.wa == nil {
		return nil, ErrNotConnected
	}
	return a.wa, nil
}

// alert tells the owners in the background: event handlers must not wait on other networks.
func (a *Adapter) alert(key string, args ...any) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		a.cfg.Alert(ctx, key, args...)
	}()
}
