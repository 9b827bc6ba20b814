package lapak

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// PayoutMode is how payouts reach resellers' banks.
type PayoutMode string

// Payout modes.
const (
	PayoutViaXendit PayoutMode = "xendit" // Lapak sends each approved payout through Xendit Payouts
	PayoutManual    PayoutMode = "manual" // an owner transfers it and marks it paid with a reference
)

// PayoutFrequency is how often the store pays.
type PayoutFrequency string

// Payout frequencies.
const (
	PayDaily   PayoutFrequency = "daily"
	PayWeekly  PayoutFrequency = "weekly"
	PayMonthly PayoutFrequency = "monthly"
)

// Payout amounts. Xendit takes bank payouts from Rp10.000.
const (
	MinPayout            Money = 10_000
	DefaultPayoutMinimum Money = 50_000
)

// PayoutSchedule is when the store pays: every day, every week on Weekday, or every month on Day
// (the month's last day when it is shorter), at Minute past midnight in the store's time zone.
type PayoutSchedule struct {
	Frequency PayoutFrequency
	Weekday   time.Weekday
	Day       int    // 1 to 31, for monthly
	Minute    int    // 0 to 1439
	Zone      string // an IANA zone: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)
}

// maxScheduleDays bounds the search for a scheduled day: a monthly day comes within 62 days.
const maxScheduleDays = 62

// Last returns the latest scheduled time at or before t, in loc; zero when the schedule is invalid.
func (s PayoutSchedule) Last(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	for d := 0; d <= maxScheduleDays; d++ {
		if at, ok := s.on(local.AddDate(0, 0, -d), loc); ok && !at.After(t) {
			return at
		}
	}
	return time.Time{}
}

// Next returns the first scheduled time after t, in loc; zero when the schedule is invalid.
func (s PayoutSchedule) Next(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	for d := 0; d <= maxScheduleDays; d++ {
		if at, ok := s.on(local.AddDate(0, 0, d), loc); ok && at.After(t) {
			return at
		}
	}
	return time.Time{}
}

// on returns the scheduled time on day's date, and false when the schedule does not pay that day.
func (s PayoutSchedule) on(day time.Time, loc *time.Location) (time.Time, bool) {
	y, m, d := day.Date()
	switch s.Frequency {
	case PayDaily:
	case PayWeekly:
		if day.Weekday() != s.Weekday {
			return time.Time{}, false
		}
	case PayMonthly:
		last := time.Date(y, m+1, 0, 12, 0, 0, 0, loc).Day()
		if d != min(s.Day, last) {
			return time.Time{}, false
		}
	default:
		return time.Time{}, false
	}
	return time.Date(y, m, d, s.Minute/60, s.Minute%60, 0, 0, loc), true
}

// Check reports what is wrong with s as a *Error of KindInvalid.
func (s PayoutSchedule) Check() error {
	switch {
	case s.Frequency != PayDaily && s.Frequency != PayWeekly && s.Frequency != PayMonthly:
		return Errorf(KindInvalid, "payout.bad_frequency")
	case s.Weekday < time.Sunday || s.Weekday > time.Saturday:
		return Errorf(KindInvalid, "payout.bad_weekday")
	case s.Day < 1 || s.Day > 31:
		return Errorf(KindInvalid, "payout.bad_day")
	case s.Minute < 0 || s.Minute >= 24*60:
		return Errorf(KindInvalid, "payout.bad_time")
	case s.Zone == "":
		return Errorf(KindInvalid, "payout.bad_zone")
	}
	return nil
}

// PayoutSettings is how the store pays its resellers. Owners share one store, so there is one.
type PayoutSettings struct {
	// Enabled is set once an owner saves a schedule; until then nothing is paid on a schedule.
	Enabled  bool
	Schedule PayoutSchedule
	// Minimum is the least a reseller must have available to be paid. Default Rp50.000.
	Minimum Money
	// AutoApproveBelow: payouts under it go without an owner's approval. Zero: all need one.
	AutoApproveBelow Money
	Mode             PayoutMode
	AllowEarly       bool // resellers may ask for an early withdrawal (/tarik)
	AllowEwallets    bool // resellers may be paid to an e-wallet
	// ScheduledFrom is when the schedule last changed: scheduled times before it are not run.
	ScheduledFrom time.Time
	UpdatedAt     time.Time
}

