package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/payments"
)

var _ payments.InvoiceStore = (*Store)(nil)

// EnableInvoices makes PlaceOrder record, with each order it places, the invoice to create and
// the job that creates it at Xendit. Call it before the store is used; without it orders are
// placed without payment links.
func (s *Store) EnableInvoices() { s.invoices = true }

// recordInvoice records in tx, when invoices are on, the invoice o is to get, and returns the job
// that asks Xendit for it, for the caller to enqueue in tx. An order with nothing to pay gets none.
func (s *Store) recordInvoice(ctx context.Context, tx pgx.Tx, o lapak.Order) ([]river.InsertManyParams, error) {
	if !s.invoices || o.Total <= 0 {
		return nil, nil
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO invoices (order_id, amount, expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
		o.ID, o.Total, o.ExpiresAt, o.CreatedAt); err != nil {
		return nil, fmt.Errorf("record invoice of order %d: %w", o.ID, err)
	}
	return []river.InsertManyParams{{Args: jobs.CreateInvoiceArgs{OrderID: o.ID}}}, nil
}

// FindInvoice returns an order's invoice with the order and its customer. An order without an
// invoice gives an Invoice with an empty Status; an unknown order, reference or Xendit ID a
// KindNotFound error that is also lapak.ErrNotFound.
func (s *Store) FindInvoice(ctx context.Context, q payments.InvoiceQuery) (payments.Invoice, error) {
	inv, err := findInvoice(ctx, s.pool, q, false)
	if err != nil && !isDomainError(err) {
		return inv, fmt.Errorf("find invoice %+v: %w", q, err)
	}
	return inv, err
}

// findInvoice reads an order's invoice, locking the order and the invoice FOR UPDATE when lock
// is true (db must then be a transaction).
func findInvoice(ctx context.Context, db DB, q payments.InvoiceQuery, lock bool) (payments.Invoice, error) {
	var where string
	var arg any
	switch {
	case q.OrderID != 0:
		where, arg = "WHERE id = $1", q.OrderID
	case q.XenditID != "":
		where, arg = "WHERE id = (SELECT order_id FROM invoices WHERE xendit_id = $1)", q.XenditID
	case q.Ref != "":
		where, arg = "WHERE ref = $1", strings.ToUpper(strings.TrimSpace(q.Ref))
	default:
		return payments.Invoice{}, notFound("order.not_found")
	}
	forUpdate := ""
	if lock {
		forUpdate = " FOR UPDATE"
	}
	orders, err := queryOrders(ctx, db, where+forUpdate, arg)
	if err != nil {
		return payments.Invoice{}, err
	}
	if len(orders) == 0 {
		return payments.Invoice{}, notFound("order.not_found")
	}
	inv := payments.Invoice{OrderID: orders[0].ID, Order: orders[0]}
	err = db.QueryRow(ctx, `
		SELECT coalesce(xendit_id, ''), url, amount, status, attempts, expires_at, reminded
		FROM invoices WHERE order_id = $1`+forUpdate, inv.OrderID).
		Scan(&inv.XenditID, &inv.URL, &inv.Amount, &inv.Status, &inv.Attempts, &inv.ExpiresAt, &inv.Reminded)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return inv, fmt.Errorf("invoice of order %d: %w", inv.OrderID, err)
	}
	if inv.Customer, err = scanUser(db.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", inv.Order.CustomerUserID)); err != nil {
		return inv, fmt.Errorf("customer of order %d: %w", inv.OrderID, err)
	}
	return inv, nil
}

// CountInvoiceAttempt counts one more attempt at creating an order's invoice, committed before
// Xendit is asked, and returns how many there have been; 0 when the invoice is no longer being
// created or its order is no longer pending.
func (s *Store) CountInvoiceAttempt(ctx context.Context, orderID int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `
		UPDATE invoices i SET attempts = i.attempts + 1, updated_at = $2
		FROM orders o
		WHERE i.order_id = $1 AND o.id = i.order_id AND i.status = 'creating' AND o.status = 'pending_payment'
		RETURNING i.attempts`, orderID, s.clock.Now()).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("count invoice attempt of order %d: %w", orderID, err)
	}
	return n, nil
}

