package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

func ledgerPool(t *testing.T) (*pgxpool.Pool, context.Context) {
	t.Helper()
	ctx := context.Background()
	_, dsn := storagetest.Schema(t)
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := storage.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	return pool, ctx
}

func postIn(ctx context.Context, pool *pgxpool.Pool, j lapak.Journal) (bool, error) {
	var posted bool
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var err error
		posted, err = storage.Post(ctx, tx, j)
		return err
	})
	return posted, err
}

func TestPostKeepsTheLedgerBalancedAndAppendOnly(t *testing.T) {
	pool, ctx := ledgerPool(t)
	pay := lapak.Journal{Key: "xendit:invoice:a:paid", Kind: lapak.JournalPayment, Entries: []lapak.Entry{
		{Account: lapak.ClearingAccount(), Amount: -150_000},
		{Account: lapak.RevenueAccount(1), Amount: 120_000},
		{Account: lapak.PendingAccount(7), Amount: 30_000},
	}}
	for i, want := range []bool{true, false} {
		posted, err := postIn(ctx, pool, pay)
		if err != nil || posted != want {
			t.Fatalf("post %d: posted %v, %v; want %v", i, posted, err, want)
		}
	}
	balance := func(a lapak.Account) lapak.Money {
		var m lapak.Money
		if err := pool.QueryRow(ctx, "SELECT balance FROM ledger_accounts WHERE kind = $1 AND holder = $2", a.Kind, a.Holder).Scan(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if got := balance(lapak.PendingAccount(7)); got != 30_000 {
		t.Errorf("pending after one payment posted twice: %s", got)
	}

	t.Run("UnbalancedIsRefusedByTheDatabase", func(t *testing.T) {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			var id, acct int64
			if err := tx.QueryRow(ctx, "INSERT INTO ledger_transactions (key, kind) VALUES ('bad', 'payment') RETURNING id").Scan(&id); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, "SELECT id FROM ledger_accounts LIMIT 1").Scan(&acct); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO ledger_entries (txn_id, account_id, amount) VALUES ($1, $2, 5), ($1, $2, -4)", id, acct)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "unbalanced") {
			t.Errorf("unbalanced transaction committed: %v", err)
		}
	})

	t.Run("EntriesCannotChange", func(t *testing.T) {
		for _, sql := range []string{"UPDATE ledger_entries SET amount = amount * 2", "DELETE FROM ledger_entries", "TRUNCATE ledger_entries CASCADE", "DELETE FROM ledger_transactions"} {
			if _, err := pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", sql, err)
			}
		}
	})

	t.Run("AvailableGoesNegativeOnlyByRefund", func(t *testing.T) {
		overdraw := lapak.Journal{Key: "payout:x:sent", Kind: lapak.JournalPayout, Entries: []lapak.Entry{
			{Account: lapak.AvailableAccount(7), Amount: -10_000},
			{Account: lapak.InTransitAccount(7), Amount: 10_000},
		}}
		if _, err := postIn(ctx, pool, overdraw); !errors.Is(err, storage.ErrOverdrawn) {
			t.Errorf("payout from an empty balance: %v", err)
		}
		clawback := lapak.Journal{Key: "order:1:refund", Kind: lapak.JournalRefund, Entries: []lapak.Entry{
			{Account: lapak.AvailableAccount(7), Amount: -10_000},
			{Account: lapak.PayoutBankAccount(), Amount: 10_000},
		}}
		if _, err := postIn(ctx, pool, clawback); err != nil {
			t.Errorf("clawback: %v", err)
		}
		if got := balance(lapak.AvailableAccount(7)); got != -10_000 {
			t.Errorf("available after clawback: %s", got)
		}
	})
}
