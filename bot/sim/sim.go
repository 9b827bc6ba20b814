// Package sim is Lapak's simulated channel, behind the playground: chat panes in a browser stand
// in for real Telegram and WhatsApp chats. It speaks the real channel names, so the engine treats
// each pane exactly as it treats a phone; it records what each pane's user sent and what Lapak
// answered, streams new entries to the browser, and turns what the browser sends into updates for
// the dispatcher. It keeps the files users send, so the flows fetch them as from a real channel.
package sim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// Pane is one chat window of the playground: a user on a real channel talking to Lapak.
type Pane struct {
	ID       string      `json:"id"` // names the pane in the page, such as "owner"
	Chat     bot.Address `json:"chat"`
	UserID   string      `json:"user_id"`   // the channel's user ID
	UserName string      `json:"user_name"` // the name the channel shows
	LangCode string      `json:"-"`         // the app language a Telegram client reports
}

// Config configures a Sim.
type Config struct {
	// Panes are the chats the page shows, in order. Required; IDs and chats must be unique.
	Panes []Pane
	// Keep is how many entries each pane's transcript keeps. Default 200.
	Keep int
	// Clock stamps entries. Default: the wall clock.
	Clock lapak.Clock
	// Logger logs replies to chats that have no pane. Default slog.Default().
	Logger *slog.Logger
	// RunID starts every update ID, so updates of one run never look like another run's to the
	// dispatcher's dedupe. Default: random.
	RunID string
	// KeepFiles is how many of the files users send are kept, newest first. Default 50.
	KeepFiles int
	// KeepFileBytes is how many bytes of files are kept at most; older files go first to stay
	// within it. Default 100 MB.
	KeepFileBytes int64
	// FilePath is where the API's File handler is mounted, ending in "/": the page opens kept
	// files at FilePath + ID. Default "/playground/api/file/".
	FilePath string
}

// Sim is the simulated channel: a bot.Sender for the panes' channels, and their transcripts.
type Sim struct {
	cfg     Config
	panes   map[string]Pane
	chats   map[bot.Address]string // pane ID by chat
	history *transcript
	files   *files
	update  atomic.Int64

	mu    sync.Mutex
	menus map[string][]bot.Option // the numbered menu each pane was last shown
}

var _ bot.Sender = (*Sim)(nil)

// New returns a Sim for cfg with its defaults filled in.
func New(cfg Config) (*Sim, error) {
	if cfg.Keep <= 0 {
		cfg.Keep = 200
	}
	if cfg.Clock == nil {
		cfg.Clock = lapak.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RunID == "" {
		cfg.RunID = randomHex(4)
	}
	if cfg.KeepFiles <= 0 {
		cfg.KeepFiles = 50
	}
	if cfg.KeepFileBytes <= 0 {
		cfg.KeepFileBytes = 100 << 20
	}
	if cfg.FilePath == "" {
		cfg.FilePath = "/playground/api/file/"
	}
	s := &Sim{
		cfg:     cfg,
		panes:   map[string]Pane{},
		chats:   map[bot.Address]string{},
		history: newTranscript(cfg.Keep),
		files:   newFiles(cfg.KeepFiles, cfg.KeepFileBytes),
		menus:   map[string][]bot.Option{},
	}
	return s, s.addPanes(cfg.Panes)
}

func (s *Sim) addPanes(panes []Pane) error {
	if len(panes) == 0 {
		return fmt.Errorf("sim: no panes")
	}
	for _, p := range panes {
		if _, dup := s.panes[p.ID]; dup || p.ID == "" {
			return fmt.Errorf("sim: pane id %q is empty or used twice", p.ID)
		}
		if _, dup := s.chats[p.Chat]; dup {
			return fmt.Errorf("sim: chat %s has two panes", p.Chat)
		}
		s.panes[p.ID], s.chats[p.Chat] = p, p.ID
	}
	return nil
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Panes returns the panes in the order the page shows them.
func (s *Sim) Panes() []Pane { return append([]Pane(nil), s.cfg.Panes...) }

// RunID returns the ID of this run; the page reloads when it changes.
func (s *Sim) RunID() string { return s.cfg.RunID }

// Senders returns the sender of every channel the panes use, for the dispatcher and the job queue.
func (s *Sim) Senders() map[lapak.Channel]bot.Sender {
	out := map[lapak.Channel]bot.Sender{}
	for _, p := range s.cfg.Panes {
		out[p.Chat.Channel] = s
	}
	return out
}

// Send records a reply in the pane of its chat, laid out as the chat's channel shows it. A reply
// to a chat without a pane (a seeded demo user) is logged and dropped, as if delivered.
func (s *Sim) Send(_ context.Context, to bot.Address, r bot.Reply) error {
	id, ok := s.chats[to]
	if !ok {
		s.cfg.Logger.Info("reply to a chat with no pane", "channel", to.Channel, "chat", maskChat(to))
		return nil
	}
	m := newMessage(to.Channel, r, s.fileURL)
	s.mu.Lock()
	s.menus[id] = numberedMenu(m)
	s.mu.Unlock()
	s.history.add(Entry{Pane: id, At: s.cfg.Clock.Now(), From: FromBot, Reply: &m})
	return nil
}

// Act turns what the browser sent into the update the pane's channel would deliver, with a fresh
// update ID, and records it in the pane's transcript.
func (s *Sim) Act(a Action) (bot.Inbound, error) {
	p, ok := s.panes[a.Pane]
	if !ok {
		return bot.Inbound{}, fmt.Errorf("%w %q", ErrUnknownPane, a.Pane)
	}
	s.mu.Lock()
	menu := s.menus[p.ID]
	s.mu.Unlock()
	in, err := toInbound(p, a, s.nextUpdateID(), menu)
	if err != nil {
		return in, err
	}
	s.history.add(userEntry(p.ID, a, in, s.cfg.Clock))
	return in, nil
}

// nextUpdateID is a fresh update ID of this run.
func (s *Sim) nextUpdateID() string {
	return fmt.Sprintf("sim-%s-%d", s.cfg.RunID, s.update.Add(1))
}

// History returns every entry kept after seq, oldest first.
func (s *Sim) History(after int64) []Entry { return s.history.since(after) }

// Subscribe returns the entries kept after seq and a channel of the entries that follow. The
// channel is closed when the subscriber falls behind, on Close, or by cancel; a subscriber that
// was dropped subscribes again from the last entry it saw.
func (s *Sim) Subscribe(after int64) (backlog []Entry, entries <-chan Entry, cancel func()) {
	return s.history.subscribe(after, 64)
}

// Close ends every subscription, so streams to the browser end and the server can stop.
func (s *Sim) Close() { s.history.close() }

// maskChat hides a WhatsApp chat's phone number in logs; Telegram chat IDs are not personal data.
func maskChat(a bot.Address) string {
	if a.Channel == lapak.WhatsApp {
		return lapak.Phone("+" + a.ChatID).Masked()
	}
	return a.ChatID
}
