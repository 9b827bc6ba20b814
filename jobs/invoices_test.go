package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// invoices records the orders it is asked about and answers with err.
type invoices struct {
	mu     sync.Mutex
	orders []int64
	err    error
	done   chan int64
}

func (f *invoices) record(orderID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.orders = append(f.orders, orderID)
	if f.done != nil {
		f.done <- orderID
	}
	return f.err
}

func (f *invoices) CreateInvoice(_ context.Context, orderID int64) error { return f.record(orderID) }
func (f *invoices) RemindUnpaid(_ context.Context, orderID int64) error  { return f.record(orderID) }
func (f *invoices) Reconcile(context.Context) (int, error)               { return 3, f.record(0) }

func TestInvoiceWorkers(t *testing.T) {
	ctx := context.Background()
	create := func(f *invoices) error {
		w := &jobs.CreateInvoiceWorker{Invoices: f}
		return w.Work(ctx, &river.Job[jobs.CreateInvoiceArgs]{JobRow: &rivertype.JobRow{Kind: "create_invoice"}, Args: jobs.CreateInvoiceArgs{OrderID: 7}})
	}
	remind := func(f *invoices) error {
		w := &jobs.InvoiceReminderWorker{Invoices: f}
		return w.Work(ctx, &river.Job[jobs.InvoiceReminderArgs]{JobRow: &rivertype.JobRow{Kind: "invoice_reminder"}, Args: jobs.InvoiceReminderArgs{OrderID: 7}})
	}
	for name, work := range map[string]func(*invoices) error{"Create": create, "Remind": remind} {
		t.Run(name+"AsksAboutTheOrder", func(t *testing.T) {
			f := &invoices{}
			if err := work(f); err != nil || len(f.orders) != 1 || f.orders[0] != 7 {
				t.Errorf("got %v, asked about %v", err, f.orders)
			}
		})
		t.Run(name+"ForAnUnknownOrderIsCancelled", func(t *testing.T) {
			var cancel *rivertype.JobCancelError
			if err := work(&invoices{err: fmt.Errorf("order 7: %w", lapak.ErrNotFound)}); !errors.As(err, &cancel) {
				t.Errorf("got %v, want the job cancelled", err)
			}
		})
		t.Run(name+"FailureIsRetried", func(t *testing.T) {
			var cancel *rivertype.JobCancelError
			if err := work(&invoices{err: errors.New("xendit: 503")}); err == nil || errors.As(err, &cancel) {
				t.Errorf("got %v, want an error River retries", err)
			}
		})
	}
	t.Run("Reconcile", func(t *testing.T) {
		w := &jobs.ReconcileInvoicesWorker{Invoices: &invoices{}}
		if err := w.Work(ctx, &river.Job[jobs.ReconcileInvoicesArgs]{JobRow: &rivertype.JobRow{Kind: "reconcile_invoices"}}); err != nil {
			t.Error(err)
		}
	})
}

// TestInvoiceJobsOnRiver inserts an order's creation job twice, as a retried placement or
// reconciliation would, and lets a real River client work them: the invoice is asked for once.
// The periodic reconciliation job runs when the client starts.
func TestInvoiceJobsOnRiver(t *testing.T) {
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
	f := &invoices{done: make(chan int64, 10)}
	workers := river.NewWorkers()
	river.AddWorker(workers, &jobs.CreateInvoiceWorker{Invoices: f})
	river.AddWorker(workers, &jobs.ReconcileInvoicesWorker{Invoices: f})
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:           workers,
		PeriodicJobs:      []*river.PeriodicJob{jobs.ReconcileInvoicesJob(time.Hour)},
		FetchCooldown:     10 * time.Millisecond,
		FetchPollInterval: 20 * time.Millisecond,
		TestOnly:          true,
		Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, true} {
		res, err := client.Insert(ctx, jobs.CreateInvoiceArgs{OrderID: 42}, nil)
		if err != nil || res.UniqueSkippedAsDuplicate != want {
			t.Fatalf("insert %d: duplicate %v, %v", i, res.UniqueSkippedAsDuplicate, err)
		}
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Stop(context.WithoutCancel(ctx)) })
	seen := map[int64]int{}
	deadline := time.After(15 * time.Second)
	for seen[42] < 1 || seen[0] < 1 {
		select {
		case id := <-f.done:
			seen[id]++
		case <-deadline:
			t.Fatalf("worked %v; want the creation and a reconciliation", seen)
		}
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM river_job WHERE kind = 'create_invoice'").Scan(&n); err != nil || n != 1 {
		t.Errorf("%d creation jobs for one order, want 1 (%v)", n, err)
	}
}
