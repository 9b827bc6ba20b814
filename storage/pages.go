package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
)

// Storefront is a reseller's catalog as their customers see it: the reseller and their active
// products, each at the reseller's price.
type Storefront struct {
	Reseller lapak.Reseller
	Markup   lapak.Markup
	Items    []StoreItem // by category, then name
}

// StoreItem is one product on a reseller's storefront.
type StoreItem struct {
	Product lapak.Product // with its active variants and the IDs of its photos that can be shown, cover first
	Price   lapak.Money   // what the reseller sells it at: their own price, their markup or retail
	Token   string        // the reseller's share link token for the product; empty until one is made
}

// storeItemSelect reads a product as a storefront shows it, with the reseller's own price and
// share link token ($1 is the reseller), and from the joins i and v, the IDs of its photos that
// can be shown and its active variants, in order. %s is the description, or an empty string
// where it is not shown.
const storeItemSelect = `
	SELECT p.id, p.supplier_id, p.sku, p.name, %s, p.category, p.base_price, p.retail_price,
	       coalesce(p.max_price, 0), p.stock, p.low_stock, p.active, p.updated_at,
	       coalesce(rp.price, 0), coalesce(sl.token, ''), coalesce(i.ids, '{}'),
	       coalesce(v.ids, '{}'), coalesce(v.skus, '{}'), coalesce(v.names, '{}'), coalesce(v.stocks, '{}')
	FROM products p
	LEFT JOIN reseller_prices rp ON rp.reseller_id = $1 AND rp.product_id = p.id
	LEFT JOIN share_links sl ON sl.reseller_id = $1 AND sl.product_id = p.id`

// imageIDs and variantArrays aggregate a product's photos and variants in order.
const (
	imageIDs      = "array_agg(id ORDER BY position, id) AS ids"
	variantArrays = `array_agg(id ORDER BY position, id) AS ids, array_agg(sku ORDER BY position, id) AS skus,
		array_agg(name ORDER BY position, id) AS names, array_agg(stock ORDER BY position, id) AS stocks`
)

var (
	// storefrontSQL reads every active product in one query. It groups the photos and variants
	// tables once and joins them, rather than running a subquery per product, which is several
	// times slower for hundreds of products. It leaves descriptions out: the catalog page does
	// not show them.
	storefrontSQL = fmt.Sprintf(storeItemSelect, "''") + `
	LEFT JOIN (SELECT product_id, ` + imageIDs + ` FROM product_images WHERE jpeg IS NOT NULL GROUP BY product_id) i
	       ON i.product_id = p.id
	LEFT JOIN (SELECT product_id, ` + variantArrays + ` FROM variants WHERE active GROUP BY product_id) v
	       ON v.product_id = p.id
	WHERE p.active
	ORDER BY p.category, p.name, p.id`

	// storeProductSQL reads one product by SKU ($2), its photos and variants through their
	// product indexes.
	storeProductSQL = fmt.Sprintf(storeItemSelect, "p.description") + `
	LEFT JOIN LATERAL (SELECT ` + imageIDs + ` FROM product_images WHERE product_id = p.id AND jpeg IS NOT NULL) i ON true
	LEFT JOIN LATERAL (SELECT ` + variantArrays + ` FROM variants WHERE product_id = p.id AND active) v ON true
	WHERE p.active AND p.sku = upper($2)`
)

// Storefront returns the catalog of the approved reseller with code (in any case): every active
// product at the reseller's price, with its cover first among its images, its active variants
// and the reseller's share link token when one exists. An unknown or unapproved code is
// lapak.ErrNotFound.
func (s *Store) Storefront(ctx context.Context, code string) (Storefront, error) {
	r, m, err := s.storeReseller(ctx, code)
	if err != nil {
		return Storefront{}, err
	}
	rows, err := s.pool.Query(ctx, storefrontSQL, r.ID)
	if err != nil {
		return Storefront{}, fmt.Errorf("storefront of %s: %w", r.Code, err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (StoreItem, error) { return scanStoreItem(row, m) })
	if err != nil {
		return Storefront{}, fmt.Errorf("storefront of %s: %w", r.Code, err)
	}
	return Storefront{Reseller: r, Markup: m, Items: items}, nil
}

// StoreProduct returns one active product, by SKU in any case, as the approved reseller with code
// sells it, with its description. An unknown reseller or product, or an inactive product, is
// lapak.ErrNotFound.
func (s *Store) StoreProduct(ctx context.Context, code, sku string) (lapak.Reseller, StoreItem, error) {
	r, m, err := s.storeReseller(ctx, code)
	if err != nil {
		return r, StoreItem{}, err
	}
	item, err := scanStoreItem(s.pool.QueryRow(ctx, storeProductSQL, r.ID, sku), m)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, item, lapak.ErrNotFound
	}
	if err != nil {
		return r, item, fmt.Errorf("product %s of %s: %w", sku, r.Code, err)
	}
	return r, item, nil
}

