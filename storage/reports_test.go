package storage_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/reports"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// rptClock is a clock the test moves.
type rptClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *rptClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *rptClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

var rptWIB = reports.WIB.Location()

// rptAt is a moment of 2025 in Western Indonesia Time. The story is in the past so that the
// ledger rows this test writes with their own times are never mistaken for later ones.
func rptAt(m time.Month, d, h, min int) time.Time { return time.Date(2025, m, d, h, min, 0, 0, rptWIB) }

// reportShop is a small store whose history crosses midnight WIB and the end of November:
// two suppliers (Kaos Nusantara: Kaos Hitam and Topi Rajut; Batik Solo: Batik Parang), the owner
// Rina who manages both, Budi who works for Batik Solo only, the reseller Andi, and three
// customers.
type reportShop struct {
	t                 *testing.T
	ctx               context.Context
	pool              *pgxpool.Pool
	store             *storage.Store
	clock             *rptClock
	rina, budi        lapak.User
	siti, dewi, rudi  lapak.User
	kaos, topi, batik lapak.Product
	andi              lapak.Reseller
	orders            map[string]lapak.Order
}

func newReportShop(t *testing.T) *reportShop {
	t.Helper()
	ctx := context.Background()
	pool := storagetest.Pool(t)
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s := &reportShop{t: t, ctx: ctx, pool: pool, clock: &rptClock{t: rptAt(10, 1, 9, 0)}, orders: map[string]lapak.Order{}}
	s.store = storage.New(pool, rc, s.clock)
	rptMust(t, s.store.EnsureOwners(ctx, lapak.Telegram, []string{"900", "901"}, lapak.Indonesian))
	s.rina, s.budi = s.user(lapak.Telegram, "900", "Rina"), s.user(lapak.Telegram, "901", "Budi")
	kaosNusantara, err := s.store.CreateSupplier(ctx, "Kaos Nusantara", s.rina.ID)
	rptMust(t, err)
	batikSolo, err := s.store.CreateSupplier(ctx, "Batik Solo", s.rina.ID)
	rptMust(t, err)
	s.exec("INSERT INTO supplier_members (supplier_id, user_id) VALUES ($1, $2)", batikSolo.ID, s.budi.ID)
	s.kaos = s.product(lapak.Product{SupplierID: kaosNusantara.ID, SKU: "KAOS-HTM", Name: "Kaos Hitam", BasePrice: 50_000,
		RetailPrice: 75_000, Commission: lapak.CommissionRule{Percent: 1000}, Stock: rptInt(10), LowStock: 3})
	s.topi = s.product(lapak.Product{SupplierID: kaosNusantara.ID, SKU: "TOPI-1", Name: "Topi Rajut", BasePrice: 20_000,
		RetailPrice: 35_000, Stock: rptInt(0)})
	s.batik = s.product(lapak.Product{SupplierID: batikSolo.ID, SKU: "BTK-PRG", Name: "Batik Parang", BasePrice: 100_000,
		RetailPrice: 150_000, Commission: lapak.CommissionRule{Fixed: 15_000}, Stock: rptInt(3), LowStock: 2})
	andiUser := s.user(lapak.Telegram, "501", "Andi")
	_, err = s.store.SubmitReseller(ctx, lapak.Reseller{UserID: andiUser.ID, Name: "Andi Saputra", Phone: "+6281234567890", City: "Bandung"}, nil)
	rptMust(t, err)
	s.andi, err = s.store.DecideReseller(ctx, andiUser.ID, s.rina.ID, true, nil)
	rptMust(t, err)
	// Andi sells Kaos Hitam at Rp60.000 (earning 10.000 markup + 5.000 commission) and Batik
	// Parang at Rp130.000 (30.000 + 15.000).
	rptMust(t, s.store.SetResellerPrice(ctx, s.andi.ID, s.kaos.ID, 60_000))
	rptMust(t, s.store.SetResellerPrice(ctx, s.andi.ID, s.batik.ID, 130_000))
	s.siti = s.user(lapak.WhatsApp, "6281111111111", "Siti")
	s.dewi = s.user(lapak.WhatsApp, "6281222222222", "Dewi")
	s.rudi = s.user(lapak.WhatsApp, "6281333333333", "Rudi")
	return s
}

func rptMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func rptInt(n int) *int { return &n }

func (s *reportShop) user(ch lapak.Channel, id, name string) lapak.User {
	u, err := s.store.TouchUser(s.ctx, ch, id, id, name, lapak.Indonesian)
	rptMust(s.t, err)
	return u
}

func (s *reportShop) product(p lapak.Product) lapak.Product {
	p.Active = true
	saved, err := s.store.SaveProduct(s.ctx, p)
	rptMust(s.t, err)
	return saved
}

func (s *reportShop) exec(sql string, args ...any) {
	s.t.Helper()
	if _, err := s.pool.Exec(s.ctx, sql, args...); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
}

// order places order name at at for customer, through reseller (0: the owner's own sale).
func (s *reportShop) order(name string, at time.Time, customer lapak.User, reseller int64, items ...lapak.CartItem) lapak.Order {
	s.t.Helper()
	s.clock.Set(at)
	o, err := s.store.PlaceOrder(s.ctx, lapak.NewOrder{
		Key: name, CustomerUserID: customer.ID, ResellerID: reseller, Items: items, Name: customer.Name,
		Phone: lapak.Phone("+" + customer.ExternalID), Address: lapak.Address{Street: "Jl. Merdeka 1", City: "Solo"},
		ExpiresAt: at.Add(24 * time.Hour),
	}, nil)
	rptMust(s.t, err)
	s.orders[name] = o
	return o
}

// pay marks order name paid at at (as Xendit says it was), with its payment journal recorded at
// recorded.
func (s *reportShop) pay(name string, at, recorded time.Time) {
	s.t.Helper()
	o := s.orders[name]
	s.exec("UPDATE orders SET status = 'paid', paid_at = $2 WHERE id = $1", o.ID, at)
	supplierOf := map[int64]int64{s.kaos.ID: s.kaos.SupplierID, s.topi.ID: s.topi.SupplierID, s.batik.ID: s.batik.SupplierID}
	s.post(lapak.PaymentJournal(o, "inv-"+name, supplierOf), recorded)
}

// post writes a journal recorded at at, as the ledger would have then.
func (s *reportShop) post(j lapak.Journal, at time.Time) {
	s.t.Helper()
	rptMust(s.t, j.Check())
	err := pgx.BeginFunc(s.ctx, s.pool, func(tx pgx.Tx) error {
		var orderID *int64
		if j.OrderID != 0 {
			orderID = &j.OrderID
		}
		var txn int64
		if err := tx.QueryRow(s.ctx, "INSERT INTO ledger_transactions (key, kind, order_id, memo, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			j.Key, j.Kind, orderID, j.Memo, at).Scan(&txn); err != nil {
			return err
		}
		for _, e := range j.Entries {
			var account int64
			if _, err := tx.Exec(s.ctx, "INSERT INTO ledger_accounts (kind, holder) VALUES ($1, $2) ON CONFLICT DO NOTHING",
				e.Account.Kind, e.Account.Holder); err != nil {
				return err
			}
			if err := tx.QueryRow(s.ctx, "UPDATE ledger_accounts SET balance = balance + $3 WHERE kind = $1 AND holder = $2 RETURNING id",
				e.Account.Kind, e.Account.Holder, int64(e.Amount)).Scan(&account); err != nil {
				return err
			}
			if _, err := tx.Exec(s.ctx, "INSERT INTO ledger_entries (txn_id, account_id, amount) VALUES ($1, $2, $3)", txn, account, int64(e.Amount)); err != nil {
				return err
			}
		}
		return nil
	})
	rptMust(s.t, err)
}

func (s *reportShop) bind(customer lapak.User, at time.Time) {
	s.clock.Set(at)
	rptMust(s.t, s.store.BindCustomer(s.ctx, customer.ID, s.andi.ID, at.Add(30*24*time.Hour)))
}

func (s *reportShop) cart(customer lapak.User, p lapak.Product, at time.Time) {
	s.clock.Set(at)
	rptMust(s.t, s.store.CartStarted(s.ctx, customer.ID, p.ID))
}

func (s *reportShop) click(p lapak.Product, at time.Time) {
	s.exec("INSERT INTO link_clicks (reseller_id, product_id, clicked_at) VALUES ($1, $2, $3)", s.andi.ID, p.ID, at)
}

