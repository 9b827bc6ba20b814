package lapak

import (
	"errors"
	"testing"
	"time"
)

var wib = time.FixedZone("WIB", 7*60*60)

func TestPayoutScheduleFindsTheScheduledTimes(t *testing.T) {
	// Wednesday 12 March 2025, 09.00 WIB.
	now := time.Date(2025, 3, 12, 9, 0, 0, 0, wib)
	tests := []struct {
		name       string
		s          PayoutSchedule
		last, next time.Time
	}{
		{"DailyBeforeTheTime", PayoutSchedule{Frequency: PayDaily, Minute: 10 * 60},
			time.Date(2025, 3, 11, 10, 0, 0, 0, wib), time.Date(2025, 3, 12, 10, 0, 0, 0, wib)},
		{"DailyAtTheTime", PayoutSchedule{Frequency: PayDaily, Minute: 9 * 60},
			now, time.Date(2025, 3, 13, 9, 0, 0, 0, wib)},
		{"WeeklyOnFriday", PayoutSchedule{Frequency: PayWeekly, Weekday: time.Friday, Minute: 10 * 60},
			time.Date(2025, 3, 7, 10, 0, 0, 0, wib), time.Date(2025, 3, 14, 10, 0, 0, 0, wib)},
		{"WeeklyToday", PayoutSchedule{Frequency: PayWeekly, Weekday: time.Wednesday, Minute: 8*60 + 30},
			time.Date(2025, 3, 12, 8, 30, 0, 0, wib), time.Date(2025, 3, 19, 8, 30, 0, 0, wib)},
		{"MonthlyOnThe25th", PayoutSchedule{Frequency: PayMonthly, Day: 25, Minute: 0},
			time.Date(2025, 2, 25, 0, 0, 0, 0, wib), time.Date(2025, 3, 25, 0, 0, 0, 0, wib)},
		{"MonthlyOnThe31stIsTheLastDayOfShortMonths", PayoutSchedule{Frequency: PayMonthly, Day: 31, Minute: 60},
			time.Date(2025, 2, 28, 1, 0, 0, 0, wib), time.Date(2025, 3, 31, 1, 0, 0, 0, wib)},
		{"Invalid", PayoutSchedule{Frequency: "hourly"}, time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Last(now, wib); !got.Equal(tt.last) {
				t.Errorf("Last = %v, want %v", got, tt.last)
			}
			if got := tt.s.Next(now, wib); !got.Equal(tt.next) {
				t.Errorf("Next = %v, want %v", got, tt.next)
			}
		})
	}
}

func TestPayoutScheduleUsesTheOwnersZone(t *testing.T) {
	// 23.30 UTC on Thursday is already Friday 06.30 in WIB.
	now := time.Date(2025, 3, 13, 23, 30, 0, 0, time.UTC)
	s := PayoutSchedule{Frequency: PayWeekly, Weekday: time.Friday, Minute: 6 * 60}
	if got, want := s.Last(now, wib), time.Date(2025, 3, 14, 6, 0, 0, 0, wib); !got.Equal(want) {
		t.Errorf("Last = %v, want %v", got, want)
	}
}

func TestAccountNumbers(t *testing.T) {
	bca, _ := findChannel("ID_BCA")
	dana, _ := findChannel("ID_DANA")
	jago := MakePayoutChannel("ID_JAGO", "Bank Jago", false)
	other := MakePayoutChannel("ID_MEGA", "Bank Mega", false)
	tests := []struct {
		ch      PayoutChannel
		in      string
		want    string
		errKey  string
		errArgs []any
	}{
		{bca, "123 456-7890", "1234567890", "", nil},
		{bca, " 1234.567.890 ", "1234567890", "", nil},
		{bca, "12345678901", "", "payout.number_length", []any{"BCA", "10", 11}},
		{bca, "12345abcde", "", "payout.number_digits_only", nil},
		{bca, "", "", "payout.number_digits_only", nil},
		{bca, "+1234567890", "", "payout.number_digits_only", nil},
		{jago, "121212", "121212", "", nil},
		{other, "12345", "", "payout.number_length", []any{"Bank Mega", "6–20", 5}},
		{dana, "0812-3456-7890", "081234567890", "", nil},
		{dana, "+62 812 3456 7890", "081234567890", "", nil},
		{dana, "6281234567890", "081234567890", "", nil},
		{dana, "1234567890", "", "payout.wallet_number", []any{"DANA"}},
	}
	for _, tt := range tests {
		got, err := tt.ch.AccountNumber(tt.in)
		var e *Error
		switch {
		case tt.errKey == "" && (err != nil || got != tt.want):
			t.Errorf("%s %q = %q, %v; want %q", tt.ch.Code, tt.in, got, err, tt.want)
		case tt.errKey != "" && (!errors.As(err, &e) || e.Key != tt.errKey || e.Kind != KindInvalid || len(e.Args) != len(tt.errArgs)):
			t.Errorf("%s %q: err %v, want %s %v", tt.ch.Code, tt.in, err, tt.errKey, tt.errArgs)
		case tt.errKey != "":
			for i := range tt.errArgs {
				if e.Args[i] != tt.errArgs[i] {
					t.Errorf("%s %q: args %v, want %v", tt.ch.Code, tt.in, e.Args, tt.errArgs)
				}
			}
		}
	}
}

