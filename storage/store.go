package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/jobs"
)

// Inserter enqueues River jobs inside a transaction. *river.Client[pgx.Tx] is one.
type Inserter interface {
	InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// Store is Lapak's Postgres store. Its methods that change state and notify someone write the
// change and the notification jobs in one transaction.
type Store struct {
	pool     *pgxpool.Pool
	jobs     Inserter
	clock    lapak.Clock
	invoices bool // PlaceOrder records each order's invoice to create (EnableInvoices)
}

// New returns a Store over pool that enqueues jobs with jobs.
func New(pool *pgxpool.Pool, jobs Inserter, clock lapak.Clock) *Store {
	if clock == nil {
		clock = lapak.SystemClock{}
	}
	return &Store{pool: pool, jobs: jobs, clock: clock}
}

// Pool returns the connection pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping checks that Postgres answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// tx runs fn in a transaction.
func (s *Store) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// Notify enqueues messages in tx; they are sent only if tx commits.
func (s *Store) Notify(ctx context.Context, tx pgx.Tx, msgs []bot.Outbound) error {
	if len(msgs) == 0 {
		return nil
	}
	if _, err := s.jobs.InsertManyTx(ctx, tx, notifications(msgs)); err != nil {
		return fmt.Errorf("enqueue %d notifications: %w", len(msgs), err)
	}
	return nil
}

// notifications are the jobs that send msgs.
func notifications(msgs []bot.Outbound) []river.InsertManyParams {
	params := make([]river.InsertManyParams, len(msgs))
	for i, m := range msgs {
		params[i] = river.InsertManyParams{Args: jobs.NotifyArgs{Message: m}}
	}
	return params
}
