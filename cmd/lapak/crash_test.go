package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
	"github.com/lapak-id/lapak/storage"
)

// TestServeKilledMidCallbacksCreditsEachPaymentOnce builds the lapak binary and runs `lapak
// serve` as a child process with Telegram and Xendit faked. The server makes the payment links
// of 200 orders at the fake Xendit, whose customers then pay from eight goroutines at once; the
// fake posts each PAID callback to the server. A third of the way through the server is killed
// with SIGKILL, callbacks in flight, and started again on the same port; callbacks that failed
// meanwhile are sent again, as Xendit retries them. Every callback answered 2xx must then be in
// the ledger exactly once, its order paid, and the ledger balanced.
func TestServeKilledMidCallbacksCreditsEachPaymentOnce(t *testing.T) {
	t.Parallel()
	const orders, senders = 200, 8
	bin := buildBinary(t)
	xen := xendittest.New(xendittest.Config{})
	t.Cleanup(xen.Close)
	env := testEnv(t, telegramtest.New(t), map[string]string{
		"XENDIT_API_URL":          xen.URL(),
		"XENDIT_SECRET_KEY":       xen.SecretKey(),
		"XENDIT_CALLBACK_TOKEN":   xen.CallbackToken(),
		"TELEGRAM_MAX_PER_SECOND": "100000", // links and receipts to 200 chats; Telegram's cap is not under test
		"LOG_LEVEL":               "info",
	})
	logPath := filepath.Join(t.TempDir(), "lapak.log")
	t.Cleanup(func() { printLogOnFailure(t, logPath) })
	srv := startChild(t, bin, env, logPath)
	xen.SetCallbackURLs("http://"+env["HTTP_ADDR"]+invoiceWebhookPath, "")
	pool := openPool(t, env["DATABASE_URL"])
	invoices := payableOrders(t, pool, orders)

	up := newGate()
	third := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		payAll(t, xen, invoices, senders, up, func() { close(third) })
	}()
	select {
	case <-third:
	case <-done:
		t.Fatal("every invoice was paid before the kill")
	}
	up.shut()
	srv.kill()
	startChild(t, bin, env, logPath)
	up.reopen()
	<-done
	for range 5 {
		if xen.RedeliverFailed() == 0 {
			break
		}
	}

	delivered, failed := deliveries(t, xen)
	t.Logf("%d invoices paid; %d callbacks answered 2xx, %d failed around the kill; the server recorded outcomes %v",
		len(invoices), len(delivered), failed, outcomes(t, pool))
	if failed == 0 {
		t.Fatal("no callback failed: the kill did not hit the stream")
	}
	if len(delivered) != len(invoices) {
		t.Errorf("%d of %d invoices' callbacks were answered 2xx after the retries", len(delivered), len(invoices))
	}
	checkCreditedOnce(t, pool, delivered, len(invoices))
}

