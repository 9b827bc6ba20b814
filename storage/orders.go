package storage

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/jobs"
)

var (
	_ flows.Orders  = (*Store)(nil)
	_ jobs.Releaser = (*Store)(nil)
)

// Limits of an order, as the schema holds them.
const (
	maxOrderLines   = 50
	maxLineQty      = 1000
	maxOrderName    = 100
	maxOrderNotes   = 500
	maxAddressField = 200
	maxOrderKey     = 200
)

// refAlphabet is what order references are made of: upper-case letters and digits without 0, O,
// 1 and I, which people mix up. 32 symbols, so six of them are 30 random bits.
const refAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// newRef returns a fresh order reference such as LPK-7F3K2Q.
func newRef() string {
	b := make([]byte, 6)
	rand.Read(b)
	for i := range b {
		b[i] = refAlphabet[b[i]%byte(len(refAlphabet))] // 256 is a multiple of 32: no bias
	}
	return "LPK-" + string(b)
}

// errKeyTaken says an order with the same idempotency key was placed first; errRefTaken that the
// drawn reference is another order's.
var (
	errKeyTaken = errors.New("idempotency key taken")
	errRefTaken = errors.New("order reference taken")
)

// PlaceOrder prices o's items, reserves their stock and records the order with its items, the job
// that releases the reservation at o.ExpiresAt and notify's messages, all in one transaction; with
// invoices on (EnableInvoices), also its invoice and the job that asks Xendit for it.
//
// Each line is priced at the reseller's own price for the product, else their markup, else the
// retail price (lapak.ResellerPrice), and split with lapak.Split under the product's commission
// or the reseller's level's override. Without a reseller the owner sells at the retail price and
// keeps all of it. Stock is taken with a conditional decrement that never goes below zero;
// unlimited stock is not touched. The same o.Key twice, even at the same moment, places one order,
// reserves its stock and enqueues its messages once, and returns that order to every call.
//
// Prices are read before the transaction opens, and notify is called outside it too: notify may
// read the store, and doing that while holding a pooled connection could starve the pool. Reads
// at READ COMMITTED see the same data in or out of the transaction; what must be atomic, the order
// and its reservations and jobs, is.
//
// Refusals are *lapak.Error: KindInvalid for a missing name, phone or address, a quantity outside
// 1 to 1000, no items or more than 50 lines (order.* keys); KindConflict order.sold_out with the
// item's name when its stock is short, order.unavailable when a product or variant was taken off
// sale, order.variant_required when a product with variants is ordered without one, and
// order.zone_gone when the shipping zone no longer exists; KindNotFound for an unknown product or
// reseller.
func (s *Store) PlaceOrder(ctx context.Context, o lapak.NewOrder, notify func(lapak.Order) []bot.Outbound) (lapak.Order, error) {
	o, err := checkNewOrder(o, s.clock.Now())
	if err != nil {
		return lapak.Order{}, err
	}
	out, err := s.placeOrder(ctx, o, notify)
	if err != nil && !isDomainError(err) {
		return out, fmt.Errorf("place order for customer %d: %w", o.CustomerUserID, err)
	}
	return out, err
}

// placeOrder returns the order placed with o.Key already, or places it, drawing another
// reference when the drawn one is taken.
func (s *Store) placeOrder(ctx context.Context, o lapak.NewOrder, notify func(lapak.Order) []bot.Outbound) (lapak.Order, error) {
	if placed, found, err := orderByKey(ctx, s.pool, o); found || err != nil {
		return placed, err
	}
	order, targets, err := priceOrder(ctx, s.pool, o)
	if err != nil {
		return order, err
	}
	order.CreatedAt = s.clock.Now().Truncate(time.Microsecond)
	for range 5 {
		order.Ref = newRef()
		var msgs []bot.Outbound
		if notify != nil {
			msgs = notify(order)
		}
		err = s.tx(ctx, func(tx pgx.Tx) error { return s.recordOrder(ctx, tx, order, o.Key, targets, msgs) })
		switch {
		case errors.Is(err, errRefTaken):
			continue
		case errors.Is(err, errKeyTaken):
			placed, found, err := orderByKey(ctx, s.pool, o)
			if err == nil && !found {
				err = fmt.Errorf("order with key %q vanished", o.Key)
			}
			return placed, err
		case err != nil:
			return lapak.Order{}, err
		}
		return order, nil
	}
	return lapak.Order{}, fmt.Errorf("no free order reference after 5 tries")
}

