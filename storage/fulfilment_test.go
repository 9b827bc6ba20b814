package storage_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/storage"
)

// fulfilment is an order store with a reseller and a product in stock, and what the notices saw.
type fulfilment struct {
	*orderStore
	reseller lapak.Reseller
	kaos     lapak.Product
	mu       sync.Mutex
	events   []payments.Event
}

const hold = 7 * 24 * time.Hour

func newFulfilment(t *testing.T) *fulfilment {
	s := newOrderStore(t, 8)
	if err := s.EnsureOwners(s.ctx, lapak.Telegram, []string{"900"}, lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	p := s.product("KAOS-1", "Kaos Polos") // base 50.000, retail 75.000, commission 10 %
	p.Stock = intp(5)
	return &fulfilment{orderStore: s, reseller: s.approvedReseller("701", "Andi"), kaos: s.save(p)}
}

func intp(n int) *int { return &n }

// paidOrder places an order of two Kaos through the reseller (or the owner when viaReseller is
// false) and settles it.
func (f *fulfilment) paidOrder(key string, viaReseller bool) lapak.Order {
	f.t.Helper()
	o := f.newOrder(key, item(f.kaos.ID, 2))
	if viaReseller {
		o.ResellerID = f.reseller.ID
	}
	placed := f.place(o)
	if err := storage.MarkPaid(f.ctx, f.Store, placed, "inv-"+key, testNow.Add(time.Minute)); err != nil {
		f.t.Fatal(err)
	}
	return placed
}

// notice records each event and tells the customer what happened, as the payments service would.
func (f *fulfilment) notice(what string) payments.Notice {
	return func(ev payments.Event) []bot.Outbound {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.events = append(f.events, ev)
		return []bot.Outbound{{To: bot.Address{Channel: ev.Customer.Channel, ChatID: ev.Customer.ChatID},
			Reply: bot.Reply{Text: what + " " + ev.Order.Ref + " " + ev.Order.Resi}}}
	}
}

func (f *fulfilment) lastEvent() payments.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.events) == 0 {
		f.t.Fatal("no event")
	}
	return f.events[len(f.events)-1]
}