func rptItem(p lapak.Product, qty int) lapak.CartItem {
	return lapak.CartItem{ProductID: p.ID, Qty: qty}
}

// seedUntilDecember plays the story up to 00:30 WIB on 1 December 2025.
func (s *reportShop) seedUntilDecember() {
	// October: Siti's first order through Andi.
	s.bind(s.siti, rptAt(10, 31, 9, 50))
	s.order("O1", rptAt(10, 31, 10, 0), s.siti, s.andi.ID, rptItem(s.kaos, 1))
	s.pay("O1", rptAt(10, 31, 10, 5), rptAt(10, 31, 10, 5))
	// November.
	s.click(s.kaos, rptAt(11, 5, 10, 0))
	s.exec("UPDATE orders SET status = 'completed', completed_at = $2, earnings_released_at = $2 WHERE id = $1", s.orders["O1"].ID, rptAt(11, 10, 10, 0))
	s.post(lapak.ReleaseJournal(s.orders["O1"]), rptAt(11, 10, 10, 0))
	s.order("O4", rptAt(11, 15, 12, 0), s.rudi, 0, rptItem(s.kaos, 1), rptItem(s.batik, 1))
	s.pay("O4", rptAt(11, 15, 12, 10), rptAt(11, 15, 12, 10))
	s.bind(s.dewi, rptAt(11, 20, 8, 50))
	s.cart(s.dewi, s.kaos, rptAt(11, 20, 8, 55))
	s.order("O5", rptAt(11, 20, 9, 0), s.dewi, s.andi.ID, rptItem(s.kaos, 1))
	expired, err := s.store.ExpireOrder(s.ctx, s.orders["O5"].ID, rptAt(11, 21, 9, 5))
	if err != nil || !expired {
		s.t.Fatalf("expire O5: %v %v", expired, err)
	}
	s.exec("UPDATE orders SET status = 'cancelled', cancelled_at = $2, refunded_at = $2, refund_ref = 'TRF-1' WHERE id = $1",
		s.orders["O4"].ID, rptAt(11, 25, 14, 0))
	// A payout of Rp10.000 to Andi, sent on the 28th and paid on the 29th.
	s.post(lapak.Journal{Key: "payout:1:reserve", Kind: lapak.JournalPayout, Entries: []lapak.Entry{
		{Account: lapak.AvailableAccount(s.andi.ID), Amount: -10_000}, {Account: lapak.InTransitAccount(s.andi.ID), Amount: 10_000},
	}}, rptAt(11, 28, 10, 0))
	s.post(lapak.Journal{Key: "payout:1:paid", Kind: lapak.JournalPayoutPaid, Entries: []lapak.Entry{
		{Account: lapak.InTransitAccount(s.andi.ID), Amount: -10_000}, {Account: lapak.PayoutBankAccount(), Amount: 10_000},
	}}, rptAt(11, 29, 10, 0))
	s.click(s.kaos, rptAt(11, 29, 11, 0))
	s.click(s.batik, rptAt(11, 30, 20, 0))
	s.bind(s.rudi, rptAt(11, 30, 21, 50))
	s.cart(s.rudi, s.batik, rptAt(11, 30, 21, 55))
	s.order("O6", rptAt(11, 30, 22, 0), s.rudi, s.andi.ID, rptItem(s.batik, 1))
	s.bind(s.siti, rptAt(11, 30, 22, 50))
	s.cart(s.siti, s.kaos, rptAt(11, 30, 22, 55))
	// 23:30 WIB on the 30th is still November; 00:30 WIB on the 1st is December, though both are
	// 30 November in UTC.
	s.order("O2", rptAt(11, 30, 23, 0), s.siti, s.andi.ID, rptItem(s.kaos, 2))
	s.pay("O2", rptAt(11, 30, 23, 30), rptAt(11, 30, 23, 30))
	s.order("O7", rptAt(11, 30, 23, 50), s.dewi, s.andi.ID, rptItem(s.kaos, 1))
	s.order("O3", rptAt(12, 1, 0, 10), s.dewi, s.andi.ID, rptItem(s.batik, 1))
	s.pay("O3", rptAt(12, 1, 0, 30), rptAt(12, 1, 0, 30))
	s.click(s.kaos, rptAt(12, 1, 9, 0))
}

