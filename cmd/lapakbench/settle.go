package main

import (
	"bytes"
	"context"
	cryptorand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
	"github.com/lapak-id/lapak/storage"
)

const settleUsage = `Usage: lapakbench settle [flags]

Measures settlements per second through Lapak's Xendit invoice webhook, next to a plain pgx
transaction of the same shape, on a fresh database. Flags:
`

// minSettleRatio is the target: the webhook's settlements/s at least this share of the plain
// transaction's.
const minSettleRatio = 0.5

// settleOptions are the settle benchmark's flags.
type settleOptions struct {
	orders      int    // orders each side settles in the measured rounds
	concurrency int    // callbacks or transactions in flight
	rounds      int    // measured phases per side, alternating, after a warm-up of each
	databaseURL string // the Postgres server to create the benchmark's database on
}

// warmups is how many orders each side settles before the measured rounds.
func (o settleOptions) warmups() int { return max(1, min(100, o.orders/10)) }

// settleBench is the settle benchmark:
//
//	go run ./cmd/lapakbench settle [-orders 2000] [-concurrency 8] [-rounds 2]
//
// It creates a fresh database on the server at LAPAKBENCH_DATABASE_URL (default
// postgres://root@127.0.0.1:5432/), migrates it, seeds the checkout benchmark's catalog with an
// owner, and places orders of two lines for a reseller through PlaceOrder, each with a pending
// Xendit invoice recorded through SaveInvoice; it drops the database at the end. Two sides settle
// the same number of orders at the same concurrency, in alternating phases after a warm-up. The
// webhook side posts each order's PAID callback, shaped as Xendit's example, with the callback
// token, to Lapak's invoice webhook served in this process: the callback is stored for audit; the
// order and invoice are marked paid, the payment journal posted under locks and the notifications
// enqueued in one transaction; its outcome is recorded and it is answered 200. The plain side does
// in one pgx transaction what that commits, with the journal and job arguments computed beforehand:
// lock the order, mark it and its invoice paid, insert the journal, lock and update the balances it
// touches in account order, insert its entries and as many jobs as the webhook enqueues per
// settlement, and commit. It prints both settlements/s and the ratio, with a PASS or FAIL line for
// the target of 0.5. A callback not answered 200, a failed transaction, or a ledger that does not
// show every order paid exactly once, balanced, fails the run and makes lapakbench exit non-zero.
func settleBench(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var o settleOptions
	fs := flag.NewFlagSet("lapakbench settle", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() { fmt.Fprint(stdout, settleUsage); fs.PrintDefaults() }
	fs.IntVar(&o.orders, "orders", 2000, "orders each side settles in the measured rounds")
	fs.IntVar(&o.concurrency, "concurrency", 8, "callbacks or transactions in flight")
	fs.IntVar(&o.rounds, "rounds", 2, "measured phases per side, alternating")
	fs.StringVar(&o.databaseURL, "db", orDefault(getenv("LAPAKBENCH_DATABASE_URL"), "postgres://root@127.0.0.1:5432/"),
		"Postgres server to create the benchmark database on (LAPAKBENCH_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if o.concurrency < 1 || o.rounds < 1 || o.orders < o.rounds {
		return errors.New("-concurrency and -rounds must be at least 1, -orders at least -rounds")
	}
	return benchSettle(ctx, o, stdout)
}

// benchSettle creates the database, seeds it, runs the phases, checks the ledger and reports.
func benchSettle(ctx context.Context, o settleOptions, out io.Writer) (err error) {
	db, err := openBenchDatabase(ctx, o.databaseURL, o.concurrency+4)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.close(context.WithoutCancel(ctx), out, false)) }()
	pool := db.pool
	inserter, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return err
	}
	store := storage.New(pool, inserter, nil)
	store.EnableInvoices()
	fake := xendittest.New(xendittest.Config{})
	defer fake.Close()
	r := &settleRun{opts: o, out: out, pool: pool, store: store, token: fake.CallbackToken()}
	return r.run(ctx, fake, db.stores.postgresVer)
}

// settleRun is one run of the settle benchmark.
type settleRun struct {
	opts     settleOptions
	out      io.Writer
	pool     *pgxpool.Pool
	store    *storage.Store
	token    string
	hook     string       // the webhook's URL
	client   *http.Client // posts the callbacks
	accounts map[lapak.Account]int64
	jobs     []benchJob // what the plain side enqueues per settlement, as the webhook did
}