func (f *fulfilment) balance() lapak.Balance {
	f.t.Helper()
	b, err := f.ResellerBalance(f.ctx, f.reseller.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

// jobAt returns when the one job of kind for the order is scheduled, failing unless there is one.
func (f *fulfilment) jobAt(kind string, orderID int64) time.Time {
	f.t.Helper()
	var at []time.Time
	rows, err := f.Pool().Query(f.ctx, "SELECT scheduled_at FROM river_job WHERE kind = $1 AND (args->>'order_id')::bigint = $2", kind, orderID)
	if err != nil {
		f.t.Fatal(err)
	}
	for rows.Next() {
		var t time.Time
		rows.Scan(&t)
		at = append(at, t)
	}
	if len(at) != 1 {
		f.t.Fatalf("%d %s jobs for order %d, want 1", len(at), kind, orderID)
	}
	return at[0]
}

// balanced fails the test unless every account's balance adds up to zero.
func (f *fulfilment) balanced() {
	f.t.Helper()
	if n := f.count("SELECT coalesce(sum(balance), 0) FROM ledger_accounts"); n != 0 {
		f.t.Errorf("the ledger sums to %d", n)
	}
}

func TestShipCompleteAndRelease(t *testing.T) {
	f := newFulfilment(t)
	o := f.paidOrder("k1", true)
	earned := lapak.Money(2 * 30_000) // (75.000 − 50.000) + 5.000 per Kaos
	shipAt := testNow.Add(time.Hour)

	shipped, err := f.ShipOrder(f.ctx, o.ID, "JNE", "JNE0123456789", shipAt, shipAt.Add(hold), f.notice("shipped"))
	if err != nil {
		t.Fatal(err)
	}
	if shipped.Status != lapak.OrderShipped || shipped.Courier != "JNE" || shipped.Resi != "JNE0123456789" || !shipped.ShippedAt.Equal(shipAt) {
		t.Errorf("shipped: %+v", shipped)
	}
	if got := f.jobAt("auto_complete", o.ID); !got.Equal(shipAt.Add(hold)) {
		t.Errorf("auto-complete scheduled at %v", got)
	}
	ev := f.lastEvent()
	if ev.Customer.ID != f.customer.ID || ev.Reseller.ID == 0 || len(ev.Owners) != 1 || ev.Pending != earned {
		t.Errorf("ship event: customer %d, reseller %d, %d owners, pending %s", ev.Customer.ID, ev.Reseller.ID, len(ev.Owners), ev.Pending)
	}
	if n := f.count("SELECT count(*) FROM river_job WHERE kind = 'notify' AND args->'message'->'reply'->>'text' LIKE '%JNE0123456789'"); n != 1 {
		t.Errorf("%d notices with the resi, want 1", n)
	}

	t.Run("ShippingTwiceChangesNothing", func(t *testing.T) {
		_, err := f.ShipOrder(f.ctx, o.ID, "J&T", "JP999", shipAt.Add(time.Minute), shipAt.Add(hold), f.notice("shipped"))
		if lapak.KindOf(err) != lapak.KindConflict || errKey(err) != "ful.already_shipped" {
			t.Errorf("second ship: %v", err)
		}
		f.jobAt("auto_complete", o.ID)
		if got, _ := f.OrderByID(f.ctx, o.ID); got.Resi != "JNE0123456789" {
			t.Errorf("resi now %q", got.Resi)
		}
	})

	doneAt := shipAt.Add(48 * time.Hour)
	completed, err := f.CompleteOrder(f.ctx, o.ID, doneAt, doneAt.Add(hold), f.notice("completed"))
	if err != nil {
		t.Fatal(err)
	}
	if completed.Status != lapak.OrderCompleted || !completed.ReleaseAt.Equal(doneAt.Add(hold)) {
		t.Errorf("completed: %s, release at %v", completed.Status, completed.ReleaseAt)
	}
	if got := f.jobAt("release_earnings", o.ID); !got.Equal(doneAt.Add(hold)) {
		t.Errorf("release scheduled at %v", got)
	}
	if _, err := f.CompleteOrder(f.ctx, o.ID, doneAt, doneAt.Add(hold), nil); errKey(err) != "ful.already_completed" {
		t.Errorf("second complete: %v", err)
	}

	t.Run("EarningsWaitForTheirTime", func(t *testing.T) {
		released, err := f.ReleaseEarnings(f.ctx, o.ID, doneAt.Add(hold-time.Second), f.notice("released"))
		if released || !errors.Is(err, storage.ErrNotDue) {
			t.Errorf("early release: %v, %v", released, err)
		}
		if b := f.balance(); b.Pending != earned || b.Available != 0 {
			t.Errorf("balance before the hold ends: %+v", b)
		}
	})

	released, err := f.ReleaseEarnings(f.ctx, o.ID, doneAt.Add(hold), f.notice("released"))
	if err != nil || !released {
		t.Fatalf("release: %v, %v", released, err)
	}
	if b := f.balance(); b.Pending != 0 || b.Available != earned {
		t.Errorf("balance after release: %+v", b)
	}
	if ev := f.lastEvent(); ev.Available != earned || ev.Order.ReleasedAt.IsZero() {
		t.Errorf("release event: available %s, released at %v", ev.Available, ev.Order.ReleasedAt)
	}

	t.Run("ReleasingTwiceReleasesOnce", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				if again, err := f.ReleaseEarnings(f.ctx, o.ID, doneAt.Add(2*hold), nil); again || err != nil {
					t.Errorf("release again: %v, %v", again, err)
				}
			})
		}
		wg.Wait()
		if b := f.balance(); b.Available != earned {
			t.Errorf("available %s after releasing again", b.Available)
		}
		if n := f.count("SELECT count(*) FROM ledger_transactions WHERE kind = 'release'"); n != 1 {
			t.Errorf("%d release journals", n)
		}
	})
	f.balanced()
}

func TestOwnerSaleHasNothingToRelease(t *testing.T) {
	f := newFulfilment(t)
	o := f.paidOrder("k1", false)
	if _, err := f.ShipOrder(f.ctx, o.ID, "SiCepat", "000123456789", testNow, testNow.Add(hold), nil); err != nil {
		t.Fatal(err)
	}
	completed, err := f.CompleteOrder(f.ctx, o.ID, testNow, testNow.Add(hold), f.notice("completed"))
	if err != nil || !completed.ReleaseAt.IsZero() {
		t.Fatalf("complete: %v, release at %v", err, completed.ReleaseAt)
	}
	if n := f.count("SELECT count(*) FROM river_job WHERE kind = 'release_earnings'"); n != 0 {
		t.Errorf("%d release jobs for an owner's sale", n)
	}
	if released, err := f.ReleaseEarnings(f.ctx, o.ID, testNow.Add(2*hold), nil); released || err != nil {
		t.Errorf("release: %v, %v", released, err)
	}
	if ev := f.lastEvent(); ev.Reseller.ID != 0 {
		t.Errorf("an owner's sale names reseller user %d", ev.Reseller.ID)
	}
}

