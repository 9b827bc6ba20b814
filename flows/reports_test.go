package flows_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/xuri/excelize/v2"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/telegram"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/reports"
	"github.com/lapak-id/lapak/storage"
)

type reportClock struct{ t time.Time }

func (c reportClock) Now() time.Time { return c.t }

// newReportHarness is a store whose owner 900 sold two Kaos Hitam at Rp75.000 on 14 December
// 2025, with reports on and the engine's clock at 10:00 WIB on the 15th.
func newReportHarness(t *testing.T) *harness {
	t.Helper()
	h, _ := newCatalogHarness(t)
	kaos := h.seedProduct(lapak.Product{SKU: "KAOS-HTM", Name: "Kaos Hitam", BasePrice: 50_000, RetailPrice: 75_000, Stock: intp(10)})
	wib := reports.WIB.Location()
	clock := reportClock{time.Date(2025, 12, 15, 10, 0, 0, 0, wib)}
	rc, err := river.NewClient(riverpgxv5.New(h.pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	placedAt := reportClock{time.Date(2025, 12, 14, 20, 0, 0, 0, wib)}
	store := storage.New(h.pool, rc, placedAt)
	buyer, err := store.TouchUser(ctx, lapak.WhatsApp, customer, customer, "Dewi", lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	o, err := store.PlaceOrder(ctx, lapak.NewOrder{Key: "r1", CustomerUserID: buyer.ID, Items: []lapak.CartItem{{ProductID: kaos.ID, Qty: 2}},
		Name: "Dewi", Phone: "+6281299998888", Address: lapak.Address{Street: "Jl. Merdeka 10", City: "Bandung"},
		ExpiresAt: placedAt.t.Add(time.Hour)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.pool.Exec(ctx, "UPDATE orders SET status = 'paid', paid_at = $2 WHERE id = $1", o.ID, placedAt.t.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	h.cfg.Clock = clock
	h.cfg.Reports = reports.NewService(reports.Config{Store: h.store, Clock: clock})
	h.engine = flows.New(h.cfg)
	return h
}

// TestOwnerAsksForThisMonthsReport sends what /laporan → Bulan ini answers through the Telegram
// adapter to the fake Bot API: the text, the chart as a photo that decodes as PNG, and the CSV
// as a document with the documented columns and an Excel button.
func TestOwnerAsksForThisMonthsReport(t *testing.T) {
	h := newReportHarness(t)
	fake := telegramtest.New(t)
	tg := telegram.New(telegram.Config{Token: telegramtest.Token, Endpoint: fake.Endpoint()})
	ctx := context.Background()
	if err := tg.Start(ctx); err != nil {
		t.Fatal(err)
	}
	deliver := func(out []bot.Outbound) {
		t.Helper()
		for _, o := range out {
			if err := tg.Send(ctx, o.To, o.Reply); err != nil {
				t.Fatalf("send %+v: %v", o.Reply.Text, err)
			}
		}
	}

	out := h.text("900", "/laporan")
	mustSay(t, out, "Mau lihat laporan kapan?", "[Hari ini]", "[Bulan ini]", "[Bulan lalu]", "[Pilih tanggal]", "[⏰ Jadwal laporan]")
	deliver(h.tap("900", option(t, out, "Bulan ini")))

	sent := fake.Sent()
	if len(sent) != 3 {
		t.Fatalf("%d messages sent: %+v", len(sent), sent)
	}
	text, photo, doc := sent[0], sent[1], sent[2]
	for _, want := range []string{"📊 Laporan Desember 2025", "Penjualan: Rp150.000", "1 dibayar", "1. Kaos Hitam: 2 pcs, Rp150.000"} {
		if text.Method != "sendMessage" || !strings.Contains(text.Plain, want) {
			t.Errorf("%s does not say %q:\n%s", text.Method, want, text.Plain)
		}
	}
	if photo.Method != "sendPhoto" || photo.Photo == nil {
		t.Fatalf("second message: %+v", photo)
	}
	if _, err := png.Decode(bytes.NewReader(photo.Photo.Data)); err != nil {
		t.Errorf("the photo is not a PNG: %v", err)
	}
	if !strings.Contains(photo.Plain, "Penjualan (batang) dan pesanan dibayar (garis)") {
		t.Errorf("photo caption %q", photo.Plain)
	}
	if doc.Method != "sendDocument" || doc.Document == nil || doc.Document.Name != "laporan-2025-12.csv" {
		t.Fatalf("third message: %+v", doc)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc.Document.Data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], reports.Columns) || len(rows) != 2 || rows[1][10] != "150000" {
		t.Errorf("CSV:\n%s", doc.Document.Data)
	}
	buttons := doc.Buttons()
	if len(buttons) != 2 || buttons[0].Text != "📊 Unduh Excel" || buttons[0].CallbackData != "rptx:2025-12" {
		t.Fatalf("buttons under the CSV: %+v", buttons)
	}

	fake.Reset()
	deliver(h.tap("900", buttons[0].CallbackData))
	xlsx := fake.Sent()
	if len(xlsx) != 1 || xlsx[0].Document == nil || xlsx[0].Document.Name != "laporan-2025-12.xlsx" {
		t.Fatalf("Excel: %+v", xlsx)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsx[0].Document.Data))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	f.Close()
}

func TestReportPeriodsInChat(t *testing.T) {
	h := newReportHarness(t)
	mustSay(t, h.text("900", "/laporan 14/12"), "📊 Laporan Minggu, 14 Des 2025", "Penjualan: Rp150.000")
	mustSay(t, h.text("900", "/laporan kemarin"), "📊 Laporan Minggu, 14 Des 2025")
	mustSay(t, h.text("900", "/laporan bulan lalu"), "📊 Laporan November 2025", "Penjualan: Rp0")
	mustSay(t, h.text("900", "/laporan besok lusa"), "Tanggalnya belum kebaca", "Mau lihat laporan kapan?")

	out := h.tap("900", "rpt:range")
	mustSay(t, out, "Kirim tanggalnya")
	mustSay(t, h.text("900", "kapan-kapan"), "Tanggalnya belum kebaca", "Kirim tanggalnya")
	out = h.text("900", "1/12 - 15/12")
	mustSay(t, out, "📊 Laporan 1–15 Des 2025", "Penjualan: Rp150.000 (▲ baru)")
	if n := len(out); n != 3 || out[1].Reply.Photo == nil || out[2].Reply.Document == nil {
		t.Errorf("a range gets text, chart and CSV: %d replies", n)
	}
}

func TestOwnerSetsTheReportSchedule(t *testing.T) {
	h := newReportHarness(t)
	ctx := context.Background()
	out := h.tap("900", "rpt:schedule")
	mustSay(t, out, "jam 07.00 WIB", "Harian (untuk kemarin): ❌ mati", "Mingguan (Senin, untuk minggu lalu): ✅ aktif", "[WIB ✅]")
	mustSay(t, h.tap("900", "rpts:daily"), "Harian (untuk kemarin): ✅ aktif", "[Harian ✅]")
	mustSay(t, h.tap("900", "rpts:monthly"), "Bulanan (tanggal 1, untuk bulan lalu): ❌ mati")
	mustSay(t, h.tap("900", "rpts:WITA"), "jam 07.00 WITA", "[WITA ✅]")
	mustSay(t, h.tap("900", "rpts:UTC"), "Tombol itu sudah tidak berlaku")
	owner, _ := h.store.UserByChannel(ctx, lapak.Telegram, "900")
	p, found, err := h.store.ReportPrefs(ctx, owner.ID)
	if err != nil || !found || p != (reports.Prefs{Daily: true, Weekly: true, Monthly: false, Zone: reports.WITA}) {
		t.Errorf("saved %+v %v %v", p, found, err)
	}
	mustSay(t, h.tap("900", "rpts:done"), "Menu pemilik")
}

func TestReportsForResellersAndOthers(t *testing.T) {
	h := newReportHarness(t)
	h.approvedReseller("501", "Andi Saputra")
	out := h.text("501", "/laporan")
	mustSay(t, out, "Mau lihat laporan kapan?", "[Bulan ini]")
	if strings.Contains(texts(out), "Jadwal laporan") {
		t.Error("a reseller is offered the owners' schedule")
	}
	mustSay(t, h.tap("501", "rpt:month"), "📊 Laporanmu: Desember 2025", "Pesanan: 0 masuk · 0 dibayar", "Saldo: tertahan Rp0",
		"Peringkat Desember 2025: belum ada penjualan")
	mustSay(t, h.tap("501", "rptx:2025-12"), "Laporan hanya untuk pemilik toko dan reseller")
	mustSay(t, h.tap("501", "rpts:daily"), "Laporan hanya untuk pemilik toko dan reseller")
	mustSay(t, h.text("777", "/laporan"), "Laporan hanya untuk pemilik toko dan reseller")

	h.cfg.Reports = nil
	h.engine = flows.New(h.cfg)
	mustSay(t, h.text("900", "/laporan"), "Laporan belum diaktifkan")
}

// TestReportsFromTheMenu opens reports from the menu's button, which owners and resellers get
// only while reports are set up; a tap on the button from an old menu is checked again.
func TestReportsFromTheMenu(t *testing.T) {
	h := newReportHarness(t)
	out := h.text("900", "/menu")
	mustSay(t, out, "Menu pemilik", "[📊 Laporan]")
	report := option(t, out, "📊 Laporan")
	if report != "m:report" {
		t.Errorf("the button's option is %q, want m:report", report)
	}
	out = h.tap("900", report)
	mustSay(t, out, "Mau lihat laporan kapan?", "[Minggu ini]", "[Bulan ini]", "[⏰ Jadwal laporan]")
	mustSay(t, h.tap("900", option(t, out, "Bulan ini")), "📊 Laporan Desember 2025", "Penjualan: Rp150.000")
	mustSay(t, h.text("900", "/help"), "/laporan  laporan penjualan\n")

	h.approvedReseller("501", "Andi Saputra")
	out = h.text("501", "/menu")
	mustSay(t, out, "Menu reseller", "[📊 Laporan]")
	out = h.tap("501", option(t, out, "📊 Laporan"))
	mustSay(t, out, "Mau lihat laporan kapan?", "[Bulan ini]")
	if strings.Contains(texts(out), "Jadwal laporan") {
		t.Error("a reseller is offered the owners' schedule")
	}
	mustSay(t, h.text("501", "/help"), "/laporan  laporan penjualanmu")

	// Someone who is neither gets no button, and a forged tap is refused like any other option
	// that is not theirs: no report, their own menu again.
	out = h.text("777", "/menu")
	if strings.Contains(texts(out), "Laporan") {
		t.Errorf("a guest is offered reports:\n%s", texts(out))
	}
	out = h.tap("777", "m:report")
	mustSay(t, out, "Tombol itu sudah tidak berlaku", "Mau daftar jadi reseller?")
	if got := texts(out); strings.Contains(got, "Mau lihat laporan kapan?") || strings.Contains(got, "Penjualan") {
		t.Errorf("a guest's forged tap got a report:\n%s", got)
	}

	h.cfg.Reports = nil
	h.engine = flows.New(h.cfg)
	out = h.text("900", "/menu")
	if strings.Contains(texts(out), "Laporan") {
		t.Errorf("reports are offered while they are not set up:\n%s", texts(out))
	}
	mustSay(t, h.tap("900", "m:report"), "Tombol itu sudah tidak berlaku", "Menu pemilik")
}

// TestACartStartsTheFunnel adds a product to the cart as a customer who came through a
// reseller's link: the reseller's funnel counts one cart, however many items follow.
func TestACartStartsTheFunnel(t *testing.T) {
	h := newShopHarness(t)
	h.cfg.Reports = reports.NewService(reports.Config{Store: h.store})
	h.engine = flows.New(h.cfg)
	code := h.approvedReseller("501", "Andi Saputra")
	h.seedProduct(lapak.Product{SKU: "KAOS-HTM", Name: "Kaos Hitam", BasePrice: 50000, RetailPrice: 75000, Stock: intp(5)})
	add := option(t, h.wa(lapak.OrderText("Kaos Hitam", "KAOS-HTM", code)), "Tambah ke keranjang")
	h.waTap(add)
	mustSay(t, h.wa("1"), "1 item masuk keranjang")
	h.waTap(add)
	mustSay(t, h.wa("2"), "2 item masuk keranjang")
	var carts, chats int
	err := h.pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE kind = 'cart'), count(*) FILTER (WHERE kind = 'chat')
		FROM funnel_events`).Scan(&carts, &chats)
	if err != nil || carts != 1 || chats != 1 {
		t.Errorf("%d carts and %d chats, want 1 and 1 (%v)", carts, chats, err)
	}
}