// payable is a placed order with a pending invoice, and what each side needs to settle it.
type payable struct {
	orderID  int64
	xenditID string
	callback []byte        // the PAID callback's body
	journal  lapak.Journal // the payment journal, for the plain side
}

// benchJob is one job the plain side inserts: the kind, queue, attempts and arguments of a job
// the webhook enqueued.
type benchJob struct {
	kind, queue string
	maxAttempts int16
	args        []byte
}

// settleSide settles one order: through the webhook or in the plain transaction.
type settleSide struct {
	name   string
	settle func(ctx context.Context, p payable) error
}

// settleResult is what one phase of one side did.
type settleResult struct {
	settled int
	failed  int
	first   error
	elapsed time.Duration
}

// run seeds, serves the webhook, warms both sides up, runs the rounds, checks and reports.
func (r *settleRun) run(ctx context.Context, fake *xendittest.Server, postgresVer string) error {
	sides := []settleSide{{"plain pgx transaction", r.settlePlain}, {"Lapak webhook", r.settleLapak}}
	n := len(sides) * (r.opts.warmups() + r.opts.orders)
	fmt.Fprintf(r.out, "seeding %d orders with pending invoices …\n", n)
	began := time.Now()
	orders, err := r.seed(ctx, n)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(r.out, "seeded in %s\n", time.Since(began).Round(time.Second))
	svc := payments.New(payments.Config{
		Xendit:        xendit.New(xendit.Config{BaseURL: fake.URL(), SecretKey: fake.SecretKey()}),
		Store:         r.store,
		CallbackToken: r.token,
		Logger:        slog.New(slog.NewJSONHandler(io.Discard, nil)), // formatted as in production, then dropped
	})
	srv := httptest.NewServer(svc.InvoiceWebhook())
	defer srv.Close()
	r.hook = srv.URL + "/webhooks/xendit/invoice"
	r.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: r.opts.concurrency}, Timeout: time.Minute}
	defer r.client.CloseIdleConnections()
	load := loadAverage()
	lapakOrders, plainOrders := orders[:len(orders)/2], orders[len(orders)/2:]
	if err := r.warmUp(ctx, sides, lapakOrders, plainOrders); err != nil {
		return err
	}
	totals := r.rounds(ctx, sides, [][]payable{plainOrders[r.opts.warmups():], lapakOrders[r.opts.warmups():]})
	ledgerErr := r.checkLedger(ctx, lapakOrders, plainOrders)
	r.report(sides, totals, load, postgresVer, ledgerErr)
	for i, t := range totals {
		if t.failed > 0 {
			return fmt.Errorf("%s: %d settlements failed, the first: %w", sides[i].name, t.failed, t.first)
		}
	}
	return ledgerErr
}

// warmUp settles the warm-up orders through the webhook, learns from them which jobs a
// settlement enqueues, then warms the plain side up with those.
func (r *settleRun) warmUp(ctx context.Context, sides []settleSide, lapakOrders, plainOrders []payable) error {
	fmt.Fprintln(r.out, "warming up …")
	w := r.opts.warmups()
	var before int
	if err := r.pool.QueryRow(ctx, "SELECT count(*) FROM river_job").Scan(&before); err != nil {
		return err
	}
	if res := r.phase(ctx, sides[1], lapakOrders[:w]); res.failed > 0 {
		return fmt.Errorf("%s: %d settlements failed in the warm-up, the first: %w", sides[1].name, res.failed, res.first)
	}
	if err := r.learnJobs(ctx, before, w); err != nil {
		return err
	}
	if res := r.phase(ctx, sides[0], plainOrders[:w]); res.failed > 0 {
		return fmt.Errorf("%s: %d settlements failed in the warm-up, the first: %w", sides[0].name, res.failed, res.first)
	}
	return nil
}

