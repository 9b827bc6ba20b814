package storage

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/payments"
)

var _ payments.FulfilmentStore = (*Store)(nil)

// errNotDue says earnings were asked to be released before their release time.
var errNotDue = errors.New("earnings not due yet")

// OrderByID returns an order with its items, or a KindNotFound error with the key order.not_found
// that is also lapak.ErrNotFound.
func (s *Store) OrderByID(ctx context.Context, orderID int64) (lapak.Order, error) {
	orders, err := queryOrders(ctx, s.pool, "WHERE id = $1", orderID)
	if err != nil {
		return lapak.Order{}, fmt.Errorf("order %d: %w", orderID, err)
	}
	if len(orders) == 0 {
		return lapak.Order{}, notFound("order.not_found")
	}
	return orders[0], nil
}

// OrdersInStatus returns orders in a status with their items, oldest first by when they got there
// (paid, shipped or completed; placed for the others), at most limit (10 when not positive, and
// never more than 100).
func (s *Store) OrdersInStatus(ctx context.Context, status lapak.OrderStatus, limit int) ([]lapak.Order, error) {
	if limit <= 0 {
		limit = defaultPageSize
	}
	since := "created_at"
	switch status {
	case lapak.OrderPaid:
		since = "paid_at"
	case lapak.OrderShipped:
		since = "shipped_at"
	case lapak.OrderCompleted:
		since = "completed_at"
	}
	orders, err := queryOrders(ctx, s.pool, "WHERE status = $1 ORDER BY "+since+", id LIMIT $2", status, min(limit, maxPageSize))
	if err != nil {
		return nil, fmt.Errorf("orders %s: %w", status, err)
	}
	return orders, nil
}

// ResellerOrder returns the reseller's own order with reference ref, or a KindNotFound error with
// the key order.not_found that is also lapak.ErrNotFound; another reseller's order is not found.
func (s *Store) ResellerOrder(ctx context.Context, resellerID int64, ref string) (lapak.Order, error) {
	orders, err := queryOrders(ctx, s.pool, "WHERE ref = $1 AND reseller_id = $2", ref, resellerID)
	if err != nil {
		return lapak.Order{}, fmt.Errorf("order %s of reseller %d: %w", ref, resellerID, err)
	}
	if len(orders) == 0 {
		return lapak.Order{}, notFound("order.not_found")
	}
	return orders[0], nil
}

