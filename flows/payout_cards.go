package flows

import (
	"strconv"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/i18n"
)

// Actions on payout cards. Their IDs carry a batch or payout ID; the actions check, when tapped,
// that the tapper is an owner and the payout is still waiting.
const (
	actionBatch     = "pob" // pob:ok:<batch> approves a batch, pob:no:<batch> rejects it
	actionPaid      = "pop" // pop:<payout> marks a manual payout paid, asking for the reference
	actionCancelOut = "pox" // pox:<payout> cancels a manual payout: the money goes back
)

// PayoutTime shows t in loc as Indonesians write it: 28/11 14.05 WIB.
func PayoutTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("02/01 15.04 MST")
}

// PayoutBatchCard shows owner a batch of payouts: each reseller, amount, bank account and holder
// name, with buttons to approve or reject those awaiting approval. Times are in loc.
func PayoutBatchCard(owner lapak.User, b lapak.PayoutBatch, loc *time.Location) bot.Outbound {
	t := func(key string, args ...any) string { return i18n.T(owner.Lang, key, args...) }
	when := t("payout.batch_early")
	if !b.Slot.IsZero() {
		when = PayoutTime(b.Slot, loc)
	}
	var lines []string
	for _, p := range b.Payouts {
		line := t("payout.batch_line", p.ResellerName, p.Amount, accountName(p.Account), p.Account.Number, p.Account.Holder)
		if p.Status != lapak.PayoutAwaitingApproval {
			line += " " + t("payout.batch_line_status."+string(p.Status))
		}
		lines = append(lines, line)
	}
	text := t("payout.batch", b.ID, when, len(b.Payouts), b.Total(), strings.Join(lines, "\n"))
	r := bot.Reply{Text: text}
	if waiting := b.In(lapak.PayoutAwaitingApproval); len(waiting) > 0 {
		id := strconv.FormatInt(b.ID, 10)
		r.Text += "\n\n" + t("payout.batch_ask."+string(b.Mode))
		r.Options = []bot.Option{
			{ID: actionBatch + ":ok:" + id, Label: t("payout.approve_all", len(waiting))},
			{ID: actionBatch + ":no:" + id, Label: t("payout.reject_all")},
		}
	}
	return bot.Outbound{To: Address(owner), Reply: r}
}

// ManualPayoutCard asks owner to transfer p from their own bank and then mark it paid.
func ManualPayoutCard(owner lapak.User, p lapak.Payout) bot.Outbound {
	id := strconv.FormatInt(p.ID, 10)
	return bot.Outbound{To: Address(owner), Reply: bot.Reply{
		Text: i18n.T(owner.Lang, "payout.manual_card", p.Amount, p.ResellerName, accountName(p.Account), p.Account.Number, p.Account.Holder, p.Key),
		Options: []bot.Option{
			{ID: actionPaid + ":" + id, Label: i18n.T(owner.Lang, "payout.mark_paid")},
			{ID: actionCancelOut + ":" + id, Label: i18n.T(owner.Lang, "payout.cancel_manual")},
		},
	}}
}

// accountName is the bank's or e-wallet's name.
func accountName(a lapak.BankAccount) string {
	if a.ChannelName != "" {
		return a.ChannelName
	}
	return strings.TrimPrefix(a.Channel, "ID_")
}

// PayoutOutlookText says, in lang, when a reseller is paid next and what stands in the way: the
// payout lines of /saldo. Times are in loc, the payout schedule's zone.
func PayoutOutlookText(lang lapak.Lang, o lapak.PayoutOutlook, loc *time.Location) string {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	var lines []string
	if !o.Next.IsZero() {
		lines = append(lines, t("payout.outlook_next", PayoutTime(o.Next, loc)))
	}
	if o.InProcess > 0 {
		lines = append(lines, t("payout.outlook_in_process", o.InProcess))
	}
	lines = append(lines, t("payout.outlook_paid_month", o.PaidThisMonth))
	switch o.Block {
	case lapak.BlockNone:
	case lapak.BlockHeld:
		lines = append(lines, t("payout.block.held", PayoutTime(o.Account.HoldUntil, loc)))
	case lapak.BlockUnderMinimum:
		lines = append(lines, t("payout.block.under_minimum", o.Needed, o.Minimum))
	default:
		lines = append(lines, t("payout.block."+string(o.Block)))
	}
	return strings.Join(lines, "\n")
}
