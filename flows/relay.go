package flows

import (
	"errors"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const (
	flowContact = "contact"
	flowReply   = "reply"
)

// relayDone reports whether a message ends a conversation with the other side.
func relayDone(in bot.Inbound) bool {
	if in.Kind == bot.KindOption && in.Option == "end" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(in.Text)) {
	case "selesai", "done", "stop":
		return true
	}
	return false
}

func endOption(c *Conv) []bot.Option { return []bot.Option{{ID: "end", Label: c.T("relay.end")}} }

// contact relays what a customer writes to their seller (the reseller who brought them, or the
// owners) until the customer ends it.
var contact = &Flow[struct{}]{
	Name: flowContact,
	Steps: []Step[struct{}]{{
		Name: "message",
		Ask: func(c *Conv, _ *struct{}) bot.Reply {
			return bot.Reply{Text: c.T("relay.ask_customer", c.e.sellerName(c)), Options: endOption(c)}
		},
		Answer: relayToSeller,
	}},
}

func relayToSeller(c *Conv, _ *struct{}, in bot.Inbound) Result {
	if relayDone(in) {
		return Abort("relay.ended")
	}
	if in.Kind != bot.KindText || strings.TrimSpace(in.Text) == "" {
		return Retry("relay.text_only")
	}
	sellers, err := c.e.sellersOf(c)
	if err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	phone, _ := lapak.ParsePhone(c.In.Chat.ChatID)
	who := c.User.Name
	if phone != "" {
		who += " (" + phone.Masked() + ")"
	}
	context := c.e.latestOrderRef(c)
	id := strconv.FormatInt(c.User.ID, 10)
	for _, s := range sellers {
		msg := To(s, "relay.to_seller", who, context, clip(in.Text, 1000))
		msg.Reply.Options = []bot.Option{{ID: "rl:" + id, Label: i18nFor(s, "relay.reply")}}
		c.out = append(c.out, msg)
	}
	c.SayText("relay.sent")
	return Stay()
}

// sellersOf are who a customer's messages go to: their reseller, or every owner.
func (e *Engine) sellersOf(c *Conv) ([]lapak.User, error) {
	r, ok, err := e.seller(c)
	if err != nil {
		return nil, err
	}
	if ok {
		u, err := e.cfg.Users.User(c.Ctx, r.UserID)
		return []lapak.User{u}, err
	}
	return e.cfg.Users.Owners(c.Ctx)
}

// latestOrderRef names the customer's latest order, for the seller's context, or "-".
func (e *Engine) latestOrderRef(c *Conv) string {
	orders, err := e.cfg.Orders.OrdersOf(c.Ctx, c.User.ID, 1)
	if err != nil || len(orders) == 0 {
		return "-"
	}
	return orders[0].Ref + " (" + orders[0].Total.String() + ")"
}

// replyTo is a seller answering one customer.
type replyTo struct {
	CustomerID int64 `json:"customer_id"`
}

// reply relays what a seller writes to a customer until the seller ends it.
var reply = &Flow[replyTo]{
	Name: flowReply,
	Steps: []Step[replyTo]{{
		Name: "message",
		Ask: func(c *Conv, d *replyTo) bot.Reply {
			u, _ := c.e.cfg.Users.User(c.Ctx, d.CustomerID)
			return bot.Reply{Text: c.T("relay.ask_seller", u.Name), Options: endOption(c)}
		},
		Answer: relayToCustomer,
	}},
}

func relayToCustomer(c *Conv, d *replyTo, in bot.Inbound) Result {
	if relayDone(in) {
		return Abort("relay.ended")
	}
	if in.Kind != bot.KindText || strings.TrimSpace(in.Text) == "" {
		return Retry("relay.text_only")
	}
	u, err := c.e.cfg.Users.User(c.Ctx, d.CustomerID)
	if err != nil {
		return Abort("error.not_found")
	}
	msg := To(u, "relay.to_customer", clip(in.Text, 1000))
	c.out = append(c.out, msg)
	c.SayText("relay.sent")
	return Stay()
}

// replyAction starts answering a customer: rl:<customer user ID>. Only the customer's reseller,
// or an owner, may answer.
func (e *Engine) replyAction(c *Conv, arg string) error {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || !e.shopReady() {
		c.SayText("option.expired")
		return e.reask(c)
	}
	if c.User.Role != lapak.RoleOwner {
		me, err := e.myReseller(c)
		if err != nil {
			return err
		}
		r, ok, err := e.cfg.Customers.CustomerReseller(c.Ctx, id, e.now())
		if err != nil {
			return err
		}
		if !ok || r.ID != me.ID {
			return lapak.Errorf(lapak.KindForbidden, "error.forbidden")
		}
	}
	if _, err := e.cfg.Users.User(c.Ctx, id); errors.Is(err, lapak.ErrNotFound) {
		c.SayText("option.expired")
		return e.reask(c)
	}
	return c.StartWith(flowReply, &replyTo{CustomerID: id})
}
