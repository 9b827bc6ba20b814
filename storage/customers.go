package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/flows"
)

var _ flows.Customers = (*Store)(nil)

// BindCustomer makes the customer userID the approved reseller resellerID's until until. A later
// bind replaces the earlier one, to another reseller or the same, so the last code a customer
// came with counts. A reseller that does not exist or is not approved gives a KindNotFound error
// with the key reseller.not_found that is also lapak.ErrNotFound.
func (s *Store) BindCustomer(ctx context.Context, userID, resellerID int64, until time.Time) error {
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO customer_bindings (user_id, reseller_id, bound_at, expires_at)
		SELECT $1, id, $3, $4 FROM resellers WHERE id = $2 AND status = 'approved'
		ON CONFLICT (user_id) DO UPDATE
		SET reseller_id = EXCLUDED.reseller_id, bound_at = EXCLUDED.bound_at, expires_at = EXCLUDED.expires_at`,
		userID, resellerID, s.clock.Now(), until)
	if err != nil {
		return fmt.Errorf("bind customer %d to reseller %d: %w", userID, resellerID, err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("reseller.not_found")
	}
	return nil
}

// CustomerReseller returns the reseller the customer is bound to at now, and false when the
// customer has no binding, it expired, or the reseller is no longer approved.
func (s *Store) CustomerReseller(ctx context.Context, userID int64, now time.Time) (lapak.Reseller, bool, error) {
	r, err := scanReseller(s.pool.QueryRow(ctx, `
		SELECT `+resellerColumns+` FROM resellers
		WHERE status = 'approved' AND id = (SELECT reseller_id FROM customer_bindings WHERE user_id = $1 AND expires_at > $2)`,
		userID, now))
	if errors.Is(err, lapak.ErrNotFound) {
		return lapak.Reseller{}, false, nil
	}
	if err != nil {
		return lapak.Reseller{}, false, fmt.Errorf("reseller of customer %d: %w", userID, err)
	}
	return r, true, nil
}

// ResellerByID returns a reseller in any status, or a KindNotFound error with the key
// reseller.not_found that is also lapak.ErrNotFound.
func (s *Store) ResellerByID(ctx context.Context, id int64) (lapak.Reseller, error) {
	r, err := scanReseller(s.pool.QueryRow(ctx, "SELECT "+resellerColumns+" FROM resellers WHERE id = $1", id))
	switch {
	case errors.Is(err, lapak.ErrNotFound):
		return r, notFound("reseller.not_found")
	case err != nil:
		return r, fmt.Errorf("reseller %d: %w", id, err)
	}
	return r, nil
}