// SaveInvoice records the invoice Xendit made for an order and returns the invoice as saved. An
// order that has an invoice already keeps it and gets it back (the caller sees the other ID).
// When the order is pending and notify is not nil, notify's messages are enqueued and the
// reminder is scheduled at c.RemindAt, in the same transaction.
func (s *Store) SaveInvoice(ctx context.Context, orderID int64, c payments.Created, notify payments.Notice) (payments.Invoice, error) {
	var inv payments.Invoice
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if inv, err = findInvoice(ctx, tx, payments.InvoiceQuery{OrderID: orderID}, true); err != nil || inv.XenditID != "" {
			return err
		}
		now := s.clock.Now()
		if _, err := tx.Exec(ctx, `
			INSERT INTO invoices (order_id, xendit_id, url, amount, status, expires_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 'pending', $5, $6, $6)
			ON CONFLICT (order_id) DO UPDATE
			SET xendit_id = EXCLUDED.xendit_id, url = EXCLUDED.url, status = 'pending',
			    expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at`,
			orderID, c.XenditID, c.URL, inv.Order.Total, c.ExpiresAt, now); err != nil {
			return err
		}
		if inv.Status == "" {
			inv.Amount = inv.Order.Total
		}
		inv.XenditID, inv.URL, inv.Status, inv.ExpiresAt = c.XenditID, c.URL, payments.InvoicePending, c.ExpiresAt
		if inv.Order.Status != lapak.OrderPending || notify == nil {
			return nil
		}
		if !c.RemindAt.IsZero() {
			params := []river.InsertManyParams{{Args: jobs.InvoiceReminderArgs{OrderID: orderID}, InsertOpts: &river.InsertOpts{ScheduledAt: c.RemindAt}}}
			if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
				return fmt.Errorf("schedule reminder: %w", err)
			}
		}
		return s.notifyOrder(ctx, tx, inv.Order, notify)
	})
	if err != nil && !isDomainError(err) {
		return inv, fmt.Errorf("save invoice %s of order %d: %w", c.XenditID, orderID, err)
	}
	return inv, err
}

// notifyOrder reads in tx the people o concerns and enqueues notify's messages about it.
func (s *Store) notifyOrder(ctx context.Context, tx pgx.Tx, o lapak.Order, notify payments.Notice) error {
	ev := payments.Event{Order: o}
	if err := s.loadEvent(ctx, tx, &ev); err != nil {
		return err
	}
	return s.Notify(ctx, tx, notify(ev))
}

// MarkCancelling records reason as why a pending order is being cancelled, while its invoice is
// stopped at Xendit; CloseUnpaidOrder then cancels it whatever it is asked.
func (s *Store) MarkCancelling(ctx context.Context, orderID int64, reason string) error {
	if _, err := s.pool.Exec(ctx, `
		UPDATE orders SET cancel_reason = left($2, 300), updated_at = $3 WHERE id = $1 AND status = 'pending_payment'`,
		orderID, reason, s.clock.Now()); err != nil {
		return fmt.Errorf("mark order %d cancelling: %w", orderID, err)
	}
	return nil
}

