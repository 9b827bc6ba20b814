package flows

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const flowBankAccount = "bank_account"

// accountDraft is the bank account a reseller is typing in.
type accountDraft struct {
	ResellerID int64               `json:"reseller_id"`
	Current    string              `json:"current,omitempty"` // the account it replaces, masked
	Channel    lapak.PayoutChannel `json:"channel"`
	Matches    []string            `json:"matches,omitempty"` // channel codes found by a typed name
	Number     string              `json:"number,omitempty"`
	Holder     string              `json:"holder,omitempty"`
}

// bankAccount asks a reseller where to be paid: the bank or e-wallet, the account number, the
// holder's name as the bank has it, then shows it to confirm. Nothing is saved before that.
var bankAccount = &Flow[accountDraft]{
	Name: flowBankAccount,
	Steps: []Step[accountDraft]{
		{Name: "bank", Ask: askBank, Answer: answerBank},
		{Name: "number", Ask: askAccountNumber, Answer: answerAccountNumber},
		{Name: "holder", Ask: askHolder, Answer: answerHolder},
		{Name: "confirm", Ask: askConfirmAccount, Answer: answerConfirmAccount},
	},
}

// maxBankOptions is how many banks are offered as buttons; others are typed.
const maxBankOptions = 10

// bankAccountCmd starts /rekening for an approved reseller.
func (e *Engine) bankAccountCmd(c *Conv, _ string) error {
	r, ok, err := e.payoutReseller(c)
	if !ok || err != nil {
		return err
	}
	d := &accountDraft{ResellerID: r.ID}
	current, err := e.cfg.Payouts.BankAccount(c.Ctx, r.ID)
	switch {
	case err == nil:
		d.Current = current.Masked() + " a.n. " + current.Holder
		c.SayText("payout.account_current", d.Current)
		if current.Invalid != "" {
			c.SayText("payout.account_invalid", current.Masked())
		}
	case !errors.Is(err, lapak.ErrNotFound):
		return err
	}
	return c.StartWith(flowBankAccount, d)
}

func askBank(c *Conv, d *accountDraft) bot.Reply {
	channels, _ := c.e.cfg.Payouts.PayoutChannels(c.Ctx)
	r := bot.Reply{Text: c.T("payout.ask_bank")}
	for _, ch := range channels {
		if len(r.Options) == maxBankOptions {
			break
		}
		if len(d.Matches) == 0 || slices.Contains(d.Matches, ch.Code) {
			r.Options = append(r.Options, bot.Option{ID: "bk:" + ch.Code, Label: ch.Name})
		}
	}
	if len(d.Matches) > 0 {
		r.Text = c.T("payout.ask_bank_matches")
	}
	return r
}

func answerBank(c *Conv, d *accountDraft, in bot.Inbound) Result {
	channels, err := c.e.cfg.Payouts.PayoutChannels(c.Ctx)
	if err != nil {
		return retryErr(c, err, "payout.bank_unknown")
	}
	d.Matches = nil
	if code, ok := strings.CutPrefix(in.Option, "bk:"); ok && in.Kind == bot.KindOption {
		for _, ch := range channels {
			if ch.Code == code {
				d.Channel = ch
				return Next()
			}
		}
		return Retry("payout.bank_unknown")
	}
	found := findPayoutChannels(channels, in.Text)
	switch {
	case in.Kind != bot.KindText || len(found) == 0:
		return Retry("payout.bank_unknown")
	case len(found) == 1:
		d.Channel = found[0]
		return Next()
	}
	for _, ch := range found {
		d.Matches = append(d.Matches, ch.Code)
	}
	return Goto("bank")
}