// ShipOrder marks a paid order shipped at at with its courier and tracking number, and in the same
// transaction schedules its completion at completeAt and enqueues notify's messages. An order
// shipped already gives a KindConflict error with the key ful.already_shipped (its reference,
// courier and resi); one not paid or cancelled the errors of orderNotFulfillable.
func (s *Store) ShipOrder(ctx context.Context, orderID int64, courier, resi string, at, completeAt time.Time, notify payments.Notice) (lapak.Order, error) {
	if courier = oneLine(courier); courier == "" || utf8.RuneCountInString(courier) > 40 {
		return lapak.Order{}, lapak.Errorf(lapak.KindInvalid, "ful.bad_courier", 40)
	}
	if resi = oneLine(resi); resi == "" || utf8.RuneCountInString(resi) > 60 {
		return lapak.Order{}, lapak.Errorf(lapak.KindInvalid, "ful.bad_resi", 60)
	}
	at, completeAt = at.Truncate(time.Microsecond), completeAt.Truncate(time.Microsecond)
	return s.changeOrder(ctx, orderID, "ship", func(tx pgx.Tx, o *lapak.Order, ev *payments.Event) error {
		switch o.Status {
		case lapak.OrderPaid:
		case lapak.OrderShipped, lapak.OrderCompleted:
			return lapak.Errorf(lapak.KindConflict, "ful.already_shipped", o.Ref, o.Courier, o.Resi)
		default:
			return orderNotFulfillable(*o)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE orders SET status = 'shipped', shipped_at = $2, courier = $3, resi = $4, updated_at = $2 WHERE id = $1`,
			o.ID, at, courier, resi); err != nil {
			return err
		}
		o.Status, o.ShippedAt, o.Courier, o.Resi = lapak.OrderShipped, at, courier, resi
		return s.schedule(ctx, tx, jobs.AutoCompleteArgs{OrderID: o.ID}, completeAt)
	}, notify)
}

// CompleteOrder marks a shipped order completed at at. When the order earned its reseller
// something, it sets the order's release time to releaseAt and schedules the release then, in the
// same transaction; an owner's own sale has nothing to release. An order completed already gives
// a KindConflict error with the key ful.already_completed; one not shipped yet ful.not_shipped;
// one not paid or cancelled the errors of orderNotFulfillable.
func (s *Store) CompleteOrder(ctx context.Context, orderID int64, at, releaseAt time.Time, notify payments.Notice) (lapak.Order, error) {
	at, releaseAt = at.Truncate(time.Microsecond), releaseAt.Truncate(time.Microsecond)
	return s.changeOrder(ctx, orderID, "complete", func(tx pgx.Tx, o *lapak.Order, ev *payments.Event) error {
		switch o.Status {
		case lapak.OrderShipped:
		case lapak.OrderCompleted:
			return lapak.Errorf(lapak.KindConflict, "ful.already_completed", o.Ref)
		case lapak.OrderPaid:
			return lapak.Errorf(lapak.KindConflict, "ful.not_shipped", o.Ref)
		default:
			return orderNotFulfillable(*o)
		}
		o.Status, o.CompletedAt = lapak.OrderCompleted, at
		var release *time.Time
		if o.Earned() > 0 {
			o.ReleaseAt, release = releaseAt, &releaseAt
		}
		if _, err := tx.Exec(ctx, `
			UPDATE orders SET status = 'completed', completed_at = $2, release_at = $3, updated_at = $2 WHERE id = $1`,
			o.ID, at, release); err != nil {
			return err
		}
		if release == nil {
			return nil
		}
		return s.schedule(ctx, tx, jobs.ReleaseEarningsArgs{OrderID: o.ID}, releaseAt)
	}, notify)
}

// ReleaseEarnings posts the journal that moves the reseller's earnings on a completed order from
// pending to available, marks them released and enqueues notify's messages, in one transaction,
// and reports whether it did. Earnings released already, an order not completed (refunded, for
// one) or with nothing to release are left alone, so running it twice, even at once, releases
// once. Earnings whose release time is after now are an error that wraps errNotDue.
func (s *Store) ReleaseEarnings(ctx context.Context, orderID int64, now time.Time, notify payments.Notice) (bool, error) {
	var released bool
	_, err := s.changeOrder(ctx, orderID, "release earnings of", func(tx pgx.Tx, o *lapak.Order, ev *payments.Event) error {
		if o.Status != lapak.OrderCompleted || !o.ReleasedAt.IsZero() || o.ReleaseAt.IsZero() || o.Earned() == 0 {
			return errUnchanged
		}
		if o.ReleaseAt.After(now) {
			return fmt.Errorf("due at %s: %w", o.ReleaseAt.Format(time.RFC3339), errNotDue)
		}
		if _, err := post(ctx, tx, lapak.ReleaseJournal(*o)); err != nil {
			return err
		}
		now = now.Truncate(time.Microsecond)
		if _, err := tx.Exec(ctx, "UPDATE orders SET earnings_released_at = $2, updated_at = $2 WHERE id = $1", o.ID, now); err != nil {
			return err
		}
		o.ReleasedAt, released = now, true
		return nil
	}, notify)
	if errors.Is(err, errUnchanged) {
		return false, nil
	}
	return released, err
}

// RefundOrder cancels a paid, shipped or completed order at at for reason, records the refund
// transferred to the customer with reference ref, and posts the journal that reverses exactly
// what the payment credited: each line's owner share from the supplier its payment credited, and
// the reseller's earnings from pending or, once released, from available (which may then go
// below zero). An order that had not shipped gives its stock back. All of it, and notify's
// messages, in one transaction. An order refunded already gives a KindConflict error with the key
// ful.already_refunded (its reference and the refund's); one never paid the errors of
// orderNotFulfillable.
func (s *Store) RefundOrder(ctx context.Context, orderID int64, reason, ref string, at time.Time, notify payments.Notice) (lapak.Order, error) {
	if reason = oneLine(reason); reason == "" || utf8.RuneCountInString(reason) > 300 {
		return lapak.Order{}, lapak.Errorf(lapak.KindInvalid, "ful.bad_reason", 300)
	}
	if ref = oneLine(ref); ref == "" || utf8.RuneCountInString(ref) > 100 {
		return lapak.Order{}, lapak.Errorf(lapak.KindInvalid, "ful.bad_refund_ref", 100)
	}
	at = at.Truncate(time.Microsecond)
	return s.changeOrder(ctx, orderID, "refund", func(tx pgx.Tx, o *lapak.Order, ev *payments.Event) error {
		switch {
		case o.Status == lapak.OrderCancelled && !o.RefundedAt.IsZero():
			return lapak.Errorf(lapak.KindConflict, "ful.already_refunded", o.Ref, o.RefundRef)
		case o.Status != lapak.OrderPaid && o.Status != lapak.OrderShipped && o.Status != lapak.OrderCompleted:
			return orderNotFulfillable(*o)
		}
		supplierOf, err := paidSuppliers(ctx, tx, *o)
		if err != nil {
			return err
		}
		ev.Released, ev.Reason = !o.ReleasedAt.IsZero(), reason
		posted, err := post(ctx, tx, lapak.RefundJournal(*o, ev.Released, supplierOf, ref))
		if err != nil {
			return err
		}
		if !posted {
			return fmt.Errorf("its refund is in the ledger already")
		}
		shipped := !o.ShippedAt.IsZero()
		if _, err := tx.Exec(ctx, `
			UPDATE orders SET status = 'cancelled', cancelled_at = $2, cancel_reason = $3, refund_ref = $4, refunded_at = $2,
				released_at = CASE WHEN $5 THEN released_at ELSE $2 END, updated_at = $2
			WHERE id = $1`, o.ID, at, reason, ref, shipped); err != nil {
			return err
		}
		o.Status, o.CancelledAt, o.RefundRef, o.RefundedAt = lapak.OrderCancelled, at, ref, at
		if shipped {
			return nil
		}
		return release(ctx, tx, o.ID)
	}, notify)
}

// errUnchanged tells changeOrder that change left the order as it was: nothing to notify.
var errUnchanged = errors.New("unchanged")

// changeOrder runs change on the order locked FOR UPDATE, then, unless change says errUnchanged
// or fails, reads the people the order concerns and the reseller's balance and enqueues notify's
// messages, all in one transaction. what names the change in errors that are not domain errors.
func (s *Store) changeOrder(ctx context.Context, orderID int64, what string, change func(pgx.Tx, *lapak.Order, *payments.Event) error, notify payments.Notice) (lapak.Order, error) {
	var out lapak.Order
	err := s.tx(ctx, func(tx pgx.Tx) error {
		orders, err := queryOrders(ctx, tx, "WHERE id = $1 FOR UPDATE", orderID)
		if err != nil {
			return err
		}
		if len(orders) == 0 {
			return notFound("order.not_found")
		}
		o := orders[0]
		var ev payments.Event
		if err := change(tx, &o, &ev); err != nil {
			return err
		}
		out = o
		if notify == nil {
			return nil
		}
		ev.Order = o
		if err := s.loadEvent(ctx, tx, &ev); err != nil {
			return err
		}
		return s.Notify(ctx, tx, notify(ev))
	})
	if err != nil && !isDomainError(err) && !errors.Is(err, errUnchanged) {
		return out, fmt.Errorf("%s order %d: %w", what, orderID, err)
	}
	return out, err
}

// orderNotFulfillable says why an order that is not paid cannot be shipped, completed or refunded:
// a KindConflict error with the key ful.cancelled for a cancelled one and ful.not_paid for one
// pending payment or expired, each with its reference.
func orderNotFulfillable(o lapak.Order) error {
	if o.Status == lapak.OrderCancelled {
		return lapak.Errorf(lapak.KindConflict, "ful.cancelled", o.Ref)
	}
	return lapak.Errorf(lapak.KindConflict, "ful.not_paid", o.Ref)
}

// schedule enqueues a job in tx to run at at.
func (s *Store) schedule(ctx context.Context, tx pgx.Tx, args river.JobArgs, at time.Time) error {
	if s.jobs == nil {
		return fmt.Errorf("schedule %s: the store has no job inserter", args.Kind())
	}
	params := []river.InsertManyParams{{Args: args, InsertOpts: &river.InsertOpts{ScheduledAt: at}}}
	if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("schedule %s: %w", args.Kind(), err)
	}
	return nil
}

// paidSuppliers maps each product of o to the supplier its payment credited, read from the
// payment's journal, so a refund takes the owner's share back from whoever got it. An order whose
// payment is not in the ledger is an error: there would be nothing to reverse.
func paidSuppliers(ctx context.Context, tx pgx.Tx, o lapak.Order) (map[int64]int64, error) {
	var paid bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM ledger_transactions WHERE order_id = $1 AND kind = 'payment')", o.ID).
		Scan(&paid); err != nil {
		return nil, fmt.Errorf("find the payment: %w", err)
	}
	if !paid {
		return nil, fmt.Errorf("its payment is not in the ledger")
	}
	rows, err := tx.Query(ctx, `
		SELECT e.line, a.holder FROM ledger_entries e
		JOIN ledger_transactions t ON t.id = e.txn_id
		JOIN ledger_accounts a ON a.id = e.account_id
		WHERE t.order_id = $1 AND t.kind = 'payment' AND a.kind = 'owner_revenue' AND e.line IS NOT NULL`, o.ID)
	if err != nil {
		return nil, fmt.Errorf("suppliers paid: %w", err)
	}
	out := make(map[int64]int64, len(o.Items))
	var line int
	var supplier int64
	_, err = pgx.ForEachRow(rows, []any{&line, &supplier}, func() error {
		if line >= 1 && line <= len(o.Items) {
			out[o.Items[line-1].ProductID] = supplier
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("suppliers paid: %w", err)
	}
	return out, nil
}

// loadEvent reads, in tx, the people ev's order concerns and the reseller's balance.
func (s *Store) loadEvent(ctx context.Context, tx pgx.Tx, ev *payments.Event) error {
	o := ev.Order
	var err error
	if ev.Customer, err = scanUser(tx.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", o.CustomerUserID)); err != nil {
		return fmt.Errorf("customer: %w", err)
	}
	if o.ResellerID != 0 {
		ev.Reseller, err = scanUser(tx.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = (SELECT user_id FROM resellers WHERE id = $1)", o.ResellerID))
		if err != nil {
			return fmt.Errorf("reseller: %w", err)
		}
		if err := tx.QueryRow(ctx, `
			SELECT coalesce(sum(balance) FILTER (WHERE kind = 'reseller_pending'), 0),
				coalesce(sum(balance) FILTER (WHERE kind = 'reseller_available'), 0)
			FROM ledger_accounts WHERE holder = $1 AND kind IN ('reseller_pending', 'reseller_available')`, o.ResellerID).
			Scan(&ev.Pending, &ev.Available); err != nil {
			return fmt.Errorf("reseller balance: %w", err)
		}
	}
	rows, err := tx.Query(ctx, "SELECT "+userColumns+" FROM users WHERE role = 'owner' ORDER BY id")
	if err != nil {
		return fmt.Errorf("owners: %w", err)
	}
	ev.Owners, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (lapak.User, error) { return scanUser(r) })
	if err != nil {
		return fmt.Errorf("owners: %w", err)
	}
	return nil
}