// recordOrder writes a priced order, its jobs (its invoice's creation too, when invoices are on)
// and its reservations in tx. The jobs go in with one insert. Stock is reserved last, so that the
// rows every buyer of a popular product waits for are locked only until the commit.
func (s *Store) recordOrder(ctx context.Context, tx pgx.Tx, o lapak.Order, key string, targets []reservation, msgs []bot.Outbound) error {
	if s.jobs == nil {
		return fmt.Errorf("record order %d: the store has no job inserter", o.ID)
	}
	if err := insertOrder(ctx, tx, o, key); err != nil {
		return err
	}
	if err := insertItems(ctx, tx, o, targets); err != nil {
		return err
	}
	// The job that releases the order's reservation when it expires unpaid.
	queue := []river.InsertManyParams{{
		Args:       jobs.ReleaseReservationArgs{OrderID: o.ID},
		InsertOpts: &river.InsertOpts{ScheduledAt: o.ExpiresAt},
	}}
	invoice, err := s.recordInvoice(ctx, tx, o)
	if err != nil {
		return err
	}
	queue = append(append(queue, invoice...), notifications(msgs)...)
	if _, err := s.jobs.InsertManyTx(ctx, tx, queue); err != nil {
		return fmt.Errorf("enqueue the jobs of order %d: %w", o.ID, err)
	}
	return reserve(ctx, tx, targets)
}

// checkNewOrder refuses what cannot become an order and returns o tidied: names and address
// fields on one line, the phone in E.164.
func checkNewOrder(o lapak.NewOrder, now time.Time) (lapak.NewOrder, error) {
	invalid := func(key string, args ...any) (lapak.NewOrder, error) {
		return o, lapak.Errorf(lapak.KindInvalid, key, args...)
	}
	switch {
	case o.Key == "" || len(o.Key) > maxOrderKey:
		return o, fmt.Errorf("place order: idempotency key of %d bytes, want 1 to %d", len(o.Key), maxOrderKey)
	case o.CustomerUserID <= 0 || o.ResellerID < 0 || o.ZoneID < 0:
		return o, fmt.Errorf("place order: customer %d, reseller %d, zone %d", o.CustomerUserID, o.ResellerID, o.ZoneID)
	case !o.ExpiresAt.After(now):
		return o, fmt.Errorf("place order: expires at %s, not after %s", o.ExpiresAt, now)
	case len(o.Items) == 0:
		return invalid("order.empty")
	case len(o.Items) > maxOrderLines:
		return invalid("order.too_many_lines", maxOrderLines)
	}
	for _, it := range o.Items {
		if it.Qty < 1 || it.Qty > maxLineQty {
			return invalid("order.qty_invalid", it.Qty, maxLineQty)
		}
		if it.ProductID <= 0 || it.VariantID < 0 {
			return o, notFound("product.not_found")
		}
	}
	o.Name = oneLine(o.Name)
	switch n := utf8.RuneCountInString(o.Name); {
	case n == 0:
		return invalid("order.name_missing")
	case n > maxOrderName:
		return invalid("order.name_too_long", maxOrderName)
	}
	phone, ok := lapak.ParsePhone(string(o.Phone))
	if !ok {
		return invalid("order.phone_invalid")
	}
	o.Phone = phone
	a := &o.Address
	for _, f := range []*string{&a.Street, &a.Kelurahan, &a.Kecamatan, &a.City, &a.PostalCode} {
		if *f = oneLine(*f); utf8.RuneCountInString(*f) > maxAddressField {
			return invalid("order.address_too_long", maxAddressField)
		}
	}
	if a.Street == "" {
		return invalid("order.address_missing")
	}
	if o.Notes = strings.TrimSpace(o.Notes); utf8.RuneCountInString(o.Notes) > maxOrderNotes {
		return invalid("order.notes_too_long", maxOrderNotes)
	}
	o.ExpiresAt = o.ExpiresAt.Truncate(time.Microsecond) // as Postgres keeps it
	return o, nil
}

// orderCatalog is what pricing an order reads: a fresh order ID, the reseller's terms, the
// shipping zone, and the products and variants ordered.
type orderCatalog struct {
	orderID  int64
	reseller resellerTerms
	zone     lapak.ShippingZone
	products map[int64]orderProduct
	variants map[int64]orderVariant
}

