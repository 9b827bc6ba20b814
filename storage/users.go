package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
)

const userColumns = "id, channel, external_id, chat_id, name, lang, role, created_at"

func scanUser(row pgx.Row) (lapak.User, error) {
	var u lapak.User
	err := row.Scan(&u.ID, &u.Channel, &u.ExternalID, &u.ChatID, &u.Name, &u.Lang, &u.Role, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, lapak.ErrNotFound
	}
	return u, err
}

// TouchUser returns the user behind a channel identity, creating them as a customer speaking lang
// on first contact, and keeps their chat and display name current. It reads first and writes only
// when something changed: every message passes here, and a write waits for the disk.
func (s *Store) TouchUser(ctx context.Context, channel lapak.Channel, externalID, chatID, name string, lang lapak.Lang) (lapak.User, error) {
	u, err := s.UserByChannel(ctx, channel, externalID)
	if err == nil && u.ChatID == chatID && (name == "" || u.Name == name) {
		return u, nil
	}
	if err != nil && !errors.Is(err, lapak.ErrNotFound) {
		return u, fmt.Errorf("touch user %s:%s: %w", channel, externalID, err)
	}
	u, err = scanUser(s.pool.QueryRow(ctx, `
		INSERT INTO users (channel, external_id, chat_id, name, lang)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (channel, external_id) DO UPDATE
		SET chat_id = EXCLUDED.chat_id,
		    name = CASE WHEN EXCLUDED.name = '' THEN users.name ELSE EXCLUDED.name END,
		    updated_at = now()
		RETURNING `+userColumns, channel, externalID, chatID, name, lang))
	if err != nil {
		return u, fmt.Errorf("touch user %s:%s: %w", channel, externalID, err)
	}
	return u, nil
}

// User returns a user by ID.
func (s *Store) User(ctx context.Context, id int64) (lapak.User, error) {
	return scanUser(s.pool.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
}

// UserByChannel returns the user with a channel identity.
func (s *Store) UserByChannel(ctx context.Context, channel lapak.Channel, externalID string) (lapak.User, error) {
	return scanUser(s.pool.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE channel = $1 AND external_id = $2", channel, externalID))
}

// SetLang sets the language a user reads.
func (s *Store) SetLang(ctx context.Context, userID int64, lang lapak.Lang) error {
	_, err := s.pool.Exec(ctx, "UPDATE users SET lang = $2, updated_at = now() WHERE id = $1", userID, lang)
	if err != nil {
		return fmt.Errorf("set language of user %d: %w", userID, err)
	}
	return nil
}

// Owners returns every owner, oldest first.
func (s *Store) Owners(ctx context.Context) ([]lapak.User, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+userColumns+" FROM users WHERE role = 'owner' ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list owners: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (lapak.User, error) { return scanUser(r) })
}

// EnsureOwners makes the given channel identities owners, creating them when they have never
// written. For Telegram private chats the chat ID is the user ID.
func (s *Store) EnsureOwners(ctx context.Context, channel lapak.Channel, externalIDs []string, lang lapak.Lang) error {
	for _, id := range externalIDs {
		_, err := s.pool.Exec(ctx, `
			INSERT INTO users (channel, external_id, chat_id, lang, role) VALUES ($1, $2, $2, $3, 'owner')
			ON CONFLICT (channel, external_id) DO UPDATE SET role = 'owner', updated_at = now() WHERE users.role <> 'owner'`,
			channel, id, lang)
		if err != nil {
			return fmt.Errorf("make %s:%s an owner: %w", channel, id, err)
		}
	}
	return nil
}
