package flows

import (
	"errors"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// withdrawal is a reseller's early withdrawal, waiting for them to confirm it.
type withdrawal struct {
	ResellerID int64       `json:"reseller_id"`
	Amount     lapak.Money `json:"amount"`
	Account    string      `json:"account"`
}

// earlyWithdraw confirms an early withdrawal of everything available, then asks for it.
var earlyWithdraw = &Flow[withdrawal]{
	Name: flowWithdraw,
	Steps: []Step[withdrawal]{{
		Name: "confirm",
		Ask: func(c *Conv, d *withdrawal) bot.Reply {
			return bot.Reply{Text: c.T("payout.confirm_withdraw", d.Amount, d.Account), Options: []bot.Option{
				{ID: "yes", Label: c.T("payout.withdraw_yes")},
				{ID: "no", Label: c.T("payout.withdraw_no")},
			}}
		},
		Answer: answerEarlyWithdraw,
	}},
}

func answerEarlyWithdraw(c *Conv, d *withdrawal, in bot.Inbound) Result {
	switch {
	case in.Kind == bot.KindOption && in.Option == "no":
		return Abort("cmd.cancelled")
	case in.Kind != bot.KindOption || in.Option != "yes":
		return Retry("payout.confirm_tap")
	}
	p, err := c.e.cfg.Payouts.RequestEarlyPayout(c.Ctx, d.ResellerID)
	var e *lapak.Error
	switch {
	case errors.As(err, &e) && e.Kind != lapak.KindInternal && e.Kind != lapak.KindUnavailable:
		return Abort(e.Key, e.Args...)
	case err != nil:
		return retryErr(c, err, "error.unavailable")
	case p.Status == lapak.PayoutAwaitingApproval:
		c.SayText("payout.withdraw_waiting", p.Amount, p.Account.Masked())
	default:
		c.SayText("payout.withdraw_sent", p.Amount, p.Account.Masked())
	}
	return Done()
}

// withdrawCmd handles /tarik: a reseller asks to be paid now, when owners allow it.
func (e *Engine) withdrawCmd(c *Conv, _ string) error {
	r, ok, err := e.payoutReseller(c)
	if !ok || err != nil {
		return err
	}
	o, err := e.cfg.Payouts.PayoutOutlook(c.Ctx, r.ID)
	if err != nil {
		return err
	}
	switch {
	case !o.EarlyAllowed:
		c.SayText("payout.early_off")
		return nil
	case o.Account.ID == 0:
		c.SayText("payout.block.no_account")
		return nil
	case o.Available < o.Minimum:
		c.SayText("payout.early_under_minimum", o.Minimum, o.Needed)
		return nil
	}
	return c.StartWith(flowWithdraw, &withdrawal{ResellerID: r.ID, Amount: o.Available, Account: o.Account.Masked()})
}