// resellerTerms is how a reseller prices and is paid.
type resellerTerms struct {
	markup   lapak.Markup
	override *lapak.CommissionRule // the reseller's level's commission, when it overrides the product's
}

// orderProduct is a product as an order line needs it.
type orderProduct struct {
	lapak.Product
	own         lapak.Money // the reseller's own price; 0 when not set
	hasVariants bool        // the product has active variants, and a line must name one
}

// orderVariant is a variant as an order line needs it.
type orderVariant struct {
	lapak.Variant
	productID int64
}

// batcher sends a batch of queries: a pool or a transaction.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// loadOrderCatalog reads everything pricing o needs in one round trip.
func loadOrderCatalog(ctx context.Context, db batcher, o lapak.NewOrder) (orderCatalog, error) {
	c := orderCatalog{products: make(map[int64]orderProduct), variants: make(map[int64]orderVariant)}
	var productIDs, variantIDs []int64
	for _, it := range o.Items {
		productIDs = append(productIDs, it.ProductID)
		if it.VariantID != 0 {
			variantIDs = append(variantIDs, it.VariantID)
		}
	}
	b := &pgx.Batch{}
	b.Queue("SELECT nextval('orders_id_seq')").QueryRow(func(r pgx.Row) error { return r.Scan(&c.orderID) })
	if o.ResellerID != 0 {
		b.Queue(resellerTermsSQL, o.ResellerID).QueryRow(func(r pgx.Row) error { return scanResellerTerms(r, &c.reseller) })
	}
	if o.ZoneID != 0 {
		b.Queue("SELECT id, name, fee FROM shipping_zones WHERE id = $1", o.ZoneID).QueryRow(func(r pgx.Row) error {
			err := r.Scan(&c.zone.ID, &c.zone.Name, &c.zone.Fee)
			if errors.Is(err, pgx.ErrNoRows) {
				return lapak.Errorf(lapak.KindConflict, "order.zone_gone")
			}
			return err
		})
	}
	b.Queue(orderProductsSQL, productIDs, o.ResellerID).Query(func(rows pgx.Rows) error {
		var p orderProduct
		_, err := pgx.ForEachRow(rows, []any{&p.ID, &p.SKU, &p.Name, &p.BasePrice, &p.RetailPrice, &p.MaxPrice,
			&p.Commission.Percent, &p.Commission.Fixed, &p.Stock, &p.Active, &p.hasVariants, &p.own}, func() error {
			c.products[p.ID] = p
			return nil
		})
		return err
	})
	if len(variantIDs) > 0 {
		b.Queue("SELECT id, product_id, sku, name, stock, active FROM variants WHERE id = ANY($1)", variantIDs).Query(func(rows pgx.Rows) error {
			var v orderVariant
			_, err := pgx.ForEachRow(rows, []any{&v.ID, &v.productID, &v.SKU, &v.Name, &v.Stock, &v.Active}, func() error {
				c.variants[v.ID] = v
				return nil
			})
			return err
		})
	}
	return c, db.SendBatch(ctx, b).Close()
}

// resellerTermsSQL reads an approved reseller's markup and their level's commission override.
const resellerTermsSQL = `
	SELECT coalesce(r.markup_percent_bp, 0), coalesce(r.markup_fixed, 0), coalesce(l.overrides, false),
		coalesce(l.commission_percent_bp, 0), coalesce(l.commission_fixed, 0)
	FROM resellers r LEFT JOIN levels l ON l.id = r.level_id
	WHERE r.id = $1 AND r.status = 'approved'`

func scanResellerTerms(r pgx.Row, t *resellerTerms) error {
	var overrides bool
	var rule lapak.CommissionRule
	err := r.Scan(&t.markup.Percent, &t.markup.Fixed, &overrides, &rule.Percent, &rule.Fixed)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound("reseller.not_found")
	}
	if overrides {
		t.override = &rule
	}
	return err
}

// orderProductsSQL reads the ordered products with the reseller's own prices ($2 is 0 for none).
const orderProductsSQL = `
	SELECT p.id, p.sku, p.name, p.base_price, p.retail_price, coalesce(p.max_price, 0),
		p.commission_percent_bp, p.commission_fixed, p.stock, p.active,
		EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.active), coalesce(rp.price, 0)
	FROM products p LEFT JOIN reseller_prices rp ON rp.product_id = p.id AND rp.reseller_id = $2
	WHERE p.id = ANY($1)`