// CloseUnpaidOrder closes an order pending payment as c says, gives its stock back and enqueues
// notify's messages (nil: none), in one transaction, and reports whether it did. An order no
// longer pending is left alone; one being cancelled (MarkCancelling) is cancelled for its reason,
// without messages, whatever c says. Either way the invoice named by c.XenditID is marked
// expired, unless it is paid.
func (s *Store) CloseUnpaidOrder(ctx context.Context, c payments.Closing, notify payments.Notice) (bool, error) {
	if c.Status != lapak.OrderExpired && c.Status != lapak.OrderCancelled {
		return false, fmt.Errorf("close order %d as %q", c.OrderID, c.Status)
	}
	var closed bool
	err := s.tx(ctx, func(tx pgx.Tx) error {
		orders, err := queryOrders(ctx, tx, "WHERE id = $1 FOR UPDATE", c.OrderID)
		if err != nil {
			return err
		}
		if len(orders) == 0 {
			return notFound("order.not_found")
		}
		o, now := orders[0], s.clock.Now()
		if c.XenditID != "" {
			if _, err := tx.Exec(ctx, `
				UPDATE invoices SET status = 'expired', updated_at = $3
				WHERE order_id = $1 AND xendit_id = $2 AND status = 'pending'`, c.OrderID, c.XenditID, now); err != nil {
				return fmt.Errorf("expire invoice: %w", err)
			}
		}
		if o.Status != lapak.OrderPending {
			return nil
		}
		var cancelling string
		if err := tx.QueryRow(ctx, "SELECT cancel_reason FROM orders WHERE id = $1", c.OrderID).Scan(&cancelling); err != nil {
			return err
		}
		if cancelling != "" {
			c.Status, c.Reason, notify = lapak.OrderCancelled, cancelling, nil
		}
		if _, err := tx.Exec(ctx, `
			UPDATE orders SET status = $2, released_at = $3, updated_at = $3,
				cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3::timestamptz END, cancel_reason = left($4, 300)
			WHERE id = $1`, c.OrderID, c.Status, now, c.Reason); err != nil {
			return err
		}
		if err := release(ctx, tx, c.OrderID); err != nil {
			return err
		}
		closed = true
		if notify == nil {
			return nil
		}
		o.Status = c.Status
		if c.Status == lapak.OrderCancelled {
			o.CancelledAt = now
		}
		return s.notifyOrder(ctx, tx, o, notify)
	})
	if err != nil && !isDomainError(err) {
		return false, fmt.Errorf("close order %d as %s: %w", c.OrderID, c.Status, err)
	}
	return closed, err
}

// SettleInvoice records that an order was paid, in one transaction, once however often and
// however concurrently it is told: the order is locked and, unless it was paid before, marked
// paid with its invoice; its reservation becomes the sale, or, for an order that had expired or
// been cancelled, its stock is taken again as far as there is any (what is short is recorded as
// a stock_short alert, and a cancelled order's payment as paid_after_close); notify's messages
// are enqueued; and the payment journal is posted with each line's supplier. A payment of another
// amount than the order's total, or through another invoice than the order's, is refused.
func (s *Store) SettleInvoice(ctx context.Context, p payments.Payment, notify func(payments.Settlement) []bot.Outbound) (payments.Settlement, error) {
	st := payments.Settlement{Payment: p}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		inv, err := findInvoice(ctx, tx, payments.InvoiceQuery{OrderID: p.OrderID}, true)
		if err != nil {
			return err
		}
		o := inv.Order
		st.Was, st.Order, st.Customer = o.Status, o, inv.Customer
		switch {
		case !o.PaidAt.IsZero():
			st.Outcome = payments.AlreadyPaid
			return nil
		case o.Status == lapak.OrderPending:
			st.Outcome = payments.Settled
		case o.Status == lapak.OrderExpired || o.Status == lapak.OrderCancelled:
			st.Outcome = payments.SettledLate
		default:
			return fmt.Errorf("order %s is %s without a payment", o.Ref, o.Status)
		}
		switch {
		case p.Amount != o.Total:
			return fmt.Errorf("payment of %s for order %s of %s", p.Amount, o.Ref, o.Total)
		case inv.XenditID != "" && inv.XenditID != p.XenditID:
			return fmt.Errorf("order %s has invoice %s, not %s", o.Ref, inv.XenditID, p.XenditID)
		}
		if st.Order, st.Short, err = s.markPaid(ctx, tx, o, p, st.Outcome == payments.SettledLate); err != nil {
			return err
		}
		if err := settleAlerts(ctx, tx, st, o.Status, s.clock.Now()); err != nil {
			return err
		}
		st.Event = payments.Event{Order: st.Order}
		if err := s.loadEvent(ctx, tx, &st.Event); err != nil {
			return err
		}
		if err := s.Notify(ctx, tx, notify(st)); err != nil {
			return err
		}
		// Last: posting locks the Xendit clearing account, which every payment moves money out
		// of, so it is held only until the commit.
		return postPayment(ctx, tx, st.Order, p)
	})
	if err != nil && !isDomainError(err) {
		return st, fmt.Errorf("settle order %d with invoice %s: %w", p.OrderID, p.XenditID, err)
	}
	return st, err
}

