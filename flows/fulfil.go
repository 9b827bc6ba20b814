package flows

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const (
	flowShip   = "ship"
	flowRefund = "refund"
	// listSize is how many orders an owner's list shows at once, the oldest first.
	listSize = 10
)

// fulfilmentMenu is what the menu offers about paid orders and earnings: owners see the paid
// orders to ship (with how many there are) and the shipped ones, resellers their balance. Nothing
// without payments.
func (e *Engine) fulfilmentMenu(c *Conv) []bot.Option {
	if e.cfg.Payments == nil {
		return nil
	}
	switch c.User.Role {
	case lapak.RoleOwner:
		label := c.T("ful.menu_paid")
		if paid, err := e.cfg.Payments.Orders(c.Ctx, lapak.OrderPaid, 100); err == nil {
			label = c.T("ful.menu_paid_count", countLabel(len(paid), 100))
		}
		return []bot.Option{{ID: "m:toship", Label: label}, {ID: "m:shipped", Label: c.T("ful.menu_shipped")}}
	case lapak.RoleReseller:
		return []bot.Option{{ID: "m:saldo", Label: c.T("earn.menu")}}
	}
	return nil
}

// countLabel writes n, or "99+" when it reached limit.
func countLabel(n, limit int) string {
	if n >= limit {
		return strconv.Itoa(limit-1) + "+"
	}
	return strconv.Itoa(n)
}

// fulfilmentChoice handles the menu's fulfilment options, and reports false for any other.
func (e *Engine) fulfilmentChoice(c *Conv, choice string) (bool, error) {
	if e.cfg.Payments == nil {
		return false, nil
	}
	switch {
	case choice == "toship" && c.User.Role == lapak.RoleOwner:
		return true, e.listOrders(c, lapak.OrderPaid)
	case choice == "shipped" && c.User.Role == lapak.RoleOwner:
		return true, e.listOrders(c, lapak.OrderShipped)
	case choice == "saldo" && c.User.Role == lapak.RoleReseller:
		return true, e.balance(c, "")
	}
	return false, nil
}

// listOrders shows an owner the oldest orders in a status, paid or shipped, each a button that
// opens its card.
func (e *Engine) listOrders(c *Conv, status lapak.OrderStatus) error {
	orders, err := e.cfg.Payments.Orders(c.Ctx, status, listSize+1)
	if err != nil {
		return err
	}
	title, empty := "ful.list_paid", "ful.none_paid"
	if status == lapak.OrderShipped {
		title, empty = "ful.list_shipped", "ful.none_shipped"
	}
	if len(orders) == 0 {
		c.SayText(empty)
		return e.menu(c)
	}
	var b strings.Builder
	b.WriteString(c.T(title) + "\n")
	var opts []bot.Option
	for i, o := range orders[:min(len(orders), listSize)] {
		fmt.Fprintf(&b, "%d. %s\n", i+1, e.orderLine(c, o))
		opts = append(opts, bot.Option{ID: "ful:card:" + strconv.FormatInt(o.ID, 10), Label: o.Ref})
	}
	if len(orders) > listSize {
		b.WriteString(c.T("ful.list_more", listSize) + "\n")
	}
	b.WriteString(c.T("ful.list_pick"))
	c.Say(bot.Reply{Text: b.String(), Options: opts})
	return nil
}

// orderLine sums up an order on one line for an owner's list.
func (e *Engine) orderLine(c *Conv, o lapak.Order) string {
	items := 0
	for _, it := range o.Items {
		items += it.Qty
	}
	line := fmt.Sprintf("%s · %s · %s · %s", o.Ref, o.Name, o.Address.City, c.T("ful.items", items, o.Total))
	if o.Status == lapak.OrderShipped {
		return line + " · " + c.T("ful.line_shipped", o.Courier, o.Resi, e.localTime(o.ShippedAt))
	}
	return line + " · " + c.T("ful.line_paid", e.localTime(o.PaidAt))
}

