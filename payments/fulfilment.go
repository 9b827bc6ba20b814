package payments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/i18n"
)

// The service is the flows' payments, once the invoice side (invoices.go) is there too.
var _ flows.Payments = (*Service)(nil)

// FulfilmentStore ships, completes and refunds orders and releases earnings.
type FulfilmentStore interface {
	FulfilmentReader
	Fulfiller
	EarningsStore
}

// FulfilmentReader reads orders as owners and resellers look at them.
type FulfilmentReader interface {
	// OrderByID returns an order with its items, or a KindNotFound error that is also
	// lapak.ErrNotFound.
	OrderByID(ctx context.Context, orderID int64) (lapak.Order, error)
	// OrdersInStatus returns orders in a status with their items, oldest first by when they got
	// there, at most limit.
	OrdersInStatus(ctx context.Context, status lapak.OrderStatus, limit int) ([]lapak.Order, error)
	// ResellerOrder returns the reseller's own order with a reference, or a KindNotFound error
	// with the key order.not_found, also for another reseller's order.
	ResellerOrder(ctx context.Context, resellerID int64, ref string) (lapak.Order, error)
}

// Fulfiller moves a paid order on. Each method locks the order, checks its status, writes the
// change with its ledger journal and jobs, and enqueues notify's messages, in one transaction. A
// change made already (a double tap) changes nothing and gives a KindConflict error saying so.
type Fulfiller interface {
	// ShipOrder marks a paid order shipped at at and schedules its completion at completeAt.
	ShipOrder(ctx context.Context, orderID int64, courier, resi string, at, completeAt time.Time, notify Notice) (lapak.Order, error)
	// CompleteOrder marks a shipped order completed at at and, when it earned its reseller
	// something, schedules the release of the earnings at releaseAt.
	CompleteOrder(ctx context.Context, orderID int64, at, releaseAt time.Time, notify Notice) (lapak.Order, error)
	// RefundOrder cancels a paid, shipped or completed order for reason, records the refund
	// transferred with reference ref and reverses what the payment credited.
	RefundOrder(ctx context.Context, orderID int64, reason, ref string, at time.Time, notify Notice) (lapak.Order, error)
}

// EarningsStore keeps resellers' earnings.
type EarningsStore interface {
	// ReleaseEarnings releases the reseller's earnings on a completed order whose release time has
	// come at now, once, and reports whether it did.
	ReleaseEarnings(ctx context.Context, orderID int64, now time.Time, notify Notice) (bool, error)
	ResellerBalance(ctx context.Context, resellerID int64) (lapak.Balance, error)
}

// Event is a change storage made to an order, with the people it concerns read in the same
// transaction, for the messages that tell them.
type Event struct {
	Order    lapak.Order // as it is after the change
	Customer lapak.User
	Reseller lapak.User // the reseller's user; ID 0 when the owner sold the order
	Owners   []lapak.User
	// Released says, for a refund, that the earnings had been released already and were taken
	// back from the reseller's available earnings instead of their pending ones.
	Released bool
	// Reason is why a refunded order was cancelled, as the owner wrote it.
	Reason string
	// Pending and Available are the reseller's earnings after the change.
	Pending, Available lapak.Money
}

// Notice builds the messages that tell people about an event. Storage calls it inside the
// transaction that makes the change and enqueues what it returns; it does no I/O.
type Notice func(Event) []bot.Outbound

// Order returns an order with its items, or a KindNotFound error.
func (s *Service) Order(ctx context.Context, orderID int64) (lapak.Order, error) {
	return s.cfg.Store.OrderByID(ctx, orderID)
}

// Orders returns orders in a status, oldest first: paid ones to ship, shipped ones to complete.
// limit is 10 when not positive and at most 100.
func (s *Service) Orders(ctx context.Context, status lapak.OrderStatus, limit int) ([]lapak.Order, error) {
	if limit <= 0 {
		limit = 10
	}
	return s.cfg.Store.OrdersInStatus(ctx, status, min(limit, 100))
}

// Ship marks a paid order shipped with its courier and tracking number (resi), tells the customer
// and the reseller, and schedules its completion after the AutoComplete period. The courier and
// resi are tidied by flows.ParseCourier and flows.ParseResi, which say what is wrong with them.
func (s *Service) Ship(ctx context.Context, orderID int64, courier, resi string) (lapak.Order, error) {
	courier, err := flows.ParseCourier(courier)
	if err != nil {
		return lapak.Order{}, err
	}
	if resi, err = flows.ParseResi(resi); err != nil {
		return lapak.Order{}, err
	}
	at := s.now()
	return s.cfg.Store.ShipOrder(ctx, orderID, courier, resi, at, at.Add(s.cfg.AutoComplete), s.shippedNotice)
}

// Complete marks a shipped order completed for the owner; the reseller's earnings are released
// after the holding period.
func (s *Service) Complete(ctx context.Context, orderID int64) (lapak.Order, error) {
	at := s.now()
	return s.cfg.Store.CompleteOrder(ctx, orderID, at, at.Add(s.cfg.Hold), s.completedNotice)
}

// AutoComplete completes a shipped order at now, when its owner did not, and reports whether it
// did. An order completed, cancelled or not shipped is left alone.
func (s *Service) AutoComplete(ctx context.Context, orderID int64, now time.Time) (bool, error) {
	_, err := s.cfg.Store.CompleteOrder(ctx, orderID, now, now.Add(s.cfg.Hold), s.completedNotice)
	if lapak.KindOf(err) == lapak.KindConflict {
		return false, nil
	}
	return err == nil, err
}