// learnJobs reads the jobs the webhook enqueued for the n settlements since the queue held
// before jobs, and keeps one settlement's worth for the plain side.
func (r *settleRun) learnJobs(ctx context.Context, before, n int) error {
	var after int
	if err := r.pool.QueryRow(ctx, "SELECT count(*) FROM river_job").Scan(&after); err != nil {
		return err
	}
	if (after-before)%n != 0 || after == before {
		return fmt.Errorf("%d settlements enqueued %d jobs: not the same number each", n, after-before)
	}
	rows, err := r.pool.Query(ctx, "SELECT kind, queue, max_attempts, args FROM river_job ORDER BY id DESC LIMIT $1", (after-before)/n)
	if err != nil {
		return err
	}
	r.jobs, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (benchJob, error) {
		var j benchJob
		return j, row.Scan(&j.kind, &j.queue, &j.maxAttempts, &j.args)
	})
	return err
}

// rounds runs the measured phases, each side's orders split evenly, alternating which side goes
// first, and sums each side's phases.
func (r *settleRun) rounds(ctx context.Context, sides []settleSide, orders [][]payable) []settleResult {
	totals := make([]settleResult, len(sides))
	n := r.opts.orders
	for round := range r.opts.rounds {
		from, to := n*round/r.opts.rounds, n*(round+1)/r.opts.rounds
		for i := range sides {
			k := (i + round) % len(sides)
			fmt.Fprintf(r.out, "round %d: %s …\n", round+1, sides[k].name)
			res := r.phase(ctx, sides[k], orders[k][from:to])
			t := &totals[k]
			t.settled, t.failed, t.elapsed = t.settled+res.settled, t.failed+res.failed, t.elapsed+res.elapsed
			if t.first == nil {
				t.first = res.first
			}
		}
	}
	return totals
}

// phase settles orders from concurrency goroutines, each taking the next order, and counts them.
func (r *settleRun) phase(ctx context.Context, side settleSide, orders []payable) settleResult {
	var next atomic.Int64
	var mu sync.Mutex
	var res settleResult
	var wg sync.WaitGroup
	start := time.Now()
	for range r.opts.concurrency {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(orders)) && ctx.Err() == nil; i = next.Add(1) - 1 {
				err := side.settle(ctx, orders[i])
				mu.Lock()
				if err != nil {
					if res.failed++; res.first == nil {
						res.first = err
					}
				} else {
					res.settled++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// settleLapak posts p's PAID callback to the webhook, as Xendit does, and wants 200.
func (r *settleRun) settleLapak(ctx context.Context, p payable) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.hook, bytes.NewReader(p.callback))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(xendit.CallbackTokenHeader, r.token)
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("callback for invoice %s: %d %s", p.xenditID, resp.StatusCode, bytes.TrimSpace(body))
	}
	return nil
}

// settlePlain settles p in the least a settlement could do: lock the order, mark it and its
// invoice paid, insert the journal, lock and update the balances it touches, insert its entries
// and the jobs, commit.
func (r *settleRun) settlePlain(ctx context.Context, p payable) error {
	return pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error { return r.plainTx(ctx, tx, p) })
}

func (r *settleRun) plainTx(ctx context.Context, tx pgx.Tx, p payable) error {
	now := time.Now()
	var status string
	if err := tx.QueryRow(ctx, "SELECT status FROM orders WHERE id = $1 FOR UPDATE", p.orderID).Scan(&status); err != nil {
		return err
	}
	if status != string(lapak.OrderPending) {
		return fmt.Errorf("order %d is %s", p.orderID, status)
	}
	if _, err := tx.Exec(ctx, "UPDATE invoices SET status = 'paid', updated_at = $2 WHERE order_id = $1", p.orderID, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "UPDATE orders SET status = 'paid', paid_at = $2, updated_at = $2 WHERE id = $1", p.orderID, now); err != nil {
		return err
	}
	j := p.journal
	var txnID int64
	if err := tx.QueryRow(ctx, "INSERT INTO ledger_transactions (key, kind, order_id, memo) VALUES ($1, $2, $3, $4) RETURNING id",
		j.Key, j.Kind, j.OrderID, j.Memo).Scan(&txnID); err != nil {
		return err
	}
	if err := r.plainBalances(ctx, tx, j); err != nil {
		return err
	}
	if err := r.plainEntries(ctx, tx, txnID, j); err != nil {
		return err
	}
	return r.plainJobs(ctx, tx)
}

