package flows

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const flowCheckout = "checkout"

// checkoutForm is what checkout asks: who, where, how it ships.
type checkoutForm struct {
	Key       string        `json:"key"` // places one order however often "confirm" is tapped
	Name      string        `json:"name,omitempty"`
	Phone     lapak.Phone   `json:"phone,omitempty"`
	Known     lapak.Phone   `json:"known,omitempty"` // the number the chat came from, offered
	Address   lapak.Address `json:"address"`
	Notes     string        `json:"notes,omitempty"`
	NotesDone bool          `json:"notes_done,omitempty"`
	Zones     []int64       `json:"zones,omitempty"` // offered, by option index
	ZoneID    int64         `json:"zone_id,omitempty"`
	ZoneDone  bool          `json:"zone_done,omitempty"`
}

// checkout asks for the name, the phone (offering the WhatsApp number), the address piece by
// piece, notes and the shipping zone, then shows the order to confirm.
var checkout = &Flow[checkoutForm]{
	Name: flowCheckout,
	Steps: []Step[checkoutForm]{
		{Name: "name", Ask: askText("checkout.ask_name"), Answer: answerField(func(d *checkoutForm, s string) { d.Name = s }, 60, "checkout.bad_name")},
		{Name: "phone", Ask: askPhone, Answer: answerPhone},
		{Name: "street", Ask: askText("checkout.ask_street"), Answer: answerField(func(d *checkoutForm, s string) { d.Address.Street = s }, 200, "checkout.bad_street")},
		{Name: "kelurahan", Ask: askText("checkout.ask_kelurahan"), Answer: answerField(func(d *checkoutForm, s string) { d.Address.Kelurahan = s }, 60, "checkout.bad_area")},
		{Name: "kecamatan", Ask: askText("checkout.ask_kecamatan"), Answer: answerField(func(d *checkoutForm, s string) { d.Address.Kecamatan = s }, 60, "checkout.bad_area")},
		{Name: "city", Ask: askText("checkout.ask_city"), Answer: answerField(func(d *checkoutForm, s string) { d.Address.City = s }, 60, "checkout.bad_area")},
		{Name: "postal", Ask: askText("checkout.ask_postal"), Answer: answerPostal},
		{Name: "notes", Ask: askNotes, Answer: answerNotes},
		{Name: "zone", Skip: noZones, Ask: askZone, Answer: answerZone},
		{Name: "confirm", Ask: askConfirmOrder, Answer: answerConfirmOrder},
	},
	Finish: placeOrder,
}

func askText(key string) func(*Conv, *checkoutForm) bot.Reply {
	return func(c *Conv, _ *checkoutForm) bot.Reply { return bot.Reply{Text: c.T(key)} }
}

// answerField takes a text of 2 to max characters with at least two letters or digits.
func answerField(set func(*checkoutForm, string), max int, bad string) func(*Conv, *checkoutForm, bot.Inbound) Result {
	return func(_ *Conv, d *checkoutForm, in bot.Inbound) Result {
		s := strings.Join(strings.Fields(in.Text), " ")
		n := len([]rune(s))
		if in.Kind != bot.KindText || n < 2 || n > max || strings.HasPrefix(s, "/") || !hasAlnum(s, 2) {
			return Retry(bad, max)
		}
		set(d, s)
		return Next()
	}
}

// hasAlnum reports whether s has at least n letters or digits.
func hasAlnum(s string, n int) bool {
	k := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			k++
		}
	}
	return k >= n
}

func askPhone(c *Conv, d *checkoutForm) bot.Reply {
	r := bot.Reply{Text: c.T("checkout.ask_phone")}
	if d.Known != "" {
		r.Options = []bot.Option{{ID: "known", Label: c.T("checkout.use_phone", localPhone(d.Known))}}
	}
	return r
}

// localPhone writes +6281234567890 as Indonesians do: 081234567890.
func localPhone(p lapak.Phone) string { return "0" + strings.TrimPrefix(string(p), "+62") }

func answerPhone(_ *Conv, d *checkoutForm, in bot.Inbound) Result {
	if in.Kind == bot.KindOption && in.Option == "known" && d.Known != "" {
		d.Phone = d.Known
		return Next()
	}
	p, ok := lapak.ParsePhone(in.Text)
	if !ok || in.Kind != bot.KindText {
		return Retry("onboard.bad_phone")
	}
	d.Phone = p
	return Next()
}