// lateEvents happen on 1 December after the reports were sent: O6 is cancelled, and Xendit's
// callback for O7, paid at 23:55 WIB on 30 November, arrives at 08:05.
func (s *reportShop) lateEvents() {
	s.clock.Set(rptAt(12, 1, 8, 0))
	rptMust(s.t, s.store.CancelOrder(s.ctx, s.orders["O6"].ID))
	s.pay("O7", rptAt(11, 30, 23, 55), rptAt(12, 1, 8, 5))
}

func rptPeriod(t *testing.T, code string) reports.Period {
	t.Helper()
	p, err := reports.ParsePeriod(code, reports.WIB)
	rptMust(t, err)
	return p
}

// TestReportFigures checks every figure of November's report, computed by hand from the story.
func TestReportFigures(t *testing.T) {
	s := newReportShop(t)
	s.seedUntilDecember()
	store := reports.Scope{All: true}
	nov := rptPeriod(t, "2025-11")

	t.Run("WholeStoreNovember", func(t *testing.T) {
		f, _, err := s.store.ReportFigures(s.ctx, store, nov)
		rptMust(t, err)
		want := reports.Headline{
			Sales: 345_000, Created: 5, Paid: 2, Expired: 1, Cancelled: 0, CreatedPaid: 2, Refunded: 1, Refunds: 225_000,
			Customers: 2, NewCustomers: 1, Accrued: 30_000, Released: 15_000, Reversed: 0,
		}
		if f.Headline != want {
			t.Errorf("headline\n got %+v\nwant %+v", f.Headline, want)
		}
		if f.AOV() != 172_500 || f.Conversion() != 4000 || f.Returning() != 1 {
			t.Errorf("AOV %s, conversion %s, returning %d", f.AOV(), f.Conversion(), f.Returning())
		}
		if len(f.Series) != 30 {
			t.Fatalf("%d days in November", len(f.Series))
		}
		for i, b := range f.Series {
			var want reports.Bucket
			switch i + 1 {
			case 15:
				want = reports.Bucket{Sales: 225_000, Paid: 1}
			case 30: // O2 at 23:30 WIB; not O3 at 00:30 WIB on the 1st
				want = reports.Bucket{Sales: 120_000, Paid: 1}
			}
			if b != want {
				t.Errorf("November %d: %+v, want %+v", i+1, b, want)
			}
		}
		wantProducts := []reports.ProductSales{
			{ID: s.kaos.ID, SKU: "KAOS-HTM", Name: "Kaos Hitam", Qty: 3, Sales: 195_000},
			{ID: s.batik.ID, SKU: "BTK-PRG", Name: "Batik Parang", Qty: 1, Sales: 150_000},
		}
		if !reflect.DeepEqual(f.TopProducts, wantProducts) {
			t.Errorf("top products %+v", f.TopProducts)
		}
		wantResellers := []reports.ResellerSales{{ID: s.andi.ID, Code: s.andi.Code, Name: "Andi Saputra", Paid: 1, Sales: 120_000, Earnings: 30_000}}
		if !reflect.DeepEqual(f.TopResellers, wantResellers) {
			t.Errorf("top resellers %+v", f.TopResellers)
		}
		wantFunnel := reports.FunnelRow{ResellerID: s.andi.ID, Code: s.andi.Code, Name: "Andi Saputra", Clicks: 3, Chats: 3, Carts: 3, Orders: 4, Paid: 1}
		if len(f.Funnel) != 1 || f.Funnel[0] != wantFunnel {
			t.Errorf("funnel %+v", f.Funnel)
		}
		if total := (reports.FunnelRow{Clicks: 3, Chats: 3, Carts: 3, Orders: 4, Paid: 1}); f.FunnelTotal != total {
			t.Errorf("funnel total %+v", f.FunnelTotal)
		}
		// Batik Parang: 3, less O4, O6 (cancelled only later, on 1 December) and O3.
		wantStock := reports.Stock{OutCount: 2, Out: []reports.StockItem{{SKU: "BTK-PRG", Name: "Batik Parang"}, {SKU: "TOPI-1", Name: "Topi Rajut"}}}
		if !reflect.DeepEqual(f.Stock, wantStock) {
			t.Errorf("stock %+v", f.Stock)
		}
		wantPayouts := &reports.Payouts{Sent: 1, SentAmount: 10_000, Paid: 1, PaidAmount: 10_000, Owed: 35_000}
		if !reflect.DeepEqual(f.Payouts, wantPayouts) {
			t.Errorf("payouts %+v", f.Payouts)
		}
	})

	t.Run("OnOneConnection", func(t *testing.T) {
		// A pool with no connection to spare reads everything on one, in the same snapshot.
		cfg := s.pool.Config().Copy()
		cfg.MaxConns = 1
		pool, err := pgxpool.NewWithConfig(s.ctx, cfg)
		rptMust(t, err)
		defer pool.Close()
		one := storage.New(pool, nil, s.clock)
		f, prev, err := one.ReportFigures(s.ctx, store, nov)
		rptMust(t, err)
		if f.Sales != 345_000 || f.FunnelTotal.Clicks != 3 || prev.Sales != 60_000 {
			t.Errorf("on one connection: sales %s, clicks %d, October %s", f.Sales, f.FunnelTotal.Clicks, prev.Sales)
		}
	})

	t.Run("October", func(t *testing.T) {
		_, h, err := s.store.ReportFigures(s.ctx, store, nov)
		rptMust(t, err)
		want := reports.Headline{Sales: 60_000, Created: 1, Paid: 1, CreatedPaid: 1, Customers: 1, NewCustomers: 1, Accrued: 15_000}
		if h != want {
			t.Errorf("October\n got %+v\nwant %+v", h, want)
		}
	})

	t.Run("DaysCutAtMidnightWIB", func(t *testing.T) {
		f, _, err := s.store.ReportFigures(s.ctx, store, rptPeriod(t, "2025-11-30"))
		rptMust(t, err)
		h := f.Headline
		want := reports.Headline{Sales: 120_000, Created: 3, Paid: 1, CreatedPaid: 1, Customers: 1, Accrued: 30_000}
		if h != want {
			t.Errorf("30 November\n got %+v\nwant %+v", h, want)
		}
		f, prev, err := s.store.ReportFigures(s.ctx, store, rptPeriod(t, "2025-12-01"))
		rptMust(t, err)
		if want := (reports.Headline{Sales: 120_000, Created: 3, Paid: 1, CreatedPaid: 1, Customers: 1, Accrued: 30_000}); prev != want {
			t.Errorf("30 November before 1 December\n got %+v\nwant %+v", prev, want)
		}
		h = f.Headline
		want = reports.Headline{Sales: 130_000, Created: 1, Paid: 1, CreatedPaid: 1, Customers: 1, NewCustomers: 1, Accrued: 45_000}
		if h != want {
			t.Errorf("1 December\n got %+v\nwant %+v", h, want)
		}
	})

	t.Run("InWITTheOrderAt2330WIBIsOnTheFirst", func(t *testing.T) {
		p, err := reports.ParsePeriod("2025-11", reports.WIT)
		rptMust(t, err)
		f, _, err := s.store.ReportFigures(s.ctx, store, p)
		rptMust(t, err)
		h := f.Headline
		if h.Paid != 1 || h.Sales != 225_000 { // 23:30 WIB is 01:30 WIT on 1 December
			t.Errorf("November in WIT: %+v", h)
		}
	})

	t.Run("ResellerFigures", func(t *testing.T) {
		figs, err := s.store.ResellerFigures(s.ctx, s.andi.ID, nov, nov)
		rptMust(t, err)
		if len(figs) != 1 {
			t.Fatalf("%d rows", len(figs))
		}
		f := figs[0]
		if f.Clicks != 3 || f.Chats != 3 || f.Carts != 3 || f.Created != 4 || f.Paid != 1 || f.Sales != 120_000 ||
			f.Earned != 30_000 || f.Customers != 1 || f.NewCustomers != 0 || f.Rank != 1 || f.Ranked != 1 {
			t.Errorf("Andi in November: %+v", f)
		}
		// Pending: O2 and O3; available: O1 released, less the payout; paid: the payout.
		if want := (lapak.Balance{Pending: 75_000, Available: 5_000, Paid: 10_000}); f.Balance != want {
			t.Errorf("balance %+v, want %+v", f.Balance, want)
		}
	})
}