// priceOrder reads the catalog and returns the order o makes, not yet placed, and the stock it
// must reserve, in locking order.
func priceOrder(ctx context.Context, db batcher, o lapak.NewOrder) (lapak.Order, []reservation, error) {
	c, err := loadOrderCatalog(ctx, db, o)
	if err != nil {
		return lapak.Order{}, nil, err
	}
	order := lapak.Order{
		ID: c.orderID, CustomerUserID: o.CustomerUserID, ResellerID: o.ResellerID, Status: lapak.OrderPending,
		ShippingZone: c.zone.Name, Shipping: c.zone.Fee, Name: o.Name, Phone: o.Phone, Address: o.Address,
		Notes: o.Notes, ExpiresAt: o.ExpiresAt,
	}
	taking := make(map[reservation]int)
	names := make(map[reservation]string)
	for _, it := range o.Items {
		line, limited, err := c.line(it, o.ResellerID != 0)
		if err != nil {
			return lapak.Order{}, nil, err
		}
		order.Items = append(order.Items, line)
		order.Subtotal += line.Earnings.Customer
		if limited {
			t := reservation{variant: it.VariantID != 0, id: cmp.Or(it.VariantID, it.ProductID)}
			taking[t] += it.Qty
			names[t] = line.Name
		}
	}
	if order.Total = order.Subtotal + order.Shipping; order.Total > lapak.MaxPrice {
		return lapak.Order{}, nil, lapak.Errorf(lapak.KindInvalid, "price.too_large", lapak.MaxPrice)
	}
	targets := make([]reservation, 0, len(taking))
	for t, qty := range taking {
		t.qty, t.name = qty, names[t]
		targets = append(targets, t)
	}
	slices.SortFunc(targets, compareReservations)
	return order, targets, nil
}

// line prices one cart item and reports whether its stock is limited.
func (c orderCatalog) line(it lapak.CartItem, viaReseller bool) (lapak.OrderItem, bool, error) {
	p, ok := c.products[it.ProductID]
	if !ok {
		return lapak.OrderItem{}, false, notFound("product.not_found")
	}
	if !p.Active {
		return lapak.OrderItem{}, false, lapak.Errorf(lapak.KindConflict, "order.unavailable", p.Name)
	}
	line := lapak.OrderItem{ProductID: p.ID, VariantID: it.VariantID, SKU: p.SKU, Name: p.Name, Qty: it.Qty, BasePrice: p.BasePrice}
	stock := p.Stock
	switch v, ok := c.variants[it.VariantID]; {
	case it.VariantID == 0 && p.hasVariants:
		return line, false, lapak.Errorf(lapak.KindInvalid, "order.variant_required", p.Name)
	case it.VariantID != 0 && (!ok || v.productID != p.ID || !v.Active):
		return line, false, lapak.Errorf(lapak.KindConflict, "order.unavailable", p.Name)
	case it.VariantID != 0:
		line.SKU, line.Name, stock = v.SKU, p.Name+" – "+v.Name, v.Stock
	}
	var err error
	if viaReseller {
		line.UnitPrice = lapak.ResellerPrice(p.Product, p.own, c.reseller.markup)
		line.Commission = lapak.EffectiveRule(p.Commission, c.reseller.override)
		line.Earnings, err = lapak.Split(p.BasePrice, line.UnitPrice, line.Commission, it.Qty)
	} else {
		// The owner sells at the retail price, pays no commission and keeps all of it.
		line.UnitPrice = p.RetailPrice
		line.Earnings, err = lapak.Split(line.UnitPrice, line.UnitPrice, lapak.CommissionRule{}, it.Qty)
	}
	return line, stock != nil, err
}

// reservation is stock one order takes from one product or variant.
type reservation struct {
	variant bool  // id is a variant's; else a product's
	id      int64 // the product or variant
	qty     int
	name    string // what the customer ordered, for order.sold_out
}

// compareReservations orders reservations as every transaction that changes stock locks rows:
// products before variants, each by ID, so that two orders never wait for each other.
func compareReservations(a, b reservation) int {
	if a.variant != b.variant {
		if b.variant {
			return -1
		}
		return 1
	}
	return cmp.Compare(a.id, b.id)
}

