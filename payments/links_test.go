package payments_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments"
)

// errKey returns the message key of a *lapak.Error, or "".
func errKey(err error) string {
	var e *lapak.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// loseCallbacks points Xendit's callbacks nowhere, as when they are lost.
func (h *harness) loseCallbacks() { h.fake.SetCallbackURLs("", "") }

func TestPaymentLink(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	o := h.order("k1", 1)
	if _, err := h.svc.PaymentLink(h.ctx, o.ID); lapak.KindOf(err) != lapak.KindNotFound || errKey(err) != "pay.link_pending" {
		t.Errorf("while it is made: %v", err)
	}
	if err := h.svc.CreateInvoice(h.ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	link, err := h.svc.PaymentLink(h.ctx, o.ID)
	if err != nil || link.URL != h.invoice(o.ID).URL || link.Amount != o.Total || !link.ExpiresAt.Equal(o.ExpiresAt) {
		t.Errorf("link %+v, %v", link, err)
	}
	if err := h.fake.Pay(h.invoice(o.ID).XenditID, "CREDIT_CARD", "CREDIT_CARD"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.PaymentLink(h.ctx, o.ID); lapak.KindOf(err) != lapak.KindConflict || errKey(err) != "pay.already_paid" {
		t.Errorf("a paid order's link: %v", err)
	}
}

func TestCheckPayment(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	o, inv := h.linked("k1", 1)
	h.loseCallbacks()
	if got, err := h.svc.CheckPayment(h.ctx, o.ID); err != nil || got.Status != lapak.OrderPending {
		t.Errorf("before paying: %s, %v", got.Status, err)
	}
	if err := h.fake.Pay(inv.XenditID, "QR_CODE", "QRIS"); err != nil {
		t.Fatal(err)
	}
	got, err := h.svc.CheckPayment(h.ctx, o.ID)
	if err != nil || got.Status != lapak.OrderPaid {
		t.Errorf("after paying without a callback: %s, %v", got.Status, err)
	}
	if receipts := h.said(h.customer, "Pembayaran diterima"); len(receipts) != 1 || !strings.Contains(receipts[0].Text, "QRIS") {
		t.Errorf("receipts %+v", receipts)
	}
}

func TestCancelUnpaid(t *testing.T) {
	t.Parallel()
	t.Run("ExpiresTheInvoiceThenGivesTheStockBack", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 2)
		for range 2 {
			got, err := h.svc.CancelUnpaid(h.ctx, o.ID)
			if err != nil || got.Status != lapak.OrderCancelled {
				t.Fatalf("cancel: %s, %v", got.Status, err)
			}
		}
		if x := h.fake.Invoices()[0]; x.Status != "EXPIRED" {
			t.Errorf("invoice at Xendit %s, want EXPIRED", x.Status)
		}
		if got := h.invoice(o.ID).Order; got.CancelledAt.IsZero() || len(h.messages(h.customer)) != 1 {
			t.Errorf("cancelled at %s; customer told %+v; want only the link, the EXPIRED callback telling no one", got.CancelledAt, h.messages(h.customer))
		}
		if got := h.invoice(o.ID); got.Status != payments.InvoiceExpired || h.stock() != 5 {
			t.Errorf("invoice %s, stock %d", got.Status, h.stock())
		}
		if len(h.fake.RequestsTo("POST", "/invoices/"+inv.XenditID+"/expire!")) != 1 {
			t.Errorf("expired at Xendit %d times", len(h.fake.RequestsTo("POST", "/invoices/"+inv.XenditID+"/expire!")))
		}
	})

	t.Run("AnOrderPaidMeanwhileIsSettledInstead", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 1)
		h.loseCallbacks()
		if err := h.fake.Pay(inv.XenditID, "BANK_TRANSFER", "BRI"); err != nil {
			t.Fatal(err)
		}
		got, err := h.svc.CancelUnpaid(h.ctx, o.ID)
		if lapak.KindOf(err) != lapak.KindConflict || errKey(err) != "pay.already_paid" || got.Status != lapak.OrderPaid {
			t.Errorf("cancel a paid order: %s, %v", got.Status, err)
		}
		if h.stock() != 4 || len(h.said(h.customer, "Pembayaran diterima")) != 1 {
			t.Errorf("stock %d; receipts %d", h.stock(), len(h.said(h.customer, "Pembayaran diterima")))
		}
	})

	t.Run("WithoutXenditTheOrderStays", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 1)
		for range 4 { // the first try and the client's 3 retries
			h.fake.FailNext("/invoices/"+inv.XenditID+"/expire!", http.StatusServiceUnavailable, "SERVER_ERROR")
		}
		_, err := h.svc.CancelUnpaid(h.ctx, o.ID)
		if lapak.KindOf(err) != lapak.KindUnavailable || errKey(err) != "pay.xendit_down" {
			t.Errorf("cancel while Xendit is down: %v", err)
		}
		if got := h.invoice(o.ID); got.Order.Status != lapak.OrderPending || h.stock() != 4 {
			t.Errorf("order %s, stock %d; want it kept while its invoice may be paid", got.Order.Status, h.stock())
		}
	})
}

