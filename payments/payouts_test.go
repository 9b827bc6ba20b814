package payments_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/redis"
	"github.com/lapak-id/lapak/storage/redis/redistest"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// poClock is a clock the payout tests move by hand, shared by the store, the service, the chat
// engine and the fake Xendit.
type poClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *poClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *poClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

var poWIB = time.FixedZone("WIB", 7*60*60)

// payoutWorld is payouts end to end: the payments service over a fresh schema, a fake Xendit
// whose payout callbacks reach the service's webhook, the chat engine the owner and resellers
// talk to, and River working the send jobs (notifications stay queued for the test to read).
type payoutWorld struct {
	t      *testing.T
	ctx    context.Context
	clock  *poClock
	pool   *pgxpool.Pool
	store  *storage.Store
	fake   *xendittest.Server
	svc    *payments.Service
	engine *flows.Engine
	hook   string
	owner  lapak.User
	update int
	keys   int
}

// newPayoutWorld builds the world; retries is the Xendit client's own retries (-1 for none).
func newPayoutWorld(t *testing.T, retries int) *payoutWorld {
	t.Helper()
	ctx := context.Background()
	_, dsn := storagetest.Schema(t)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 20
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := storage.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	w := &payoutWorld{t: t, ctx: ctx, pool: pool, clock: &poClock{t: time.Date(2025, 3, 12, 12, 0, 0, 0, poWIB)}}
	w.fake = xendittest.New(xendittest.Config{Now: w.clock.Now})
	t.Cleanup(w.fake.Close)

	sender := &jobs.SendPayoutWorker{}
	workers := river.NewWorkers()
	river.AddWorker(workers, sender)
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:   map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers:  workers,
		PollOnly: true, FetchCooldown: 10 * time.Millisecond, FetchPollInterval: 20 * time.Millisecond,
		TestOnly: true, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Jobs are inserted by a client that works none; rc works the sends only, so notifications
	// stay queued for the test to read.
	inserter, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	w.store = storage.New(pool, inserter, w.clock)
	w.svc = payments.New(payments.Config{
		Xendit: xendit.New(xendit.Config{BaseURL: w.fake.URL(), SecretKey: w.fake.SecretKey(), Retries: retries,
			Sleep: func(context.Context, time.Duration) error { return nil }}),
		Payouts:       w.store,
		CallbackToken: w.fake.CallbackToken(),
		StoreName:     "Toko Rina",
		Location:      poWIB,
		Clock:         w.clock,
		Logger:        slog.New(slog.DiscardHandler),
	})
	sender.Payouts = w.svc
	srv := httptest.NewServer(w.svc.PayoutWebhook())
	t.Cleanup(srv.Close)
	w.hook = srv.URL
	w.fake.SetCallbackURLs("", w.hook)

	rdb, prefix := redistest.New(t)
	w.engine = flows.New(flows.Config{
		Sessions: redis.NewSessions(rdb, prefix, time.Hour), Users: w.store, Resellers: w.store, Invites: w.store,
		Payouts: w.svc, Clock: w.clock, Location: poWIB, Logger: slog.New(slog.DiscardHandler),
	})
	if err := w.store.EnsureOwners(ctx, lapak.Telegram, []string{"900"}, lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	if w.owner, err = w.store.UserByChannel(ctx, lapak.Telegram, "900"); err != nil {
		t.Fatal(err)
	}
	if err := rc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Stop(context.WithoutCancel(ctx)) })
	return w
}

// chat sends a message or a tap from a Telegram user and returns the replies.
func (w *payoutWorld) chat(user string, in bot.Inbound) string {
	w.t.Helper()
	w.update++
	in.Chat, in.UserID, in.UpdateID = bot.Address{Channel: lapak.Telegram, ChatID: user}, user, fmt.Sprint(w.update)
	if in.Kind == "" {
		in.Kind = bot.KindText
	}
	out, err := w.engine.Handle(w.ctx, in)
	if err != nil {
		w.t.Fatalf("%s sends %+v: %v", user, in, err)
	}
	var b strings.Builder
	for _, o := range out {
		b.WriteString(o.Reply.Text + "\n")
	}
	return b.String()
}

