package payments

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/i18n"
	"github.com/lapak-id/lapak/payments/xendit"
)

// PayoutStore keeps bank accounts, the payout schedule, payouts and their ledger moves. Methods
// that take a notify callback call it with what they loaded in their transaction and enqueue the
// messages it returns in that transaction; callbacks do no I/O.
type PayoutStore interface {
	PayoutSettings(ctx context.Context) (lapak.PayoutSettings, error)
	// SavePayoutSettings checks and saves s; when the schedule changed, scheduled times before
	// now are not run.
	SavePayoutSettings(ctx context.Context, s lapak.PayoutSettings, ownerUserID int64) (lapak.PayoutSettings, error)

	// BankAccount returns the reseller's current account, or lapak.ErrNotFound.
	BankAccount(ctx context.Context, resellerID int64) (lapak.BankAccount, error)
	// SaveBankAccount makes a the reseller's account. An account replacing another holds
	// payouts for hold; saving the current account again changes nothing and notifies no one.
	SaveBankAccount(ctx context.Context, a lapak.BankAccount, hold time.Duration, notify AccountNotify) (lapak.BankAccount, bool, error)

	// RunPayouts makes the batch for run.Slot, or for run.Reseller's early withdrawal: a payout
	// and a ledger move to in transit for each reseller due. It reports false, and makes nothing,
	// when the slot's batch exists already.
	RunPayouts(ctx context.Context, run lapak.PayoutRun, notify BatchNotify) (lapak.PayoutBatch, bool, error)
	// DecidePayoutBatch approves or rejects the batch's payouts still awaiting approval; the
	// returned batch holds those. lapak.ErrDecided when none was left.
	DecidePayoutBatch(ctx context.Context, batchID, ownerUserID int64, approve bool, notify BatchNotify) (lapak.PayoutBatch, error)
	// MovePayout applies c and reports whether the payout's status changed. A payout not found
	// is lapak.ErrNotFound.
	MovePayout(ctx context.Context, c PayoutChange, notify PayoutNotify) (lapak.Payout, bool, error)
	// StartSending marks an approved Xendit payout as being sent, and reports false when it is
	// past that (accepted, paid, failed…) and must not be sent.
	StartSending(ctx context.Context, payoutID int64) (lapak.Payout, bool, error)

	PayoutByID(ctx context.Context, payoutID int64) (lapak.Payout, error)
	// StuckPayouts returns Xendit payouts approved, being sent or accepted that have not changed
	// since before, oldest first.
	StuckPayouts(ctx context.Context, before time.Time, limit int) ([]lapak.Payout, error)
	// OpenPayoutBatches returns the batches with payouts an owner must act on: awaiting approval,
	// or approved and to be transferred by hand.
	OpenPayoutBatches(ctx context.Context) ([]lapak.PayoutBatch, error)
	// PayoutTotals returns what the reseller has in open payouts and was paid since monthStart.
	PayoutTotals(ctx context.Context, resellerID int64, monthStart time.Time) (inProcess, paid lapak.Money, err error)
	// Statement returns the reseller's commission from from to to, with at most lines movements.
	Statement(ctx context.Context, resellerID int64, from, to time.Time, lines int) (lapak.Statement, error)
	ResellerBalance(ctx context.Context, resellerID int64) (lapak.Balance, error)
}

// Recipients are the people a payout event concerns, read in the transaction that records it.
type Recipients struct {
	Owners []lapak.User
	Payees map[int64]lapak.User // the users of the payouts' resellers, by reseller ID
	Names  map[int64]string     // the resellers' registered names, by reseller ID
}

// Notification callbacks of the payout store.
type (
	// BatchNotify says what to tell about a batch made or decided.
	BatchNotify func(b lapak.PayoutBatch, to Recipients) []bot.Outbound
	// PayoutNotify says what to tell about a payout that moved from one status to another.
	PayoutNotify func(p lapak.Payout, from lapak.PayoutStatus, to Recipients) []bot.Outbound
	// AccountNotify says what to tell about a saved account; replaced is the reseller's account
	// before, zero when they had none.
	AccountNotify func(saved, replaced lapak.BankAccount, to Recipients) []bot.Outbound
)

