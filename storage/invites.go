package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// CreateInvite records a single-use owner invitation that expires at expires.
func (s *Store) CreateInvite(ctx context.Context, token string, by int64, expires time.Time) error {
	_, err := s.pool.Exec(ctx, "INSERT INTO owner_invites (token, created_by, expires_at) VALUES ($1, $2, $3)", token, by, expires)
	if err != nil {
		return fmt.Errorf("create owner invite: %w", err)
	}
	return nil
}

// UseInvite makes userID an owner with a valid, unused invitation, once, and enqueues notify in
// the same transaction. A used, expired or unknown token gives a KindNotFound error.
func (s *Store) UseInvite(ctx context.Context, token string, userID int64, notify []bot.Outbound) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var id string
		err := tx.QueryRow(ctx, `
			UPDATE owner_invites SET used_by = $2, used_at = now()
			WHERE token = $1 AND used_by IS NULL AND expires_at > $3
			RETURNING token`, token, userID, s.clock.Now()).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return lapak.Errorf(lapak.KindNotFound, "invite.used")
		}
		if err != nil {
			return fmt.Errorf("use owner invite: %w", err)
		}
		if _, err := tx.Exec(ctx, "UPDATE users SET role = 'owner', updated_at = now() WHERE id = $1", userID); err != nil {
			return fmt.Errorf("make user %d an owner: %w", userID, err)
		}
		return s.Notify(ctx, tx, notify)
	})
}
