package payments

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/payments/xendit"
)

// What applying news about an invoice did, as the callback audit records it. Settling adds its
// SettleOutcome.
const (
	outcomePending        = "pending"           // nothing to do yet
	outcomeExpired        = "expired"           // the order expired, its stock came back
	outcomeExpiredClosed  = "expired_closed"    // the invoice expired; its order had closed before
	outcomeAmountMismatch = "amount_mismatch"   // recorded and owners alerted; nothing credited
	outcomeUnknown        = "unknown_invoice"   // recorded and owners alerted; nothing credited
	outcomeUnknownUnpaid  = "unknown_unpaid"    // not ours and no money moved: nothing to do
	outcomeNotConfirmed   = "not_confirmed"     // the callback said paid, Xendit says not
	outcomeIgnored        = "ignored_status_"   // followed by the status Lapak does not act on
	outcomeAdopted        = "adopted_invoice, " // followed by what applying it did
)

// applyCallback acts on a verified invoice callback. Callbacks repeat, arrive together and out
// of order, so the body is trusted in the one common case only: a payment of the right amount
// for a pending order's pending invoice. A repeat of what Lapak recorded already changes nothing.
// In every other case Xendit is asked for the invoice and its answer is applied instead.
func (s *Service) applyCallback(ctx context.Context, cb *xendit.Invoice) (string, error) {
	inv, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{XenditID: cb.ID})
	if errors.Is(err, lapak.ErrNotFound) {
		return s.unknown(ctx, cb)
	}
	if err != nil {
		return "", err
	}
	switch {
	case cb.Status.Paid() && inv.Status == InvoicePending && inv.Order.Status == lapak.OrderPending && matches(inv, cb):
		return s.settle(ctx, inv, cb)
	case cb.Status.Paid() && inv.Status == InvoicePaid && !inv.Order.PaidAt.IsZero():
		return string(AlreadyPaid), nil // a repeat: nothing Xendit says could change that
	case cb.Status == xendit.InvoiceExpired && inv.Status == InvoiceExpired && inv.Order.Status != lapak.OrderPending:
		return outcomeExpiredClosed, nil
	}
	x, err := s.cfg.Xendit.GetInvoice(ctx, cb.ID)
	if err != nil {
		return "", fmt.Errorf("check invoice %s with xendit: %w", cb.ID, err)
	}
	var claims []string
	switch {
	case !cb.Status.Paid() || x.Status.Paid():
	case !matches(inv, cb):
		// The callback says the invoice was paid a wrong amount, and Xendit does not say it is paid.
		outcome, err := s.mismatch(ctx, inv, cb)
		if err != nil {
			return "", err
		}
		claims = append(claims, outcome)
	default:
		s.cfg.Logger.Warn("callback says paid, xendit does not", "order", inv.Order.Ref, "invoice", cb.ID, "xendit_status", x.Status)
		claims = append(claims, outcomeNotConfirmed)
	}
	outcome, err := s.apply(ctx, inv, x)
	return strings.Join(append(claims, outcome), ", "), err
}

// apply acts on x, what Xendit says about inv's invoice: a payment settles the order (after
// checking its amount), an expiry closes it, and a pending invoice whose order is closed or past
// its reservation is expired at Xendit first, then applied as Xendit answers.
func (s *Service) apply(ctx context.Context, inv Invoice, x *xendit.Invoice) (string, error) {
	switch {
	case x.Status.Paid() && !matches(inv, x):
		return s.mismatch(ctx, inv, x)
	case x.Status.Paid():
		return s.settle(ctx, inv, x)
	case x.Status == xendit.InvoiceExpired:
		closing := Closing{OrderID: inv.OrderID, Status: lapak.OrderExpired, XenditID: x.ID}
		closed, err := s.cfg.Store.CloseUnpaidOrder(ctx, closing, s.expiredMessages)
		if err != nil || !closed {
			return outcomeExpiredClosed, err
		}
		return outcomeExpired, nil
	case x.Status == xendit.InvoicePending && s.mustStop(inv.Order):
		expired, err := s.cfg.Xendit.ExpireInvoice(ctx, x.ID)
		if err != nil {
			return "", fmt.Errorf("expire invoice %s of order %d: %w", x.ID, inv.OrderID, err)
		}
		if expired.Status == xendit.InvoicePending {
			return "", fmt.Errorf("expire invoice %s of order %d: still pending", x.ID, inv.OrderID)
		}
		return s.apply(ctx, inv, expired)
	case x.Status == xendit.InvoicePending:
		return outcomePending, nil
	}
	return outcomeIgnored + strings.ToLower(string(x.Status)), nil
}

