package payments_test

import (
	"bytes"
	"context"
	"encoding/json"
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

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// clock is a clock tests move by hand, shared by the store, the service and the fake Xendit.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is the payments service on a fresh schema, with a fake Xendit whose callbacks reach the
// service's webhook, an owner, an approved reseller, a customer on WhatsApp and a product with 5
// in stock (base 50.000, retail 75.000, commission 10 %). Jobs are enqueued, never worked: the
// tests read the messages from the queue.
type harness struct {
	t        *testing.T
	ctx      context.Context
	clock    *clock
	pool     *pgxpool.Pool
	store    *storage.Store
	fake     *xendittest.Server
	svc      *payments.Service
	hook     string // the webhook's URL
	owner    lapak.User
	customer lapak.User
	andi     lapak.User // the reseller's user
	reseller lapak.Reseller
	kaos     lapak.Product
}

func newHarness(t *testing.T) *harness {
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
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, ctx: ctx, clock: &clock{t: time.Now().UTC().Truncate(time.Second)}, pool: pool}
	h.store = storage.New(pool, rc, h.clock)
	h.store.EnableInvoices()
	h.fake = xendittest.New(xendittest.Config{Now: h.clock.Now})
	t.Cleanup(h.fake.Close)
	h.svc = payments.New(payments.Config{
		Xendit:        xendit.New(xendit.Config{BaseURL: h.fake.URL(), SecretKey: h.fake.SecretKey(), Sleep: func(context.Context, time.Duration) error { return nil }}),
		Store:         h.store,
		CallbackToken: h.fake.CallbackToken(),
		StoreName:     "Toko Rina",
		Clock:         h.clock,
		Logger:        slog.New(slog.DiscardHandler),
	})
	srv := httptest.NewServer(h.svc.InvoiceWebhook())
	t.Cleanup(srv.Close)
	h.hook = srv.URL
	h.fake.SetCallbackURLs(h.hook, "")
	h.seed()
	return h
}

// seed makes the owner, the reseller, the customer and the product.
func (h *harness) seed() {
	ctx, s := h.ctx, h.store
	must := func(err error) {
		h.t.Helper()
		if err != nil {
			h.t.Fatal(err)
		}
	}
	must(s.EnsureOwners(ctx, lapak.Telegram, []string{"900"}, lapak.Indonesian))
	var err error
	h.owner, err = s.UserByChannel(ctx, lapak.Telegram, "900")
	must(err)
	sup, err := s.CreateSupplier(ctx, "Kaos Nusantara", h.owner.ID)
	must(err)
	stock := 5
	h.kaos, err = s.SaveProduct(ctx, lapak.Product{SupplierID: sup.ID, SKU: "KAOS-1", Name: "Kaos Polos", Category: "Kaos",
		BasePrice: 50_000, RetailPrice: 75_000, Commission: lapak.CommissionRule{Percent: 1000}, Stock: &stock, Active: true})
	must(err)
	h.andi, err = s.TouchUser(ctx, lapak.Telegram, "701", "701", "Andi", lapak.Indonesian)
	must(err)
	_, err = s.SubmitReseller(ctx, lapak.Reseller{UserID: h.andi.ID, Name: "Andi", Phone: "+6281234567891", City: "Bandung"}, nil)
	must(err)
	h.reseller, err = s.DecideReseller(ctx, h.andi.ID, h.owner.ID, true, nil)
	must(err)
	h.customer, err = s.TouchUser(ctx, lapak.WhatsApp, "6281234567890", "6281234567890", "Siti", lapak.Indonesian)
	must(err)
}

