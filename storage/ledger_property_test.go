package storage_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/storage"
)

// TestLedgerHoldsOverRandomOrderLives runs random sequences of orders, payments (repeated),
// expiries, shipping, completion, releases and refunds (repeated) through the store, and after
// every step checks the ledger: every transaction sums to zero, every balance equals the sum of
// its entries, nothing is credited twice, and the reseller's balances match the orders' states.
func TestLedgerHoldsOverRandomOrderLives(t *testing.T) {
	t.Parallel()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			s := newInvoiceStore(t)
			if _, err := s.Pool().Exec(s.ctx, "UPDATE products SET stock = 10000 WHERE id = $1", s.kaos.ID); err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(seed, 2026))
			type life struct {
				o   lapak.Order
				xid string
			}
			var orders []life
			now := testNow.Add(time.Hour)
			for step := range 80 {
				now = now.Add(time.Minute)
				if len(orders) == 0 || rng.IntN(4) == 0 {
					o, xid := s.withInvoice(fmt.Sprintf("p%d-%d", seed, step), 1+rng.IntN(3))
					orders = append(orders, life{o, xid})
					continue
				}
				l := orders[rng.IntN(len(orders))]
				var err error
				var op string
				// Mostly the order's next step, sometimes anything (a repeat, a refund, a late expiry).
				choice := rng.IntN(7)
				if cur, err := s.OrderByRef(s.ctx, l.o.Ref); err == nil && rng.IntN(3) > 0 {
					choice = map[lapak.OrderStatus]int{lapak.OrderPending: 0, lapak.OrderPaid: 3, lapak.OrderShipped: 4, lapak.OrderCompleted: 5}[cur.Status]
					if cur.Status == lapak.OrderCompleted && !cur.ReleasedAt.IsZero() {
						choice = 6
					}
				}
				switch choice {
				case 0, 1:
					op = "pay"
					_, err = s.SettleInvoice(s.ctx, payment(l.o, l.xid), announce)
				case 2:
					op = "expire"
					_, err = s.CloseUnpaidOrder(s.ctx, payments.Closing{OrderID: l.o.ID, Status: lapak.OrderExpired, XenditID: l.xid}, nil)
				case 3:
					op = "ship"
					_, err = s.ShipOrder(s.ctx, l.o.ID, "JNE", "JNE0012345", now, now.Add(hold), nil)
				case 4:
					op = "complete"
					_, err = s.CompleteOrder(s.ctx, l.o.ID, now, now, nil)
				case 5:
					op = "release"
					_, err = s.ReleaseEarnings(s.ctx, l.o.ID, now, nil)
				case 6:
					op = "refund"
					_, err = s.RefundOrder(s.ctx, l.o.ID, "barang rusak", fmt.Sprintf("TRF%d", step), now, nil)
				}
				if err != nil && lapak.KindOf(err) == lapak.KindInternal && !errors.Is(err, storage.ErrNotDue) {
					t.Fatalf("step %d: %s %s: %v", step, op, l.o.Ref, err)
				}
				checkLedger(t, s.orderStore, s.reseller.ID, step, op)
			}
			for _, kind := range []string{"payment", "release", "refund"} {
				if s.count("SELECT count(*) FROM ledger_transactions WHERE kind = $1", kind) == 0 {
					t.Errorf("no %s happened in 80 steps: the sequence tested too little", kind)
				}
			}
		})
	}
}

// checkLedger fails the test unless the ledger is balanced and the reseller's balances are what
// their orders' states say.
func checkLedger(t *testing.T, s *orderStore, resellerID int64, step int, op string) {
	t.Helper()
	if n := s.count("SELECT count(*) FROM (SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0) u"); n != 0 {
		t.Fatalf("step %d (%s): %d unbalanced transactions", step, op, n)
	}
	if n := s.count(`SELECT count(*) FROM ledger_accounts a
		WHERE a.balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_entries e WHERE e.account_id = a.id)`); n != 0 {
		t.Fatalf("step %d (%s): %d balances differ from their entries", step, op, n)
	}
	if n := s.count("SELECT count(*) FROM ledger_transactions WHERE kind = 'payment' AND order_id IN (SELECT id FROM orders WHERE paid_at IS NULL)"); n != 0 {
		t.Fatalf("step %d (%s): %d payments for orders never paid", step, op, n)
	}
	if n := s.count("SELECT count(*) FROM (SELECT order_id FROM ledger_transactions WHERE kind = 'payment' GROUP BY order_id HAVING count(*) > 1) u"); n != 0 {
		t.Fatalf("step %d (%s): %d orders credited twice", step, op, n)
	}
	// Pending is the earnings of paid orders not yet released nor refunded; available is those
	// released and not refunded, less the refunds of released ones (which is zero net).
	var pending, available lapak.Money
	if err := s.Pool().QueryRow(s.ctx, `
		SELECT
			coalesce(sum(i.reseller_earning) FILTER (WHERE o.paid_at IS NOT NULL AND o.refunded_at IS NULL AND o.earnings_released_at IS NULL), 0),
			coalesce(sum(i.reseller_earning) FILTER (WHERE o.refunded_at IS NULL AND o.earnings_released_at IS NOT NULL), 0)
		FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.reseller_id = $1`, resellerID).Scan(&pending, &available); err != nil {
		t.Fatal(err)
	}
	b, err := s.ResellerBalance(s.ctx, resellerID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Pending != pending || b.Available != available {
		t.Fatalf("step %d (%s): balance pending %s available %s, orders say %s and %s", step, op, b.Pending, b.Available, pending, available)
	}
}