func TestRefund(t *testing.T) {
	t.Run("BeforeShippingReversesPendingAndReturnsStock", func(t *testing.T) {
		f := newFulfilment(t)
		o := f.paidOrder("k1", true)
		if got := f.stock(f.kaos.ID, false); got != 3 {
			t.Fatalf("stock %d after the order", got)
		}
		refunded, err := f.RefundOrder(f.ctx, o.ID, "Stok rusak", "BCA 123456", testNow.Add(time.Hour), f.notice("refunded"))
		if err != nil {
			t.Fatal(err)
		}
		if refunded.Status != lapak.OrderCancelled || refunded.RefundRef != "BCA 123456" || refunded.RefundedAt.IsZero() {
			t.Errorf("refunded: %+v", refunded)
		}
		if got := f.stock(f.kaos.ID, false); got != 5 {
			t.Errorf("stock %d after the refund, want 5 back", got)
		}
		if b := f.balance(); b.Pending != 0 || b.Available != 0 {
			t.Errorf("balance after the refund: %+v", b)
		}
		ev := f.lastEvent()
		if ev.Released || ev.Reason != "Stok rusak" || ev.Pending != 0 {
			t.Errorf("refund event: %+v", ev)
		}
		if n := f.count("SELECT balance FROM ledger_accounts WHERE kind = 'payout_bank'"); n != int(o.Total) {
			t.Errorf("refunded %d, want %d", n, o.Total)
		}
		if _, err := f.RefundOrder(f.ctx, o.ID, "lagi", "BCA 999", testNow.Add(2*time.Hour), nil); errKey(err) != "ful.already_refunded" {
			t.Errorf("second refund: %v", err)
		}
		if got, _ := f.OrderByID(f.ctx, o.ID); got.RefundRef != "BCA 123456" {
			t.Errorf("refund reference now %q", got.RefundRef)
		}
		if _, err := f.ShipOrder(f.ctx, o.ID, "JNE", "JNE123456", testNow, testNow.Add(hold), nil); errKey(err) != "ful.cancelled" {
			t.Errorf("ship a refunded order: %v", err)
		}
		f.balanced()
	})

	t.Run("AfterReleaseTakesAvailableBelowZero", func(t *testing.T) {
		f := newFulfilment(t)
		o := f.paidOrder("k1", true)
		f.ShipOrder(f.ctx, o.ID, "JNE", "JNE123456", testNow, testNow.Add(hold), nil)
		f.CompleteOrder(f.ctx, o.ID, testNow, testNow.Add(hold), nil)
		if ok, err := f.ReleaseEarnings(f.ctx, o.ID, testNow.Add(hold), nil); !ok || err != nil {
			t.Fatalf("release: %v, %v", ok, err)
		}
		// The reseller was paid out in the meantime: what was available is in transit.
		payout := lapak.Journal{Key: "payout:1:sent", Kind: lapak.JournalPayout, Entries: []lapak.Entry{
			{Account: lapak.AvailableAccount(f.reseller.ID), Amount: -60_000},
			{Account: lapak.InTransitAccount(f.reseller.ID), Amount: 60_000},
		}}
		if _, err := postIn(f.ctx, f.Pool(), payout); err != nil {
			t.Fatal(err)
		}
		if _, err := f.RefundOrder(f.ctx, o.ID, "Barang retur", "Mandiri 777", testNow.Add(hold+time.Hour), f.notice("refunded")); err != nil {
			t.Fatal(err)
		}
		if b := f.balance(); b.Available != -60_000 || b.Pending != 0 {
			t.Errorf("balance after a clawback: %+v", b)
		}
		if ev := f.lastEvent(); !ev.Released || ev.Available != -60_000 {
			t.Errorf("refund event: released %v, available %s", ev.Released, ev.Available)
		}
		if got := f.stock(f.kaos.ID, false); got != 3 {
			t.Errorf("stock %d: a shipped order's stock does not come back", got)
		}
		f.balanced()
	})

	t.Run("RefundedBeforeTheHoldEndsReleasesNothing", func(t *testing.T) {
		f := newFulfilment(t)
		o := f.paidOrder("k1", true)
		f.ShipOrder(f.ctx, o.ID, "JNE", "JNE123456", testNow, testNow.Add(hold), nil)
		f.CompleteOrder(f.ctx, o.ID, testNow, testNow.Add(hold), nil)
		if _, err := f.RefundOrder(f.ctx, o.ID, "Komplain", "BRI 1", testNow.Add(time.Hour), nil); err != nil {
			t.Fatal(err)
		}
		if ok, err := f.ReleaseEarnings(f.ctx, o.ID, testNow.Add(hold), nil); ok || err != nil {
			t.Errorf("release after a refund: %v, %v", ok, err)
		}
		if b := f.balance(); b != (lapak.Balance{}) {
			t.Errorf("balance: %+v", b)
		}
		f.balanced()
	})

	t.Run("TwoAtOnceRefundOnce", func(t *testing.T) {
		f := newFulfilment(t)
		o := f.paidOrder("k1", true)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = f.RefundOrder(f.ctx, o.ID, "Dobel", fmt.Sprint("REF", i), testNow, nil)
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errKey(err) != "ful.already_refunded":
				t.Errorf("refund: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d refunds went through", ok)
		}
		if n := f.count("SELECT count(*) FROM ledger_transactions WHERE kind = 'refund'"); n != 1 {
			t.Errorf("%d refund journals", n)
		}
		if got := f.stock(f.kaos.ID, false); got != 5 {
			t.Errorf("stock %d, want 5", got)
		}
		f.balanced()
	})

	t.Run("OnlyPaidOrdersAreRefunded", func(t *testing.T) {
		f := newFulfilment(t)
		unpaid := f.place(f.newOrder("k1", item(f.kaos.ID, 1)))
		if _, err := f.RefundOrder(f.ctx, unpaid.ID, "x y z", "REF1", testNow, nil); errKey(err) != "ful.not_paid" {
			t.Errorf("refund an unpaid order: %v", err)
		}
		if _, err := f.RefundOrder(f.ctx, 999_999, "x y z", "REF1", testNow, nil); !errors.Is(err, lapak.ErrNotFound) {
			t.Errorf("refund an unknown order: %v", err)
		}
		if _, err := f.RefundOrder(f.ctx, unpaid.ID, strings.Repeat("a", 301), "REF1", testNow, nil); lapak.KindOf(err) != lapak.KindInvalid {
			t.Errorf("a reason too long: %v", err)
		}
		if n := f.count("SELECT count(*) FROM ledger_transactions WHERE kind = 'refund'"); n != 0 {
			t.Errorf("%d refund journals", n)
		}
	})
}