// order places an order for qty of the product through the reseller, held for a day.
func (h *harness) order(key string, qty int) lapak.Order {
	h.t.Helper()
	o, err := h.store.PlaceOrder(h.ctx, lapak.NewOrder{
		Key: key, CustomerUserID: h.customer.ID, ResellerID: h.reseller.ID, Items: []lapak.CartItem{{ProductID: h.kaos.ID, Qty: qty}},
		Name: "Siti Aminah", Phone: "+6281234567890", Address: lapak.Address{Street: "Jl. Merdeka 10", City: "Bandung", PostalCode: "40115"},
		ExpiresAt: h.clock.Now().Add(24 * time.Hour),
	}, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return o
}

// linked places an order and makes its payment link, as the creation job would.
func (h *harness) linked(key string, qty int) (lapak.Order, payments.Invoice) {
	h.t.Helper()
	o := h.order(key, qty)
	if err := h.svc.CreateInvoice(h.ctx, o.ID); err != nil {
		h.t.Fatalf("create invoice: %v", err)
	}
	inv := h.invoice(o.ID)
	if inv.Status != payments.InvoicePending || inv.URL == "" {
		h.t.Fatalf("invoice after creation: %+v", inv)
	}
	return o, inv
}

// invoice reads an order's invoice and the order as they stand.
func (h *harness) invoice(orderID int64) payments.Invoice {
	h.t.Helper()
	inv, err := h.store.FindInvoice(h.ctx, payments.InvoiceQuery{OrderID: orderID})
	if err != nil {
		h.t.Fatal(err)
	}
	return inv
}

// count returns the rows a query counts.
func (h *harness) count(sql string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.pool.QueryRow(h.ctx, sql, args...).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// stock is the product's stock.
func (h *harness) stock() int {
	h.t.Helper()
	return h.count("SELECT stock FROM products WHERE id = $1", h.kaos.ID)
}

// pending is the reseller's pending commission.
func (h *harness) pending() lapak.Money {
	h.t.Helper()
	b, err := h.store.ResellerBalance(h.ctx, h.reseller.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return b.Pending
}

// messages returns the messages enqueued so far to a chat, oldest first.
func (h *harness) messages(to lapak.User) []bot.Reply {
	h.t.Helper()
	rows, err := h.pool.Query(h.ctx, "SELECT args FROM river_job WHERE kind = 'notify' ORDER BY id")
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var out []bot.Reply
	for rows.Next() {
		var raw []byte
		var args jobs.NotifyArgs
		if err := rows.Scan(&raw); err != nil {
			h.t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &args); err != nil {
			h.t.Fatal(err)
		}
		if args.Message.To.Channel == to.Channel && args.Message.To.ChatID == to.ChatID {
			out = append(out, args.Message.Reply)
		}
	}
	return out
}

// said returns the messages to a chat that contain text.
func (h *harness) said(to lapak.User, text string) []bot.Reply {
	h.t.Helper()
	var out []bot.Reply
	for _, r := range h.messages(to) {
		if strings.Contains(r.Text, text) {
			out = append(out, r)
		}
	}
	return out
}

// callback builds an invoice callback from Xendit's example for fixture, about invoice id of the
// order with reference ref, for amount.
func callback(t *testing.T, fixture, id, ref string, amount lapak.Money) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	body["id"], body["external_id"], body["amount"] = id, ref, amount
	if _, ok := body["paid_amount"]; ok {
		body["paid_amount"] = amount
	}
	out, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// post sends a callback body to the webhook with token and returns the status.
func (h *harness) post(body []byte, token string) int {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.hook, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set(xendit.CallbackTokenHeader, token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// checkLedgerBalanced checks that every journal sums to zero and every balance is the sum of its
// account's entries.
func (h *harness) checkLedgerBalanced() {
	h.t.Helper()
	if n := h.count("SELECT count(*) FROM (SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0) x"); n != 0 {
		h.t.Errorf("%d ledger transactions do not sum to zero", n)
	}
	if n := h.count(`SELECT count(*) FROM ledger_accounts a
		WHERE balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = a.id)`); n != 0 {
		h.t.Errorf("%d account balances differ from the sum of their entries", n)
	}
}