// ReleaseEarnings moves the reseller's earnings on a completed order from pending to available
// once its holding period is over at now, and tells the reseller.
func (s *Service) ReleaseEarnings(ctx context.Context, orderID int64, now time.Time) (bool, error) {
	return s.cfg.Store.ReleaseEarnings(ctx, orderID, now, s.releasedNotice)
}

// Refund cancels a paid, shipped or completed order for reason and records the refund the owner
// transferred to the customer with reference ref. The payment is reversed exactly: the
// reseller's earnings come out of pending, or out of available once released (which may go
// negative); stock goes back when the order had not shipped. The reseller and the customer are
// told.
func (s *Service) Refund(ctx context.Context, orderID int64, reason, ref string) (lapak.Order, error) {
	reason, err := flows.ParseRefundReason(reason)
	if err != nil {
		return lapak.Order{}, err
	}
	if ref, err = flows.ParseRefundRef(ref); err != nil {
		return lapak.Order{}, err
	}
	return s.cfg.Store.RefundOrder(ctx, orderID, reason, ref, s.now(), s.refundedNotice)
}

// Balance is where a reseller's commission stands.
func (s *Service) Balance(ctx context.Context, resellerID int64) (lapak.Balance, error) {
	return s.cfg.Store.ResellerBalance(ctx, resellerID)
}

// Why explains a reseller's commission on one of their own orders, by reference. A reference that
// cannot be one gives a KindInvalid error with the key earn.why_usage; another reseller's order,
// or none, a KindNotFound error with the key order.not_found.
func (s *Service) Why(ctx context.Context, resellerID int64, ref string) (lapak.Why, error) {
	ref, ok := flows.ParseOrderRef(ref)
	if !ok {
		return lapak.Why{}, lapak.Errorf(lapak.KindInvalid, "earn.why_usage")
	}
	o, err := s.cfg.Store.ResellerOrder(ctx, resellerID, ref)
	if err != nil {
		if errors.Is(err, lapak.ErrNotFound) || lapak.KindOf(err) == lapak.KindNotFound {
			return lapak.Why{}, err
		}
		return lapak.Why{}, fmt.Errorf("why %s for reseller %d: %w", ref, resellerID, err)
	}
	return lapak.Why{Order: o, ReleaseAt: o.ReleaseAt, Released: !o.ReleasedAt.IsZero(), Reversed: !o.RefundedAt.IsZero()}, nil
}

// shippedNotice tells the customer the courier and resi, and the reseller that it shipped.
func (s *Service) shippedNotice(ev Event) []bot.Outbound {
	o := ev.Order
	out := []bot.Outbound{flows.To(ev.Customer, "ful.shipped_customer", o.Ref, o.Courier, o.Resi)}
	if ev.Reseller.ID != 0 {
		out = append(out, flows.To(ev.Reseller, "ful.shipped_reseller", o.Ref, o.Name, o.Courier, o.Resi))
	}
	return out
}

// completedNotice thanks the customer and tells the reseller when their earnings are released.
func (s *Service) completedNotice(ev Event) []bot.Outbound {
	o := ev.Order
	out := []bot.Outbound{flows.To(ev.Customer, "ful.completed_customer", o.Ref)}
	if ev.Reseller.ID != 0 && !o.ReleaseAt.IsZero() {
		out = append(out, flows.To(ev.Reseller, "earn.completed", o.Ref, o.Earned(), s.clockText(o.ReleaseAt)))
	}
	return out
}

// releasedNotice tells the reseller their earnings on the order can be paid out.
func (s *Service) releasedNotice(ev Event) []bot.Outbound {
	if ev.Reseller.ID == 0 {
		return nil
	}
	msg := flows.To(ev.Reseller, "earn.released", ev.Order.Earned(), ev.Order.Ref, ev.Available)
	if ev.Available < 0 {
		msg.Reply.Text += "\n" + i18nFor(ev.Reseller, "earn.negative")
	}
	return []bot.Outbound{msg}
}

// refundedNotice tells the customer the refund went out with its reference, and the reseller
// exactly what came out of which balance and why.
func (s *Service) refundedNotice(ev Event) []bot.Outbound {
	o := ev.Order
	out := []bot.Outbound{flows.To(ev.Customer, "ful.refunded_customer", o.Ref, ev.Reason, o.Total, o.RefundRef)}
	if ev.Reseller.ID == 0 {
		return out
	}
	var msg bot.Outbound
	switch {
	case o.Earned() == 0:
		msg = flows.To(ev.Reseller, "earn.cancelled", o.Ref, ev.Reason)
	case ev.Released:
		msg = flows.To(ev.Reseller, "earn.reversed_available", o.Ref, ev.Reason, o.Earned(), ev.Pending, ev.Available)
	default:
		msg = flows.To(ev.Reseller, "earn.reversed_pending", o.Ref, ev.Reason, o.Earned(), ev.Pending, ev.Available)
	}
	if ev.Available < 0 {
		msg.Reply.Text += "\n" + i18nFor(ev.Reseller, "earn.negative")
	}
	return append(out, msg)
}

// i18nFor translates key into u's language.
func i18nFor(u lapak.User, key string, args ...any) string { return i18n.T(u.Lang, key, args...) }
