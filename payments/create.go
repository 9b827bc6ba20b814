package payments

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/i18n"
	"github.com/lapak-id/lapak/payments/xendit"
)

// minLinkLife is the least time left on a reservation worth making a payment link for; a
// shorter one is left to expire.
const minLinkLife = time.Minute

// CreateInvoice makes the payment link of a placed order, once: the creation job calls it, and
// River retries it when it fails. It does nothing for an order no longer pending, or one whose
// invoice Xendit already made.
//
// Xendit does not deduplicate invoices, so every attempt is counted and committed before Xendit
// is asked, and an attempt after the first looks for the invoice an earlier one may have made
// (by the order's reference, Xendit's external_id) before making one. An error whose outcome is
// unknown (a timeout, a 5xx) is returned for River to retry. An invoice Xendit refuses (a 4xx,
// such as a total under Xendit's Rp10.000 minimum) will never be made: the order is cancelled,
// its stock goes back, and the customer and the owners are told why.
func (s *Service) CreateInvoice(ctx context.Context, orderID int64) error {
	inv, err := s.cfg.Store.FindInvoice(ctx, InvoiceQuery{OrderID: orderID})
	if err != nil {
		return err
	}
	left := inv.Order.ExpiresAt.Sub(s.now())
	if inv.Status != InvoiceCreating || inv.Order.Status != lapak.OrderPending || left < minLinkLife {
		return nil
	}
	attempt, err := s.cfg.Store.CountInvoiceAttempt(ctx, orderID)
	if err != nil || attempt == 0 {
		return err
	}
	var x *xendit.Invoice
	if attempt > 1 {
		if x, err = s.madeBefore(ctx, inv); err != nil {
			return err
		}
	}
	if x == nil {
		x, err = s.cfg.Xendit.CreateInvoice(ctx, s.invoiceRequest(inv, left))
		if refusal, ok := refused(err); ok {
			return s.refuse(ctx, inv, refusal)
		}
		if err != nil {
			return fmt.Errorf("create invoice for order %d, attempt %d: %w", orderID, attempt, err)
		}
	}
	return s.save(ctx, inv, x)
}

// madeBefore returns the invoice an earlier attempt made for inv's order, if Xendit has one that
// can still be or has been paid for the right amount. Should there be more than one payable, the
// others are expired, so the order keeps one.
func (s *Service) madeBefore(ctx context.Context, inv Invoice) (*xendit.Invoice, error) {
	list, err := s.cfg.Xendit.ListInvoices(ctx, inv.Order.Ref)
	if err != nil {
		return nil, fmt.Errorf("look for the invoice of order %d: %w", inv.OrderID, err)
	}
	var found *xendit.Invoice
	for i := range list {
		x := &list[i]
		switch {
		case x.ExternalID != inv.Order.Ref || x.Amount != inv.Amount:
		case x.Status.Paid() && (found == nil || !found.Status.Paid()):
			found = x
		case x.Status == xendit.InvoicePending && found == nil:
			found = x
		}
	}
	for i := range list {
		if x := &list[i]; x != found && x.Status == xendit.InvoicePending && x.ExternalID == inv.Order.Ref {
			if _, err := s.cfg.Xendit.ExpireInvoice(ctx, x.ID); err != nil {
				return nil, fmt.Errorf("expire extra invoice %s of order %d: %w", x.ID, inv.OrderID, err)
			}
			s.cfg.Logger.Warn("expired an extra invoice", "order", inv.Order.Ref, "invoice", x.ID)
		}
	}
	return found, nil
}

// invoiceRequest is what Xendit is asked to make for inv's order: the order's total under its
// reference, its lines and shipping, the customer's name and number, and a life that ends with
// the order's reservation.
func (s *Service) invoiceRequest(inv Invoice, life time.Duration) xendit.CreateInvoiceRequest {
	o, lang := inv.Order, inv.Customer.Lang
	req := xendit.CreateInvoiceRequest{
		ExternalID:      o.Ref,
		Amount:          inv.Amount,
		Description:     i18n.T(lang, "pay.description", o.Ref, s.cfg.StoreName),
		InvoiceDuration: life.Truncate(time.Second),
		Customer:        &xendit.Customer{GivenNames: o.Name, MobileNumber: string(o.Phone)},
		PaymentMethods:  s.cfg.Methods,
		Currency:        "IDR",
		Locale:          string(lapak.Indonesian),
		Metadata:        map[string]string{"order_id": strconv.FormatInt(o.ID, 10)},
	}
	if lang == lapak.English {
		req.Locale = string(lapak.English)
	}
	for _, it := range o.Items {
		req.Items = append(req.Items, xendit.Item{Name: it.Name, Quantity: it.Qty, Price: it.UnitPrice, ReferenceID: it.SKU})
	}
	if o.Shipping > 0 {
		req.Items = append(req.Items, xendit.Item{Name: strings.TrimSpace(i18n.T(lang, "pay.shipping_item", o.ShippingZone)), Quantity: 1, Price: o.Shipping, Category: "shipping"})
	}
	return req
}