// plainBalances locks the journal's accounts in id order and adds its entries to their balances.
func (r *settleRun) plainBalances(ctx context.Context, tx pgx.Tx, j lapak.Journal) error {
	ids, amounts := make([]int64, len(j.Entries)), make([]int64, len(j.Entries))
	for i, e := range j.Entries {
		ids[i], amounts[i] = r.accounts[e.Account], int64(e.Amount)
	}
	if _, err := tx.Exec(ctx, "SELECT 1 FROM ledger_accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE", ids); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `
		UPDATE ledger_accounts a SET balance = a.balance + d.delta
		FROM (SELECT id, sum(amount) AS delta FROM unnest($1::bigint[], $2::bigint[]) AS e (id, amount) GROUP BY id) d
		WHERE a.id = d.id`, ids, amounts)
	return err
}

// plainEntries inserts the journal's entries.
func (r *settleRun) plainEntries(ctx context.Context, tx pgx.Tx, txnID int64, j lapak.Journal) error {
	ids, amounts := make([]int64, len(j.Entries)), make([]int64, len(j.Entries))
	lines, memos := make([]*int32, len(j.Entries)), make([]string, len(j.Entries))
	for i, e := range j.Entries {
		ids[i], amounts[i], memos[i] = r.accounts[e.Account], int64(e.Amount), e.Memo
		if e.Line > 0 {
			line := int32(e.Line)
			lines[i] = &line
		}
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO ledger_entries (txn_id, account_id, amount, line, memo)
		SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::int[], $5::text[])`, txnID, ids, amounts, lines, memos)
	return err
}

// plainJobs inserts the jobs a settlement enqueues, available at once.
func (r *settleRun) plainJobs(ctx context.Context, tx pgx.Tx) error {
	n := len(r.jobs)
	kinds, queues, attempts, args := make([]string, n), make([]string, n), make([]int16, n), make([]string, n)
	for i, j := range r.jobs {
		kinds[i], queues[i], attempts[i], args[i] = j.kind, j.queue, j.maxAttempts, string(j.args)
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO river_job (kind, queue, max_attempts, args, priority, state)
		SELECT k, q, m, a, 1, 'available' FROM unnest($1::text[], $2::text[], $3::smallint[], $4::jsonb[]) AS j (k, q, m, a)`,
		kinds, queues, attempts, args)
	return err
}

