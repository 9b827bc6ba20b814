package storage_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/payments"
)

// invoiceStore is an order store that records invoices, with a reseller, a product of 5 in stock
// and a shipping zone.
type invoiceStore struct {
	*orderStore
	reseller lapak.Reseller
	kaos     lapak.Product
	zone     lapak.ShippingZone
}

func newInvoiceStore(t *testing.T) *invoiceStore {
	t.Helper()
	s := &invoiceStore{orderStore: newOrderStore(t, 20)}
	s.EnableInvoices()
	if err := s.EnsureOwners(s.ctx, lapak.Telegram, []string{"900"}, lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	s.reseller = s.approvedReseller("701", "Andi")
	p := s.product("KAOS-1", "Kaos Polos") // base 50.000, retail 75.000, commission 10 %
	p.Stock = units(5)
	s.kaos = s.save(p)
	if err := s.SetShippingZones(s.ctx, []lapak.ShippingZone{{Name: "Jawa", Fee: 15_000}}); err != nil {
		t.Fatal(err)
	}
	zones, err := s.ShippingZones(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.zone = zones[0]
	return s
}

// placeFor places an order for qty of the product through the reseller.
func (s *invoiceStore) placeFor(key string, qty int) lapak.Order {
	s.t.Helper()
	o := s.newOrder(key, item(s.kaos.ID, qty))
	o.ResellerID, o.ZoneID = s.reseller.ID, s.zone.ID
	return s.place(o)
}

// withInvoice places an order for qty and saves its invoice inv-<key> as Xendit made it.
func (s *invoiceStore) withInvoice(key string, qty int) (lapak.Order, string) {
	s.t.Helper()
	o := s.placeFor(key, qty)
	xid := "inv-" + key
	inv, err := s.SaveInvoice(s.ctx, o.ID, payments.Created{XenditID: xid, URL: "https://checkout.example/web/" + xid, ExpiresAt: o.ExpiresAt}, nil)
	if err != nil || inv.Status != payments.InvoicePending || inv.XenditID != xid {
		s.t.Fatalf("save invoice: %+v, %v", inv, err)
	}
	return o, xid
}

// payment is Xendit's payment of o through invoice xid.
func payment(o lapak.Order, xid string) payments.Payment {
	return payments.Payment{OrderID: o.ID, XenditID: xid, Amount: o.Total, PaidAmount: o.Total, PaidAt: testNow.Add(10 * time.Minute), Method: "BANK_TRANSFER", Channel: "BCA"}
}

// announce tells everyone a settled order concerns, one message each.
func announce(st payments.Settlement) []bot.Outbound {
	out := []bot.Outbound{{To: bot.Address{Channel: st.Customer.Channel, ChatID: st.Customer.ChatID}, Reply: bot.Reply{Text: "lunas " + st.Order.Ref}}}
	if st.Reseller.ID != 0 {
		out = append(out, bot.Outbound{To: bot.Address{Channel: st.Reseller.Channel, ChatID: st.Reseller.ChatID}, Reply: bot.Reply{Text: fmt.Sprintf("komisi %s", st.Order.Earned())}})
	}
	for _, u := range st.Owners {
		out = append(out, bot.Outbound{To: bot.Address{Channel: u.Channel, ChatID: u.ChatID}, Reply: bot.Reply{Text: "kirim " + st.Order.Ref}})
	}
	return out
}

// settle settles p and fails the test on an error.
func (s *invoiceStore) settle(p payments.Payment) payments.Settlement {
	s.t.Helper()
	st, err := s.SettleInvoice(s.ctx, p, announce)
	if err != nil {
		s.t.Fatalf("settle %s: %v", p.XenditID, err)
	}
	return st
}

// order reads an order back.
func (s *invoiceStore) order(id int64) payments.Invoice {
	s.t.Helper()
	inv, err := s.FindInvoice(s.ctx, payments.InvoiceQuery{OrderID: id})
	if err != nil {
		s.t.Fatal(err)
	}
	return inv
}

// balance returns an account's balance, 0 when it was never used.
func (s *invoiceStore) balance(a lapak.Account) lapak.Money {
	s.t.Helper()
	var m lapak.Money
	if err := s.Pool().QueryRow(s.ctx, "SELECT coalesce((SELECT balance FROM ledger_accounts WHERE kind = $1 AND holder = $2), 0)", a.Kind, a.Holder).Scan(&m); err != nil {
		s.t.Fatal(err)
	}
	return m
}

// checkLedgerBalanced checks that every journal sums to zero and every balance is the sum of its
// account's entries.
func (s *invoiceStore) checkLedgerBalanced() {
	s.t.Helper()
	if n := s.count("SELECT count(*) FROM (SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0) x"); n != 0 {
		s.t.Errorf("%d ledger transactions do not sum to zero", n)
	}
	if n := s.count(`SELECT count(*) FROM ledger_accounts a
		WHERE balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = a.id)`); n != 0 {
		s.t.Errorf("%d account balances differ from the sum of their entries", n)
	}
}

// notifications counts the notify jobs enqueued.
func (s *invoiceStore) notifications() int {
	return s.count("SELECT count(*) FROM river_job WHERE kind = 'notify'")
}

func TestPlaceOrderRecordsTheInvoiceToCreate(t *testing.T) {
	t.Parallel()
	s := newInvoiceStore(t)
	o := s.placeFor("k1", 2)
	again := s.placeFor("k1", 2) // a double tap
	if again.ID != o.ID {
		t.Fatalf("a double tap placed a second order")
	}
	inv := s.order(o.ID)
	if inv.Status != payments.InvoiceCreating || inv.Amount != o.Total || inv.Attempts != 0 || inv.XenditID != "" || !inv.ExpiresAt.Equal(o.ExpiresAt) {
		t.Errorf("invoice %+v, want one being created for %s until %s", inv, o.Total, o.ExpiresAt)
	}
	if n := s.count("SELECT count(*) FROM river_job WHERE kind = 'create_invoice' AND (args->>'order_id')::bigint = $1", o.ID); n != 1 {
		t.Errorf("%d creation jobs, want 1", n)
	}

	off := newOrderStore(t, 4) // invoices off
	p := off.save(off.product("KAOS-1", "Kaos"))
	placed := off.place(off.newOrder("k1", item(p.ID, 1)))
	if n := off.count("SELECT count(*) FROM invoices"); n != 0 {
		t.Errorf("%d invoices with payments off", n)
	}
	if n := off.count("SELECT count(*) FROM river_job WHERE kind = 'create_invoice'"); n != 0 {
		t.Errorf("%d creation jobs with payments off", n)
	}
	if inv, err := off.FindInvoice(off.ctx, payments.InvoiceQuery{OrderID: placed.ID}); err != nil || inv.Status != "" || inv.Order.ID != placed.ID {
		t.Errorf("an order without an invoice: %+v, %v", inv, err)
	}
}

func TestInvoiceCreation(t *testing.T) {
	t.Parallel()
	s := newInvoiceStore(t)
	o := s.placeFor("k1", 1)
	for want := 1; want <= 2; want++ {
		if n, err := s.CountInvoiceAttempt(s.ctx, o.ID); err != nil || n != want {
			t.Fatalf("attempt %d counted as %d, %v", want, n, err)
		}
	}
	before := s.notifications()
	link := func(ev payments.Event) []bot.Outbound {
		return []bot.Outbound{{To: bot.Address{Channel: ev.Customer.Channel, ChatID: ev.Customer.ChatID}, Reply: bot.Reply{Text: "bayar " + ev.Order.Ref}}}
	}
	c := payments.Created{XenditID: "inv-1", URL: "https://checkout.example/web/inv-1", ExpiresAt: o.ExpiresAt, RemindAt: o.ExpiresAt.Add(-30 * time.Minute)}
	for range 2 {
		inv, err := s.SaveInvoice(s.ctx, o.ID, c, link)
		if err != nil || inv.XenditID != "inv-1" || inv.URL != c.URL || inv.Status != payments.InvoicePending {
			t.Fatalf("save: %+v, %v", inv, err)
		}
	}
	if got := s.notifications() - before; got != 1 {
		t.Errorf("%d link messages, want 1 however often the invoice is saved", got)
	}
	if n := s.count("SELECT count(*) FROM river_job WHERE kind = 'invoice_reminder' AND scheduled_at = $1", c.RemindAt); n != 1 {
		t.Errorf("%d reminders at %s, want 1", n, c.RemindAt)
	}
	other, err := s.SaveInvoice(s.ctx, o.ID, payments.Created{XenditID: "inv-2", URL: "x", ExpiresAt: o.ExpiresAt}, link)
	if err != nil || other.XenditID != "inv-1" {
		t.Errorf("a second invoice replaced the first: %+v, %v", other, err)
	}
	if n, err := s.CountInvoiceAttempt(s.ctx, o.ID); err != nil || n != 0 {
		t.Errorf("an attempt counted on a created invoice: %d, %v", n, err)
	}
	for _, q := range []payments.InvoiceQuery{{XenditID: "inv-1"}, {Ref: o.Ref}} {
		if inv, err := s.FindInvoice(s.ctx, q); err != nil || inv.OrderID != o.ID || inv.Customer.ID != s.customer.ID || len(inv.Order.Items) != 1 {
			t.Errorf("find by %+v: %+v, %v", q, inv, err)
		}
	}
	if _, err := s.FindInvoice(s.ctx, payments.InvoiceQuery{XenditID: "nope"}); !errors.Is(err, lapak.ErrNotFound) {
		t.Errorf("an unknown invoice: %v", err)
	}

	for range 2 {
		if ok, err := s.RemindInvoice(s.ctx, o.ID, link); err != nil {
			t.Fatal(err)
		} else if reminded := s.order(o.ID).Reminded; !reminded {
			t.Errorf("not marked reminded (%v)", ok)
		}
	}
	if got := s.notifications() - before; got != 2 {
		t.Errorf("%d messages after reminding twice, want the link and one reminder", got)
	}
}

func TestSettleInvoice(t *testing.T) {
	t.Parallel()
	t.Run("FiftyAtOnceCreditOnce", func(t *testing.T) {
		t.Parallel()
		s := newInvoiceStore(t)
		o, xid := s.withInvoice("k1", 2)
		before := s.notifications()
		var wg sync.WaitGroup
		outcomes := make([]payments.SettleOutcome, 50)
		errs := make([]error, 50)
		for i := range 50 {
			wg.Go(func() {
				st, err := s.SettleInvoice(s.ctx, payment(o, xid), announce)
				outcomes[i], errs[i] = st.Outcome, err
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := countOf(outcomes, payments.Settled); n != 1 || countOf(outcomes, payments.AlreadyPaid) != 49 {
			t.Errorf("outcomes %v, want one settled and 49 already paid", outcomes)
		}
		got := s.order(o.ID)
		if got.Order.Status != lapak.OrderPaid || !got.Order.PaidAt.Equal(testNow.Add(10*time.Minute)) || got.Status != payments.InvoicePaid {
			t.Errorf("after payment: order %s paid at %s, invoice %s", got.Order.Status, got.Order.PaidAt, got.Status)
		}
		if s.stock(s.kaos.ID, false) != 3 {
			t.Errorf("stock %d, want the 2 reserved to stay sold", s.stock(s.kaos.ID, false))
		}
		if n := s.count("SELECT count(*) FROM ledger_transactions WHERE key = $1", lapak.PaymentKey(xid)); n != 1 {
			t.Errorf("%d payment journals", n)
		}
		// 2 × 75.000 + 15.000 shipping; the reseller earns 2 × (25.000 + 5.000), the owner 2 × 45.000.
		for a, want := range map[lapak.Account]lapak.Money{
			lapak.ClearingAccount():                 -165_000,
			lapak.PendingAccount(s.reseller.ID):     60_000,
			lapak.RevenueAccount(s.kaos.SupplierID): 90_000,
			lapak.RevenueAccount(0):                 15_000,
		} {
			if got := s.balance(a); got != want {
				t.Errorf("%s = %s, want %s", a, got, want)
			}
		}
		if o.Earned() != 60_000 {
			t.Errorf("earned %s", o.Earned())
		}
		s.checkLedgerBalanced()
		if got := s.notifications() - before; got != 3 { // customer, reseller, the one owner
			t.Errorf("%d messages, want 3 once", got)
		}
	})

	t.Run("PaidThenExpiredStaysPaid", func(t *testing.T) {
		t.Parallel()
		s := newInvoiceStore(t)
		o, xid := s.withInvoice("k1", 2)
		s.settle(payment(o, xid))
		closed, err := s.CloseUnpaidOrder(s.ctx, payments.Closing{OrderID: o.ID, Status: lapak.OrderExpired, XenditID: xid}, nil)
		if err != nil || closed {
			t.Fatalf("expiring a paid order: %v, %v", closed, err)
		}
		got := s.order(o.ID)
		if got.Order.Status != lapak.OrderPaid || got.Status != payments.InvoicePaid || s.stock(s.kaos.ID, false) != 3 {
			t.Errorf("after a late expiry: order %s, invoice %s, stock %d", got.Order.Status, got.Status, s.stock(s.kaos.ID, false))
		}
	})

	t.Run("ExpiredThenPaidTakesTheStockAgain", func(t *testing.T) {
		t.Parallel()
		s := newInvoiceStore(t)
		o, xid := s.withInvoice("k1", 2)
		closed, err := s.CloseUnpaidOrder(s.ctx, payments.Closing{OrderID: o.ID, Status: lapak.OrderExpired, XenditID: xid}, nil)
		if err != nil || !closed || s.stock(s.kaos.ID, false) != 5 {
			t.Fatalf("expire: %v, %v, stock %d", closed, err, s.stock(s.kaos.ID, false))
		}
		st := s.settle(payment(o, xid))
		if st.Outcome != payments.SettledLate || st.Was != lapak.OrderExpired || len(st.Short) != 0 {
			t.Errorf("late payment: %s after %s, short %v", st.Outcome, st.Was, st.Short)
		}
		got := s.order(o.ID)
		if got.Order.Status != lapak.OrderPaid || got.Status != payments.InvoicePaid || s.stock(s.kaos.ID, false) != 3 {
			t.Errorf("after a late payment: order %s, invoice %s, stock %d", got.Order.Status, got.Status, s.stock(s.kaos.ID, false))
		}
		if n := s.count("SELECT count(*) FROM payment_alerts"); n != 0 {
			t.Errorf("%d alerts for a late payment with stock", n)
		}
		if s.balance(lapak.PendingAccount(s.reseller.ID)) != o.Earned() {
			t.Errorf("pending %s, want %s", s.balance(lapak.PendingAccount(s.reseller.ID)), o.Earned())
		}
		s.checkLedgerBalanced()
	})

	t.Run("ExpiredThenPaidWithoutStockAlertsOnce", func(t *testing.T) {
		t.Parallel()
		s := newInvoiceStore(t)
		o, xid := s.withInvoice("k1", 2)
		if _, err := s.CloseUnpaidOrder(s.ctx, payments.Closing{OrderID: o.ID, Status: lapak.OrderExpired, XenditID: xid}, nil); err != nil {
			t.Fatal(err)
		}
		s.placeFor("k2", 4) // 4 of the 5 back in stock go to another buyer
		st := s.settle(payment(o, xid))
		if st.Outcome != payments.SettledLate || !slices.Equal(st.Short, []string{"Kaos Polos"}) {
			t.Errorf("late payment without stock: %s, short %v", st.Outcome, st.Short)
		}
		if s.stock(s.kaos.ID, false) != 1 {
			t.Errorf("stock %d, want the 1 left untouched", s.stock(s.kaos.ID, false))
		}
		if n := s.count("SELECT count(*) FROM payment_alerts WHERE kind = 'stock_short' AND order_id = $1 AND xendit_id = $2", o.ID, xid); n != 1 {
			t.Errorf("%d stock alerts", n)
		}
		if n := s.count("SELECT count(*) FROM order_items WHERE order_id = $1 AND reserved", o.ID); n != 0 {
			t.Errorf("%d lines still marked reserved though no stock was taken", n)
		}
		if s.order(o.ID).Order.Status != lapak.OrderPaid {
			t.Errorf("money received, but the order is not paid")
		}
		s.settle(payment(o, xid))
		if n := s.count("SELECT count(*) FROM payment_alerts"); n != 1 {
			t.Errorf("%d alerts after the payment came again", n)
		}
	})

	t.Run("CancelledThenPaidAlertsTheOwners", func(t *testing.T) {
		t.Parallel()
		s := newInvoiceStore(t)
		o, xid := s.withInvoice("k1", 1)
		if _, err := s.CloseUnpaidOrder(s.ctx, payments.Closing{OrderID: o.ID, Status: lapak.OrderCancelled, Reason: "changed mind"}, nil); err != nil {
			t.Fatal(err)
		}
		if got := s.order(o.ID).Order; got.Status != lapak.OrderCancelled || got.CancelledAt.IsZero() {
			t.Errorf("cancelled order: %s at %s", got.Status, got.CancelledAt)
		}
		st := s.settle(payment(o, xid))
		if st.Outcome != payments.SettledLate || st.Was != lapak.OrderCancelled || !st.Order.CancelledAt.IsZero() {
			t.Errorf("paid after cancelling: %+v", st)
		}
		if n := s.count("SELECT count(*) FROM payment_alerts WHERE kind = 'paid_after_close' AND order_id = $1", o.ID); n != 1 {
			t.Errorf("%d paid-after-close alerts", n)
		}
	})

	t.Run("AWrongAmountOrInvoiceIsRefused", func(t *testing.T) {
		t.Parallel()
		s := newInvoiceStore(t)
		o, xid := s.withInvoice("k1", 1)
		wrong := payment(o, xid)
		wrong.Amount--
		other := payment(o, "inv-other")
		for _, p := range []payments.Payment{wrong, other} {
			if _, err := s.SettleInvoice(s.ctx, p, announce); err == nil {
				t.Errorf("settled %+v", p)
			}
		}
		if got := s.order(o.ID); got.Order.Status != lapak.OrderPending || got.Status != payments.InvoicePending {
			t.Errorf("after refused payments: order %s, invoice %s", got.Order.Status, got.Status)
		}
		if n := s.count("SELECT count(*) FROM ledger_transactions"); n != 0 {
			t.Errorf("%d journals", n)
		}
	})
}

func TestRecordInvoiceAlertOnce(t *testing.T) {
	t.Parallel()
	s := newInvoiceStore(t)
	o, xid := s.withInvoice("k1", 1)
	before := s.notifications()
	toOwners := func(ev payments.Event) []bot.Outbound {
		var out []bot.Outbound
		for _, u := range ev.Owners {
			out = append(out, bot.Outbound{To: bot.Address{Channel: u.Channel, ChatID: u.ChatID}, Reply: bot.Reply{Text: "cek " + ev.Order.Ref}})
		}
		return out
	}
	for i, a := range []payments.Alert{
		{Kind: payments.AlertAmountMismatch, OrderID: o.ID, XenditID: xid, Detail: "paid 1"},
		{Kind: payments.AlertAmountMismatch, OrderID: o.ID, XenditID: xid, Detail: "paid 1 again"},
		{Kind: payments.AlertUnknownInvoice, XenditID: "stranger", Detail: "not ours"},
	} {
		added, err := s.RecordInvoiceAlert(s.ctx, a, toOwners)
		if err != nil || added != (i != 1) {
			t.Errorf("alert %d: added %v, %v", i, added, err)
		}
	}
	if got := s.notifications() - before; got != 2 {
		t.Errorf("%d owner messages, want one per new alert", got)
	}
	if got := s.order(o.ID); got.Order.Status != lapak.OrderPending || s.count("SELECT count(*) FROM ledger_transactions") != 0 {
		t.Errorf("an alert changed the order or the ledger")
	}
}

func TestDueInvoices(t *testing.T) {
	t.Parallel()
	s := newInvoiceStore(t)
	creating := s.placeFor("k1", 1)
	pending, _ := s.withInvoice("k2", 1)
	closed := s.placeFor("k3", 1)
	if _, err := s.CloseUnpaidOrder(s.ctx, payments.Closing{OrderID: closed.ID, Status: lapak.OrderCancelled}, nil); err != nil {
		t.Fatal(err)
	}
	cutoff := testNow.Add(-5 * time.Minute)
	if due, err := s.DueInvoices(s.ctx, cutoff, 10); err != nil || len(due) != 0 {
		t.Fatalf("invoices touched at %s are due before %s: %+v, %v", testNow, cutoff, due, err)
	}
	if _, err := s.Pool().Exec(s.ctx, "UPDATE invoices SET updated_at = $1", testNow.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueInvoices(s.ctx, cutoff, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, inv := range due {
		ids = append(ids, inv.OrderID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []int64{creating.ID, pending.ID}) {
		t.Errorf("due %v, want the one being created and the pending one, not the cancelled order's", ids)
	}
	if n := s.count("SELECT count(*) FROM river_job WHERE kind = 'create_invoice' AND (args->>'order_id')::bigint = $1", creating.ID); n != 1 {
		t.Errorf("%d creation jobs for the order still being created, want the one queued kept", n)
	}
	if again, err := s.DueInvoices(s.ctx, cutoff, 10); err != nil || len(again) != 0 {
		t.Errorf("claimed again at once: %d, %v", len(again), err)
	}
}

func countOf[T comparable](s []T, v T) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}
