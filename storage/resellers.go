package storage

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const resellerColumns = "id, user_id, name, phone, city, coalesce(code, ''), status, created_at, decided_at, decided_by"

func scanReseller(row pgx.Row) (lapak.Reseller, error) {
	var r lapak.Reseller
	err := row.Scan(&r.ID, &r.UserID, &r.Name, &r.Phone, &r.City, &r.Code, &r.Status, &r.CreatedAt, &r.DecidedAt, &r.DecidedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, lapak.ErrNotFound
	}
	return r, err
}

// ResellerByUser returns the reseller registration of a user, or lapak.ErrNotFound.
func (s *Store) ResellerByUser(ctx context.Context, userID int64) (lapak.Reseller, error) {
	return scanReseller(s.pool.QueryRow(ctx, "SELECT "+resellerColumns+" FROM resellers WHERE user_id = $1", userID))
}

// ResellerByCode returns the approved reseller with a code, case-insensitively.
func (s *Store) ResellerByCode(ctx context.Context, code string) (lapak.Reseller, error) {
	return scanReseller(s.pool.QueryRow(ctx, "SELECT "+resellerColumns+" FROM resellers WHERE code = upper($1) AND status = 'approved'", code))
}

// PendingResellers returns the registrations waiting for an owner, oldest first.
func (s *Store) PendingResellers(ctx context.Context, limit int) ([]lapak.Reseller, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+resellerColumns+" FROM resellers WHERE status = 'pending' ORDER BY created_at LIMIT $1", limit)
	if err != nil {
		return nil, fmt.Errorf("list pending resellers: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (lapak.Reseller, error) { return scanReseller(r) })
}

// SubmitReseller records a registration as pending and enqueues notify (the owners' approval
// cards) in the same transaction. A user who was rejected before may register again; a user who
// is pending or approved gets their registration back with a KindConflict error.
func (s *Store) SubmitReseller(ctx context.Context, r lapak.Reseller, notify []bot.Outbound) (lapak.Reseller, error) {
	var out lapak.Reseller
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanReseller(tx.QueryRow(ctx, `
			INSERT INTO resellers (user_id, name, phone, city) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id) DO UPDATE
			SET name = EXCLUDED.name, phone = EXCLUDED.phone, city = EXCLUDED.city, status = 'pending',
			    created_at = now(), decided_at = NULL, decided_by = NULL
			WHERE resellers.status = 'rejected'
			RETURNING `+resellerColumns, r.UserID, r.Name, r.Phone, r.City))
		if errors.Is(err, lapak.ErrNotFound) {
			out, err = scanReseller(tx.QueryRow(ctx, "SELECT "+resellerColumns+" FROM resellers WHERE user_id = $1", r.UserID))
			if err == nil {
				err = lapak.Errorf(lapak.KindConflict, "onboard.already")
			}
			return err
		}
		if err != nil {
			return err
		}
		return s.Notify(ctx, tx, notify)
	})
	if err != nil && lapak.KindOf(err) != lapak.KindConflict {
		return out, fmt.Errorf("submit reseller for user %d: %w", r.UserID, err)
	}
	return out, err
}

// DecideReseller approves or rejects the pending registration of resellerUserID once, however
// many owners tap at the same time; a second decision gets lapak.ErrDecided and the registration
// as it stands. Approval gives the reseller a free readable code and the reseller role. notify
// builds the messages to send once decided; they are enqueued in the same transaction.
func (s *Store) DecideReseller(ctx context.Context, resellerUserID, ownerID int64, approved bool, notify func(lapak.Reseller) []bot.Outbound) (lapak.Reseller, error) {
	var out lapak.Reseller
	err := s.tx(ctx, func(tx pgx.Tx) error {
		r, err := scanReseller(tx.QueryRow(ctx, "SELECT "+resellerColumns+" FROM resellers WHERE user_id = $1 FOR UPDATE", resellerUserID))
		if err != nil {
			return err
		}
		out = r
		if r.Status != lapak.ResellerPending {
			return lapak.ErrDecided
		}
		if approved {
			out, err = approve(ctx, tx, r, ownerID)
		} else {
			out, err = scanReseller(tx.QueryRow(ctx, `
				UPDATE resellers SET status = 'rejected', decided_at = now(), decided_by = $2 WHERE id = $1
				RETURNING `+resellerColumns, r.ID, ownerID))
		}
		if err != nil || notify == nil {
			return err
		}
		return s.Notify(ctx, tx, notify(out))
	})
	if err != nil && !errors.Is(err, lapak.ErrDecided) && !errors.Is(err, lapak.ErrNotFound) {
		return out, fmt.Errorf("decide reseller of user %d: %w", resellerUserID, err)
	}
	return out, err
}

// approve gives r the first free code, trying candidates under savepoints.
func approve(ctx context.Context, tx pgx.Tx, r lapak.Reseller, ownerID int64) (lapak.Reseller, error) {
	codes := lapak.ResellerCodes(r.Name, rand.New(rand.NewPCG(uint64(r.ID), rand.Uint64())))
	for _, code := range codes {
		var out lapak.Reseller
		err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
			var err error
			out, err = scanReseller(sp.QueryRow(ctx, `
				UPDATE resellers SET status = 'approved', code = $3, decided_at = now(), decided_by = $2 WHERE id = $1
				RETURNING `+resellerColumns, r.ID, ownerID, code))
			return err
		})
		if isUniqueViolation(err, "code") {
			continue
		}
		if err != nil {
			return out, err
		}
		_, err = tx.Exec(ctx, "UPDATE users SET role = 'reseller', updated_at = now() WHERE id = $1 AND role = 'customer'", r.UserID)
		return out, err
	}
	return r, fmt.Errorf("no free reseller code for %q after %d tries", r.Name, len(codes))
}