// TestSupplierStaffSeeOnlyTheirSupplier checks that Budi, who works for Batik Solo, gets Batik
// Solo's figures and nothing of Kaos Nusantara's, and that the store's payouts stay hidden.
func TestSupplierStaffSeeOnlyTheirSupplier(t *testing.T) {
	s := newReportShop(t)
	s.seedUntilDecember()
	nov := rptPeriod(t, "2025-11")

	sc, err := s.store.ReportScope(s.ctx, s.budi.ID)
	rptMust(t, err)
	if sc.All || !reflect.DeepEqual(sc.SupplierIDs, []int64{s.batik.SupplierID}) || sc.Name != "Batik Solo" {
		t.Fatalf("Budi's scope %+v", sc)
	}
	if rina, _ := s.store.ReportScope(s.ctx, s.rina.ID); !rina.All {
		t.Errorf("Rina manages every supplier, scope %+v", rina)
	}
	f, _, err := s.store.ReportFigures(s.ctx, sc, nov)
	rptMust(t, err)
	want := reports.Headline{Sales: 150_000, Created: 2, Paid: 1, CreatedPaid: 1, Refunded: 1, Refunds: 150_000, Customers: 1, NewCustomers: 1}
	if f.Headline != want {
		t.Errorf("Batik Solo in November\n got %+v\nwant %+v", f.Headline, want)
	}
	if len(f.TopProducts) != 1 || f.TopProducts[0].SKU != "BTK-PRG" || len(f.TopResellers) != 0 {
		t.Errorf("tops: %+v %+v", f.TopProducts, f.TopResellers)
	}
	if f.FunnelTotal != (reports.FunnelRow{Clicks: 1, Chats: 3, Carts: 1, Orders: 1}) {
		t.Errorf("funnel %+v", f.FunnelTotal)
	}
	if f.Payouts != nil || f.Stock.OutCount != 1 || f.Stock.Out[0].SKU != "BTK-PRG" {
		t.Errorf("payouts %+v, stock %+v", f.Payouts, f.Stock)
	}
	lines, err := s.store.ReportLines(s.ctx, sc, nov, 0)
	rptMust(t, err)
	for _, l := range lines {
		if l.Supplier != "Batik Solo" {
			t.Errorf("Budi's spreadsheet has %s's line %s", l.Supplier, l.SKU)
		}
	}
	if len(lines) != 2 {
		t.Errorf("%d lines, want O4's batik and O6", len(lines))
	}
	svc := reports.NewService(reports.Config{Store: s.store, Clock: s.clock})
	files, err := svc.OwnerReport(s.ctx, s.budi, nov)
	rptMust(t, err)
	for _, other := range []string{"Kaos", "Topi", "Pencairan"} {
		if strings.Contains(files.Text, other) {
			t.Errorf("Budi's report mentions %q:\n%s", other, files.Text)
		}
	}

	kaos, err := s.store.SupplierScope(s.ctx, "kaos nusantara")
	rptMust(t, err)
	f, _, err = s.store.ReportFigures(s.ctx, kaos, nov)
	rptMust(t, err)
	if f.Pending != 30_000 || f.Sales != 195_000 { // O2's earning waits; O1's was released
		t.Errorf("Kaos Nusantara: pending %s, sales %s", f.Pending, f.Sales)
	}
}

