package flows

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// Config configures the Engine. Every dependency is required unless it says otherwise.
type Config struct {
	Sessions  Sessions
	Users     Users
	Resellers Resellers
	Invites   Invites
	Catalog   Catalog
	Pricing   Pricing
	// Customers, Orders and Carts let customers order in chat; without them customers are
	// greeted and told ordering opens soon.
	Customers Customers
	Orders    Orders
	Carts     Carts
	// Payments takes payments and moves paid orders through fulfilment. Default none: customers
	// are told the seller will send payment details.
	Payments Payments
	// Payouts pays resellers their commission. Default none.
	Payouts Payouts
	// Reports makes sales reports and keeps report schedules. Default none: /laporan answers that
	// reports aren't set up.
	Reports Reports
	// BindFor is how long a customer stays with the reseller whose code they came with. Default 30 days.
	BindFor time.Duration
	// ReservationTTL is how long an unpaid order holds its stock. Default 24 hours.
	ReservationTTL time.Duration
	// Location is the time zone dates are shown in. Default Asia/Jakarta (WIB).
	Location *time.Location
	// Importer imports a product spreadsheet an owner sends as a document. Default none.
	Importer Importer
	// Files fetches photos users send. Required for products with photos.
	Files Files
	// Images turns a photo into the JPEG Lapak stores: its bytes, width and height.
	Images func(data []byte) ([]byte, int, int, error)
	// PublicURL is the public base URL, for catalog pages, images and order links. Default none.
	PublicURL string
	// WhatsApp is the store's WhatsApp number, where order links open. Default none.
	WhatsApp lapak.Phone
	// BotUsername is the Telegram bot's username, for deep links. Default none.
	BotUsername func() string
	// Logger logs what flows handle themselves. Default slog.Default().
	Logger *slog.Logger
	// Clock tells the time. Default: the wall clock.
	Clock lapak.Clock
	// Lang is the language of new users. Default Indonesian.
	Lang lapak.Lang
	// InviteLink turns an owner invite token into a link to send. Default: the /start command to type.
	InviteLink func(token string) string
	// MaxText is the longest text accepted, in characters. Default 4096.
	MaxText int
	// UserChanges counts the changes engines make to users, in a count every instance shares and
	// reads with each message. Default: a count of this engine's own changes.
	UserChanges UserChanges
	// UserTTL is how long the engine trusts what it read of a user who keeps writing, so that most
	// messages cost no database round trip. A language or a role changed through an engine shows
	// there at once, and on the others that share UserChanges within a twentieth of a second; a
	// change made around the engines (say, by hand in the database) shows within UserTTL. Default
	// 30s with UserChanges, else 5s; negative: read the user with every message.
	UserTTL time.Duration
}

// Engine handles every inbound message: it finds the user, loads the chat's conversation, runs a
// command, an action or the current flow step, saves the conversation and returns the replies.
type Engine struct {
	cfg Config
	// users and nonResellers remember who wrote lately and who of them is no reseller; both
	// are nil when UserTTL is negative. userChanges is the count of changes to users last read.
	users        *recent[userKey, lapak.User]
	nonResellers *recent[int64, struct{}]
	userChanges  *changeCount
	flows        map[string]runner
	commands     map[string]func(c *Conv, arg string) error
	actions      map[string]func(c *Conv, arg string) error
}

var _ bot.Handler = (*Engine)(nil)

