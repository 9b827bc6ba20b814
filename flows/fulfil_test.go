package flows_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/payments"
)

// stepClock is a clock the test moves on.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fulfilmentOnly is the store behind the payments service when Xendit is out of the picture:
// fulfilment and the ledger are the real store's; the invoice side is not used.
type fulfilmentOnly struct {
	payments.FulfilmentStore
	payments.InvoiceStore
}

const hold = 7 * 24 * time.Hour

// shipHarness is a shop with payments: a reseller, a product and a customer, and the clock that
// the payments service and the jobs run by.
type shipHarness struct {
	*harness
	clock    *stepClock
	pay      *payments.Service
	code     string // the reseller's
	reseller lapak.Reseller
	kaos     lapak.Product
	buyer    lapak.User
}

func newShipHarness(t *testing.T) *shipHarness {
	h := newShopHarness(t)
	clock := &stepClock{t: time.Now()}
	pay := payments.New(payments.Config{Store: fulfilmentOnly{FulfilmentStore: h.store}, Clock: clock, Hold: hold, AutoComplete: hold})
	h.cfg.Payments = pay
	h.engine = flows.New(h.cfg)
	s := &shipHarness{harness: h, clock: clock, pay: pay}
	s.code = h.approvedReseller("501", "Andi Saputra")
	ctx := context.Background()
	var err error
	if s.reseller, err = h.store.ResellerByCode(ctx, s.code); err != nil {
		t.Fatal(err)
	}
	s.kaos = h.seedProduct(lapak.Product{SKU: "KAOS-HTM", Name: "Kaos Hitam", Category: "Kaos", BasePrice: 50000, RetailPrice: 75000,
		Commission: lapak.CommissionRule{Percent: 1000}, Stock: intp(5)})
	if s.buyer, err = h.store.TouchUser(ctx, lapak.WhatsApp, customer, customer, "Dewi", lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	return s
}

// paidOrder places an order of two Kaos through the reseller and settles it as the invoice
// callback records a payment: the order paid and the payment journal posted.
func (s *shipHarness) paidOrder(key string) lapak.Order {
	s.t.Helper()
	o := s.unpaidOrder(key)
	s.settle(o)
	return o
}

func (s *shipHarness) unpaidOrder(key string) lapak.Order {
	s.t.Helper()
	o, err := s.store.PlaceOrder(context.Background(), lapak.NewOrder{
		Key: key, CustomerUserID: s.buyer.ID, ResellerID: s.reseller.ID, Items: []lapak.CartItem{{ProductID: s.kaos.ID, Qty: 2}},
		Name: "Dewi Lestari", Phone: "+6281299998888", Address: lapak.Address{Street: "Jl. Merdeka 10", City: "Bandung"},
		ExpiresAt: time.Now().Add(time.Hour),
	}, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return o
}

// settle records o paid with its payment journal, entry by entry, as settlement does.
func (s *shipHarness) settle(o lapak.Order) {
	s.t.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE orders SET status = 'paid', paid_at = now() WHERE id = $1", o.ID); err != nil {
			return err
		}
		supplierOf := map[int64]int64{}
		for _, it := range o.Items {
			var sup int64
			if err := tx.QueryRow(ctx, "SELECT supplier_id FROM products WHERE id = $1", it.ProductID).Scan(&sup); err != nil {
				return err
			}
			supplierOf[it.ProductID] = sup
		}
		j := lapak.PaymentJournal(o, "inv-"+o.Ref, supplierOf)
		var txn int64
		if err := tx.QueryRow(ctx, "INSERT INTO ledger_transactions (key, kind, order_id) VALUES ($1, $2, $3) RETURNING id", j.Key, j.Kind, o.ID).Scan(&txn); err != nil {
			return err
		}
		for _, e := range j.Entries {
			var acct int64
			if err := tx.QueryRow(ctx, `
				INSERT INTO ledger_accounts (kind, holder, balance) VALUES ($1, $2, $3)
				ON CONFLICT (kind, holder) DO UPDATE SET balance = ledger_accounts.balance + EXCLUDED.balance RETURNING id`,
				e.Account.Kind, e.Account.Holder, e.Amount).Scan(&acct); err != nil {
				return err
			}
			var line *int
			if e.Line > 0 {
				line = &e.Line
			}
			if _, err := tx.Exec(ctx, "INSERT INTO ledger_entries (txn_id, account_id, amount, line) VALUES ($1, $2, $3, $4)", txn, acct, e.Amount, line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

// job returns the one job of kind for the order as River would hand it to its worker.
func job[T river.JobArgs](s *shipHarness, orderID int64) *river.Job[T] {
	s.t.Helper()
	var raw []byte
	var at time.Time
	var kind T
	err := s.pool.QueryRow(context.Background(), "SELECT args, scheduled_at FROM river_job WHERE kind = $1 AND (args->>'order_id')::bigint = $2",
		kind.Kind(), orderID).Scan(&raw, &at)
	if err != nil {
		s.t.Fatalf("%s job of order %d: %v", kind.Kind(), orderID, err)
	}
	var args T
	if err := json.Unmarshal(raw, &args); err != nil {
		s.t.Fatal(err)
	}
	return &river.Job[T]{JobRow: &rivertype.JobRow{Kind: kind.Kind(), ScheduledAt: at}, Args: args}
}

// TestOrderShipsCompletesAndPaysTheReseller walks a paid order through the owner's shipping and
// completion, the holding period on the injected clock and the release job, and watches the
// reseller's /saldo move from pending to available.
func TestOrderShipsCompletesAndPaysTheReseller(t *testing.T) {
	s := newShipHarness(t)
	o := s.paidOrder("k1")
	id := itoa(o.ID)

	mustSay(t, s.text("501", "/saldo"), "Tertunda: Rp60.000", "Bisa dicairkan: Rp0", "Sudah dibayar: Rp0")

	// The owner sees the order to ship in the menu and opens it.
	out := s.text("900", "/menu")
	mustSay(t, out, "Pesanan dibayar (1)", "Dikirim")
	out = s.tap("900", "m:toship")
	mustSay(t, out, o.Ref, "Dewi Lestari", "Bandung", "2 item · Rp150.000")
	out = s.tap("900", option(t, out, o.Ref))
	mustSay(t, out, o.Ref+" · sudah dibayar", "Via reseller Andi Saputra ("+s.code+")", "Kaos Hitam × 2 = Rp150.000", "Jl. Merdeka 10")

	// Shipping, with garbage along the way.
	out = s.tap("900", option(t, out, "Input resi"))
	mustSay(t, out, "pakai kurir apa", "[JNE]", "[Lainnya…]")
	mustSay(t, s.text("900", "😀"), "Nama kurir harus")
	out = s.tap("900", "cr:0")
	mustSay(t, out, "Nomor resi JNE untuk "+o.Ref)
	mustSay(t, s.text("900", "ok"), "Resi harus 5–60")
	mustSay(t, s.text("900", strings.Repeat("9", 61)), "Resi harus 5–60")
	mustSay(t, s.text("900", "jne 0123 4567 89"), "dikirim via JNE, resi JNE0123456789?")
	out = s.tap("900", "yes")
	mustSay(t, out, "ditandai dikirim (JNE, resi JNE0123456789)", "Pelanggan sudah dikabari")
	mustSay(t, s.tap("900", "yes"), "sudah tidak berlaku") // a double tap ships once
	mustSay(t, s.tap("900", "ful:ship:"+id), "sudah dikirim (JNE, resi JNE0123456789)")

	var toCustomer string
	for _, n := range s.notifications() {
		if n.To.ChatID == customer && strings.Contains(n.Reply.Text, "sudah dikirim") {
			toCustomer = n.Reply.Text
		}
	}
	if !strings.Contains(toCustomer, "JNE") || !strings.Contains(toCustomer, "JNE0123456789") {
		t.Errorf("the customer was told %q", toCustomer)
	}
	if j := job[jobs.AutoCompleteArgs](s, o.ID); j.ScheduledAt.Sub(s.clock.Now().Truncate(time.Microsecond)) != hold {
		t.Errorf("auto-complete scheduled at %v, now %v", j.ScheduledAt, s.clock.Now())
	}

	// Two days later the customer has it and the owner marks it completed.
	s.clock.add(48 * time.Hour)
	out = s.tap("900", "m:shipped")
	mustSay(t, out, o.Ref, "JNE JNE0123456789")
	out = s.tap("900", option(t, out, o.Ref))
	out = s.tap("900", option(t, out, "Tandai selesai"))
	releaseAt := s.clock.Now().Add(hold)
	mustSay(t, out, o.Ref+" selesai", "Komisi reseller Rp60.000 cair")
	mustSay(t, s.tap("900", "ful:done:"+id), "sudah ditandai selesai")
	mustSay(t, s.text("501", "/why "+strings.ToLower(o.Ref)),
		"Harga dasar Rp50.000, hargamu Rp75.000 (selisih Rp25.000)", "Komisi 10% dari harga dasar = Rp5.000/item (pas)",
		"Rp25.000 + Rp5.000 = Rp30.000/item × 2 = Rp60.000", "Total untungmu: Rp60.000", "Bisa dicairkan mulai")

	// The release job runs early by the clock and waits; once the hold is over it releases.
	w := &jobs.ReleaseEarningsWorker{Earnings: s.pay, Clock: s.clock}
	j := job[jobs.ReleaseEarningsArgs](s, o.ID)
	if !j.ScheduledAt.Equal(releaseAt.Truncate(time.Microsecond)) {
		t.Errorf("release scheduled at %v, want %v", j.ScheduledAt, releaseAt)
	}
	var snooze *rivertype.JobSnoozeError
	if err := w.Work(context.Background(), j); !errors.As(err, &snooze) {
		t.Fatalf("an early release: %v", err)
	}
	mustSay(t, s.text("501", "/saldo"), "Tertunda: Rp60.000", "Bisa dicairkan: Rp0")
	s.clock.add(hold)
	if err := w.Work(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	if err := w.Work(context.Background(), j); err != nil { // River retries: nothing twice
		t.Fatal(err)
	}
	mustSay(t, s.text("501", "/saldo"), "Tertunda: Rp0", "Bisa dicairkan: Rp60.000")
	mustSay(t, s.text("501", "/why "+o.Ref), "Sudah bisa dicairkan sejak")
	if notes := texts(s.notifications()); strings.Count(notes, "Komisi Rp60.000 dari "+o.Ref+" sudah bisa dicairkan") != 1 {
		t.Errorf("the reseller was not told once:\n%s", notes)
	}

	// The auto-complete job finds the order completed already and leaves it alone.
	ac := &jobs.AutoCompleteWorker{Orders: s.pay, Clock: s.clock}
	if err := ac.Work(context.Background(), job[jobs.AutoCompleteArgs](s, o.ID)); err != nil {
		t.Errorf("auto-complete of a completed order: %v", err)
	}
}

func TestOwnerRefundsAPaidOrder(t *testing.T) {
	s := newShipHarness(t)
	o := s.paidOrder("k1")
	out := s.tap("900", "ful:card:"+itoa(o.ID))
	out = s.tap("900", option(t, out, "Batalkan & refund"))
	mustSay(t, out, "Kenapa pesanan "+o.Ref+" dibatalkan", "[Stok habis]")
	mustSay(t, s.text("900", "x"), "3–300 karakter")
	out = s.tap("900", "rr:0")
	mustSay(t, out, "Transfer dulu Rp150.000", "Dewi Lestari", "081299998888")
	mustSay(t, s.text("900", "-"), "Nomor referensi harus 3–100")
	out = s.text("900", "BCA 0312 8891")
	mustSay(t, out, "Batalkan "+o.Ref+" dan catat refund Rp150.000 (ref BCA 0312 8891)", "Alasan: Stok habis",
		"Komisi reseller Rp60.000 (belum cair) dibatalkan", "Stok barangnya dikembalikan")
	out = s.tap("900", "yes")
	mustSay(t, out, o.Ref+" dibatalkan, refund Rp150.000 tercatat (ref BCA 0312 8891)")
	mustSay(t, s.tap("900", "ful:refund:"+itoa(o.ID)), "sudah dibatalkan & di-refund (ref BCA 0312 8891)")

	notes := s.notifications()
	var toReseller, toCustomer string
	for _, n := range notes {
		switch n.To.ChatID {
		case "501":
			toReseller += n.Reply.Text
		case customer:
			toCustomer += n.Reply.Text
		}
	}
	for _, want := range []string{o.Ref + " dibatalkan", "Alasan: Stok habis", "Komisimu Rp60.000", "saldo tertunda", "tertunda Rp0, bisa dicairkan Rp0"} {
		if !strings.Contains(toReseller, want) {
			t.Errorf("the reseller was not told %q:\n%s", want, toReseller)
		}
	}
	if !strings.Contains(toCustomer, "Rp150.000 sudah kami kembalikan lewat transfer (ref BCA 0312 8891)") {
		t.Errorf("the customer was told %q", toCustomer)
	}
	mustSay(t, s.text("501", "/why "+o.Ref), "Dibatalkan & di-refund", "dibatalkan sebelum cair")
	mustSay(t, s.text("501", "/saldo"), "Tertunda: Rp0")
	if p, _ := s.store.Product(context.Background(), s.kaos.ID); *p.Stock != 5 {
		t.Errorf("stock %d after the refund, want 5", *p.Stock)
	}
}

func TestFulfilmentRefusesWhatItShouldNot(t *testing.T) {
	s := newShipHarness(t)
	o := s.paidOrder("k1")
	id := itoa(o.ID)
	ctx := context.Background()

	t.Run("OnlyOwnersShipAndRefund", func(t *testing.T) {
		for _, chat := range []bot.Address{{Channel: lapak.Telegram, ChatID: "501"}, {Channel: lapak.WhatsApp, ChatID: customer}} {
			for _, tap := range []string{"ful:ship:" + id, "ful:refund:" + id, "ful:done:" + id, "ful:card:" + id} {
				_, err := s.engine.Handle(ctx, bot.Inbound{Chat: chat, UserID: chat.ChatID, UpdateID: chat.ChatID + tap, Kind: bot.KindOption, Option: tap})
				if lapak.KindOf(err) != lapak.KindForbidden {
					t.Errorf("%s taps %s: %v", chat, tap, err)
				}
			}
		}
		mustSay(t, s.text("501", "/pesanan "+o.Ref), "khusus pemilik")
	})
	t.Run("ForgedAndUnknownOrders", func(t *testing.T) {
		mustSay(t, s.tap("900", "ful:ship:999999"), "Pesanan itu tidak ada")
		mustSay(t, s.tap("900", "ful:ship:abc"), "sudah tidak berlaku")
		mustSay(t, s.tap("900", "ful:done:"+id), "belum dikirim")
		mustSay(t, s.text("900", "/pesanan LPK-ZZZZZZ"), "Pesanan itu tidak ada")
		mustSay(t, s.text("900", "/pesanan "+strings.Repeat("x", 3000)), "Ketik /pesanan lalu nomor")
		mustSay(t, s.text("900", "/pesanan "+strings.ToLower(o.Ref[4:])), o.Ref, "[Input resi]")
		unpaid := s.unpaidOrder("k2")
		mustSay(t, s.tap("900", "ful:ship:"+itoa(unpaid.ID)), "belum dibayar")
		mustSay(t, s.tap("900", "ful:refund:"+itoa(unpaid.ID)), "belum dibayar")
	})
	t.Run("WhyShowsOnlyTheResellersOwnOrders", func(t *testing.T) {
		s.approvedReseller("502", "Budi Santoso")
		mustSay(t, s.text("502", "/why "+o.Ref), "Pesanan itu tidak ada")
		mustSay(t, s.text("502", "/why"), "Ketik /why lalu nomor")
		mustSay(t, s.text("502", "/why "+strings.Repeat("?", 500)), "Ketik /why lalu nomor")
		mustSay(t, s.text("900", "/saldo"), "khusus reseller")
		mustSay(t, s.text("502", "/saldo"), "Tertunda: Rp0")
	})
	if got, _ := s.store.OrderByID(ctx, o.ID); got.Status != lapak.OrderPaid {
		t.Errorf("the order is %s after all that", got.Status)
	}
}

func TestWithoutPaymentsNothingShows(t *testing.T) {
	h := newShopHarness(t)
	h.approvedReseller("501", "Andi Saputra")
	out := h.text("900", "/menu")
	if strings.Contains(texts(out), "Pesanan dibayar") {
		t.Errorf("the owner's menu offers paid orders without payments:\n%s", texts(out))
	}
	mustSay(t, h.text("501", "/saldo"), "belum diaktifkan")
	mustSay(t, h.text("501", "/why LPK-7F3K2Q"), "belum diaktifkan")
	mustSay(t, h.tap("900", "ful:ship:1"), "sudah tidak berlaku")
	mustSay(t, h.waTap("pay:check:1"), "sudah tidak berlaku")
}

// scriptedPayments is the payments service with the invoice side scripted, standing in for
// Xendit: the order is as status says once checked.
type scriptedPayments struct {
	*payments.Service
	store interface {
		OrderByID(context.Context, int64) (lapak.Order, error)
	}
	paid    bool
	checked []int64
}

func (p *scriptedPayments) CheckPayment(ctx context.Context, orderID int64) (lapak.Order, error) {
	p.checked = append(p.checked, orderID)
	return p.store.OrderByID(ctx, orderID)
}

func (p *scriptedPayments) PaymentLink(ctx context.Context, orderID int64) (flows.PaymentLink, error) {
	o, err := p.store.OrderByID(ctx, orderID)
	return flows.PaymentLink{URL: "https://checkout.xendit.co/web/inv-" + o.Ref, Amount: o.Total, ExpiresAt: o.ExpiresAt}, err
}

func (p *scriptedPayments) CancelUnpaid(ctx context.Context, orderID int64) (lapak.Order, error) {
	o, err := p.store.OrderByID(ctx, orderID)
	if p.paid {
		o.PaidAt, o.Status = time.Now(), lapak.OrderPaid
		return o, lapak.Errorf(lapak.KindConflict, "pay.already_paid", o.Ref)
	}
	o.Status = lapak.OrderCancelled
	return o, err
}

func TestCustomerChecksTheirPayment(t *testing.T) {
	s := newShipHarness(t)
	script := &scriptedPayments{Service: s.pay, store: s.store}
	s.cfg.Payments = script
	s.engine = flows.New(s.cfg)
	unpaid := s.unpaidOrder("k1")
	id := itoa(unpaid.ID)

	out := s.waTap("pay:check:" + id)
	mustSay(t, out, "Pembayaran pesanan "+unpaid.Ref+" belum masuk", "Total Rp150.000", "[Cek pembayaran]", "[Batalkan pesanan]")
	if len(out) == 0 || len(out[0].Reply.Links) != 1 || !strings.Contains(out[0].Reply.Links[0].URL, unpaid.Ref) {
		t.Errorf("no payment link button: %+v", out)
	}
	mustSay(t, s.waTap("c:orders"), unpaid.Ref, "[Bayar "+unpaid.Ref+"]")

	out = s.waTap("pay:cancel:" + id)
	mustSay(t, out, "Yakin batalkan pesanan "+unpaid.Ref, "[Ya, batalkan]")
	script.paid = true
	mustSay(t, s.waTap("pay:cancelyes:"+id), "ternyata sudah dibayar")

	// Someone else's order is nobody's business.
	_, err := s.store.TouchUser(context.Background(), lapak.Telegram, "777", "777", "Eko", lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	mustSay(t, s.tap("777", "pay:check:"+id), "Pesanan itu tidak ada")
	mustSay(t, s.tap("777", "pay:again:"+id), "Pesanan itu tidak ada")
	if len(script.checked) != 1 {
		t.Errorf("Xendit was asked %d times, want once", len(script.checked))
	}

	// Once it is paid the customer is told so; once it expired they can order it again.
	paid := s.paidOrder("k2")
	mustSay(t, s.waTap("pay:check:"+itoa(paid.ID)), "sudah kami terima")
	if _, err := s.store.ExpireOrder(context.Background(), unpaid.ID, unpaid.ExpiresAt); err != nil {
		t.Fatal(err)
	}
	mustSay(t, s.waTap("pay:check:"+id), "batal otomatis", "[Pesan lagi]")
	out = s.waTap("pay:again:" + id)
	mustSay(t, out, "sudah masuk keranjang lagi", "Kaos Hitam × 2")
	if cart := texts(s.waTap("c:cart")); !strings.Contains(cart, "Kaos Hitam × 2") {
		t.Errorf("cart after ordering again:\n%s", cart)
	}
}