// DefaultPayoutSettings is a store's settings before an owner changes them: weekly on Friday at
// 10.00 WIB, from Rp50.000, every payout approved, through Xendit, not yet enabled.
func DefaultPayoutSettings() PayoutSettings {
	return PayoutSettings{
		Schedule: PayoutSchedule{Frequency: PayWeekly, Weekday: time.Friday, Day: 1, Minute: 10 * 60, Zone: "Asia/Jakarta"},
		Minimum:  DefaultPayoutMinimum,
		Mode:     PayoutViaXendit,
	}
}

// Check reports what is wrong with s as a *Error of KindInvalid.
func (s PayoutSettings) Check() error {
	if err := s.Schedule.Check(); err != nil {
		return err
	}
	switch {
	case s.Minimum < MinPayout || s.Minimum > MaxPrice:
		return Errorf(KindInvalid, "payout.minimum_low", MinPayout)
	case s.AutoApproveBelow < 0 || s.AutoApproveBelow > MaxPrice:
		return Errorf(KindInvalid, "payout.bad_auto")
	case s.Mode != PayoutViaXendit && s.Mode != PayoutManual:
		return Errorf(KindInvalid, "payout.bad_mode")
	}
	return nil
}

// NeedsApproval reports whether a payout of amount waits for an owner.
func (s PayoutSettings) NeedsApproval(amount Money) bool { return amount >= s.AutoApproveBelow }

// PayoutChannel is a bank or e-wallet that takes payouts, by Xendit's channel code, and the
// length its account numbers have.
type PayoutChannel struct {
	Code      string // Xendit's channel code, such as ID_BCA
	Name      string // as resellers know it: BCA, Mandiri, DANA
	Ewallet   bool   // an e-wallet, paid to the owner's mobile number
	MinDigits int
	MaxDigits int
}

// Account-number lengths of banks Lapak has no rule for, and of e-wallets (a mobile number, 08…).
const (
	anyBankMinDigits = 6
	anyBankMaxDigits = 20
	walletMinDigits  = 10
	walletMaxDigits  = 13
)

// payoutChannels are the channels resellers use most, in the order they are offered, with their
// account-number lengths. Lengths follow Xendit's Indonesian payout coverage where it states one
// (BCA 10, BRI 13–17, BNI 7–11, Mandiri 12–17, Permata 7–16) and the banks' own formats
// otherwise; every other bank takes 6 to 20 digits.
var payoutChannels = []PayoutChannel{
	{Code: "ID_BCA", Name: "BCA", MinDigits: 10, MaxDigits: 10},
	{Code: "ID_BRI", Name: "BRI", MinDigits: 13, MaxDigits: 17},
	{Code: "ID_MANDIRI", Name: "Mandiri", MinDigits: 12, MaxDigits: 17},
	{Code: "ID_BNI", Name: "BNI", MinDigits: 7, MaxDigits: 11},
	{Code: "ID_BSI", Name: "BSI", MinDigits: 10, MaxDigits: 10},
	{Code: "ID_CIMB", Name: "CIMB Niaga", MinDigits: 10, MaxDigits: 14},
	{Code: "ID_PERMATA", Name: "Permata", MinDigits: 7, MaxDigits: 16},
	{Code: "ID_BTN", Name: "BTN", MinDigits: 10, MaxDigits: 16},
	{Code: "ID_DANAMON", Name: "Danamon", MinDigits: 9, MaxDigits: 12},
	{Code: "ID_JAGO", Name: "Bank Jago", MinDigits: anyBankMinDigits, MaxDigits: anyBankMaxDigits},
	{Code: "ID_SEABANK", Name: "SeaBank", MinDigits: anyBankMinDigits, MaxDigits: anyBankMaxDigits},
	{Code: "ID_DANA", Name: "DANA", Ewallet: true, MinDigits: walletMinDigits, MaxDigits: walletMaxDigits},
	{Code: "ID_GOPAY", Name: "GoPay", Ewallet: true, MinDigits: walletMinDigits, MaxDigits: walletMaxDigits},
	{Code: "ID_OVO", Name: "OVO", Ewallet: true, MinDigits: walletMinDigits, MaxDigits: walletMaxDigits},
	{Code: "ID_SHOPEEPAY", Name: "ShopeePay", Ewallet: true, MinDigits: walletMinDigits, MaxDigits: walletMaxDigits},
	{Code: "ID_LINKAJA", Name: "LinkAja", Ewallet: true, MinDigits: walletMinDigits, MaxDigits: walletMaxDigits},
}

// PopularPayoutChannels returns the channels resellers use most, in the order to offer them,
// e-wallets included only when ewallets is true.
func PopularPayoutChannels(ewallets bool) []PayoutChannel {
	var out []PayoutChannel
	for _, ch := range payoutChannels {
		if !ch.Ewallet || ewallets {
			out = append(out, ch)
		}
	}
	return out
}

