package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
	"github.com/lapak-id/lapak/web"
)

// storeNumber is the store's WhatsApp number in these tests.
const storeNumber lapak.Phone = "+6281234567890"

// shop is a seeded catalog behind the catalog pages.
type shop struct {
	t     testing.TB
	pool  *pgxpool.Pool
	store *storage.Store
}

func newShop(t testing.TB) *shop {
	pool := storagetest.Pool(t)
	return &shop{t: t, pool: pool, store: storage.New(pool, nil, nil)}
}

// handler serves the catalog routes as cmd/lapak mounts them.
func (s *shop) handler(number lapak.Phone) http.Handler {
	c := web.NewCatalog(web.CatalogConfig{
		Storefronts: s.store, Links: s.store, Photos: s.store,
		PublicURL: "https://lapak.example/", WhatsApp: number,
	})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /r/{code}", c.Storefront)
	mux.HandleFunc("GET /r/{code}/p/{sku}", c.Product)
	mux.HandleFunc("GET /go/{token}", c.Order)
	mux.HandleFunc("GET /img/{id}", c.Image)
	return mux
}

func (s *shop) id(sql string, args ...any) int64 {
	s.t.Helper()
	var id int64
	if err := s.pool.QueryRow(context.Background(), sql+" RETURNING id", args...).Scan(&id); err != nil {
		s.t.Fatalf("seed %q: %v", sql, err)
	}
	return id
}

func (s *shop) exec(sql string, args ...any) {
	s.t.Helper()
	if _, err := s.pool.Exec(context.Background(), sql, args...); err != nil {
		s.t.Fatalf("seed %q: %v", sql, err)
	}
}

func (s *shop) count(sql string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		s.t.Fatalf("count %q: %v", sql, err)
	}
	return n
}

// reseller adds an approved reseller with a code and a markup.
func (s *shop) reseller(code string, m lapak.Markup) int64 {
	s.t.Helper()
	user := s.id("INSERT INTO users (channel, external_id, chat_id, name) VALUES ('telegram', $1, $1, $1)", code)
	var pct, fixed any
	if m.Percent > 0 {
		pct = int(m.Percent)
	}
	if m.Fixed > 0 {
		fixed = int64(m.Fixed)
	}
	return s.id(`INSERT INTO resellers (user_id, name, phone, city, code, status, markup_percent_bp, markup_fixed)
		VALUES ($1, 'Toko ' || $2, '+6281200000000', 'Bandung', $2, 'approved', $3, $4)`, user, code, pct, fixed)
}

func (s *shop) supplier() int64 { return s.id("INSERT INTO suppliers (name) VALUES ('Batik Bu Rina')") }

// product adds a product with base and retail prices and stock (nil: unlimited).
func (s *shop) product(supplier int64, sku, name, category string, base, retail lapak.Money, stock *int, active bool) int64 {
	s.t.Helper()
	return s.id(`INSERT INTO products (supplier_id, sku, name, description, category, base_price, retail_price, stock, active)
		VALUES ($1, $2, $3, 'Bahan katun, adem dipakai.', $4, $5, $6, $7, $8)`, supplier, sku, name, category, base, retail, stock, active)
}

// image adds a photo of product at position.
func (s *shop) image(product int64, id string, position int, jpeg []byte) {
	s.t.Helper()
	s.exec(`INSERT INTO product_images (id, product_id, position, jpeg, width, height) VALUES ($1, $2, $3, $4, 640, 640)`, id, product, position, jpeg)
}

func units(n int) *int { return &n }

// seedShop is a small shop: a kaos with an own price, sizes and photos; a sold-out topi; an
// inactive product; a product whose name tries to inject a script; and three resellers who
// price by their own price, a 10 % markup, nothing (retail) and a fixed markup.
func seedShop(s *shop) {
	sup := s.supplier()
	kaos := s.product(sup, "KAOS-01", "Kaos Polos", "Pakaian", 50_000, 75_000, units(10), true)
	s.product(sup, "TOPI-01", "Topi Rajut", "Aksesoris", 20_000, 35_000, units(0), true)
	s.product(sup, "LAMA-01", "Barang Lama", "Aksesoris", 10_000, 15_000, nil, false)
	s.product(sup, "XSS-01", "<script>alert(1)</script>", "Pakaian", 10_000, 12_000, nil, true)
	s.exec(`INSERT INTO variants (product_id, sku, name, stock, position) VALUES ($1, 'KAOS-01-M', 'M', 3, 1), ($1, 'KAOS-01-L', 'L', 0, 2)`, kaos)
	s.image(kaos, "img-kaos-2", 1, []byte("\xff\xd8second"))
	s.image(kaos, "img-kaos-1", 0, []byte("\xff\xd8\xff\xe0cover"))
	andi := s.reseller("ANDI7", lapak.Markup{Percent: 1_000})
	s.exec("INSERT INTO reseller_prices (reseller_id, product_id, price) VALUES ($1, $2, 80000)", andi, kaos)
	s.reseller("SARI3", lapak.Markup{})
	s.reseller("BUDI4", lapak.Markup{Fixed: 7_000})
}

