package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot/telegram"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
	"github.com/lapak-id/lapak/storage/redis/redistest"
	"github.com/lapak-id/lapak/storage/storagetest"
)

const ownerID = 900

// server is one `lapak serve` process run in-process through run().
type server struct {
	t    *testing.T
	addr string
	env  map[string]string
	stop context.CancelFunc
	done chan error
}

// testEnv is the environment of a serve test: the fake Bot API, a fresh schema, a fresh Redis prefix.
func testEnv(t *testing.T, fake *telegramtest.Server, extra map[string]string) map[string]string {
	t.Helper()
	_, dsn := storagetest.Schema(t)
	_, prefix := redistest.New(t)
	env := map[string]string{
		"DATABASE_URL":          dsn,
		"REDIS_URL":             redistest.URL(),
		"REDIS_PREFIX":          prefix,
		"HTTP_ADDR":             freeAddr(t),
		"TELEGRAM_BOT_TOKEN":    telegramtest.Token,
		"TELEGRAM_API_ENDPOINT": fake.Endpoint(),
		"OWNER_TELEGRAM_IDS":    fmt.Sprint(ownerID),
		"LOG_LEVEL":             "warn",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs `lapak serve` and waits until /healthz answers.
func startServe(t *testing.T, env map[string]string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{t: t, addr: env["HTTP_ADDR"], env: env, stop: cancel, done: make(chan error, 1)}
	go func() { s.done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard) }()
	t.Cleanup(func() { s.shutdown() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("serve stopped at start: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not become healthy in 30s")
		}
	}
}

// shutdown stops the server as SIGTERM would and checks it stopped cleanly.
func (s *server) shutdown() {
	if s.stop == nil {
		return
	}
	s.stop()
	s.stop = nil
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		s.t.Error("serve did not stop within 30s")
	}
}

var updateSeq struct {
	sync.Mutex
	n int
}

func nextUpdateID() int {
	updateSeq.Lock()
	defer updateSeq.Unlock()
	updateSeq.n++
	return 1000 + updateSeq.n
}

// textUpdate is a private message as Telegram sends it, with the bot_command entity for commands.
func textUpdate(id, user int, text string) map[string]any {
	msg := map[string]any{
		"message_id": id,
		"from":       map[string]any{"id": user, "is_bot": false, "first_name": "Andi", "language_code": "id"},
		"chat":       map[string]any{"id": user, "type": "private", "first_name": "Andi"},
		"date":       time.Now().Unix(),
		"text":       text,
	}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		msg["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": len(cmd)}}
	}
	return map[string]any{"update_id": id, "message": msg}
}

// tapUpdate is a tap on an inline button under a message the bot sent to user.
func tapUpdate(id, user int, data string) map[string]any {
	return map[string]any{"update_id": id, "callback_query": map[string]any{
		"id":            fmt.Sprint("cb", id),
		"from":          map[string]any{"id": user, "is_bot": false, "first_name": "Rina"},
		"message":       map[string]any{"message_id": 1, "chat": map[string]any{"id": user, "type": "private"}, "date": time.Now().Unix(), "text": "card"},
		"chat_instance": "42",
		"data":          data,
	}}
}