// openPool opens a pool on the server's database, closed when the test ends.
func openPool(t *testing.T, dsn string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// payableOrders places n orders of a product through a reseller, one per customer, and waits
// until the running server has made each one's invoice at Xendit; it returns the invoices' IDs.
func payableOrders(t *testing.T, pool *pgxpool.Pool, n int) []string {
	t.Helper()
	ctx := context.Background()
	jobs, err := insertOnly(pool)
	if err != nil {
		t.Fatal(err)
	}
	store := storage.New(pool, jobs, nil)
	store.EnableInvoices()
	kaos, reseller, zone := seedPayments(t, store, n)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < n; i += 4 {
				placeOrder(t, store, i, kaos, reseller, zone)
			}
		})
	}
	wg.Wait()
	waitPendingInvoices(t, pool, n)
	rows, err := pool.Query(ctx, "SELECT xendit_id FROM invoices WHERE status = 'pending' ORDER BY order_id")
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// seedPayments makes a product with stock for n orders, an approved reseller and a zone.
func seedPayments(t *testing.T, store *storage.Store, n int) (lapak.Product, lapak.Reseller, lapak.ShippingZone) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	owner, err := store.UserByChannel(ctx, lapak.Telegram, fmt.Sprint(ownerID))
	must(err)
	sup, err := store.CreateSupplier(ctx, "Kaos Nusantara", owner.ID)
	must(err)
	stock := 2 * n
	kaos, err := store.SaveProduct(ctx, lapak.Product{SupplierID: sup.ID, SKU: "KAOS-1", Name: "Kaos Polos", Category: "Kaos",
		BasePrice: 50_000, RetailPrice: 75_000, Commission: lapak.CommissionRule{Percent: 1000}, Stock: &stock, Active: true})
	must(err)
	andi, err := store.TouchUser(ctx, lapak.Telegram, "701", "701", "Andi", lapak.Indonesian)
	must(err)
	_, err = store.SubmitReseller(ctx, lapak.Reseller{UserID: andi.ID, Name: "Andi", Phone: "+6281234567891", City: "Bandung"}, nil)
	must(err)
	reseller, err := store.DecideReseller(ctx, andi.ID, owner.ID, true, nil)
	must(err)
	must(store.SetShippingZones(ctx, []lapak.ShippingZone{{Name: "Jawa", Fee: 15_000}}))
	zones, err := store.ShippingZones(ctx)
	must(err)
	return kaos, reseller, zones[0]
}

// placeOrder places the i-th customer's order of one or two of the product, held for two hours.
func placeOrder(t *testing.T, store *storage.Store, i int, kaos lapak.Product, reseller lapak.Reseller, zone lapak.ShippingZone) {
	ctx := context.Background()
	chat := fmt.Sprint(5000 + i)
	customer, err := store.TouchUser(ctx, lapak.Telegram, chat, chat, "Pembeli", lapak.Indonesian)
	if err != nil {
		t.Error(err)
		return
	}
	_, err = store.PlaceOrder(ctx, lapak.NewOrder{
		Key: "crash:" + chat, CustomerUserID: customer.ID, ResellerID: reseller.ID,
		Items: []lapak.CartItem{{ProductID: kaos.ID, Qty: 1 + i%2}}, ZoneID: zone.ID,
		Name: "Siti Aminah", Phone: "+6281234567890", Address: lapak.Address{Street: "Jl. Merdeka 10", City: "Bandung", PostalCode: "40115"},
		ExpiresAt: time.Now().Add(2 * time.Hour),
	}, nil)
	if err != nil {
		t.Error(err)
	}
}

// waitPendingInvoices polls until n invoices are pending, made by the server's creation jobs.
func waitPendingInvoices(t *testing.T, pool *pgxpool.Pool, n int) {
	t.Helper()
	deadline := time.NewTimer(60 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var pending int
	for {
		if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM invoices WHERE status = 'pending'").Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == n {
			return
		}
		select {
		case <-deadline.C:
			t.Fatalf("%d of %d invoices made after 60s", pending, n)
		case <-tick.C:
		}
	}
}

// payAll has the customers pay every invoice at the fake Xendit from senders goroutines; the fake
// posts each PAID callback before Pay returns. A sender whose callback failed waits at up before
// the next payment, as the stream pauses while the server is down. atThird is called once a
// third of the invoices are paid.
func payAll(t *testing.T, xen *xendittest.Server, ids []string, senders int, up *gate, atThird func()) {
	var next, paid atomic.Int64
	var once sync.Once
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(ids)); i = next.Add(1) - 1 {
				if err := xen.Pay(ids[i], "BANK_TRANSFER", "BCA"); err != nil {
					t.Errorf("pay: %v", err)
				}
				if paid.Add(1) == int64(len(ids)/3) {
					once.Do(atThird)
				}
				if !lastDeliveryOK(xen, ids[i]) {
					up.wait()
				}
			}
		})
	}
	wg.Wait()
}

