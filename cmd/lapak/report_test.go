package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
	"github.com/lapak-id/lapak/reports"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// reportClock is a clock the report tests move.
type reportClock struct{ t time.Time }

func (c *reportClock) Now() time.Time { return c.t }

// seedSales makes owner as the owner of the supplier Kaos Nusantara with Kaos Hitam at
// Rp75.000, and one order of two for each time in paid, each paid a minute after it was placed.
func seedSales(t *testing.T, dsn string, owner string, paid ...time.Time) {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := storage.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	clock := &reportClock{t: time.Now()}
	store := storage.New(pool, rc, clock)
	if err := store.EnsureOwners(ctx, lapak.Telegram, []string{owner}, lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	u, err := store.UserByChannel(ctx, lapak.Telegram, owner)
	if err != nil {
		t.Fatal(err)
	}
	sup, err := store.CreateSupplier(ctx, "Kaos Nusantara", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	stock := 100
	p, err := store.SaveProduct(ctx, lapak.Product{SupplierID: sup.ID, SKU: "KAOS-HTM", Name: "Kaos Hitam", BasePrice: 50_000,
		RetailPrice: 75_000, Stock: &stock, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	customer, err := store.TouchUser(ctx, lapak.WhatsApp, "6281299998888", "6281299998888", "Dewi", lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	for i, at := range paid {
		clock.t = at.Add(-time.Minute)
		o, err := store.PlaceOrder(ctx, lapak.NewOrder{Key: "sale" + string(rune('a'+i)), CustomerUserID: customer.ID,
			Items: []lapak.CartItem{{ProductID: p.ID, Qty: 2}}, Name: "Dewi", Phone: "+6281299998888",
			Address: lapak.Address{Street: "Jl. Merdeka 10", City: "Bandung"}, ExpiresAt: at.Add(time.Hour)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, "UPDATE orders SET status = 'paid', paid_at = $2 WHERE id = $1", o.ID, at); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReportCommand(t *testing.T) {
	ctx := context.Background()
	_, dsn := storagetest.Schema(t)
	wib := reports.WIB.Location()
	// 23:30 WIB on 30 November and 00:30 WIB on 1 December: both 30 November in UTC.
	seedSales(t, dsn, "900", time.Date(2025, 11, 30, 23, 30, 0, 0, wib), time.Date(2025, 12, 1, 0, 30, 0, 0, wib))
	cfg, err := loadConfig(func(k string) string { return map[string]string{"DATABASE_URL": dsn}[k] })
	if err != nil {
		t.Fatal(err)
	}
	runReport := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := report(ctx, cfg, args, &out)
		return out.String(), err
	}

	t.Run("Text", func(t *testing.T) {
		out, err := runReport("--period", "2025-11")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"📊 Laporan November 2025", "Penjualan: Rp150.000", "1 dibayar", "1. Kaos Hitam: 2 pcs, Rp150.000"} {
			if !strings.Contains(out, want) {
				t.Errorf("report does not say %q:\n%s", want, out)
			}
		}
		out, err = runReport("--period", "2025-11", "--zone", "WIT", "--lang", "en")
		if err != nil || !strings.Contains(out, "Sales: Rp0") {
			t.Errorf("in WIT both sales are in December: %v\n%s", err, out)
		}
	})

	t.Run("CSV", func(t *testing.T) {
		out, err := runReport("--period", "2025-12-01", "--format", "csv")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || strings.Join(rows[0], ",") != strings.Join(reports.Columns, ",") || rows[1][3] != "2025-12-01 00:30" || rows[1][10] != "150000" {
			t.Errorf("CSV of 1 December:\n%s", out)
		}
	})

	t.Run("XLSX", func(t *testing.T) {
		out, err := runReport("--period", "2025-W49", "--format", "xlsx", "--supplier", "kaos nusantara")
		if err != nil || !strings.HasPrefix(out, "PK") {
			t.Errorf("xlsx: %v, starts %q", err, out[:min(len(out), 4)])
		}
	})

	t.Run("Mistakes", func(t *testing.T) {
		for _, args := range [][]string{{"--period", "2025-13"}, {"--format", "pdf"}, {"--zone", "UTC"}, {"--what"}, {"extra"}} {
			if _, err := runReport(args...); err == nil {
				t.Errorf("%v: no error", args)
			}
		}
		if _, err := runReport("--supplier", "Batik Solo"); err == nil || !strings.Contains(err.Error(), `Supplier "Batik Solo" tidak ditemukan`) {
			t.Errorf("unknown supplier: %v", err)
		}
	})
}

// TestReportInTelegram asks for this month's report through the fake Bot API, as an owner taps
// /laporan → Bulan ini: the text, the chart as a photo that decodes as PNG, and the CSV as a
// document with the documented columns.
func TestReportInTelegram(t *testing.T) {
	fake := telegramtest.New(t)
	env := testEnv(t, fake, map[string]string{"TELEGRAM_WEBHOOK_SECRET": "rahasia", "PUBLIC_URL": "https://lapak.example.com"})
	s := startServe(t, env)
	seedSales(t, env["DATABASE_URL"], "900", time.Now().Add(-time.Minute))

	post := func(u map[string]any) {
		raw, _ := json.Marshal(u)
		s.post("rahasia", raw)
	}
	post(textUpdate(nextUpdateID(), ownerID, "/laporan"))
	waitFor(t, fake, ownerID, "Mau lihat laporan kapan?")
	post(tapUpdate(nextUpdateID(), ownerID, "rpt:month"))
	doc := waitFor(t, fake, ownerID, "Rincian pesanan dan komisi")
	var text, photo telegramtest.Message
	for _, m := range fake.Sent() {
		switch {
		case m.Method == "sendMessage" && strings.Contains(m.Plain, "📊 Laporan"):
			text = m
		case m.Method == "sendPhoto":
			photo = m
		}
	}
	if !strings.Contains(text.Plain, "Penjualan: Rp150.000") || !strings.Contains(text.Plain, "1. Kaos Hitam: 2 pcs, Rp150.000") {
		t.Errorf("report text:\n%s", text.Plain)
	}
	if photo.Photo == nil {
		t.Fatalf("no chart; the owner got:\n%s", transcript(fake, ownerID))
	}
	if _, err := png.Decode(bytes.NewReader(photo.Photo.Data)); err != nil {
		t.Errorf("the chart is not a PNG: %v", err)
	}
	if doc.Method != "sendDocument" || doc.Document == nil || !strings.HasSuffix(doc.Document.Name, ".csv") {
		t.Fatalf("the CSV: %+v", doc)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc.Document.Data, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 2 || !slices.Equal(rows[0], reports.Columns) {
		t.Errorf("CSV (%v):\n%s", err, doc.Document.Data)
	}
}
