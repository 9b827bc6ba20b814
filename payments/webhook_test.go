package payments_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

func TestInvoiceWebhook(t *testing.T) {
	t.Parallel()
	t.Run("AForgedTokenChangesNothing", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 1)
		body := callback(t, "invoice_callback_paid.json", inv.XenditID, o.Ref, o.Total)
		for _, token := range []string{"", "forged", h.fake.CallbackToken() + "x"} {
			if status := h.post(body, token); status != http.StatusUnauthorized {
				t.Errorf("token %q: %d, want 401", token, status)
			}
		}
		if n := h.count("SELECT count(*) FROM xendit_callbacks"); n != 0 {
			t.Errorf("%d forged callbacks stored", n)
		}
		if got := h.invoice(o.ID); got.Order.Status != lapak.OrderPending || h.count("SELECT count(*) FROM ledger_transactions") != 0 {
			t.Errorf("a forged callback changed the order: %s", got.Order.Status)
		}
	})

	t.Run("PaidFiftyTimesAtOnceCreditsOnce", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 2)
		h.fake.SetCallbackCopies(50)
		if err := h.fake.Pay(inv.XenditID, "BANK_TRANSFER", "BCA"); err != nil {
			t.Fatal(err)
		}
		deliveries := h.fake.Deliveries()
		for _, d := range deliveries {
			if !d.OK() {
				t.Errorf("a delivery got %d %s", d.Status, d.Err)
			}
		}
		if len(deliveries) != 50 || h.count("SELECT count(*) FROM xendit_callbacks WHERE xendit_id = $1 AND status = 'PAID'", inv.XenditID) != 50 {
			t.Fatalf("%d deliveries, want 50 each stored", len(deliveries))
		}
		if n := h.count("SELECT count(*) FROM xendit_callbacks WHERE outcome = 'settled'"); n != 1 ||
			h.count("SELECT count(*) FROM xendit_callbacks WHERE outcome = 'already_paid'") != 49 {
			t.Errorf("%d callbacks settled the order, want 1 and 49 already paid", n)
		}
		got := h.invoice(o.ID)
		if got.Order.Status != lapak.OrderPaid || got.Status != payments.InvoicePaid || h.stock() != 3 {
			t.Errorf("order %s, invoice %s, stock %d; want paid with its 2 sold", got.Order.Status, got.Status, h.stock())
		}
		if n := h.count("SELECT count(*) FROM ledger_transactions WHERE kind = 'payment'"); n != 1 {
			t.Errorf("%d payment journals", n)
		}
		if h.pending() != o.Earned() || o.Earned() != 60_000 {
			t.Errorf("pending commission %s, want the order's %s", h.pending(), o.Earned())
		}
		h.checkLedgerBalanced()

		receipts := h.said(h.customer, "Pembayaran diterima")
		if len(receipts) != 1 || !strings.Contains(receipts[0].Text, o.Ref) || !strings.Contains(receipts[0].Text, "VA BCA") ||
			!strings.Contains(receipts[0].Text, "Kaos Polos × 2 = Rp150.000") {
			t.Errorf("receipts %+v", receipts)
		}
		if n := len(h.said(h.andi, "Komisi Rp60.000 masuk (menunggu)")); n != 1 {
			t.Errorf("%d commission messages to the reseller: %+v", n, h.messages(h.andi))
		}
		toShip := h.said(h.owner, "LUNAS")
		if len(toShip) != 1 || len(toShip[0].Options) != 1 || toShip[0].Options[0].ID != "ful:ship:"+strconv.FormatInt(o.ID, 10) ||
			!strings.Contains(toShip[0].Text, "Jl. Merdeka 10") || !strings.Contains(toShip[0].Text, "via Andi") {
			t.Errorf("owner told %+v", toShip)
		}
	})

	t.Run("PaidThenExpiredStaysPaid", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 1)
		if err := h.fake.Pay(inv.XenditID, "QR_CODE", "QRIS"); err != nil {
			t.Fatal(err)
		}
		if status := h.post(callback(t, "invoice_callback_expired.json", inv.XenditID, o.Ref, o.Total), h.fake.CallbackToken()); status != http.StatusOK {
			t.Fatalf("expired callback: %d", status)
		}
		if got := h.invoice(o.ID); got.Order.Status != lapak.OrderPaid || h.stock() != 4 || len(h.said(h.customer, "batal otomatis")) != 0 {
			t.Errorf("after a late EXPIRED: order %s, stock %d", got.Order.Status, h.stock())
		}
	})

	t.Run("ExpiredThenPaidAsksXendit", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 1)
		h.fake.HoldCallbacks()
		if err := h.fake.Pay(inv.XenditID, "EWALLET", "OVO"); err != nil {
			t.Fatal(err)
		}
		// An EXPIRED callback comes before the held PAID one: Xendit says the invoice is paid.
		if status := h.post(callback(t, "invoice_callback_expired.json", inv.XenditID, o.Ref, o.Total), h.fake.CallbackToken()); status != http.StatusOK {
			t.Fatalf("expired callback: %d", status)
		}
		h.fake.ReleaseCallbacks(xendittest.OldestFirst)
		got := h.invoice(o.ID)
		if got.Order.Status != lapak.OrderPaid || h.stock() != 4 || len(h.said(h.customer, "Pembayaran diterima")) != 1 {
			t.Errorf("order %s, stock %d, receipts %d", got.Order.Status, h.stock(), len(h.said(h.customer, "Pembayaran diterima")))
		}
	})

	t.Run("ExpiredAtXenditThenAForgedPaidCreditsNothing", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 1)
		if err := h.fake.Expire(inv.XenditID); err != nil {
			t.Fatal(err)
		}
		got := h.invoice(o.ID)
		if got.Order.Status != lapak.OrderExpired || got.Status != payments.InvoiceExpired || h.stock() != 5 {
			t.Fatalf("after EXPIRED: order %s, invoice %s, stock %d", got.Order.Status, got.Status, h.stock())
		}
		expired := h.said(h.customer, "batal otomatis")
		if len(expired) != 1 || len(expired[0].Options) != 1 || expired[0].Options[0].ID != "pay:again:"+strconv.FormatInt(o.ID, 10) {
			t.Errorf("customer told %+v", h.messages(h.customer))
		}
		if status := h.post(callback(t, "invoice_callback_paid.json", inv.XenditID, o.Ref, o.Total), h.fake.CallbackToken()); status != http.StatusOK {
			t.Fatalf("paid callback: %d", status)
		}
		if got := h.invoice(o.ID); got.Order.Status != lapak.OrderExpired || h.count("SELECT count(*) FROM ledger_transactions") != 0 {
			t.Errorf("a PAID Xendit denies was credited: %s", got.Order.Status)
		}
	})

	t.Run("AWrongAmountIsNotCredited", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 1)
		body := callback(t, "invoice_callback_paid.json", inv.XenditID, o.Ref, o.Total-50_000)
		for range 2 {
			if status := h.post(body, h.fake.CallbackToken()); status != http.StatusOK {
				t.Fatalf("callback: %d", status)
			}
		}
		if got := h.invoice(o.ID); got.Order.Status != lapak.OrderPending || h.count("SELECT count(*) FROM ledger_transactions") != 0 {
			t.Errorf("a wrong amount was credited: %s", got.Order.Status)
		}
		if n := h.count("SELECT count(*) FROM payment_alerts WHERE kind = 'amount_mismatch' AND order_id = $1", o.ID); n != 1 {
			t.Errorf("%d mismatch alerts", n)
		}
		if alerts := h.said(h.owner, "tidak cocok"); len(alerts) != 1 || !strings.Contains(alerts[0].Text, "Rp25.000") {
			t.Errorf("owners told %+v", h.messages(h.owner))
		}
		if err := h.fake.Pay(inv.XenditID, "BANK_TRANSFER", "BNI"); err != nil { // the customer then pays in full
			t.Fatal(err)
		}
		if got := h.invoice(o.ID); got.Order.Status != lapak.OrderPaid {
			t.Errorf("the right payment after a wrong one: %s", got.Order.Status)
		}
	})

	t.Run("AnUnknownInvoiceAlertsTheOwnersOnce", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		body := callback(t, "invoice_callback_paid.json", "5f27a14a9bf05c73dd040bc9", "LPK-ZZZZZZ", 99_000)
		for range 2 {
			if status := h.post(body, h.fake.CallbackToken()); status != http.StatusOK {
				t.Fatalf("callback: %d", status)
			}
		}
		if n := h.count("SELECT count(*) FROM payment_alerts WHERE kind = 'unknown_invoice' AND xendit_id = '5f27a14a9bf05c73dd040bc9'"); n != 1 {
			t.Errorf("%d alerts", n)
		}
		if n := len(h.said(h.owner, "bukan milik pesanan mana pun")); n != 1 {
			t.Errorf("owners told %d times: %+v", n, h.messages(h.owner))
		}
		if n := h.count("SELECT count(*) FROM ledger_transactions"); n != 0 {
			t.Errorf("%d journals", n)
		}
	})

	t.Run("APaymentOfAnInvoiceWhoseAnswerWasLostIsCredited", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o := h.order("k1", 1)
		h.fake.FailNextAfterHandling("/v2/invoices", http.StatusGatewayTimeout, "SERVER_ERROR")
		if err := h.svc.CreateInvoice(h.ctx, o.ID); err == nil {
			t.Fatal("a lost answer was taken for a success")
		}
		made := h.fake.Invoices()
		if err := h.fake.Pay(made[0].ID, "BANK_TRANSFER", "MANDIRI"); err != nil {
			t.Fatal(err)
		}
		got := h.invoice(o.ID)
		if got.Order.Status != lapak.OrderPaid || got.XenditID != made[0].ID || h.count("SELECT count(*) FROM payment_alerts") != 0 {
			t.Errorf("order %s with invoice %q", got.Order.Status, got.XenditID)
		}
		if err := h.svc.CreateInvoice(h.ctx, o.ID); err != nil || len(h.fake.Invoices()) != 1 {
			t.Errorf("the creation job made another invoice for a paid order: %v", err)
		}
	})

	t.Run("ABodyThatIsNoCallbackIsKeptAndRefused", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		if status := h.post([]byte(`{"hello": "world"}`), h.fake.CallbackToken()); status != http.StatusBadRequest {
			t.Errorf("%d, want 400", status)
		}
		if n := h.count("SELECT count(*) FROM xendit_callbacks WHERE outcome LIKE 'invalid%'"); n != 1 {
			t.Errorf("%d kept", n)
		}
	})
}