// fetch serves a GET of path from h.
func fetch(t testing.TB, h http.Handler, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

var cardRE = regexp.MustCompile(`(?s)<li class="card[^"]*">\s*<a class="item" href="/r/[^/]+/p/([^"]+)">.*?</li>`)

// cards returns each product card's HTML by SKU.
func cards(body string) map[string]string {
	out := map[string]string{}
	for _, m := range cardRE.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[0]
	}
	return out
}

func TestStorefrontPage(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	seedShop(s)
	h := s.handler(storeNumber)

	t.Run("PricesAreTheResellers", func(t *testing.T) {
		tests := []struct{ code, kaos, topi string }{
			{"ANDI7", "Rp80.000", "Rp22.000"}, // own price for the kaos; 10 % on the topi's base price
			{"SARI3", "Rp75.000", "Rp35.000"}, // no markup: the suggested retail price
			{"BUDI4", "Rp57.000", "Rp27.000"}, // Rp7.000 on the base price
		}
		for _, tt := range tests {
			res, body := fetch(t, h, "/r/"+tt.code)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("/r/%s: status %d", tt.code, res.StatusCode)
			}
			c := cards(body)
			if !strings.Contains(c["KAOS-01"], `<p class="price">`+tt.kaos+`</p>`) || !strings.Contains(c["TOPI-01"], tt.topi) {
				t.Errorf("/r/%s: want kaos at %s and topi at %s, got cards:\n%s\n%s", tt.code, tt.kaos, tt.topi, c["KAOS-01"], c["TOPI-01"])
			}
		}
	})

	t.Run("InactiveProductsAreHidden", func(t *testing.T) {
		_, body := fetch(t, h, "/r/ANDI7")
		if strings.Contains(body, "LAMA-01") || strings.Contains(body, "Barang Lama") {
			t.Error("the catalog shows an inactive product")
		}
		if got := len(cards(body)); got != 3 {
			t.Errorf("the catalog shows %d products, want 3", got)
		}
	})

	t.Run("SoldOutSaysHabis", func(t *testing.T) {
		_, body := fetch(t, h, "/r/ANDI7")
		c := cards(body)
		if !strings.Contains(c["TOPI-01"], `<p class="stock">Habis</p>`) || strings.Contains(c["TOPI-01"], "/go/") {
			t.Errorf("sold-out topi card should say Habis and offer no order button:\n%s", c["TOPI-01"])
		}
		if !strings.Contains(c["KAOS-01"], `<p class="stock">Sisa 3</p>`) {
			t.Errorf("kaos card should say 3 are left (size M):\n%s", c["KAOS-01"])
		}
	})

	t.Run("PhotosAndOrderButtons", func(t *testing.T) {
		_, body := fetch(t, h, "/r/ANDI7")
		kaos := cards(body)["KAOS-01"]
		for _, want := range []string{`<img src="/img/img-kaos-1"`, `href="/r/ANDI7/p/KAOS-01"`, `Pesan via WhatsApp`, `href="/go/`} {
			if !strings.Contains(kaos, want) {
				t.Errorf("kaos card lacks %s:\n%s", want, kaos)
			}
		}
	})

	t.Run("GroupedAndFilteredByCategory", func(t *testing.T) {
		_, body := fetch(t, h, "/r/ANDI7")
		if a, p := strings.Index(body, "<h2>Aksesoris</h2>"), strings.Index(body, "<h2>Pakaian</h2>"); a < 0 || p < a {
			t.Errorf("want Aksesoris then Pakaian headings")
		}
		if !strings.Contains(body, `href="/r/ANDI7?kategori=Pakaian"`) {
			t.Error("no link to the Pakaian category")
		}
		_, body = fetch(t, h, "/r/ANDI7?kategori=pakaian")
		if c := cards(body); len(c) != 2 || c["TOPI-01"] != "" {
			t.Errorf("?kategori=pakaian shows %d products, want the 2 in Pakaian", len(c))
		}
	})

	t.Run("NamesAreEscaped", func(t *testing.T) {
		_, body := fetch(t, h, "/r/ANDI7")
		if strings.Contains(body, "<script>") {
			t.Fatal("a product name reached the page as a script")
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Error("the product named <script> is not shown as text")
		}
	})

	t.Run("UnknownCodeIsAFriendly404", func(t *testing.T) {
		res, body := fetch(t, h, "/r/NOPE9")
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Katalog tidak ditemukan") || !strings.Contains(body, `lang="id"`) {
			t.Errorf("/r/NOPE9: status %d, body:\n%s", res.StatusCode, body)
		}
	})

	t.Run("HeadersAndStyle", func(t *testing.T) {
		res, body := fetch(t, h, "/r/ANDI7")
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'sha256-") {
			t.Errorf("Content-Security-Policy = %q", csp)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, `src="http`) || strings.Contains(body, `rel="stylesheet"`) {
			t.Error("the page runs scripts or loads something from elsewhere")
		}
	})
}

