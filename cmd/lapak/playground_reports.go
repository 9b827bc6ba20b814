package main

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/reports"
	"github.com/lapak-id/lapak/storage"
)

// The playground's demo sales: a dozen orders customers placed through the demo reseller over the
// last ten days, so the owner's first /laporan has sales, best sellers, a reseller and a chart.
// Each goes the way a real order goes, through the store's own methods at its own past moment:
// placed, paid (which posts its payment journal), and, as far as its age allows, shipped the next
// morning, completed three days later and its commission released. The ledger balances as it
// does for real orders, and the newest orders still wait to be shipped, for the owner to try.

// demoSale is an order of the demo sales: placed daysAgo days ago at time of day at (WIB), by one
// of demoCustomers. The newest, daysAgo 0, is placed a little before the playground starts.
type demoSale struct {
	daysAgo  int
	at       time.Duration
	customer int
	items    []demoItem
}

// demoItem is a line of a demo sale: a demo product by SKU, its size when it has sizes.
type demoItem struct {
	sku, size string
	qty       int
}

// demoBuyer is a customer of the demo sales, on WhatsApp; none of them is the customer pane.
type demoBuyer struct {
	phone, name, street, city, zone string
}

var demoCustomers = []demoBuyer{
	{"+6281300000101", "Budi Hartono", "Jl. Kaliurang Km 5 No. 12", "Yogyakarta", "Jawa"},
	{"+6281300000102", "Lestari Ayu", "Jl. Dago No. 88", "Bandung", "Jawa"},
	{"+6281300000103", "Agus Salim", "Jl. Gatot Subroto No. 21", "Medan", "Luar Jawa"},
	{"+6281300000104", "Nur Aini", "Jl. Pemuda No. 45", "Semarang", "Jawa"},
	{"+6281300000105", "Rahmat Hidayat", "Jl. Pettarani No. 9", "Makassar", "Luar Jawa"},
	{"+6281300000106", "Wati Susanti", "Jl. Tunjungan No. 30", "Surabaya", "Jawa"},
}

// hm is a time of day.
func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

var demoSales = []demoSale{
	{9, hm(10, 15), 0, []demoItem{{"KN-BATIK-PARANG", "M", 2}}},
	{9, hm(19, 40), 1, []demoItem{{"KN-TOPI-PANDAN", "", 1}}},
	{8, hm(13, 5), 2, []demoItem{{"KN-KEMEJA-TENUN", "", 1}}},
	{7, hm(20, 30), 0, []demoItem{{"KN-WAYANG-ANAK", "", 3}}},
	{6, hm(9, 50), 3, []demoItem{{"KN-TOTE-SUMBA", "", 1}, {"KN-TOPI-PANDAN", "", 1}}},
	{5, hm(16, 20), 4, []demoItem{{"KN-BATIK-PARANG", "L", 1}}},
	{4, hm(11, 0), 1, []demoItem{{"KN-KEMEJA-LURIK", "", 1}}},
	{3, hm(21, 10), 5, []demoItem{{"KN-WAYANG-ANAK", "", 2}}},
	{2, hm(8, 45), 2, []demoItem{{"KN-BATIK-PARANG", "S", 1}, {"KN-WAYANG-ANAK", "", 1}}},
	{1, hm(14, 30), 3, []demoItem{{"KN-KEMEJA-TENUN", "", 1}}},
	{1, hm(19, 55), 5, []demoItem{{"KN-TOTE-SUMBA", "", 1}}},
	{0, 0, 4, []demoItem{{"KN-TOPI-PANDAN", "", 2}}},
}

// How a demo order moves on once paid: shipped the next morning, completed some days later, its
// commission held as long as the playground holds it.
const (
	demoShipAt       = 10 * time.Hour // the next morning, WIB
	demoDelivery     = 3 * 24 * time.Hour
	demoAutoComplete = 7 * 24 * time.Hour // AUTO_COMPLETE_AFTER's default
	demoCourier      = "JNE"
)

// demoClock is the time the seeding store works at, moved to each step's moment.
type demoClock struct{ t time.Time }

func (c *demoClock) Now() time.Time { return c.t }

// seedDemoSales places the demo sales through the demo reseller, once: each sale has its own
// idempotency key, so a later start gets the order placed before back, and leaves it as it is. A
// sale whose product or size the owner has since taken off sale, or sold out, is skipped.
func seedDemoSales(ctx context.Context, store *storage.Store, r lapak.Reseller) error {
	now := time.Now()
	// The store the seeding uses works at each sale's past moment; its jobs go into the app's
	// queue, whose workers find the orders paid and leave them alone.
	rc, err := river.NewClient(riverpgxv5.New(store.Pool()), &river.Config{})
	if err != nil {
		return fmt.Errorf("seed sales: %w", err)
	}
	clock := &demoClock{}
	past := storage.New(store.Pool(), rc, clock)
	zones, err := store.ShippingZones(ctx)
	if err != nil {
		return fmt.Errorf("seed sales: %w", err)
	}
	for i, s := range demoSales {
		if err := seedSale(ctx, past, clock, r, zones, fmt.Sprintf("playground-sale-%02d", i+1), s, now); err != nil {
			return err
		}
	}
	return nil
}