func findChannel(code string) (PayoutChannel, bool) {
	for _, ch := range PopularPayoutChannels(true) {
		if ch.Code == code {
			return ch, true
		}
	}
	return PayoutChannel{}, false
}

func TestHolderNames(t *testing.T) {
	for in, want := range map[string]string{"  Siti   Rahayu ": "Siti Rahayu", "M. Yusuf, S.E.": "M. Yusuf, S.E.", "D'Costa-Lim": "D'Costa-Lim"} {
		if got, err := HolderName(in); err != nil || got != want {
			t.Errorf("HolderName(%q) = %q, %v", in, got, err)
		}
	}
	for in, key := range map[string]string{"": "payout.holder_empty", "   ": "payout.holder_empty", "Siti 123": "payout.holder_invalid",
		"A": "payout.holder_invalid", "😀😀": "payout.holder_invalid"} {
		var e *Error
		if _, err := HolderName(in); !errors.As(err, &e) || e.Key != key {
			t.Errorf("HolderName(%q): %v, want %s", in, err, key)
		}
	}
}

func TestMovePayoutFollowsTheLifecycle(t *testing.T) {
	p := Payout{ID: 7, Key: "po-7-x", ResellerID: 3, Amount: 120_000, Account: BankAccount{Channel: "ID_BCA", Number: "1234567890"}}
	kinds := func(m PayoutMove) []JournalKind {
		var out []JournalKind
		for _, j := range m.Journals {
			if err := j.Check(); err != nil {
				t.Errorf("%s: %v", j.Key, err)
			}
			out = append(out, j.Kind)
		}
		return out
	}
	tests := []struct {
		from, to PayoutStatus
		ok       bool
		journals []JournalKind
	}{
		{PayoutAwaitingApproval, PayoutApproved, true, nil},
		{PayoutAwaitingApproval, PayoutRejected, true, []JournalKind{JournalPayoutFailed}},
		{PayoutAwaitingApproval, PayoutPaid, false, nil},
		{PayoutApproved, PayoutPaid, true, []JournalKind{JournalPayoutPaid}}, // paid by hand
		{PayoutSending, PayoutAccepted, true, nil},
		{PayoutAccepted, PayoutAccepted, false, nil},
		{PayoutAccepted, PayoutPaid, true, []JournalKind{JournalPayoutPaid}},
		{PayoutAccepted, PayoutFailed, true, []JournalKind{JournalPayoutFailed}},
		{PayoutPaid, PayoutPaid, false, nil},
		{PayoutPaid, PayoutFailed, false, nil},
		{PayoutPaid, PayoutReversed, true, []JournalKind{JournalPayoutReversed}},
		{PayoutAccepted, PayoutReversed, true, []JournalKind{JournalPayoutPaid, JournalPayoutReversed}}, // out of order
		{PayoutReversed, PayoutPaid, false, nil},
		{PayoutFailed, PayoutPaid, false, nil},
		{PayoutRejected, PayoutApproved, false, nil},
	}
	for _, tt := range tests {
		p.Status = tt.from
		m, ok := MovePayout(p, tt.to, "test")
		got := kinds(m)
		if ok != tt.ok || len(got) != len(tt.journals) {
			t.Errorf("%s → %s: ok %v, journals %v; want %v %v", tt.from, tt.to, ok, got, tt.ok, tt.journals)
			continue
		}
		for i := range got {
			if got[i] != tt.journals[i] {
				t.Errorf("%s → %s: journals %v, want %v", tt.from, tt.to, got, tt.journals)
			}
		}
	}
}

func TestPayoutJournalsMoveTheAmountBetweenTheRightAccounts(t *testing.T) {
	p := Payout{ID: 7, Key: "po-7-x", ResellerID: 3, Amount: 120_000}
	net := map[Account]Money{}
	for _, j := range []Journal{PayoutReserveJournal(p), PayoutPaidJournal(p), PayoutReversedJournal(p)} {
		for _, e := range j.Entries {
			net[e.Account] += e.Amount
		}
	}
	// Reserved, paid and reversed: the money is available again and nothing is left in transit.
	if net[AvailableAccount(3)] != 0 || net[InTransitAccount(3)] != 0 || net[PayoutBankAccount()] != 0 {
		t.Errorf("after reserve, paid and reversed: %v", net)
	}
	if k := PayoutReserveJournal(p).Key; k != "payout:7:reserve" {
		t.Errorf("reserve key %q", k)
	}
	if PayoutReturnedJournal(p, "rejected").Key != PayoutReturnedJournal(p, "failed").Key {
		t.Error("a payout could be returned twice")
	}
}

func TestStatementAdds(t *testing.T) {
	s := Statement{Opening: 50_000, Credits: 100_000, Clawbacks: 20_000, Payouts: 80_000, Reversals: 10_000, Closing: 60_000}
	if !s.Adds() {
		t.Errorf("%+v does not add up", s)
	}
}