func TestStorefrontMakesShareLinksOnce(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	seedShop(s)
	h := s.handler(storeNumber)
	for range 2 {
		fetch(t, h, "/r/SARI3")
	}
	// The kaos and the <script> product can be ordered; the topi is sold out.
	if n := s.count("SELECT count(*) FROM share_links sl JOIN resellers r ON r.id = sl.reseller_id WHERE r.code = 'SARI3'"); n != 2 {
		t.Errorf("SARI3 has %d share links after two visits, want 2", n)
	}
}

func TestProductPage(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	seedShop(s)
	h := s.handler(storeNumber)
	res, body := fetch(t, h, "/r/andi7/p/kaos-01")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		`<meta property="og:title" content="Kaos Polos – Rp80.000">`,
		`<meta property="og:description" content="Bahan katun, adem dipakai.">`,
		`<meta property="og:image" content="https://lapak.example/img/img-kaos-1">`,
		`<meta property="og:url" content="https://lapak.example/r/ANDI7/p/KAOS-01">`,
		`<meta property="og:type" content="product">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<meta property="product:price:amount" content="80000">`,
		`<span>M</span><span>Sisa 3</span>`, `<span>L</span><span class="out">Habis</span>`,
		`<img src="/img/img-kaos-2"`, `Pesan via WhatsApp`, `href="/go/`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("product page lacks %s", want)
		}
	}

	t.Run("UnknownProduct", func(t *testing.T) {
		for _, path := range []string{"/r/ANDI7/p/LAMA-01", "/r/ANDI7/p/NOPE-01"} {
			res, body := fetch(t, h, path)
			if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Produk tidak ditemukan") || !strings.Contains(body, `href="/r/ANDI7"`) {
				t.Errorf("%s: status %d, want a 404 that links to the catalog", path, res.StatusCode)
			}
		}
		if res, body := fetch(t, h, "/r/NOPE9/p/KAOS-01"); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Katalog tidak ditemukan") {
			t.Errorf("unknown reseller: status %d", res.StatusCode)
		}
	})
}

func TestOrderLink(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	seedShop(s)
	h := s.handler(storeNumber)
	_, page := fetch(t, h, "/r/ANDI7/p/KAOS-01")
	link := regexp.MustCompile(`href="(/go/[^"]+)"`).FindStringSubmatch(page)
	if link == nil {
		t.Fatal("no order link on the product page")
	}
	clicks := func() int { return s.count("SELECT count(*) FROM link_clicks") }

	t.Run("CountsAClickAndOpensWhatsApp", func(t *testing.T) {
		res, _ := fetch(t, h, link[1])
		if res.StatusCode != http.StatusFound {
			t.Fatalf("status %d, want 302", res.StatusCode)
		}
		want := lapak.WhatsAppLink(storeNumber, lapak.OrderText("Kaos Polos", "KAOS-01", "ANDI7"))
		if got := res.Header.Get("Location"); got != want {
			t.Errorf("Location = %s, want %s", got, want)
		}
		u, _ := url.Parse(res.Header.Get("Location"))
		sku, code, ok := lapak.ParseOrderText(u.Query().Get("text"))
		if u.Host != "wa.me" || u.Path != "/6281234567890" || !ok || sku != "KAOS-01" || code != "ANDI7" {
			t.Errorf("the WhatsApp link %s does not carry KAOS-01 and ANDI7 to the store's number", u)
		}
		if n := clicks(); n != 1 {
			t.Errorf("%d clicks recorded, want 1", n)
		}
	})

	t.Run("LinkPreviewsCountNoClick", func(t *testing.T) {
		before := clicks()
		res, _ := fetch(t, h, link[1], "User-Agent", "WhatsApp/2.23.20.0 A")
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/r/ANDI7/p/KAOS-01" {
			t.Errorf("preview: status %d to %q, want 302 to the product page", res.StatusCode, res.Header.Get("Location"))
		}
		req := httptest.NewRequest(http.MethodHead, link[1], nil)
		h.ServeHTTP(httptest.NewRecorder(), req)
		if clicks() != before {
			t.Error("a link preview counted as a click")
		}
	})

	t.Run("UnknownToken", func(t *testing.T) {
		res, body := fetch(t, h, "/go/nope")
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Tautan tidak dikenal") {
			t.Errorf("status %d", res.StatusCode)
		}
	})
}