// mustStop reports whether an order's invoice must not stay payable: the order closed unpaid, or
// its reservation ran out.
func (s *Service) mustStop(o lapak.Order) bool {
	if o.Status == lapak.OrderPending {
		return !o.ExpiresAt.After(s.now())
	}
	return o.PaidAt.IsZero()
}

// matches reports whether x is a payment Lapak may credit to inv's order: an IDR invoice under
// the order's reference for exactly the order's total, and, when Xendit says how much the
// customer paid, at least that. (A customer who bears Xendit's fee pays more; the order is credited
// its total.)
func matches(inv Invoice, x *xendit.Invoice) bool {
	return inv.Amount == inv.Order.Total && x.Amount == inv.Amount &&
		(x.PaidAmount == 0 || x.PaidAmount >= x.Amount) &&
		(x.Currency == "" || x.Currency == "IDR") &&
		(x.ExternalID == "" || x.ExternalID == inv.Order.Ref)
}

// settle records x's payment of inv's order.
func (s *Service) settle(ctx context.Context, inv Invoice, x *xendit.Invoice) (string, error) {
	p := Payment{
		OrderID: inv.OrderID, XenditID: x.ID, Amount: x.Amount, PaidAmount: x.PaidAmount, PaidAt: x.PaidAt,
		Method: x.PaymentMethod, Channel: x.PaymentChannel,
	}
	if p.PaidAt.IsZero() {
		p.PaidAt = s.now()
	}
	st, err := s.cfg.Store.SettleInvoice(ctx, p, s.settledMessages)
	if err != nil {
		return "", fmt.Errorf("settle order %d with invoice %s: %w", inv.OrderID, x.ID, err)
	}
	if st.Outcome != AlreadyPaid {
		s.cfg.Logger.Info("order paid", "order", st.Order.Ref, "invoice", x.ID, "total", st.Order.Total,
			"outcome", st.Outcome, "was", st.Was, "short", len(st.Short))
	}
	return string(st.Outcome), nil
}

// mismatch records a payment of inv's invoice that does not match its order, and alerts the
// owners once. Nothing is credited.
func (s *Service) mismatch(ctx context.Context, inv Invoice, x *xendit.Invoice) (string, error) {
	o := inv.Order
	a := Alert{Kind: AlertAmountMismatch, OrderID: o.ID, XenditID: x.ID, Detail: fmt.Sprintf(
		"invoice %s (%s) says %s %s %s, paid %s; order %s total %s, invoice recorded for %s",
		x.ID, x.ExternalID, x.Status, x.Currency, x.Amount, x.PaidAmount, o.Ref, o.Total, inv.Amount)}
	_, err := s.cfg.Store.RecordInvoiceAlert(ctx, a, func(ev Event) []bot.Outbound {
		return ownersMessage(ev.Owners, "pay.alert_mismatch", o.Ref, x.Amount, o.Total, x.ID)
	})
	if err != nil {
		return "", fmt.Errorf("record amount mismatch of invoice %s: %w", x.ID, err)
	}
	s.cfg.Logger.Warn("payment does not match its order; not credited", "order", o.Ref, "invoice", x.ID,
		"amount", x.Amount, "paid_amount", x.PaidAmount, "total", o.Total)
	return outcomeAmountMismatch, nil
}