// orderCard is an order as an owner acts on it: what, for whom, where it stands, and the actions
// its status allows.
func (e *Engine) orderCard(c *Conv, o lapak.Order) bot.Reply {
	var b strings.Builder
	fmt.Fprintf(&b, "🧾 %s · %s\n%s\n\n", o.Ref, c.T("order.status."+string(o.Status)), e.soldBy(c, o))
	for _, it := range o.Items {
		fmt.Fprintf(&b, "• %s × %d = %s\n", it.Name, it.Qty, it.Earnings.Customer)
	}
	if o.Shipping > 0 || o.ShippingZone != "" {
		b.WriteString(c.T("checkout.shipping", o.ShippingZone, o.Shipping) + "\n")
	}
	b.WriteString(c.T("checkout.total", o.Total) + "\n")
	for _, s := range []struct {
		key  string
		args []any
		show bool
	}{
		{"ful.card_paid", []any{e.localTime(o.PaidAt)}, !o.PaidAt.IsZero()},
		{"ful.card_shipped", []any{o.Courier, o.Resi, e.localTime(o.ShippedAt)}, !o.ShippedAt.IsZero()},
		{"ful.card_completed", []any{e.localTime(o.CompletedAt)}, !o.CompletedAt.IsZero()},
		{"ful.card_refunded", []any{e.localTime(o.RefundedAt), o.RefundRef}, !o.RefundedAt.IsZero()},
	} {
		if s.show {
			b.WriteString(c.T(s.key, s.args...) + "\n")
		}
	}
	fmt.Fprintf(&b, "\n%s\n%s · %s\n%s", c.T("ful.card_to"), o.Name, localPhone(o.Phone), o.Address)
	if o.Notes != "" {
		fmt.Fprintf(&b, "\n%s: %s", c.T("checkout.notes"), o.Notes)
	}
	id := strconv.FormatInt(o.ID, 10)
	var opts []bot.Option
	switch o.Status {
	case lapak.OrderPaid:
		opts = append(opts, bot.Option{ID: "ful:ship:" + id, Label: c.T("ful.ship")})
	case lapak.OrderShipped:
		opts = append(opts, bot.Option{ID: "ful:done:" + id, Label: c.T("ful.complete")})
	}
	if refundable(o) {
		opts = append(opts, bot.Option{ID: "ful:refund:" + id, Label: c.T("ful.refund")})
	}
	return bot.Reply{Text: b.String(), Options: opts}
}

// soldBy says who sold the order: a reseller by name and code, or the store itself.
func (e *Engine) soldBy(c *Conv, o lapak.Order) string {
	if o.ResellerID == 0 || e.cfg.Customers == nil {
		return c.T("ful.sold_by_store")
	}
	r, err := e.cfg.Customers.ResellerByID(c.Ctx, o.ResellerID)
	if err != nil {
		return c.T("ful.sold_by_store")
	}
	return c.T("ful.sold_by", r.Name, r.Code)
}

// refundable reports whether an owner may cancel and refund the order: it was paid and not
// refunded yet.
func refundable(o lapak.Order) bool {
	return o.Status == lapak.OrderPaid || o.Status == lapak.OrderShipped || o.Status == lapak.OrderCompleted
}

// fulfilAction handles an owner's taps on orders: ful:card:<order> opens its card, ful:ship
// starts shipping it, ful:done marks it completed, ful:refund starts cancelling and refunding it.
// The role and the order's status are checked again: buttons can be old or forged.
func (e *Engine) fulfilAction(c *Conv, arg string) error {
	if e.cfg.Payments == nil {
		c.SayText("option.expired")
		return e.reask(c)
	}
	if c.User.Role != lapak.RoleOwner {
		return lapak.Errorf(lapak.KindForbidden, "error.forbidden")
	}
	what, idText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		c.SayText("option.expired")
		return e.reask(c)
	}
	o, err := e.cfg.Payments.Order(c.Ctx, id)
	if lapak.KindOf(err) == lapak.KindNotFound || errors.Is(err, lapak.ErrNotFound) {
		c.SayText("order.not_found")
		return e.reask(c)
	}
	if err != nil {
		return err
	}
	switch what {
	case "card":
		c.Say(e.orderCard(c, o))
		return nil
	case "ship":
		if o.Status != lapak.OrderPaid {
			return e.notNow(c, o)
		}
		return c.StartWith(flowShip, &shipping{OrderID: o.ID, Ref: o.Ref})
	case "done":
		return e.complete(c, o)
	case "refund":
		if !refundable(o) {
			return e.notNow(c, o)
		}
		return c.StartWith(flowRefund, &refunding{OrderID: o.ID, Ref: o.Ref})
	}
	c.SayText("option.expired")
	return e.reask(c)
}