// markPaid marks o and its invoice paid by p and takes its stock again when late. It returns the
// order as paid and the items whose stock was short.
func (s *Store) markPaid(ctx context.Context, tx pgx.Tx, o lapak.Order, p payments.Payment, late bool) (lapak.Order, []string, error) {
	now := s.clock.Now()
	if _, err := tx.Exec(ctx, `
		INSERT INTO invoices (order_id, xendit_id, amount, status, expires_at, created_at, updated_at)
		VALUES ($1, $2, $3, 'paid', $4, $5, $5)
		ON CONFLICT (order_id) DO UPDATE SET xendit_id = EXCLUDED.xendit_id, status = 'paid', updated_at = EXCLUDED.updated_at`,
		o.ID, p.XenditID, o.Total, o.ExpiresAt, now); err != nil {
		return o, nil, fmt.Errorf("mark invoice paid: %w", err)
	}
	var short []string
	if late {
		var err error
		if short, err = retake(ctx, tx, o.ID); err != nil {
			return o, nil, err
		}
	}
	o.Status, o.PaidAt, o.CancelledAt = lapak.OrderPaid, p.PaidAt.Truncate(time.Microsecond), time.Time{}
	if _, err := tx.Exec(ctx, `
		UPDATE orders SET status = 'paid', paid_at = $2, updated_at = $3, released_at = NULL, cancelled_at = NULL, cancel_reason = ''
		WHERE id = $1`, o.ID, o.PaidAt, now); err != nil {
		return o, nil, fmt.Errorf("mark order paid: %w", err)
	}
	return o, short, nil
}

// postPayment posts the payment journal of o, paid by p, with each line's supplier.
func postPayment(ctx context.Context, tx pgx.Tx, o lapak.Order, p payments.Payment) error {
	suppliers, err := productSuppliers(ctx, tx, o)
	if err != nil {
		return err
	}
	posted, err := post(ctx, tx, lapak.PaymentJournal(o, p.XenditID, suppliers))
	if err != nil {
		return err
	}
	if !posted {
		return fmt.Errorf("invoice %s is in the ledger already but order %s was unpaid", p.XenditID, o.Ref)
	}
	return nil
}

// productSuppliers maps each product of o to its supplier.
func productSuppliers(ctx context.Context, tx pgx.Tx, o lapak.Order) (map[int64]int64, error) {
	ids := make([]int64, 0, len(o.Items))
	for _, it := range o.Items {
		ids = append(ids, it.ProductID)
	}
	rows, err := tx.Query(ctx, "SELECT id, supplier_id FROM products WHERE id = ANY($1)", ids)
	if err != nil {
		return nil, fmt.Errorf("suppliers of order %d: %w", o.ID, err)
	}
	out := make(map[int64]int64, len(ids))
	var product, supplier int64
	if _, err := pgx.ForEachRow(rows, []any{&product, &supplier}, func() error { out[product] = supplier; return nil }); err != nil {
		return nil, fmt.Errorf("suppliers of order %d: %w", o.ID, err)
	}
	return out, nil
}

