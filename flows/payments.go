package flows

import (
	"context"
	"time"

	"github.com/lapak-id/lapak"
)

// PaymentLink is where a customer pays an order.
type PaymentLink struct {
	URL       string
	Amount    lapak.Money
	ExpiresAt time.Time
}

// Payments takes payments for orders and moves paid orders through fulfilment. Without it
// customers are told the seller will send payment details.
type Payments interface {
	// PaymentLink returns the order's payment link, or a KindNotFound error while it is being made.
	PaymentLink(ctx context.Context, orderID int64) (PaymentLink, error)
	// CheckPayment asks Xendit about the order's invoice now, applies what it says as a callback
	// would, and returns the order as it then stands.
	CheckPayment(ctx context.Context, orderID int64) (lapak.Order, error)
	// CancelUnpaid cancels an order still pending payment: its invoice is expired at Xendit first,
	// then its stock goes back. An order paid in the meantime is settled instead and a KindConflict
	// error says so.
	CancelUnpaid(ctx context.Context, orderID int64) (lapak.Order, error)

	// Order returns an order with its items, or a KindNotFound error; flows check who may see it.
	Order(ctx context.Context, orderID int64) (lapak.Order, error)
	// Orders returns orders in a status, oldest first: paid ones to ship, shipped ones to complete.
	Orders(ctx context.Context, status lapak.OrderStatus, limit int) ([]lapak.Order, error)
	// Ship marks a paid order shipped with its courier and tracking number (resi) and tells the
	// customer.
	Ship(ctx context.Context, orderID int64, courier, resi string) (lapak.Order, error)
	// Complete marks a shipped order completed; the reseller's earnings are released after the
	// holding period.
	Complete(ctx context.Context, orderID int64) (lapak.Order, error)
	// Refund cancels a paid order for reason and records the refund the owner transferred with
	// reference ref, reversing what was credited; the reseller and the customer are told.
	Refund(ctx context.Context, orderID int64, reason, ref string) (lapak.Order, error)
	// Balance is where a reseller's commission stands.
	Balance(ctx context.Context, resellerID int64) (lapak.Balance, error)
	// Why explains a reseller's commission on one of their orders, by reference.
	Why(ctx context.Context, resellerID int64, ref string) (lapak.Why, error)
}

// registerPayments adds the commands and actions of paying, fulfilment and balances: customers'
// taps on payment messages (pay:…), owners' shipping, completing and refunding (ful:…, /pesanan),
// and resellers' balances (/saldo, /why).
func (e *Engine) registerPayments() {
	e.addFlow(shipFlow)
	e.addFlow(refundFlow)
	e.actions["pay"] = e.payAction
	e.actions["ful"] = e.fulfilAction
	e.commands["pesanan"] = e.orderCommand
	e.commands["order"] = e.orderCommand
	e.commands["saldo"] = e.balance
	e.commands["balance"] = e.balance
	e.commands["why"] = e.why
	e.commands["rincian"] = e.why
}
