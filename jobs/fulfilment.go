package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/metrics"
)

// AutoCompleteArgs completes a shipped order the owner did not mark completed. It is inserted
// when the order ships, scheduled at the shipping time plus the auto-complete period.
type AutoCompleteArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind names the job for River.
func (AutoCompleteArgs) Kind() string { return "auto_complete" }

// InsertOpts puts completions on the default queue. Completing is idempotent, so retries are safe.
func (AutoCompleteArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 25}
}

// Completer completes a shipped order at now and reports whether it did: an order completed,
// cancelled or not shipped is left alone.
type Completer interface {
	AutoComplete(ctx context.Context, orderID int64, now time.Time) (bool, error)
}

// AutoCompleteWorker works AutoCompleteArgs.
type AutoCompleteWorker struct {
	river.WorkerDefaults[AutoCompleteArgs]
	Orders  Completer
	Clock   lapak.Clock // the time orders complete at; the system clock when nil
	Metrics *metrics.Metrics
}

// Work completes the order, once due by this clock.
func (w *AutoCompleteWorker) Work(ctx context.Context, job *river.Job[AutoCompleteArgs]) error {
	now := clockNow(w.Clock)
	if early := job.ScheduledAt.Sub(now); early > 0 {
		w.Metrics.Job(job.Kind, "snoozed")
		return river.JobSnooze(early)
	}
	done, err := w.Orders.AutoComplete(ctx, job.Args.OrderID, now)
	return finish(w.Metrics, job.Kind, done, fmt.Sprintf("auto-complete order %d", job.Args.OrderID), err)
}

// Timeout bounds one completion.
func (w *AutoCompleteWorker) Timeout(*river.Job[AutoCompleteArgs]) time.Duration { return time.Minute }

// ReleaseEarningsArgs moves a reseller's earnings on a completed order from pending to available
// once the holding period is over. It is inserted when the order completes, scheduled at the end
// of the holding period.
type ReleaseEarningsArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind names the job for River.
func (ReleaseEarningsArgs) Kind() string { return "release_earnings" }

// InsertOpts puts releases on the default queue. Releasing posts one ledger journal per order
// however often it runs, so retries are safe.
func (ReleaseEarningsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 25}
}

// EarningsReleaser releases the reseller's earnings on a completed order whose holding period is
// over at now, and reports whether it did: earnings released already, an order refunded or sold
// by the owner are left alone. Earnings not yet due at now are an error, so the job is retried.
type EarningsReleaser interface {
	ReleaseEarnings(ctx context.Context, orderID int64, now time.Time) (bool, error)
}

// ReleaseEarningsWorker works ReleaseEarningsArgs.
type ReleaseEarningsWorker struct {
	river.WorkerDefaults[ReleaseEarningsArgs]
	Earnings EarningsReleaser
	Clock    lapak.Clock // the time holding periods end by; the system clock when nil
	Metrics  *metrics.Metrics
}

// Work releases the earnings, once due by this clock.
func (w *ReleaseEarningsWorker) Work(ctx context.Context, job *river.Job[ReleaseEarningsArgs]) error {
	now := clockNow(w.Clock)
	if early := job.ScheduledAt.Sub(now); early > 0 {
		w.Metrics.Job(job.Kind, "snoozed")
		return river.JobSnooze(early)
	}
	released, err := w.Earnings.ReleaseEarnings(ctx, job.Args.OrderID, now)
	return finish(w.Metrics, job.Kind, released, fmt.Sprintf("release earnings of order %d", job.Args.OrderID), err)
}

// Timeout bounds one release.
func (w *ReleaseEarningsWorker) Timeout(*river.Job[ReleaseEarningsArgs]) time.Duration {
	return time.Minute
}

// finish counts how a job about one order ended and returns what River should do: an order that
// does not exist cancels the job, other errors retry it.
func finish(m *metrics.Metrics, kind string, done bool, what string, err error) error {
	switch {
	case errors.Is(err, lapak.ErrNotFound):
		m.Job(kind, "cancelled")
		return river.JobCancel(fmt.Errorf("%s: %w", what, err))
	case err != nil:
		m.Job(kind, "error")
		return fmt.Errorf("%s: %w", what, err)
	case done:
		m.Job(kind, "ok")
	default:
		m.Job(kind, "noop")
	}
	return nil
}

// clockNow reads c, or the system clock when c is nil.
func clockNow(c lapak.Clock) time.Time {
	if c == nil {
		return time.Now()
	}
	return c.Now()
}
