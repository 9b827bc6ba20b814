package flows

import (
	"errors"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// payAction handles a customer's taps on payment messages and on their orders list:
// pay:check:<order> asks Xendit whether it is paid and says where it stands, pay:cancel asks to
// confirm cancelling it, pay:cancelyes cancels it, pay:again puts an expired or cancelled order's
// items back in the cart. Only the order's own customer may; anyone else is told there is no such
// order.
func (e *Engine) payAction(c *Conv, arg string) error {
	what, idText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || e.cfg.Payments == nil {
		c.SayText("option.expired")
		return e.reask(c)
	}
	o, err := e.cfg.Payments.Order(c.Ctx, id)
	notFound := lapak.KindOf(err) == lapak.KindNotFound || errors.Is(err, lapak.ErrNotFound)
	if notFound || err == nil && o.CustomerUserID != c.User.ID {
		c.SayText("order.not_found")
		return e.reask(c)
	}
	if err != nil {
		return err
	}
	switch what {
	case "check":
		return e.checkPayment(c, o)
	case "cancel":
		return e.askCancelUnpaid(c, o)
	case "cancelyes":
		return e.cancelUnpaid(c, o)
	case "again":
		return e.orderAgain(c, o)
	}
	c.SayText("option.expired")
	return e.reask(c)
}

// checkPayment asks Xendit about the order now and says where it stands.
func (e *Engine) checkPayment(c *Conv, o lapak.Order) error {
	o, err := e.cfg.Payments.CheckPayment(c.Ctx, o.ID)
	if err != nil {
		return err
	}
	return e.sayPayment(c, o)
}

// sayPayment tells the customer where their order stands, with what they can do next: pay it
// (the link as a button), check again or cancel it while it is unpaid, order it again once it
// expired or was cancelled.
func (e *Engine) sayPayment(c *Conv, o lapak.Order) error {
	id := strconv.FormatInt(o.ID, 10)
	again := []bot.Option{{ID: "pay:again:" + id, Label: c.T("pay.again")}}
	switch o.Status {
	case lapak.OrderPending:
		return e.sayUnpaid(c, o)
	case lapak.OrderPaid:
		c.SayText("paycheck.paid", o.Ref, o.Total)
	case lapak.OrderShipped:
		c.SayText("paycheck.shipped", o.Ref, o.Courier, o.Resi)
	case lapak.OrderCompleted:
		c.SayText("paycheck.completed", o.Ref)
	case lapak.OrderExpired:
		c.Say(bot.Reply{Text: c.T("paycheck.expired", o.Ref), Options: again})
	case lapak.OrderCancelled:
		if !o.RefundedAt.IsZero() {
			c.SayText("paycheck.refunded", o.Ref, o.Total, o.RefundRef)
			return nil
		}
		c.Say(bot.Reply{Text: c.T("paycheck.cancelled", o.Ref), Options: again})
	}
	return nil
}

// sayUnpaid gives the customer the payment link of an unpaid order as a button, with the options
// to check again and to cancel it.
func (e *Engine) sayUnpaid(c *Conv, o lapak.Order) error {
	id := strconv.FormatInt(o.ID, 10)
	opts := []bot.Option{{ID: "pay:check:" + id, Label: c.T("pay.check")}, {ID: "pay:cancel:" + id, Label: c.T("pay.cancel")}}
	link, err := e.cfg.Payments.PaymentLink(c.Ctx, o.ID)
	var le *lapak.Error
	if errors.As(err, &le) && le.Kind != lapak.KindInternal && le.Kind != lapak.KindUnavailable {
		c.Say(bot.Reply{Text: c.T(le.Key, le.Args...), Options: opts})
		return nil
	}
	if err != nil {
		return err
	}
	c.Say(bot.Reply{
		Text:    c.T("paycheck.pending", o.Ref, link.Amount, e.localTime(link.ExpiresAt)),
		Links:   []bot.Link{{Label: c.T("pay.link_button", link.Amount), URL: link.URL}},
		Options: opts,
	})
	return nil
}

// askCancelUnpaid asks the customer to confirm cancelling their unpaid order.
func (e *Engine) askCancelUnpaid(c *Conv, o lapak.Order) error {
	if o.Status != lapak.OrderPending {
		return e.sayPayment(c, o)
	}
	id := strconv.FormatInt(o.ID, 10)
	c.Say(bot.Reply{Text: c.T("paycheck.cancel_confirm", o.Ref, o.Total), Options: []bot.Option{
		{ID: "pay:cancelyes:" + id, Label: c.T("paycheck.cancel_yes")},
		{ID: "pay:check:" + id, Label: c.T("paycheck.cancel_no")},
	}})
	return nil
}

// cancelUnpaid cancels the unpaid order; one paid in the meantime is kept, and the customer told.
func (e *Engine) cancelUnpaid(c *Conv, o lapak.Order) error {
	if o.Status != lapak.OrderPending {
		return e.sayPayment(c, o)
	}
	cancelled, err := e.cfg.Payments.CancelUnpaid(c.Ctx, o.ID)
	switch {
	case lapak.KindOf(err) == lapak.KindConflict && !cancelled.PaidAt.IsZero():
		c.SayText("paycheck.paid_meanwhile", o.Ref)
		return nil
	case sayDomain(c, err):
		return nil
	case err != nil:
		return err
	}
	c.SayText("paycheck.cancelled_now", o.Ref)
	if e.isCustomerChat(c) {
		return e.customerMenu(c)
	}
	return nil
}

// orderAgain puts the items of an expired or cancelled order back in the cart, at today's prices,
// and shows the cart.
func (e *Engine) orderAgain(c *Conv, o lapak.Order) error {
	if o.Status != lapak.OrderExpired && o.Status != lapak.OrderCancelled {
		return e.sayPayment(c, o)
	}
	if !e.shopReady() {
		c.SayText("option.expired")
		return e.reask(c)
	}
	cart, err := e.cfg.Carts.Cart(c.Ctx, cartKey(c))
	if err != nil {
		return err
	}
	full := false
	for _, it := range o.Items {
		item := lapak.CartItem{ProductID: it.ProductID, VariantID: it.VariantID, Qty: it.Qty}
		if len(cart.Items) >= maxCartLines && !inCart(cart, item) {
			full = true
			continue
		}
		cart = addLine(cart, item)
	}
	if err := e.cfg.Carts.SaveCart(c.Ctx, cartKey(c), cart); err != nil {
		return err
	}
	c.SayText("paycheck.again", o.Ref)
	if full {
		c.SayText("shop.cart_full", maxCartLines)
	}
	c.endFlow()
	return e.showCart(c)
}

// inCart reports whether the cart has a line for the item's product and variant.
func inCart(cart lapak.Cart, item lapak.CartItem) bool {
	for _, it := range cart.Items {
		if it.ProductID == item.ProductID && it.VariantID == item.VariantID {
			return true
		}
	}
	return false
}

// orderOptions are what a customer can do from their orders list: pay an unpaid order, order an
// expired one again. At most three, the newest first; none without payments.
func (e *Engine) orderOptions(c *Conv, orders []lapak.Order) []bot.Option {
	if e.cfg.Payments == nil {
		return nil
	}
	var opts []bot.Option
	for _, o := range orders {
		id := strconv.FormatInt(o.ID, 10)
		switch {
		case len(opts) == 3:
			return opts
		case o.Status == lapak.OrderPending:
			opts = append(opts, bot.Option{ID: "pay:check:" + id, Label: c.T("paycheck.pay_order", o.Ref)})
		case o.Status == lapak.OrderExpired:
			opts = append(opts, bot.Option{ID: "pay:again:" + id, Label: c.T("paycheck.again_order", o.Ref)})
		}
	}
	return opts
}

// trackingNote is an order's courier and resi for the customer's orders list, once it shipped.
func trackingNote(o lapak.Order) string {
	if o.Resi == "" || o.Status != lapak.OrderShipped && o.Status != lapak.OrderCompleted {
		return ""
	}
	return " · " + o.Courier + " " + o.Resi
}