// TestReportFiles renders November's report: the text in both languages, a PNG chart, the CSV
// with the documented columns and one row per line, and an XLSX workbook.
func TestReportFiles(t *testing.T) {
	s := newReportShop(t)
	s.seedUntilDecember()
	s.clock.Set(rptAt(12, 1, 9, 0))
	svc := reports.NewService(reports.Config{Store: s.store, Clock: s.clock})
	nov := rptPeriod(t, "2025-11")
	files, err := svc.OwnerReport(s.ctx, s.rina, nov)
	rptMust(t, err)
	for _, want := range []string{"📊 Laporan November 2025", "Seluruh toko · WIB", "▲▼ dibanding Oktober 2025",
		"Penjualan: Rp345.000 (▲ 475%)", "2 dibayar", "Konversi bayar: 40%", "Pembeli: 2 (1 baru, 1 langganan)",
		"Refund: 1 pesanan, Rp225.000", "1. Kaos Hitam: 3 pcs, Rp195.000", "Andi Saputra (" + s.andi.Code + "): 1 pesanan, Rp120.000, komisi Rp30.000",
		"dibayar Rp10.000 · belum dibayar Rp35.000", "Habis (2): Batik Parang, Topi Rajut", s.andi.Code + ": 3 → 3 → 3 → 4 → 1"} {
		if !strings.Contains(files.Text, want) {
			t.Errorf("report does not say %q:\n%s", want, files.Text)
		}
	}
	img, err := png.Decode(bytes.NewReader(files.Chart))
	if err != nil {
		t.Fatalf("chart is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
		t.Errorf("chart is %v", b)
	}
	if !bytes.HasPrefix(files.CSV, []byte("\uFEFF")) || files.CSVName != "laporan-2025-11.csv" {
		t.Errorf("CSV %q starts with %q", files.CSVName, files.CSV[:min(10, len(files.CSV))])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(files.CSV, []byte("\uFEFF")))).ReadAll()
	rptMust(t, err)
	if !reflect.DeepEqual(rows[0], reports.Columns) {
		t.Errorf("CSV header %v", rows[0])
	}
	if len(rows) != 7 { // O2, O4 (two lines), O5, O6, O7
		t.Errorf("%d CSV rows:\n%s", len(rows)-1, files.CSV)
	}
	o2 := rows[len(rows)-2]
	if strings.Join(o2[:5], "|") != s.orders["O2"].Ref+"|1|2025-11-30 23:00|2025-11-30 23:30|paid" || o2[10] != "120000" || o2[13] != "30000" {
		t.Errorf("O2's row %v", o2)
	}

	s.exec("UPDATE users SET lang = 'en' WHERE id = $1", s.rina.ID)
	rina, _ := s.store.User(s.ctx, s.rina.ID)
	en, err := svc.OwnerReport(s.ctx, rina, nov)
	rptMust(t, err)
	if !strings.Contains(en.Text, "Sales: Rp345.000 (▲ 475%)") || !strings.Contains(en.ChartCaption, "November 2025") {
		t.Errorf("English report:\n%s", en.Text)
	}
}