// reserve takes the stock of each reservation in turn, never below zero, and returns
// order.sold_out with the item's name for the first that is short.
func reserve(ctx context.Context, tx pgx.Tx, targets []reservation) error {
	if len(targets) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	var short *reservation
	for i, t := range targets {
		sql := "UPDATE products SET stock = stock - $2 WHERE id = $1 AND stock >= $2"
		if t.variant {
			sql = "UPDATE variants SET stock = stock - $2 WHERE id = $1 AND stock >= $2"
		}
		b.Queue(sql, t.id, t.qty).Exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() == 0 && short == nil {
				short = &targets[i]
			}
			return nil
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("reserve stock: %w", err)
	}
	if short != nil {
		return lapak.Errorf(lapak.KindConflict, "order.sold_out", short.name)
	}
	return nil
}

// release gives back the stock an order reserved, in the order reserve takes it.
func release(ctx context.Context, tx pgx.Tx, orderID int64) error {
	rows, err := tx.Query(ctx, `
		SELECT variant_id IS NOT NULL, coalesce(variant_id, product_id), sum(qty)::int
		FROM order_items WHERE order_id = $1 AND reserved GROUP BY 1, 2`, orderID)
	if err != nil {
		return fmt.Errorf("release stock of order %d: %w", orderID, err)
	}
	targets, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reservation, error) {
		var t reservation
		return t, r.Scan(&t.variant, &t.id, &t.qty)
	})
	if err != nil {
		return fmt.Errorf("release stock of order %d: %w", orderID, err)
	}
	slices.SortFunc(targets, compareReservations)
	b := &pgx.Batch{}
	for _, t := range targets {
		sql := "UPDATE products SET stock = stock + $2 WHERE id = $1" // unlimited (NULL) stays unlimited
		if t.variant {
			sql = "UPDATE variants SET stock = stock + $2 WHERE id = $1"
		}
		b.Queue(sql, t.id, t.qty)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("release stock of order %d: %w", orderID, err)
	}
	return nil
}