// MakePayoutChannel describes a channel from Xendit's list (its code, its name, and whether it is
// an e-wallet) with Lapak's name and account-number rule for it when Lapak has one.
func MakePayoutChannel(code, name string, ewallet bool) PayoutChannel {
	for _, ch := range payoutChannels {
		if ch.Code == code {
			return ch
		}
	}
	ch := PayoutChannel{Code: code, Name: name, Ewallet: ewallet, MinDigits: anyBankMinDigits, MaxDigits: anyBankMaxDigits}
	if ewallet {
		ch.MinDigits, ch.MaxDigits = walletMinDigits, walletMaxDigits
	}
	return ch
}

// Digits describes the account-number length: "10" or "13–17".
func (ch PayoutChannel) Digits() string {
	if ch.MinDigits == ch.MaxDigits {
		return strconv.Itoa(ch.MinDigits)
	}
	return fmt.Sprintf("%d–%d", ch.MinDigits, ch.MaxDigits)
}

// AccountNumber reads an account number as people type it: spaces, dots and dashes are dropped,
// everything else must be a digit, and the length must fit the channel. An e-wallet number is a
// mobile number (08…, 628…, +628…) and comes back as 08…, as Xendit wants it. Refusals are
// *Error of KindInvalid that say what to fix.
func (ch PayoutChannel) AccountNumber(s string) (string, error) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '+' && i == 0 && ch.Ewallet:
		default:
			return "", Errorf(KindInvalid, "payout.number_digits_only")
		}
	}
	n := b.String()
	if ch.Ewallet {
		if rest, ok := strings.CutPrefix(n, "62"); ok {
			n = "0" + rest
		}
		if !strings.HasPrefix(n, "08") {
			return "", Errorf(KindInvalid, "payout.wallet_number", ch.Name)
		}
	}
	if n == "" {
		return "", Errorf(KindInvalid, "payout.number_digits_only")
	}
	if len(n) < ch.MinDigits || len(n) > ch.MaxDigits {
		return "", Errorf(KindInvalid, "payout.number_length", ch.Name, ch.Digits(), len(n))
	}
	return n, nil
}

// maxHolderName is the longest account holder's name Xendit takes.
const maxHolderName = 100

// HolderName tidies an account holder's name (one line, single spaces) and checks it has at
// least two letters, no digits and nothing but letters, spaces and . , ' -; a refusal is a *Error
// of KindInvalid.
func HolderName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "", Errorf(KindInvalid, "payout.holder_empty")
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == ' ' || r == '.' || r == ',' || r == '\'' || r == '-':
		default:
			return "", Errorf(KindInvalid, "payout.holder_invalid")
		}
	}
	if letters < 2 || utf8.RuneCountInString(s) > maxHolderName {
		return "", Errorf(KindInvalid, "payout.holder_invalid")
	}
	return s, nil
}

// BankAccount is where a reseller is paid. Accounts are kept as history: a change adds a new one,
// which holds payouts until HoldUntil.
type BankAccount struct {
	ID          int64
	ResellerID  int64
	Channel     string // Xendit channel code
	ChannelName string
	Number      string // digits only
	Holder      string // as the bank has it
	HoldUntil   time.Time
	// Invalid is the failure code of a payout that failed for good on this account (such as
	// INVALID_DESTINATION); payouts skip it until the reseller saves another.
	Invalid   string
	CreatedAt time.Time
}

// Masked shows the account without most of its number: BCA ••••7890.
func (a BankAccount) Masked() string {
	name := a.ChannelName
	if name == "" {
		name = strings.TrimPrefix(a.Channel, "ID_")
	}
	n := a.Number
	if len(n) > 4 {
		n = "••••" + n[len(n)-4:]
	}
	return name + " " + n
}

// Held reports whether payouts to a wait at now.
func (a BankAccount) Held(now time.Time) bool { return now.Before(a.HoldUntil) }

// PayoutStatus is where a payout stands.
type PayoutStatus string

// Payout states. A payout starts awaiting approval (or approved when it needs none); an approved
// payout is sent to Xendit (sending, then accepted) or transferred by an owner, and ends paid,
// failed or rejected. A paid payout may come back from the bank: reversed.
const (
	PayoutAwaitingApproval PayoutStatus = "awaiting_approval"
	PayoutApproved         PayoutStatus = "approved"
	PayoutSending          PayoutStatus = "sending"  // a create call may have reached Xendit
	PayoutAccepted         PayoutStatus = "accepted" // Xendit has it: ACCEPTED or REQUESTED
	PayoutPaid             PayoutStatus = "paid"
	PayoutFailed           PayoutStatus = "failed" // failed or cancelled; the money is available again
	PayoutRejected         PayoutStatus = "rejected"
	PayoutReversed         PayoutStatus = "reversed"
)