// TestScheduledReportsAreSentOnceAndNeverChange runs the scheduler of two instances at once on
// the morning of 1 December, then lets a late payment for 30 November arrive: the reports sent
// stay as they were, and the next day's report shows the adjustment.
func TestScheduledReportsAreSentOnceAndNeverChange(t *testing.T) {
	s := newReportShop(t)
	s.seedUntilDecember()
	rptMust(t, s.store.SetReportPrefs(s.ctx, s.rina.ID, reports.Prefs{Daily: true, Weekly: true, Monthly: true, Zone: reports.WIB}))
	morning := rptAt(12, 1, 7, 1)
	s.clock.Set(morning)

	// Two instances: their own pools and stores on the same database.
	var wg sync.WaitGroup
	made := make([]int, 2)
	errs := make([]error, 2)
	for i := range 2 {
		pool, err := pgxpool.New(s.ctx, s.pool.Config().ConnString())
		rptMust(t, err)
		defer pool.Close()
		rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
		rptMust(t, err)
		svc := reports.NewService(reports.Config{Store: storage.New(pool, rc, s.clock), Clock: s.clock})
		wg.Add(1)
		go func() {
			defer wg.Done()
			made[i], errs[i] = svc.SendDue(s.ctx, morning)
		}()
	}
	wg.Wait()
	rptMust(t, errs[0])
	rptMust(t, errs[1])
	// Rina: daily, weekly and monthly; Budi: weekly and monthly by default; Andi: his summary.
	if made[0]+made[1] != 6 {
		t.Errorf("the instances made %v reports, want 6 in all", made)
	}
	if n := s.count("SELECT count(*) FROM report_runs"); n != 6 {
		t.Errorf("%d reports recorded", n)
	}
	if n := s.count("SELECT count(*) FROM river_job WHERE kind = 'send_report'"); n != 6 {
		t.Errorf("%d send jobs", n)
	}
	svc := reports.NewService(reports.Config{Store: s.store, Clock: s.clock})
	if n, err := svc.SendDue(s.ctx, morning.Add(time.Minute)); err != nil || n != 0 {
		t.Errorf("a minute later: %d more reports, %v", n, err)
	}
	sentText := s.runText(s.rina, reports.Daily, "2025-11-30")
	sentMonth := s.runText(s.rina, reports.Monthly, "2025-11")
	if !strings.Contains(sentText, "Penjualan: Rp120.000") || !strings.Contains(sentMonth, "Penjualan: Rp345.000") {
		t.Fatalf("sent reports:\n%s\n\n%s", sentText, sentMonth)
	}
	if budi := s.runText(s.budi, reports.Monthly, "2025-11"); !strings.Contains(budi, "Batik Solo") || strings.Contains(budi, "Kaos") {
		t.Errorf("Budi's monthly report:\n%s", budi)
	}
	if andi := s.runText(lapak.User{ID: s.andi.UserID}, reports.ResellerWeekly, "2025-W48"); !strings.Contains(andi, "Ringkasan mingguanmu") {
		t.Errorf("Andi's summary:\n%s", andi)
	}

	s.lateEvents()
	if got := s.runText(s.rina, reports.Daily, "2025-11-30"); got != sentText {
		t.Errorf("the sent report changed:\n%s", got)
	}
	if _, err := s.pool.Exec(s.ctx, "UPDATE report_runs SET text = 'x'"); err == nil {
		t.Error("a sent report's text could be changed")
	}
	nextMorning := rptAt(12, 2, 7, 1)
	s.clock.Set(nextMorning)
	if n, err := svc.SendDue(s.ctx, nextMorning); err != nil || n != 1 {
		t.Fatalf("on 2 December: %d reports, %v", n, err)
	}
	dec1 := s.runText(s.rina, reports.Daily, "2025-12-01")
	for _, want := range []string{"Penjualan: Rp130.000", "1 batal",
		"Penyesuaian Minggu, 30 Nov 2025 (tercatat setelah laporannya dikirim): penjualan +Rp60.000, dibayar +1, dibayar dalam periodenya +1, pembeli +1, pembeli baru +1, komisi masuk +Rp15.000"} {
		if !strings.Contains(dec1, want) {
			t.Errorf("1 December's report does not say %q:\n%s", want, dec1)
		}
	}
}