// notNow tells an owner why the order's status does not allow what they tapped, and shows its card.
func (e *Engine) notNow(c *Conv, o lapak.Order) error {
	switch o.Status {
	case lapak.OrderShipped, lapak.OrderCompleted:
		c.SayText("ful.already_shipped", o.Ref, o.Courier, o.Resi)
	case lapak.OrderCancelled:
		if !o.RefundedAt.IsZero() {
			c.SayText("ful.already_refunded", o.Ref, o.RefundRef)
		} else {
			c.SayText("ful.cancelled", o.Ref)
		}
	default:
		c.SayText("ful.not_paid", o.Ref)
	}
	c.Say(e.orderCard(c, o))
	return nil
}

// complete marks a shipped order completed and says when the reseller's earnings are released.
func (e *Engine) complete(c *Conv, o lapak.Order) error {
	done, err := e.cfg.Payments.Complete(c.Ctx, o.ID)
	if sayDomain(c, err) {
		return e.reask(c)
	}
	if err != nil {
		return err
	}
	if done.ReleaseAt.IsZero() {
		c.SayText("ful.completed", done.Ref)
	} else {
		c.SayText("ful.completed_release", done.Ref, done.Earned(), e.localTime(done.ReleaseAt))
	}
	return e.nextToDo(c, lapak.OrderShipped)
}

// nextToDo shows the orders still in status after one was handled, or the menu when there are none.
func (e *Engine) nextToDo(c *Conv, status lapak.OrderStatus) error {
	left, err := e.cfg.Payments.Orders(c.Ctx, status, 1)
	if err != nil || len(left) == 0 {
		return e.menu(c)
	}
	return e.listOrders(c, status)
}

// sayDomain says a domain error's message (a double tap, a status that changed, a refused value)
// and reports whether it did; other errors are left to the caller.
func sayDomain(c *Conv, err error) bool {
	var le *lapak.Error
	if !errors.As(err, &le) || le.Kind == lapak.KindInternal || le.Kind == lapak.KindUnavailable {
		return false
	}
	c.SayText(le.Key, le.Args...)
	return true
}

// orderCommand opens an order's card for an owner: /pesanan LPK-7F3K2Q.
func (e *Engine) orderCommand(c *Conv, arg string) error {
	if e.cfg.Payments == nil || e.cfg.Orders == nil {
		c.SayText("ful.not_ready")
		return e.reask(c)
	}
	if c.User.Role != lapak.RoleOwner {
		c.SayText("ful.owners_only")
		return e.reask(c)
	}
	ref, ok := ParseOrderRef(arg)
	if !ok {
		c.SayText("ful.order_usage")
		return e.reask(c)
	}
	o, err := e.cfg.Orders.OrderByRef(c.Ctx, ref)
	if lapak.KindOf(err) == lapak.KindNotFound || errors.Is(err, lapak.ErrNotFound) {
		c.SayText("order.not_found")
		return e.reask(c)
	}
	if err != nil {
		return err
	}
	c.Say(e.orderCard(c, o))
	return nil
}

// shipping is an owner entering how a paid order was sent.
type shipping struct {
	OrderID int64  `json:"order_id"`
	Ref     string `json:"ref"`
	Courier string `json:"courier,omitempty"`
	Resi    string `json:"resi,omitempty"`
}

// shipFlow asks for the courier (a common one, or another typed), then the tracking number, then
// confirms; the customer is told when it is saved.
var shipFlow = &Flow[shipping]{
	Name: flowShip,
	Steps: []Step[shipping]{
		{Name: "courier", Ask: askCourier, Answer: answerCourier},
		{Name: "courier_name", Skip: func(_ *Conv, d *shipping) bool { return d.Courier != "" },
			Ask: func(c *Conv, _ *shipping) bot.Reply { return bot.Reply{Text: c.T("ful.ask_courier_name")} }, Answer: answerCourierName},
		{Name: "resi", Ask: askResi, Answer: answerResi},
		{Name: "confirm", Ask: askConfirmShip, Answer: answerConfirmShip},
	},
	Finish: ship,
}

