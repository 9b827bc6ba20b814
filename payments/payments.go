// Package payments turns orders into money: it asks Xendit for a payment link when an order is
// placed, verifies and applies Xendit's callbacks, reconciles invoices whose callback was lost,
// and moves the order through fulfilment, refunds and the release of the reseller's earnings.
// Every change of money is one storage call that writes the order, the ledger journal and the
// jobs that tell people about it in one transaction; this package decides what to write and what
// to say, and storage writes it.
package payments

import (
	"log/slog"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments/xendit"
)

// Config configures a Service. Every field but Xendit, Store and CallbackToken has a default.
type Config struct {
	// Xendit is the Xendit client. Required.
	Xendit *xendit.Client
	// Store keeps orders, invoices and the ledger.
	Store Store
	// Payouts keeps bank accounts, the payout schedule and payouts. Default none: payout methods
	// fail, and flows should be given no Payouts.
	Payouts PayoutStore
	// CallbackToken is the verification token Xendit sends with every callback. Required: without
	// it every callback is refused.
	CallbackToken string
	// Methods are the payment methods invoices offer (Xendit's codes, such as BCA, QRIS, OVO,
	// CREDIT_CARD). Empty offers every method the Xendit account has.
	Methods []string
	// StoreName is the store's name on the checkout page and in messages. Default "Lapak".
	StoreName string
	// Location is the time zone times are shown in. Default Asia/Jakarta (WIB).
	Location *time.Location
	// Hold is how long a completed order's commission stays pending. Default 7 days.
	Hold time.Duration
	// AutoComplete is how long after shipping an order completes by itself. Default 7 days.
	AutoComplete time.Duration
	// ReminderLead is how long before an unpaid order expires its customer is reminded, when the
	// payment link lives at least twice as long; a shorter-lived link is reminded halfway, and
	// one of under 20 minutes not at all. Default 3 hours.
	ReminderLead time.Duration
	// ReconcileAfter is how long an invoice may go without news before reconciliation asks
	// Xendit about it, and then again each time. Default 5 minutes.
	ReconcileAfter time.Duration
	// ReconcileBatch is how many invoices one reconciliation run asks Xendit about, which keeps
	// it under Xendit's rate limit (60 a minute per endpoint in test mode). Default 20.
	ReconcileBatch int
	// Clock tells the time. Default the wall clock.
	Clock lapak.Clock
	// Logger logs what the service handles itself. Default slog.Default().
	Logger *slog.Logger
}

// Store is what the service needs from storage: the invoice side (invoices.go) and the
// fulfilment side (fulfilment.go).
type Store interface {
	InvoiceStore
	FulfilmentStore
}

// Service is Lapak's payments. It is safe for concurrent use.
type Service struct {
	cfg Config
}

// New returns a Service for cfg with defaults filled in. It does no I/O.
func New(cfg Config) *Service {
	if cfg.StoreName == "" {
		cfg.StoreName = "Lapak"
	}
	if cfg.Location == nil {
		if loc, err := time.LoadLocation("Asia/Jakarta"); err == nil {
			cfg.Location = loc
		} else {
			cfg.Location = time.FixedZone("WIB", 7*60*60)
		}
	}
	if cfg.Hold <= 0 {
		cfg.Hold = 7 * 24 * time.Hour
	}
	if cfg.AutoComplete <= 0 {
		cfg.AutoComplete = 7 * 24 * time.Hour
	}
	if cfg.ReminderLead <= 0 {
		cfg.ReminderLead = 3 * time.Hour
	}
	if cfg.ReconcileAfter <= 0 {
		cfg.ReconcileAfter = 5 * time.Minute
	}
	if cfg.ReconcileBatch <= 0 {
		cfg.ReconcileBatch = 20
	}
	if cfg.Clock == nil {
		cfg.Clock = lapak.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{cfg: cfg}
}

func (s *Service) now() time.Time { return s.cfg.Clock.Now() }