// PayoutChange is news about a payout: from Xendit (the answer to a create call, a callback, a
// reconciliation) or from an owner who transferred it by hand.
type PayoutChange struct {
	PayoutID int64  // the payout, or
	Key      string // its key (Xendit's reference_id)
	// To is the status to move to; empty records XenditID and XenditStatus only.
	To           lapak.PayoutStatus
	XenditID     string
	XenditStatus string
	Amount       lapak.Money // the amount Xendit reports; 0 when not from Xendit
	FailureCode  string
	// InvalidAccount marks the account as not to be paid again until it changes.
	InvalidAccount bool
	Reference      string // the transfer reference, for a payout paid
	By             int64  // the owner, for a manual change
	// Callback is the body of the callback the change came in, kept for audit; nil otherwise.
	Callback []byte
}

// payoutHold is how long a changed bank account holds payouts.
const payoutHold = 24 * time.Hour

var _ flows.Payouts = (*Service)(nil)

// errNoPayouts says the service was made without a payout store.
var errNoPayouts = errors.New("payouts are not configured")

// payouts returns the payout store, or an error when there is none.
func (s *Service) payouts() (PayoutStore, error) {
	if s.cfg.Payouts == nil {
		return nil, errNoPayouts
	}
	return s.cfg.Payouts, nil
}

// zone is the store's payout time zone: the schedule's, or the service's when it is unknown.
func (s *Service) zone(set lapak.PayoutSettings) *time.Location {
	if loc, err := time.LoadLocation(set.Schedule.Zone); err == nil && set.Schedule.Zone != "" {
		return loc
	}
	return s.cfg.Location
}

// PayoutSettings returns the store's payout settings.
func (s *Service) PayoutSettings(ctx context.Context) (lapak.PayoutSettings, error) {
	st, err := s.payouts()
	if err != nil {
		return lapak.PayoutSettings{}, err
	}
	return st.PayoutSettings(ctx)
}

// SavePayoutSettings saves an owner's payout settings, refusing a time zone Lapak does not know.
func (s *Service) SavePayoutSettings(ctx context.Context, set lapak.PayoutSettings, ownerUserID int64) (lapak.PayoutSettings, error) {
	st, err := s.payouts()
	if err != nil {
		return set, err
	}
	if _, err := time.LoadLocation(set.Schedule.Zone); err != nil || set.Schedule.Zone == "" {
		return set, lapak.Errorf(lapak.KindInvalid, "payout.bad_zone")
	}
	return st.SavePayoutSettings(ctx, set, ownerUserID)
}

// PayoutByID returns a payout.
func (s *Service) PayoutByID(ctx context.Context, payoutID int64) (lapak.Payout, error) {
	st, err := s.payouts()
	if err != nil {
		return lapak.Payout{}, err
	}
	return st.PayoutByID(ctx, payoutID)
}

// OpenPayoutBatches returns the batches owners must act on.
func (s *Service) OpenPayoutBatches(ctx context.Context) ([]lapak.PayoutBatch, error) {
	st, err := s.payouts()
	if err != nil {
		return nil, err
	}
	return st.OpenPayoutBatches(ctx)
}