// lastDeliveryOK reports whether the latest callback about an invoice was answered 2xx.
func lastDeliveryOK(xen *xendittest.Server, id string) bool {
	ok := false
	for _, d := range xen.Deliveries() {
		if d.ID == id {
			ok = d.OK()
		}
	}
	return ok
}

// deliveries returns the invoices whose PAID callback was answered 2xx at least once, and how
// many deliveries failed.
func deliveries(t *testing.T, xen *xendittest.Server) (delivered []string, failed int) {
	t.Helper()
	seen := map[string]bool{}
	for _, d := range xen.Deliveries() {
		switch {
		case d.Kind != "invoice" || d.Event != "PAID":
			t.Errorf("unexpected callback %s %s", d.Kind, d.Event)
		case !d.OK():
			failed++
		case !seen[d.ID]:
			seen[d.ID] = true
			delivered = append(delivered, d.ID)
		}
	}
	return delivered, failed
}

// outcomes counts the callbacks the server stored by what it did with them; a callback whose
// work committed just before the kill has none.
func outcomes(t *testing.T, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	rows, err := pool.Query(context.Background(), "SELECT outcome, count(*)::int FROM xendit_callbacks GROUP BY outcome")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	var outcome string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&outcome, &n}, func() error { out[outcome] = n; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkCreditedOnce checks that each delivered invoice has exactly one payment journal under its
// key and its order and invoice paid, that there are no other payments, that no key is used
// twice, that every journal sums to zero and every balance is the sum of its entries, and that
// clearing holds what the paid orders cost.
func checkCreditedOnce(t *testing.T, pool *pgxpool.Pool, delivered []string, invoices int) {
	t.Helper()
	keys := make([]string, len(delivered))
	for i, id := range delivered {
		keys[i] = lapak.PaymentKey(id)
	}
	var notOnce, journals, twice, unpaid, unbalanced, wrong int
	var clearing, paidTotal int64
	err := pool.QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM unnest($1::text[]) k WHERE (SELECT count(*) FROM ledger_transactions WHERE key = k) <> 1),
		(SELECT count(*) FROM ledger_transactions WHERE kind = 'payment'),
		(SELECT count(*) FROM (SELECT key FROM ledger_transactions GROUP BY key HAVING count(*) > 1) x),
		(SELECT count(*) FROM invoices i JOIN orders o ON o.id = i.order_id
		 WHERE i.xendit_id = ANY($2) AND (o.status <> 'paid' OR i.status <> 'paid' OR o.paid_at IS NULL)),
		(SELECT count(*) FROM (SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0) x),
		(SELECT count(*) FROM ledger_accounts a WHERE balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = a.id)),
		(SELECT coalesce(sum(balance), 0) FROM ledger_accounts WHERE kind = 'xendit_clearing'),
		(SELECT coalesce(sum(total), 0) FROM orders WHERE status = 'paid')`, keys, delivered).
		Scan(&notOnce, &journals, &twice, &unpaid, &unbalanced, &wrong, &clearing, &paidTotal)
	if err != nil {
		t.Fatal(err)
	}
	if notOnce != 0 {
		t.Errorf("%d of %d invoices answered 2xx are not in the ledger exactly once", notOnce, len(delivered))
	}
	if journals != invoices || twice != 0 {
		t.Errorf("%d payment journals for %d paid invoices; %d keys used twice", journals, invoices, twice)
	}
	if unpaid != 0 {
		t.Errorf("%d orders whose callback was answered 2xx are not paid with their invoice", unpaid)
	}
	if unbalanced != 0 || wrong != 0 {
		t.Errorf("%d journals do not sum to zero; %d balances differ from their entries", unbalanced, wrong)
	}
	if clearing != -paidTotal {
		t.Errorf("clearing holds %d, want minus the paid orders' %d", clearing, paidTotal)
	}
}