func TestExpireOrder(t *testing.T) {
	t.Parallel()
	t.Run("ExpiresTheInvoiceFirst", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, _ := h.linked("k1", 2)
		if expired, err := h.svc.ExpireOrder(h.ctx, o.ID, h.clock.Now()); err != nil || expired {
			t.Fatalf("an order not yet due expired: %v, %v", expired, err)
		}
		h.clock.Advance(24 * time.Hour)
		// Expiring the invoice at Xendit makes Xendit send its EXPIRED callback, which may close the
		// order before ExpireOrder does; either way it closes once.
		if _, err := h.svc.ExpireOrder(h.ctx, o.ID, h.clock.Now()); err != nil {
			t.Fatalf("expire: %v", err)
		}
		got := h.invoice(o.ID)
		if got.Order.Status != lapak.OrderExpired || got.Status != payments.InvoiceExpired || h.stock() != 5 || h.fake.Invoices()[0].Status != "EXPIRED" {
			t.Errorf("order %s, invoice %s, stock %d, at Xendit %s", got.Order.Status, got.Status, h.stock(), h.fake.Invoices()[0].Status)
		}
		if n := len(h.said(h.customer, "batal otomatis")); n != 1 { // the EXPIRED callback that followed told nobody again
			t.Errorf("%d expiry messages, want 1", n)
		}
	})

	t.Run("APaidOrderIsSettledInstead", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 2)
		h.loseCallbacks()
		if err := h.fake.Pay(inv.XenditID, "BANK_TRANSFER", "BCA"); err != nil {
			t.Fatal(err)
		}
		h.clock.Advance(24 * time.Hour)
		if expired, err := h.svc.ExpireOrder(h.ctx, o.ID, h.clock.Now()); err != nil || expired {
			t.Fatalf("a paid order expired: %v, %v", expired, err)
		}
		if got := h.invoice(o.ID); got.Order.Status != lapak.OrderPaid || h.stock() != 3 {
			t.Errorf("order %s, stock %d", got.Order.Status, h.stock())
		}
	})

	t.Run("AnUnknownOrderIsNotFound", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		if _, err := h.svc.ExpireOrder(h.ctx, 999, h.clock.Now()); !errors.Is(err, lapak.ErrNotFound) {
			t.Errorf("got %v", err)
		}
	})
}

func TestReconcile(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	paid, inv := h.linked("k1", 1)
	waiting, _ := h.linked("k2", 1)
	h.loseCallbacks()
	if err := h.fake.Pay(inv.XenditID, "BANK_TRANSFER", "PERMATA"); err != nil {
		t.Fatal(err)
	}
	if n, err := h.svc.Reconcile(h.ctx); err != nil || n != 0 {
		t.Fatalf("asked about %d fresh invoices, %v", n, err)
	}
	h.clock.Advance(6 * time.Minute)
	if n, err := h.svc.Reconcile(h.ctx); err != nil || n != 2 {
		t.Fatalf("asked about %d invoices, %v; want 2", n, err)
	}
	if got := h.invoice(paid.ID); got.Order.Status != lapak.OrderPaid || len(h.said(h.customer, "Pembayaran diterima")) != 1 {
		t.Errorf("a payment whose callback was lost: %s", got.Order.Status)
	}
	if got := h.invoice(waiting.ID); got.Order.Status != lapak.OrderPending {
		t.Errorf("an unpaid order: %s", got.Order.Status)
	}
	if n, _ := h.svc.Reconcile(h.ctx); n != 0 {
		t.Errorf("asked again about %d invoices at once", n)
	}
	h.clock.Advance(24 * time.Hour) // the unpaid one's reservation ran out, and its EXPIRED callback was lost
	if n, err := h.svc.Reconcile(h.ctx); err != nil || n != 1 {
		t.Fatalf("asked about %d, %v", n, err)
	}
	if got := h.invoice(waiting.ID); got.Order.Status != lapak.OrderExpired || got.Status != payments.InvoiceExpired {
		t.Errorf("an overdue order: %s, invoice %s", got.Order.Status, got.Status)
	}
	h.checkLedgerBalanced()
}

func TestRemindUnpaid(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	o, inv := h.linked("k1", 1)
	for range 2 {
		if err := h.svc.RemindUnpaid(h.ctx, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	reminders := h.said(h.customer, "belum dibayar")
	if len(reminders) != 1 || len(reminders[0].Links) != 1 || reminders[0].Links[0].URL != inv.URL {
		t.Errorf("reminders %+v", reminders)
	}

	other, otherInv := h.linked("k2", 1)
	h.loseCallbacks()
	if err := h.fake.Pay(otherInv.XenditID, "EWALLET", "DANA"); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.RemindUnpaid(h.ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if got := h.invoice(other.ID); got.Order.Status != lapak.OrderPaid || len(h.said(h.customer, "belum dibayar")) != 1 {
		t.Errorf("a paid order was reminded, or not settled: %s", got.Order.Status)
	}
}
