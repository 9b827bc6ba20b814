package flows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/redis"
	"github.com/lapak-id/lapak/storage/redis/redistest"
	"github.com/lapak-id/lapak/storage/storagetest"
)

type harness struct {
	t      *testing.T
	cfg    flows.Config
	engine *flows.Engine
	store  *storage.Store
	pool   *pgxpool.Pool
	update int
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	pool := storagetest.Pool(t)
	rdb, prefix := redistest.New(t)
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	store := storage.New(pool, rc, nil)
	if err := store.EnsureOwners(context.Background(), lapak.Telegram, []string{"900"}, lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	cfg := flows.Config{
		Sessions:  redis.NewSessions(rdb, prefix, time.Hour),
		Users:     store,
		Resellers: store,
		Invites:   store,
	}
	return &harness{t: t, cfg: cfg, engine: flows.New(cfg), store: store, pool: pool}
}

func (h *harness) send(user string, in bot.Inbound) []bot.Outbound {
	h.t.Helper()
	h.update++
	in.Chat = bot.Address{Channel: lapak.Telegram, ChatID: user}
	in.UserID = user
	in.UpdateID = fmt.Sprint(h.update)
	if in.Kind == "" {
		in.Kind = bot.KindText
	}
	out, err := h.engine.Handle(context.Background(), in)
	if err != nil {
		h.t.Fatalf("%s sends %+v: %v", user, in, err)
	}
	return out
}

func (h *harness) text(user, text string) []bot.Outbound {
	return h.send(user, bot.Inbound{Text: text, UserName: "Andi"})
}

func (h *harness) tap(user, option string) []bot.Outbound {
	return h.send(user, bot.Inbound{Kind: bot.KindOption, Option: option})
}

// notifications returns the messages queued for sending, in order.
func (h *harness) notifications() []bot.Outbound {
	h.t.Helper()
	rows, err := h.pool.Query(context.Background(), "SELECT args FROM river_job WHERE kind = 'notify' ORDER BY id")
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var out []bot.Outbound
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			h.t.Fatal(err)
		}
		var a jobs.NotifyArgs
		if err := json.Unmarshal(raw, &a); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, a.Message)
	}
	return out
}

func texts(out []bot.Outbound) string {
	var b strings.Builder
	for _, o := range out {
		b.WriteString(o.Reply.Text + "\n")
		for _, opt := range o.Reply.Options {
			b.WriteString("[" + opt.Label + "] ")
		}
	}
	return b.String()
}

func mustSay(t *testing.T, out []bot.Outbound, want ...string) {
	t.Helper()
	got := texts(out)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("replies do not say %q:\n%s", w, got)
		}
	}
}

func TestOnboarding(t *testing.T) {
	h := newHarness(t)

	mustSay(t, h.text("101", "/start"), "Selamat datang di Lapak", "Siapa nama lengkapmu?")
	mustSay(t, h.text("101", "😀😀"), "Nama harus 2–60 huruf", "Siapa nama lengkapmu?")
	mustSay(t, h.text("101", "Andi Saputra"), "Nomor HP/WhatsApp")
	mustSay(t, h.text("101", "12345"), "Nomor itu belum benar")
	mustSay(t, h.text("101", "0812-3456-7890"), "kota apa")
	mustSay(t, h.text("101", "Bandung"), "Terima kasih, Andi!", "ditinjau")

	cards := h.notifications()
	if len(cards) != 1 || cards[0].To.ChatID != "900" {
		t.Fatalf("owner cards = %+v, want one to chat 900", cards)
	}
	mustSay(t, cards, "Andi Saputra", "+6281234567890", "Bandung")
	if len(cards[0].Reply.Options) != 2 {
		t.Fatalf("card options = %+v", cards[0].Reply.Options)
	}
	approve := cards[0].Reply.Options[0].ID

	t.Run("PendingResellerIsToldToWait", func(t *testing.T) {
		mustSay(t, h.text("101", "/start"), "sedang ditinjau")
	})
	t.Run("ResellerCannotApproveThemself", func(t *testing.T) {
		_, err := h.engine.Handle(context.Background(), bot.Inbound{Chat: bot.Address{Channel: lapak.Telegram, ChatID: "101"}, UserID: "101", UpdateID: "x1", Kind: bot.KindOption, Option: approve})
		if lapak.KindOf(err) != lapak.KindForbidden {
			t.Fatalf("err = %v, want forbidden", err)
		}
	})

	out := h.tap("900", approve)
	code := regexp.MustCompile(`Kodenya: ([A-Z]+[2-9]+)`).FindStringSubmatch(texts(out))
	if code == nil || !strings.HasPrefix(code[1], "ANDI") {
		t.Fatalf("owner was not told the code: %s", texts(out))
	}
	notes := h.notifications()
	mustSay(t, notes[len(notes)-1:], "disetujui", code[1])
	if notes[len(notes)-1].To.ChatID != "101" {
		t.Errorf("approval went to %s", notes[len(notes)-1].To)
	}

	t.Run("SecondTapSaysAlreadyDecided", func(t *testing.T) {
		mustSay(t, h.tap("900", approve), "sudah diputuskan")
	})
	t.Run("ApprovedResellerSeesCode", func(t *testing.T) {
		mustSay(t, h.text("101", "/start"), code[1])
		mustSay(t, h.tap("101", "m:code"), code[1])
	})
}

