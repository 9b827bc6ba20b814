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

// PayoutRunArgs runs the payout schedule: when the owners' scheduled time has come, every
// reseller due gets a payout. It is a periodic job, so River runs it on its leader only; the run
// itself makes one batch per scheduled time even when two run at once.
type PayoutRunArgs struct{}

// Kind names the job for River.
func (PayoutRunArgs) Kind() string { return "payout_run" }

// InsertOpts keeps one run job waiting at a time.
func (PayoutRunArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// PayoutRunner runs the payout schedule and reports how many payouts it made.
type PayoutRunner interface {
	RunPayouts(ctx context.Context) (int, error)
}

// PayoutRunWorker works PayoutRunArgs.
type PayoutRunWorker struct {
	river.WorkerDefaults[PayoutRunArgs]
	Payouts PayoutRunner
	Metrics *metrics.Metrics
}

// Work runs the schedule once.
func (w *PayoutRunWorker) Work(ctx context.Context, job *river.Job[PayoutRunArgs]) error {
	n, err := w.Payouts.RunPayouts(ctx)
	return payoutOutcome(w.Metrics, job.Kind, n > 0, "payout run", err)
}

// Timeout bounds one run.
func (w *PayoutRunWorker) Timeout(*river.Job[PayoutRunArgs]) time.Duration { return 5 * time.Minute }

// SendPayoutArgs sends one approved payout to Xendit. It is inserted in the transaction that
// approves the payout. A retry sends the same Idempotency-key and body, so Xendit pays once.
type SendPayoutArgs struct {
	PayoutID int64 `json:"payout_id"`
}

// Kind names the job for River.
func (SendPayoutArgs) Kind() string { return "send_payout" }

// InsertOpts puts sends on the default queue with many retries: Xendit may be down for a while.
func (SendPayoutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 25}
}

// PayoutSender sends an approved payout to Xendit.
type PayoutSender interface {
	SendPayout(ctx context.Context, payoutID int64) error
}

// SendPayoutWorker works SendPayoutArgs.
type SendPayoutWorker struct {
	river.WorkerDefaults[SendPayoutArgs]
	Payouts PayoutSender
	Metrics *metrics.Metrics
}

// Work sends the payout. A payout that does not exist, or that Xendit holds under its key with
// another body, cancels the job: retrying cannot help, and reconciliation looks at it again.
func (w *SendPayoutWorker) Work(ctx context.Context, job *river.Job[SendPayoutArgs]) error {
	err := w.Payouts.SendPayout(ctx, job.Args.PayoutID)
	return payoutOutcome(w.Metrics, job.Kind, true, fmt.Sprintf("send payout %d", job.Args.PayoutID), err)
}

// Timeout bounds one send, with the client's own retries.
func (w *SendPayoutWorker) Timeout(*river.Job[SendPayoutArgs]) time.Duration { return 5 * time.Minute }

// ReconcilePayoutsArgs asks Xendit about payouts whose callback has not come: stuck being sent,
// ACCEPTED or REQUESTED. It is a periodic job.
type ReconcilePayoutsArgs struct{}

// Kind names the job for River.
func (ReconcilePayoutsArgs) Kind() string { return "reconcile_payouts" }

// InsertOpts keeps one reconciliation waiting at a time.
func (ReconcilePayoutsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// PayoutReconciler asks Xendit about stuck payouts and applies what it says, reporting how many
// it looked at.
type PayoutReconciler interface {
	ReconcilePayouts(ctx context.Context) (int, error)
}

// ReconcilePayoutsWorker works ReconcilePayoutsArgs.
type ReconcilePayoutsWorker struct {
	river.WorkerDefaults[ReconcilePayoutsArgs]
	Payouts PayoutReconciler
	Metrics *metrics.Metrics
}

// Work reconciles once.
func (w *ReconcilePayoutsWorker) Work(ctx context.Context, job *river.Job[ReconcilePayoutsArgs]) error {
	n, err := w.Payouts.ReconcilePayouts(ctx)
	return payoutOutcome(w.Metrics, job.Kind, n > 0, "reconcile payouts", err)
}

// Timeout bounds one reconciliation.
func (w *ReconcilePayoutsWorker) Timeout(*river.Job[ReconcilePayoutsArgs]) time.Duration {
	return 10 * time.Minute
}

// PayoutPeriodicJobs are the payout run, every runEvery, and the reconciliation, every
// reconcileEvery, both also at start. Defaults: 5 and 15 minutes.
func PayoutPeriodicJobs(runEvery, reconcileEvery time.Duration) []*river.PeriodicJob {
	if runEvery <= 0 {
		runEvery = 5 * time.Minute
	}
	if reconcileEvery <= 0 {
		reconcileEvery = 15 * time.Minute
	}
	opts := &river.PeriodicJobOpts{RunOnStart: true}
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(runEvery),
			func() (river.JobArgs, *river.InsertOpts) { return PayoutRunArgs{}, nil }, opts),
		river.NewPeriodicJob(river.PeriodicInterval(reconcileEvery),
			func() (river.JobArgs, *river.InsertOpts) { return ReconcilePayoutsArgs{}, nil }, opts),
	}
}

// payoutOutcome counts a payout job's outcome and turns err into what River should do: a
// domain refusal (not found, conflict, invalid, forbidden) cancels the job, anything else is
// retried.
func payoutOutcome(m *metrics.Metrics, kind string, did bool, what string, err error) error {
	var domain *lapak.Error
	switch {
	case errors.Is(err, lapak.ErrNotFound) || errors.As(err, &domain) && domain.Kind != lapak.KindUnavailable && domain.Kind != lapak.KindInternal:
		m.Job(kind, "cancelled")
		return river.JobCancel(fmt.Errorf("%s: %w", what, err))
	case err != nil:
		m.Job(kind, "error")
		return fmt.Errorf("%s: %w", what, err)
	case did:
		m.Job(kind, "ok")
	default:
		m.Job(kind, "noop")
	}
	return nil
}