func TestWithoutWhatsAppNumber(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	seedShop(s)
	andi := s.count("SELECT id FROM resellers WHERE code = 'ANDI7'")
	s.exec("INSERT INTO share_links (token, reseller_id, product_id) SELECT 'tok-kaos', $1, id FROM products WHERE sku = 'KAOS-01'", andi)
	h := s.handler("")
	for _, path := range []string{"/r/ANDI7", "/r/ANDI7/p/KAOS-01"} {
		_, body := fetch(t, h, path)
		if strings.Contains(body, "/go/") || strings.Contains(body, "Pesan via WhatsApp") {
			t.Errorf("%s offers an order button with no WhatsApp number", path)
		}
		if !strings.Contains(body, "Pemesanan lewat WhatsApp belum tersedia") {
			t.Errorf("%s does not say ordering by WhatsApp is not available yet", path)
		}
	}
	res, body := fetch(t, h, "/go/tok-kaos")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "belum tersedia") || !strings.Contains(body, `href="/r/ANDI7/p/KAOS-01"`) {
		t.Errorf("/go/ without a number: status %d, body:\n%s", res.StatusCode, body)
	}
	if n := s.count("SELECT count(*) FROM link_clicks"); n != 0 {
		t.Errorf("%d clicks recorded for an order that could not be made", n)
	}
}

func TestImage(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	seedShop(s)
	h := s.handler(storeNumber)
	res, body := fetch(t, h, "/img/img-kaos-1")
	if res.StatusCode != http.StatusOK || body != "\xff\xd8\xff\xe0cover" {
		t.Fatalf("status %d, %d bytes", res.StatusCode, len(body))
	}
	for header, want := range map[string]string{
		"Content-Type":  "image/jpeg",
		"Cache-Control": "public, max-age=31536000, immutable",
		"ETag":          `"img-kaos-1"`,
	} {
		if got := res.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	if res, _ := fetch(t, h, "/img/img-kaos-1", "If-None-Match", `"img-kaos-1"`); res.StatusCode != http.StatusNotModified {
		t.Errorf("a current copy: status %d, want 304", res.StatusCode)
	}
	for _, path := range []string{"/img/missing", "/img/bad.id"} {
		if res, _ := fetch(t, h, path); res.StatusCode != http.StatusNotFound || res.Header.Get("Cache-Control") != "" {
			t.Errorf("%s: status %d, Cache-Control %q; want an uncached 404", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
}

// TestStorefrontInTheBrowser renders a catalog in headless Chromium and reads the prices off
// the page as a customer sees them.
func TestStorefrontInTheBrowser(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	s := newShop(t)
	seedShop(s)
	srv := httptest.NewServer(s.handler(storeNumber))
	t.Cleanup(srv.Close)
	ctx := browser(t, chromium)

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/r/BUDI4")); err != nil {
		t.Fatalf("open the catalog: %v", err)
	}
	const prices = `[...document.querySelectorAll('.card')].map(c =>
		c.querySelector('a.item').pathname.split('/').pop() + '=' + c.querySelector('.price').innerText).sort().join(' ')`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](prices))
	if err != nil {
		t.Fatal(err)
	}
	if want := "KAOS-01=Rp57.000 TOPI-01=Rp27.000 XSS-01=Rp17.000"; got != want {
		t.Errorf("prices on the page: %s, want %s", got, want)
	}
	// The inline style applies, so the CSP hash matches it.
	weight, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.price')).fontWeight`))
	if err != nil || weight != "700" {
		t.Errorf("price font weight %q (%v): the inline style was blocked", weight, err)
	}
}

// browser starts headless Chromium with a fresh profile, closed when the test ends.
func browser(t *testing.T, chromium string) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	return ctx
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