// Open reports whether the payout's money is still on its way: reserved and not yet paid or back.
func (s PayoutStatus) Open() bool {
	switch s {
	case PayoutAwaitingApproval, PayoutApproved, PayoutSending, PayoutAccepted:
		return true
	}
	return false
}

// Payout is one transfer of a reseller's available commission to their bank account.
type Payout struct {
	ID int64
	// Key is the payout's name at Xendit: its Idempotency-key and reference_id.
	Key          string
	BatchID      int64
	ResellerID   int64
	ResellerName string
	Account      BankAccount // where it goes, as it was when the payout was made
	Amount       Money
	Status       PayoutStatus
	Mode         PayoutMode
	Early        bool   // asked for by the reseller (/tarik), not made by the schedule
	XenditID     string // disb-…, once Xendit has it
	FailureCode  string // why it failed, Xendit's code or Lapak's
	Reference    string // the transfer's reference: Xendit's payout ID or the owner's note
	CreatedAt    time.Time
	UpdatedAt    time.Time
	PaidAt       time.Time // zero until paid
}

// PayoutBatch is the payouts one run made: one per reseller who was due.
type PayoutBatch struct {
	ID        int64
	Slot      time.Time // the scheduled time it is for; zero for an early withdrawal
	Mode      PayoutMode
	Payouts   []Payout
	CreatedAt time.Time
}

// Total is the sum of the batch's payouts.
func (b PayoutBatch) Total() Money {
	var m Money
	for _, p := range b.Payouts {
		m += p.Amount
	}
	return m
}

// In returns the batch's payouts in status s.
func (b PayoutBatch) In(s PayoutStatus) []Payout {
	var out []Payout
	for _, p := range b.Payouts {
		if p.Status == s {
			out = append(out, p)
		}
	}
	return out
}

// PayoutRun asks for a batch: for the scheduled time Slot, or for one reseller's early
// withdrawal (Reseller set, Slot zero). Settings are the store's at the time.
type PayoutRun struct {
	Slot     time.Time
	Reseller int64
	Settings PayoutSettings
	Now      time.Time
}

// Payout journal keys: one fact each per payout.
func payoutKey(id int64, fact string) string {
	return "payout:" + strconv.FormatInt(id, 10) + ":" + fact
}

// PayoutReserveJournal moves a payout's amount from the reseller's available earnings to in
// transit, when the payout is made.
func PayoutReserveJournal(p Payout) Journal {
	j := Journal{Key: payoutKey(p.ID, "reserve"), Kind: JournalPayout, Memo: "payout " + p.Key + " to " + p.Account.Masked()}
	j.add(AvailableAccount(p.ResellerID), -p.Amount, 0, "reserved for payout "+p.Key)
	j.add(InTransitAccount(p.ResellerID), p.Amount, 0, "payout "+p.Key)
	return j
}

// PayoutPaidJournal records that a payout reached the bank.
func PayoutPaidJournal(p Payout) Journal {
	j := Journal{Key: payoutKey(p.ID, "paid"), Kind: JournalPayoutPaid, Memo: "payout " + p.Key + " paid, " + p.Reference}
	j.add(InTransitAccount(p.ResellerID), -p.Amount, 0, "paid")
	j.add(PayoutBankAccount(), p.Amount, 0, "paid to "+p.Account.Masked())
	return j
}

// PayoutReturnedJournal gives a payout that failed, was cancelled or was rejected back to the
// reseller's available earnings. A payout returns at most once, whichever way.
func PayoutReturnedJournal(p Payout, why string) Journal {
	j := Journal{Key: payoutKey(p.ID, "returned"), Kind: JournalPayoutFailed, Memo: "payout " + p.Key + " returned: " + why}
	j.add(InTransitAccount(p.ResellerID), -p.Amount, 0, why)
	j.add(AvailableAccount(p.ResellerID), p.Amount, 0, "returned from payout "+p.Key)
	return j
}

