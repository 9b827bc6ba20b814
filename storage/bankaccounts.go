package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments"
)

const bankAccountColumns = "id, reseller_id, channel_code, channel_name, number, holder_name, hold_until, invalid_code, created_at"

func scanBankAccount(row pgx.Row) (lapak.BankAccount, error) {
	var a lapak.BankAccount
	err := row.Scan(&a.ID, &a.ResellerID, &a.Channel, &a.ChannelName, &a.Number, &a.Holder, &a.HoldUntil, &a.Invalid, &a.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, lapak.ErrNotFound
	}
	return a, err
}

// BankAccount returns the reseller's current bank account, or lapak.ErrNotFound.
func (s *Store) BankAccount(ctx context.Context, resellerID int64) (lapak.BankAccount, error) {
	a, err := currentAccount(ctx, s.pool, resellerID)
	if err != nil && !errors.Is(err, lapak.ErrNotFound) {
		return a, fmt.Errorf("bank account of reseller %d: %w", resellerID, err)
	}
	return a, err
}

func currentAccount(ctx context.Context, db DB, resellerID int64) (lapak.BankAccount, error) {
	return scanBankAccount(db.QueryRow(ctx, "SELECT "+bankAccountColumns+" FROM bank_accounts WHERE reseller_id = $1 AND replaced_at IS NULL", resellerID))
}