func askCourier(c *Conv, d *shipping) bot.Reply {
	text := c.T("ful.ask_courier", d.Ref)
	if o, err := c.e.cfg.Payments.Order(c.Ctx, d.OrderID); err == nil {
		text = c.T("ful.ask_courier_for", d.Ref, o.Name, o.Address.City)
	}
	r := bot.Reply{Text: text}
	for i, name := range commonCouriers {
		r.Options = append(r.Options, bot.Option{ID: "cr:" + strconv.Itoa(i), Label: name})
	}
	r.Options = append(r.Options, bot.Option{ID: "cr:other", Label: c.T("ful.courier_other")})
	return r
}

func answerCourier(_ *Conv, d *shipping, in bot.Inbound) Result {
	if in.Kind == bot.KindOption && in.Option == "cr:other" {
		d.Courier = ""
		return Goto("courier_name")
	}
	if i, ok := optionIndex(in, "cr:", len(commonCouriers)); ok {
		d.Courier = commonCouriers[i]
		return Next()
	}
	return answerCourierName(nil, d, in)
}

func answerCourierName(_ *Conv, d *shipping, in bot.Inbound) Result {
	name, err := ParseCourier(in.Text)
	if in.Kind != bot.KindText || err != nil {
		return Retry("ful.bad_courier", maxCourier)
	}
	d.Courier = name
	return Next()
}

func askResi(c *Conv, d *shipping) bot.Reply {
	return bot.Reply{Text: c.T("ful.ask_resi", d.Courier, d.Ref)}
}

func answerResi(_ *Conv, d *shipping, in bot.Inbound) Result {
	resi, err := ParseResi(in.Text)
	if in.Kind != bot.KindText || err != nil {
		return Retry("ful.bad_resi", maxResi)
	}
	d.Resi = resi
	return Next()
}

func askConfirmShip(c *Conv, d *shipping) bot.Reply {
	return bot.Reply{Text: c.T("ful.confirm_ship", d.Ref, d.Courier, d.Resi), Options: []bot.Option{
		{ID: "yes", Label: c.T("ful.confirm_ship_yes")},
		{ID: "edit", Label: c.T("ful.edit")},
		{ID: "cancel", Label: c.T("product.cancel")},
	}}
}

func answerConfirmShip(_ *Conv, d *shipping, in bot.Inbound) Result {
	switch {
	case in.Kind == bot.KindOption && in.Option == "yes":
		return Done()
	case in.Kind == bot.KindOption && in.Option == "edit":
		d.Courier, d.Resi = "", ""
		return Goto("courier")
	case in.Kind == bot.KindOption && in.Option == "cancel":
		return Abort("ful.ship_cancelled")
	}
	return Retry("ful.confirm_tap")
}

// ship saves the shipment; the customer and the reseller are told in the same transaction.
func ship(c *Conv, d *shipping) error {
	e := c.e
	o, err := e.cfg.Payments.Ship(c.Ctx, d.OrderID, d.Courier, d.Resi)
	if sayDomain(c, err) {
		return e.menu(c)
	}
	if err != nil {
		return err
	}
	c.SayText("ful.shipped", o.Ref, o.Courier, o.Resi)
	return e.nextToDo(c, lapak.OrderPaid)
}

// refunding is an owner cancelling a paid order and recording the refund they transferred.
type refunding struct {
	OrderID     int64  `json:"order_id"`
	Ref         string `json:"ref"`
	Reason      string `json:"reason,omitempty"`
	TransferRef string `json:"transfer_ref,omitempty"`
}

// refundReasons are offered as the usual reasons to cancel a paid order.
var refundReasons = []string{"ful.reason_stock", "ful.reason_customer", "ful.reason_damaged"}

