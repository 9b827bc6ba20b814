package flows

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// balance shows a reseller where their commission stands: /saldo.
func (e *Engine) balance(c *Conv, _ string) error {
	r, ok, err := e.earningReseller(c)
	if !ok || err != nil {
		return err
	}
	b, err := e.cfg.Payments.Balance(c.Ctx, r.ID)
	if err != nil {
		return err
	}
	lines := []string{c.T("earn.balance", b.Pending, b.Available, b.Paid)}
	if b.InTransit != 0 {
		lines = append(lines, c.T("earn.in_transit", b.InTransit))
	}
	if b.Available < 0 {
		lines = append(lines, c.T("earn.negative"))
	}
	if e.cfg.Payouts != nil {
		o, err := e.cfg.Payouts.PayoutOutlook(c.Ctx, r.ID)
		if err != nil {
			return err
		}
		loc, err := e.cfg.Payouts.PayoutZone(c.Ctx)
		if err != nil {
			return err
		}
		if text := PayoutOutlookText(c.Lang(), o, loc); text != "" {
			lines = append(lines, "", text)
		}
	}
	lines = append(lines, "", c.T("earn.balance_help"))
	c.Say(bot.Reply{Text: strings.Join(lines, "\n")})
	return nil
}

// earningReseller returns the approved reseller behind the chat, and false when there is none or
// payments are not set up, having said so.
func (e *Engine) earningReseller(c *Conv) (lapak.Reseller, bool, error) {
	if e.cfg.Payments == nil {
		c.SayText("earn.not_ready")
		return lapak.Reseller{}, false, e.reask(c)
	}
	if c.User.Role != lapak.RoleReseller {
		c.SayText("earn.resellers_only")
		return lapak.Reseller{}, false, e.reask(c)
	}
	r, err := e.cfg.Resellers.ResellerByUser(c.Ctx, c.User.ID)
	if errors.Is(err, lapak.ErrNotFound) || err == nil && r.Status != lapak.ResellerApproved {
		c.SayText("earn.resellers_only")
		return lapak.Reseller{}, false, e.reask(c)
	}
	return r, err == nil, err
}

// why explains a reseller's commission on one of their orders, line by line: /why LPK-7F3K2Q.
func (e *Engine) why(c *Conv, arg string) error {
	r, ok, err := e.earningReseller(c)
	if !ok || err != nil {
		return err
	}
	if strings.TrimSpace(arg) == "" {
		c.SayText("earn.why_usage")
		return nil
	}
	w, err := e.cfg.Payments.Why(c.Ctx, r.ID, arg)
	if sayDomain(c, err) {
		return nil
	}
	if err != nil {
		return err
	}
	c.Say(bot.Reply{Text: e.whyText(c, w)})
	return nil
}

// whyText is the explanation: each line's base price, the reseller's price, the commission rule
// and its rounding, and what the line earned; then the total and when it is (or was) available.
func (e *Engine) whyText(c *Conv, w lapak.Why) string {
	o := w.Order
	var b strings.Builder
	b.WriteString(c.T("earn.why_title", o.Ref, c.T("order.status."+string(o.Status))) + "\n")
	for i, it := range o.Items {
		ea := it.Earnings
		fmt.Fprintf(&b, "\n%d. %s × %d\n", i+1, it.Name, it.Qty)
		b.WriteString(c.T("earn.why_prices", ea.Base, ea.Price, ea.PerItem.Markup) + "\n")
		b.WriteString(c.T("earn.why_commission", ruleText(c, ea.Rule), ea.PerItem.Commission, roundingText(c, ea.Rounding)) + "\n")
		b.WriteString(c.T("earn.why_line", ea.PerItem.Markup, ea.PerItem.Commission, ea.PerItem.Reseller, it.Qty, ea.Reseller) + "\n")
	}
	b.WriteString("\n" + c.T("earn.why_total", o.Earned()) + "\n")
	b.WriteString(e.releaseText(c, w))
	return b.String()
}

// releaseText says where the order's earnings stand: taken back, available since, available at,
// or waiting for the order.
func (e *Engine) releaseText(c *Conv, w lapak.Why) string {
	o := w.Order
	switch {
	case w.Reversed && w.Released:
		return c.T("earn.why_reversed_available", e.localTime(o.RefundedAt))
	case w.Reversed:
		return c.T("earn.why_reversed", e.localTime(o.RefundedAt))
	case w.Released:
		return c.T("earn.why_released", e.localTime(o.ReleasedAt))
	case !w.ReleaseAt.IsZero():
		return c.T("earn.why_release_at", e.localTime(w.ReleaseAt))
	case o.Status == lapak.OrderPending:
		return c.T("earn.why_unpaid")
	case o.Status == lapak.OrderExpired || o.Status == lapak.OrderCancelled:
		return c.T("earn.why_void")
	}
	return c.T("earn.why_waiting")
}

// ruleText writes a commission rule as a reseller reads it: 10% of the base price, Rp5.000 an
// item, or none.
func ruleText(c *Conv, r lapak.CommissionRule) string {
	switch {
	case r.Percent > 0:
		return c.T("earn.rule_percent", r.Percent.String())
	case r.Fixed > 0:
		return c.T("earn.rule_fixed", r.Fixed)
	}
	return c.T("earn.rule_none")
}

// roundingText says how a commission was rounded.
func roundingText(c *Conv, rounding string) string {
	switch rounding {
	case lapak.RoundingDown:
		return c.T("earn.rounding_down")
	case lapak.RoundingCapped:
		return c.T("earn.rounding_capped")
	}
	return c.T("earn.rounding_exact")
}