// retake takes again the stock an expired or cancelled order had reserved and given back, for
// its payment came after all: each product or variant in full when there is enough, in the order
// reserve takes stock. A product or variant without enough stock is taken nothing of; its lines
// are marked not reserved, so nothing goes back for them later, and their names are returned.
func retake(ctx context.Context, tx pgx.Tx, orderID int64) ([]string, error) {
	rows, err := tx.Query(ctx, `
		SELECT variant_id IS NOT NULL, coalesce(variant_id, product_id), sum(qty)::int, string_agg(name, ', ' ORDER BY line)
		FROM order_items WHERE order_id = $1 AND reserved GROUP BY 1, 2`, orderID)
	if err != nil {
		return nil, fmt.Errorf("retake stock of order %d: %w", orderID, err)
	}
	targets, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reservation, error) {
		var t reservation
		return t, r.Scan(&t.variant, &t.id, &t.qty, &t.name)
	})
	if err != nil {
		return nil, fmt.Errorf("retake stock of order %d: %w", orderID, err)
	}
	slices.SortFunc(targets, compareReservations)
	var short []reservation
	b := &pgx.Batch{}
	for _, t := range targets {
		sql := "UPDATE products SET stock = stock - $2 WHERE id = $1 AND (stock IS NULL OR stock >= $2)"
		if t.variant {
			sql = "UPDATE variants SET stock = stock - $2 WHERE id = $1 AND (stock IS NULL OR stock >= $2)"
		}
		b.Queue(sql, t.id, t.qty).Exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() == 0 {
				short = append(short, t)
			}
			return nil
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("retake stock of order %d: %w", orderID, err)
	}
	var names []string
	for _, t := range short {
		if _, err := tx.Exec(ctx, `
			UPDATE order_items SET reserved = false
			WHERE order_id = $1 AND (variant_id IS NOT NULL) = $2 AND coalesce(variant_id, product_id) = $3`,
			orderID, t.variant, t.id); err != nil {
			return nil, fmt.Errorf("retake stock of order %d: %w", orderID, err)
		}
		names = append(names, t.name)
	}
	return names, nil
}

// settleAlerts records what owners must look at after a late payment: stock that was short, and
// a cancelled order that was paid.
func settleAlerts(ctx context.Context, tx pgx.Tx, st payments.Settlement, was lapak.OrderStatus, now time.Time) error {
	p := st.Payment
	if len(st.Short) > 0 {
		a := payments.Alert{Kind: payments.AlertStockShort, OrderID: p.OrderID, XenditID: p.XenditID,
			Detail: fmt.Sprintf("order %s paid after it %s; short: %s", st.Order.Ref, was, strings.Join(st.Short, ", "))}
		if _, err := insertAlert(ctx, tx, a, now); err != nil {
			return err
		}
	}
	if was == lapak.OrderCancelled {
		a := payments.Alert{Kind: payments.AlertPaidAfterClose, OrderID: p.OrderID, XenditID: p.XenditID,
			Detail: fmt.Sprintf("order %s paid %s after it was cancelled", st.Order.Ref, p.Amount)}
		if _, err := insertAlert(ctx, tx, a, now); err != nil {
			return err
		}
	}
	return nil
}

// insertAlert records a once, reporting whether it was new.
func insertAlert(ctx context.Context, tx pgx.Tx, a payments.Alert, now time.Time) (bool, error) {
	var orderID *int64
	if a.OrderID != 0 {
		orderID = &a.OrderID
	}
	tag, err := tx.Exec(ctx, `
		INSERT INTO payment_alerts (kind, order_id, xendit_id, detail, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (kind, xendit_id) DO NOTHING`, a.Kind, orderID, a.XenditID, a.Detail, now)
	if err != nil {
		return false, fmt.Errorf("record %s alert: %w", a.Kind, err)
	}
	return tag.RowsAffected() == 1, nil
}

// RemindInvoice marks an order's invoice reminded and enqueues notify's messages, once, and only
// while the order and its invoice are pending; it reports whether it did.
func (s *Store) RemindInvoice(ctx context.Context, orderID int64, notify payments.Notice) (bool, error) {
	var reminded bool
	err := s.tx(ctx, func(tx pgx.Tx) error {
		inv, err := findInvoice(ctx, tx, payments.InvoiceQuery{OrderID: orderID}, true)
		if err != nil || inv.Status != payments.InvoicePending || inv.Order.Status != lapak.OrderPending || inv.Reminded {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE invoices SET reminded = true WHERE order_id = $1", orderID); err != nil {
			return err
		}
		reminded = true
		return s.notifyOrder(ctx, tx, inv.Order, notify)
	})
	if err != nil && !isDomainError(err) {
		return false, fmt.Errorf("remind of order %d: %w", orderID, err)
	}
	return reminded, err
}