// unknown acts on a callback for an invoice Lapak has not recorded. Xendit is asked about it: an
// invoice it does not know, or knows unpaid, moved no money. A paid one may be the invoice an
// order's creation made when its answer was lost; it is then adopted and applied. Any other paid
// invoice is recorded and the owners alerted; nothing is credited.
func (s *Service) unknown(ctx context.Context, cb *xendit.Invoice) (string, error) {
	x, err := s.cfg.Xendit.GetInvoice(ctx, cb.ID)
	switch {
	case xendit.IsCode(err, xendit.CodeInvoiceNotFound):
		if !cb.Status.Paid() {
			return outcomeUnknownUnpaid, nil
		}
		named, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{Ref: cb.ExternalID})
		if err != nil && !errors.Is(err, lapak.ErrNotFound) {
			return "", err
		}
		return s.unknownPaid(ctx, named.OrderID, cb, fmt.Sprintf("callback says invoice %s (%s) is %s for %s; Xendit does not know the invoice",
			cb.ID, cb.ExternalID, cb.Status, cb.Amount))
	case err != nil:
		return "", fmt.Errorf("check unknown invoice %s with xendit: %w", cb.ID, err)
	case !x.Status.Paid():
		return outcomeUnknownUnpaid, nil
	}
	inv, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{Ref: x.ExternalID})
	if err != nil && !errors.Is(err, lapak.ErrNotFound) {
		return "", err
	}
	if err == nil && inv.Status == InvoiceCreating && inv.Amount == x.Amount {
		saved, err := s.cfg.Store.SaveInvoice(ctx, inv.OrderID, Created{XenditID: x.ID, URL: x.InvoiceURL, ExpiresAt: x.ExpiryDate}, nil)
		if err != nil {
			return "", fmt.Errorf("adopt invoice %s of order %d: %w", x.ID, inv.OrderID, err)
		}
		if saved.XenditID == x.ID {
			outcome, err := s.apply(ctx, saved, x)
			return outcomeAdopted + outcome, err
		}
	}
	detail := fmt.Sprintf("invoice %s (%s) is %s for %s, paid %s; no order of Lapak's uses it", x.ID, x.ExternalID, x.Status, x.Amount, x.PaidAmount)
	return s.unknownPaid(ctx, inv.OrderID, x, detail)
}

// unknownPaid records money Xendit reports on invoice x that Lapak cannot credit, and alerts the
// owners once. orderID names the order the invoice's reference points at, or is 0.
func (s *Service) unknownPaid(ctx context.Context, orderID int64, x *xendit.Invoice, detail string) (string, error) {
	a := Alert{Kind: AlertUnknownInvoice, OrderID: orderID, XenditID: x.ID, Detail: detail}
	_, err := s.cfg.Store.RecordInvoiceAlert(ctx, a, func(ev Event) []bot.Outbound {
		return ownersMessage(ev.Owners, "pay.alert_unknown", x.Status, x.Amount, x.ID, x.ExternalID)
	})
	if err != nil {
		return "", fmt.Errorf("record unknown invoice %s: %w", x.ID, err)
	}
	s.cfg.Logger.Warn("payment for no order; not credited", "invoice", x.ID, "external_id", x.ExternalID, "amount", x.Amount)
	return outcomeUnknown, nil
}

// stopInvoice makes sure an order about to close cannot be paid any more: its invoice is expired
// at Xendit, and so is any an earlier creation attempt may have made without Lapak hearing of it.
// When Xendit answers that the customer has paid already, the payment is applied instead and
// stopInvoice reports true.
func (s *Service) stopInvoice(ctx context.Context, inv Invoice) (bool, error) {
	switch {
	case inv.Status == InvoicePending:
		x, err := s.cfg.Xendit.ExpireInvoice(ctx, inv.XenditID)
		if xendit.IsCode(err, xendit.CodeInvoiceNotFound) {
			s.cfg.Logger.Warn("xendit does not know an order's invoice", "order", inv.Order.Ref, "invoice", inv.XenditID)
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("expire invoice %s of order %d: %w", inv.XenditID, inv.OrderID, err)
		}
		return s.paidInstead(ctx, inv, x)
	case inv.Status == InvoiceCreating && inv.Attempts > 0:
		list, err := s.cfg.Xendit.ListInvoices(ctx, inv.Order.Ref)
		if err != nil {
			return false, fmt.Errorf("look for the invoice of order %d: %w", inv.OrderID, err)
		}
		for i := range list {
			x := &list[i]
			if x.ExternalID != inv.Order.Ref || x.Amount != inv.Amount {
				continue
			}
			if x.Status == xendit.InvoicePending {
				if x, err = s.cfg.Xendit.ExpireInvoice(ctx, x.ID); err != nil {
					return false, fmt.Errorf("expire invoice %s of order %d: %w", list[i].ID, inv.OrderID, err)
				}
			}
			if x.Status.Paid() {
				return true, s.save(ctx, inv, x)
			}
		}
	}
	return false, nil
}

// paidInstead applies x when Xendit answered an expiry with a payment, and reports whether it did.
func (s *Service) paidInstead(ctx context.Context, inv Invoice, x *xendit.Invoice) (bool, error) {
	if !x.Status.Paid() {
		return false, nil
	}
	outcome, err := s.apply(ctx, inv, x)
	s.cfg.Logger.Info("an order being closed was paid", "order", inv.Order.Ref, "invoice", x.ID, "outcome", outcome)
	return true, err
}
