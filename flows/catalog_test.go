package flows_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
)

// photos is a channel's file store as the flows see it: a test photo for any file ID.
type photos struct{ fetched []string }

func (p *photos) Fetch(_ context.Context, _ bot.Address, m bot.Media) ([]byte, error) {
	p.fetched = append(p.fetched, m.FileID)
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	err := png.Encode(&b, img)
	return b.Bytes(), err
}

// keepAsJPEG stands in for the image normaliser: the bytes are kept, the size read from the PNG.
func keepAsJPEG(data []byte) ([]byte, int, int, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	return data, cfg.Width, cfg.Height, err
}

func newCatalogHarness(t *testing.T) (*harness, *photos) {
	h := newHarness(t)
	ph := &photos{}
	h.cfg.Catalog, h.cfg.Pricing, h.cfg.Files, h.cfg.Images = h.store, h.store, ph, keepAsJPEG
	h.cfg.PublicURL = "https://lapak.example.com"
	h.cfg.WhatsApp = "+6281100001111"
	h.cfg.BotUsername = func() string { return "lapak_bot" }
	h.engine = flows.New(h.cfg)
	return h, ph
}

// approvedReseller registers user and approves them through the owner's card, returning the code.
func (h *harness) approvedReseller(user, name string) string {
	h.t.Helper()
	for _, s := range []string{"/start", name, "081234567890", "Bandung"} {
		h.text(user, s)
	}
	notes := h.notifications()
	card := notes[len(notes)-1]
	out := h.tap("900", card.Reply.Options[0].ID)
	m := regexp.MustCompile(`Kodenya: (\w+)`).FindStringSubmatch(texts(out))
	if m == nil {
		h.t.Fatalf("no code: %s", texts(out))
	}
	return m[1]
}

// option finds the ID of the option whose label contains label in the last reply that has one.
func option(t *testing.T, out []bot.Outbound, label string) string {
	t.Helper()
	for i := len(out) - 1; i >= 0; i-- {
		for _, o := range out[i].Reply.Options {
			if strings.Contains(o.Label, label) {
				return o.ID
			}
		}
	}
	t.Fatalf("no option %q in:\n%s", label, texts(out))
	return ""
}