// New returns an engine with Lapak's flows, commands and actions.
func New(cfg Config) *Engine {
	if cfg.Clock == nil {
		cfg.Clock = lapak.SystemClock{}
	}
	if cfg.Lang == "" {
		cfg.Lang = lapak.Indonesian
	}
	if cfg.InviteLink == nil {
		cfg.InviteLink = func(token string) string { return "/start " + invitePrefix + token }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.BindFor <= 0 {
		cfg.BindFor = 30 * 24 * time.Hour
	}
	if cfg.ReservationTTL <= 0 {
		cfg.ReservationTTL = 24 * time.Hour
	}
	if cfg.Location == nil {
		cfg.Location = jakarta()
	}
	if cfg.BotUsername == nil {
		cfg.BotUsername = func() string { return "" }
	}
	if cfg.MaxText <= 0 {
		cfg.MaxText = 4096
	}
	switch {
	case cfg.UserTTL != 0:
	case cfg.UserChanges != nil:
		cfg.UserTTL = 30 * time.Second
	default:
		cfg.UserTTL = 5 * time.Second
	}
	if cfg.UserChanges == nil {
		cfg.UserChanges = &localChanges{}
	}
	e := &Engine{
		cfg:          cfg,
		users:        newRecent[userKey, lapak.User](cfg.UserTTL),
		nonResellers: newRecent[int64, struct{}](cfg.UserTTL),
		userChanges:  &changeCount{},
		flows:        map[string]runner{},
		commands:     map[string]func(*Conv, string) error{},
		actions:      map[string]func(*Conv, string) error{},
	}
	e.cfg.Users = langSetter{cfg.Users, e}
	e.cfg.Resellers = resellerMemo{cfg.Resellers, e}
	e.cfg.Invites = inviteUser{cfg.Invites, e}
	e.registerCommon()
	e.registerOnboarding()
	e.registerCatalog()
	e.registerShop()
	e.registerPayments()
	e.registerPayouts()
	e.registerReports()
	return e
}

func (e *Engine) addFlow(r runner) { e.flows[r.name()] = r }

// Handle runs one inbound message. When another instance saved the chat's conversation in the
// meantime, it handles the message again on the newer state, and only then returns the replies.
// A message that leaves the conversation as it was saves nothing, unless the conversation was
// last saved keepAlive ago or more.
func (e *Engine) Handle(ctx context.Context, in bot.Inbound) ([]bot.Outbound, error) {
	if err := e.countUserChanges(ctx); err != nil {
		return nil, err
	}
	user, err := e.user(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	for range 3 {
		sess, err := e.cfg.Sessions.Load(ctx, in.Chat.String())
		if err != nil {
			return nil, err
		}
		before := sess.clone()
		c := &Conv{Ctx: ctx, In: in, User: user, e: e, sess: &sess}
		if err := e.route(c); err != nil {
			return nil, err
		}
		now := e.cfg.Clock.Now()
		if sess.sameState(before) && now.Sub(sess.UpdatedAt) < keepAlive {
			return c.out, nil
		}
		sess.Version, sess.LastUpdate, sess.UpdatedAt = before.Version, in.UpdateID, now
		err = e.cfg.Sessions.Save(ctx, in.Chat.String(), sess)
		if errors.Is(err, lapak.ErrStale) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return c.out, nil
	}
	return nil, lapak.Errorf(lapak.KindConflict, "error.conflict")
}

// keepAlive is how often a conversation that messages leave unchanged is saved anyway, so that it
// does not expire while its chat is active. It is well under the shortest time sessions are kept.
const keepAlive = 30 * time.Second

// clone returns a copy of s that changes to s leave alone.
func (s Session) clone() Session {
	s.Data, s.Offered = slices.Clone(s.Data), slices.Clone(s.Offered)
	return s
}

// sameState reports whether s is in the flow, step, data and offered options of t.
func (s Session) sameState(t Session) bool {
	return s.Flow == t.Flow && s.Step == t.Step && bytes.Equal(s.Data, t.Data) && slices.Equal(s.Offered, t.Offered)
}

// userKey is a user's channel identity.
type userKey struct {
	channel lapak.Channel
	id      string
}

// user returns the sender of in: remembered when they were read within UserTTL and no user changed
// since, and they still write from the same chat under the same name; otherwise found or created
// in the database.
func (e *Engine) user(ctx context.Context, in bot.Inbound) (lapak.User, error) {
	name := clip(in.UserName, 100)
	key := userKey{in.Chat.Channel, in.UserID}
	now := e.cfg.Clock.Now()
	u, read, ok := e.users.get(key, e.userChanges.n.Load(), now)
	if ok && u.ChatID == in.Chat.ChatID && (name == "" || u.Name == name) {
		return u, nil
	}
	u, err := e.cfg.Users.TouchUser(ctx, in.Chat.Channel, in.UserID, in.Chat.ChatID, name, e.cfg.Lang)
	if err != nil {
		return u, err
	}
	e.users.put(key, u, read, now)
	return u, nil
}

// route decides what the message is: a command, an action, an answer to the current step, or
// something to answer with the menu.
func (e *Engine) route(c *Conv) error {
	in := c.In
	switch in.Kind {
	case bot.KindOption:
		return e.option(c, in.Option)
	case bot.KindText:
		if utf8.RuneCountInString(in.Text) > e.cfg.MaxText {
			c.SayText("input.too_long", e.cfg.MaxText)
			return e.reask(c)
		}
		if cmd, arg, ok := command(in.Text); ok {
			return e.command(c, cmd, arg)
		}
	case bot.KindOther:
		c.SayText("input.unsupported")
		return e.reask(c)
	case bot.KindPhoto, bot.KindDocument:
		if !c.InFlow() && c.User.Role == lapak.RoleOwner && e.catalogReady() {
			if isCSV(in.Media) && e.cfg.Importer != nil {
				return e.importFromOwner(c)
			}
			return e.photoFromOwner(c)
		}
	}
	if c.InFlow() {
		return e.flows[c.sess.Flow].answer(c, in)
	}
	if e.isCustomerChat(c) {
		return e.customerMessage(c)
	}
	c.SayText("input.not_understood")
	return e.menu(c)
}

// command splits "/start payload" into ("start", "payload"); "/start@lapak_bot" works too.
func command(text string) (cmd, arg string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") || len(text) < 2 {
		return "", "", false
	}
	cmd, arg, _ = strings.Cut(text[1:], " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return strings.ToLower(cmd), strings.TrimSpace(arg), true
}

func (e *Engine) command(c *Conv, cmd, arg string) error {
	h, ok := e.commands[cmd]
	if !ok {
		c.SayText("cmd.unknown", "/"+clip(cmd, 32))
		return e.reask(c)
	}
	return h(c, arg)
}

// option handles a tap. Options are never trusted: a step's options count only if the last
// question offered them, and actions check who may take them against the database.
func (e *Engine) option(c *Conv, id string) error {
	if c.InFlow() && c.Offered(id) {
		return e.flows[c.sess.Flow].answer(c, c.In)
	}
	name, arg, _ := strings.Cut(id, ":")
	if h, ok := e.actions[name]; ok && len(id) <= 64 {
		return h(c, arg)
	}
	c.SayText("option.expired")
	return e.reask(c)
}

// reask repeats the current step's question, or shows the menu when no flow is running.
func (e *Engine) reask(c *Conv) error {
	if c.InFlow() {
		if f, ok := e.flows[c.sess.Flow]; ok {
			return f.ask(c)
		}
		c.endFlow()
	}
	return e.menu(c)
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// now is the engine's clock.
func (e *Engine) now() time.Time { return e.cfg.Clock.Now() }

// localTime shows t in the shop's time zone as Indonesians write it: 28/11 14.05 WIB.
func (e *Engine) localTime(t time.Time) string {
	return t.In(e.cfg.Location).Format("02/01 15.04 MST")
}

// jakarta is Western Indonesia Time, or a fixed UTC+7 when the zone database is missing.
func jakarta() *time.Location {
	if loc, err := time.LoadLocation("Asia/Jakarta"); err == nil {
		return loc
	}
	return time.FixedZone("WIB", 7*60*60)
}
