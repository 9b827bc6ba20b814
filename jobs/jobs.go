// Package jobs owns Lapak's background jobs on River: their arguments, which are inserted in the
// same transaction as the change that causes them (the outbox), and their workers.
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

// NotifyArgs sends one message to a chat. Messages that must not be lost (an owner's approval
// card, a reseller's approval) go this way instead of being sent while handling an update.
type NotifyArgs struct {
	Message bot.Outbound `json:"message"`
}

// Kind names the job for River.
func (NotifyArgs) Kind() string { return "notify" }

// InsertOpts puts notifications on their own queue with a few retries.
func (NotifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: 10}
}

// Queues Lapak's workers listen on.
const (
	QueueNotify = "notify"
)

// NotifyWorker sends NotifyArgs through the channel's sender.
type NotifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	Senders map[lapak.Channel]bot.Sender
	Metrics *metrics.Metrics
}

// Work sends the message. A 429 snoozes the job for as long as the channel asked.
func (w *NotifyWorker) Work(ctx context.Context, job *river.Job[NotifyArgs]) error {
	m := job.Args.Message
	s, ok := w.Senders[m.To.Channel]
	if !ok {
		w.Metrics.Job(job.Kind, "cancelled")
		return river.JobCancel(fmt.Errorf("no sender for channel %q", m.To.Channel))
	}
	err := s.Send(ctx, m.To, m.Reply)
	var ra *bot.RetryAfterError
	switch {
	case errors.As(err, &ra):
		w.Metrics.Job(job.Kind, "snoozed")
		return river.JobSnooze(ra.After + time.Second)
	case err != nil:
		w.Metrics.Job(job.Kind, "error")
		return fmt.Errorf("notify %s: %w", m.To, err)
	}
	w.Metrics.Job(job.Kind, "ok")
	return nil
}

// Timeout bounds one send.
func (w *NotifyWorker) Timeout(*river.Job[NotifyArgs]) time.Duration { return time.Minute }

// counted records a periodic run in m by its outcome (an error, some work done, or nothing to do)
// and returns err, saying what the run does.
func counted(m *metrics.Metrics, kind, what string, n int, err error) error {
	switch {
	case err != nil:
		m.Job(kind, "error")
		return fmt.Errorf("%s: %w", what, err)
	case n > 0:
		m.Job(kind, "ok")
	default:
		m.Job(kind, "noop")
	}
	return nil
}