// refused reports whether err is Xendit refusing the request: a 4xx other than a 429. Nothing was
// made, and asking again would be refused again.
func refused(err error) (*xendit.Error, bool) {
	e, ok := xendit.AsError(err)
	if !ok || e.Status < 400 || e.Status >= 500 || e.Status == http.StatusTooManyRequests {
		return nil, false
	}
	return e, true
}

// refuse cancels an order whose invoice Xendit refused and tells the customer and the owners why.
func (s *Service) refuse(ctx context.Context, inv Invoice, e *xendit.Error) error {
	c := Closing{OrderID: inv.OrderID, Status: lapak.OrderCancelled, Reason: "xendit refused the invoice: " + e.Code}
	closed, err := s.cfg.Store.CloseUnpaidOrder(ctx, c, func(ev Event) []bot.Outbound { return s.refusedMessages(ev, e) })
	if err != nil {
		return fmt.Errorf("cancel order %d whose invoice xendit refused: %w", inv.OrderID, err)
	}
	s.cfg.Logger.Warn("xendit refused an invoice; order cancelled", "order", inv.Order.Ref, "total", inv.Amount,
		"code", e.Code, "status", e.Status, "message", e.Message, "cancelled", closed)
	return nil
}

// save records the invoice Xendit made and sends the customer its link. An invoice found paid,
// or made for an order closed in the meantime, is applied at once: the payment settles the
// order, and a closed order's invoice is expired so it cannot be paid.
func (s *Service) save(ctx context.Context, inv Invoice, x *xendit.Invoice) error {
	c := Created{XenditID: x.ID, URL: x.InvoiceURL, ExpiresAt: x.ExpiryDate}
	if c.ExpiresAt.IsZero() || c.ExpiresAt.After(inv.Order.ExpiresAt) {
		c.ExpiresAt = inv.Order.ExpiresAt
	}
	var notify Notice
	if x.Status == xendit.InvoicePending {
		c.RemindAt = s.reminderAt(s.now(), c.ExpiresAt)
		notify = func(ev Event) []bot.Outbound {
			return []bot.Outbound{s.linkMessage(ev.Customer, ev.Order, c.URL, c.ExpiresAt, "pay.link")}
		}
	}
	saved, err := s.cfg.Store.SaveInvoice(ctx, inv.OrderID, c, notify)
	if err != nil {
		return fmt.Errorf("save invoice %s of order %d: %w", x.ID, inv.OrderID, err)
	}
	if saved.XenditID != x.ID {
		return s.dropExtra(ctx, saved, x)
	}
	if x.Status == xendit.InvoicePending && saved.Order.Status == lapak.OrderPending {
		return nil
	}
	outcome, err := s.apply(ctx, saved, x)
	s.cfg.Logger.Info("applied a new invoice at once", "order", inv.Order.Ref, "invoice", x.ID, "status", x.Status, "outcome", outcome)
	return err
}

// dropExtra expires x, an invoice made for an order that another invoice was saved for first, so
// that the order keeps one payable invoice. Should x be paid, owners are alerted: the customer paid
// an invoice the order does not use.
func (s *Service) dropExtra(ctx context.Context, inv Invoice, x *xendit.Invoice) error {
	if x.Status == xendit.InvoicePending {
		expired, err := s.cfg.Xendit.ExpireInvoice(ctx, x.ID)
		if err != nil {
			return fmt.Errorf("expire extra invoice %s of order %d: %w", x.ID, inv.OrderID, err)
		}
		x = expired
	}
	s.cfg.Logger.Warn("dropped an extra invoice", "order", inv.Order.Ref, "invoice", x.ID, "kept", inv.XenditID, "status", x.Status)
	if !x.Status.Paid() {
		return nil
	}
	_, err := s.unknownPaid(ctx, inv.OrderID, x, fmt.Sprintf("invoice %s of order %s was paid, but the order uses invoice %s", x.ID, inv.Order.Ref, inv.XenditID))
	return err
}

// reminderAt is when to remind a customer of a link made at now that expires at expires: the
// reminder lead before it, or halfway for a short-lived link, or never (zero) for one that lives
// under 20 minutes.
func (s *Service) reminderAt(now, expires time.Time) time.Time {
	switch life := expires.Sub(now); {
	case life >= 2*s.cfg.ReminderLead:
		return expires.Add(-s.cfg.ReminderLead)
	case life >= 20*time.Minute:
		return now.Add(life / 2)
	}
	return time.Time{}
}