// insertOrder inserts the order row, or returns errKeyTaken or errRefTaken when either is another
// order's. An order with the same key that is being placed at this moment is waited for.
func insertOrder(ctx context.Context, tx pgx.Tx, o lapak.Order, key string) error {
	var reseller *int64
	if o.ResellerID != 0 {
		reseller = &o.ResellerID
	}
	tag, err := tx.Exec(ctx, `
		INSERT INTO orders (id, ref, customer_user_id, reseller_id, status, subtotal, shipping, total,
			shipping_zone, name, phone, address, notes, idempotency_key, created_at, updated_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)
		ON CONFLICT DO NOTHING`,
		o.ID, o.Ref, o.CustomerUserID, reseller, o.Status, o.Subtotal, o.Shipping, o.Total,
		o.ShippingZone, o.Name, o.Phone, o.Address, o.Notes, key, o.CreatedAt, o.ExpiresAt)
	if err != nil {
		return fmt.Errorf("insert order: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var keyTaken bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM orders WHERE idempotency_key = $1)", key).Scan(&keyTaken); err != nil {
		return fmt.Errorf("find order by key: %w", err)
	}
	if keyTaken {
		return errKeyTaken
	}
	return errRefTaken
}

// insertItems inserts the order's lines, each marked reserved when its stock is limited.
func insertItems(ctx context.Context, tx pgx.Tx, o lapak.Order, targets []reservation) error {
	limited := make(map[reservation]bool, len(targets))
	for _, t := range targets {
		limited[reservation{variant: t.variant, id: t.id}] = true
	}
	b := &pgx.Batch{}
	for i, it := range o.Items {
		t := reservation{variant: it.VariantID != 0, id: cmp.Or(it.VariantID, it.ProductID)}
		var variant *int64
		if it.VariantID != 0 {
			variant = &it.VariantID
		}
		e := it.Earnings
		b.Queue(`
			INSERT INTO order_items (order_id, line, product_id, variant_id, sku, name, qty, unit_price, base_price,
				commission_percent_bp, commission_fixed, commission, reseller_earning, owner_share, rounding, reserved)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			o.ID, i+1, it.ProductID, variant, it.SKU, it.Name, it.Qty, it.UnitPrice, it.BasePrice,
			it.Commission.Percent, it.Commission.Fixed, e.Commission, e.Reseller, e.Owner, e.Rounding, limited[t])
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("insert order items: %w", err)
	}
	return nil
}

// ExpireOrder expires the order if it is still pending payment and due at now, and gives its
// reserved stock back, in one transaction. It reports whether it did: an order paid, cancelled,
// expired already or not yet due is left alone, so running it twice, even at once, returns the
// stock once. An unknown order gives a KindNotFound error that is also lapak.ErrNotFound.
func (s *Store) ExpireOrder(ctx context.Context, orderID int64, now time.Time) (bool, error) {
	closed, _, err := s.closeOrder(ctx, orderID, lapak.OrderExpired, now)
	if err != nil && !isDomainError(err) {
		return false, fmt.Errorf("expire order %d: %w", orderID, err)
	}
	return closed, err
}

// CancelOrder cancels an order pending payment and gives its reserved stock back, in one
// transaction. Cancelling a cancelled order again does nothing. An order that is no longer
// pending (paid, or expired) gives a KindConflict error with the key order.not_cancellable and
// its reference; an unknown order a KindNotFound error that is also lapak.ErrNotFound.
func (s *Store) CancelOrder(ctx context.Context, orderID int64) error {
	closed, o, err := s.closeOrder(ctx, orderID, lapak.OrderCancelled, s.clock.Now())
	switch {
	case err != nil && !isDomainError(err):
		return fmt.Errorf("cancel order %d: %w", orderID, err)
	case err != nil, closed, o.Status == lapak.OrderCancelled:
		return err
	}
	return lapak.Errorf(lapak.KindConflict, "order.not_cancellable", o.Ref)
}

// closeOrder moves a pending order to status (expired only when due at now) and releases its
// stock. When the order was not pending it returns false and the order's status and reference.
func (s *Store) closeOrder(ctx context.Context, orderID int64, status lapak.OrderStatus, now time.Time) (bool, lapak.Order, error) {
	var closed bool
	o := lapak.Order{ID: orderID}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE orders SET status = $2, released_at = $3, updated_at = $3,
				cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3::timestamptz END
			WHERE id = $1 AND status = 'pending_payment' AND ($2 <> 'expired' OR expires_at <= $3)`,
			orderID, status, now)
		if err != nil {
			return err
		}
		if closed = tag.RowsAffected() == 1; closed {
			return release(ctx, tx, orderID)
		}
		err = tx.QueryRow(ctx, "SELECT status, ref FROM orders WHERE id = $1", orderID).Scan(&o.Status, &o.Ref)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("order.not_found")
		}
		return err
	})
	return closed, o, err
}

const orderColumns = `id, ref, customer_user_id, coalesce(reseller_id, 0), status, subtotal, shipping_zone, shipping,
	total, name, phone, address, notes, created_at, expires_at, paid_at, shipped_at, courier, resi, completed_at,
	release_at, earnings_released_at, cancelled_at, refund_ref, refunded_at FROM orders`

func scanOrder(row pgx.Row) (lapak.Order, error) {
	var o lapak.Order
	var paid, shipped, completed, releaseAt, released, cancelled, refunded *time.Time
	err := row.Scan(&o.ID, &o.Ref, &o.CustomerUserID, &o.ResellerID, &o.Status, &o.Subtotal, &o.ShippingZone, &o.Shipping,
		&o.Total, &o.Name, &o.Phone, &o.Address, &o.Notes, &o.CreatedAt, &o.ExpiresAt, &paid, &shipped, &o.Courier, &o.Resi,
		&completed, &releaseAt, &released, &cancelled, &o.RefundRef, &refunded)
	for _, t := range []struct {
		dst *time.Time
		src *time.Time
	}{{&o.PaidAt, paid}, {&o.ShippedAt, shipped}, {&o.CompletedAt, completed}, {&o.ReleaseAt, releaseAt},
		{&o.ReleasedAt, released}, {&o.CancelledAt, cancelled}, {&o.RefundedAt, refunded}} {
		if t.src != nil {
			*t.dst = *t.src
		}
	}
	return o, err
}

// queryOrders runs a query over orderColumns and loads each order's items.
func queryOrders(ctx context.Context, db DB, sql string, args ...any) ([]lapak.Order, error) {
	rows, err := db.Query(ctx, "SELECT "+orderColumns+" "+sql, args...)
	if err != nil {
		return nil, err
	}
	orders, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (lapak.Order, error) { return scanOrder(r) })
	if err != nil || len(orders) == 0 {
		return orders, err
	}
	return orders, loadItems(ctx, db, orders)
}

