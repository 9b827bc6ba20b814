package storage_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// payoutClock is a clock tests move by hand.
type payoutClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *payoutClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *payoutClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// payoutStore is a store on a fresh schema with an owner, whose jobs are enqueued and never
// worked, so tests see them.
type payoutStore struct {
	*storage.Store
	t     *testing.T
	ctx   context.Context
	pool  *pgxpool.Pool
	clock *payoutClock
	keys  int
}

// A Friday, 10.00 WIB: the default weekly payout time.
var payday = time.Date(2025, 3, 14, 3, 0, 0, 0, time.UTC)

func newPayoutStore(t *testing.T) *payoutStore {
	t.Helper()
	ctx := context.Background()
	_, dsn := storagetest.Schema(t)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 16
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := storage.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	clock := &payoutClock{t: payday.Add(-time.Hour)}
	s := &payoutStore{Store: storage.New(pool, rc, clock), t: t, ctx: ctx, pool: pool, clock: clock}
	if err := s.EnsureOwners(ctx, lapak.Telegram, []string{"900"}, lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	return s
}

// reseller registers and approves a reseller writing from Telegram chat id.
func (s *payoutStore) reseller(id, name string) lapak.Reseller {
	s.t.Helper()
	u, err := s.TouchUser(s.ctx, lapak.Telegram, id, id, name, lapak.Indonesian)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.SubmitReseller(s.ctx, lapak.Reseller{UserID: u.ID, Name: name, Phone: "+6281234567890", City: "Bandung"}, nil); err != nil {
		s.t.Fatal(err)
	}
	owners, err := s.Owners(s.ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	r, err := s.DecideReseller(s.ctx, u.ID, owners[0].ID, true, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

// post posts a journal in its own transaction.
func (s *payoutStore) post(j lapak.Journal) error {
	return pgx.BeginFunc(s.ctx, s.pool, func(tx pgx.Tx) error { _, err := storage.Post(s.ctx, tx, j); return err })
}

// earn gives a reseller amount of available commission: paid by a customer, then released.
func (s *payoutStore) earn(resellerID int64, amount lapak.Money) {
	s.t.Helper()
	s.keys++
	k := fmt.Sprint(s.keys)
	pay := lapak.Journal{Key: "test:" + k + ":paid", Kind: lapak.JournalPayment, Entries: []lapak.Entry{
		{Account: lapak.ClearingAccount(), Amount: -amount}, {Account: lapak.PendingAccount(resellerID), Amount: amount}}}
	release := lapak.Journal{Key: "test:" + k + ":release", Kind: lapak.JournalRelease, Entries: []lapak.Entry{
		{Account: lapak.PendingAccount(resellerID), Amount: -amount}, {Account: lapak.AvailableAccount(resellerID), Amount: amount}}}
	for _, j := range []lapak.Journal{pay, release} {
		if err := s.post(j); err != nil {
			s.t.Fatal(err)
		}
	}
}

// clawback takes amount of a reseller's available commission back, as a refund does.
func (s *payoutStore) clawback(resellerID int64, amount lapak.Money) {
	s.t.Helper()
	s.keys++
	if err := s.post(lapak.Journal{Key: fmt.Sprintf("test:%d:refund", s.keys), Kind: lapak.JournalRefund, Entries: []lapak.Entry{
		{Account: lapak.AvailableAccount(resellerID), Amount: -amount}, {Account: lapak.PayoutBankAccount(), Amount: amount}}}); err != nil {
		s.t.Fatal(err)
	}
}

// account saves a BCA account for a reseller.
func (s *payoutStore) account(r lapak.Reseller, number string) lapak.BankAccount {
	s.t.Helper()
	a, _, err := s.SaveBankAccount(s.ctx, lapak.BankAccount{ResellerID: r.ID, Channel: "ID_BCA", ChannelName: "BCA", Number: number, Holder: r.Name}, 24*time.Hour, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

// enable turns the weekly schedule on, changed by change.
func (s *payoutStore) enable(change func(*lapak.PayoutSettings)) lapak.PayoutSettings {
	s.t.Helper()
	set := lapak.DefaultPayoutSettings()
	set.Enabled = true
	if change != nil {
		change(&set)
	}
	saved, err := s.SavePayoutSettings(s.ctx, set, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	return saved
}

// run runs the payout for the scheduled time slot with the current settings.
func (s *payoutStore) run(slot time.Time) (lapak.PayoutBatch, bool) {
	s.t.Helper()
	b, made, err := s.runAt(slot)
	if err != nil {
		s.t.Fatal(err)
	}
	return b, made
}

func (s *payoutStore) runAt(slot time.Time) (lapak.PayoutBatch, bool, error) {
	set, err := s.PayoutSettings(s.ctx)
	if err != nil {
		return lapak.PayoutBatch{}, false, err
	}
	return s.RunPayouts(s.ctx, lapak.PayoutRun{Slot: slot, Settings: set, Now: s.clock.Now()}, nil)
}

func (s *payoutStore) balance(resellerID int64) lapak.Balance {
	s.t.Helper()
	b, err := s.ResellerBalance(s.ctx, resellerID)
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

func (s *payoutStore) count(sql string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.pool.QueryRow(s.ctx, sql, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

func (s *payoutStore) move(c payments.PayoutChange) (lapak.Payout, bool) {
	s.t.Helper()
	p, moved, err := s.MovePayout(s.ctx, c, nil)
	if err != nil {
		s.t.Fatalf("move %+v: %v", c, err)
	}
	return p, moved
}

// checkLedger asserts the ledger's invariants: every transaction sums to zero, every balance is
// the sum of its account's entries, each reseller's money in transit is their open payouts, and
// no payout was paid, returned or reversed twice.
func (s *payoutStore) checkLedger() {
	s.t.Helper()
	checks := map[string]string{
		"unbalanced transactions": `SELECT count(*) FROM (SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0) x`,
		"balances off their entries": `SELECT count(*) FROM ledger_accounts a
			WHERE a.balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_entries e WHERE e.account_id = a.id)`,
		"in transit off the open payouts": `SELECT count(*) FROM ledger_accounts a
			WHERE a.kind = 'reseller_payout_in_transit' AND a.balance <> (SELECT coalesce(sum(amount), 0) FROM payouts p
			WHERE p.reseller_id = a.holder AND p.status IN ('awaiting_approval', 'approved', 'sending', 'accepted'))`,
		"payouts without their reserve": `SELECT count(*) FROM payouts p
			WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.key = 'payout:' || p.id || ':reserve')`,
		"paid payouts without their journal": `SELECT count(*) FROM payouts p WHERE p.status IN ('paid', 'reversed')
			AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.key = 'payout:' || p.id || ':paid')`,
		"returned payouts without their journal": `SELECT count(*) FROM payouts p WHERE p.status IN ('failed', 'rejected')
			AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.key = 'payout:' || p.id || ':returned')`,
		"open payouts with a final journal": `SELECT count(*) FROM payouts p WHERE p.status IN ('awaiting_approval', 'approved', 'sending', 'accepted')
			AND EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.key IN ('payout:' || p.id || ':paid', 'payout:' || p.id || ':returned'))`,
	}
	for what, sql := range checks {
		if n := s.count(sql); n != 0 {
			s.t.Errorf("%d %s", n, what)
		}
	}
}

func TestPayoutRunPaysTheResellersDue(t *testing.T) {
	s := newPayoutStore(t)
	s.enable(nil)
	andi, budi, citra, dewi, eka := s.reseller("501", "Andi Saputra"), s.reseller("502", "Budi Santoso"),
		s.reseller("503", "Citra Dewi"), s.reseller("504", "Dewi Lestari"), s.reseller("505", "Eka Putra")
	s.account(andi, "1234567890")
	s.earn(andi.ID, 120_000)
	s.account(budi, "2234567890")
	s.earn(budi.ID, 30_000)   // under the minimum
	s.earn(citra.ID, 200_000) // no bank account
	s.account(dewi, "3234567890")
	s.account(dewi, "3234567899") // a change: held for a day
	s.earn(dewi.ID, 100_000)
	s.account(eka, "4234567890")
	s.earn(eka.ID, 60_000)
	s.clawback(eka.ID, 80_000) // negative
	s.clock.Set(payday.Add(time.Minute))

	b, made := s.run(payday)
	if !made || len(b.Payouts) != 1 {
		t.Fatalf("batch = %+v, made %v; want one payout", b, made)
	}
	p := b.Payouts[0]
	if p.ResellerID != andi.ID || p.Amount != 120_000 || p.Status != lapak.PayoutAwaitingApproval || p.Account.Number != "1234567890" || p.Key == "" {
		t.Errorf("payout = %+v", p)
	}
	if got := s.balance(andi.ID); got.Available != 0 || got.InTransit != 120_000 {
		t.Errorf("Andi's balance after the run: %+v", got)
	}
	if got := s.balance(eka.ID); got.Available != -20_000 {
		t.Errorf("Eka's balance: %+v", got)
	}
	if n := s.count("SELECT count(*) FROM river_job WHERE kind = 'send_payout'"); n != 0 {
		t.Errorf("%d payouts sent before approval", n)
	}

	t.Run("TheSameSlotAgainMakesNothing", func(t *testing.T) {
		again, made := s.run(payday)
		if made || again.ID != b.ID || len(again.Payouts) != 1 {
			t.Errorf("second run: %+v, made %v", again, made)
		}
	})
	t.Run("TheHeldAccountIsPaidOnceTheHoldIsOver", func(t *testing.T) {
		s.clock.Set(payday.Add(7 * 24 * time.Hour))
		next, _ := s.run(payday.Add(7 * 24 * time.Hour))
		if len(next.Payouts) != 1 || next.Payouts[0].ResellerID != dewi.ID || next.Payouts[0].Account.Number != "3234567899" {
			t.Errorf("next week's batch: %+v", next.Payouts)
		}
	})
	s.checkLedger()
}

func TestTwoPayoutRunsAtOncePayEachResellerOnce(t *testing.T) {
	s := newPayoutStore(t)
	s.enable(nil)
	var resellers []lapak.Reseller
	for i := range 6 {
		r := s.reseller(fmt.Sprint(600+i), fmt.Sprintf("Reseller %c", 'A'+i))
		s.account(r, fmt.Sprintf("55500000%02d", i))
		s.earn(r.ID, 100_000)
		resellers = append(resellers, r)
	}
	s.clock.Set(payday.Add(time.Minute))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		slot := payday
		if i%4 == 3 {
			slot = payday.Add(-7 * 24 * time.Hour) // a late run for last week, at the same moment
		}
		wg.Go(func() {
			if _, _, err := s.runAt(slot); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, r := range resellers {
		if n := s.count("SELECT count(*) FROM payouts WHERE reseller_id = $1", r.ID); n != 1 {
			t.Errorf("%s has %d payouts", r.Name, n)
		}
		if b := s.balance(r.ID); b.Available != 0 || b.InTransit != 100_000 {
			t.Errorf("%s: %+v", r.Name, b)
		}
	}
	if n := s.count("SELECT count(*) FROM payout_batches"); n != 2 {
		t.Errorf("%d batches, want one per slot", n)
	}
	s.checkLedger()
}

func TestPayoutOutcomesMoveTheMoney(t *testing.T) {
	s := newPayoutStore(t)
	s.enable(nil)
	owners, _ := s.Owners(s.ctx)
	var rs []lapak.Reseller
	for i, name := range []string{"Andi", "Budi", "Citra", "Dewi"} {
		r := s.reseller(fmt.Sprint(700+i), name)
		s.account(r, fmt.Sprintf("66600000%02d", i))
		s.earn(r.ID, 100_000)
		rs = append(rs, r)
	}
	s.clock.Set(payday.Add(time.Minute))
	b, _ := s.run(payday)
	if len(b.Payouts) != 4 {
		t.Fatalf("%d payouts", len(b.Payouts))
	}
	var notified []lapak.PayoutBatch
	decided, err := s.DecidePayoutBatch(s.ctx, b.ID, owners[0].ID, true, func(b lapak.PayoutBatch, to payments.Recipients) []bot.Outbound {
		notified = append(notified, b)
		if len(to.Owners) != 1 || len(to.Payees) != 4 {
			t.Errorf("recipients %+v", to)
		}
		return nil
	})
	if err != nil || len(decided.Payouts) != 4 || decided.Payouts[0].Status != lapak.PayoutApproved || len(notified) != 1 {
		t.Fatalf("approve: %+v, %v", decided, err)
	}
	if n := s.count("SELECT count(*) FROM river_job WHERE kind = 'send_payout'"); n != 4 {
		t.Errorf("%d send jobs, want 4", n)
	}
	if _, err := s.DecidePayoutBatch(s.ctx, b.ID, owners[0].ID, false, nil); !errors.Is(err, lapak.ErrDecided) {
		t.Errorf("deciding twice: %v", err)
	}
	byReseller := map[int64]lapak.Payout{}
	for _, p := range decided.Payouts {
		byReseller[p.ResellerID] = p
	}
	for _, r := range rs {
		p, send, err := s.StartSending(s.ctx, byReseller[r.ID].ID)
		if err != nil || !send || p.Status != lapak.PayoutSending {
			t.Fatalf("start sending: %+v %v %v", p, send, err)
		}
		s.move(payments.PayoutChange{PayoutID: p.ID, To: lapak.PayoutAccepted, XenditID: "disb-" + r.Name, XenditStatus: "ACCEPTED"})
	}

	t.Run("Succeeded", func(t *testing.T) {
		p, moved := s.move(payments.PayoutChange{Key: byReseller[rs[0].ID].Key, To: lapak.PayoutPaid, XenditStatus: "SUCCEEDED", Amount: 100_000, Callback: []byte(`{}`)})
		if !moved || p.Status != lapak.PayoutPaid || p.Reference != "disb-Andi" || p.PaidAt.IsZero() {
			t.Errorf("paid: %+v", p)
		}
		if b := s.balance(rs[0].ID); b.Available != 0 || b.InTransit != 0 || b.Paid != 100_000 {
			t.Errorf("balance: %+v", b)
		}
		if _, moved := s.move(payments.PayoutChange{Key: p.Key, To: lapak.PayoutPaid, Callback: []byte(`{}`)}); moved {
			t.Error("a repeated callback paid again")
		}
		if n := s.count("SELECT count(*) FROM xendit_callbacks WHERE kind = 'payout'"); n != 2 {
			t.Errorf("%d callbacks kept", n)
		}
		if _, send, _ := s.StartSending(s.ctx, p.ID); send {
			t.Error("a paid payout would be sent again")
		}
	})
	t.Run("FailedGoesBackAndMarksTheAccount", func(t *testing.T) {
		p, moved := s.move(payments.PayoutChange{XenditID: "disb-Budi", To: lapak.PayoutFailed, FailureCode: "INVALID_DESTINATION", InvalidAccount: true})
		if !moved || p.Status != lapak.PayoutFailed || p.FailureCode != "INVALID_DESTINATION" {
			t.Errorf("failed: %+v", p)
		}
		if b := s.balance(rs[1].ID); b.Available != 100_000 || b.InTransit != 0 {
			t.Errorf("balance: %+v", b)
		}
		if a, _ := s.BankAccount(s.ctx, rs[1].ID); a.Invalid != "INVALID_DESTINATION" {
			t.Errorf("account: %+v", a)
		}
	})
	t.Run("ReversedAfterSuccessGoesBackAndAlerts", func(t *testing.T) {
		s.move(payments.PayoutChange{XenditID: "disb-Citra", To: lapak.PayoutPaid})
		p, moved := s.move(payments.PayoutChange{XenditID: "disb-Citra", To: lapak.PayoutReversed})
		if !moved || p.Status != lapak.PayoutReversed {
			t.Errorf("reversed: %+v", p)
		}
		if b := s.balance(rs[2].ID); b.Available != 100_000 || b.InTransit != 0 {
			t.Errorf("balance: %+v", b)
		}
		if n := s.count("SELECT count(*) FROM payment_alerts WHERE kind = 'payout_reversed'"); n != 1 {
			t.Errorf("%d alerts", n)
		}
	})
	t.Run("ReversedBeforeItsSuccessArrives", func(t *testing.T) {
		p, _ := s.move(payments.PayoutChange{XenditID: "disb-Dewi", To: lapak.PayoutReversed})
		if _, moved := s.move(payments.PayoutChange{XenditID: "disb-Dewi", To: lapak.PayoutPaid}); moved || p.Status != lapak.PayoutReversed {
			t.Errorf("late success moved a reversed payout: %+v", p)
		}
		if b := s.balance(rs[3].ID); b.Available != 100_000 || b.InTransit != 0 {
			t.Errorf("balance: %+v", b)
		}
	})
	t.Run("AnUnknownPayoutIsNotFoundAndItsCallbackKept", func(t *testing.T) {
		_, _, err := s.MovePayout(s.ctx, payments.PayoutChange{Key: "someone-else", To: lapak.PayoutPaid, Callback: []byte(`{"x":1}`)}, nil)
		if !errors.Is(err, lapak.ErrNotFound) {
			t.Errorf("err = %v", err)
		}
		if n := s.count("SELECT count(*) FROM xendit_callbacks WHERE body = '{\"x\":1}'"); n != 1 {
			t.Errorf("%d kept", n)
		}
	})
	t.Run("AWrongAmountIsRefused", func(t *testing.T) {
		s.earn(rs[0].ID, 80_000)
		s.clock.Set(payday.Add(7*24*time.Hour + time.Minute))
		next, _ := s.run(payday.Add(7 * 24 * time.Hour))
		for _, p := range next.Payouts {
			if p.ResellerID == rs[1].ID {
				t.Errorf("the invalid account was paid again: %+v", p)
			}
		}
		if _, _, err := s.MovePayout(s.ctx, payments.PayoutChange{PayoutID: next.Payouts[0].ID, To: lapak.PayoutPaid, Amount: 1}, nil); err == nil {
			t.Error("a payout was paid with another amount")
		}
	})
	s.checkLedger()
}

func TestRejectedBatchGoesBackToAvailable(t *testing.T) {
	s := newPayoutStore(t)
	s.enable(func(set *lapak.PayoutSettings) { set.AutoApproveBelow = 50_000; set.Minimum = 20_000 })
	andi, budi := s.reseller("801", "Andi"), s.reseller("802", "Budi")
	s.account(andi, "1111111111")
	s.account(budi, "2222222222")
	s.earn(andi.ID, 200_000)
	s.earn(budi.ID, 40_000) // under the no-approval amount
	s.clock.Set(payday.Add(time.Minute))
	b, _ := s.run(payday)
	if len(b.In(lapak.PayoutApproved)) != 1 || len(b.In(lapak.PayoutAwaitingApproval)) != 1 {
		t.Fatalf("batch: %+v", b.Payouts)
	}
	if n := s.count("SELECT count(*) FROM river_job WHERE kind = 'send_payout'"); n != 1 {
		t.Errorf("%d sends for the payout under the no-approval amount", n)
	}
	owners, _ := s.Owners(s.ctx)
	rejected, err := s.DecidePayoutBatch(s.ctx, b.ID, owners[0].ID, false, nil)
	if err != nil || len(rejected.Payouts) != 1 || rejected.Payouts[0].Status != lapak.PayoutRejected {
		t.Fatalf("reject: %+v, %v", rejected, err)
	}
	if got := s.balance(andi.ID); got.Available != 200_000 || got.InTransit != 0 {
		t.Errorf("Andi after the rejection: %+v", got)
	}
	if got := s.balance(budi.ID); got.InTransit != 40_000 {
		t.Errorf("Budi's approved payout: %+v", got)
	}
	s.checkLedger()
}

func TestManualPayoutsAndEarlyWithdrawals(t *testing.T) {
	s := newPayoutStore(t)
	s.enable(func(set *lapak.PayoutSettings) { set.Mode = lapak.PayoutManual; set.AllowEarly = true })
	andi := s.reseller("901", "Andi")
	s.account(andi, "1234567890")
	s.earn(andi.ID, 75_000)
	set, _ := s.PayoutSettings(s.ctx)
	b, _, err := s.RunPayouts(s.ctx, lapak.PayoutRun{Reseller: andi.ID, Settings: set, Now: s.clock.Now()}, nil)
	if err != nil || len(b.Payouts) != 1 || !b.Payouts[0].Early || b.Payouts[0].Mode != lapak.PayoutManual {
		t.Fatalf("early: %+v, %v", b, err)
	}
	s.earn(andi.ID, 60_000)
	if _, _, err := s.RunPayouts(s.ctx, lapak.PayoutRun{Reseller: andi.ID, Settings: set, Now: s.clock.Now()}, nil); lapak.KindOf(err) != lapak.KindConflict {
		t.Errorf("a second early withdrawal while the first is open: %v", err)
	}
	owners, _ := s.Owners(s.ctx)
	if _, err := s.DecidePayoutBatch(s.ctx, b.ID, owners[0].ID, true, nil); err != nil {
		t.Fatal(err)
	}
	if n := s.count("SELECT count(*) FROM river_job WHERE kind = 'send_payout'"); n != 0 {
		t.Errorf("a manual payout was sent to Xendit")
	}
	open, err := s.OpenPayoutBatches(s.ctx)
	if err != nil || len(open) != 1 || len(open[0].Payouts) != 1 {
		t.Errorf("open batches: %+v, %v", open, err)
	}
	p, moved := s.move(payments.PayoutChange{PayoutID: b.Payouts[0].ID, To: lapak.PayoutPaid, Reference: "TRF 0314 BCA", By: owners[0].ID})
	if !moved || p.Reference != "TRF 0314 BCA" {
		t.Errorf("marked paid: %+v", p)
	}
	inProcess, paid, err := s.PayoutTotals(s.ctx, andi.ID, payday.Add(-24*time.Hour))
	if err != nil || inProcess != 0 || paid != 75_000 {
		t.Errorf("totals: %s in process, %s paid, %v", inProcess, paid, err)
	}
	if _, _, err := s.RunPayouts(s.ctx, lapak.PayoutRun{Reseller: andi.ID, Settings: set, Now: s.clock.Now()}, nil); err != nil {
		t.Errorf("an early withdrawal after the first was paid: %v", err)
	}
	s.checkLedger()
}

func TestStatementAddsUp(t *testing.T) {
	s := newPayoutStore(t)
	s.enable(nil)
	andi := s.reseller("951", "Andi")
	s.account(andi, "1234567890")
	s.earn(andi.ID, 150_000)
	s.clawback(andi.ID, 20_000)
	s.clock.Set(payday.Add(time.Minute))
	b, _ := s.run(payday)
	owners, _ := s.Owners(s.ctx)
	if _, err := s.DecidePayoutBatch(s.ctx, b.ID, owners[0].ID, true, nil); err != nil {
		t.Fatal(err)
	}
	s.move(payments.PayoutChange{PayoutID: b.Payouts[0].ID, To: lapak.PayoutPaid})
	// The ledger stamps transactions with the database's clock.
	now := time.Now()
	st, err := s.Statement(s.ctx, andi.ID, now.Add(-time.Hour), now.Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if st.Opening != 0 || st.Credits != 150_000 || st.Clawbacks != 20_000 || st.Payouts != 130_000 || st.Closing != 0 || !st.Adds() {
		t.Errorf("statement: %+v", st)
	}
	if len(st.Lines) != 3 || st.Lines[0].Kind != lapak.JournalPayoutPaid || st.Lines[0].Payout != b.Payouts[0].Key {
		t.Errorf("lines: %+v", st.Lines)
	}
	later, err := s.Statement(s.ctx, andi.ID, now.Add(time.Hour), now.Add(2*time.Hour), 10)
	if err != nil || later.Opening != 0 || later.Closing != 0 || len(later.Lines) != 0 {
		t.Errorf("a later period: %+v, %v", later, err)
	}
}

// TestLedgerHoldsUnderRandomPayouts runs a long random mix of earnings, clawbacks, payout runs,
// approvals, rejections, successes, failures and reversals, repeated callbacks among them, and
// checks the ledger's invariants after each step.
func TestLedgerHoldsUnderRandomPayouts(t *testing.T) {
	s := newPayoutStore(t)
	s.enable(func(set *lapak.PayoutSettings) { set.Schedule.Frequency = lapak.PayDaily; set.Minimum = 10_000 })
	owners, _ := s.Owners(s.ctx)
	var rs []lapak.Reseller
	for i := range 4 {
		r := s.reseller(fmt.Sprint(980+i), fmt.Sprintf("R%d", i))
		s.account(r, fmt.Sprintf("77700000%02d", i))
		rs = append(rs, r)
	}
	rng := rand.New(rand.NewPCG(42, 7))
	slot := payday
	statuses := []lapak.PayoutStatus{lapak.PayoutAccepted, lapak.PayoutPaid, lapak.PayoutFailed, lapak.PayoutReversed}
	for step := range 120 {
		r := rs[rng.IntN(len(rs))]
		switch rng.IntN(6) {
		case 0, 1:
			s.earn(r.ID, lapak.Money(10_000*(1+rng.IntN(10))))
		case 2:
			if rng.IntN(4) == 0 {
				s.clawback(r.ID, lapak.Money(5_000*(1+rng.IntN(4))))
			}
		case 3:
			slot = slot.Add(24 * time.Hour)
			s.clock.Set(slot)
			s.run(slot)
		case 4:
			open, err := s.OpenPayoutBatches(s.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(open) > 0 {
				_, err := s.DecidePayoutBatch(s.ctx, open[0].ID, owners[0].ID, rng.IntN(3) > 0, nil)
				if err != nil && !errors.Is(err, lapak.ErrDecided) {
					t.Fatal(err)
				}
			}
		case 5:
			var id int64
			err := s.pool.QueryRow(s.ctx, "SELECT id FROM payouts WHERE status NOT IN ('awaiting_approval', 'rejected') ORDER BY random() LIMIT 1").Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			c := payments.PayoutChange{PayoutID: id, To: statuses[rng.IntN(len(statuses))], FailureCode: "TEMPORARY_TRANSFER_ERROR"}
			if _, _, err := s.MovePayout(s.ctx, c, nil); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		s.checkLedger()
		if t.Failed() {
			t.Fatalf("invariants broken at step %d", step)
		}
	}
	if n := s.count("SELECT count(*) FROM payouts WHERE status IN ('paid', 'failed', 'reversed')"); n == 0 {
		t.Error("the random walk never finished a payout")
	}
}
