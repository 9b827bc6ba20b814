package jobs_test

import (
	"context"
	"errors"
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

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// releases records the orders it is asked to expire and answers with its fields.
type releases struct {
	mu       sync.Mutex
	asked    []time.Time
	released bool
	err      error
}

func (r *releases) ExpireOrder(_ context.Context, _ int64, now time.Time) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, now)
	return r.released, r.err
}

func releaseJob(orderID int64, at time.Time) *river.Job[jobs.ReleaseReservationArgs] {
	return &river.Job[jobs.ReleaseReservationArgs]{
		JobRow: &rivertype.JobRow{Kind: jobs.ReleaseReservationArgs{}.Kind(), ScheduledAt: at},
		Args:   jobs.ReleaseReservationArgs{OrderID: orderID},
	}
}

func TestReleaseReservationWorker(t *testing.T) {
	ctx := context.Background()
	due := time.Date(2025, 3, 14, 10, 30, 0, 0, time.UTC)

	t.Run("ExpiresTheOrderOnceDue", func(t *testing.T) {
		r := &releases{released: true}
		w := &jobs.ReleaseReservationWorker{Orders: r, Clock: fixedClock{due.Add(time.Second)}}
		if err := w.Work(ctx, releaseJob(7, due)); err != nil {
			t.Fatal(err)
		}
		if len(r.asked) != 1 || !r.asked[0].Equal(due.Add(time.Second)) {
			t.Errorf("asked to expire at %v", r.asked)
		}
	})

	t.Run("AnEarlyJobSnoozesUntilDue", func(t *testing.T) {
		r := &releases{}
		w := &jobs.ReleaseReservationWorker{Orders: r, Clock: fixedClock{due.Add(-3 * time.Second)}}
		var snooze *rivertype.JobSnoozeError
		if err := w.Work(ctx, releaseJob(7, due)); !errors.As(err, &snooze) || snooze.Duration != 3*time.Second {
			t.Errorf("got %v, want a snooze of 3s", err)
		}
		if len(r.asked) != 0 {
			t.Errorf("an early job expired the order")
		}
	})

	t.Run("AnOrderAlreadyClosedIsDone", func(t *testing.T) {
		w := &jobs.ReleaseReservationWorker{Orders: &releases{released: false}, Clock: fixedClock{due}}
		if err := w.Work(ctx, releaseJob(7, due)); err != nil {
			t.Errorf("got %v", err)
		}
	})

	t.Run("AnUnknownOrderCancelsTheJob", func(t *testing.T) {
		w := &jobs.ReleaseReservationWorker{Orders: &releases{err: lapak.ErrNotFound}, Clock: fixedClock{due}}
		var cancel *rivertype.JobCancelError
		if err := w.Work(ctx, releaseJob(7, due)); !errors.As(err, &cancel) {
			t.Errorf("got %v, want the job cancelled", err)
		}
	})

	t.Run("AFailureIsRetried", func(t *testing.T) {
		w := &jobs.ReleaseReservationWorker{Orders: &releases{err: errors.New("connection reset")}, Clock: fixedClock{due}}
		err := w.Work(ctx, releaseJob(7, due))
		var cancel *rivertype.JobCancelError
		if err == nil || errors.As(err, &cancel) {
			t.Errorf("got %v, want an error River retries", err)
		}
	})
}

// TestReleaseReservationOnRiver places an order whose reservation is already due and lets a real
// River client work the job the order enqueued: the order expires and its stock comes back.
func TestReleaseReservationOnRiver(t *testing.T) {
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
	worker := &jobs.ReleaseReservationWorker{}
	workers := river.NewWorkers()
	river.AddWorker(workers, worker)
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:           workers,
		PollOnly:          true,
		FetchCooldown:     10 * time.Millisecond,
		FetchPollInterval: 20 * time.Millisecond,
		TestOnly:          true,
		Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	// The order was placed two hours ago and held its stock for one.
	placedAt := time.Now().Add(-2 * time.Hour)
	store := storage.New(pool, client, fixedClock{placedAt})
	worker.Orders = store
	o := seedOrder(t, store, placedAt.Add(time.Hour))

	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Stop(context.WithoutCancel(ctx)) })

	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	deadline := time.After(15 * time.Second)
	for {
		got, err := store.OrderByRef(ctx, o.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == lapak.OrderExpired {
			break
		}
		select {
		case <-poll.C:
		case <-deadline:
			t.Fatalf("order still %s", got.Status)
		}
	}
	var stock int
	if err := pool.QueryRow(ctx, "SELECT stock FROM products WHERE id = $1", o.Items[0].ProductID).Scan(&stock); err != nil || stock != 3 {
		t.Errorf("stock %d after the release, want 3 back (%v)", stock, err)
	}
}

// seedOrder places an order for 2 of a product with 3 in stock that expires at expires.
func seedOrder(t *testing.T, store *storage.Store, expires time.Time) lapak.Order {
	t.Helper()
	ctx := context.Background()
	owner, err := store.TouchUser(ctx, lapak.Telegram, "900", "900", "Bu Rina", lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	supplier, err := store.CreateSupplier(ctx, "Kaos Nusantara", owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	stock := 3
	p, err := store.SaveProduct(ctx, lapak.Product{SupplierID: supplier.ID, SKU: "KAOS-1", Name: "Kaos Polos",
		BasePrice: 50_000, RetailPrice: 75_000, Stock: &stock, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	customer, err := store.TouchUser(ctx, lapak.WhatsApp, "6281234567890", "6281234567890", "Siti", lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	o, err := store.PlaceOrder(ctx, lapak.NewOrder{
		Key: "k1", CustomerUserID: customer.ID, Items: []lapak.CartItem{{ProductID: p.ID, Qty: 2}},
		Name: "Siti", Phone: "+6281234567890", Address: lapak.Address{Street: "Jl. Merdeka 10", City: "Bandung"},
		ExpiresAt: expires,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
