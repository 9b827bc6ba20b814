package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
	"github.com/lapak-id/lapak/bot/wacloud/wacloudtest"
	"github.com/lapak-id/lapak/storage"
)

// shopper is a customer writing to the store on WhatsApp through the fake Graph API.
type shopper struct {
	t       *testing.T
	graph   *wacloudtest.Server
	webhook string
	phone   string
}

func (c shopper) send(in wacloudtest.Inbound) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if status, err := wacloudtest.Deliver(ctx, c.webhook, in); err != nil || status != 200 {
		c.t.Fatalf("deliver %+v: %d %v", in, status, err)
	}
}

// says sends text and waits for a reply containing want.
func (c shopper) says(text, want string) wacloudtest.Message {
	c.t.Helper()
	c.send(wacloudtest.Text(c.phone, text))
	return c.sees(want)
}

func (c shopper) sees(want string) wacloudtest.Message {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	m, err := c.graph.WaitSent(ctx, func(m wacloudtest.Message) bool { return m.To == c.phone && strings.Contains(m.Text, want) })
	if err != nil {
		var got []string
		for _, m := range c.graph.SentTo(c.phone) {
			got = append(got, m.Text)
		}
		c.t.Fatalf("customer never saw %q; saw:\n%s", want, strings.Join(got, "\n---\n"))
	}
	return m
}

// taps chooses the newest button or list row whose title contains label.
func (c shopper) taps(label string) {
	c.t.Helper()
	sent := c.graph.SentTo(c.phone)
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].Interactive == nil {
			continue
		}
		for _, ch := range sent[i].Interactive.Choices {
			if strings.Contains(ch.Title, label) || strings.Contains(ch.Description, label) {
				if sent[i].Interactive.Type == "list" {
					c.send(wacloudtest.ListReply(c.phone, ch.ID, ch.Title))
				} else {
					c.send(wacloudtest.ButtonReply(c.phone, ch.ID, ch.Title))
				}
				return
			}
		}
	}
	c.t.Fatalf("no choice %q for the customer", label)
}

// seedShop puts two products and two shipping zones in the store of a running server.
func seedShop(t *testing.T, dsn string) *storage.Store {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	store := storage.New(pool, rc, nil)
	owner, err := store.UserByChannel(ctx, lapak.Telegram, "900")
	if err != nil {
		t.Fatal(err)
	}
	sup, err := store.CreateSupplier(ctx, "Kaos Nusantara", owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := func(i int) *int { return &i }
	for _, p := range []lapak.Product{
		{SKU: "KAOS-HTM", Name: "Kaos Hitam", Category: "Kaos", BasePrice: 50000, RetailPrice: 75000, Commission: lapak.CommissionRule{Percent: 1000},
			Variants: []lapak.Variant{{Name: "M", Stock: n(5), Active: true}, {Name: "L", Stock: n(3), Active: true}}},
		{SKU: "TOPI-RJT", Name: "Topi Rajut", Category: "Aksesoris", BasePrice: 20000, RetailPrice: 35000, Commission: lapak.CommissionRule{Fixed: 2000}, Stock: n(10)},
	} {
		p.SupplierID, p.Active = sup.ID, true
		if _, err := store.SaveProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.SetShippingZones(ctx, []lapak.ShippingZone{{Name: "Jawa", Fee: 15000}, {Name: "Luar Jawa", Fee: 35000}}); err != nil {
		t.Fatal(err)
	}
	return store
}

func TestServeCustomerOrdersOnWhatsApp(t *testing.T) {
	t.Parallel()
	fake, graph := telegramtest.New(t), wacloudtest.New(t)
	env := webhookEnv(t, fake)
	for k, v := range cloudEnv(graph) {
		env[k] = v
	}
	env["WHATSAPP_NUMBER"] = "0811 0000 1111"
	s := startServe(t, env)
	store := seedShop(t, env["DATABASE_URL"])
	const reseller = 601

	s.say(fake, reseller, "/start", "Siapa nama lengkapmu?")
	s.say(fake, reseller, "Andi Saputra", "Nomor HP")
	s.say(fake, reseller, "0812 3456 7890", "kota apa")
	s.say(fake, reseller, "Bandung", "ditinjau")
	waitFor(t, fake, ownerID, "Reseller baru mendaftar")
	s.tapButton(fake, ownerID, "Setujui")
	code := regexp.MustCompile(`Kodenya: (\w+)`).FindStringSubmatch(waitFor(t, fake, ownerID, "Kodenya").Plain)[1]
	waitFor(t, fake, reseller, "disetujui")
	s.say(fake, reseller, "/menu", "Menu reseller")
	s.tapButton(fake, reseller, "Atur harga semua")
	s.say(fake, reseller, "20%", "harga dasar + 20%")

	c := shopper{t: t, graph: graph, webhook: "http://" + s.addr + "/webhooks/whatsapp", phone: "6281298765432"}
	c.says(lapak.OrderText("Kaos Hitam", "KAOS-HTM", code), "Harga: Rp60.000")
	c.taps("Tambah ke keranjang")
	c.sees("Pilih varian")
	c.taps("L")
	c.sees("Mau berapa?")
	for _, bad := range []string{"0", "-1", "9999999", "dua"} {
		c.says(bad, "harus angka 1 sampai 1000")
	}
	c.send(wacloudtest.Image(c.phone, "12345", "image/jpeg", "")) // a photo where a number is expected
	c.taps("2")
	c.sees("Kaos Hitam – L × 2 = Rp120.000")

	c.says("topi rajt", "Hasil cari")
	c.taps("Topi Rajut")
	c.sees("Harga: Rp24.000")
	c.taps("Tambah ke keranjang")
	c.taps("1")
	c.sees("Subtotal: Rp144.000")

	c.taps("Checkout")
	c.sees("atas nama siapa")
	c.says("Dewi Lestari", "Nomor HP penerima")
	c.taps("Pakai 081298765432")
	c.sees("Alamat lengkap")
	c.says(strings.Repeat("Jl. Merdeka ", 500), "terlalu panjang")
	for _, step := range []struct{ answer, next string }{
		{"Jl. Merdeka No. 10", "Kelurahan"}, {"Citarum", "Kecamatan"}, {"Bandung Wetan", "Kota"}, {"Bandung", "Kode pos"}, {"40115", "catatan"},
	} {
		c.says(step.answer, step.next)
	}
	c.taps("Lewati")
	c.sees("wilayah mana")
	c.taps("Jawa (Rp15.000)")
	c.sees("Total: Rp159.000")
	c.taps("Pesan sekarang")
	placed := c.sees("sudah kami terima")
	ref := regexp.MustCompile(`(LPK-[A-Z0-9]+)`).FindString(placed.Text)

	o, err := store.OrderByRef(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := store.ResellerByCode(context.Background(), code)
	if o.ResellerID != r.ID || o.Subtotal != 144000 || o.Shipping != 15000 || o.Total != 159000 || len(o.Items) != 2 {
		t.Fatalf("order = %+v", o)
	}
	p, _ := store.ProductBySKU(context.Background(), "KAOS-HTM")
	for _, v := range p.Variants {
		if v.Name == "L" && *v.Stock != 1 {
			t.Errorf("L stock = %d, want 1 left after 2 were reserved", *v.Stock)
		}
	}
	waitFor(t, fake, reseller, "Pesanan baru "+ref)
	waitFor(t, fake, ownerID, "Pesanan baru "+ref)
}
