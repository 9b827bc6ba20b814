package storage

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
)

// Exported for the tests of package storage_test.
var (
	Post         = post
	ErrOverdrawn = errOverdrawn
)

// MarkPaid settles order o as the invoice callback would: the order paid at at and its payment
// journal posted under invoiceID, each line's revenue credited to its product's supplier.
func MarkPaid(ctx context.Context, s *Store, o lapak.Order, invoiceID string, at time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE orders SET status = 'paid', paid_at = $2, updated_at = $2 WHERE id = $1 AND status = 'pending_payment'", o.ID, at); err != nil {
			return err
		}
		supplierOf := map[int64]int64{}
		for _, it := range o.Items {
			var supplier int64
			if err := tx.QueryRow(ctx, "SELECT supplier_id FROM products WHERE id = $1", it.ProductID).Scan(&supplier); err != nil {
				return err
			}
			supplierOf[it.ProductID] = supplier
		}
		_, err := post(ctx, tx, lapak.PaymentJournal(o, invoiceID, supplierOf))
		return err
	})
}

// ErrNotDue says earnings were released before their time.
var ErrNotDue = errNotDue