// ShareLinks returns the reseller's share link tokens for products, by product ID, making the
// missing ones in one statement, as ShareLink makes one. A catalog page asks for hundreds at once.
func (s *Store) ShareLinks(ctx context.Context, resellerID int64, productIDs []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(productIDs))
	for range 5 { // a token drawn twice, or links made at the same moment: ask again for the rest
		missing := missingLinks(productIDs, out)
		if len(missing) == 0 {
			return out, nil
		}
		if err := s.makeShareLinks(ctx, resellerID, missing, out); err != nil {
			return out, fmt.Errorf("share links of reseller %d: %w", resellerID, err)
		}
	}
	return out, fmt.Errorf("share links of reseller %d: no free tokens", resellerID)
}

// makeShareLinks inserts links for productIDs that do not exist yet and adds the tokens of those
// made and those found to out.
func (s *Store) makeShareLinks(ctx context.Context, resellerID int64, productIDs []int64, out map[int64]string) error {
	tokens := make([]string, len(productIDs))
	for i := range tokens {
		tokens[i] = randomToken(shareTokenLength)
	}
	rows, err := s.pool.Query(ctx, `
		WITH made AS (
			INSERT INTO share_links (token, reseller_id, product_id, created_at)
			SELECT t.token, $1, t.product_id, $4 FROM unnest($2::bigint[], $3::text[]) AS t (product_id, token)
			ON CONFLICT DO NOTHING
			RETURNING product_id, token)
		SELECT product_id, token FROM made
		UNION ALL
		SELECT product_id, token FROM share_links WHERE reseller_id = $1 AND product_id = ANY($2)`,
		resellerID, productIDs, tokens, s.clock.Now())
	if err != nil {
		return err
	}
	var (
		id    int64
		token string
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &token}, func() error { out[id] = token; return nil })
	if isForeignKeyViolation(err) {
		return notFound("link.not_found")
	}
	return err
}

// missingLinks returns the product IDs without a token in have.
func missingLinks(productIDs []int64, have map[int64]string) []int64 {
	var out []int64
	for _, id := range productIDs {
		if _, ok := have[id]; !ok {
			out = append(out, id)
		}
	}
	return out
}

// ShareTarget returns the reseller code and product SKU a share link token points to, without
// recording a click, for link previews. An unknown token is lapak.ErrNotFound.
func (s *Store) ShareTarget(ctx context.Context, token string) (resellerCode, sku string, err error) {
	err = s.pool.QueryRow(ctx, `
		SELECT r.code, p.sku FROM share_links sl
		JOIN resellers r ON r.id = sl.reseller_id AND r.status = 'approved'
		JOIN products p ON p.id = sl.product_id
		WHERE sl.token = $1`, token).Scan(&resellerCode, &sku)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", lapak.ErrNotFound
	}
	if err != nil {
		return "", "", fmt.Errorf("share link target: %w", err)
	}
	return resellerCode, sku, nil
}

// storeReseller returns the approved reseller with code and their markup.
func (s *Store) storeReseller(ctx context.Context, code string) (lapak.Reseller, lapak.Markup, error) {
	var (
		r lapak.Reseller
		m lapak.Markup
	)
	err := s.pool.QueryRow(ctx, "SELECT "+resellerColumns+", coalesce(markup_percent_bp, 0), coalesce(markup_fixed, 0)"+
		" FROM resellers WHERE code = upper($1) AND status = 'approved'", code).
		Scan(&r.ID, &r.UserID, &r.Name, &r.Phone, &r.City, &r.Code, &r.Status, &r.CreatedAt, &r.DecidedAt, &r.DecidedBy, &m.Percent, &m.Fixed)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, m, lapak.ErrNotFound
	}
	if err != nil {
		return r, m, fmt.Errorf("reseller %q: %w", code, err)
	}
	return r, m, nil
}

// scanStoreItem reads one row of storeItemSelect and prices it with the reseller's markup.
func scanStoreItem(row pgx.Row, m lapak.Markup) (StoreItem, error) {
	var (
		it  StoreItem
		p   = &it.Product
		own lapak.Money
		v   variantColumns
	)
	err := row.Scan(&p.ID, &p.SupplierID, &p.SKU, &p.Name, &p.Description, &p.Category, &p.BasePrice, &p.RetailPrice,
		&p.MaxPrice, &p.Stock, &p.LowStock, &p.Active, &p.UpdatedAt, &own, &it.Token, &p.Images,
		&v.ids, &v.skus, &v.names, &v.stocks)
	if err != nil {
		return it, err
	}
	p.Variants = v.variants()
	it.Price = lapak.ResellerPrice(*p, own, m)
	return it, nil
}

// variantColumns are a product's active variants as parallel arrays, in order.
type variantColumns struct {
	ids         []int64
	skus, names []string
	stocks      []*int
}

// variants returns the arrays as variants, or nil when there are none.
func (c variantColumns) variants() []lapak.Variant {
	if len(c.ids) == 0 {
		return nil
	}
	out := make([]lapak.Variant, len(c.ids))
	for i := range c.ids {
		out[i] = lapak.Variant{ID: c.ids[i], SKU: c.skus[i], Name: c.names[i], Stock: c.stocks[i], Active: true}
	}
	return out
}