func TestOwnerAddsProductAndResellerPricesAndSharesIt(t *testing.T) {
	h, ph := newCatalogHarness(t)
	code := h.approvedReseller("301", "Andi Saputra")

	// The owner sends a photo with a caption: the product's name comes from the caption.
	out := h.send("900", bot.Inbound{Kind: bot.KindPhoto, Text: "Kaos Polos Hitam\nKatun combed 30s, adem.", Media: &bot.Media{FileID: "tg-photo-1", Size: 50_000}})
	mustSay(t, out, "Foto diterima", "brand/supplier")
	steps := []struct{ send, want string }{
		{"Kaos Nusantara", "Kategorinya apa"},
		{"Kaos", "Harga dasar berapa"},
		{"-5rb", "tidak boleh minus"},
		{"1.5", "bisa dibaca dua cara"},
		{"50rb", "minimal Rp50.000"},
		{"45.000", "tidak boleh di bawah harga dasar Rp50.000"},
		{"Rp 75.000", "harga maksimal"},
		{"lewati", "Komisi untuk reseller"},
		{"150%", "Komisi belum benar"},
		{"10%", "Ada varian"},
		{"S:5, M:10, L:0", "Berat per item"},
		{"200 gr", "Cek dulu"},
	}
	for _, s := range steps {
		out = h.text("900", s.send)
		mustSay(t, out, s.want)
	}
	mustSay(t, out, "Kaos Polos Hitam", "Rp50.000", "Rp75.000", "10% (Rp5.000)", "S (5), M (10), L (habis)", "200 g")
	out = h.tap("900", option(t, out, "Simpan"))
	sku := regexp.MustCompile(`kode ([A-Z0-9-]+)\)`).FindStringSubmatch(texts(out))
	if sku == nil {
		t.Fatalf("no product code: %s", texts(out))
	}
	if len(ph.fetched) != 1 || ph.fetched[0] != "tg-photo-1" {
		t.Errorf("photos fetched: %v", ph.fetched)
	}

	// The reseller finds it by a search with a typo.
	out = h.tap("301", "m:catalog")
	out = h.tap("301", option(t, out, "Kaos (1)"))
	mustSay(t, out, "Kaos — halaman 1 dari 1 (1 produk)")
	out = h.text("301", "kaos hitm")
	product := option(t, out, "Kaos Polos Hitam")
	out = h.tap("301", product)
	mustSay(t, out, "Harga jualmu: Rp75.000", "Untung Rp30.000 per item (selisih Rp25.000 + komisi Rp5.000)", "L: habis")
	if out[0].Reply.Photo == nil || out[0].Reply.Photo.FileID != "tg-photo-1" {
		t.Errorf("card photo = %+v", out[0].Reply.Photo)
	}

	// A price below the floor is refused with the floor; a good one is kept.
	out = h.tap("301", option(t, out, "Atur harga"))
	mustSay(t, out, "Harga dasar Rp50.000")
	mustSay(t, h.text("301", "40rb"), "tidak boleh di bawah harga dasar Rp50.000")
	mustSay(t, h.text("301", "dua ratus"), "tidak bisa kami baca")
	mustSay(t, h.text("301", "85rb"), "kamu jual Rp85.000", "Untungmu Rp40.000")

	// The share kit's links carry the product and the reseller's code.
	out = h.tap("301", "rp:share:"+strings.TrimPrefix(product, "p:"))
	mustSay(t, out, "Harga: Rp85.000", "https://lapak.example.com/go/", "https://t.me/lapak_bot?start=b_"+code+"_"+sku[1])
	var shared bot.Reply
	for _, o := range out {
		if len(o.Reply.Links) > 0 {
			shared = o.Reply
		}
	}
	if len(shared.Links) != 1 || !strings.HasPrefix(shared.Links[0].URL, "https://lapak.example.com/go/") {
		t.Fatalf("share links = %+v", shared.Links)
	}

	// A customer opening the Telegram link sees the product at the reseller's price.
	out = h.text("302", fmt.Sprintf("/start b_%s_%s", code, sku[1]))
	mustSay(t, out, "Kaos Polos Hitam", "Rp85.000", "Andi Saputra")
	link := out[0].Reply.Links[0].URL
	u, _ := url.Parse(link)
	gotSKU, gotCode, ok := lapak.ParseOrderText(u.Query().Get("text"))
	if !ok || gotSKU != sku[1] || gotCode != code {
		t.Fatalf("order link %s carries %q %q", link, gotSKU, gotCode)
	}
}

func TestCatalogRefusesBadInputAndChangesNothing(t *testing.T) {
	h, _ := newCatalogHarness(t)
	h.approvedReseller("311", "Budi Santoso")
	mustSay(t, h.send("900", bot.Inbound{Kind: bot.KindPhoto, Media: &bot.Media{FileID: "big", Size: 11 << 20}}), "terlalu besar, maksimal 10 MB")
	mustSay(t, h.send("900", bot.Inbound{Kind: bot.KindDocument, Media: &bot.Media{FileID: "pdf", MIME: "application/pdf", Name: "katalog.pdf"}}), "bukan foto")
	mustSay(t, h.tap("900", "m:addprod"), "brand/supplier")
	mustSay(t, h.text("900", "🔥🔥🔥"), "2–60 huruf")
	mustSay(t, h.text("900", "Toko Rina"), "Nama produknya apa")
	mustSay(t, h.text("900", "'; DROP TABLE products; --"), "deskripsi singkat")
	mustSay(t, h.text("900", "/cancel"), "dibatalkan")

	// A reseller cannot edit products, and a forged card tap is refused.
	if _, err := h.engine.Handle(context.Background(), bot.Inbound{Chat: bot.Address{Channel: lapak.Telegram, ChatID: "311"}, UserID: "311", UpdateID: "forge", Kind: bot.KindOption, Option: "op:base:1"}); lapak.KindOf(err) != lapak.KindForbidden {
		t.Errorf("reseller editing a product: %v", err)
	}
	var n int
	h.pool.QueryRow(context.Background(), "SELECT count(*) FROM products").Scan(&n)
	if n != 0 {
		t.Fatalf("%d products saved from bad input", n)
	}
}