func (w *payoutWorld) say(user, text string) string { return w.chat(user, bot.Inbound{Text: text}) }
func (w *payoutWorld) tap(user, id string) string {
	return w.chat(user, bot.Inbound{Kind: bot.KindOption, Option: id})
}

// reseller registers and approves a reseller on Telegram chat id, with earned commission
// available.
func (w *payoutWorld) reseller(id, name string, available lapak.Money) (lapak.Reseller, lapak.User) {
	w.t.Helper()
	u, err := w.store.TouchUser(w.ctx, lapak.Telegram, id, id, name, lapak.Indonesian)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.store.SubmitReseller(w.ctx, lapak.Reseller{UserID: u.ID, Name: name, Phone: "+6281234567890", City: "Bandung"}, nil); err != nil {
		w.t.Fatal(err)
	}
	r, err := w.store.DecideReseller(w.ctx, u.ID, w.owner.ID, true, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	if u, err = w.store.User(w.ctx, u.ID); err != nil {
		w.t.Fatal(err)
	}
	if available > 0 {
		w.credit(r.ID, available)
	}
	return r, u
}

// credit makes amount of a reseller's commission available, as a paid and completed order
// does: a balanced journal written the way the ledger writes them.
func (w *payoutWorld) credit(resellerID int64, amount lapak.Money) {
	w.t.Helper()
	w.keys++
	err := pgx.BeginFunc(w.ctx, w.pool, func(tx pgx.Tx) error {
		var txn int64
		if err := tx.QueryRow(w.ctx, "INSERT INTO ledger_transactions (key, kind, memo) VALUES ($1, 'payment', 'test earnings') RETURNING id",
			fmt.Sprintf("test:%d:earned", w.keys)).Scan(&txn); err != nil {
			return err
		}
		for _, e := range []struct {
			kind   string
			holder int64
			amount lapak.Money
		}{{"xendit_clearing", 0, -amount}, {"reseller_available", resellerID, amount}} {
			var acct int64
			if err := tx.QueryRow(w.ctx, `
				INSERT INTO ledger_accounts (kind, holder, balance) VALUES ($1, $2, $3)
				ON CONFLICT (kind, holder) DO UPDATE SET balance = ledger_accounts.balance + $3 RETURNING id`,
				e.kind, e.holder, e.amount).Scan(&acct); err != nil {
				return err
			}
			if _, err := tx.Exec(w.ctx, "INSERT INTO ledger_entries (txn_id, account_id, amount) VALUES ($1, $2, $3)", txn, acct, e.amount); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *payoutWorld) balance(resellerID int64) lapak.Balance {
	w.t.Helper()
	b, err := w.store.ResellerBalance(w.ctx, resellerID)
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

func (w *payoutWorld) count(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.pool.QueryRow(w.ctx, sql, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// notes returns the queued messages to a user, oldest first.
func (w *payoutWorld) notes(to lapak.User) []bot.Reply {
	w.t.Helper()
	rows, err := w.pool.Query(w.ctx, "SELECT args FROM river_job WHERE kind = 'notify' ORDER BY id")
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []bot.Reply
	for rows.Next() {
		var raw []byte
		var args jobs.NotifyArgs
		if err := rows.Scan(&raw); err != nil {
			w.t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &args); err != nil {
			w.t.Fatal(err)
		}
		if args.Message.To.ChatID == to.ChatID && args.Message.To.Channel == to.Channel {
			out = append(out, args.Message.Reply)
		}
	}
	return out
}

// told fails the test unless a message to u says every one of want.
func (w *payoutWorld) told(u lapak.User, want ...string) bot.Reply {
	w.t.Helper()
	for _, r := range w.notes(u) {
		ok := true
		for _, s := range want {
			ok = ok && strings.Contains(r.Text, s)
		}
		if ok {
			return r
		}
	}
	var all []string
	for _, r := range w.notes(u) {
		all = append(all, r.Text)
	}
	w.t.Errorf("%s was not told %q; messages:\n%s", u.Name, want, strings.Join(all, "\n---\n"))
	return bot.Reply{}
}

// payoutOf returns the reseller's latest payout.
func (w *payoutWorld) payoutOf(resellerID int64) lapak.Payout {
	w.t.Helper()
	var id int64
	if err := w.pool.QueryRow(w.ctx, "SELECT id FROM payouts WHERE reseller_id = $1 ORDER BY id DESC LIMIT 1", resellerID).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	p, err := w.store.PayoutByID(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// waitStatus waits until the reseller's latest payout is in status.
func (w *payoutWorld) waitStatus(resellerID int64, status lapak.PayoutStatus) lapak.Payout {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		p := w.payoutOf(resellerID)
		if p.Status == status {
			return p
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("payout %s is %s, want %s", p.Key, p.Status, status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// fakePayout returns the fake's payout with a reference.
func (w *payoutWorld) fakePayout(ref string) xendittest.Payout {
	w.t.Helper()
	var found []xendittest.Payout
	for _, p := range w.fake.Payouts() {
		if p.ReferenceID == ref {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		w.t.Fatalf("%d payouts at Xendit for %s", len(found), ref)
	}
	return found[0]
}

// checkLedger checks every journal sums to zero and every balance is the sum of its entries.
func (w *payoutWorld) checkLedger() {
	w.t.Helper()
	if n := w.count("SELECT count(*) FROM (SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0) x"); n != 0 {
		w.t.Errorf("%d ledger transactions do not sum to zero", n)
	}
	if n := w.count(`SELECT count(*) FROM ledger_accounts a
		WHERE balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = a.id)`); n != 0 {
		w.t.Errorf("%d balances differ from their entries", n)
	}
}

// account saves a reseller's bank account through the service, as /rekening does.
func (w *payoutWorld) account(r lapak.Reseller, channel, number, holder string) {
	w.t.Helper()
	if _, err := w.svc.SaveBankAccount(w.ctx, r.ID, lapak.BankAccount{Channel: channel, Number: number, Holder: holder}); err != nil {
		w.t.Fatalf("save %s %s: %v", channel, number, err)
	}
}

func TestWeeklyPayoutEndToEnd(t *testing.T) {
	w := newPayoutWorld(t, 3)
	andi, andiUser := w.reseller("501", "Andi Saputra", 120_000)
	budi, budiUser := w.reseller("502", "Budi Santoso", 80_000)
	citra, _ := w.reseller("503", "Citra Dewi", 30_000) // under the minimum
	w.say("501", "/rekening")
	w.tap("501", "bk:ID_BCA")
	w.say("501", "123-456-7890")
	w.say("501", "Andi Saputra")
	if out := w.tap("501", "save"); !strings.Contains(out, "Rekening disimpan") {
		t.Fatalf("Andi's account: %s", out)
	}
	w.account(budi, "ID_JAGO", xendittest.AccountInvalidDestination, "Budi Santoso")
	w.account(citra, "ID_BCA", "9876543210", "Citra Dewi")

	// The owner sets a weekly schedule in chat: Fridays at 10.00 WIB.
	w.say("900", "/pencairan")
	w.tap("900", "ps:sched")
	w.tap("900", "f:weekly")
	w.tap("900", "wd:5")
	w.say("900", "10.00")
	if out := w.tap("900", "tz:WIB"); !strings.Contains(out, "Setiap Jumat, 10.00 WIB") || !strings.Contains(out, "14/03 10.00 WIB") {
		t.Fatalf("schedule: %s", out)
	}
	w.tap("900", "ps:done")

	// Thursday: nothing is due. Friday 10.01: the batch.
	w.clock.Set(time.Date(2025, 3, 13, 10, 0, 0, 0, poWIB))
	if n, err := w.svc.RunPayouts(w.ctx); err != nil || n != 0 {
		t.Fatalf("Thursday's run: %d payouts, %v", n, err)
	}
	w.clock.Set(time.Date(2025, 3, 14, 10, 1, 0, 0, poWIB))
	var wg sync.WaitGroup
	for range 4 { // several instances at once
		wg.Go(func() {
			if _, err := w.svc.RunPayouts(w.ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := w.count("SELECT count(*) FROM payouts"); n != 2 {
		t.Fatalf("%d payouts, want Andi's and Budi's", n)
	}
	card := w.told(w.owner, "Pencairan komisi #", "Andi Saputra: Rp120.000 → BCA 1234567890 a.n. Andi Saputra", "Budi Santoso: Rp80.000", "total Rp200.000")
	w.told(andiUser, "Komisi Rp120.000 akan dicairkan ke BCA ••••7890", "Menunggu persetujuan")
	if len(card.Options) != 2 || !strings.HasPrefix(card.Options[0].ID, "pob:ok:") {
		t.Fatalf("card options: %+v", card.Options)
	}
	if got := w.balance(andi.ID); got.Available != 0 || got.InTransit != 120_000 {
		t.Errorf("Andi after the run: %+v", got)
	}

	// A reseller cannot approve; the owner approves in chat.
	if _, err := w.engine.Handle(w.ctx, bot.Inbound{Chat: bot.Address{Channel: lapak.Telegram, ChatID: "501"}, UserID: "501", UpdateID: "x",
		Kind: bot.KindOption, Option: card.Options[0].ID}); lapak.KindOf(err) != lapak.KindForbidden {
		t.Errorf("a reseller approving: %v", err)
	}
	if out := w.tap("900", card.Options[0].ID); !strings.Contains(out, "disetujui: 2 reseller, total Rp200.000") {
		t.Fatalf("approval: %s", out)
	}
	if out := w.tap("900", card.Options[0].ID); !strings.Contains(out, "sudah diputuskan") {
		t.Errorf("a second tap: %s", out)
	}

	// The send jobs create the payouts at Xendit, each under its own key.
	andiPay, budiPay := w.waitStatus(andi.ID, lapak.PayoutAccepted), w.waitStatus(budi.ID, lapak.PayoutAccepted)
	for _, p := range []lapak.Payout{andiPay, budiPay} {
		x := w.fakePayout(p.Key)
		reqs := w.fake.RequestsTo(http.MethodPost, "/v2/payouts")
		keyed := 0
		for _, r := range reqs {
			if r.Header.Get("Idempotency-Key") == p.Key {
				keyed++
			}
		}
		if keyed != 1 || x.Amount != int64(p.Amount) || x.ChannelProperties.AccountNumber != p.Account.Number || p.XenditID != x.ID {
			t.Errorf("payout %s at Xendit: %+v, %d requests with its key", p.Key, x, keyed)
		}
	}

	// Xendit settles them: Andi's succeeds, Budi's account does not exist.
	if err := w.fake.SettlePayout(andiPay.XenditID); err != nil {
		t.Fatal(err)
	}
	if err := w.fake.SettlePayout(budiPay.XenditID); err != nil {
		t.Fatal(err)
	}
	for _, d := range w.fake.Deliveries() {
		if !d.OK() {
			t.Errorf("callback %s answered %d %s", d.Event, d.Status, d.Err)
		}
	}
	if got := w.balance(andi.ID); got.Available != 0 || got.InTransit != 0 || got.Paid != 120_000 {
		t.Errorf("Andi after success: %+v", got)
	}
	w.told(andiUser, "Komisi Rp120.000 sudah ditransfer ke BCA ••••7890", andiPay.XenditID)
	if got := w.balance(budi.ID); got.Available != 80_000 || got.InTransit != 0 || got.Paid != 0 {
		t.Errorf("Budi after failure: %+v", got)
	}
	w.told(budiUser, "Pencairan komisi Rp80.000", "gagal", "tidak ditemukan", "/rekening", "kembali tersedia")
	w.told(w.owner, "Budi Santoso", "INVALID_DESTINATION")
	if p := w.payoutOf(budi.ID); p.Status != lapak.PayoutFailed || p.FailureCode != xendit.FailureInvalidDestination {
		t.Errorf("Budi's payout: %+v", p)
	}

	// Budi's invalid account is not paid again; his outlook says why.
	o, err := w.svc.PayoutOutlook(w.ctx, budi.ID)
	if err != nil || o.Block != lapak.BlockInvalid || !o.Next.Equal(time.Date(2025, 3, 21, 10, 0, 0, 0, poWIB)) || o.Available != 80_000 {
		t.Errorf("Budi's outlook: %+v, %v", o, err)
	}
	o, err = w.svc.PayoutOutlook(w.ctx, andi.ID)
	if err != nil || o.PaidThisMonth != 120_000 || o.InProcess != 0 || o.Block != lapak.BlockUnderMinimum || o.Needed != 50_000 {
		t.Errorf("Andi's outlook: %+v, %v", o, err)
	}
	w.checkLedger()
}

func TestPayoutCreationRetriedAfterATimeoutPaysOnce(t *testing.T) {
	w := newPayoutWorld(t, -1) // no client retries: the job's retry is what is tested
	andi, _ := w.reseller("501", "Andi", 100_000)
	w.account(andi, "ID_BCA", "1234567890", "Andi")
	set := lapak.DefaultPayoutSettings()
	set.Enabled, set.AutoApproveBelow = true, 1_000_000 // sent without approval
	if _, err := w.svc.SavePayoutSettings(w.ctx, set, w.owner.ID); err != nil {
		t.Fatal(err)
	}
	// Xendit makes the payout, but the answer is lost: the first attempt times out.
	w.fake.FailNextAfterHandling("/v2/payouts", http.StatusGatewayTimeout, "")
	w.clock.Set(time.Date(2025, 3, 14, 10, 1, 0, 0, poWIB))
	if _, err := w.svc.RunPayouts(w.ctx); err != nil {
		t.Fatal(err)
	}
	p := w.waitStatus(andi.ID, lapak.PayoutAccepted)
	reqs := w.fake.RequestsTo(http.MethodPost, "/v2/payouts")
	if len(reqs) != 2 || len(w.fake.Payouts()) != 1 {
		t.Fatalf("%d create calls, %d payouts at Xendit; want 2 calls and 1 payout", len(reqs), len(w.fake.Payouts()))
	}
	if reqs[0].Header.Get("Idempotency-Key") != p.Key || reqs[1].Header.Get("Idempotency-Key") != p.Key || !bytes.Equal(reqs[0].Body, reqs[1].Body) {
		t.Errorf("the retry was not the same request:\n%s %s\n%s %s", reqs[0].Header.Get("Idempotency-Key"), reqs[0].Body,
			reqs[1].Header.Get("Idempotency-Key"), reqs[1].Body)
	}
	// Sending again (a reconciliation, a duplicate job) still makes one payout.
	if err := w.svc.SendPayout(w.ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if len(w.fake.Payouts()) != 1 || w.fakePayout(p.Key).ID != p.XenditID {
		t.Errorf("payouts at Xendit: %+v", w.fake.Payouts())
	}
	w.checkLedger()
}

// callbackFor is Xendit's example payout callback (fixture, from the xendit package's testdata)
// about payout p.
func callbackFor(t *testing.T, fixture string, p lapak.Payout) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("xendit", "testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	data := body["data"].(map[string]any)
	data["id"], data["reference_id"], data["amount"] = p.XenditID, p.Key, p.Amount
	out, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// post sends a payout callback with token and returns the status.
func (w *payoutWorld) post(body []byte, token string) int {
	w.t.Helper()
	req, err := http.NewRequest(http.MethodPost, w.hook, bytes.NewReader(body))
	if err != nil {
		w.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set(xendit.CallbackTokenHeader, token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func TestPayoutWebhook(t *testing.T) {
	w := newPayoutWorld(t, 3)
	andi, andiUser := w.reseller("501", "Andi", 100_000)
	w.account(andi, "ID_BCA", "1234567890", "Andi")
	set := lapak.DefaultPayoutSettings()
	set.Enabled, set.AutoApproveBelow = true, 1_000_000
	if _, err := w.svc.SavePayoutSettings(w.ctx, set, w.owner.ID); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(time.Date(2025, 3, 14, 10, 1, 0, 0, poWIB))
	if _, err := w.svc.RunPayouts(w.ctx); err != nil {
		t.Fatal(err)
	}
	p := w.waitStatus(andi.ID, lapak.PayoutAccepted)
	succeeded := callbackFor(t, "payout_callback_succeeded.json", p)

	t.Run("AForgedCallbackIsRefusedAndChangesNothing", func(t *testing.T) {
		for _, token := range []string{"", "guessed-token", w.fake.CallbackToken() + "x"} {
			if status := w.post(succeeded, token); status != http.StatusUnauthorized {
				t.Errorf("token %q: %d, want 401", token, status)
			}
		}
		if n := w.count("SELECT count(*) FROM xendit_callbacks"); n != 0 {
			t.Errorf("%d forged callbacks kept", n)
		}
		if got := w.balance(andi.ID); got.InTransit != 100_000 || got.Paid != 0 {
			t.Errorf("balance after forged callbacks: %+v", got)
		}
		if w.payoutOf(andi.ID).Status != lapak.PayoutAccepted {
			t.Error("a forged callback moved the payout")
		}
	})
	t.Run("GarbageIsABadRequest", func(t *testing.T) {
		if status := w.post([]byte(`{"event":"v3_payout.succeeded"}`), w.fake.CallbackToken()); status != http.StatusBadRequest {
			t.Errorf("status %d", status)
		}
	})
	t.Run("TheRealCallbackPaysOnceHoweverOftenItComes", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if status := w.post(succeeded, w.fake.CallbackToken()); status != http.StatusOK {
					t.Errorf("status %d", status)
				}
			})
		}
		wg.Wait()
		if got := w.balance(andi.ID); got.InTransit != 0 || got.Paid != 100_000 {
			t.Errorf("balance: %+v", got)
		}
		paid := 0
		for _, r := range w.notes(andiUser) {
			if strings.Contains(r.Text, "sudah ditransfer") {
				paid++
			}
		}
		if paid != 1 {
			t.Errorf("Andi was told %d times", paid)
		}
	})
	t.Run("AnotherSystemsPayoutIsIgnored", func(t *testing.T) {
		other := callbackFor(t, "payout_callback_failed.json", lapak.Payout{XenditID: "disb-000000000000000000000000", Key: "not-ours", Amount: 10_000})
		if status := w.post(other, w.fake.CallbackToken()); status != http.StatusOK {
			t.Errorf("status %d", status)
		}
	})
	w.checkLedger()
}

func TestReversedAndStuckPayouts(t *testing.T) {
	w := newPayoutWorld(t, 3)
	andi, andiUser := w.reseller("501", "Andi", 100_000)
	budi, budiUser := w.reseller("502", "Budi", 70_000)
	w.account(andi, "ID_JAGO", xendittest.AccountReversed, "Andi")
	w.account(budi, "ID_JAGO", xendittest.AccountStaysAccepted, "Budi")
	set := lapak.DefaultPayoutSettings()
	set.Enabled, set.AutoApproveBelow = true, 1_000_000
	if _, err := w.svc.SavePayoutSettings(w.ctx, set, w.owner.ID); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(time.Date(2025, 3, 14, 10, 1, 0, 0, poWIB))
	if _, err := w.svc.RunPayouts(w.ctx); err != nil {
		t.Fatal(err)
	}
	andiPay, budiPay := w.waitStatus(andi.ID, lapak.PayoutAccepted), w.waitStatus(budi.ID, lapak.PayoutAccepted)

	// Succeeded, then reversed by the bank: the money is available again and the owners alerted.
	if err := w.fake.SettlePayout(andiPay.XenditID); err != nil {
		t.Fatal(err)
	}
	if got := w.balance(andi.ID); got.Available != 100_000 || got.InTransit != 0 {
		t.Errorf("Andi after the reversal: %+v", got)
	}
	w.told(andiUser, "dikembalikan oleh bank", "kembali tersedia")
	w.told(w.owner, "REVERSED", "Andi")
	if p := w.payoutOf(andi.ID); p.Status != lapak.PayoutReversed {
		t.Errorf("Andi's payout: %s", p.Status)
	}

	// Budi's stays ACCEPTED: reconciliation asks Xendit, and finds it cancelled later.
	if n, err := w.svc.ReconcilePayouts(w.ctx); err != nil || n != 0 {
		t.Errorf("reconciling fresh payouts: %d, %v", n, err)
	}
	w.clock.Set(w.clock.Now().Add(time.Hour))
	if n, err := w.svc.ReconcilePayouts(w.ctx); err != nil || n != 1 {
		t.Errorf("reconciling a stuck payout: %d, %v", n, err)
	}
	if p := w.payoutOf(budi.ID); p.Status != lapak.PayoutAccepted {
		t.Errorf("Budi's payout after a reconciliation that found it ACCEPTED: %s", p.Status)
	}
	if _, err := xendit.New(xendit.Config{BaseURL: w.fake.URL(), SecretKey: w.fake.SecretKey()}).CancelPayout(w.ctx, budiPay.XenditID); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(w.clock.Now().Add(time.Hour))
	if _, err := w.svc.ReconcilePayouts(w.ctx); err != nil {
		t.Fatal(err)
	}
	if p := w.payoutOf(budi.ID); p.Status != lapak.PayoutFailed || p.FailureCode != "CANCELLED" {
		t.Errorf("Budi's cancelled payout: %+v", p)
	}
	if got := w.balance(budi.ID); got.Available != 70_000 || got.InTransit != 0 {
		t.Errorf("Budi after the cancellation: %+v", got)
	}
	w.told(budiUser, "dibatalkan")
	w.checkLedger()
}

func TestBankAccountsAreChecked(t *testing.T) {
	w := newPayoutWorld(t, 3)
	andi, _ := w.reseller("501", "Andi", 0)
	for _, tt := range []struct {
		channel, number, holder, key string
	}{
		{"ID_BCA", "12345abcde", "Andi", "payout.number_digits_only"},
		{"ID_BCA", "123456789", "Andi", "payout.number_length"},
		{"ID_NOPE", "1234567890", "Andi", "payout.bank_unknown"},
		{"ID_BCA", "1234567890", "  ", "payout.holder_empty"},
		{"ID_DANA", "081234567890", "Andi", "payout.bank_unknown"}, // e-wallets are off
	} {
		_, err := w.svc.SaveBankAccount(w.ctx, andi.ID, lapak.BankAccount{Channel: tt.channel, Number: tt.number, Holder: tt.holder})
		var e *lapak.Error
		if !errors.As(err, &e) || e.Key != tt.key {
			t.Errorf("%s %q %q: %v, want %s", tt.channel, tt.number, tt.holder, err, tt.key)
		}
	}
	if n := w.count("SELECT count(*) FROM bank_accounts"); n != 0 {
		t.Errorf("%d bad accounts saved", n)
	}
	// A change holds payouts for a day, and the owners see the new holder's name.
	w.account(andi, "ID_BCA", "1234567890", "Andi")
	a, err := w.svc.SaveBankAccount(w.ctx, andi.ID, lapak.BankAccount{Channel: "ID_MANDIRI", Number: "1234567890123", Holder: "Andi Saputra"})
	if err != nil || !a.HoldUntil.Equal(w.clock.Now().Add(24*time.Hour)) {
		t.Errorf("changed account: %+v, %v", a, err)
	}
	w.told(w.owner, "Andi mengganti rekening", "Mandiri 1234567890123 a.n. Andi Saputra", "13/03 12.00 WIB")
}