func answerPostal(_ *Conv, d *checkoutForm, in bot.Inbound) Result {
	s := strings.TrimSpace(in.Text)
	if _, err := strconv.Atoi(s); err != nil || len(s) != 5 || in.Kind != bot.KindText {
		return Retry("checkout.bad_postal")
	}
	d.Address.PostalCode = s
	return Next()
}

func askNotes(c *Conv, _ *checkoutForm) bot.Reply {
	return bot.Reply{Text: c.T("checkout.ask_notes"), Options: []bot.Option{{ID: "skip", Label: c.T("product.skip")}}}
}

func answerNotes(_ *Conv, d *checkoutForm, in bot.Inbound) Result {
	d.NotesDone = true
	if skipped(in) {
		return Next()
	}
	s := strings.TrimSpace(in.Text)
	if in.Kind != bot.KindText || len([]rune(s)) > 300 {
		return Retry("checkout.bad_notes", 300)
	}
	d.Notes = s
	return Next()
}

func noZones(c *Conv, d *checkoutForm) bool {
	if d.ZoneDone {
		return true
	}
	zones, err := c.e.cfg.Orders.ShippingZones(c.Ctx)
	return err == nil && len(zones) == 0
}

func askZone(c *Conv, d *checkoutForm) bot.Reply {
	zones, _ := c.e.cfg.Orders.ShippingZones(c.Ctx)
	r := bot.Reply{Text: c.T("checkout.ask_zone")}
	d.Zones = d.Zones[:0]
	for i, z := range zones {
		if i == 10 {
			break
		}
		d.Zones = append(d.Zones, z.ID)
		r.Options = append(r.Options, bot.Option{ID: "z:" + strconv.Itoa(i), Label: fmt.Sprintf("%s (%s)", z.Name, z.Fee)})
	}
	return r
}

func answerZone(_ *Conv, d *checkoutForm, in bot.Inbound) Result {
	i, ok := optionIndex(in, "z:", len(d.Zones))
	if !ok {
		return Retry("checkout.choose_zone")
	}
	d.ZoneID, d.ZoneDone = d.Zones[i], true
	return Next()
}

func askConfirmOrder(c *Conv, d *checkoutForm) bot.Reply {
	cart, _ := c.e.cfg.Carts.Cart(c.Ctx, cartKey(c))
	lines, total, err := c.e.priceCart(c, cart)
	if err != nil || len(lines) == 0 {
		return bot.Reply{Text: c.T("shop.cart_empty")}
	}
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "• %s × %d = %s\n", l.Name, l.Qty, l.Price*lapak.Money(l.Qty))
	}
	fee := lapak.Money(0)
	zones, _ := c.e.cfg.Orders.ShippingZones(c.Ctx)
	for _, z := range zones {
		if z.ID == d.ZoneID {
			fee = z.Fee
			fmt.Fprintf(&b, "%s\n", c.T("checkout.shipping", z.Name, z.Fee))
		}
	}
	fmt.Fprintf(&b, "%s\n\n%s\n%s\n%s", c.T("checkout.total", total+fee), d.Name, localPhone(d.Phone), d.Address)
	if d.Notes != "" {
		fmt.Fprintf(&b, "\n%s: %s", c.T("checkout.notes"), d.Notes)
	}
	text := c.T("checkout.confirm", b.String())
	if ref := c.e.similarUnpaid(c, cart); ref != "" {
		text += "\n\n" + c.T("checkout.similar_unpaid", ref)
	}
	return bot.Reply{Text: text, Options: []bot.Option{
		{ID: "order", Label: c.T("checkout.place")},
		{ID: "cancel", Label: c.T("product.cancel")},
	}}
}

// similarUnpaid returns the reference of an unpaid order of this customer with the same items, or "".
func (e *Engine) similarUnpaid(c *Conv, cart lapak.Cart) string {
	orders, err := e.cfg.Orders.OrdersOf(c.Ctx, c.User.ID, 5)
	if err != nil {
		return ""
	}
	want := itemKeys(cart.Items)
	for _, o := range orders {
		if o.Status != lapak.OrderPending {
			continue
		}
		var have []string
		for _, it := range o.Items {
			have = append(have, fmt.Sprintf("%d/%d", it.ProductID, it.VariantID))
		}
		slices.Sort(have)
		if slices.Equal(have, want) {
			return o.Ref
		}
	}
	return ""
}

func itemKeys(items []lapak.CartItem) []string {
	var keys []string
	for _, it := range items {
		keys = append(keys, fmt.Sprintf("%d/%d", it.ProductID, it.VariantID))
	}
	slices.Sort(keys)
	return keys
}