// findPayoutChannels finds the channels a reseller means by what they typed: a code (ID_BCA, bca), a
// name or part of one (mandiri, "bank jago"). An exact name or code wins over partial matches.
func findPayoutChannels(channels []lapak.PayoutChannel, typed string) []lapak.PayoutChannel {
	q := strings.ToLower(strings.Join(strings.Fields(typed), " "))
	q = strings.TrimPrefix(strings.TrimPrefix(q, "bank "), "id_")
	if len([]rune(q)) < 2 {
		return nil
	}
	var exact, partial []lapak.PayoutChannel
	for _, ch := range channels {
		code := strings.ToLower(strings.TrimPrefix(ch.Code, "ID_"))
		name := strings.ToLower(ch.Name)
		switch {
		case q == code || q == name || "bank "+q == name:
			exact = append(exact, ch)
		case strings.Contains(name, q) || strings.Contains(code, strings.ReplaceAll(q, " ", "_")):
			partial = append(partial, ch)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return partial
}

func askAccountNumber(c *Conv, d *accountDraft) bot.Reply {
	if d.Channel.Ewallet {
		return bot.Reply{Text: c.T("payout.ask_wallet_number", d.Channel.Name)}
	}
	return bot.Reply{Text: c.T("payout.ask_number", d.Channel.Name, d.Channel.Digits())}
}

func answerAccountNumber(_ *Conv, d *accountDraft, in bot.Inbound) Result {
	if in.Kind != bot.KindText {
		return Retry("payout.number_digits_only")
	}
	n, err := d.Channel.AccountNumber(in.Text)
	var e *lapak.Error
	if errors.As(err, &e) {
		return Retry(e.Key, e.Args...)
	}
	d.Number = n
	return Next()
}

func askHolder(c *Conv, d *accountDraft) bot.Reply {
	return bot.Reply{Text: c.T("payout.ask_holder", d.Channel.Name)}
}

func answerHolder(_ *Conv, d *accountDraft, in bot.Inbound) Result {
	if in.Kind != bot.KindText {
		return Retry("payout.holder_empty")
	}
	name, err := lapak.HolderName(in.Text)
	var e *lapak.Error
	if errors.As(err, &e) {
		return Retry(e.Key, e.Args...)
	}
	d.Holder = name
	return Next()
}

func askConfirmAccount(c *Conv, d *accountDraft) bot.Reply {
	text := c.T("payout.confirm_account", d.Channel.Name, d.Number, d.Holder)
	if d.Current != "" {
		text += "\n\n" + c.T("payout.confirm_change", d.Current)
	}
	return bot.Reply{Text: text, Options: []bot.Option{
		{ID: "save", Label: c.T("payout.save_account")},
		{ID: "edit", Label: c.T("payout.edit_account")},
	}}
}

func answerConfirmAccount(c *Conv, d *accountDraft, in bot.Inbound) Result {
	switch {
	case in.Kind == bot.KindOption && in.Option == "edit":
		return Goto("bank")
	case in.Kind != bot.KindOption || in.Option != "save":
		return Retry("payout.confirm_tap")
	}
	saved, err := c.e.cfg.Payouts.SaveBankAccount(c.Ctx, d.ResellerID, lapak.BankAccount{Channel: d.Channel.Code, Number: d.Number, Holder: d.Holder})
	var e *lapak.Error
	switch {
	case errors.As(err, &e) && e.Kind != lapak.KindInternal && e.Kind != lapak.KindUnavailable:
		return Abort(e.Key, e.Args...)
	case err != nil:
		return retryErr(c, err, "error.unavailable")
	case saved.Held(c.e.now()):
		loc, _ := c.e.cfg.Payouts.PayoutZone(c.Ctx)
		c.SayText("payout.account_saved_held", saved.Masked(), saved.Holder, PayoutTime(saved.HoldUntil, payoutLocation(loc, c.e.cfg.Location)))
	default:
		c.SayText("payout.account_saved", saved.Masked(), saved.Holder)
	}
	return Done()
}

// payoutLocation is loc, or fallback when loc is nil.
func payoutLocation(loc, fallback *time.Location) *time.Location {
	if loc == nil {
		return fallback
	}
	return loc
}