func TestFulfilmentReads(t *testing.T) {
	f := newFulfilment(t)
	first := f.paidOrder("k1", true)
	second := f.paidOrder("k2", false)
	f.place(f.newOrder("k3", item(f.kaos.ID, 1)))

	paid, err := f.OrdersInStatus(f.ctx, lapak.OrderPaid, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(paid) != 2 || paid[0].ID != first.ID || paid[1].ID != second.ID || len(paid[0].Items) != 1 {
		t.Errorf("paid orders: %+v", paid)
	}
	if got, err := f.ResellerOrder(f.ctx, f.reseller.ID, first.Ref); err != nil || got.ID != first.ID {
		t.Errorf("the reseller's own order: %v", err)
	}
	other := f.approvedReseller("702", "Budi")
	if _, err := f.ResellerOrder(f.ctx, other.ID, first.Ref); !errors.Is(err, lapak.ErrNotFound) {
		t.Errorf("another reseller's order: %v", err)
	}
	if _, err := f.ResellerOrder(f.ctx, f.reseller.ID, second.Ref); !errors.Is(err, lapak.ErrNotFound) {
		t.Errorf("an owner's sale: %v", err)
	}
	if _, err := f.OrderByID(f.ctx, 999_999); errKey(err) != "order.not_found" {
		t.Errorf("an unknown order: %v", err)
	}
}