// RecordInvoiceAlert records an alert once per kind and Xendit ID and, the first time, enqueues
// notify's messages in the same transaction: about the alert's order, or, when it names none, to
// the owners alone. It reports whether the alert was new.
func (s *Store) RecordInvoiceAlert(ctx context.Context, a payments.Alert, notify payments.Notice) (bool, error) {
	var added bool
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if added, err = insertAlert(ctx, tx, a, s.clock.Now()); err != nil || !added {
			return err
		}
		if a.OrderID != 0 {
			orders, err := queryOrders(ctx, tx, "WHERE id = $1", a.OrderID)
			if err != nil {
				return err
			}
			if len(orders) == 0 {
				return fmt.Errorf("no order %d", a.OrderID)
			}
			return s.notifyOrder(ctx, tx, orders[0], notify)
		}
		rows, err := tx.Query(ctx, "SELECT "+userColumns+" FROM users WHERE role = 'owner' ORDER BY id")
		if err != nil {
			return err
		}
		owners, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (lapak.User, error) { return scanUser(r) })
		if err != nil {
			return fmt.Errorf("owners: %w", err)
		}
		return s.Notify(ctx, tx, notify(payments.Event{Owners: owners}))
	})
	if err != nil {
		return false, fmt.Errorf("record %s alert for invoice %s: %w", a.Kind, a.XenditID, err)
	}
	return added, nil
}

// DueInvoices claims up to limit open invoices last looked at before before and marks them looked
// at now, skipping those another transaction holds. Those still being created for a pending order
// get their creation job again (a no-op while one is queued); every claimed invoice is returned.
func (s *Store) DueInvoices(ctx context.Context, before time.Time, limit int) ([]payments.Invoice, error) {
	var ids []int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE invoices SET updated_at = $3
			WHERE order_id IN (
				SELECT i.order_id FROM invoices i JOIN orders o ON o.id = i.order_id
				WHERE i.status IN ('creating', 'pending') AND i.updated_at < $1
				  AND (i.status = 'pending' OR o.status = 'pending_payment')
				ORDER BY i.updated_at LIMIT $2 FOR UPDATE OF i SKIP LOCKED)
			RETURNING order_id, status`, before, limit, s.clock.Now())
		if err != nil {
			return err
		}
		var id int64
		var status payments.InvoiceStatus
		var params []river.InsertManyParams
		_, err = pgx.ForEachRow(rows, []any{&id, &status}, func() error {
			ids = append(ids, id)
			if status == payments.InvoiceCreating {
				params = append(params, river.InsertManyParams{Args: jobs.CreateInvoiceArgs{OrderID: id}})
			}
			return nil
		})
		if err != nil || len(params) == 0 {
			return err
		}
		_, err = s.jobs.InsertManyTx(ctx, tx, params)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim due invoices: %w", err)
	}
	out := make([]payments.Invoice, 0, len(ids))
	for _, id := range ids {
		inv, err := s.FindInvoice(ctx, payments.InvoiceQuery{OrderID: id})
		if err != nil {
			return out, err
		}
		out = append(out, inv)
	}
	return out, nil
}

// RecordInvoiceCallback keeps an invoice callback's raw body for audit and returns its ID.
func (s *Store) RecordInvoiceCallback(ctx context.Context, xenditID, status string, body []byte) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO xendit_callbacks (kind, xendit_id, status, body) VALUES ('invoice', $1, $2, $3) RETURNING id`,
		xenditID, status, body).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record callback for invoice %s: %w", xenditID, err)
	}
	return id, nil
}

// SetInvoiceCallbackOutcome records what Lapak did with a callback.
func (s *Store) SetInvoiceCallbackOutcome(ctx context.Context, id int64, outcome string) error {
	if _, err := s.pool.Exec(ctx, "UPDATE xendit_callbacks SET outcome = $2 WHERE id = $1", id, outcome); err != nil {
		return fmt.Errorf("record outcome of callback %d: %w", id, err)
	}
	return nil
}
