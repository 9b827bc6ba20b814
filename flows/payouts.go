package flows

import (
	"context"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// Payouts pays resellers their available commission by bank transfer on the owner's schedule.
// Without it, payout commands answer that payouts aren't set up.
type Payouts interface {
	// PayoutChannels lists the banks (and e-wallets, when the owners allow them) resellers can
	// be paid to, the most used first.
	PayoutChannels(ctx context.Context) ([]lapak.PayoutChannel, error)
	// BankAccount returns the reseller's current account, or lapak.ErrNotFound.
	BankAccount(ctx context.Context, resellerID int64) (lapak.BankAccount, error)
	// SaveBankAccount checks and saves a (its Channel, Number and Holder as typed) as the
	// reseller's account; a change holds payouts for a day, which HoldUntil tells.
	SaveBankAccount(ctx context.Context, resellerID int64, a lapak.BankAccount) (lapak.BankAccount, error)

	PayoutSettings(ctx context.Context) (lapak.PayoutSettings, error)
	SavePayoutSettings(ctx context.Context, s lapak.PayoutSettings, ownerUserID int64) (lapak.PayoutSettings, error)
	// PayoutZone is the time zone of the payout schedule.
	PayoutZone(ctx context.Context) (*time.Location, error)

	// OpenPayoutBatches returns the batches owners must act on.
	OpenPayoutBatches(ctx context.Context) ([]lapak.PayoutBatch, error)
	// DecidePayoutBatch approves or rejects a batch's payouts awaiting approval; lapak.ErrDecided
	// when none was left.
	DecidePayoutBatch(ctx context.Context, batchID, ownerUserID int64, approve bool) (lapak.PayoutBatch, error)
	PayoutByID(ctx context.Context, payoutID int64) (lapak.Payout, error)
	// MarkPayoutPaid records an owner's own transfer of a manual payout with its reference.
	MarkPayoutPaid(ctx context.Context, payoutID, ownerUserID int64, reference string) (lapak.Payout, error)
	// CancelPayout gives a manual payout an owner will not transfer back to the reseller.
	CancelPayout(ctx context.Context, payoutID, ownerUserID int64) (lapak.Payout, error)

	// RequestEarlyPayout pays the reseller's available commission now, when owners allow it.
	RequestEarlyPayout(ctx context.Context, resellerID int64) (lapak.Payout, error)
	// PayoutOutlook says when the reseller is paid next, what is missing, and what is on its way.
	PayoutOutlook(ctx context.Context, resellerID int64) (lapak.PayoutOutlook, error)
	// Statement is the reseller's commission from from to to (exclusive).
	Statement(ctx context.Context, resellerID int64, from, to time.Time) (lapak.Statement, error)
}

// payoutMenu is the menu's payout options: the owners' settings, and the resellers' bank
// account, early withdrawal and statement. None without payouts.
func (e *Engine) payoutMenu(c *Conv) []bot.Option {
	if e.cfg.Payouts == nil {
		return nil
	}
	opt := func(id, key string) bot.Option { return bot.Option{ID: "m:" + id, Label: c.T(key)} }
	switch c.User.Role {
	case lapak.RoleOwner:
		return []bot.Option{opt("payouts", "payout.menu.settings")}
	case lapak.RoleReseller:
		return []bot.Option{opt("bank", "payout.menu.bank"), opt("withdraw", "payout.menu.withdraw"), opt("statement", "payout.menu.statement")}
	}
	return nil
}

// payoutChoice handles the menu's payout options, and reports false for any other.
func (e *Engine) payoutChoice(c *Conv, choice string) (bool, error) {
	if e.cfg.Payouts == nil {
		return false, nil
	}
	owner, reseller := c.User.Role == lapak.RoleOwner, c.User.Role == lapak.RoleReseller
	switch {
	case choice == "payouts" && owner:
		return true, e.payoutSettingsCmd(c, "")
	case choice == "bank" && reseller:
		return true, e.bankAccountCmd(c, "")
	case choice == "withdraw" && reseller:
		return true, e.withdrawCmd(c, "")
	case choice == "statement" && reseller:
		return true, e.statementCmd(c, "")
	}
	return false, nil
}
