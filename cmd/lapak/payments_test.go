package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
	"github.com/lapak-id/lapak/bot/wacloud/wacloudtest"
	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

func TestConfigXendit(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		err  string // part of the error; empty for none
	}{
		{name: "OffByDefault", env: map[string]string{}},
		{name: "On", env: map[string]string{"XENDIT_SECRET_KEY": "xnd_development_x", "XENDIT_CALLBACK_TOKEN": "tok", "XENDIT_PAYMENT_METHODS": "bca, QRIS,OVO,"}},
		{name: "KeyWithoutToken", env: map[string]string{"XENDIT_SECRET_KEY": "xnd_development_x"}, err: "XENDIT_CALLBACK_TOKEN is required with XENDIT_SECRET_KEY"},
		{name: "TokenWithoutKey", env: map[string]string{"XENDIT_CALLBACK_TOKEN": "tok"}, err: "XENDIT_SECRET_KEY is required"},
		{name: "APIURLNotURL", env: map[string]string{"XENDIT_API_URL": "api.xendit.co"}, err: "XENDIT_API_URL must be"},
		{name: "MethodNotACode", env: map[string]string{"XENDIT_PAYMENT_METHODS": "BCA,kartu kredit"}, err: "XENDIT_PAYMENT_METHODS must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.payments() != (tt.env["XENDIT_SECRET_KEY"] != "") {
				t.Errorf("payments on: %v", cfg.payments())
			}
		})
	}
	cfg, _ := loadConfig(func(k string) string {
		return map[string]string{"XENDIT_SECRET_KEY": "k", "XENDIT_CALLBACK_TOKEN": "t", "XENDIT_PAYMENT_METHODS": "bca, QRIS,OVO,"}[k]
	})
	if cfg.XenditAPIURL != xendit.DefaultBaseURL || strings.Join(cfg.XenditPaymentMethods, ",") != "BCA,QRIS,OVO" {
		t.Errorf("API URL %q, methods %v", cfg.XenditAPIURL, cfg.XenditPaymentMethods)
	}
}