func (s *reportShop) count(sql string) int {
	s.t.Helper()
	var n int
	rptMust(s.t, s.pool.QueryRow(s.ctx, sql).Scan(&n))
	return n
}

// runText is the text of the report of kind recorded for u for the period with code.
func (s *reportShop) runText(u lapak.User, kind reports.Kind, code string) string {
	s.t.Helper()
	p := rptPeriod(s.t, code)
	var text string
	var snapshot []byte
	err := s.pool.QueryRow(s.ctx, "SELECT text, snapshot FROM report_runs WHERE user_id = $1 AND kind = $2 AND period_start = $3",
		u.ID, kind, p.Start).Scan(&text, &snapshot)
	if err != nil {
		s.t.Fatalf("%s report %s for user %d: %v", kind, code, u.ID, err)
	}
	if !json.Valid(snapshot) {
		s.t.Errorf("snapshot %s", snapshot)
	}
	return text
}

// TestCartsCountOncePerOrder checks the funnel's carts: the first item while bound to a
// reseller starts a cart, more items do not, and after an order the next item starts another.
func TestCartsCountOncePerOrder(t *testing.T) {
	s := newReportShop(t)
	s.cart(s.siti, s.kaos, rptAt(11, 1, 9, 0)) // not bound to anyone: no cart for a funnel
	s.bind(s.siti, rptAt(11, 1, 10, 0))
	s.cart(s.siti, s.kaos, rptAt(11, 1, 10, 1))
	s.cart(s.siti, s.batik, rptAt(11, 1, 10, 2))
	s.order("A", rptAt(11, 1, 10, 5), s.siti, s.andi.ID, rptItem(s.kaos, 1))
	s.cart(s.siti, s.kaos, rptAt(11, 2, 10, 0))
	if n := s.count("SELECT count(*) FROM funnel_events WHERE kind = 'cart'"); n != 2 {
		t.Errorf("%d carts, want 2", n)
	}
	if n := s.count("SELECT count(*) FROM funnel_events WHERE kind = 'chat'"); n != 1 {
		t.Errorf("%d chats, want 1", n)
	}
}
