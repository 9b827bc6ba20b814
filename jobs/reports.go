package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/metrics"
)

// ReportScheduleArgs makes the scheduled reports that are due: owners' daily, weekly and monthly
// reports at 07:00 in their zone, and resellers' weekly summaries. It is a periodic job, run each
// minute on River's leader; a report is recorded once per recipient, kind and period in the
// database, so two runs at once, on two instances, still send each report once.
type ReportScheduleArgs struct{}

// Kind names the job for River.
func (ReportScheduleArgs) Kind() string { return "report_schedule" }

// InsertOpts keeps one schedule job a minute; a failed run is not retried, the next minute's
// run catches up.
func (ReportScheduleArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// ReportSchedule is the periodic job that enqueues ReportScheduleArgs every minute, and once at
// start.
func ReportSchedule() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return ReportScheduleArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// ReportScheduler makes the scheduled reports due at now that were not made yet, each with the
// job that sends it, and returns how many it made.
type ReportScheduler interface {
	SendDue(ctx context.Context, now time.Time) (int, error)
}

// ReportScheduleWorker works ReportScheduleArgs.
type ReportScheduleWorker struct {
	river.WorkerDefaults[ReportScheduleArgs]
	Reports ReportScheduler
	Clock   lapak.Clock // the time reports fall due by; the system clock when nil
	Metrics *metrics.Metrics
}

// Work makes the reports due now.
func (w *ReportScheduleWorker) Work(ctx context.Context, job *river.Job[ReportScheduleArgs]) error {
	n, err := w.Reports.SendDue(ctx, clockNow(w.Clock))
	return counted(w.Metrics, job.Kind, "scheduled reports", n, err)
}

// Timeout bounds one run: a month's report of a big store takes a second or two.
func (w *ReportScheduleWorker) Timeout(*river.Job[ReportScheduleArgs]) time.Duration {
	return 5 * time.Minute
}

// SendReportArgs sends one recorded report: its text, then its chart, then its spreadsheet. It is
// inserted in the transaction that records the report, so a report is sent once it is made; its
// files stay in the database, not in the job.
type SendReportArgs struct {
	RunID int64 `json:"run_id"`
}

// Kind names the job for River.
func (SendReportArgs) Kind() string { return "send_report" }

// InsertOpts puts reports on the notification queue with a few retries.
func (SendReportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: 10}
}

// ReportOutbox holds recorded reports until they are delivered.
type ReportOutbox interface {
	// ReportMessages returns a report's messages in order, where to send them, and how many were
	// delivered already; an unknown report gives lapak.ErrNotFound.
	ReportMessages(ctx context.Context, runID int64) (bot.Address, []bot.Reply, int, error)
	// ReportDelivered records that the first n messages were delivered, and whether that is all.
	ReportDelivered(ctx context.Context, runID int64, n int, all bool) error
}

// SendReportWorker works SendReportArgs.
type SendReportWorker struct {
	river.WorkerDefaults[SendReportArgs]
	Reports ReportOutbox
	Senders map[lapak.Channel]bot.Sender
	Metrics *metrics.Metrics
}

// Work sends the messages not delivered yet, recording each as it goes, so a retry after a
// failure sends only what is missing. A 429 snoozes the job for as long as the channel asked.
func (w *SendReportWorker) Work(ctx context.Context, job *river.Job[SendReportArgs]) error {
	to, parts, sent, err := w.Reports.ReportMessages(ctx, job.Args.RunID)
	switch {
	case errors.Is(err, lapak.ErrNotFound):
		w.Metrics.Job(job.Kind, "cancelled")
		return river.JobCancel(fmt.Errorf("send report %d: %w", job.Args.RunID, err))
	case err != nil:
		w.Metrics.Job(job.Kind, "error")
		return fmt.Errorf("send report %d: %w", job.Args.RunID, err)
	}
	s, ok := w.Senders[to.Channel]
	if !ok {
		w.Metrics.Job(job.Kind, "cancelled")
		return river.JobCancel(fmt.Errorf("send report %d: no sender for channel %q", job.Args.RunID, to.Channel))
	}
	for i := sent; i < len(parts); i++ {
		if err := w.sendPart(ctx, s, to, parts[i], job); err != nil {
			return err
		}
		if err := w.Reports.ReportDelivered(ctx, job.Args.RunID, i+1, i+1 == len(parts)); err != nil {
			w.Metrics.Job(job.Kind, "error")
			return fmt.Errorf("send report %d: %w", job.Args.RunID, err)
		}
	}
	w.Metrics.Job(job.Kind, "ok")
	return nil
}

func (w *SendReportWorker) sendPart(ctx context.Context, s bot.Sender, to bot.Address, r bot.Reply, job *river.Job[SendReportArgs]) error {
	err := s.Send(ctx, to, r)
	var ra *bot.RetryAfterError
	switch {
	case errors.As(err, &ra):
		w.Metrics.Job(job.Kind, "snoozed")
		return river.JobSnooze(ra.After + time.Second)
	case err != nil:
		w.Metrics.Job(job.Kind, "error")
		return fmt.Errorf("send report %d to %s: %w", job.Args.RunID, to.Masked(), err)
	}
	return nil
}

// Timeout bounds one delivery of up to three messages with files.
func (w *SendReportWorker) Timeout(*river.Job[SendReportArgs]) time.Duration { return 2 * time.Minute }

// ReportRollupsArgs makes the rollups of the days that are over: each day's sales of the whole
// store, in each zone, which a long period's report adds up instead of reading every order again.
// It runs every RollupsEvery on River's leader and once at start; a day is made once, whichever
// instance gets to it first.
type ReportRollupsArgs struct{}

// Kind names the job for River.
func (ReportRollupsArgs) Kind() string { return "report_rollups" }

// InsertOpts keeps one run at a time; a failed run is not retried, the next one catches up.
func (ReportRollupsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: RollupsEvery}}
}

// RollupsEvery is how often the rollups job runs: a day's rollups are due six hours after it
// ends (storage.RollupGrace), so the morning's reports find yesterday rolled up.
const RollupsEvery = 15 * time.Minute

// rollupDaysPerRun bounds one run: a year of days in the three zones, so that a store that has
// just upgraded is caught up by its first run.
const rollupDaysPerRun = 1200

// ReportRollups is the periodic job that enqueues ReportRollupsArgs.
func ReportRollups() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(RollupsEvery),
		func() (river.JobArgs, *river.InsertOpts) { return ReportRollupsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// Rollups makes the missing rollups of the days over at now, at most limit of them.
type Rollups interface {
	MakeRollups(ctx context.Context, now time.Time, limit int) (int, error)
}

// ReportRollupsWorker works ReportRollupsArgs.
type ReportRollupsWorker struct {
	river.WorkerDefaults[ReportRollupsArgs]
	Rollups Rollups
	Clock   lapak.Clock // the time days are over by; the system clock when nil
	Metrics *metrics.Metrics
}

// Work makes the rollups that are due.
func (w *ReportRollupsWorker) Work(ctx context.Context, job *river.Job[ReportRollupsArgs]) error {
	n, err := w.Rollups.MakeRollups(ctx, clockNow(w.Clock), rollupDaysPerRun)
	return counted(w.Metrics, job.Kind, "report rollups", n, err)
}

// Timeout bounds one run, a year of days of a big store included.
func (w *ReportRollupsWorker) Timeout(*river.Job[ReportRollupsArgs]) time.Duration {
	return 10 * time.Minute
}
