package payments

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/i18n"
	"github.com/lapak-id/lapak/payments/xendit"
)

// MinInvoiceAmount is the smallest invoice Xendit makes in rupiah, as its error
// MINIMAL_TRANSFER_AMOUNT_ERROR says; customers are told it when an order is smaller.
const MinInvoiceAmount lapak.Money = 10_000

// The options payment messages offer, each followed by the order's ID. Flows acts on them.
const (
	OptionCheck  = "pay:check:"  // ask Xendit whether the order is paid
	OptionCancel = "pay:cancel:" // cancel the unpaid order
	OptionAgain  = "pay:again:"  // put an expired order's items in the cart again
	OptionShip   = "ful:ship:"   // an owner enters the paid order's courier and tracking number
)

// option is an option about an order.
func option(prefix string, orderID int64, u lapak.User, key string) bot.Option {
	return bot.Option{ID: prefix + strconv.FormatInt(orderID, 10), Label: i18n.T(u.Lang, key)}
}

// linkMessage gives the customer the order's payment link as a button, with the amount and the
// time it expires, and the options to check the payment or cancel the order. key is pay.link
// or pay.reminder.
func (s *Service) linkMessage(c lapak.User, o lapak.Order, url string, expires time.Time, key string) bot.Outbound {
	m := flows.To(c, key, o.Ref, o.Total, s.clockText(expires))
	m.Reply.Links = []bot.Link{{Label: i18n.T(c.Lang, "pay.link_button", o.Total), URL: url}}
	m.Reply.Options = []bot.Option{option(OptionCheck, o.ID, c, "pay.check"), option(OptionCancel, o.ID, c, "pay.cancel")}
	return m
}

// expiredMessages tell the customer their unpaid order expired, with a way to order it again.
func (s *Service) expiredMessages(ev Event) []bot.Outbound {
	o, c := ev.Order, ev.Customer
	m := flows.To(c, "pay.expired", o.Ref, s.clockText(o.ExpiresAt))
	m.Reply.Options = []bot.Option{option(OptionAgain, o.ID, c, "pay.again")}
	return []bot.Outbound{m}
}

// refusedMessages tell the customer why their order could not be paid online and was cancelled,
// and the owners what Xendit said.
func (s *Service) refusedMessages(ev Event, e *xendit.Error) []bot.Outbound {
	o, c := ev.Order, ev.Customer
	var m bot.Outbound
	switch e.Code {
	case xendit.CodeMinimalTransferAmount:
		m = flows.To(c, "pay.refused_min", o.Ref, o.Total, MinInvoiceAmount)
		m.Reply.Options = []bot.Option{option(OptionAgain, o.ID, c, "pay.again")}
	case xendit.CodeMaximumTransferAmount:
		m = flows.To(c, "pay.refused_max", o.Ref, o.Total)
	default:
		m = flows.To(c, "pay.refused", o.Ref)
	}
	why := e.Code
	if e.Message != "" {
		why = strings.TrimSpace(why + ": " + e.Message)
	}
	if why == "" {
		why = strconv.Itoa(e.Status)
	}
	return append([]bot.Outbound{m}, ownersMessage(ev.Owners, "pay.owner_refused", o.Ref, o.Total, why)...)
}

// settledMessages announce a payment: the customer's receipt, the reseller's pending commission,
// the owners' order to ship, and the owners' alerts about a late payment.
func (s *Service) settledMessages(st Settlement) []bot.Outbound {
	o := st.Order
	out := []bot.Outbound{s.receipt(st)}
	if earned := o.Earned(); st.Reseller.ID != 0 && earned > 0 {
		out = append(out, flows.To(st.Reseller, "pay.reseller_paid", earned, o.Ref, o.Name, o.Total, st.Pending))
	}
	for _, u := range st.Owners {
		m := flows.To(u, "pay.owner_paid", o.Ref, o.Total, s.via(u, st.Reseller), orderLines(u.Lang, o), o.Name, o.Phone, o.Address)
		if o.Notes != "" {
			m.Reply.Text += "\n" + i18n.T(u.Lang, "checkout.notes") + ": " + o.Notes
		}
		m.Reply.Options = []bot.Option{option(OptionShip, o.ID, u, "pay.ship")}
		out = append(out, m)
	}
	if len(st.Short) > 0 {
		out = append(out, ownersMessage(st.Owners, "pay.alert_short", o.Ref, strings.Join(st.Short, ", "))...)
	}
	if st.Was == lapak.OrderCancelled {
		out = append(out, ownersMessage(st.Owners, "pay.alert_after_close", o.Ref)...)
	}
	return out
}

// receipt tells the customer their payment arrived: what they bought, when and how they paid,
// and where it goes.
func (s *Service) receipt(st Settlement) bot.Outbound {
	o, c := st.Order, st.Customer
	m := flows.To(c, "pay.receipt", o.Ref, orderLines(c.Lang, o), s.clockText(o.PaidAt), methodText(c.Lang, st.Payment.Method, st.Payment.Channel), o.Name, o.Address)
	if len(st.Short) > 0 {
		m.Reply.Text += "\n\n" + i18n.T(c.Lang, "pay.receipt_short")
	}
	return m
}

// via names who sold the order, for an owner: the reseller, or the store itself.
func (s *Service) via(owner lapak.User, reseller lapak.User) string {
	if reseller.ID == 0 {
		return i18n.T(owner.Lang, "pay.via_store")
	}
	return reseller.Name
}

// orderLines lists an order's items, its shipping and its total, one a line.
func orderLines(lang lapak.Lang, o lapak.Order) string {
	var b strings.Builder
	for _, it := range o.Items {
		fmt.Fprintf(&b, "• %s × %d = %s\n", it.Name, it.Qty, it.Earnings.Customer)
	}
	if o.Shipping > 0 || o.ShippingZone != "" {
		b.WriteString(i18n.T(lang, "checkout.shipping", o.ShippingZone, o.Shipping) + "\n")
	}
	b.WriteString(i18n.T(lang, "checkout.total", o.Total))
	return b.String()
}

// methodText names how a customer paid, as Xendit reports it: VA BCA, QRIS, OVO, a card.
func methodText(lang lapak.Lang, method, channel string) string {
	switch method {
	case "BANK_TRANSFER", "POOL", "CALLBACK_VIRTUAL_ACCOUNT":
		return strings.TrimSpace("VA " + channel)
	case "QR_CODE", "QRIS":
		return "QRIS"
	case "CREDIT_CARD":
		return i18n.T(lang, "pay.method_card")
	}
	if channel != "" {
		return channel
	}
	return "Xendit"
}

// ownersMessage is one message to each owner.
func ownersMessage(owners []lapak.User, key string, args ...any) []bot.Outbound {
	out := make([]bot.Outbound, 0, len(owners))
	for _, u := range owners {
		out = append(out, flows.To(u, key, args...))
	}
	return out
}

// clockText shows t in the store's time zone as Indonesians write it: 28/11 14.05 WIB.
func (s *Service) clockText(t time.Time) string {
	return t.In(s.cfg.Location).Format("02/01 15.04 MST")
}