// SaveBankAccount makes a the reseller's current account, keeping the one it replaces as history,
// and enqueues notify's messages, in one transaction; it reports whether anything changed. The
// first account is usable at once; one that replaces another holds payouts for hold. Saving the
// current account again (same bank, number and holder, not marked invalid) changes nothing. The
// reseller must be approved. Payouts already made keep the account they were made for.
//
// a must be checked already (lapak.PayoutChannel.AccountNumber and lapak.HolderName); the
// database refuses what is malformed.
func (s *Store) SaveBankAccount(ctx context.Context, a lapak.BankAccount, hold time.Duration, notify payments.AccountNotify) (lapak.BankAccount, bool, error) {
	var saved lapak.BankAccount
	changed := false
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var status lapak.ResellerStatus
		err := tx.QueryRow(ctx, "SELECT status FROM resellers WHERE id = $1 FOR UPDATE", a.ResellerID).Scan(&status)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return notFound("payout.not_reseller")
		case err != nil:
			return err
		case status != lapak.ResellerApproved:
			return lapak.Errorf(lapak.KindForbidden, "payout.not_reseller")
		}
		old, err := currentAccount(ctx, tx, a.ResellerID)
		if err != nil && !errors.Is(err, lapak.ErrNotFound) {
			return err
		}
		if old.ID != 0 && old.Channel == a.Channel && old.Number == a.Number && old.Holder == a.Holder && old.Invalid == "" {
			saved = old
			return nil
		}
		now := s.clock.Now()
		holdUntil := now
		if old.ID != 0 {
			holdUntil = now.Add(hold)
			if _, err := tx.Exec(ctx, "UPDATE bank_accounts SET replaced_at = $2 WHERE id = $1", old.ID, now); err != nil {
				return err
			}
		}
		saved, err = scanBankAccount(tx.QueryRow(ctx, `
			INSERT INTO bank_accounts (reseller_id, channel_code, channel_name, number, holder_name, hold_until, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+bankAccountColumns,
			a.ResellerID, a.Channel, a.ChannelName, a.Number, a.Holder, holdUntil, now))
		if err != nil {
			return err
		}
		changed = true
		return s.notifyAccount(ctx, tx, saved, old, notify)
	})
	if err != nil && !isDomainError(err) {
		return saved, false, fmt.Errorf("save bank account of reseller %d: %w", a.ResellerID, err)
	}
	return saved, changed, err
}

// notifyAccount enqueues what notify says about a saved account.
func (s *Store) notifyAccount(ctx context.Context, tx pgx.Tx, saved, old lapak.BankAccount, notify payments.AccountNotify) error {
	if notify == nil {
		return nil
	}
	to, err := recipients(ctx, tx, []int64{saved.ResellerID})
	if err != nil {
		return err
	}
	return s.Notify(ctx, tx, notify(saved, old, to))
}

// recipients reads the owners and the users of the given resellers.
func recipients(ctx context.Context, db DB, resellerIDs []int64) (payments.Recipients, error) {
	to := payments.Recipients{Payees: map[int64]lapak.User{}, Names: map[int64]string{}}
	rows, err := db.Query(ctx, "SELECT "+userColumns+" FROM users WHERE role = 'owner' ORDER BY id")
	if err != nil {
		return to, fmt.Errorf("owners: %w", err)
	}
	if to.Owners, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (lapak.User, error) { return scanUser(r) }); err != nil {
		return to, fmt.Errorf("owners: %w", err)
	}
	rows, err = db.Query(ctx, `
		SELECT r.id, r.name, u.id, u.channel, u.external_id, u.chat_id, u.name, u.lang, u.role, u.created_at
		FROM resellers r JOIN users u ON u.id = r.user_id WHERE r.id = ANY($1)`, resellerIDs)
	if err != nil {
		return to, fmt.Errorf("payees: %w", err)
	}
	var id int64
	var name string
	var u lapak.User
	_, err = pgx.ForEachRow(rows, []any{&id, &name, &u.ID, &u.Channel, &u.ExternalID, &u.ChatID, &u.Name, &u.Lang, &u.Role, &u.CreatedAt},
		func() error { to.Payees[id], to.Names[id] = u, name; return nil })
	if err != nil {
		return to, fmt.Errorf("payees: %w", err)
	}
	return to, nil
}

const payoutSettingsColumns = `enabled, frequency, weekday, month_day, minute, zone, minimum, auto_below, mode,
	allow_early, allow_ewallets, scheduled_from, updated_at`

func scanPayoutSettings(row pgx.Row) (lapak.PayoutSettings, error) {
	var s lapak.PayoutSettings
	sc := &s.Schedule
	err := row.Scan(&s.Enabled, &sc.Frequency, &sc.Weekday, &sc.Day, &sc.Minute, &sc.Zone, &s.Minimum, &s.AutoApproveBelow,
		&s.Mode, &s.AllowEarly, &s.AllowEwallets, &s.ScheduledFrom, &s.UpdatedAt)
	return s, err
}

// PayoutSettings returns how the store pays its resellers.
func (s *Store) PayoutSettings(ctx context.Context) (lapak.PayoutSettings, error) {
	set, err := scanPayoutSettings(s.pool.QueryRow(ctx, "SELECT "+payoutSettingsColumns+" FROM payout_settings"))
	if err != nil {
		return set, fmt.Errorf("payout settings: %w", err)
	}
	return set, nil
}

// SavePayoutSettings checks and saves the store's payout settings. When the schedule changed
// (enabled, frequency, day, time or zone), scheduled times before now are not run: a new
// schedule starts from its next time.
func (s *Store) SavePayoutSettings(ctx context.Context, set lapak.PayoutSettings, ownerUserID int64) (lapak.PayoutSettings, error) {
	if err := set.Check(); err != nil {
		return set, err
	}
	sc := set.Schedule
	saved, err := scanPayoutSettings(s.pool.QueryRow(ctx, `
		UPDATE payout_settings SET
			scheduled_from = CASE WHEN (enabled, frequency, weekday, month_day, minute, zone) IS DISTINCT FROM ($1, $2, $3, $4, $5, $6)
			                      THEN $12 ELSE scheduled_from END,
			enabled = $1, frequency = $2, weekday = $3, month_day = $4, minute = $5, zone = $6, minimum = $7,
			auto_below = $8, mode = $9, allow_early = $10, allow_ewallets = $11, updated_at = $12, updated_by = $13
		RETURNING `+payoutSettingsColumns,
		set.Enabled, sc.Frequency, int16(sc.Weekday), int16(sc.Day), int16(sc.Minute), sc.Zone, set.Minimum, set.AutoApproveBelow,
		set.Mode, set.AllowEarly, set.AllowEwallets, s.clock.Now(), nullableUserID(ownerUserID)))
	if err != nil {
		return set, fmt.Errorf("save payout settings: %w", err)
	}
	return saved, nil
}

// nullableUserID is id, or NULL when it is 0.
func nullableUserID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
