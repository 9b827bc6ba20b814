package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/whatsapp"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/redis/redistest"
	"github.com/lapak-id/lapak/storage/storagetest"
)

func TestWhatsAppArgs(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		want  whatsappOptions
		error string // part of the error; "" for none
	}{
		{[]string{"link"}, whatsappOptions{cmd: "link"}, ""},
		{[]string{"link", "--phone", "0812 3456 7890"}, whatsappOptions{cmd: "link", phone: "+6281234567890"}, ""},
		{[]string{"link", "--phone=+62 812-3456-7890"}, whatsappOptions{cmd: "link", phone: "+6281234567890"}, ""},
		{[]string{"status"}, whatsappOptions{cmd: "status"}, ""},
		{nil, whatsappOptions{}, "usage: lapak whatsapp link"},
		{[]string{"unlink"}, whatsappOptions{}, "usage: lapak whatsapp link"},
		{[]string{"link", "--phone", "12345"}, whatsappOptions{}, "--phone must be the store's Indonesian mobile number"},
		{[]string{"link", "--phone", "021 555 1234"}, whatsappOptions{}, "--phone must be"},
		{[]string{"link", "--phone"}, whatsappOptions{}, "flag needs an argument"},
		{[]string{"link", "0812 3456 7890"}, whatsappOptions{}, `unexpected argument "0812 3456 7890"`},
		{[]string{"status", "--phone", "081234567890"}, whatsappOptions{}, "flag provided but not defined"},
	} {
		got, err := parseWhatsAppArgs(tc.args)
		switch {
		case tc.error == "" && (err != nil || got != tc.want):
			t.Errorf("%q: %+v, %v; want %+v", tc.args, got, err, tc.want)
		case tc.error != "" && (err == nil || !strings.Contains(err.Error(), tc.error)):
			t.Errorf("%q: error %v, want one containing %q", tc.args, err, tc.error)
		}
	}
}

func TestWhatsAppCommandIsInTheUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, func(string) string { return "" }, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "lapak whatsapp link [--phone 0812…] | status") {
		t.Errorf("help does not name the whatsapp command:\n%s", out.String())
	}
}

func TestWhatsAppLinkRefusesABadNumberBeforeConnecting(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "LOG_LEVEL": "warn"}
	err := run(context.Background(), []string{"whatsapp", "link", "--phone", "+1 555 0100"}, func(k string) string { return env[k] }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--phone must be") {
		t.Errorf("run = %v, want the number refused", err)
	}
}

func TestWhatsAppLinkShowsTheQRCode(t *testing.T) {
	var out bytes.Buffer
	showQR(&out, "2@Xk9d1Q7mPq3Zr8sT5uV0wY2aB4cD6eF8gH0jK2lM,nOpQrStUvWxYz0123456789ABCDEFGHIJ=,aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789+/=,0123456789abcdef", 60*time.Second)
	lines := strings.Split(out.String(), "\n")
	blocks := 0
	for _, l := range lines {
		if strings.ContainsAny(l, "▀▄█") {
			blocks++
		}
	}
	if blocks < 20 {
		t.Errorf("%d lines of QR code, want a whole code:\n%s", blocks, out.String())
	}
	for _, want := range []string{"Perangkat tertaut → Tautkan perangkat", "Linked devices → Link a device", "every 60 seconds"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("instructions lack %q:\n%s", want, out.String())
		}
	}
}

func TestWhatsAppStatus(t *testing.T) {
	_, dsn := storagetest.Schema(t)
	env := map[string]string{"DATABASE_URL": dsn, "LOG_LEVEL": "warn"}
	status := func() string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), []string{"whatsapp", "status"}, func(k string) string { return env[k] }, &out); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}

	t.Run("NotPaired", func(t *testing.T) {
		out := status()
		for _, want := range []string{
			"WhatsApp: belum terpasang. Pasangkan nomor toko dengan `lapak whatsapp link`.",
			"WhatsApp: not paired. Pair the store's number with `lapak whatsapp link`.",
			"Connection: no running Lapak is connected",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("status printed:\n%s\nwant %q", out, want)
			}
		}
		if strings.Contains(out, "level=INFO") {
			t.Errorf("status printed whatsmeow's progress notes:\n%s", out)
		}
	})
	t.Run("ConnectionHeld", func(t *testing.T) {
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			t.Fatal(err)
		}
		running := whatsapp.NewLock(cfg, whatsapp.LockKey)
		if ok, err := running.TryAcquire(context.Background()); !ok || err != nil {
			t.Fatalf("take the lock as a running Lapak: %v, %v", ok, err)
		}
		defer running.Release(context.Background())
		if out := status(); !strings.Contains(out, "Connection: held by a running Lapak") {
			t.Errorf("status printed:\n%s\nwant the connection held", out)
		}
	})
}

