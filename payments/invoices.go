package payments

import (
	"context"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// InvoiceStatus is where an order's invoice stands in Lapak.
type InvoiceStatus string

// Invoice states. An invoice is creating from the moment its order is placed until Xendit gives
// it an ID; then pending until it is paid or expires.
const (
	InvoiceCreating InvoiceStatus = "creating"
	InvoicePending  InvoiceStatus = "pending"
	InvoicePaid     InvoiceStatus = "paid"
	InvoiceExpired  InvoiceStatus = "expired"
)

// Invoice is an order's Xendit invoice as Lapak keeps it, with the order (its items included) and
// the customer who placed it. Status is empty for an order that has no invoice, one placed while
// payments were off.
type Invoice struct {
	OrderID   int64
	XenditID  string // empty while creating
	URL       string // the hosted checkout page
	Amount    lapak.Money
	Status    InvoiceStatus
	Attempts  int // creation attempts so far
	ExpiresAt time.Time
	Reminded  bool
	Order     lapak.Order
	Customer  lapak.User
}

// InvoiceQuery names one order's invoice: by the order, by Xendit's invoice ID, or by the order's
// reference (which is the invoice's external_id). Set exactly one.
type InvoiceQuery struct {
	OrderID  int64
	XenditID string
	Ref      string
}

// Created is an invoice Xendit made for an order.
type Created struct {
	XenditID  string
	URL       string
	ExpiresAt time.Time
	RemindAt  time.Time // when to remind the customer if still unpaid; zero for no reminder
}

// Closing closes an unpaid order and gives its stock back.
type Closing struct {
	OrderID  int64
	Status   lapak.OrderStatus // lapak.OrderExpired or lapak.OrderCancelled
	XenditID string            // the order's invoice, expired at Xendit and now marked so; empty for none
	Reason   string            // why it was cancelled, for the record
}

// Payment is what Xendit says was paid for an order.
type Payment struct {
	OrderID    int64
	XenditID   string
	Amount     lapak.Money // the invoice's amount
	PaidAmount lapak.Money // what the customer paid, fees they bore included; 0 when not told
	PaidAt     time.Time
	Method     string // BANK_TRANSFER, QR_CODE, EWALLET, CREDIT_CARD…
	Channel    string // BCA, QRIS, OVO…
}

// SettleOutcome says what recording a payment did.
type SettleOutcome string

// Settle outcomes.
const (
	// Settled: the order was pending payment and is paid now.
	Settled SettleOutcome = "settled"
	// SettledLate: the order had expired or been cancelled; it is paid now and its stock taken
	// again, as far as there is stock.
	SettledLate SettleOutcome = "settled_late"
	// AlreadyPaid: the payment was recorded before; nothing changed.
	AlreadyPaid SettleOutcome = "already_paid"
)

// Settlement is what recording a payment did, and the people it concerns.
type Settlement struct {
	Event                     // the order as it stands, and who hears about it
	Payment Payment           // what Xendit said was paid
	Outcome SettleOutcome     // what was done
	Was     lapak.OrderStatus // the order's status before: pending, expired or cancelled
	Short   []string          // items a late payment could not take stock for again
}

// AlertKind is what owners are alerted about.
type AlertKind string

// Alert kinds, as payment_alerts holds them.
const (
	AlertUnknownInvoice AlertKind = "unknown_invoice"  // money Xendit reports for no order of ours
	AlertAmountMismatch AlertKind = "amount_mismatch"  // a payment that does not match its order
	AlertPaidAfterClose AlertKind = "paid_after_close" // a cancelled order was paid
	AlertStockShort     AlertKind = "stock_short"      // an expired order was paid after its stock went
)

// Alert is money that arrived where Lapak did not expect it. One is kept per kind and Xendit
// invoice, however often Xendit repeats itself.
type Alert struct {
	Kind     AlertKind
	OrderID  int64 // 0 when no order is concerned
	XenditID string
	Detail   string // what happened, for the record
}

// InvoiceStore keeps invoices and applies what Xendit says about them. Methods that change an
// order lock it first and enqueue, in the same transaction, the messages their notify callback
// returns; the callbacks do no I/O.
type InvoiceStore interface {
	// FindInvoice returns an order's invoice with the order and its customer. An order without an
	// invoice gives an Invoice with an empty Status; an unknown order or Xendit ID a KindNotFound
	// error that is also lapak.ErrNotFound.
	FindInvoice(ctx context.Context, q InvoiceQuery) (Invoice, error)
	// CountInvoiceAttempt counts and commits one more attempt at creating the order's invoice
	// and returns how many there have been, or 0 when the invoice is no longer being created or
	// its order is no longer pending.
	CountInvoiceAttempt(ctx context.Context, orderID int64) (int, error)
	// SaveInvoice records the invoice Xendit made for an order, unless it has one already (the
	// same one again changes nothing). When the order is pending and notify is not nil, notify's
	// messages are enqueued and the reminder scheduled at c.RemindAt. It returns the invoice as
	// saved, with the order as it stands.
	SaveInvoice(ctx context.Context, orderID int64, c Created, notify Notice) (Invoice, error)
	// MarkCancelling records that a pending order is being cancelled for reason while its invoice
	// is stopped at Xendit, so that the expiry Xendit reports meanwhile cancels it instead.
	MarkCancelling(ctx context.Context, orderID int64, reason string) error
	// CloseUnpaidOrder closes an order pending payment, gives its stock back and enqueues notify's
	// messages (nil: none), and reports whether it did; an order no longer pending is left alone.
	// An order being cancelled (MarkCancelling) is cancelled, silently, whatever c says. Either way
	// the invoice named by c.XenditID is marked expired unless it is paid.
	CloseUnpaidOrder(ctx context.Context, c Closing, notify Notice) (bool, error)
	// SettleInvoice records that an order was paid, once however often it is told: the order
	// paid, its invoice paid, its stock kept (or taken again after an expiry), the payment journal
	// posted, owners' alerts recorded, notify's messages enqueued.
	SettleInvoice(ctx context.Context, p Payment, notify func(Settlement) []bot.Outbound) (Settlement, error)
	// RemindInvoice marks the order's invoice reminded and enqueues notify's messages, once, and
	// only while the order and its invoice are pending; it reports whether it did.
	RemindInvoice(ctx context.Context, orderID int64, notify Notice) (bool, error)
	// RecordInvoiceAlert records an alert, once per kind and Xendit ID, and enqueues notify's
	// messages for it (to the order's people, or only the owners when no order is concerned)
	// the first time; it reports whether it was new.
	RecordInvoiceAlert(ctx context.Context, a Alert, notify Notice) (bool, error)
	// DueInvoices claims up to limit open invoices last looked at before before, marks them looked
	// at now, enqueues their creation again for those still being made for a pending order, and
	// returns them.
	DueInvoices(ctx context.Context, before time.Time, limit int) ([]Invoice, error)
	// RecordInvoiceCallback keeps an invoice callback's raw body for audit and returns its ID.
	RecordInvoiceCallback(ctx context.Context, xenditID, status string, body []byte) (int64, error)
	// SetInvoiceCallbackOutcome records what Lapak did with a callback.
	SetInvoiceCallbackOutcome(ctx context.Context, id int64, outcome string) error
}
