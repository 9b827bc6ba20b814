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

// orderJobs records the orders it is asked to complete or release and answers with its fields.
type orderJobs struct {
	mu    sync.Mutex
	asked []int64
	at    []time.Time
	done  bool
	err   error
	ran   chan struct{} // signalled on each call when not nil
}

func (o *orderJobs) record(orderID int64, now time.Time) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.asked, o.at = append(o.asked, orderID), append(o.at, now)
	if o.ran != nil {
		o.ran <- struct{}{}
	}
	return o.done, o.err
}

func (o *orderJobs) AutoComplete(_ context.Context, orderID int64, now time.Time) (bool, error) {
	return o.record(orderID, now)
}

func (o *orderJobs) ReleaseEarnings(_ context.Context, orderID int64, now time.Time) (bool, error) {
	return o.record(orderID, now)
}

// orderWorker is one of the fulfilment workers, made over orders and a clock, and a job of its kind.
type orderWorker struct {
	name string
	work func(o *orderJobs, clock lapak.Clock, orderID int64, at time.Time) error
}

var orderWorkers = []orderWorker{
	{"AutoComplete", func(o *orderJobs, clock lapak.Clock, orderID int64, at time.Time) error {
		w := &jobs.AutoCompleteWorker{Orders: o, Clock: clock}
		return w.Work(context.Background(), &river.Job[jobs.AutoCompleteArgs]{
			JobRow: &rivertype.JobRow{Kind: jobs.AutoCompleteArgs{}.Kind(), ScheduledAt: at}, Args: jobs.AutoCompleteArgs{OrderID: orderID}})
	}},
	{"ReleaseEarnings", func(o *orderJobs, clock lapak.Clock, orderID int64, at time.Time) error {
		w := &jobs.ReleaseEarningsWorker{Earnings: o, Clock: clock}
		return w.Work(context.Background(), &river.Job[jobs.ReleaseEarningsArgs]{
			JobRow: &rivertype.JobRow{Kind: jobs.ReleaseEarningsArgs{}.Kind(), ScheduledAt: at}, Args: jobs.ReleaseEarningsArgs{OrderID: orderID}})
	}},
}

func TestFulfilmentWorkers(t *testing.T) {
	due := time.Date(2025, 3, 21, 10, 30, 0, 0, time.UTC)
	for _, w := range orderWorkers {
		t.Run(w.name, func(t *testing.T) {
			t.Run("WorksTheOrderOnceDue", func(t *testing.T) {
				o := &orderJobs{done: true}
				if err := w.work(o, fixedClock{due.Add(time.Second)}, 7, due); err != nil {
					t.Fatal(err)
				}
				if len(o.asked) != 1 || o.asked[0] != 7 || !o.at[0].Equal(due.Add(time.Second)) {
					t.Errorf("asked %v at %v", o.asked, o.at)
				}
			})
			t.Run("AnEarlyJobSnoozesUntilDue", func(t *testing.T) {
				o := &orderJobs{}
				var snooze *rivertype.JobSnoozeError
				if err := w.work(o, fixedClock{due.Add(-time.Hour)}, 7, due); !errors.As(err, &snooze) || snooze.Duration != time.Hour {
					t.Errorf("got %v, want a snooze of 1h", err)
				}
				if len(o.asked) != 0 {
					t.Errorf("an early job worked the order")
				}
			})
			t.Run("NothingToDoIsDone", func(t *testing.T) {
				if err := w.work(&orderJobs{}, fixedClock{due}, 7, due); err != nil {
					t.Errorf("got %v", err)
				}
			})
			t.Run("AnUnknownOrderCancelsTheJob", func(t *testing.T) {
				var cancel *rivertype.JobCancelError
				if err := w.work(&orderJobs{err: lapak.ErrNotFound}, fixedClock{due}, 7, due); !errors.As(err, &cancel) {
					t.Errorf("got %v, want the job cancelled", err)
				}
			})
			t.Run("AFailureIsRetried", func(t *testing.T) {
				err := w.work(&orderJobs{err: errors.New("connection reset")}, fixedClock{due}, 7, due)
				var cancel *rivertype.JobCancelError
				if err == nil || errors.As(err, &cancel) {
					t.Errorf("got %v, want an error River retries", err)
				}
			})
		})
	}
}

// TestFulfilmentJobsOnRiver inserts both jobs, due already, into a real River client with the
// workers registered, and waits for each order to be worked.
func TestFulfilmentJobsOnRiver(t *testing.T) {
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
	completer := &orderJobs{done: true, ran: make(chan struct{}, 1)}
	releaser := &orderJobs{done: true, ran: make(chan struct{}, 1)}
	workers := river.NewWorkers()
	river.AddWorker(workers, &jobs.AutoCompleteWorker{Orders: completer})
	river.AddWorker(workers, &jobs.ReleaseEarningsWorker{Earnings: releaser})
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
	past := &river.InsertOpts{ScheduledAt: time.Now().Add(-time.Minute)}
	if _, err := client.Insert(ctx, jobs.AutoCompleteArgs{OrderID: 41}, past); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Insert(ctx, jobs.ReleaseEarningsArgs{OrderID: 42}, past); err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Stop(context.WithoutCancel(ctx)) })
	for _, o := range []*orderJobs{completer, releaser} {
		select {
		case <-o.ran:
		case <-time.After(15 * time.Second):
			t.Fatal("a job was not worked")
		}
	}
	if completer.asked[0] != 41 || releaser.asked[0] != 42 {
		t.Errorf("completed %v, released %v", completer.asked, releaser.asked)
	}
}