// TestWhatsAppServeWiringWithoutPairing wires the linked-device channel as serve does, on a store
// that was never paired: the rest of Lapak starts, and sending says why it cannot.
func TestWhatsAppServeWiringWithoutPairing(t *testing.T) {
	ctx := context.Background()
	_, dsn := storagetest.Schema(t)
	rdb, prefix := redistest.New(t)
	cfg, err := loadConfig(func(k string) string {
		return map[string]string{"DATABASE_URL": dsn, "REDIS_PREFIX": prefix, "WHATSAPP_TRANSPORT": "whatsmeow"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil)), rdb)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()

	wa, err := openWhatsmeow(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := wa.start(ctx, a); err != nil {
		t.Fatalf("start on an unpaired store: %v", err)
	}
	defer wa.stop()
	if !strings.Contains(logs.String(), "WhatsApp is not paired") {
		t.Errorf("no warning that WhatsApp is not paired:\n%s", logs.String())
	}
	senders := map[lapak.Channel]bot.Sender{}
	wa.addSender(senders)
	err = senders[lapak.WhatsApp].Send(ctx, bot.Address{Channel: lapak.WhatsApp, ChatID: "6281234567890"}, bot.Reply{Text: "Halo"})
	if !errors.Is(err, whatsapp.ErrNotPaired) {
		t.Errorf("Send = %v, want ErrNotPaired", err)
	}
}

func TestWhatsAppServeWiringIsOffForOtherTransports(t *testing.T) {
	for _, transport := range []string{"none", "cloud"} {
		a := &app{cfg: Config{WhatsAppTransport: transport}}
		wa, err := openWhatsmeow(context.Background(), a)
		if wa != nil || err != nil {
			t.Fatalf("%s: %v, %v; want nothing", transport, wa, err)
		}
		senders := map[lapak.Channel]bot.Sender{}
		wa.addSender(senders)
		if err := wa.start(context.Background(), a); err != nil || len(senders) != 0 {
			t.Errorf("%s: start %v, senders %v", transport, err, senders)
		}
		wa.stop()
	}
}

func TestWhatsAppAlertsReachTheOwnersInTheirLanguage(t *testing.T) {
	ctx := context.Background()
	_, dsn := storagetest.Schema(t)
	rdb, prefix := redistest.New(t)
	cfg, err := loadConfig(func(k string) string { return map[string]string{"DATABASE_URL": dsn, "REDIS_PREFIX": prefix}[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := openApp(ctx, cfg, slog.New(slog.DiscardHandler), rdb)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	jobs, err := insertOnly(a.pool)
	if err != nil {
		t.Fatal(err)
	}
	a.store = storage.New(a.pool, jobs, a.clock)
	if err := a.store.EnsureOwners(ctx, lapak.Telegram, []string{"1001"}, lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	if err := a.store.EnsureOwners(ctx, lapak.Telegram, []string{"1002"}, lapak.English); err != nil {
		t.Fatal(err)
	}

	a.alertOwners(ctx, "whatsapp.alert.banned_for", 104, 24)

	rows, err := a.pool.Query(ctx, "SELECT args->'message'->'to'->>'chat_id', args->'message'->'reply'->>'text' FROM river_job WHERE kind = 'notify' ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Chat, Text string }])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Chat != "1001" || !strings.Contains(got[0].Text, "memblokir sementara nomor toko (kode 104) selama sekitar 24 jam") ||
		got[1].Chat != "1002" || !strings.Contains(got[1].Text, "temporarily banned the store's number (code 104) for about 24 hours") {
		t.Errorf("notifications = %+v", got)
	}
}
