package flows

import (
	"errors"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const (
	flowPayoutPaid = "payout_paid"
	flowWithdraw   = "withdraw"
	flowStatement  = "statement"
)

// registerPayouts adds the commands and actions of bank accounts, schedules and payouts.
func (e *Engine) registerPayouts() {
	e.addFlow(bankAccount)
	e.addFlow(payoutSettings)
	e.addFlow(payoutPaid)
	e.addFlow(earlyWithdraw)
	e.addFlow(payoutStatement)
	for _, name := range []string{"rekening", "bank"} {
		e.commands[name] = e.bankAccountCmd
	}
	for _, name := range []string{"tarik", "withdraw"} {
		e.commands[name] = e.withdrawCmd
	}
	for _, name := range []string{"riwayat", "statement"} {
		e.commands[name] = e.statementCmd
	}
	for _, name := range []string{"pencairan", "payouts"} {
		e.commands[name] = e.payoutSettingsCmd
	}
	e.actions[actionBatch] = e.decideBatch
	e.actions[actionPaid] = e.markPaid
	e.actions[actionCancelOut] = e.cancelManualPayout
}

// payoutsReady reports whether payouts are set up, and says they aren't when not.
func (e *Engine) payoutsReady(c *Conv) bool {
	if e.cfg.Payouts == nil {
		c.SayText("payout.not_setup")
		return false
	}
	return true
}

// payoutReseller returns the approved reseller writing, or says payouts are for resellers and
// reports false.
func (e *Engine) payoutReseller(c *Conv) (lapak.Reseller, bool, error) {
	if !e.payoutsReady(c) {
		return lapak.Reseller{}, false, nil
	}
	if c.User.Role != lapak.RoleReseller {
		c.SayText("payout.resellers_only")
		return lapak.Reseller{}, false, e.menu(c)
	}
	r, err := e.cfg.Resellers.ResellerByUser(c.Ctx, c.User.ID)
	if err != nil {
		return r, false, err
	}
	if r.Status != lapak.ResellerApproved {
		c.SayText("payout.resellers_only")
		return r, false, e.menu(c)
	}
	return r, true, nil
}

// payoutOwner checks an owner's tap on a payout card: the tapper must be an owner and the ID a
// number. It says why not and reports false otherwise.
func (e *Engine) payoutOwner(c *Conv, idText string) (int64, bool, error) {
	if c.User.Role != lapak.RoleOwner {
		return 0, false, lapak.Errorf(lapak.KindForbidden, "error.forbidden")
	}
	if !e.payoutsReady(c) {
		return 0, false, nil
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		c.SayText("option.expired")
		return 0, false, nil
	}
	return id, true, nil
}

// decideBatch handles an owner's tap on a batch card: pob:ok:<batch> or pob:no:<batch>.
func (e *Engine) decideBatch(c *Conv, arg string) error {
	verdict, idText, _ := strings.Cut(arg, ":")
	if verdict != "ok" && verdict != "no" {
		idText = ""
	}
	id, ok, err := e.payoutOwner(c, idText)
	if !ok || err != nil {
		return err
	}
	b, err := e.cfg.Payouts.DecidePayoutBatch(c.Ctx, id, c.User.ID, verdict == "ok")
	switch {
	case errors.Is(err, lapak.ErrDecided):
		c.SayText("payout.batch_already", id)
		return nil
	case errors.Is(err, lapak.ErrNotFound):
		c.SayText("option.expired")
		return nil
	case err != nil:
		return err
	case verdict == "no":
		c.SayText("payout.batch_rejected", id, len(b.Payouts), b.Total())
	default:
		c.SayText("payout.batch_approved."+string(b.Mode), id, len(b.Payouts), b.Total())
	}
	return nil
}

// paidDraft is a manual payout an owner is marking paid.
type paidDraft struct {
	PayoutID int64       `json:"payout_id"`
	Amount   lapak.Money `json:"amount"`
	Reseller string      `json:"reseller"`
}

// payoutPaid asks an owner for the reference of the transfer they made, then records it.
var payoutPaid = &Flow[paidDraft]{
	Name: flowPayoutPaid,
	Steps: []Step[paidDraft]{{
		Name: "reference",
		Ask: func(c *Conv, d *paidDraft) bot.Reply {
			return bot.Reply{Text: c.T("payout.ask_reference", d.Amount, d.Reseller)}
		},
		Answer: answerPaidReference,
	}},
}

// maxPayoutReference is the longest transfer reference kept.
const maxPayoutReference = 100

func answerPaidReference(c *Conv, d *paidDraft, in bot.Inbound) Result {
	ref := strings.Join(strings.Fields(in.Text), " ")
	if in.Kind != bot.KindText || len([]rune(ref)) < 3 || len([]rune(ref)) > maxPayoutReference || strings.HasPrefix(ref, "/") {
		return Retry("payout.bad_reference", maxPayoutReference)
	}
	p, err := c.e.cfg.Payouts.MarkPayoutPaid(c.Ctx, d.PayoutID, c.User.ID, ref)
	switch {
	case errors.Is(err, lapak.ErrDecided):
		return Abort("payout.already_done", p.ResellerName, c.T("payout.status."+string(p.Status)))
	case err != nil:
		return retryErr(c, err, "error.unavailable")
	}
	c.SayText("payout.marked_paid", p.Amount, p.ResellerName, ref)
	return Done()
}

// markPaid handles pop:<payout>: an owner transferred a manual payout and gives its reference.
func (e *Engine) markPaid(c *Conv, arg string) error {
	p, ok, err := e.manualPayout(c, arg)
	if !ok || err != nil {
		return err
	}
	return c.StartWith(flowPayoutPaid, &paidDraft{PayoutID: p.ID, Amount: p.Amount, Reseller: p.ResellerName})
}

// cancelManualPayout handles pox:<payout>: an owner will not transfer a manual payout.
func (e *Engine) cancelManualPayout(c *Conv, arg string) error {
	p, ok, err := e.manualPayout(c, arg)
	if !ok || err != nil {
		return err
	}
	p, err = e.cfg.Payouts.CancelPayout(c.Ctx, p.ID, c.User.ID)
	if errors.Is(err, lapak.ErrDecided) {
		c.SayText("payout.already_done", p.ResellerName, c.T("payout.status."+string(p.Status)))
		return nil
	}
	if err != nil {
		return err
	}
	c.SayText("payout.cancelled_manual", p.Amount, p.ResellerName)
	return nil
}

// manualPayout finds the manual payout an owner tapped, when it still waits for their transfer.
func (e *Engine) manualPayout(c *Conv, idText string) (lapak.Payout, bool, error) {
	id, ok, err := e.payoutOwner(c, idText)
	if !ok || err != nil {
		return lapak.Payout{}, false, err
	}
	p, err := e.cfg.Payouts.PayoutByID(c.Ctx, id)
	switch {
	case errors.Is(err, lapak.ErrNotFound) || err == nil && p.Mode != lapak.PayoutManual:
		c.SayText("option.expired")
		return p, false, nil
	case err != nil:
		return p, false, err
	case p.Status != lapak.PayoutApproved:
		c.SayText("payout.already_done", p.ResellerName, c.T("payout.status."+string(p.Status)))
		return p, false, nil
	}
	return p, true, nil
}

// showOpenPayouts shows an owner every batch still waiting for them, and the transfers to make.
func (e *Engine) showOpenPayouts(c *Conv) error {
	batches, err := e.cfg.Payouts.OpenPayoutBatches(c.Ctx)
	if err != nil {
		return err
	}
	if len(batches) == 0 {
		c.SayText("payout.none_open")
		return nil
	}
	loc, err := e.cfg.Payouts.PayoutZone(c.Ctx)
	if err != nil {
		return err
	}
	for _, b := range batches {
		c.out = append(c.out, PayoutBatchCard(c.User, b, loc))
		for _, p := range b.In(lapak.PayoutApproved) {
			c.out = append(c.out, ManualPayoutCard(c.User, p))
		}
	}
	return nil
}
