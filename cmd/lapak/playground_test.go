package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // the seeded photos
	"image/png"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"
	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot/sim"
	"github.com/lapak-id/lapak/reports"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/redis/redistest"
	"github.com/lapak-id/lapak/storage/storagetest"
)

func TestPlaygroundArgs(t *testing.T) {
	tests := []struct {
		args  []string
		want  playgroundOptions
		fails bool
	}{
		{args: nil, want: playgroundOptions{database: "lapak_playground"}},
		{args: []string{"--reset"}, want: playgroundOptions{reset: true, database: "lapak_playground"}},
		{args: []string{"-reset", "--database", "lapak_playground_t1"}, want: playgroundOptions{reset: true, database: "lapak_playground_t1"}},
		{args: []string{"--database=demo"}, want: playgroundOptions{database: "demo"}},
		{args: []string{"--database", "Demo-DB"}, fails: true},
		{args: []string{"--database", `x"; DROP DATABASE lapak; --`}, fails: true},
		{args: []string{"--rest"}, fails: true},
		{args: []string{"reset"}, fails: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			got, err := parsePlaygroundArgs(tt.args)
			if (err != nil) != tt.fails {
				t.Fatalf("err = %v, want failure %v", err, tt.fails)
			}
			if !tt.fails && got != tt.want {
				t.Errorf("options = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPlaygroundDatabaseURL(t *testing.T) {
	tests := []struct {
		dsn, want string
	}{
		{"postgres://localhost:5432/lapak?sslmode=disable", "postgres://localhost:5432/lapak_playground?sslmode=disable"},
		{"postgres://root@127.0.0.1:5432/test?sslmode=disable&search_path=x", "postgres://root@127.0.0.1:5432/lapak_playground?sslmode=disable&search_path=x"},
		{"postgresql://u:secret@db.internal/app", "postgresql://u:secret@db.internal/lapak_playground"},
		{"postgres://localhost", "postgres://localhost/lapak_playground"},
		{"mysql://localhost/lapak", ""},
		{"host=localhost dbname=lapak", ""},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			got, err := withDatabase(tt.dsn, "lapak_playground")
			if tt.want == "" {
				if err == nil {
					t.Fatalf("accepted %q", tt.dsn)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error shows the password: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestPlaygroundURL(t *testing.T) {
	tests := map[string]string{
		":8080":          "http://localhost:8080/playground",
		"0.0.0.0:8080":   "http://localhost:8080/playground",
		"[::]:8080":      "http://localhost:8080/playground",
		"127.0.0.1:9000": "http://127.0.0.1:9000/playground",
		"[::1]:80":       "http://[::1]:80/playground",
	}
	for addr, want := range tests {
		if got := playgroundURL(addr); got != want {
			t.Errorf("playgroundURL(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestPlaygroundFallsBackToInProcessRedis(t *testing.T) {
	var logs playgroundOutput
	rdb, stop, err := playgroundRedis(t.Context(), "redis://:hunter2@"+loopbackAddr(t)+"/0", slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	defer rdb.Close()
	if err := rdb.Set(t.Context(), "k", "v", 0).Err(); err != nil {
		t.Fatalf("in-process redis does not work: %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "in-process Redis") || strings.Contains(out, "hunter2") {
		t.Errorf("log does not warn about the fallback, or shows the password:\n%s", out)
	}
}

func TestPlaygroundResetClearsOnlyItsRedisKeys(t *testing.T) {
	rdb, prefix := redistest.New(t)
	ctx := t.Context()
	for _, k := range []string{"session:telegram:1002", "dedupe:update:telegram:sim-1"} {
		rdb.Set(ctx, prefix+"lapak_playground:"+k, "x", time.Minute)
	}
	rdb.Set(ctx, prefix+"lapak:session:telegram:1002", "kept", time.Minute)
	if err := clearRedis(ctx, rdb, prefix+"lapak_playground:"); err != nil {
		t.Fatal(err)
	}
	keys, _ := rdb.Keys(ctx, prefix+"*").Result()
	if len(keys) != 1 || keys[0] != prefix+"lapak:session:telegram:1002" {
		t.Fatalf("keys left = %v, want only the other app's", keys)
	}
}

func TestPlaygroundResetDropsTheDatabase(t *testing.T) {
	dsn, name := playgroundTestDatabase(t)
	pool, err := storage.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close() // dropped under it: WITH (FORCE) closes its connections
	if err := dropDatabase(t.Context(), dsn, name); err != nil {
		t.Fatal(err)
	}
	if databaseExists(t, name) {
		t.Fatalf("database %s still exists", name)
	}
	if err := dropDatabase(t.Context(), dsn, name); err != nil {
		t.Fatalf("second reset: %v", err)
	}
}

func TestPlaygroundSeedIsIdempotent(t *testing.T) {
	store := storage.New(storagetest.Pool(t), nil, nil)
	ctx := t.Context()
	for range 2 {
		if err := seedPlayground(ctx, store, lapak.Indonesian); err != nil {
			t.Fatal(err)
		}
	}
	owner, err := store.UserByChannel(ctx, lapak.Telegram, demoOwnerID)
	if err != nil || owner.Role != lapak.RoleOwner || owner.Name != "Bu Rina" {
		t.Fatalf("owner = %+v, %v; want Bu Rina, an owner", owner, err)
	}
	u, err := store.UserByChannel(ctx, lapak.Telegram, demoResellerTelegramID)
	if err != nil {
		t.Fatal(err)
	}
	r, err := store.ResellerByUser(ctx, u.ID)
	if err != nil || r.Status != lapak.ResellerApproved || r.Code == "" || u.Role != lapak.RoleReseller {
		t.Fatalf("demo reseller = %+v (%s), %v; want approved with a code", r, u.Role, err)
	}
	if _, err := store.UserByChannel(ctx, lapak.Telegram, demoResellerPaneID); err == nil {
		t.Error("the reseller pane's user exists before they wrote: they cannot register from scratch")
	}
	checkDemoCatalog(t, store, owner.ID, r.ID)
	checkDemoSales(t, store, owner, r.ID)
}

// checkDemoSales checks the seeded sales: each placed once through the demo reseller and paid
// within the last ten days, the older ones shipped, completed and released, the newest still to
// ship; every payment and release in the ledger, which balances; and this week's owner report
// with sales and a chart.
func checkDemoSales(t *testing.T, store *storage.Store, owner lapak.User, resellerID int64) {
	t.Helper()
	ctx := t.Context()
	var orders, paid, viaReseller, recent, toShip, completed, released int
	err := store.Pool().QueryRow(ctx, `
		SELECT count(*), count(paid_at), count(*) FILTER (WHERE reseller_id = $1),
			count(*) FILTER (WHERE paid_at > now() - interval '11 days' AND paid_at <= now()),
			count(*) FILTER (WHERE status = 'paid'), count(*) FILTER (WHERE status = 'completed'),
			count(earnings_released_at)
		FROM orders`, resellerID).Scan(&orders, &paid, &viaReseller, &recent, &toShip, &completed, &released)
	if err != nil {
		t.Fatal(err)
	}
	if orders != len(demoSales) || paid != orders || viaReseller != orders || recent != orders {
		t.Errorf("%d orders, %d paid, %d through the demo reseller, %d paid in the last 10 days; want the %d demo sales once, all of each",
			orders, paid, viaReseller, recent, len(demoSales))
	}
	if toShip == 0 || completed == 0 || released != completed {
		t.Errorf("%d orders to ship, %d completed, %d released; want some of each, the completed released", toShip, completed, released)
	}
	var unjournaled, unbalanced, offBalance int
	err = store.Pool().QueryRow(ctx, `
		SELECT
			(SELECT count(*) FROM orders o WHERE NOT EXISTS (
				SELECT 1 FROM ledger_transactions l WHERE l.order_id = o.id AND l.kind = 'payment'))
			+ (SELECT count(*) FROM orders o WHERE o.earnings_released_at IS NOT NULL AND NOT EXISTS (
				SELECT 1 FROM ledger_transactions l WHERE l.order_id = o.id AND l.kind = 'release')),
			(SELECT count(*) FROM (SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0) u),
			(SELECT count(*) FROM ledger_accounts a
				WHERE a.balance <> (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e WHERE e.account_id = a.id))`,
	).Scan(&unjournaled, &unbalanced, &offBalance)
	if err != nil || unjournaled != 0 || unbalanced != 0 || offBalance != 0 {
		t.Errorf("%d payments or releases without a journal, %d unbalanced journals, %d balances off their entries (%v)",
			unjournaled, unbalanced, offBalance, err)
	}
	week, _ := reports.Named(reports.ThisWeek, time.Now(), reports.WIB)
	f, err := reports.NewService(reports.Config{Store: store}).OwnerReport(ctx, owner, week)
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`Penjualan: Rp([0-9.]+)`).FindStringSubmatch(f.Text); m == nil || m[1] == "0" || !strings.Contains(f.Text, demoResellerName) {
		t.Errorf("this week's report has no sales:\n%s", f.Text)
	}
	if _, err := png.Decode(bytes.NewReader(f.Chart)); err != nil {
		t.Errorf("this week's chart is not a PNG: %v", err)
	}
}

// checkDemoCatalog checks the seeded catalog: one brand of the owner's, six products in three
// categories with one photo each, one of them with sizes, and the demo reseller's own prices.
func checkDemoCatalog(t *testing.T, store *storage.Store, ownerID, resellerID int64) {
	t.Helper()
	ctx := t.Context()
	brands, err := store.SuppliersOf(ctx, ownerID)
	if err != nil || len(brands) != 1 || brands[0].Name != "Kaos Nusantara" {
		t.Fatalf("owner's brands = %+v, %v; want only Kaos Nusantara, so adding a product asks no brand", brands, err)
	}
	products, total, err := store.Products(ctx, lapak.ProductQuery{SupplierIDs: []int64{brands[0].ID}, Limit: 50})
	if err != nil || total != len(demoCatalog) || len(demoCatalog) < 5 {
		t.Fatalf("%d products (%v), want the %d demo products once", total, err, len(demoCatalog))
	}
	if cats, _ := store.Categories(ctx, nil); len(cats) != 3 {
		t.Errorf("categories = %+v, want 3", cats)
	}
	_, markup, err := store.ResellerPrices(ctx, resellerID, nil)
	if err != nil || markup.Percent != demoMarkup {
		t.Errorf("demo reseller's markup = %+v, %v; want %s", markup, err, demoMarkup)
	}
	sizes := 0
	for _, p := range products {
		if len(p.Variants) == 3 {
			sizes++
		}
		if price := lapak.ResellerPrice(p, 0, markup); price == p.RetailPrice {
			t.Errorf("%s: the demo reseller sells at the suggested %s; want their own price", p.Name, price)
		}
		p, err := store.Product(ctx, p.ID)
		if err != nil || len(p.Images) != 1 {
			t.Fatalf("%s has photos %v (%v), want one", p.Name, p.Images, err)
		}
		jpg, err := store.Image(ctx, p.Images[0])
		if err != nil {
			t.Fatal(err)
		}
		if cfg, format, err := image.DecodeConfig(bytes.NewReader(jpg)); err != nil || format != "jpeg" || cfg.Width < 400 {
			t.Errorf("%s's photo is a %s of %dx%d (%v), want a JPEG big enough to see", p.Name, format, cfg.Width, cfg.Height, err)
		}
	}
	if sizes != 1 {
		t.Errorf("%d products with three sizes, want one", sizes)
	}
}

func TestPlaygroundLinksWorkLocally(t *testing.T) {
	if p, ok := lapak.ParsePhone(string(demoWhatsAppNumber)); !ok || p != demoWhatsAppNumber {
		t.Fatalf("demo WhatsApp number %s is not a number Lapak accepts", demoWhatsAppNumber)
	}
	tests := []struct {
		name       string
		cfg        Config
		wantPublic string
		wantWA     lapak.Phone
	}{
		{"UnsetPointsAtThePlayground", Config{}, "http://localhost:8080", demoWhatsAppNumber},
		{"ConfiguredIsKept", Config{PublicURL: "https://lapak.example.com", WhatsAppNumber: "+6281234567890"}, "https://lapak.example.com", "+6281234567890"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withLocalLinks(tt.cfg, "http://localhost:8080")
			if got.PublicURL != tt.wantPublic || got.WhatsAppNumber != tt.wantWA {
				t.Errorf("PUBLIC_URL %q, WHATSAPP_NUMBER %q; want %q, %q", got.PublicURL, got.WhatsAppNumber, tt.wantPublic, tt.wantWA)
			}
		})
	}
}

// TestPlaygroundInTheBrowser walks the business through the page in a real browser: a reseller
// registers, the owner approves them from the card the job queue delivers, and both see the same
// code; the customer's pane shows WhatsApp buttons and never renders Lapak's text as HTML. Then
// the catalog: the owner adds a product by sending its photo, and the reseller finds it, prices
// it and gets a share kit whose order link carries their code.
func TestPlaygroundInTheBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	dsn, name := playgroundTestDatabase(t)
	base := runPlayground(t, dsn, name)
	p := openPlaygroundPage(t, chromium, base+"/playground")

	p.wait("the page is connected", `document.querySelector('[data-testid="status"]').dataset.state === "live"`)
	p.say("reseller", "/start")
	p.sees("reseller", "Siapa nama lengkapmu?")
	p.say("reseller", "Andi Saputra")
	p.sees("reseller", "Nomor HP")
	p.say("reseller", "0812 3456 7890")
	p.sees("reseller", "kota apa")
	p.say("reseller", "Bandung")
	p.sees("reseller", "ditinjau")

	card := p.sees("owner", "Andi Saputra")
	if !strings.Contains(card, "Bandung") || !strings.Contains(card, "+6281234567890") {
		t.Errorf("approval card = %q, want the name, city and phone", card)
	}
	p.tap("owner", "Setujui")
	ownerCode := resellerCodeIn(t, p.sees("owner", "disetujui. Kodenya:"), `Kodenya: ([A-Z]+[2-9]+)`)
	resellerCode := resellerCodeIn(t, p.sees("reseller", "disetujui"), `Kode resellermu: ([A-Z]+[2-9]+)`)
	if ownerCode != resellerCode || !strings.HasPrefix(ownerCode, "ANDI") {
		t.Fatalf("owner was told %q, reseller %q; want the same ANDI code", ownerCode, resellerCode)
	}

	p.say("customer", "<b>tebal</b>")
	p.wait("the customer's text shows as typed", paneJS("customer", `[...pane.querySelectorAll('[data-from="user"] [data-testid="msg-text"]')].some(m => m.textContent === "<b>tebal</b>")`))
	p.say("customer", "halo")
	p.sees("customer", "Selamat datang")
	p.wait("a WhatsApp list under the customer menu", paneJS("customer", `pane.querySelectorAll('[data-testid="list-open"]').length >= 1`))
	if bold := p.eval(paneJS("customer", `pane.querySelectorAll('[data-testid="messages"] b').length`)); bold != "0" {
		t.Errorf("typed HTML became %s <b> elements", bold)
	}

	ownerAddsProductByPhoto(t, p, writeTestPNG(t))
	sku := resellerSharesProduct(t, p, base, ownerCode)
	ref := customerOrdersFromTheLink(t, p, sku, ownerCode)
	customerPaysAtTheSandbox(t, p, ref)
}

// customerOrdersFromTheLink has the customer send the text the reseller's order link types in,
// put two of one size in the cart and check out; the reseller is told of the order. It returns the
// order's reference.
func customerOrdersFromTheLink(t *testing.T, p playgroundPage, sku, code string) string {
	t.Helper()
	p.say("customer", lapak.OrderText("Kaos Polos Hitam", sku, code))
	p.sees("customer", "Harga: Rp70.000")
	p.tap("customer", "Tambah ke keranjang")
	p.sees("customer", "Pilih varian")
	p.tap("customer", "M")
	p.sees("customer", "Mau berapa?")
	p.tap("customer", "2")
	p.sees("customer", "Kaos Polos Hitam – M × 2 = Rp140.000")
	p.tap("customer", "Checkout")
	p.sees("customer", "atas nama siapa")
	p.say("customer", "Dewi Lestari")
	p.sees("customer", "Nomor HP penerima")
	p.tap("customer", "Pakai 081200000001")
	for _, step := range []struct{ answer, next string }{
		{"Jl. Merdeka No. 10", "Kelurahan"}, {"Citarum", "Kecamatan"}, {"Bandung Wetan", "Kota"},
		{"Bandung", "Kode pos"}, {"40115", "catatan"},
	} {
		p.say("customer", step.answer)
		p.sees("customer", step.next)
	}
	p.tap("customer", "Lewati")
	p.sees("customer", "wilayah mana")
	p.tap("customer", "Jawa (Rp15.000)")
	summary := p.sees("customer", "Cek pesananmu")
	if !strings.Contains(summary, "Total: Rp155.000") {
		t.Errorf("order summary = %q, want a total of Rp155.000 with shipping", summary)
	}
	p.tap("customer", "Pesan sekarang")
	placed := p.sees("customer", "sudah kami terima")
	ref := resellerCodeIn(t, placed, `(LPK-[A-Z0-9]+)`)
	p.sees("reseller", "Pesanan baru "+ref)
	p.sees("owner", "Pesanan baru "+ref)
	return ref
}

// customerPaysAtTheSandbox has the customer open the payment link in a new tab, choose QRIS on
// the sandbox's checkout page and press Bayar; the receipt comes to their chat, the reseller is
// told their commission (2 × (70.000 − 45.000 + 4.500)) and the owner gets the order to ship.
func customerPaysAtTheSandbox(t *testing.T, p playgroundPage, ref string) {
	t.Helper()
	if link := p.sees("customer", "Link pembayaran pesanan "+ref); !strings.Contains(link, "Rp155.000") || !strings.Contains(link, "WIB") {
		t.Errorf("link message = %q, want the total and the expiry in WIB", link)
	}
	href := p.eval(paneJS("customer", `(a => a ? a.href : "")([...pane.querySelectorAll('[data-from="bot"] a[data-testid="link"]')].pop())`))
	if !strings.Contains(href, "/web/") {
		t.Fatalf("payment button goes to %q, want the sandbox's checkout page", href)
	}
	tab, closeTab := chromedp.NewContext(p.ctx)
	defer closeTab()
	// The first action on a tab's own context opens the tab; one with a deadline would close it.
	if err := chromedp.Do(tab, chromedp.Navigate(href)); err != nil {
		t.Fatalf("open the checkout page: %v", err)
	}
	checkout := playgroundPage{t: t, ctx: tab}
	browserStep(checkout, "choose QRIS", chromedp.Click(chromedp.CSS(`input[data-testid="option-QRIS"]`)))
	browserStep(checkout, "press Bayar", chromedp.Click(chromedp.CSS(`button[data-testid="pay"]`)))
	if status := browserStep(checkout, "the checkout page after Bayar", chromedp.Text(chromedp.CSS(`[data-testid="status"]`))); !strings.Contains(status, "Pembayaran berhasil lewat QRIS") {
		t.Errorf("after Bayar the checkout page says %q", status)
	}

	if receipt := p.sees("customer", "Pembayaran diterima"); !strings.Contains(receipt, ref) || !strings.Contains(receipt, "QRIS") {
		t.Errorf("receipt = %q", receipt)
	}
	p.sees("reseller", "Komisi Rp59.000 masuk (menunggu)")
	p.sees("owner", "Pesanan "+ref+" LUNAS")
}

// ownerAddsProductByPhoto sends a photo with a caption from the owner's pane and answers the
// add-product questions; with one brand, the brand is not asked. A file over 10 MB is refused
// first, with an error the owner can read.
func ownerAddsProductByPhoto(t *testing.T, p playgroundPage, photo string) {
	t.Helper()
	big := filepath.Join(t.TempDir(), "terlalu-besar.jpg")
	if err := os.WriteFile(big, make([]byte, 10<<20+1), 0o644); err != nil {
		t.Fatal(err)
	}
	p.attach("owner", "", big)
	p.wait("the owner is told the file is too large", paneJS("owner", `(e => !e.hidden && e.textContent.includes("maksimal 10 MB"))(pane.querySelector('[data-testid="send-error"]'))`))

	p.attach("owner", "Kaos Polos Hitam", photo)
	p.wait("the owner's photo shows in their chat", photoLoaded("owner", "user", "", "/playground/api/file/"))
	p.wait("the error about the large file is gone once a photo was sent", paneJS("owner", `pane.querySelector('[data-testid="send-error"]').hidden`))
	p.sees("owner", "Foto diterima")
	p.sees("owner", "deskripsi singkat") // the name came from the caption; the only brand was taken
	p.tap("owner", "Lewati")
	p.sees("owner", "Kategorinya apa?")
	p.say("owner", "Kaos")
	p.sees("owner", "Harga dasar berapa?")
	p.say("owner", "45rb")
	p.sees("owner", "Harga jual yang disarankan")
	p.say("owner", "65rb")
	p.sees("owner", "Ada harga maksimal?")
	p.tap("owner", "Lewati")
	p.sees("owner", "Komisi untuk reseller")
	p.say("owner", "10%")
	p.sees("owner", "Ada varian")
	p.say("owner", "S:10, M:10, L:5")
	p.sees("owner", "Berat per item")
	p.say("owner", "200")
	summary := p.sees("owner", "Cek dulu ya")
	for _, want := range []string{"Nama: Kaos Polos Hitam", "Kategori: Kaos", "Harga dasar: Rp45.000", "S (10), M (10), L (5)", "Foto: ada"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	p.tap("owner", "Simpan")
	if saved := p.sees("owner", "Produk tersimpan"); !strings.Contains(saved, "Kaos Polos Hitam") {
		t.Errorf("owner was told %q, want the product saved", saved)
	}
}

// resellerSharesProduct has the approved reseller browse the catalog, see a seeded product's photo
// and the new one's, try a price below the floor, set a good one and share the product.
func resellerSharesProduct(t *testing.T, p playgroundPage, base, code string) string {
	t.Helper()
	p.say("reseller", "/menu")
	p.tap("reseller", "Katalog")
	p.sees("reseller", "Pilih kategori")
	p.tap("reseller", "Semua produk")
	p.sees("reseller", "Semua produk — halaman 1")
	p.tap("reseller", "Kaos Batik Parang")
	p.sees("reseller", "Harga jualmu: Rp89.000")
	p.wait("a seeded product's photo shows from the catalog", photoLoaded("reseller", "bot", "Kaos Batik Parang", base+"/img/"))
	p.tap("reseller", "Kaos Polos Hitam")
	p.sees("reseller", "Harga jualmu: Rp65.000")
	p.wait("the owner's photo shows on the product card", photoLoaded("reseller", "bot", "Kaos Polos Hitam", "/playground/api/file/"))

	p.tap("reseller", "Atur harga")
	p.sees("reseller", "Mau jual Kaos Polos Hitam berapa?")
	p.say("reseller", "30rb")
	p.sees("reseller", "tidak boleh di bawah harga dasar Rp45.000")
	p.say("reseller", "70rb")
	p.sees("reseller", "kamu jual Rp70.000")

	p.tap("reseller", "Bagikan")
	caption := p.sees("reseller", "Harga: Rp70.000")
	order := regexp.MustCompile(regexp.QuoteMeta(base) + `/go/[A-Za-z0-9]+`).FindString(caption)
	if order == "" || !strings.Contains(caption, "start=b_"+code+"_") {
		t.Fatalf("share caption = %q, want a %s/go/ order link and a Telegram link with code %s", caption, base, code)
	}
	button := p.eval(paneJS("reseller", `(a => a ? a.href + " " + a.target : "")([...pane.querySelectorAll('[data-from="bot"] a[data-testid="link"]')].pop())`))
	if button != order+" _blank" {
		t.Errorf("order button = %q, want %s opening in a new tab", button, order)
	}
	if to := redirectOf(t, order); !strings.HasPrefix(to, "https://wa.me/6281100000000?") || !strings.Contains(to, "+via+"+code) {
		t.Errorf("order link goes to %q, want the demo WhatsApp number with an order via %s", to, code)
	}
	return resellerCodeIn(t, caption, "start=b_"+code+`_([A-Z0-9-]+)`)
}

// photoLoaded is a predicate: a message from `from` in pane containing text has a photo whose
// address contains src, and the browser has drawn it.
func photoLoaded(pane, from, text, src string) string {
	args, _ := json.Marshal([]string{from, text, src})
	return paneJS(pane, `((from, text, src) => [...pane.querySelectorAll('[data-from="' + from + '"]')]
		.filter(m => m.textContent.includes(text))
		.some(m => [...m.querySelectorAll('img[data-testid="photo"]')].some(i => i.src.includes(src) && i.complete && i.naturalWidth > 0)))(...`+string(args)+`)`)
}

// redirectOf answers where url redirects to, without following it.
func redirectOf(t *testing.T, url string) string {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.Header.Get("Location")
}

// writeTestPNG writes a small black PNG, a photo of a black T-shirt as far as Lapak can tell.
func writeTestPNG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{0x20, 0x20, 0x24, 0xff}), image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kaos-polos-hitam.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runPlayground runs `lapak playground --reset` on database name and a free port until the
// test ends, and returns its base URL once /healthz answers.
func runPlayground(t *testing.T, dsn, name string) string {
	t.Helper()
	addr := loopbackAddr(t)
	env := map[string]string{"DATABASE_URL": dsn, "REDIS_URL": redistest.URL(), "HTTP_ADDR": addr}
	var out playgroundOutput
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var runErr error
	go func() {
		defer close(done)
		runErr = run(ctx, []string{"playground", "--reset", "--database", name}, func(k string) string { return env[k] }, &out)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
			if runErr != nil {
				t.Errorf("playground stopped with %v", runErr)
			}
		case <-time.After(25 * time.Second):
			t.Error("playground did not stop within 25s")
		}
		clearTestRedis(t, name+":")
		if t.Failed() {
			t.Logf("playground output:\n%s", out.String())
		}
	})
	base := "http://" + addr
	waitPlaygroundHealthy(t, base+"/healthz", done)
	if !strings.Contains(out.String(), base+"/playground") {
		t.Errorf("playground did not print its address %s/playground:\n%s", base, out.String())
	}
	return base
}

// waitPlaygroundHealthy polls url until it answers 200, the playground stops, or 30s pass.
func waitPlaygroundHealthy(t *testing.T, url string, done <-chan struct{}) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			t.Fatal("playground stopped before it was healthy")
		default:
		}
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond) // a poll interval, not a wait for something to happen
	}
	t.Fatalf("%s not healthy within 30s", url)
}

// playgroundPage is the playground page in headless Chromium, with the test's assertions.
type playgroundPage struct {
	t   *testing.T
	ctx context.Context
}

func openPlaygroundPage(t *testing.T, chromium, url string) playgroundPage {
	t.Helper()
	profile, err := os.MkdirTemp("", "lapak-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1400, 900),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	t.Cleanup(func() { screenshotOnFailure(t, ctx) }) // runs before the browser closes
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return playgroundPage{t: t, ctx: ctx}
}

func screenshotOnFailure(t *testing.T, ctx context.Context) {
	if !t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	dir, err := os.MkdirTemp("", "lapak-playground-failure-")
	if err == nil {
		path := filepath.Join(dir, "playground.png")
		err = os.WriteFile(path, png, 0o644)
		t.Logf("screenshot of the failure: %s", path)
	}
	if err != nil {
		t.Logf("screenshot: %v", err)
	}
}

// step runs an action with a deadline of its own.
func browserStep[T any](b playgroundPage, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

func (b playgroundPage) wait(what, predicate string) {
	b.t.Helper()
	browserStep(b, what, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
}

func (b playgroundPage) eval(expr string) string {
	b.t.Helper()
	return fmt.Sprint(browserStep(b, expr, chromedp.Evaluate[any](expr)))
}

// say types text in a pane and sends it.
func (b playgroundPage) say(pane, text string) {
	b.t.Helper()
	sel := `[data-testid="pane-` + pane + `"] `
	browserStep(b, pane+" types "+text, chromedp.Steps(
		chromedp.SendKeys(chromedp.CSS(sel+`[data-testid="input"]`), text),
		chromedp.Click(chromedp.CSS(sel+`[data-testid="send"]`)),
	))
}

// attach types caption in a pane and picks the file at path with the pane's 📎 button, which sends
// it at once with the caption.
func (b playgroundPage) attach(pane, caption, path string) {
	b.t.Helper()
	sel := `[data-testid="pane-` + pane + `"] `
	var steps []chromedp.Action[chromedp.Void]
	if caption != "" {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(sel+`[data-testid="input"]`), caption))
	}
	steps = append(steps, chromedp.SetUploadFiles(chromedp.CSS(sel+`[data-testid="file"]`), []string{path}))
	browserStep(b, pane+" sends "+filepath.Base(path), chromedp.Steps(steps...))
}

// tap taps the newest option labelled label in a pane.
func (b playgroundPage) tap(pane, label string) {
	b.t.Helper()
	xpath := fmt.Sprintf(`(//*[@data-testid="pane-%s"]//button[@data-testid="option"][normalize-space()=%q])[last()]`, pane, label)
	browserStep(b, pane+" taps "+label, chromedp.Click(chromedp.Search(xpath)))
}

// sees waits until a message from Lapak in pane contains text, and returns that message.
func (b playgroundPage) sees(pane, text string) string {
	b.t.Helper()
	quoted, _ := json.Marshal(text)
	expr := paneJS(pane, `[...pane.querySelectorAll('[data-from="bot"] [data-testid="msg-text"]')].map(m => m.textContent).findLast(s => s.includes(`+string(quoted)+`)) || ""`)
	return browserStep(b, pane+" sees "+text, chromedp.Poll[string](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
}

// paneJS wraps a JavaScript expression that reads the pane's element as pane.
func paneJS(pane, expr string) string {
	return `((pane) => ` + expr + `)(document.querySelector('[data-testid="pane-` + pane + `"]'))`
}

func resellerCodeIn(t *testing.T, text, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no code in %q", text)
	}
	return m[1]
}

// chromiumPath is Debian's Chromium; without it the test fails under CI and is skipped elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	const path = "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is required in CI (apt-get install chromium): %v", err)
		}
		t.Skipf("chromium not installed: %v", err)
	}
	return path
}

// playgroundTestDatabase names a database of the test's own on the test server, dropped when the
// test ends, and returns a DSN for it.
func playgroundTestDatabase(t *testing.T) (dsn, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, storagetest.DSN())
	if err != nil {
		storagetest.Unavailable(t, "Postgres", err)
	}
	conn.Close(ctx)
	b := make([]byte, 5)
	rand.Read(b)
	name = "lapak_playground_t_" + hex.EncodeToString(b)
	dsn, err = withDatabase(storagetest.DSN(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(context.Background(), dsn, name); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return dsn, name
}

func databaseExists(t *testing.T, name string) bool {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), storagetest.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var exists bool
	if err := conn.QueryRow(t.Context(), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	return exists
}

// clearTestRedis deletes the keys a test playground left, when the test Redis answers.
func clearTestRedis(t *testing.T, prefix string) {
	opts, err := goredis.ParseURL(redistest.URL())
	if err != nil {
		return
	}
	rdb := goredis.NewClient(opts)
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if rdb.Ping(ctx).Err() != nil {
		return // the playground used an in-process Redis, gone with it
	}
	if err := clearRedis(ctx, rdb, prefix); err != nil {
		t.Logf("clear test redis keys: %v", err)
	}
}

func loopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// playgroundOutput is a bytes.Buffer that the playground's goroutines may write while the test reads.
type playgroundOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *playgroundOutput) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *playgroundOutput) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestPlaygroundCustomerPaysAtTheSandbox drives the playground's API as its page does, without a
// browser: the customer orders from the demo reseller, opens the payment link, which is the
// sandbox's checkout page, picks VA BCA and presses Bayar there, and gets the receipt in their
// chat; the demo reseller is told their commission.
func TestPlaygroundCustomerPaysAtTheSandbox(t *testing.T) {
	dsn, name := playgroundTestDatabase(t)
	api := playgroundAPI{t: t, base: runPlayground(t, dsn, name)}
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	var code string
	err = conn.QueryRow(t.Context(), "SELECT r.code FROM resellers r JOIN users u ON u.id = r.user_id WHERE u.external_id = $1", demoResellerTelegramID).Scan(&code)
	conn.Close(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	api.say("customer", lapak.OrderText("Kaos Wayang Anak", "KN-WAYANG-ANAK", code), "Harga: Rp58.500")
	api.tap("customer", "Tambah ke keranjang", "Mau berapa?")
	api.tap("customer", "1", "Kaos Wayang Anak × 1")
	api.tap("customer", "Checkout", "atas nama siapa")
	api.say("customer", "Dewi Lestari", "Nomor HP penerima")
	api.tap("customer", "Pakai 081200000001", "Alamat lengkap")
	for _, step := range []struct{ answer, next string }{
		{"Jl. Merdeka No. 10", "Kelurahan"}, {"Citarum", "Kecamatan"}, {"Bandung Wetan", "Kota"}, {"Bandung", "Kode pos"}, {"40115", "catatan"},
	} {
		api.say("customer", step.answer, step.next)
	}
	api.tap("customer", "Lewati", "wilayah mana")
	api.tap("customer", "Jawa (Rp15.000)", "Total: Rp73.500")
	ref := resellerCodeIn(t, api.tap("customer", "Pesan sekarang", "sudah kami terima").Text, `(LPK-[A-Z0-9]+)`)

	link := api.sees("customer", "Link pembayaran pesanan "+ref)
	if len(link.Links) != 1 || !strings.Contains(link.Links[0].URL, "/web/") {
		t.Fatalf("link message %+v, want a button to the sandbox's checkout page", link)
	}
	page := fetch(t, http.MethodGet, link.Links[0].URL, nil)
	for _, want := range []string{"Transfer bank (Virtual Account)", "QRIS", "Kartu kredit/debit", "Bayar Rp73.500"} {
		if !strings.Contains(page, want) {
			t.Errorf("checkout page has no %q", want)
		}
	}
	if done := fetch(t, http.MethodPost, link.Links[0].URL+"/pay", url.Values{"channel": {"BCA"}}); !strings.Contains(done, "Pembayaran berhasil lewat BCA") {
		t.Errorf("after Bayar the page says %q", done)
	}
	if receipt := api.sees("customer", "Pembayaran diterima"); !strings.Contains(receipt.Text, ref) || !strings.Contains(receipt.Text, "VA BCA") {
		t.Errorf("receipt %q", receipt.Text)
	}
}

// TestPlaygroundOwnerSeesTheDemoSales asks for this week's report from the owner's pane, as the
// page does: the demo sales make it show sales and the chart.
func TestPlaygroundOwnerSeesTheDemoSales(t *testing.T) {
	dsn, name := playgroundTestDatabase(t)
	api := playgroundAPI{t: t, base: runPlayground(t, dsn, name)}
	api.say("owner", "/menu", "Menu pemilik")
	api.tap("owner", "📊 Laporan", "Mau lihat laporan kapan?")
	report := api.tap("owner", "Minggu ini", "Penjualan: Rp").Text
	if m := regexp.MustCompile(`Penjualan: Rp([0-9.]+)`).FindStringSubmatch(report); m == nil || m[1] == "0" {
		t.Errorf("this week's report shows no sales:\n%s", report)
	}
	for _, want := range []string{"Produk terlaris", demoResellerName} {
		if !strings.Contains(report, want) {
			t.Errorf("this week's report does not show %q:\n%s", want, report)
		}
	}
	chart := api.sees("owner", "Penjualan (batang) dan pesanan dibayar (garis)")
	data, ok := strings.CutPrefix(chart.Photo, "data:image/png;base64,")
	if !ok {
		t.Fatalf("the chart's message has photo %.60q, want a PNG", chart.Photo)
	}
	img, err := base64.StdEncoding.DecodeString(data)
	if err == nil {
		_, err = png.Decode(bytes.NewReader(img))
	}
	if err != nil {
		t.Errorf("the chart does not decode as a PNG: %v", err)
	}
}

// playgroundAPI is the playground's API, called as its page calls it.
type playgroundAPI struct {
	t    *testing.T
	base string
}

// send posts an action and fails the test unless it was handled.
func (p playgroundAPI) send(act sim.Action) {
	p.t.Helper()
	body, _ := json.Marshal(act)
	res, err := http.Post(p.base+"/playground/api/send", "application/json", bytes.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		p.t.Fatalf("send %+v: %d", act, res.StatusCode)
	}
}

// say types text in a pane and waits for a reply containing want.
func (p playgroundAPI) say(pane, text, want string) sim.Message {
	p.t.Helper()
	p.send(sim.Action{Pane: pane, Text: text})
	return p.sees(pane, want)
}

// tap taps the newest option labelled label in a pane and waits for a reply containing want.
func (p playgroundAPI) tap(pane, label, want string) sim.Message {
	p.t.Helper()
	entries := p.history()
	for i := len(entries) - 1; i >= 0; i-- {
		if e := entries[i]; e.Pane == pane && e.Reply != nil {
			for _, o := range e.Reply.Options {
				if o.Label == label {
					after := entries[len(entries)-1].Seq
					p.send(sim.Action{Pane: pane, Option: o.ID, Label: o.Label})
					return p.seesAfter(pane, want, after)
				}
			}
		}
	}
	p.t.Fatalf("no option %q in the %s pane", label, pane)
	return sim.Message{}
}

// sees waits until a message from Lapak in pane contains text, and returns the newest such.
func (p playgroundAPI) sees(pane, text string) sim.Message { return p.seesAfter(pane, text, 0) }

// seesAfter waits for a message from Lapak in pane after entry seq that contains text.
func (p playgroundAPI) seesAfter(pane, text string, seq int64) sim.Message {
	p.t.Helper()
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	deadline := time.After(20 * time.Second)
	for {
		entries := p.history()
		for i := len(entries) - 1; i >= 0; i-- {
			if e := entries[i]; e.Seq > seq && e.Pane == pane && e.Reply != nil && strings.Contains(e.Reply.Text, text) {
				return *e.Reply
			}
		}
		select {
		case <-poll.C:
		case <-deadline:
			var got []string
			for _, e := range entries {
				if e.Pane == pane && e.Reply != nil {
					got = append(got, e.Reply.Text)
				}
			}
			p.t.Fatalf("the %s pane never saw %q; it saw:\n%s", pane, text, strings.Join(got, "\n---\n"))
		}
	}
}

// history is every entry of every pane, oldest first.
func (p playgroundAPI) history() []sim.Entry {
	p.t.Helper()
	res, err := http.Get(p.base + "/playground/api/history")
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	var h struct {
		Entries []sim.Entry `json:"entries"`
	}
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		p.t.Fatal(err)
	}
	return h.Entries
}