// post sends an update to the webhook with a secret and returns the status.
func (s *server) post(secret string, body []byte) int {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/webhooks/telegram", bytes.NewReader(body))
	if secret != "" {
		req.Header.Set(telegram.SecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("post update: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (s *server) postUpdate(u map[string]any) {
	s.t.Helper()
	raw, _ := json.Marshal(u)
	if code := s.post(s.env["TELEGRAM_WEBHOOK_SECRET"], raw); code != http.StatusOK {
		s.t.Fatalf("update answered %d", code)
	}
}

// waitFor waits until the bot sent chat a message containing want, and returns it.
func waitFor(t *testing.T, fake *telegramtest.Server, chat int, want string) telegramtest.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	m, err := fake.WaitSent(ctx, func(m telegramtest.Message) bool {
		return m.ChatID == int64(chat) && strings.Contains(m.Plain, want)
	})
	if err != nil {
		t.Fatalf("chat %d never got %q; it got:\n%s", chat, want, transcript(fake, chat))
	}
	return m
}

func transcript(fake *telegramtest.Server, chat int) string {
	var b strings.Builder
	for _, m := range fake.Sent() {
		if m.ChatID == int64(chat) {
			b.WriteString("  " + m.Plain + "\n")
		}
	}
	return b.String()
}

func countSent(fake *telegramtest.Server, chat int) int {
	n := 0
	for _, m := range fake.Sent() {
		if m.ChatID == int64(chat) {
			n++
		}
	}
	return n
}

func webhookEnv(t *testing.T, fake *telegramtest.Server) map[string]string {
	return testEnv(t, fake, map[string]string{
		"PUBLIC_URL":              "https://lapak.example.com",
		"TELEGRAM_WEBHOOK_SECRET": "s3cret-Token_ok",
	})
}

func TestServeWebhook(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	env := webhookEnv(t, fake)
	s := startServe(t, env)

	t.Run("RegistersTheWebhookWithItsSecret", func(t *testing.T) {
		wh := fake.Webhook()
		if wh.URL != "https://lapak.example.com/webhooks/telegram" || wh.SecretToken != env["TELEGRAM_WEBHOOK_SECRET"] {
			t.Fatalf("webhook = %+v", wh)
		}
	})

	t.Run("WrongOrMissingSecretGets401AndChangesNothing", func(t *testing.T) {
		raw, _ := json.Marshal(textUpdate(nextUpdateID(), 555, "/start"))
		for _, secret := range []string{"", "wrong", "S3CRET-TOKEN_OK", env["TELEGRAM_WEBHOOK_SECRET"] + "x"} {
			if code := s.post(secret, raw); code != http.StatusUnauthorized {
				t.Errorf("secret %q: got %d, want 401", secret, code)
			}
		}
		if n := countSent(fake, 555); n != 0 {
			t.Fatalf("a forged update got %d replies", n)
		}
	})

	const reseller = 101
	t.Run("StartGetsAnIndonesianReply", func(t *testing.T) {
		s.postUpdate(textUpdate(nextUpdateID(), reseller, "/start"))
		waitFor(t, fake, reseller, "Selamat datang di Lapak")
		waitFor(t, fake, reseller, "Siapa nama lengkapmu?")
	})

	t.Run("TheSameUpdateTwiceIsHandledOnce", func(t *testing.T) {
		u := textUpdate(nextUpdateID(), reseller, "Andi Saputra")
		before := countSent(fake, reseller)
		s.postUpdate(u)
		s.postUpdate(u)
		waitFor(t, fake, reseller, "Nomor HP/WhatsApp")
		if got := countSent(fake, reseller) - before; got != 1 {
			t.Fatalf("one update got %d replies:\n%s", got, transcript(fake, reseller))
		}
	})

	var code string
	t.Run("OnboardingAndApproval", func(t *testing.T) {
		s.postUpdate(textUpdate(nextUpdateID(), reseller, "0812 3456 7890"))
		waitFor(t, fake, reseller, "kota apa")
		s.postUpdate(textUpdate(nextUpdateID(), reseller, "Bandung"))
		waitFor(t, fake, reseller, "ditinjau")

		card := waitFor(t, fake, ownerID, "Reseller baru mendaftar")
		if !strings.Contains(card.Plain, "+6281234567890") || len(card.Buttons()) != 2 {
			t.Fatalf("approval card: %q %+v", card.Plain, card.Buttons())
		}
		tap := tapUpdate(nextUpdateID(), ownerID, card.Buttons()[0].CallbackData)
		s.postUpdate(tap)
		done := waitFor(t, fake, ownerID, "Kodenya")
		code = regexp.MustCompile(`Kodenya: (\w+)`).FindStringSubmatch(done.Plain)[1]
		welcome := waitFor(t, fake, reseller, "disetujui")
		if !strings.Contains(welcome.Plain, code) || !strings.HasPrefix(code, "ANDI") {
			t.Fatalf("reseller told %q, owner told code %q", welcome.Plain, code)
		}
		answered := false
		for _, a := range fake.Answers() {
			answered = answered || a.CallbackQueryID == tap["callback_query"].(map[string]any)["id"]
		}
		if !answered {
			t.Error("the owner's tap was not answered")
		}
	})

	t.Run("ForgedCallbackDataChangesNothing", func(t *testing.T) {
		before := countSent(fake, reseller)
		s.postUpdate(tapUpdate(nextUpdateID(), reseller, fmt.Sprintf("rs:no:%d", reseller)))
		waitFor(t, fake, reseller, "tidak punya akses")
		s.postUpdate(textUpdate(nextUpdateID(), reseller, "/start"))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := fake.Wait(ctx, func() bool { return countSent(fake, reseller) >= before+2 })
		if err != nil || !strings.Contains(transcript(fake, reseller), "Kode resellermu: "+code) {
			t.Fatalf("reseller lost their approval:\n%s", transcript(fake, reseller))
		}
	})

	t.Run("GarbageGetsAnAnswerOrIsIgnoredAndTheServerStaysUp", func(t *testing.T) {
		garbage := garbageUpdates(100)
		for i, raw := range garbage {
			code := s.post(env["TELEGRAM_WEBHOOK_SECRET"], raw)
			if code != http.StatusOK && code != http.StatusBadRequest {
				t.Errorf("garbage %d (%.60q) answered %d", i, raw, code)
			}
		}
		resp, err := http.Get("http://" + s.addr + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("unhealthy after garbage: %v", err)
		}
		resp.Body.Close()
		// Every readable message from a private chat got an answer. A message with no content
		// (kind 0, which Telegram never sends), the group message, the broken JSON and the empty
		// update (kinds 8 to 11) are dropped.
		for i := range garbage {
			if kind := i % 12; kind >= 1 && kind < 8 && countSent(fake, garbageUser+i) == 0 {
				t.Errorf("garbage %d (kind %d) got no answer", i, kind)
			}
		}
		s.postUpdate(textUpdate(nextUpdateID(), 703, "/start"))
		waitFor(t, fake, 703, "Selamat datang")
	})
}

// garbageUser is the first chat that sends garbage.
const garbageUser = 7000

// garbageUpdates makes n hostile or broken updates: empty, huge, binary noise, unknown commands,
// forged callback data, stickers, group messages, bad JSON.
func garbageUpdates(n int) [][]byte {
	kinds := []func(id, user int) any{
		func(id, user int) any { return textUpdate(id, user, "") },
		func(id, user int) any { return textUpdate(id, user, strings.Repeat("kaos ", 2000)) },
		func(id, user int) any { return textUpdate(id, user, "\x00\x01\x02\xff\xfe binary") },
		func(id, user int) any { return textUpdate(id, user, "/hapus_semua_data") },
		func(id, user int) any { return tapUpdate(id, user, "rs:ok:1") },
		func(id, user int) any { return tapUpdate(id, user, "m:pending") },
		func(id, user int) any { return tapUpdate(id, user, strings.Repeat("z", 64)) },
		func(id, user int) any {
			u := textUpdate(id, user, "")
			delete(u["message"].(map[string]any), "text")
			u["message"].(map[string]any)["sticker"] = map[string]any{"file_id": "s", "file_unique_id": "u", "width": 1, "height": 1, "is_animated": false}
			return u
		},
		func(id, user int) any {
			u := textUpdate(id, user, "/start")
			u["message"].(map[string]any)["chat"] = map[string]any{"id": -100, "type": "group", "title": "Grup"}
			return u
		},
		func(id, user int) any { return fmt.Sprintf(`{"update_id":%d,"message":{"text":`, id) },
		func(id, user int) any { return `[1,2,3]` },
		func(id, user int) any { return map[string]any{"update_id": id} },
	}
	out := make([][]byte, 0, n)
	for i := range n {
		u := kinds[i%len(kinds)](nextUpdateID(), garbageUser+i) // one chat each: replies are paced per chat
		if s, ok := u.(string); ok {
			out = append(out, []byte(s))
			continue
		}
		raw, _ := json.Marshal(u)
		out = append(out, raw)
	}
	return out
}

func TestServeRestartResumesOnboarding(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	env := testEnv(t, fake, nil) // long polling
	s := startServe(t, env)
	const user = 202
	fake.PushUpdate(textUpdate(0, user, "/start"))
	waitFor(t, fake, user, "Siapa nama lengkapmu?")
	fake.PushUpdate(textUpdate(0, user, "Siti Aminah"))
	waitFor(t, fake, user, "Nomor HP/WhatsApp")
	s.shutdown()

	startServe(t, env)
	fake.PushUpdate(textUpdate(0, user, "0813 1111 2222"))
	waitFor(t, fake, user, "kota apa")
}

func TestServeRefusesBadConfig(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, value, want string }{
		{"TELEGRAM_MAX_PER_SECOND", "banyak", "TELEGRAM_MAX_PER_SECOND"},
		{"OWNER_TELEGRAM_IDS", "12,abc", "OWNER_TELEGRAM_IDS"},
		{"LAPAK_TIMEZONE", "Mars/Olympus", "LAPAK_TIMEZONE"},
		{"LAPAK_LANGUAGE", "fr", "LAPAK_LANGUAGE"},
		{"TELEGRAM_API_ENDPOINT", "https://api.telegram.org/bot", "TELEGRAM_API_ENDPOINT"},
		{"TELEGRAM_WEBHOOK_SECRET", "has spaces", "TELEGRAM_WEBHOOK_SECRET"},
		{"PUBLIC_URL", "lapak.example.com", "PUBLIC_URL"},
		{"TELEGRAM_BOT_TOKEN", "", "TELEGRAM_BOT_TOKEN"},
	} {
		env := map[string]string{"TELEGRAM_BOT_TOKEN": "123:abc", tt.name: tt.value}
		err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s=%q: err = %v, want one naming %s", tt.name, tt.value, err, tt.want)
		}
	}
}

// noRedirects is a client that reports redirects instead of following them.
func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
