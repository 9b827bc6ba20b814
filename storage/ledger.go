package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
)

// errOverdrawn says a journal would take a reseller's available earnings below zero other than
// by a refund's clawback.
var errOverdrawn = errors.New("available earnings would go below zero")

// post writes journal j in tx and updates the balances it touches, reporting false when a journal
// with its key was written already (and then writing nothing). The accounts are created when
// missing and locked in account-id order, so two transactions touching the same accounts never
// deadlock. Only a refund may take a reseller's available earnings below zero; the database
// refuses an unbalanced journal at commit and a negative pending or in-transit balance at once.
func post(ctx context.Context, tx pgx.Tx, j lapak.Journal) (bool, error) {
	if err := j.Check(); err != nil {
		return false, err
	}
	var txnID int64
	var orderID *int64
	if j.OrderID != 0 {
		orderID = &j.OrderID
	}
	err := tx.QueryRow(ctx, `
		INSERT INTO ledger_transactions (key, kind, order_id, memo) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO NOTHING RETURNING id`, j.Key, j.Kind, orderID, j.Memo).Scan(&txnID)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("post %s: %w", j.Key, err)
	}
	ids, err := lockAccounts(ctx, tx, j.Entries)
	if err != nil {
		return false, fmt.Errorf("post %s: %w", j.Key, err)
	}
	if err := applyBalances(ctx, tx, j, ids); err != nil {
		return false, fmt.Errorf("post %s: %w", j.Key, err)
	}
	rows := make([][]any, len(j.Entries))
	for i, e := range j.Entries {
		var line *int
		if e.Line > 0 {
			line = &e.Line
		}
		rows[i] = []any{txnID, ids[e.Account], int64(e.Amount), line, e.Memo}
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"ledger_entries"}, []string{"txn_id", "account_id", "amount", "line", "memo"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return false, fmt.Errorf("post %s: entries: %w", j.Key, err)
	}
	return true, nil
}

// lockAccounts locks the entries' accounts in id order, creating those missing first, and
// returns each account's id. Accounts are made once in their lifetime, so the common case is one
// locking read that waits only for the holders of the same rows.
func lockAccounts(ctx context.Context, tx pgx.Tx, entries []lapak.Entry) (map[lapak.Account]int64, error) {
	var kinds []string
	var holders []int64
	seen := map[lapak.Account]bool{}
	for _, e := range entries {
		if !seen[e.Account] {
			seen[e.Account] = true
			kinds, holders = append(kinds, string(e.Account.Kind)), append(holders, e.Account.Holder)
		}
	}
	ids, err := selectAccounts(ctx, tx, kinds, holders)
	if err != nil || len(ids) == len(kinds) {
		return ids, err
	}
	// A conflict means another transaction made the account meanwhile.
	if _, err := tx.Exec(ctx, `
		INSERT INTO ledger_accounts (kind, holder) SELECT * FROM unnest($1::text[], $2::bigint[]) ORDER BY 1, 2
		ON CONFLICT (kind, holder) DO NOTHING`, kinds, holders); err != nil {
		return nil, fmt.Errorf("create accounts: %w", err)
	}
	if ids, err = selectAccounts(ctx, tx, kinds, holders); err == nil && len(ids) != len(kinds) {
		err = fmt.Errorf("lock accounts: found %d of %d", len(ids), len(kinds))
	}
	return ids, err
}

// selectAccounts locks the accounts that exist of those named, in id order.
func selectAccounts(ctx context.Context, tx pgx.Tx, kinds []string, holders []int64) (map[lapak.Account]int64, error) {
	rows, err := tx.Query(ctx, `
		SELECT a.id, a.kind, a.holder FROM ledger_accounts a
		JOIN unnest($1::text[], $2::bigint[]) AS w (kind, holder) ON a.kind = w.kind AND a.holder = w.holder
		ORDER BY a.id FOR UPDATE OF a`, kinds, holders)
	if err != nil {
		return nil, fmt.Errorf("lock accounts: %w", err)
	}
	ids := make(map[lapak.Account]int64, len(kinds))
	var id int64
	var a lapak.Account
	if _, err := pgx.ForEachRow(rows, []any{&id, &a.Kind, &a.Holder}, func() error { ids[a] = id; return nil }); err != nil {
		return nil, fmt.Errorf("lock accounts: %w", err)
	}
	return ids, nil
}

// applyBalances adds each account's net change to its balance, in one statement over rows locked
// already.
func applyBalances(ctx context.Context, tx pgx.Tx, j lapak.Journal, ids map[lapak.Account]int64) error {
	deltas := map[int64]int64{}
	for _, e := range j.Entries {
		deltas[ids[e.Account]] += int64(e.Amount)
	}
	var accts, amounts []int64
	for id, d := range deltas {
		if d != 0 {
			accts, amounts = append(accts, id), append(amounts, d)
		}
	}
	rows, err := tx.Query(ctx, `
		UPDATE ledger_accounts a SET balance = a.balance + d.delta
		FROM unnest($1::bigint[], $2::bigint[]) AS d (id, delta)
		WHERE a.id = d.id RETURNING a.kind, a.holder, a.balance, d.delta`, accts, amounts)
	if err != nil {
		return fmt.Errorf("balances: %w", err)
	}
	var a lapak.Account
	var balance, delta int64
	var overdrawn *lapak.Account
	_, err = pgx.ForEachRow(rows, []any{&a.Kind, &a.Holder, &balance, &delta}, func() error {
		if a.Kind == lapak.AccountResellerAvailable && balance < 0 && delta < 0 && j.Kind != lapak.JournalRefund {
			overdrawn = &lapak.Account{Kind: a.Kind, Holder: a.Holder}
		}
		return nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("balances: %w", err)
	case overdrawn != nil:
		return fmt.Errorf("%s: %w", *overdrawn, errOverdrawn)
	}
	return nil
}

// ResellerBalance returns where a reseller's commission stands: pending, available, in transit
// and paid out ever, less payouts the bank reversed.
func (s *Store) ResellerBalance(ctx context.Context, resellerID int64) (lapak.Balance, error) {
	var b lapak.Balance
	err := s.pool.QueryRow(ctx, `
		SELECT
			coalesce(sum(balance) FILTER (WHERE kind = 'reseller_pending'), 0),
			coalesce(sum(balance) FILTER (WHERE kind = 'reseller_available'), 0),
			coalesce(sum(balance) FILTER (WHERE kind = 'reseller_payout_in_transit'), 0),
			coalesce((SELECT -sum(e.amount)
			          FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id
			          JOIN ledger_accounts a ON a.id = e.account_id
			          WHERE a.holder = $1 AND (t.kind = 'payout_paid' AND a.kind = 'reseller_payout_in_transit'
			                                OR t.kind = 'payout_reversed' AND a.kind = 'reseller_available')), 0)
		FROM ledger_accounts WHERE holder = $1 AND kind LIKE 'reseller_%'`, resellerID).
		Scan(&b.Pending, &b.Available, &b.InTransit, &b.Paid)
	if err != nil {
		return b, fmt.Errorf("balance of reseller %d: %w", resellerID, err)
	}
	return b, nil
}