// TestServeCustomerPaysOnWhatsApp runs `lapak serve` with Telegram, WhatsApp Cloud and Xendit
// faked: a customer orders through a reseller's code, gets the payment link in WhatsApp, pays on
// the checkout page, and gets a receipt; the reseller is told their commission and the owners get
// the order to ship; the ledger balances.
func TestServeCustomerPaysOnWhatsApp(t *testing.T) {
	t.Parallel()
	fake, graph := telegramtest.New(t), wacloudtest.New(t)
	xen := xendittest.New(xendittest.Config{})
	t.Cleanup(xen.Close)
	env := webhookEnv(t, fake)
	for k, v := range cloudEnv(graph) {
		env[k] = v
	}
	env["WHATSAPP_NUMBER"] = "0811 0000 1111"
	env["XENDIT_API_URL"], env["XENDIT_SECRET_KEY"], env["XENDIT_CALLBACK_TOKEN"] = xen.URL(), xen.SecretKey(), xen.CallbackToken()
	s := startServe(t, env)
	xen.SetCallbackURLs("http://"+s.addr+invoiceWebhookPath, "")
	store := seedShop(t, env["DATABASE_URL"])
	const reseller = 611

	s.say(fake, reseller, "/start", "Siapa nama lengkapmu?")
	s.say(fake, reseller, "Andi Saputra", "Nomor HP")
	s.say(fake, reseller, "0812 3456 7890", "kota apa")
	s.say(fake, reseller, "Bandung", "ditinjau")
	waitFor(t, fake, ownerID, "Reseller baru mendaftar")
	s.tapButton(fake, ownerID, "Setujui")
	code := regexp.MustCompile(`Kodenya: (\w+)`).FindStringSubmatch(waitFor(t, fake, ownerID, "Kodenya").Plain)[1]
	waitFor(t, fake, reseller, "disetujui")

	c := shopper{t: t, graph: graph, webhook: "http://" + s.addr + "/webhooks/whatsapp", phone: "6281298765432"}
	c.says(lapak.OrderText("Topi Rajut", "TOPI-RJT", code), "Harga: Rp35.000")
	c.taps("Tambah ke keranjang")
	c.sees("Mau berapa?")
	c.taps("2")
	c.sees("Topi Rajut × 2 = Rp70.000")
	c.taps("Checkout")
	c.sees("atas nama siapa")
	c.says("Dewi Lestari", "Nomor HP penerima")
	c.taps("Pakai 081298765432")
	for _, step := range []struct{ answer, next string }{
		{"Jl. Merdeka No. 10", "Kelurahan"}, {"Citarum", "Kecamatan"}, {"Bandung Wetan", "Kota"}, {"Bandung", "Kode pos"}, {"40115", "catatan"},
	} {
		c.says(step.answer, step.next)
	}
	c.taps("Lewati")
	c.sees("wilayah mana")
	c.taps("Jawa (Rp15.000)")
	c.sees("Total: Rp85.000")
	c.taps("Pesan sekarang")
	ref := regexp.MustCompile(`(LPK-[A-Z0-9]+)`).FindString(c.sees("sudah kami terima").Text)

	link := c.sees("Link pembayaran pesanan " + ref)
	if !strings.Contains(link.Text, "Rp85.000") || !strings.Contains(link.Text, "WIB") {
		t.Errorf("link message %q, want the amount and the expiry in WIB", link.Text)
	}
	if link.Interactive == nil || !hasChoice(link.Interactive.Choices, "Cek pembayaran") || !hasChoice(link.Interactive.Choices, "Batalkan pesanan") {
		t.Errorf("link message options %+v", link.Interactive)
	}
	payURL := regexp.MustCompile(`https?://\S+/web/[0-9a-f]+`).FindString(link.Text)
	if payURL == "" {
		t.Fatalf("no payment link in %q", link.Text)
	}
	page := fetch(t, http.MethodGet, payURL, nil)
	for _, want := range []string{"Virtual Account", "QRIS", "Kartu kredit/debit", "Bayar Rp85.000"} {
		if !strings.Contains(page, want) {
			t.Errorf("checkout page has no %q", want)
		}
	}
	if done := fetch(t, http.MethodPost, payURL+"/pay", url.Values{"channel": {"BCA"}}); !strings.Contains(done, "Pembayaran berhasil") {
		t.Errorf("after Bayar the page says %q", done)
	}

	receipt := c.sees("Pembayaran diterima")
	for _, want := range []string{ref, "Topi Rajut × 2 = Rp70.000", "Total: Rp85.000", "VA BCA", "Jl. Merdeka No. 10"} {
		if !strings.Contains(receipt.Text, want) {
			t.Errorf("receipt %q has no %q", receipt.Text, want)
		}
	}
	// Each Topi Rajut earns the reseller 35.000 − 20.000 + 2.000.
	waitFor(t, fake, reseller, "Komisi Rp34.000 masuk (menunggu)")
	toShip := waitFor(t, fake, ownerID, "Pesanan "+ref+" LUNAS")
	if !strings.Contains(toShip.Plain, "Dewi Lestari") || len(toShip.Buttons()) != 1 || toShip.Buttons()[0].Text != "Input resi" {
		t.Errorf("owner's order to ship: %q %+v", toShip.Plain, toShip.Buttons())
	}

	ctx := context.Background()
	o, err := store.OrderByRef(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := store.ResellerByCode(ctx, code)
	b, err := store.ResellerBalance(ctx, r.ID)
	if o.Status != lapak.OrderPaid || err != nil || b.Pending != o.Earned() || o.Earned() != 34_000 {
		t.Errorf("order %s, reseller pending %s (%v), earned %s", o.Status, b.Pending, err, o.Earned())
	}
	checkLedger(t, env["DATABASE_URL"])

	forged, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+invoiceWebhookPath, strings.NewReader(`{"id":"x","status":"PAID"}`))
	forged.Header.Set(xendit.CallbackTokenHeader, "forged")
	resp, err := http.DefaultClient.Do(forged)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a forged callback got %d", resp.StatusCode)
	}
}

func hasChoice(choices []wacloudtest.Choice, title string) bool {
	for _, c := range choices {
		if c.Title == title {
			return true
		}
	}
	return false
}

// fetch requests target (a form POST when form is not nil), follows redirects, and returns the
// body.
func fetch(t *testing.T, method, target string, form url.Values) string {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, target, resp.StatusCode, out)
	}
	return string(out)
}

// checkLedger checks that every journal sums to zero and every balance is the sum of its entries.
func checkLedger(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var unbalanced, wrong, journals int
	if err := pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM (SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0) x),
		(SELECT count(*) FROM ledger_accounts a WHERE balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = a.id)),
		(SELECT count(*) FROM ledger_transactions)`).Scan(&unbalanced, &wrong, &journals); err != nil {
		t.Fatal(err)
	}
	if unbalanced != 0 || wrong != 0 || journals != 1 {
		t.Errorf("%d unbalanced journals, %d wrong balances, %d journals (want 1)", unbalanced, wrong, journals)
	}
}