// refundFlow asks why, asks for the reference of the transfer back to the customer, then shows
// what will change and confirms.
var refundFlow = &Flow[refunding]{
	Name: flowRefund,
	Steps: []Step[refunding]{
		{Name: "reason", Ask: askRefundReason, Answer: answerRefundReason},
		{Name: "transfer", Ask: askTransferRef, Answer: answerTransferRef},
		{Name: "confirm", Ask: askConfirmRefund, Answer: answerConfirmRefund},
	},
	Finish: refund,
}

func askRefundReason(c *Conv, d *refunding) bot.Reply {
	r := bot.Reply{Text: c.T("ful.ask_reason", d.Ref)}
	for i, key := range refundReasons {
		r.Options = append(r.Options, bot.Option{ID: "rr:" + strconv.Itoa(i), Label: c.T(key)})
	}
	return r
}

func answerRefundReason(c *Conv, d *refunding, in bot.Inbound) Result {
	text := in.Text
	if i, ok := optionIndex(in, "rr:", len(refundReasons)); ok {
		text = c.T(refundReasons[i])
	} else if in.Kind != bot.KindText {
		return Retry("ful.bad_reason", maxRefundReason)
	}
	reason, err := ParseRefundReason(text)
	if err != nil {
		return Retry("ful.bad_reason", maxRefundReason)
	}
	d.Reason = reason
	return Next()
}

func askTransferRef(c *Conv, d *refunding) bot.Reply {
	o, err := c.e.cfg.Payments.Order(c.Ctx, d.OrderID)
	if err != nil {
		return bot.Reply{Text: c.T("ful.ask_transfer_ref_short", d.Ref)}
	}
	return bot.Reply{Text: c.T("ful.ask_transfer_ref", o.Total, o.Name, localPhone(o.Phone))}
}

func answerTransferRef(_ *Conv, d *refunding, in bot.Inbound) Result {
	ref, err := ParseRefundRef(in.Text)
	if in.Kind != bot.KindText || err != nil {
		return Retry("ful.bad_refund_ref", maxRefundRef)
	}
	d.TransferRef = ref
	return Next()
}

// askConfirmRefund shows what the refund changes: the money back to the customer, the reseller's
// earnings taken back (from pending, or from available once released), and the stock.
func askConfirmRefund(c *Conv, d *refunding) bot.Reply {
	opts := []bot.Option{{ID: "yes", Label: c.T("ful.confirm_refund_yes")}, {ID: "cancel", Label: c.T("product.cancel")}}
	o, err := c.e.cfg.Payments.Order(c.Ctx, d.OrderID)
	if err != nil {
		return bot.Reply{Text: c.T("ful.confirm_refund", d.Ref, "-", d.TransferRef, d.Reason), Options: opts}
	}
	lines := []string{c.T("ful.confirm_refund", o.Ref, o.Total, d.TransferRef, d.Reason)}
	switch {
	case o.Earned() > 0 && !o.ReleasedAt.IsZero():
		lines = append(lines, c.T("ful.effect_available", o.Earned()))
	case o.Earned() > 0:
		lines = append(lines, c.T("ful.effect_pending", o.Earned()))
	}
	if o.ShippedAt.IsZero() {
		lines = append(lines, c.T("ful.effect_stock"))
	}
	return bot.Reply{Text: strings.Join(lines, "\n"), Options: opts}
}

func answerConfirmRefund(_ *Conv, _ *refunding, in bot.Inbound) Result {
	switch {
	case in.Kind == bot.KindOption && in.Option == "yes":
		return Done()
	case in.Kind == bot.KindOption && in.Option == "cancel":
		return Abort("ful.refund_cancelled")
	}
	return Retry("ful.confirm_tap")
}

// refund cancels the order and records the refund; the reseller and the customer are told in the
// same transaction.
func refund(c *Conv, d *refunding) error {
	e := c.e
	o, err := e.cfg.Payments.Refund(c.Ctx, d.OrderID, d.Reason, d.TransferRef)
	if sayDomain(c, err) {
		return e.menu(c)
	}
	if err != nil {
		return err
	}
	c.SayText("ful.refunded", o.Ref, o.Total, o.RefundRef)
	return e.menu(c)
}