func answerConfirmOrder(_ *Conv, _ *checkoutForm, in bot.Inbound) Result {
	switch {
	case in.Kind == bot.KindOption && in.Option == "order":
		return Done()
	case in.Kind == bot.KindOption && in.Option == "cancel":
		return Abort("checkout.cancelled")
	}
	return Retry("checkout.confirm_tap")
}

// startCheckout begins checkout when the cart has something in it.
func (e *Engine) startCheckout(c *Conv) error {
	cart, err := e.cfg.Carts.Cart(c.Ctx, cartKey(c))
	if err != nil {
		return err
	}
	if len(cart.Items) == 0 {
		return e.showCart(c)
	}
	b := make([]byte, 8)
	rand.Read(b)
	d := &checkoutForm{Key: "checkout:" + hex.EncodeToString(b)}
	if c.In.Chat.Channel == lapak.WhatsApp {
		d.Known, _ = lapak.ParsePhone(c.In.Chat.ChatID)
	}
	return c.StartWith(flowCheckout, d)
}

// placeOrder places the order, empties the cart and tells the customer; the reseller and the
// owners are told in the same transaction as the order.
func placeOrder(c *Conv, d *checkoutForm) error {
	e := c.e
	cart, err := e.cfg.Carts.Cart(c.Ctx, cartKey(c))
	if err != nil {
		return err
	}
	r, hasReseller, err := e.seller(c)
	if err != nil {
		return err
	}
	o := lapak.NewOrder{
		Key: d.Key, CustomerUserID: c.User.ID, Items: cart.Items, ZoneID: d.ZoneID,
		Name: d.Name, Phone: d.Phone, Address: d.Address, Notes: d.Notes, ExpiresAt: e.now().Add(e.cfg.ReservationTTL),
	}
	if hasReseller {
		o.ResellerID = r.ID
	}
	placed, err := e.cfg.Orders.PlaceOrder(c.Ctx, o, func(placed lapak.Order) []bot.Outbound {
		return e.orderNotices(c, placed, r, hasReseller)
	})
	if lapak.KindOf(err) == lapak.KindConflict || lapak.KindOf(err) == lapak.KindInvalid {
		var le *lapak.Error
		if errors.As(err, &le) {
			c.SayText(le.Key, le.Args...)
		}
		return e.showCart(c)
	}
	if err != nil {
		return err
	}
	if err := e.cfg.Carts.SaveCart(c.Ctx, cartKey(c), lapak.Cart{}); err != nil {
		e.cfg.Logger.Warn("empty cart after order", "chat", c.In.Chat.Masked(), "err", err)
	}
	c.SayText("checkout.placed", placed.Ref, placed.Total, e.localTime(placed.ExpiresAt))
	return e.customerMenu(c)
}

// orderNotices tell the reseller who brought the order and every owner.
func (e *Engine) orderNotices(c *Conv, o lapak.Order, r lapak.Reseller, hasReseller bool) []bot.Outbound {
	var out []bot.Outbound
	items := 0
	var earned lapak.Money
	for _, it := range o.Items {
		items += it.Qty
		earned += it.Earnings.Reseller
	}
	if hasReseller {
		if u, err := e.cfg.Users.User(c.Ctx, r.UserID); err == nil {
			out = append(out, To(u, "order.reseller_notice", o.Ref, o.Name, items, o.Total, earned))
		}
	}
	via := "-"
	if hasReseller {
		via = r.Code
	}
	owners, err := e.cfg.Users.Owners(c.Ctx)
	if err != nil {
		e.cfg.Logger.Warn("list owners for an order notice", "order", o.Ref, "err", err)
	}
	for _, u := range owners {
		out = append(out, To(u, "order.owner_notice", o.Ref, via, o.Name, items, o.Total, o.Address.City))
	}
	return out
}

// showOrders lists the customer's recent orders.
func (e *Engine) showOrders(c *Conv) error {
	orders, err := e.cfg.Orders.OrdersOf(c.Ctx, c.User.ID, 5)
	if err != nil {
		return err
	}
	if len(orders) == 0 {
		c.SayText("shop.no_orders")
		return e.customerMenu(c)
	}
	var b strings.Builder
	b.WriteString(c.T("shop.orders_title") + "\n")
	for _, o := range orders {
		fmt.Fprintf(&b, "• %s · %s · %s · %s%s\n", o.Ref, e.localTime(o.CreatedAt), o.Total, c.T("order.status."+string(o.Status)), trackingNote(o))
	}
	c.Say(bot.Reply{Text: c.T("shop.orders_list", strings.TrimRight(b.String(), "\n")), Options: e.orderOptions(c, orders)})
	return e.customerMenu(c)
}
