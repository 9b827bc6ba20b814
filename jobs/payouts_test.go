package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/jobs"
)

// payoutService answers every payout job with its fields and counts the calls.
type payoutService struct {
	made  int
	err   error
	calls int
	sent  []int64
}

func (p *payoutService) RunPayouts(context.Context) (int, error) { p.calls++; return p.made, p.err }
func (p *payoutService) ReconcilePayouts(context.Context) (int, error) {
	p.calls++
	return p.made, p.err
}
func (p *payoutService) SendPayout(_ context.Context, id int64) error {
	p.sent = append(p.sent, id)
	return p.err
}

func sendJob(id int64) *river.Job[jobs.SendPayoutArgs] {
	return &river.Job[jobs.SendPayoutArgs]{
		JobRow: &rivertype.JobRow{Kind: jobs.SendPayoutArgs{}.Kind()},
		Args:   jobs.SendPayoutArgs{PayoutID: id},
	}
}

func TestSendPayoutWorker(t *testing.T) {
	ctx := context.Background()
	t.Run("SendsThePayout", func(t *testing.T) {
		p := &payoutService{}
		if err := (&jobs.SendPayoutWorker{Payouts: p}).Work(ctx, sendJob(7)); err != nil || len(p.sent) != 1 || p.sent[0] != 7 {
			t.Errorf("got %v, sent %v", err, p.sent)
		}
	})
	t.Run("ATimeoutIsRetried", func(t *testing.T) {
		p := &payoutService{err: context.DeadlineExceeded}
		err := (&jobs.SendPayoutWorker{Payouts: p}).Work(ctx, sendJob(7))
		var cancel *rivertype.JobCancelError
		if err == nil || errors.As(err, &cancel) {
			t.Errorf("got %v, want an error River retries", err)
		}
	})
	t.Run("AnUnknownPayoutOrAKeyClashCancels", func(t *testing.T) {
		for _, cause := range []error{lapak.ErrNotFound, lapak.Errorf(lapak.KindConflict, "payout.duplicate_key")} {
			err := (&jobs.SendPayoutWorker{Payouts: &payoutService{err: cause}}).Work(ctx, sendJob(7))
			var cancel *rivertype.JobCancelError
			if !errors.As(err, &cancel) {
				t.Errorf("%v: got %v, want the job cancelled", cause, err)
			}
		}
	})
	t.Run("AnUnavailableServiceIsRetried", func(t *testing.T) {
		err := (&jobs.SendPayoutWorker{Payouts: &payoutService{err: lapak.Errorf(lapak.KindUnavailable, "error.unavailable")}}).Work(ctx, sendJob(7))
		var cancel *rivertype.JobCancelError
		if err == nil || errors.As(err, &cancel) {
			t.Errorf("got %v, want a retry", err)
		}
	})
}

func TestPeriodicPayoutWorkers(t *testing.T) {
	ctx := context.Background()
	p := &payoutService{made: 2}
	run := &river.Job[jobs.PayoutRunArgs]{JobRow: &rivertype.JobRow{Kind: "payout_run"}}
	if err := (&jobs.PayoutRunWorker{Payouts: p}).Work(ctx, run); err != nil || p.calls != 1 {
		t.Errorf("run: %v, %d calls", err, p.calls)
	}
	reconcile := &river.Job[jobs.ReconcilePayoutsArgs]{JobRow: &rivertype.JobRow{Kind: "reconcile_payouts"}}
	p.err = errors.New("connection reset")
	if err := (&jobs.ReconcilePayoutsWorker{Payouts: p}).Work(ctx, reconcile); err == nil {
		t.Error("a failed reconciliation was not retried")
	}
	periodic := jobs.PayoutPeriodicJobs(0, 0)
	if len(periodic) != 2 {
		t.Fatalf("%d periodic jobs", len(periodic))
	}
	if opts := (jobs.PayoutRunArgs{}).InsertOpts(); opts.UniqueOpts.ByPeriod != time.Minute {
		t.Errorf("payout runs are not unique per minute: %+v", opts)
	}
}