// seed makes the owner and the checkout benchmark's catalog, then places n orders with a pending
// invoice each, from concurrency goroutines, and creates the ledger accounts they pay into.
func (r *settleRun) seed(ctx context.Context, n int) ([]payable, error) {
	if err := r.store.EnsureOwners(ctx, lapak.Telegram, []string{"1"}, lapak.Indonesian); err != nil {
		return nil, err
	}
	shop, err := seedShop(ctx, r.store, checkoutOptions{hot: 4, products: 40, customers: 200})
	if err != nil {
		return nil, err
	}
	suppliers, err := r.suppliers(ctx)
	if err != nil {
		return nil, err
	}
	orders := make([]payable, n)
	var next atomic.Int64
	errs := make([]error, r.opts.concurrency)
	var wg sync.WaitGroup
	for g := range r.opts.concurrency {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			for i := next.Add(1) - 1; i < int64(n) && errs[g] == nil; i = next.Add(1) - 1 {
				orders[i], errs[g] = r.placePayable(ctx, shop, suppliers, rng, i)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return orders, r.createAccounts(ctx, orders)
}

// suppliers maps every product to its supplier.
func (r *settleRun) suppliers(ctx context.Context) (map[int64]int64, error) {
	rows, err := r.pool.Query(ctx, "SELECT id, supplier_id FROM products")
	if err != nil {
		return nil, err
	}
	out := map[int64]int64{}
	var product, supplier int64
	_, err = pgx.ForEachRow(rows, []any{&product, &supplier}, func() error { out[product] = supplier; return nil })
	return out, err
}

// placePayable places the i-th order, one hot product and one other for the reseller, and
// records its invoice as the creation job would once Xendit made it.
func (r *settleRun) placePayable(ctx context.Context, shop *benchShop, suppliers map[int64]int64, rng *rand.Rand, i int64) (payable, error) {
	o, err := r.store.PlaceOrder(ctx, lapak.NewOrder{
		Key:            fmt.Sprintf("settle:%d", i),
		CustomerUserID: shop.customers[rng.IntN(len(shop.customers))],
		ResellerID:     shop.reseller.ID,
		Items: []lapak.CartItem{
			{ProductID: shop.hot[rng.IntN(len(shop.hot))], Qty: 1},
			{ProductID: shop.others[rng.IntN(len(shop.others))], Qty: 1},
		},
		ZoneID:    shop.zone.ID,
		Name:      "Siti Aminah",
		Phone:     "+6281234567890",
		Address:   lapak.Address{Street: "Jl. Merdeka 10", Kelurahan: "Citarum", Kecamatan: "Bandung Wetan", City: "Bandung", PostalCode: "40115"},
		ExpiresAt: time.Now().Add(24 * time.Hour),
	}, nil)
	if err != nil {
		return payable{}, err
	}
	id := newXenditID()
	c := payments.Created{XenditID: id, URL: "https://checkout-staging.xendit.co/web/" + id, ExpiresAt: o.ExpiresAt}
	if _, err := r.store.SaveInvoice(ctx, o.ID, c, nil); err != nil {
		return payable{}, err
	}
	body, err := paidCallbackOf(o, id)
	return payable{orderID: o.ID, xenditID: id, callback: body, journal: lapak.PaymentJournal(o, id, suppliers)}, err
}

// newXenditID is an invoice ID as Xendit makes them: 24 hex digits.
func newXenditID() string {
	b := make([]byte, 12)
	cryptorand.Read(b)
	return hex.EncodeToString(b)
}

// paidCallback is the body of Xendit's PAID invoice callback, with the fields and order of
// Xendit's example (payments/xendit/testdata/invoice_callback_paid.json).
type paidCallback struct {
	ID                     string `json:"id"`
	ExternalID             string `json:"external_id"`
	UserID                 string `json:"user_id"`
	IsHigh                 bool   `json:"is_high"`
	PaymentMethod          string `json:"payment_method"`
	Status                 string `json:"status"`
	MerchantName           string `json:"merchant_name"`
	Amount                 int64  `json:"amount"`
	PaidAmount             int64  `json:"paid_amount"`
	BankCode               string `json:"bank_code"`
	PaidAt                 string `json:"paid_at"`
	PayerEmail             string `json:"payer_email"`
	Description            string `json:"description"`
	AdjustedReceivedAmount int64  `json:"adjusted_received_amount"`
	FeesPaidAmount         int64  `json:"fees_paid_amount"`
	Updated                string `json:"updated"`
	Created                string `json:"created"`
	Currency               string `json:"currency"`
	PaymentChannel         string `json:"payment_channel"`
	PaymentDestination     string `json:"payment_destination"`
}

// paidCallbackOf is the callback Xendit sends when o's invoice id is paid in full by BCA virtual
// account.
func paidCallbackOf(o lapak.Order, id string) ([]byte, error) {
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	return json.Marshal(paidCallback{
		ID: id, ExternalID: o.Ref, UserID: xendittest.DefaultBusinessID, PaymentMethod: "BANK_TRANSFER", Status: "PAID",
		MerchantName: xendittest.DefaultMerchantName, Amount: int64(o.Total), PaidAmount: int64(o.Total), BankCode: "BCA",
		PaidAt: now, PayerEmail: "siti@example.com", Description: "Pesanan " + o.Ref, AdjustedReceivedAmount: int64(o.Total),
		Updated: now, Created: o.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), Currency: "IDR",
		PaymentChannel: "BCA", PaymentDestination: fmt.Sprintf("38165%011d", o.ID),
	})
}

// createAccounts creates the accounts the orders' journals touch, as the first payments would,
// and keeps their ids for the plain side.
func (r *settleRun) createAccounts(ctx context.Context, orders []payable) error {
	r.accounts = map[lapak.Account]int64{}
	for _, p := range orders {
		for _, e := range p.journal.Entries {
			r.accounts[e.Account] = 0
		}
	}
	for a := range r.accounts {
		var id int64
		err := r.pool.QueryRow(ctx, `
			INSERT INTO ledger_accounts (kind, holder) VALUES ($1, $2)
			ON CONFLICT (kind, holder) DO UPDATE SET kind = EXCLUDED.kind RETURNING id`, a.Kind, a.Holder).Scan(&id)
		if err != nil {
			return fmt.Errorf("create account %s: %w", a, err)
		}
		r.accounts[a] = id
	}
	return nil
}

// checkLedger checks that every order is paid with its invoice, that each side's orders have
// exactly one payment journal each under their invoice's key, that every callback settled its
// order, and that the ledger balances: every journal sums to zero, every balance is the sum of
// its entries, and the balances sum to zero.
func (r *settleRun) checkLedger(ctx context.Context, lapakOrders, plainOrders []payable) error {
	keys := func(ps []payable) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = lapak.PaymentKey(p.xenditID)
		}
		return out
	}
	var lapakJournals, plainJournals, journals, paid, settled, unbalanced, wrong int
	var sum int64
	err := r.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM ledger_transactions WHERE kind = 'payment' AND key = ANY($1)),
		(SELECT count(*) FROM ledger_transactions WHERE kind = 'payment' AND key = ANY($2)),
		(SELECT count(*) FROM ledger_transactions WHERE kind = 'payment'),
		(SELECT count(*) FROM orders o JOIN invoices i ON i.order_id = o.id WHERE o.status = 'paid' AND i.status = 'paid'),
		(SELECT count(*) FROM xendit_callbacks WHERE outcome = 'settled'),
		(SELECT count(*) FROM (SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0) x),
		(SELECT count(*) FROM ledger_accounts a WHERE balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = a.id)),
		(SELECT coalesce(sum(balance), 0) FROM ledger_accounts)`, keys(lapakOrders), keys(plainOrders)).
		Scan(&lapakJournals, &plainJournals, &journals, &paid, &settled, &unbalanced, &wrong, &sum)
	n := len(lapakOrders) + len(plainOrders)
	switch {
	case err != nil:
		return fmt.Errorf("check ledger: %w", err)
	case lapakJournals != len(lapakOrders) || settled != len(lapakOrders):
		return fmt.Errorf("%d of the webhook's %d orders have their payment journal, %d callbacks settled one", lapakJournals, len(lapakOrders), settled)
	case plainJournals != len(plainOrders):
		return fmt.Errorf("%d of the plain side's %d orders have their payment journal", plainJournals, len(plainOrders))
	case journals != n || paid != n:
		return fmt.Errorf("%d payment journals and %d orders paid with their invoice, want %d", journals, paid, n)
	case unbalanced != 0 || wrong != 0 || sum != 0:
		return fmt.Errorf("%d journals unbalanced, %d balances off their entries, balances sum to %d", unbalanced, wrong, sum)
	}
	return nil
}

// report prints the figures and the verdicts.
func (r *settleRun) report(sides []settleSide, totals []settleResult, load, postgresVer string, ledgerErr error) {
	o := r.opts
	fmt.Fprintf(r.out, "\nSettlements through Lapak's Xendit invoice webhook vs a plain pgx transaction of the same shape\n")
	fmt.Fprintf(r.out, "machine   %d CPUs, GOMAXPROCS %d, %s %s/%s; PostgreSQL %s on this machine; load %s before, %s after\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, postgresVer, load, loadAverage())
	fmt.Fprintf(r.out, "workload  %d in flight; %d orders per side, each of 2 lines for a reseller with a pending invoice; %d jobs per settlement\n",
		o.concurrency, o.orders, len(r.jobs))
	fmt.Fprintf(r.out, "          %d rounds per side, alternating, after a warm-up of %d orders each\n\n", o.rounds, o.warmups())
	fmt.Fprintf(r.out, "%-24s %11s %8s %8s %14s\n", "", "settlements", "failed", "seconds", "settlements/s")
	rate := make([]float64, len(totals))
	for i, t := range totals {
		rate[i] = float64(t.settled) / t.elapsed.Seconds()
		fmt.Fprintf(r.out, "%-24s %11d %8d %8.1f %14.0f\n", sides[i].name, t.settled, t.failed, t.elapsed.Seconds(), rate[i])
	}
	ratio := rate[1] / rate[0]
	fmt.Fprintf(r.out, "\n%s  throughput: the webhook settles %.2f× the plain transaction's settlements/s (target ≥ %.2f×)\n",
		verdict(ratio >= minSettleRatio), ratio, minSettleRatio)
	if ledgerErr != nil {
		fmt.Fprintf(r.out, "FAIL  ledger: %v\n", ledgerErr)
		return
	}
	fmt.Fprintf(r.out, "PASS  ledger: every order paid once, under its invoice's key; every journal balanced, every balance the sum of its entries\n")
}