// PayoutReversedJournal records that a paid payout came back from the bank: the money is the
// reseller's available earnings again.
func PayoutReversedJournal(p Payout) Journal {
	j := Journal{Key: payoutKey(p.ID, "reversed"), Kind: JournalPayoutReversed, Memo: "payout " + p.Key + " reversed by the bank"}
	j.add(PayoutBankAccount(), -p.Amount, 0, "came back from "+p.Account.Masked())
	j.add(AvailableAccount(p.ResellerID), p.Amount, 0, "reversed payout "+p.Key)
	return j
}

// PayoutMove is what happens to a payout moved to a new status: the status it ends in and the
// journals to post, in order.
type PayoutMove struct {
	To       PayoutStatus
	Journals []Journal
}

// MovePayout says what moving p to status to does, and false when p cannot move there, because
// it is there already or past it (callbacks repeat and come out of order). Xendit's REVERSED can
// come before its SUCCEEDED: a payout not yet paid that is reversed is paid and reversed at once.
func MovePayout(p Payout, to PayoutStatus, why string) (PayoutMove, bool) {
	from := p.Status
	sent := from == PayoutApproved || from == PayoutSending || from == PayoutAccepted
	switch {
	case to == PayoutAccepted && (from == PayoutApproved || from == PayoutSending):
		return PayoutMove{To: to}, true
	case to == PayoutApproved && from == PayoutAwaitingApproval:
		return PayoutMove{To: to}, true
	case to == PayoutRejected && from == PayoutAwaitingApproval:
		return PayoutMove{To: to, Journals: []Journal{PayoutReturnedJournal(p, why)}}, true
	case to == PayoutPaid && sent:
		return PayoutMove{To: to, Journals: []Journal{PayoutPaidJournal(p)}}, true
	case to == PayoutFailed && sent:
		return PayoutMove{To: to, Journals: []Journal{PayoutReturnedJournal(p, why)}}, true
	case to == PayoutReversed && from == PayoutPaid:
		return PayoutMove{To: to, Journals: []Journal{PayoutReversedJournal(p)}}, true
	case to == PayoutReversed && sent:
		return PayoutMove{To: to, Journals: []Journal{PayoutPaidJournal(p), PayoutReversedJournal(p)}}, true
	}
	return PayoutMove{}, false
}

// PayoutBlock says why the next scheduled payout would pass a reseller by.
type PayoutBlock string

// Reasons a reseller is not paid on the next run.
const (
	BlockNone         PayoutBlock = ""
	BlockNoSchedule   PayoutBlock = "no_schedule" // the owners have not set a schedule
	BlockNoAccount    PayoutBlock = "no_account"
	BlockHeld         PayoutBlock = "held"    // a changed account waits 24 hours
	BlockInvalid      PayoutBlock = "invalid" // the last payout to the account failed for good
	BlockNegative     PayoutBlock = "negative"
	BlockUnderMinimum PayoutBlock = "under_minimum"
)

// PayoutOutlook tells a reseller when and how much they will be paid.
type PayoutOutlook struct {
	Next          time.Time   // the next scheduled payout; zero without a schedule
	Minimum       Money       // the least paid out
	Available     Money       // ready to be paid
	Needed        Money       // what is still missing to reach the minimum; zero when reached
	InProcess     Money       // in payouts made and not yet paid: awaiting approval or on the way
	PaidThisMonth Money       // paid this month in the store's time zone, less payouts reversed
	Account       BankAccount // zero ID when the reseller has none
	Block         PayoutBlock // why the next payout would pass them by; BlockNone when it would not
	EarlyAllowed  bool        // they may ask for an early withdrawal with /tarik
}

// StatementLine is one movement of a reseller's commission.
type StatementLine struct {
	At       time.Time
	Kind     JournalKind
	OrderRef string // the order it is for, if any
	Payout   string // the payout's key, if any
	Amount   Money  // positive: the reseller is owed more
}

// Statement is a reseller's commission over a period, from the opening balance to the closing
// one. A balance here is all they are owed: pending, available and in transit.
type Statement struct {
	From, To  time.Time // From inclusive, To exclusive
	Opening   Money
	Credits   Money // earned on paid orders
	Clawbacks Money // taken back on refunded orders, as a positive amount
	Payouts   Money // paid to their bank, as a positive amount
	Reversals Money // paid payouts that came back
	Closing   Money
	Lines     []StatementLine // the latest movements, newest first, at most a page
	More      int             // movements not in Lines
}

// Adds reports whether the statement adds up: opening plus credits and reversals, less clawbacks
// and payouts, is the closing balance.
func (s Statement) Adds() bool {
	return s.Opening+s.Credits+s.Reversals-s.Clawbacks-s.Payouts == s.Closing
}
