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

// ReleaseReservationArgs gives an unpaid order's reserved stock back once it expires. It is
// inserted with the order, scheduled at the order's expiry.
type ReleaseReservationArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind names the job for River.
func (ReleaseReservationArgs) Kind() string { return "release_reservation" }

// InsertOpts puts releases on the default queue. Releasing is idempotent, so retries are safe.
func (ReleaseReservationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 25}
}

// Releaser expires an order that is still unpaid at now, returning its reserved stock, and
// reports whether it did. An order that is paid, cancelled or expired already is left alone.
// With payments on it is the payments service: the order's Xendit invoice is expired first, and
// an order whose invoice turns out paid is settled instead of expired (Xendit being unreachable
// is an error, retried, so the stock stays with an invoice that might still be paid). Without
// payments it is the store.
type Releaser interface {
	ExpireOrder(ctx context.Context, orderID int64, now time.Time) (bool, error)
}

// ReleaseReservationWorker works ReleaseReservationArgs.
type ReleaseReservationWorker struct {
	river.WorkerDefaults[ReleaseReservationArgs]
	Orders  Releaser
	Clock   lapak.Clock // the time orders expire by; the system clock when nil
	Metrics *metrics.Metrics
}

// Work expires the order. A job that runs before its scheduled time by this clock, as when the
// database's clock runs ahead of this instance's, snoozes until then instead of finding the order
// not yet due and leaving its stock reserved for good. An order that does not exist cancels the job.
func (w *ReleaseReservationWorker) Work(ctx context.Context, job *river.Job[ReleaseReservationArgs]) error {
	now := w.now()
	if early := job.ScheduledAt.Sub(now); early > 0 {
		w.Metrics.Job(job.Kind, "snoozed")
		return river.JobSnooze(early)
	}
	released, err := w.Orders.ExpireOrder(ctx, job.Args.OrderID, now)
	switch {
	case errors.Is(err, lapak.ErrNotFound):
		w.Metrics.Job(job.Kind, "cancelled")
		return river.JobCancel(fmt.Errorf("release reservation of order %d: %w", job.Args.OrderID, err))
	case err != nil:
		w.Metrics.Job(job.Kind, "error")
		return fmt.Errorf("release reservation of order %d: %w", job.Args.OrderID, err)
	case released:
		w.Metrics.Job(job.Kind, "ok")
	default:
		w.Metrics.Job(job.Kind, "noop")
	}
	return nil
}

// Timeout bounds one release.
func (w *ReleaseReservationWorker) Timeout(*river.Job[ReleaseReservationArgs]) time.Duration {
	return time.Minute
}

func (w *ReleaseReservationWorker) now() time.Time { return clockNow(w.Clock) }
