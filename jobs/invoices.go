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

// CreateInvoiceArgs makes a placed order's payment link at Xendit. It is inserted with the order,
// once per order.
type CreateInvoiceArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind names the job for River.
func (CreateInvoiceArgs) Kind() string { return "create_invoice" }

// InsertOpts makes the job unique per order and retries it for about four hours: River's backoff
// (attempt⁴ seconds) over 10 attempts. Each attempt looks for what an earlier one made first. A
// job that gives up is inserted again by reconciliation while the order is still pending.
func (CreateInvoiceArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// InvoiceCreator makes an order's invoice, once; an error is retried.
type InvoiceCreator interface {
	CreateInvoice(ctx context.Context, orderID int64) error
}

// CreateInvoiceWorker works CreateInvoiceArgs.
type CreateInvoiceWorker struct {
	river.WorkerDefaults[CreateInvoiceArgs]
	Invoices InvoiceCreator
	Metrics  *metrics.Metrics
}

// Work makes the invoice. An order that does not exist cancels the job.
func (w *CreateInvoiceWorker) Work(ctx context.Context, job *river.Job[CreateInvoiceArgs]) error {
	err := w.Invoices.CreateInvoice(ctx, job.Args.OrderID)
	return orderJobDone(w.Metrics, job.Kind, fmt.Sprintf("create invoice of order %d", job.Args.OrderID), err)
}

// Timeout bounds one attempt: Xendit answers within 30 s or the attempt fails.
func (w *CreateInvoiceWorker) Timeout(*river.Job[CreateInvoiceArgs]) time.Duration {
	return time.Minute
}

// InvoiceReminderArgs reminds a customer of an unpaid order with its payment link. It is
// inserted with the link, scheduled before the order expires.
type InvoiceReminderArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind names the job for River.
func (InvoiceReminderArgs) Kind() string { return "invoice_reminder" }

// InsertOpts makes the reminder unique per order, with a few retries.
func (InvoiceReminderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Reminder reminds the customer of an order still unpaid, once.
type Reminder interface {
	RemindUnpaid(ctx context.Context, orderID int64) error
}

// InvoiceReminderWorker works InvoiceReminderArgs.
type InvoiceReminderWorker struct {
	river.WorkerDefaults[InvoiceReminderArgs]
	Invoices Reminder
	Metrics  *metrics.Metrics
}

// Work sends the reminder if the order is still unpaid. An order that does not exist cancels
// the job.
func (w *InvoiceReminderWorker) Work(ctx context.Context, job *river.Job[InvoiceReminderArgs]) error {
	err := w.Invoices.RemindUnpaid(ctx, job.Args.OrderID)
	return orderJobDone(w.Metrics, job.Kind, fmt.Sprintf("remind of order %d", job.Args.OrderID), err)
}

// Timeout bounds one reminder.
func (w *InvoiceReminderWorker) Timeout(*river.Job[InvoiceReminderArgs]) time.Duration {
	return time.Minute
}

// ReconcileInvoicesArgs asks Xendit about invoices that have had no news for a while. River's
// leader inserts it periodically (ReconcileInvoicesJob), so one instance runs it at a time.
type ReconcileInvoicesArgs struct{}

// Kind names the job for River.
func (ReconcileInvoicesArgs) Kind() string { return "reconcile_invoices" }

// InsertOpts runs reconciliation once: a failed run is followed by the next one soon enough.
func (ReconcileInvoicesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: 1}
}

// Reconciler asks Xendit about invoices without news and applies what it says, reporting how
// many it asked about.
type Reconciler interface {
	Reconcile(ctx context.Context) (int, error)
}

// ReconcileInvoicesWorker works ReconcileInvoicesArgs.
type ReconcileInvoicesWorker struct {
	river.WorkerDefaults[ReconcileInvoicesArgs]
	Invoices Reconciler
	Metrics  *metrics.Metrics
}

// Work runs one reconciliation.
func (w *ReconcileInvoicesWorker) Work(ctx context.Context, job *river.Job[ReconcileInvoicesArgs]) error {
	n, err := w.Invoices.Reconcile(ctx)
	return counted(w.Metrics, job.Kind, "reconcile invoices", n, err)
}

// Timeout bounds one run: a batch of Xendit calls.
func (w *ReconcileInvoicesWorker) Timeout(*river.Job[ReconcileInvoicesArgs]) time.Duration {
	return 5 * time.Minute
}

// ReconcileInvoicesJob is the periodic job that inserts ReconcileInvoicesArgs every interval,
// and once when a leader starts.
func ReconcileInvoicesJob(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return ReconcileInvoicesArgs{}, nil },
		&river.PeriodicJobOpts{ID: "reconcile_invoices", RunOnStart: true})
}

// orderJobDone counts how a job about one order ended and returns what River should do: an order
// that does not exist cancels the job, other errors retry it.
func orderJobDone(m *metrics.Metrics, kind, what string, err error) error {
	switch {
	case errors.Is(err, lapak.ErrNotFound):
		m.Job(kind, "cancelled")
		return river.JobCancel(fmt.Errorf("%s: %w", what, err))
	case err != nil:
		m.Job(kind, "error")
		return fmt.Errorf("%s: %w", what, err)
	}
	m.Job(kind, "ok")
	return nil
}