// seedSale places one demo sale at its moment before now and moves it on as far as its age allows.
func seedSale(ctx context.Context, store *storage.Store, clock *demoClock, r lapak.Reseller, zones []lapak.ShippingZone,
	key string, s demoSale, now time.Time,
) error {
	items, ok, err := demoCart(ctx, store, s.items)
	if err != nil || !ok {
		return err
	}
	b := demoCustomers[s.customer]
	u, err := store.TouchUser(ctx, lapak.WhatsApp, b.phone[1:], b.phone[1:], b.name, lapak.Indonesian)
	if err != nil {
		return fmt.Errorf("seed sale %s: %w", key, err)
	}
	var zone int64
	for _, z := range zones {
		if z.Name == b.zone {
			zone = z.ID
		}
	}
	placed := demoMoment(s, now).Truncate(time.Microsecond)
	clock.t = placed
	o, err := store.PlaceOrder(ctx, lapak.NewOrder{
		Key: key, CustomerUserID: u.ID, ResellerID: r.ID, Items: items, ZoneID: zone,
		Name: b.name, Phone: lapak.Phone(b.phone), Address: lapak.Address{Street: b.street, City: b.city},
		// The reservation's release job runs at ExpiresAt: in the past, it could expire the order
		// before it is paid below.
		ExpiresAt: later(placed.Add(time.Hour), now),
	}, nil)
	switch kind := lapak.KindOf(err); {
	case err == nil:
	case kind == lapak.KindConflict || kind == lapak.KindNotFound || kind == lapak.KindInvalid:
		return nil // the catalog changed under the demo: this sale cannot be made any more
	default:
		return fmt.Errorf("seed sale %s: %w", key, err)
	}
	if !o.CreatedAt.Equal(placed) {
		return nil // placed by an earlier start, on another day
	}
	paid := placed.Add(time.Duration(3+2*s.customer) * time.Minute)
	if paid.After(now) {
		paid = now.Truncate(time.Microsecond)
	}
	clock.t = paid
	st, err := store.SettleInvoice(ctx, payments.Payment{
		OrderID: o.ID, XenditID: "playground-" + o.Ref, Amount: o.Total, PaidAt: paid, Method: "BANK_TRANSFER", Channel: "BCA",
	}, func(payments.Settlement) []bot.Outbound { return nil }) // days ago: nobody is to be told now
	if err != nil {
		return fmt.Errorf("seed sale %s: pay: %w", key, err)
	}
	if st.Outcome != payments.Settled {
		return nil // paid by an earlier start
	}
	return moveSaleOn(ctx, store, clock, o, paid, now)
}

// moveSaleOn ships a paid demo order the next morning, completes it three days later and releases
// its commission after the hold, each step only when its moment has passed. Jobs the steps
// schedule for the past would run at once and race the seeding, so they are put after now.
func moveSaleOn(ctx context.Context, store *storage.Store, clock *demoClock, o lapak.Order, paid, now time.Time) error {
	wib := reports.WIB.Location()
	day := paid.In(wib)
	shipped := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, wib).Add(demoShipAt + time.Duration(o.ID%50)*time.Minute)
	if !shipped.Before(now) {
		return nil
	}
	clock.t = shipped
	resi := fmt.Sprintf("JN%010d", 4_815_000_000+o.ID)
	if _, err := store.ShipOrder(ctx, o.ID, demoCourier, resi, shipped, later(shipped.Add(demoAutoComplete), now), nil); err != nil {
		return fmt.Errorf("seed sale %s: ship: %w", o.Ref, err)
	}
	completed := shipped.Add(demoDelivery)
	released := completed.Add(playgroundHold)
	if !released.Before(now) {
		return nil
	}
	clock.t = completed
	if _, err := store.CompleteOrder(ctx, o.ID, completed, released, nil); err != nil {
		return fmt.Errorf("seed sale %s: complete: %w", o.Ref, err)
	}
	// The release job CompleteOrder scheduled is due already, and may release first; releasing
	// twice releases once.
	clock.t = released
	if _, err := store.ReleaseEarnings(ctx, o.ID, released, nil); err != nil {
		return fmt.Errorf("seed sale %s: release: %w", o.Ref, err)
	}
	return nil
}

// demoCart is the cart of a demo sale's items, or false when a product or size is gone.
func demoCart(ctx context.Context, store *storage.Store, items []demoItem) ([]lapak.CartItem, bool, error) {
	var cart []lapak.CartItem
	for _, it := range items {
		p, err := store.ProductBySKU(ctx, it.sku)
		if lapak.KindOf(err) == lapak.KindNotFound {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("seed sales: %w", err)
		}
		line := lapak.CartItem{ProductID: p.ID, Qty: it.qty}
		if it.size != "" {
			for _, v := range p.Variants {
				if v.Name == it.size && v.Active {
					line.VariantID = v.ID
				}
			}
			if line.VariantID == 0 {
				return nil, false, nil
			}
		}
		cart = append(cart, line)
	}
	return cart, true, nil
}

// demoMoment is when a demo sale was placed: at its time of day, daysAgo days before now's day in
// WIB; the newest a little before now, and today still.
func demoMoment(s demoSale, now time.Time) time.Time {
	wib := reports.WIB.Location()
	today := now.In(wib)
	if s.daysAgo == 0 {
		midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, wib)
		return now.Add(-min(40*time.Minute, now.Sub(midnight)/2))
	}
	return time.Date(today.Year(), today.Month(), today.Day()-s.daysAgo, 0, 0, 0, 0, wib).Add(s.at)
}

// later is t, or an hour after now when t is sooner.
func later(t, now time.Time) time.Time {
	if t.Before(now.Add(time.Hour)) {
		return now.Add(time.Hour)
	}
	return t
}
