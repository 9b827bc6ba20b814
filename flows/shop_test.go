package flows_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/storage/redis"
	"github.com/lapak-id/lapak/storage/redis/redistest"
)

const customer = "6281299998888"

func newShopHarness(t *testing.T) *harness {
	h, _ := newCatalogHarness(t)
	rdb, prefix := redistest.New(t)
	h.cfg.Customers, h.cfg.Orders, h.cfg.Carts = h.store, h.store, redis.NewCarts(rdb, prefix, 7*24*time.Hour)
	h.engine = flows.New(h.cfg)
	return h
}

// wa sends text from the WhatsApp customer.
func (h *harness) wa(text string) []bot.Outbound {
	return h.sendWA(bot.Inbound{Kind: bot.KindText, Text: text})
}

func (h *harness) waTap(id string) []bot.Outbound {
	return h.sendWA(bot.Inbound{Kind: bot.KindOption, Option: id})
}

func (h *harness) sendWA(in bot.Inbound) []bot.Outbound {
	h.t.Helper()
	h.update++
	in.Chat = bot.Address{Channel: lapak.WhatsApp, ChatID: customer}
	in.UserID, in.UserName, in.UpdateID = customer, "Dewi", "wa"+strconv.Itoa(h.update)
	out, err := h.engine.Handle(context.Background(), in)
	if err != nil {
		h.t.Fatalf("customer sends %+v: %v", in, err)
	}
	return out
}

// seedProduct saves a product with stock through the store.
func (h *harness) seedProduct(p lapak.Product) lapak.Product {
	h.t.Helper()
	ctx := context.Background()
	owner, err := h.store.UserByChannel(ctx, lapak.Telegram, "900")
	if err != nil {
		h.t.Fatal(err)
	}
	sups, _ := h.store.SuppliersOf(ctx, owner.ID)
	if len(sups) == 0 {
		s, err := h.store.CreateSupplier(ctx, "Kaos Nusantara", owner.ID)
		if err != nil {
			h.t.Fatal(err)
		}
		sups = append(sups, s)
	}
	p.SupplierID, p.Active = sups[0].ID, true
	saved, err := h.store.SaveProduct(ctx, p)
	if err != nil {
		h.t.Fatal(err)
	}
	return saved
}

func intp(n int) *int { return &n }

func TestCustomerOrdersFromAResellersLink(t *testing.T) {
	h := newShopHarness(t)
	code := h.approvedReseller("501", "Andi Saputra")
	kaos := h.seedProduct(lapak.Product{SKU: "KAOS-HTM", Name: "Kaos Hitam", Category: "Kaos", BasePrice: 50000, RetailPrice: 75000,
		Commission: lapak.CommissionRule{Percent: 1000}, Variants: []lapak.Variant{{Name: "M", Stock: intp(5), Active: true}, {Name: "L", Stock: intp(2), Active: true}}})
	h.seedProduct(lapak.Product{SKU: "TOPI-1", Name: "Topi Rajut", Category: "Aksesoris", BasePrice: 20000, RetailPrice: 35000, Stock: intp(10)})
	h.tap("501", "m:markup")
	h.text("501", "20%") // Andi sells at base + 20 %: Kaos Rp60.000, Topi Rp24.000

	// The share link's text opens the product, at Andi's price.
	out := h.wa(lapak.OrderText("Kaos Hitam", "KAOS-HTM", code))
	mustSay(t, out, "toko Andi", "Kaos Hitam", "Harga: Rp60.000")
	out = h.waTap(option(t, out, "Tambah ke keranjang"))
	mustSay(t, out, "Pilih varian")
	h.waTap(option(t, out, "L"))
	for _, bad := range []string{"0", "-1", "9999999", "dua"} {
		mustSay(t, h.wa(bad), "harus angka 1 sampai 1000")
	}
	out = h.wa("2")
	mustSay(t, out, "2 item masuk keranjang", "Kaos Hitam – L × 2 = Rp120.000")

	// A typo search finds the second product.
	h.waTap("c:search")
	out = h.wa("topi rajt")
	out = h.waTap(option(t, out, "Topi Rajut"))
	mustSay(t, out, "Harga: Rp24.000")
	h.waTap(option(t, out, "Tambah ke keranjang"))
	out = h.waTap("q:1")
	mustSay(t, out, "Subtotal: Rp144.000")

	// Checkout, with garbage along the way.
	out = h.waTap("c:checkout")
	mustSay(t, out, "atas nama siapa")
	mustSay(t, h.wa("Dewi Lestari"), "Nomor HP penerima")
	out = h.waTap("known")
	mustSay(t, out, "Alamat lengkap")
	mustSay(t, h.wa(strings.Repeat("Jl. Merdeka ", 500)), "terlalu panjang")
	mustSay(t, h.wa(strings.Repeat("Jl. Merdeka ", 30)), "2–200 karakter")
	mustSay(t, h.wa("Jl. Merdeka No. 10 RT 01/RW 02"), "Kelurahan")
	h.sendWA(bot.Inbound{Kind: bot.KindOther})
	mustSay(t, h.wa("Citarum"), "Kecamatan")
	mustSay(t, h.wa("Bandung Wetan"), "Kota")
	mustSay(t, h.wa("Bandung"), "Kode pos")
	mustSay(t, h.wa("401"), "5 angka")
	mustSay(t, h.wa("40115"), "catatan")
	out = h.waTap("skip")
	mustSay(t, out, "Cek pesananmu", "Total: Rp144.000", "Dewi Lestari", "081299998888", "Jl. Merdeka No. 10 RT 01/RW 02, Citarum, Bandung Wetan, Bandung, 40115")
	out = h.waTap("order")
	m := regexp.MustCompile(`Pesanan (LPK-[A-Z0-9]+)`).FindStringSubmatch(texts(out))
	if m == nil {
		t.Fatalf("no order reference: %s", texts(out))
	}
	mustSay(t, h.waTap("order"), "sudah tidak berlaku") // a double tap makes one order

	o, err := h.store.OrderByRef(context.Background(), m[1])
	if err != nil {
		t.Fatal(err)
	}
	r, _ := h.store.ResellerByCode(context.Background(), code)
	if o.ResellerID != r.ID || o.Total != 144000 || len(o.Items) != 2 {
		t.Fatalf("order = %+v", o)
	}
	p, _ := h.store.Product(context.Background(), kaos.ID)
	for _, v := range p.Variants {
		if v.Name == "L" && *v.Stock != 0 || v.Name == "M" && *v.Stock != 5 {
			t.Errorf("stock after the order: %s = %d", v.Name, *v.Stock)
		}
	}
	notes := texts(h.notifications())
	if !strings.Contains(notes, "Pesanan baru "+m[1]+" dari Dewi Lestari") || !strings.Contains(notes, "via "+code) {
		t.Errorf("reseller and owner were not told:\n%s", notes)
	}
	mustSay(t, h.waTap("c:orders"), m[1], "Rp144.000")

	// The last L is gone: another order for it is refused and changes nothing.
	h.wa(lapak.OrderText("Kaos Hitam", "KAOS-HTM", code))
	out = h.waTap("ca:add:" + itoa(kaos.ID))
	if strings.Contains(texts(out), "[L]") {
		t.Errorf("a sold-out variant is still offered: %s", texts(out))
	}
}

