package payments

import (
	"context"
	"fmt"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/payments/xendit"
)

// PaymentLink returns the order's payment link. While Xendit is being asked for it, or when the
// order has none, it gives a KindNotFound error (pay.link_pending, pay.no_link); for an order no
// longer pending payment, a KindConflict error saying it is paid, expired or cancelled.
func (s *Service) PaymentLink(ctx context.Context, orderID int64) (flows.PaymentLink, error) {
	inv, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{OrderID: orderID})
	if err != nil {
		return flows.PaymentLink{}, err
	}
	o := inv.Order
	if err := notPending(o); err != nil {
		return flows.PaymentLink{}, err
	}
	switch inv.Status {
	case InvoicePending:
		return flows.PaymentLink{URL: inv.URL, Amount: inv.Amount, ExpiresAt: earlier(inv.ExpiresAt, o.ExpiresAt)}, nil
	case InvoiceCreating:
		return flows.PaymentLink{}, lapak.Errorf(lapak.KindNotFound, "pay.link_pending", o.Ref)
	}
	return flows.PaymentLink{}, lapak.Errorf(lapak.KindNotFound, "pay.no_link", o.Ref)
}

// notPending says why an order that is not pending payment has nothing to pay.
func notPending(o lapak.Order) error {
	switch {
	case o.Status == lapak.OrderPending:
		return nil
	case !o.PaidAt.IsZero():
		return lapak.Errorf(lapak.KindConflict, "pay.already_paid", o.Ref)
	case o.Status == lapak.OrderExpired:
		return lapak.Errorf(lapak.KindConflict, "pay.order_expired", o.Ref)
	}
	return lapak.Errorf(lapak.KindConflict, "pay.order_cancelled", o.Ref)
}

func earlier(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// CheckPayment asks Xendit about the order's invoice now, applies what it says as a callback
// would, and returns the order as it then stands. An order whose link is still being made, or
// that has none, is returned as it is. When Xendit cannot be reached it gives a KindUnavailable
// error (pay.xendit_down).
func (s *Service) CheckPayment(ctx context.Context, orderID int64) (lapak.Order, error) {
	inv, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{OrderID: orderID})
	if err != nil || inv.XenditID == "" {
		return inv.Order, err
	}
	x, err := s.cfg.Xendit.GetInvoice(ctx, inv.XenditID)
	if err != nil {
		return inv.Order, unavailable(fmt.Errorf("check invoice %s of order %d: %w", inv.XenditID, orderID, err))
	}
	outcome, err := s.apply(ctx, inv, x)
	if err != nil {
		return inv.Order, err
	}
	s.cfg.Logger.Info("payment checked", "order", inv.Order.Ref, "invoice", x.ID, "status", x.Status, "outcome", outcome)
	return s.order(ctx, orderID)
}

// CancelUnpaid cancels an order still pending payment: its invoice is expired at Xendit first,
// then its stock goes back. (The order is marked as being cancelled before Xendit is asked, so
// the EXPIRED callback Xendit sends for it cancels rather than expires it, and tells no one.) An order paid in the meantime is settled instead and a KindConflict
// error (pay.already_paid) says so; one expired already gives order.not_cancellable. Cancelling a
// cancelled order again returns it. When Xendit cannot be reached the order stays as it is, since
// its invoice could still be paid, and a KindUnavailable error (pay.xendit_down) says so.
func (s *Service) CancelUnpaid(ctx context.Context, orderID int64) (lapak.Order, error) {
	inv, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{OrderID: orderID})
	if err != nil {
		return inv.Order, err
	}
	o := inv.Order
	switch {
	case o.Status == lapak.OrderCancelled && o.PaidAt.IsZero():
		return o, nil
	case o.Status == lapak.OrderExpired:
		return o, lapak.Errorf(lapak.KindConflict, "order.not_cancellable", o.Ref)
	case o.Status != lapak.OrderPending:
		return o, notPending(o)
	}
	const reason = "cancelled by the customer"
	if err := s.cfg.Store.MarkCancelling(ctx, orderID, reason); err != nil {
		return o, err
	}
	paid, err := s.stopInvoice(ctx, inv)
	if err != nil {
		return o, unavailable(err)
	}
	if !paid {
		c := Closing{OrderID: orderID, Status: lapak.OrderCancelled, XenditID: inv.XenditID, Reason: reason}
		if _, err := s.cfg.Store.CloseUnpaidOrder(ctx, c, nil); err != nil {
			return o, fmt.Errorf("cancel order %d: %w", orderID, err)
		}
	}
	if o, err = s.order(ctx, orderID); err != nil {
		return o, err
	}
	if o.Status == lapak.OrderCancelled {
		return o, nil
	}
	return o, notPending(o)
}

// ExpireOrder expires an order still pending payment once its reservation is due at now: its
// invoice is expired at Xendit first, and an order Xendit says is paid is settled instead. Expiring
// gives the stock back and tells the customer, with a way to order again. It reports whether it
// expired the order; an unknown order gives a KindNotFound error that is also lapak.ErrNotFound.
// It is the reservation job's jobs.Releaser when payments are on.
func (s *Service) ExpireOrder(ctx context.Context, orderID int64, now time.Time) (bool, error) {
	inv, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{OrderID: orderID})
	if err != nil {
		return false, err
	}
	if inv.Order.Status != lapak.OrderPending || inv.Order.ExpiresAt.After(now) {
		return false, nil
	}
	paid, err := s.stopInvoice(ctx, inv)
	if err != nil || paid {
		return false, err
	}
	xenditID := ""
	if inv.Status == InvoicePending {
		xenditID = inv.XenditID
	}
	c := Closing{OrderID: orderID, Status: lapak.OrderExpired, XenditID: xenditID}
	return s.cfg.Store.CloseUnpaidOrder(ctx, c, s.expiredMessages)
}

// RemindUnpaid reminds the customer of an order still unpaid, once, with its link. Xendit is asked
// first, so a payment whose callback was lost settles the order instead of reminding its customer.
func (s *Service) RemindUnpaid(ctx context.Context, orderID int64) error {
	inv, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{OrderID: orderID})
	if err != nil {
		return err
	}
	if inv.Status != InvoicePending || inv.Order.Status != lapak.OrderPending || inv.Reminded {
		return nil
	}
	x, err := s.cfg.Xendit.GetInvoice(ctx, inv.XenditID)
	if err != nil {
		return fmt.Errorf("check invoice %s before reminding: %w", inv.XenditID, err)
	}
	if x.Status != xendit.InvoicePending {
		_, err := s.apply(ctx, inv, x)
		return err
	}
	expires := earlier(inv.ExpiresAt, inv.Order.ExpiresAt)
	_, err = s.cfg.Store.RemindInvoice(ctx, orderID, func(ev Event) []bot.Outbound {
		return []bot.Outbound{s.linkMessage(ev.Customer, ev.Order, inv.URL, expires, "pay.reminder")}
	})
	return err
}

// order returns an order as it stands.
func (s *Service) order(ctx context.Context, orderID int64) (lapak.Order, error) {
	inv, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{OrderID: orderID})
	return inv.Order, err
}

// unavailable wraps a failure to reach Xendit as a KindUnavailable error a customer can read.
func unavailable(err error) error {
	return lapak.Errorf(lapak.KindUnavailable, "pay.xendit_down").With(err)
}
