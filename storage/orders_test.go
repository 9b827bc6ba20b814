package storage_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// orderStore is a catalog store whose orders enqueue their jobs with a River client that works
// none, so the tests see every job an order leaves.
type orderStore struct {
	*catalogStore
	customer lapak.User
}

// newOrderStore returns an order store on a fresh schema whose pool has up to conns connections.
func newOrderStore(t *testing.T, conns int32) *orderStore {
	t.Helper()
	ctx := context.Background()
	_, dsn := storagetest.Schema(t)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = conns
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
	cs := &catalogStore{Store: storage.New(pool, rc, fixedClock{testNow}), t: t, ctx: ctx}
	owner, err := cs.TouchUser(ctx, lapak.Telegram, "900", "900", "Bu Rina", lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	cs.ownerID = owner.ID
	if cs.supplier, err = cs.CreateSupplier(ctx, "Kaos Nusantara", owner.ID); err != nil {
		t.Fatal(err)
	}
	s := &orderStore{catalogStore: cs}
	s.customer = s.user("6281234567890")
	return s
}

// user returns a customer writing from WhatsApp number id.
func (s *orderStore) user(id string) lapak.User {
	s.t.Helper()
	u, err := s.TouchUser(s.ctx, lapak.WhatsApp, id, id, "Siti", lapak.Indonesian)
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// newOrder is a valid order of the store's customer for items, without a reseller.
func (s *orderStore) newOrder(key string, items ...lapak.CartItem) lapak.NewOrder {
	return lapak.NewOrder{
		Key: key, CustomerUserID: s.customer.ID, Items: items,
		Name: "Siti Aminah", Phone: "+6281234567890",
		Address:   lapak.Address{Street: "Jl. Merdeka 10", Kelurahan: "Citarum", Kecamatan: "Bandung Wetan", City: "Bandung", PostalCode: "40115"},
		ExpiresAt: testNow.Add(time.Hour),
	}
}

// place places o and fails the test on an error.
func (s *orderStore) place(o lapak.NewOrder) lapak.Order {
	s.t.Helper()
	placed, err := s.PlaceOrder(s.ctx, o, nil)
	if err != nil {
		s.t.Fatalf("place %s: %v", o.Key, err)
	}
	return placed
}

// stock returns a product's stock, or a variant's when variant is true; -1 for unlimited.
func (s *orderStore) stock(id int64, variant bool) int {
	s.t.Helper()
	table := "products"
	if variant {
		table = "variants"
	}
	var n *int
	if err := s.Pool().QueryRow(s.ctx, "SELECT stock FROM "+table+" WHERE id = $1", id).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	if n == nil {
		return -1
	}
	return *n
}

// count returns the rows a query counts.
func (s *orderStore) count(sql string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.Pool().QueryRow(s.ctx, sql, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

func item(productID int64, qty int) lapak.CartItem {
	return lapak.CartItem{ProductID: productID, Qty: qty}
}

var refRE = regexp.MustCompile(`^LPK-[2-9A-HJ-NP-Z]{6}$`)

func TestPlaceOrder(t *testing.T) {
	t.Run("PricesEachLineAtTheResellersPriceAndSplitsIt", func(t *testing.T) {
		s := newOrderStore(t, 4)
		kaos := s.save(s.product("KAOS-1", "Kaos Polos"))        // base 50.000, retail 75.000, commission 10 %
		sambal := s.save(s.product("SAMBAL-1", "Sambal Bawang")) // the same prices
		withMarkup := s.approvedReseller("701", "Andi")
		if err := s.SetMarkup(s.ctx, withMarkup.ID, lapak.Markup{Percent: 2000}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetResellerPrice(s.ctx, withMarkup.ID, kaos.ID, 65_000); err != nil {
			t.Fatal(err)
		}
		atRetail := s.approvedReseller("702", "Budi")
		if err := s.SetShippingZones(s.ctx, []lapak.ShippingZone{{Name: "Jawa", Fee: 15_000}}); err != nil {
			t.Fatal(err)
		}
		zones, _ := s.ShippingZones(s.ctx)

		o := s.newOrder("k1", item(kaos.ID, 2), item(sambal.ID, 1))
		o.ResellerID, o.ZoneID = withMarkup.ID, zones[0].ID
		placed := s.place(o)
		want := []struct {
			price, reseller, owner lapak.Money
		}{
			{65_000, 2 * 20_000, 2 * 45_000}, // own price: 15.000 markup + 5.000 commission per item
			{60_000, 15_000, 45_000},         // 20 % markup on the base: 10.000 + 5.000
		}
		for i, w := range want {
			it := placed.Items[i]
			e := it.Earnings
			if it.UnitPrice != w.price || e.Reseller != w.reseller || e.Owner != w.owner || e.Reseller+e.Owner != e.Customer ||
				e.Customer != it.UnitPrice*lapak.Money(it.Qty) || it.BasePrice != 50_000 || it.Commission.Percent != 1000 {
				t.Errorf("line %d: %+v, want price %s, reseller %s, owner %s", i, it, w.price, w.reseller, w.owner)
			}
		}
		if placed.Subtotal != 190_000 || placed.Shipping != 15_000 || placed.Total != 205_000 || placed.ShippingZone != "Jawa" {
			t.Errorf("totals: subtotal %s, shipping %s %s, total %s", placed.Subtotal, placed.ShippingZone, placed.Shipping, placed.Total)
		}
		if !refRE.MatchString(placed.Ref) || placed.Status != lapak.OrderPending || placed.ID == 0 ||
			placed.ResellerID != withMarkup.ID || !placed.ExpiresAt.Equal(o.ExpiresAt) || !placed.CreatedAt.Equal(testNow) {
			t.Errorf("placed %+v", placed)
		}
		stored, err := s.OrderByRef(s.ctx, strings.ToLower(placed.Ref))
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", stored) != fmt.Sprintf("%+v", placed) {
			t.Errorf("stored order differs from the placed one:\n%+v\n%+v", stored, placed)
		}

		o = s.newOrder("k2", item(kaos.ID, 1))
		o.ResellerID = atRetail.ID
		it := s.place(o).Items[0]
		if it.UnitPrice != 75_000 || it.Earnings.Reseller != 30_000 || it.Earnings.Owner != 45_000 {
			t.Errorf("a reseller without prices sells at retail: %+v", it)
		}
	})

	t.Run("ALevelThatOverridesPaysItsCommission", func(t *testing.T) {
		s := newOrderStore(t, 4)
		kaos := s.save(s.product("KAOS-1", "Kaos Polos"))
		r := s.approvedReseller("701", "Andi")
		if _, err := s.Pool().Exec(s.ctx, `
			WITH l AS (INSERT INTO levels (name, overrides, commission_fixed) VALUES ('Gold', true, 7000) RETURNING id)
			UPDATE resellers SET level_id = (SELECT id FROM l) WHERE id = $1`, r.ID); err != nil {
			t.Fatal(err)
		}
		o := s.newOrder("k1", item(kaos.ID, 3))
		o.ResellerID = r.ID
		it := s.place(o).Items[0]
		if it.Commission != (lapak.CommissionRule{Fixed: 7000}) || it.Earnings.Commission != 21_000 ||
			it.Earnings.Reseller != 3*(25_000+7_000) || it.Earnings.Owner != 3*43_000 {
			t.Errorf("gold line: %+v", it)
		}
	})

	t.Run("AnOwnerSaleIsAtRetailAndTheOwnerKeepsIt", func(t *testing.T) {
		s := newOrderStore(t, 4)
		kaos := s.save(s.product("KAOS-1", "Kaos Polos"))
		placed := s.place(s.newOrder("k1", item(kaos.ID, 2)))
		it := placed.Items[0]
		if placed.ResellerID != 0 || it.UnitPrice != 75_000 || it.Earnings.Reseller != 0 || it.Earnings.Owner != 150_000 ||
			it.Earnings.Commission != 0 || it.Commission != (lapak.CommissionRule{}) || placed.Total != 150_000 {
			t.Errorf("owner sale: %+v", placed)
		}
		stored, _ := s.OrderByRef(s.ctx, placed.Ref)
		if fmt.Sprintf("%+v", stored) != fmt.Sprintf("%+v", placed) {
			t.Errorf("stored owner sale differs:\n%+v\n%+v", stored, placed)
		}
		var reseller *int64
		s.Pool().QueryRow(s.ctx, "SELECT reseller_id FROM orders WHERE id = $1", placed.ID).Scan(&reseller)
		if reseller != nil {
			t.Errorf("an owner sale is stored with reseller %d", *reseller)
		}
	})

	t.Run("ReservesStockAndSchedulesTheRelease", func(t *testing.T) {
		s := newOrderStore(t, 4)
		p := s.product("KAOS-1", "Kaos Polos")
		p.Variants = []lapak.Variant{{Name: "M", Stock: units(5)}, {Name: "L"}}
		kaos := s.save(p)
		p = s.product("SAMBAL-1", "Sambal")
		p.Stock = units(4)
		sambal := s.save(p)
		jasa := s.save(s.product("JASA-1", "Jasa Desain")) // unlimited
		m, l := kaos.Variants[0], kaos.Variants[1]

		var notified []lapak.Order
		o := s.newOrder("k1", lapak.CartItem{ProductID: kaos.ID, VariantID: m.ID, Qty: 2}, item(sambal.ID, 1),
			lapak.CartItem{ProductID: kaos.ID, VariantID: l.ID, Qty: 3}, item(jasa.ID, 7), item(sambal.ID, 2))
		placed, err := s.PlaceOrder(s.ctx, o, func(o lapak.Order) []bot.Outbound {
			notified = append(notified, o)
			return []bot.Outbound{{To: bot.Address{Channel: lapak.Telegram, ChatID: "900"}, Reply: bot.Reply{Text: o.Ref}}}
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := []int{s.stock(m.ID, true), s.stock(l.ID, true), s.stock(sambal.ID, false), s.stock(jasa.ID, false)}; fmt.Sprint(got) != "[3 -1 1 -1]" {
			t.Errorf("stock after the order (M, L, sambal, jasa): %v, want [3 -1 1 -1]", got)
		}
		if it := placed.Items[0]; it.Name != "Kaos Polos – M" || it.SKU != m.SKU || it.VariantID != m.ID {
			t.Errorf("a variant's line: %+v", it)
		}
		if len(notified) != 1 || notified[0].Ref != placed.Ref || len(notified[0].Items) != 5 {
			t.Errorf("notify saw %+v", notified)
		}
		if n := s.count("SELECT count(*) FROM river_job WHERE kind = 'notify' AND args->'message'->'reply'->>'text' = $1", placed.Ref); n != 1 {
			t.Errorf("%d notifications enqueued, want 1", n)
		}
		var at time.Time
		err = s.Pool().QueryRow(s.ctx, "SELECT scheduled_at FROM river_job WHERE kind = 'release_reservation' AND (args->>'order_id')::bigint = $1",
			placed.ID).Scan(&at)
		if err != nil || !at.Equal(o.ExpiresAt) {
			t.Errorf("release job scheduled at %s, %v; want %s", at, err, o.ExpiresAt)
		}
	})

	t.Run("SoldOutPlacesNothing", func(t *testing.T) {
		s := newOrderStore(t, 4)
		p := s.product("SAMBAL-1", "Sambal Bawang")
		p.Stock = units(5)
		sambal := s.save(p)
		p = s.product("KAOS-1", "Kaos Polos")
		p.Stock = units(2)
		kaos := s.save(p)

		calls := 0
		_, err := s.PlaceOrder(s.ctx, s.newOrder("k1", item(sambal.ID, 1), item(kaos.ID, 2), item(kaos.ID, 1)),
			func(lapak.Order) []bot.Outbound {
				calls++
				return []bot.Outbound{{To: bot.Address{Channel: lapak.Telegram, ChatID: "900"}}}
			})
		var e *lapak.Error
		if !errors.As(err, &e) || e.Kind != lapak.KindConflict || e.Key != "order.sold_out" || fmt.Sprint(e.Args) != "[Kaos Polos]" {
			t.Fatalf("got %v, want order.sold_out for Kaos Polos", err)
		}
		if s.stock(sambal.ID, false) != 5 || s.stock(kaos.ID, false) != 2 {
			t.Errorf("stock after a refused order: sambal %d, kaos %d", s.stock(sambal.ID, false), s.stock(kaos.ID, false))
		}
		if n := s.count("SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_items) + (SELECT count(*) FROM river_job)"); n != 0 {
			t.Errorf("a refused order left %d rows", n)
		}
		if orders, _ := s.OrdersOf(s.ctx, s.customer.ID, 10); len(orders) != 0 {
			t.Errorf("the customer has orders: %+v", orders)
		}
	})

	t.Run("RefusesWhatCannotBeOrdered", func(t *testing.T) {
		s := newOrderStore(t, 4)
		kaos := s.save(s.product("KAOS-1", "Kaos Polos"))
		p := s.product("KAOS-2", "Kaos Warna")
		p.Variants = []lapak.Variant{{Name: "M"}, {Name: "L"}}
		warna := s.save(p)
		off := s.product("KAOS-3", "Kaos Lama")
		off.Active = false
		lama := s.save(off)
		many := make([]lapak.CartItem, 51)
		for i := range many {
			many[i] = item(kaos.ID, 1)
		}
		tests := []struct {
			name   string
			change func(*lapak.NewOrder)
			kind   lapak.Kind
			key    string
		}{
			{"NoItems", func(o *lapak.NewOrder) { o.Items = nil }, lapak.KindInvalid, "order.empty"},
			{"TooManyLines", func(o *lapak.NewOrder) { o.Items = many }, lapak.KindInvalid, "order.too_many_lines"},
			{"ZeroQty", func(o *lapak.NewOrder) { o.Items[0].Qty = 0 }, lapak.KindInvalid, "order.qty_invalid"},
			{"TooManyOfOne", func(o *lapak.NewOrder) { o.Items[0].Qty = 1001 }, lapak.KindInvalid, "order.qty_invalid"},
			{"NoName", func(o *lapak.NewOrder) { o.Name = "  " }, lapak.KindInvalid, "order.name_missing"},
			{"LongName", func(o *lapak.NewOrder) { o.Name = strings.Repeat("a", 101) }, lapak.KindInvalid, "order.name_too_long"},
			{"NoPhone", func(o *lapak.NewOrder) { o.Phone = "" }, lapak.KindInvalid, "order.phone_invalid"},
			{"NotAMobile", func(o *lapak.NewOrder) { o.Phone = "+62221234567" }, lapak.KindInvalid, "order.phone_invalid"},
			{"NoStreet", func(o *lapak.NewOrder) { o.Address.Street = " " }, lapak.KindInvalid, "order.address_missing"},
			{"LongCity", func(o *lapak.NewOrder) { o.Address.City = strings.Repeat("a", 201) }, lapak.KindInvalid, "order.address_too_long"},
			{"LongNotes", func(o *lapak.NewOrder) { o.Notes = strings.Repeat("a", 501) }, lapak.KindInvalid, "order.notes_too_long"},
			{"UnknownProduct", func(o *lapak.NewOrder) { o.Items[0].ProductID = 999_999 }, lapak.KindNotFound, "product.not_found"},
			{"OffSale", func(o *lapak.NewOrder) { o.Items[0].ProductID = lama.ID }, lapak.KindConflict, "order.unavailable"},
			{"NoVariant", func(o *lapak.NewOrder) { o.Items[0].ProductID = warna.ID }, lapak.KindInvalid, "order.variant_required"},
			{"AnotherProductsVariant", func(o *lapak.NewOrder) { o.Items[0].VariantID = warna.Variants[0].ID }, lapak.KindConflict, "order.unavailable"},
			{"ZoneGone", func(o *lapak.NewOrder) { o.ZoneID = 999_999 }, lapak.KindConflict, "order.zone_gone"},
			{"UnknownReseller", func(o *lapak.NewOrder) { o.ResellerID = 999_999 }, lapak.KindNotFound, "reseller.not_found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				o := s.newOrder(tt.name, item(kaos.ID, 1))
				tt.change(&o)
				_, err := s.PlaceOrder(s.ctx, o, nil)
				if lapak.KindOf(err) != tt.kind || errKey(err) != tt.key {
					t.Errorf("got %v, want %s %s", err, tt.kind, tt.key)
				}
			})
		}
		if n := s.count("SELECT count(*) FROM orders"); n != 0 {
			t.Errorf("%d orders placed", n)
		}
		for name, o := range map[string]lapak.NewOrder{
			"NoKey":          s.newOrder("", item(kaos.ID, 1)),
			"ExpiresAlready": func() lapak.NewOrder { o := s.newOrder("x", item(kaos.ID, 1)); o.ExpiresAt = testNow; return o }(),
		} {
			if _, err := s.PlaceOrder(s.ctx, o, nil); err == nil || lapak.KindOf(err) != lapak.KindInternal {
				t.Errorf("%s: got %v, want an internal error", name, err)
			}
		}
	})
}

func TestDoubleTapPlacesOneOrder(t *testing.T) {
	s := newOrderStore(t, 12)
	p := s.product("KAOS-1", "Kaos Polos")
	p.Stock = units(10)
	kaos := s.save(p)
	o := s.newOrder("checkout:once", item(kaos.ID, 3))

	const taps = 10
	orders := make([]lapak.Order, taps)
	errs := make([]error, taps)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range taps {
		wg.Go(func() {
			<-start
			orders[i], errs[i] = s.PlaceOrder(s.ctx, o, func(o lapak.Order) []bot.Outbound {
				return []bot.Outbound{{To: bot.Address{Channel: lapak.Telegram, ChatID: "900"}, Reply: bot.Reply{Text: o.Ref}}}
			})
		})
	}
	close(start)
	wg.Wait()
	for i := range taps {
		if errs[i] != nil || orders[i].ID != orders[0].ID || orders[i].Ref != orders[0].Ref || len(orders[i].Items) != 1 {
			t.Errorf("tap %d: %+v, %v; tap 0: %+v", i, orders[i], errs[i], orders[0])
		}
	}
	if n := s.count("SELECT count(*) FROM orders"); n != 1 {
		t.Errorf("%d orders", n)
	}
	if got := s.stock(kaos.ID, false); got != 7 {
		t.Errorf("stock %d after one order of 3 from 10", got)
	}
	if n := s.count("SELECT count(*) FROM river_job"); n != 2 {
		t.Errorf("%d jobs, want one release and one notification", n)
	}

	other := s.user("6289876543210")
	o.CustomerUserID = other.ID
	if _, err := s.PlaceOrder(s.ctx, o, nil); err == nil {
		t.Errorf("another customer got an order with the same key")
	}
}

// TestLastUnits races 200 customers for the last 10 units: exactly 10 get one, the others are told
// it is sold out, and the stock ends at zero.
func TestLastUnits(t *testing.T) {
	for _, variant := range []bool{false, true} {
		t.Run(map[bool]string{false: "Product", true: "Variant"}[variant], func(t *testing.T) {
			s := newOrderStore(t, 30)
			p := s.product("KAOS-1", "Kaos Polos")
			p.Stock = units(10)
			if variant {
				p.Stock = nil
				p.Variants = []lapak.Variant{{Name: "M", Stock: units(10)}, {Name: "L", Stock: units(10)}}
			}
			kaos := s.save(p)
			it := item(kaos.ID, 1)
			stockID := kaos.ID
			if variant {
				it.VariantID, stockID = kaos.Variants[0].ID, kaos.Variants[0].ID
			}
			const customers = 200
			orders := make([]lapak.NewOrder, customers)
			for i := range orders {
				s.customer = s.user(fmt.Sprintf("62812%08d", i))
				orders[i] = s.newOrder(fmt.Sprintf("checkout:%d", i), it)
			}

			errs := make([]error, customers)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range orders {
				wg.Go(func() {
					<-start
					_, errs[i] = s.PlaceOrder(s.ctx, orders[i], nil)
				})
			}
			close(start)
			wg.Wait()

			placed, soldOut := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					placed++
				case errKey(err) == "order.sold_out" && lapak.KindOf(err) == lapak.KindConflict:
					soldOut++
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}
			if placed != 10 || soldOut != 190 {
				t.Errorf("%d placed, %d sold out; want 10 and 190", placed, soldOut)
			}
			if n := s.count("SELECT count(*) FROM orders"); n != 10 {
				t.Errorf("%d orders stored", n)
			}
			if got := s.stock(stockID, variant); got != 0 {
				t.Errorf("stock ends at %d, want 0", got)
			}
			if variant && s.stock(kaos.Variants[1].ID, true) != 10 {
				t.Errorf("the other variant's stock changed")
			}
		})
	}
}

func TestExpireOrder(t *testing.T) {
	s := newOrderStore(t, 8)
	p := s.product("KAOS-1", "Kaos Polos")
	p.Variants = []lapak.Variant{{Name: "M", Stock: units(5)}, {Name: "L"}}
	kaos := s.save(p)
	p = s.product("SAMBAL-1", "Sambal")
	p.Stock = units(4)
	sambal := s.save(p)
	m, l := kaos.Variants[0], kaos.Variants[1]
	placed := s.place(s.newOrder("k1", lapak.CartItem{ProductID: kaos.ID, VariantID: m.ID, Qty: 2},
		lapak.CartItem{ProductID: kaos.ID, VariantID: l.ID, Qty: 1}, item(sambal.ID, 3)))
	due := placed.ExpiresAt

	if ok, err := s.ExpireOrder(s.ctx, placed.ID, due.Add(-time.Second)); ok || err != nil {
		t.Fatalf("expired before it was due: %t, %v", ok, err)
	}
	if s.stock(m.ID, true) != 3 || s.stock(sambal.ID, false) != 1 {
		t.Fatalf("stock moved before the order was due")
	}

	// Twice at once, as when a retried job runs next to the first: the stock comes back once.
	results := make([]bool, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i], errs[i] = s.ExpireOrder(s.ctx, placed.ID, due) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || results[0] == results[1] {
		t.Errorf("two expiries at once: %v, %v", results, errs)
	}
	if got := []int{s.stock(m.ID, true), s.stock(l.ID, true), s.stock(sambal.ID, false)}; fmt.Sprint(got) != "[5 -1 4]" {
		t.Errorf("stock after expiry (M, L, sambal): %v, want [5 -1 4]", got)
	}
	if ok, err := s.ExpireOrder(s.ctx, placed.ID, due.Add(time.Hour)); ok || err != nil || s.stock(sambal.ID, false) != 4 {
		t.Errorf("a third expiry: %t, %v, sambal stock %d", ok, err, s.stock(sambal.ID, false))
	}
	stored, _ := s.OrderByRef(s.ctx, placed.Ref)
	if stored.Status != lapak.OrderExpired {
		t.Errorf("status %s", stored.Status)
	}

	t.Run("APaidOrderKeepsItsStock", func(t *testing.T) {
		paid := s.place(s.newOrder("k2", item(sambal.ID, 1)))
		s.Pool().Exec(s.ctx, "UPDATE orders SET status = 'paid', paid_at = $2 WHERE id = $1", paid.ID, testNow)
		if ok, err := s.ExpireOrder(s.ctx, paid.ID, paid.ExpiresAt); ok || err != nil || s.stock(sambal.ID, false) != 3 {
			t.Errorf("a paid order expired: %t, %v, stock %d", ok, err, s.stock(sambal.ID, false))
		}
	})

	t.Run("UnknownOrder", func(t *testing.T) {
		if _, err := s.ExpireOrder(s.ctx, 999_999, due); !errors.Is(err, lapak.ErrNotFound) {
			t.Errorf("got %v", err)
		}
	})
}

func TestCancelOrder(t *testing.T) {
	s := newOrderStore(t, 4)
	p := s.product("SAMBAL-1", "Sambal")
	p.Stock = units(4)
	sambal := s.save(p)
	placed := s.place(s.newOrder("k1", item(sambal.ID, 3)))

	for i := range 2 { // cancelling twice is a double tap, not an error
		if err := s.CancelOrder(s.ctx, placed.ID); err != nil {
			t.Fatalf("cancel %d: %v", i, err)
		}
	}
	if got := s.stock(sambal.ID, false); got != 4 {
		t.Errorf("stock %d after cancelling, want 4", got)
	}
	if stored, _ := s.OrderByRef(s.ctx, placed.Ref); stored.Status != lapak.OrderCancelled {
		t.Errorf("status %s", stored.Status)
	}
	if ok, _ := s.ExpireOrder(s.ctx, placed.ID, placed.ExpiresAt); ok || s.stock(sambal.ID, false) != 4 {
		t.Errorf("a cancelled order expired too")
	}

	expired := s.place(s.newOrder("k2", item(sambal.ID, 1)))
	s.ExpireOrder(s.ctx, expired.ID, expired.ExpiresAt)
	if err := s.CancelOrder(s.ctx, expired.ID); lapak.KindOf(err) != lapak.KindConflict || errKey(err) != "order.not_cancellable" {
		t.Errorf("cancel an expired order: %v", err)
	}
	if err := s.CancelOrder(s.ctx, 999_999); !errors.Is(err, lapak.ErrNotFound) {
		t.Errorf("cancel an unknown order: %v", err)
	}
	if got := s.stock(sambal.ID, false); got != 4 {
		t.Errorf("stock %d, want 4", got)
	}
}

func TestOrdersOf(t *testing.T) {
	s := newOrderStore(t, 4)
	kaos := s.save(s.product("KAOS-1", "Kaos Polos"))
	sambal := s.save(s.product("SAMBAL-1", "Sambal"))
	var refs []string
	for i := range 3 {
		later := storage.New(s.Pool(), s.jobs(), fixedClock{testNow.Add(time.Duration(i) * time.Minute)})
		o := s.newOrder(fmt.Sprint("k", i), item(kaos.ID, i+1), item(sambal.ID, 1))
		o.ExpiresAt = testNow.Add(time.Hour)
		placed, err := later.PlaceOrder(s.ctx, o, nil)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, placed.Ref)
	}
	first := s.customer
	s.customer = s.user("6289876543210")
	s.place(s.newOrder("other", item(kaos.ID, 1)))

	orders, err := s.OrdersOf(s.ctx, first.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 2 || orders[0].Ref != refs[2] || orders[1].Ref != refs[1] {
		t.Fatalf("newest two: %+v", orders)
	}
	if it := orders[0].Items; len(it) != 2 || it[0].ProductID != kaos.ID || it[0].Qty != 3 || it[1].ProductID != sambal.ID {
		t.Errorf("items of the newest: %+v", it)
	}
	if _, err := s.OrderByRef(s.ctx, "LPK-ZZZZZZ"); !errors.Is(err, lapak.ErrNotFound) || errKey(err) != "order.not_found" {
		t.Errorf("an unknown reference: %v", err)
	}
}

// jobs returns a job inserter on the store's pool.
func (s *orderStore) jobs() storage.Inserter {
	s.t.Helper()
	rc, err := river.NewClient(riverpgxv5.New(s.Pool()), &river.Config{})
	if err != nil {
		s.t.Fatal(err)
	}
	return rc
}