func TestCustomerTalksToTheSeller(t *testing.T) {
	h := newShopHarness(t)
	code := h.approvedReseller("511", "Budi Santoso")
	h.wa(code)
	mustSay(t, h.waTap("c:contact"), "pesanmu untuk Budi")
	out := h.wa("Kak, kaosnya ready ukuran XL?")
	mustSay(t, out, "Terkirim")
	var toSeller bot.Outbound
	for _, o := range out {
		if o.To.ChatID == "511" {
			toSeller = o
		}
	}
	if !strings.Contains(toSeller.Reply.Text, "Kak, kaosnya ready ukuran XL?") || strings.Contains(toSeller.Reply.Text, customer) {
		t.Fatalf("seller got %q (the phone must be masked)", toSeller.Reply.Text)
	}
	out = h.tap("511", toSeller.Reply.Options[0].ID)
	mustSay(t, out, "balasan untuk Dewi")
	out = h.text("511", "Ready kak, stok 3")
	if len(out) < 1 || out[0].To.ChatID != customer || !strings.Contains(out[0].Reply.Text, "Ready kak, stok 3") {
		t.Fatalf("the reply did not reach the customer: %+v", out)
	}
	// Another reseller cannot answer this customer.
	h.approvedReseller("512", "Citra Dewi")
	_, err := h.engine.Handle(context.Background(), bot.Inbound{Chat: bot.Address{Channel: lapak.Telegram, ChatID: "512"}, UserID: "512", UpdateID: "steal", Kind: bot.KindOption, Option: toSeller.Reply.Options[0].ID})
	if lapak.KindOf(err) != lapak.KindForbidden {
		t.Fatalf("another reseller answering: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestOwnerSetsShippingFees(t *testing.T) {
	h := newShopHarness(t)
	mustSay(t, h.tap("900", "m:zones"), "belum diatur", "Jawa: 15rb")
	mustSay(t, h.text("900", "Jawa 15rb"), "belum benar")
	mustSay(t, h.text("900", "Jawa: gratis"), "belum benar")
	mustSay(t, h.text("900", "Jawa: 15rb\nLuar Jawa: Rp 35.000"), "Ongkir disimpan", "Jawa: Rp15.000", "Luar Jawa: Rp35.000")
	zones, err := h.store.ShippingZones(context.Background())
	if err != nil || len(zones) != 2 || zones[1].Fee != 35000 {
		t.Fatalf("zones = %+v, %v", zones, err)
	}
	h.tap("900", "m:zones")
	mustSay(t, h.tap("900", "free"), "gratis ongkir")
	if zones, _ := h.store.ShippingZones(context.Background()); len(zones) != 0 {
		t.Fatalf("zones after free shipping = %+v", zones)
	}
	// A reseller cannot set them.
	h.approvedReseller("521", "Dina Marlina")
	mustSay(t, h.tap("521", "m:zones"), "sudah tidak berlaku")
}