func TestOnboardingResumesAfterRestart(t *testing.T) {
	h := newHarness(t)
	h.text("102", "/start")
	h.text("102", "Siti Aminah")
	h.engine = flows.New(h.cfg) // a new process: nothing in memory survives
	mustSay(t, h.text("102", "081298765432"), "kota apa")
}

func TestGlobalCommands(t *testing.T) {
	h := newHarness(t)
	h.text("103", "/start")
	mustSay(t, h.text("103", "/bahasa en"), "Language set to English", "What's your full name?")
	mustSay(t, h.text("103", "/cancel"), "OK, cancelled", "Register as reseller")
	mustSay(t, h.text("103", "/cancel"), "nothing to cancel")
	mustSay(t, h.text("103", "/help"), "Type /start")
	mustSay(t, h.text("103", "/nope"), "Unknown command /nope")
	mustSay(t, h.tap("103", "lang:id"), "Bahasa Indonesia")
	mustSay(t, h.text("103", "/menu"), "Daftar reseller")
}

func TestGarbageGetsAnAnswer(t *testing.T) {
	h := newHarness(t)
	inputs := []bot.Inbound{
		{Text: ""},
		{Text: strings.Repeat("a", 10000)},
		{Text: "\x00\x01\xff\xfe"},
		{Text: "/"},
		{Text: "/start@other_bot extra"},
		{Text: "'; DROP TABLE users; --"},
		{Kind: bot.KindOption, Option: "rs:ok:1"},
		{Kind: bot.KindOption, Option: strings.Repeat("x", 300)},
		{Kind: bot.KindOption, Option: "m:pending"},
		{Kind: bot.KindOption, Option: "lang:xx"},
		{Kind: bot.KindOther},
		{Kind: bot.KindPhoto, Media: &bot.Media{FileID: "f"}},
	}
	for i, in := range inputs {
		out, err := h.engine.Handle(context.Background(), withChat(in, "104", i))
		if err != nil && lapak.KindOf(err) == lapak.KindInternal {
			t.Errorf("input %d: internal error %v", i, err)
		}
		if err == nil && len(out) == 0 {
			t.Errorf("input %d (%q): no answer", i, in.Text)
		}
	}
}

func withChat(in bot.Inbound, user string, i int) bot.Inbound {
	in.Chat = bot.Address{Channel: lapak.Telegram, ChatID: user}
	in.UserID = user
	in.UpdateID = fmt.Sprint("g", i)
	if in.Kind == "" {
		in.Kind = bot.KindText
	}
	return in
}

func TestTwoOwnersDecideOnce(t *testing.T) {
	h := newHarness(t)
	if err := h.store.EnsureOwners(context.Background(), lapak.Telegram, []string{"901"}, lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"/start", "Budi Santoso", "081311112222", "Surabaya"} {
		h.text("105", s)
	}
	approve := h.notifications()[0].Reply.Options[0].ID
	var wg sync.WaitGroup
	results := make([]string, 2)
	for i, owner := range []string{"900", "901"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := h.engine.Handle(context.Background(), withChat(bot.Inbound{Kind: bot.KindOption, Option: approve}, owner, 100+i))
			if err != nil {
				t.Error(err)
			}
			results[i] = texts(out)
		}()
	}
	wg.Wait()
	approved := strings.Count(results[0]+results[1], "disetujui. Kodenya")
	if approved != 1 {
		t.Fatalf("approved %d times:\n%s", approved, strings.Join(results, "\n"))
	}
	var n int
	h.pool.QueryRow(context.Background(), "SELECT count(*) FROM river_job WHERE kind = 'notify' AND args->'message'->'to'->>'chat_id' = '105'").Scan(&n)
	if n != 1 {
		t.Fatalf("reseller notified %d times", n)
	}
}