// loadItems fills in the orders' lines, in order, with the earnings they were placed with.
func loadItems(ctx context.Context, db DB, orders []lapak.Order) error {
	ids := make([]int64, len(orders))
	at := make(map[int64]*lapak.Order, len(orders))
	for i := range orders {
		ids[i] = orders[i].ID
		at[orders[i].ID] = &orders[i]
	}
	rows, err := db.Query(ctx, `
		SELECT order_id, product_id, coalesce(variant_id, 0), sku, name, qty, unit_price, base_price,
			commission_percent_bp, commission_fixed, commission, reseller_earning, owner_share, rounding
		FROM order_items WHERE order_id = ANY($1) ORDER BY order_id, line`, ids)
	if err != nil {
		return fmt.Errorf("load order items: %w", err)
	}
	var orderID int64
	var it lapak.OrderItem
	var e lapak.Earnings
	_, err = pgx.ForEachRow(rows, []any{&orderID, &it.ProductID, &it.VariantID, &it.SKU, &it.Name, &it.Qty, &it.UnitPrice,
		&it.BasePrice, &it.Commission.Percent, &it.Commission.Fixed, &e.Commission, &e.Reseller, &e.Owner, &e.Rounding}, func() error {
		o := at[orderID]
		it.Earnings = storedEarnings(it, e, o.ResellerID == 0)
		o.Items = append(o.Items, it)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load order items: %w", err)
	}
	return nil
}

// storedEarnings rebuilds a line's Earnings from what was stored when it was placed, without
// computing anything again: the line keeps the split it was sold with. An owner sale's base is
// its price, as it was split.
func storedEarnings(it lapak.OrderItem, e lapak.Earnings, ownerSale bool) lapak.Earnings {
	e.Base, e.Price, e.Qty, e.Rule = it.BasePrice, it.UnitPrice, it.Qty, it.Commission
	if ownerSale {
		e.Base = it.UnitPrice
	}
	q := lapak.Money(it.Qty)
	e.Customer = e.Price * q
	e.PerItem = lapak.Share{
		Customer: e.Price, Markup: e.Price - e.Base, Commission: e.Commission / q, Reseller: e.Reseller / q, Owner: e.Owner / q,
	}
	return e
}

// orderByKey returns the order placed with o.Key, and false when there is none. An order of
// another customer with the key is an error: keys are never shared.
func orderByKey(ctx context.Context, db DB, o lapak.NewOrder) (lapak.Order, bool, error) {
	orders, err := queryOrders(ctx, db, "WHERE idempotency_key = $1", o.Key)
	switch {
	case err != nil:
		return lapak.Order{}, false, fmt.Errorf("find order by key: %w", err)
	case len(orders) == 0:
		return lapak.Order{}, false, nil
	case orders[0].CustomerUserID != o.CustomerUserID:
		return lapak.Order{}, false, fmt.Errorf("order key %q belongs to another customer", o.Key)
	}
	return orders[0], true, nil
}

// OrdersOf returns a customer's latest orders, newest first, at most limit (10 when limit is not
// positive, and never more than 100), with their items.
func (s *Store) OrdersOf(ctx context.Context, customerUserID int64, limit int) ([]lapak.Order, error) {
	if limit <= 0 {
		limit = defaultPageSize
	}
	orders, err := queryOrders(ctx, s.pool, "WHERE customer_user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
		customerUserID, min(limit, maxPageSize))
	if err != nil {
		return nil, fmt.Errorf("orders of customer %d: %w", customerUserID, err)
	}
	return orders, nil
}

// OrderByRef returns the order with a reference, in any letter case, with its items, or a
// KindNotFound error that is also lapak.ErrNotFound.
func (s *Store) OrderByRef(ctx context.Context, ref string) (lapak.Order, error) {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	orders, err := queryOrders(ctx, s.pool, "WHERE ref = $1", ref)
	if err != nil {
		return lapak.Order{}, fmt.Errorf("order %s: %w", ref, err)
	}
	if len(orders) == 0 {
		return lapak.Order{}, notFound("order.not_found")
	}
	return orders[0], nil
}