// RunPayouts runs the payout schedule: when the latest scheduled time has come and has no batch
// yet, it makes one with a payout for each reseller due. Several instances may run it at once;
// one batch is made. It reports how many payouts this call made.
func (s *Service) RunPayouts(ctx context.Context) (int, error) {
	st, err := s.payouts()
	if err != nil {
		return 0, err
	}
	set, err := st.PayoutSettings(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	slot := set.Schedule.Last(now, s.zone(set))
	if !set.Enabled || slot.IsZero() || slot.Before(set.ScheduledFrom) {
		return 0, nil
	}
	b, made, err := st.RunPayouts(ctx, lapak.PayoutRun{Slot: slot, Settings: set, Now: now}, s.batchMade(ctx))
	if err != nil {
		return 0, fmt.Errorf("payout run for %s: %w", slot.Format(time.RFC3339), err)
	}
	if !made {
		return 0, nil
	}
	s.cfg.Logger.Info("payout run", "slot", slot, "payouts", len(b.Payouts), "total", int64(b.Total()))
	return len(b.Payouts), nil
}

// RequestEarlyPayout makes a payout of the reseller's available earnings now, when the owners
// allow early withdrawals and the reseller would be paid on a run.
func (s *Service) RequestEarlyPayout(ctx context.Context, resellerID int64) (lapak.Payout, error) {
	st, err := s.payouts()
	if err != nil {
		return lapak.Payout{}, err
	}
	o, err := s.PayoutOutlook(ctx, resellerID)
	if err != nil {
		return lapak.Payout{}, err
	}
	if !o.EarlyAllowed {
		return lapak.Payout{}, lapak.Errorf(lapak.KindForbidden, "payout.early_off")
	}
	// The outlook is about the next scheduled time; an early withdrawal is paid now.
	if o.Block == lapak.BlockNoSchedule || o.Block == lapak.BlockHeld || o.Block == lapak.BlockNone {
		o.Block = lapak.BlockNone
		if o.Account.Held(s.now()) {
			o.Block = lapak.BlockHeld
		}
	}
	set, err := st.PayoutSettings(ctx)
	if err != nil {
		return lapak.Payout{}, err
	}
	if o.Block != lapak.BlockNone {
		return lapak.Payout{}, earlyRefusal(o, s.zone(set))
	}
	b, _, err := st.RunPayouts(ctx, lapak.PayoutRun{Reseller: resellerID, Settings: set, Now: s.now()}, s.batchMade(ctx))
	if err != nil {
		return lapak.Payout{}, err
	}
	if len(b.Payouts) != 1 {
		return lapak.Payout{}, lapak.Errorf(lapak.KindConflict, "payout.early_not_due")
	}
	return b.Payouts[0], nil
}

// earlyRefusal is the refusal of an early withdrawal for the reason the outlook gives.
func earlyRefusal(o lapak.PayoutOutlook, loc *time.Location) error {
	switch o.Block {
	case lapak.BlockNoAccount:
		return lapak.Errorf(lapak.KindConflict, "payout.block.no_account")
	case lapak.BlockHeld:
		return lapak.Errorf(lapak.KindConflict, "payout.early_held", flows.PayoutTime(o.Account.HoldUntil, loc))
	case lapak.BlockInvalid:
		return lapak.Errorf(lapak.KindConflict, "payout.block.invalid")
	case lapak.BlockNegative:
		return lapak.Errorf(lapak.KindConflict, "payout.block.negative")
	}
	return lapak.Errorf(lapak.KindConflict, "payout.early_under_minimum", o.Minimum, o.Needed)
}

// DecidePayoutBatch approves or rejects a batch's payouts still awaiting approval. Approved
// Xendit payouts are sent by jobs; approved manual ones wait for an owner's transfer. Rejected
// ones go back to the resellers' available earnings, and the resellers are told.
func (s *Service) DecidePayoutBatch(ctx context.Context, batchID, ownerUserID int64, approve bool) (lapak.PayoutBatch, error) {
	st, err := s.payouts()
	if err != nil {
		return lapak.PayoutBatch{}, err
	}
	return st.DecidePayoutBatch(ctx, batchID, ownerUserID, approve, func(b lapak.PayoutBatch, to Recipients) []bot.Outbound {
		return batchDecided(b, ownerUserID, approve, to)
	})
}

// MarkPayoutPaid records that an owner transferred a manual payout, with the transfer's
// reference; the reseller is told.
func (s *Service) MarkPayoutPaid(ctx context.Context, payoutID, ownerUserID int64, reference string) (lapak.Payout, error) {
	return s.manualMove(ctx, PayoutChange{PayoutID: payoutID, To: lapak.PayoutPaid, Reference: reference, By: ownerUserID})
}

// CancelPayout gives an approved manual payout back to the reseller's available earnings, when
// an owner will not transfer it after all.
func (s *Service) CancelPayout(ctx context.Context, payoutID, ownerUserID int64) (lapak.Payout, error) {
	return s.manualMove(ctx, PayoutChange{PayoutID: payoutID, To: lapak.PayoutFailed, FailureCode: failureCancelledByOwner, By: ownerUserID})
}

// manualMove applies an owner's change to a manual payout still waiting for their transfer.
func (s *Service) manualMove(ctx context.Context, c PayoutChange) (lapak.Payout, error) {
	st, err := s.payouts()
	if err != nil {
		return lapak.Payout{}, err
	}
	p, err := st.PayoutByID(ctx, c.PayoutID)
	if err != nil {
		return p, err
	}
	if p.Mode != lapak.PayoutManual {
		return p, lapak.Errorf(lapak.KindConflict, "payout.not_manual")
	}
	if p.Status != lapak.PayoutApproved {
		return p, lapak.ErrDecided
	}
	p, moved, err := st.MovePayout(ctx, c, s.payoutMoved)
	if err == nil && !moved {
		err = lapak.ErrDecided
	}
	return p, err
}

// PayoutOutlook tells a reseller when they will next be paid and how much is on its way.
func (s *Service) PayoutOutlook(ctx context.Context, resellerID int64) (lapak.PayoutOutlook, error) {
	st, err := s.payouts()
	if err != nil {
		return lapak.PayoutOutlook{}, err
	}
	set, err := st.PayoutSettings(ctx)
	if err != nil {
		return lapak.PayoutOutlook{}, err
	}
	bal, err := st.ResellerBalance(ctx, resellerID)
	if err != nil {
		return lapak.PayoutOutlook{}, err
	}
	acct, err := st.BankAccount(ctx, resellerID)
	if err != nil && !errors.Is(err, lapak.ErrNotFound) {
		return lapak.PayoutOutlook{}, err
	}
	now, loc := s.now(), s.zone(set)
	y, m, _ := now.In(loc).Date()
	inProcess, paid, err := st.PayoutTotals(ctx, resellerID, time.Date(y, m, 1, 0, 0, 0, 0, loc))
	if err != nil {
		return lapak.PayoutOutlook{}, err
	}
	o := lapak.PayoutOutlook{
		Minimum: set.Minimum, Available: bal.Available, Needed: max(set.Minimum-bal.Available, 0),
		InProcess: inProcess, PaidThisMonth: paid, Account: acct, EarlyAllowed: set.AllowEarly,
	}
	if set.Enabled {
		o.Next = set.Schedule.Next(now, loc)
	}
	o.Block = payoutBlock(set, bal, acct, o.Next)
	return o, nil
}

// payoutBlock says why a reseller with bal and acct would not be paid at next.
func payoutBlock(set lapak.PayoutSettings, bal lapak.Balance, acct lapak.BankAccount, next time.Time) lapak.PayoutBlock {
	switch {
	case acct.ID == 0:
		return lapak.BlockNoAccount
	case acct.Invalid != "":
		return lapak.BlockInvalid
	case bal.Available < 0:
		return lapak.BlockNegative
	case bal.Available < set.Minimum:
		return lapak.BlockUnderMinimum
	case !set.Enabled:
		return lapak.BlockNoSchedule
	case acct.Held(next):
		return lapak.BlockHeld
	}
	return lapak.BlockNone
}

// Statement returns a reseller's commission statement from from to to (exclusive).
func (s *Service) Statement(ctx context.Context, resellerID int64, from, to time.Time) (lapak.Statement, error) {
	st, err := s.payouts()
	if err != nil {
		return lapak.Statement{}, err
	}
	return st.Statement(ctx, resellerID, from, to, payoutStatementLines)
}

// payoutStatementLines is how many movements a statement lists.
const payoutStatementLines = 15

// PayoutZone is the time zone payout times are in: the store's schedule's.
func (s *Service) PayoutZone(ctx context.Context) (*time.Location, error) {
	set, err := s.PayoutSettings(ctx)
	if err != nil {
		return s.cfg.Location, err
	}
	return s.zone(set), nil
}

// PayoutChannels lists the banks, and the e-wallets when owners allow them, that Xendit pays out
// to: the ones resellers use most first, then the rest by name. Xendit's list is authoritative;
// when Xendit cannot be asked, Lapak's own list of the most used ones stands in.
func (s *Service) PayoutChannels(ctx context.Context) ([]lapak.PayoutChannel, error) {
	set, err := s.PayoutSettings(ctx)
	if err != nil {
		return nil, err
	}
	popular := lapak.PopularPayoutChannels(set.AllowEwallets)
	if s.cfg.Xendit == nil {
		return popular, nil
	}
	list, err := s.cfg.Xendit.PayoutChannels(ctx, "IDR")
	if err != nil {
		s.cfg.Logger.Warn("payout channels from Xendit unavailable; offering Lapak's own list", "err", err)
		return popular, nil
	}
	known := map[string]lapak.PayoutChannel{}
	for _, ch := range list {
		wallet := ch.ChannelCategory == xendit.ChannelEwallet
		if ch.ChannelCategory == xendit.ChannelBank || wallet && set.AllowEwallets {
			known[ch.ChannelCode] = lapak.MakePayoutChannel(ch.ChannelCode, ch.ChannelName, wallet)
		}
	}
	var out []lapak.PayoutChannel
	for _, ch := range popular {
		if _, ok := known[ch.Code]; ok {
			out = append(out, ch)
			delete(known, ch.Code)
		}
	}
	rest := slices.SortedFunc(maps.Values(known), func(a, b lapak.PayoutChannel) int { return strings.Compare(a.Name, b.Name) })
	return append(out, rest...), nil
}

// BankAccount returns the reseller's current bank account, or lapak.ErrNotFound.
func (s *Service) BankAccount(ctx context.Context, resellerID int64) (lapak.BankAccount, error) {
	st, err := s.payouts()
	if err != nil {
		return lapak.BankAccount{}, err
	}
	return st.BankAccount(ctx, resellerID)
}

// SaveBankAccount checks a as a reseller typed it (a channel Xendit pays to, an account number
// of the channel's length, a holder's name) and saves it. A changed account holds payouts for 24
// hours, and the owners are told of the change with the new holder's name.
func (s *Service) SaveBankAccount(ctx context.Context, resellerID int64, a lapak.BankAccount) (lapak.BankAccount, error) {
	st, err := s.payouts()
	if err != nil {
		return a, err
	}
	channels, err := s.PayoutChannels(ctx)
	if err != nil {
		return a, err
	}
	i := slices.IndexFunc(channels, func(ch lapak.PayoutChannel) bool { return ch.Code == a.Channel })
	if i < 0 {
		return a, lapak.Errorf(lapak.KindInvalid, "payout.bank_unknown")
	}
	ch := channels[i]
	number, err := ch.AccountNumber(a.Number)
	if err != nil {
		return a, err
	}
	holder, err := lapak.HolderName(a.Holder)
	if err != nil {
		return a, err
	}
	loc, err := s.PayoutZone(ctx)
	if err != nil {
		return a, err
	}
	acct := lapak.BankAccount{ResellerID: resellerID, Channel: ch.Code, ChannelName: ch.Name, Number: number, Holder: holder}
	saved, _, err := st.SaveBankAccount(ctx, acct, payoutHold, func(saved, old lapak.BankAccount, to Recipients) []bot.Outbound {
		return accountChanged(saved, old, to, loc)
	})
	return saved, err
}

// accountChanged tells the owners that a reseller replaced their account, with the new holder's
// name, since a changed account is where fraud would show.
func accountChanged(saved, old lapak.BankAccount, to Recipients, loc *time.Location) []bot.Outbound {
	if old.ID == 0 {
		return nil
	}
	out := make([]bot.Outbound, 0, len(to.Owners))
	for _, o := range to.Owners {
		out = append(out, flows.To(o, "payout.account_changed_owner", to.Names[saved.ResellerID], old.Masked(), saved.ChannelName, saved.Number, saved.Holder,
			flows.PayoutTime(saved.HoldUntil, loc)))
	}
	return out
}

// batchMade tells the owners about a batch just made (with approve and reject buttons, and the
// transfers to make by hand in manual mode) and each reseller about their payout.
func (s *Service) batchMade(ctx context.Context) BatchNotify {
	loc, err := s.PayoutZone(ctx)
	if err != nil {
		loc = s.cfg.Location
	}
	return func(b lapak.PayoutBatch, to Recipients) []bot.Outbound {
		if len(b.Payouts) == 0 {
			return nil
		}
		var out []bot.Outbound
		for _, o := range to.Owners {
			out = append(out, flows.PayoutBatchCard(o, b, loc))
			out = append(out, manualCards(o, b)...)
		}
		for _, p := range b.Payouts {
			key := "payout.made_waiting"
			if p.Status == lapak.PayoutApproved {
				key = "payout.made_" + string(p.Mode)
			}
			out = tellPayee(out, to.Payees, p.ResellerID, key, p.Amount, p.Account.Masked())
		}
		return out
	}
}

// manualCards are owner's transfer cards for b's approved manual payouts.
func manualCards(owner lapak.User, b lapak.PayoutBatch) []bot.Outbound {
	var out []bot.Outbound
	for _, p := range b.In(lapak.PayoutApproved) {
		if p.Mode == lapak.PayoutManual {
			out = append(out, flows.ManualPayoutCard(owner, p))
		}
	}
	return out
}

// tellPayee appends a message to a reseller, when their user is known.
func tellPayee(out []bot.Outbound, payees map[int64]lapak.User, resellerID int64, key string, args ...any) []bot.Outbound {
	if u, ok := payees[resellerID]; ok {
		out = append(out, flows.To(u, key, args...))
	}
	return out
}

// batchDecided tells each reseller what became of their payout and the other owners who decided;
// in manual mode every owner gets the transfers to make.
func batchDecided(b lapak.PayoutBatch, ownerUserID int64, approve bool, to Recipients) []bot.Outbound {
	var out []bot.Outbound
	var decider string
	for _, o := range to.Owners {
		if o.ID == ownerUserID {
			decider = o.Name
		}
	}
	verdict := "payout.batch_rejected_by"
	if approve {
		verdict = "payout.batch_approved_by"
	}
	for _, o := range to.Owners {
		if o.ID != ownerUserID {
			out = append(out, flows.To(o, verdict, decider, b.ID, len(b.Payouts), b.Total()))
		}
		if approve {
			out = append(out, manualCards(o, b)...)
		}
	}
	for _, p := range b.Payouts {
		key := "payout.rejected"
		if approve {
			key = "payout.approved_" + string(p.Mode)
		}
		out = tellPayee(out, to.Payees, p.ResellerID, key, p.Amount, p.Account.Masked())
	}
	return out
}

// Lapak's own failure codes, beside Xendit's.
const (
	failureCancelledByOwner = "CANCELLED_BY_OWNER"
	failureCancelled        = "CANCELLED" // Xendit's status, used as the code of a cancelled payout
)

// payoutMoved tells the reseller, and the owners when they must know, that a payout was paid,
// failed or came back.
func (s *Service) payoutMoved(p lapak.Payout, from lapak.PayoutStatus, to Recipients) []bot.Outbound {
	var out []bot.Outbound
	owners := func(key string, args ...any) {
		for _, o := range to.Owners {
			out = append(out, flows.To(o, key, args...))
		}
	}
	switch p.Status {
	case lapak.PayoutPaid:
		out = tellPayee(out, to.Payees, p.ResellerID, "payout.paid", p.Amount, p.Account.Masked(), p.Reference)
	case lapak.PayoutFailed:
		if p.FailureCode == failureCancelledByOwner {
			return tellPayee(out, to.Payees, p.ResellerID, "payout.cancelled_by_owner", p.Amount)
		}
		out = tellPayee(out, to.Payees, p.ResellerID, "payout.failed", p.Amount, p.Account.Masked(), failureReason(to.Payees[p.ResellerID], p.FailureCode))
		owners("payout.failed_owner", p.Amount, p.ResellerName, p.Account.Masked(), p.FailureCode)
		if p.FailureCode == xendit.FailureInsufficientBalance {
			owners("payout.top_up")
		}
	case lapak.PayoutReversed:
		out = tellPayee(out, to.Payees, p.ResellerID, "payout.reversed", p.Amount, p.Account.Masked())
		owners("payout.reversed_owner", p.Amount, p.ResellerName, p.Account.Masked(), p.Reference)
	}
	return out
}

// failureReason is why a payout failed and how to fix it, in u's language.
func failureReason(u lapak.User, code string) string {
	key := "payout.why." + code
	if !i18n.Has(key) {
		key = "payout.why.other"
	}
	return i18n.T(u.Lang, key)
}
