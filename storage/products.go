package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/catalog"
	"github.com/lapak-id/lapak/flows"
)

var (
	_ flows.Catalog = (*Store)(nil)
	_ catalog.Store = (*Store)(nil)
)

// Limits of a product, as the schema holds them.
const (
	maxVariants    = 100
	maxStock       = 1_000_000_000
	maxWeightGrams = 1_000_000
)

// Pages of a product list.
const (
	defaultPageSize = 10
	maxPageSize     = 100
)

const productColumns = `p.id, p.supplier_id, s.name, p.sku, p.name, p.description, p.category,
	p.base_price, p.retail_price, coalesce(p.max_price, 0), p.commission_percent_bp, p.commission_fixed,
	p.stock, p.low_stock, p.weight_grams, p.active, p.updated_at
	FROM products p JOIN suppliers s ON s.id = p.supplier_id`

func scanProduct(row pgx.Row) (lapak.Product, error) {
	var p lapak.Product
	err := row.Scan(&p.ID, &p.SupplierID, &p.Supplier, &p.SKU, &p.Name, &p.Description, &p.Category,
		&p.BasePrice, &p.RetailPrice, &p.MaxPrice, &p.Commission.Percent, &p.Commission.Fixed,
		&p.Stock, &p.LowStock, &p.WeightGrams, &p.Active, &p.UpdatedAt)
	return p, err
}

// queryProducts runs a query over productColumns and loads each product's variants and photos.
func queryProducts(ctx context.Context, db DB, sql string, args ...any) ([]lapak.Product, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (lapak.Product, error) { return scanProduct(r) })
	if err != nil {
		return nil, err
	}
	return ps, loadDetails(ctx, db, ps)
}

// oneProduct returns the product a query over productColumns finds, or a KindNotFound error.
func oneProduct(ctx context.Context, db DB, where string, args ...any) (lapak.Product, error) {
	ps, err := queryProducts(ctx, db, "SELECT "+productColumns+" WHERE "+where, args...)
	if err != nil {
		return lapak.Product{}, err
	}
	if len(ps) == 0 {
		return lapak.Product{}, notFound("product.not_found")
	}
	return ps[0], nil
}

// loadDetails fills in the products' active variants, in order, and their photos, cover first.
// Images imported as a URL only and not fetched yet are left out: there is nothing to send.
func loadDetails(ctx context.Context, db DB, ps []lapak.Product) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]int64, len(ps))
	at := make(map[int64]*lapak.Product, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
		at[ps[i].ID] = &ps[i]
	}
	rows, err := db.Query(ctx, `
		SELECT product_id, id, sku, name, stock, active FROM variants
		WHERE product_id = ANY($1) AND active ORDER BY product_id, position, id`, ids)
	if err != nil {
		return fmt.Errorf("load variants: %w", err)
	}
	var pid int64
	var v lapak.Variant
	_, err = pgx.ForEachRow(rows, []any{&pid, &v.ID, &v.SKU, &v.Name, &v.Stock, &v.Active}, func() error {
		at[pid].Variants = append(at[pid].Variants, v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load variants: %w", err)
	}
	rows, err = db.Query(ctx, `
		SELECT product_id, id, telegram_file_id FROM product_images
		WHERE product_id = ANY($1) AND jpeg IS NOT NULL ORDER BY product_id, position, id`, ids)
	if err != nil {
		return fmt.Errorf("load images: %w", err)
	}
	var imageID, fileID string
	_, err = pgx.ForEachRow(rows, []any{&pid, &imageID, &fileID}, func() error {
		p := at[pid]
		if len(p.Images) == 0 {
			p.TelegramPhoto = fileID
		}
		p.Images = append(p.Images, imageID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load images: %w", err)
	}
	return nil
}

// Product returns a product with its active variants and photos, or a KindNotFound error that is
// also lapak.ErrNotFound.
func (s *Store) Product(ctx context.Context, id int64) (lapak.Product, error) {
	p, err := oneProduct(ctx, s.pool, "p.id = $1", id)
	if err != nil && !isDomainError(err) {
		return p, fmt.Errorf("product %d: %w", id, err)
	}
	return p, err
}

// ProductBySKU returns the product with a SKU, in any letter case, like Product.
func (s *Store) ProductBySKU(ctx context.Context, sku string) (lapak.Product, error) {
	sku, ok := lapak.NormalizeSKU(sku)
	if !ok {
		return lapak.Product{}, notFound("product.not_found")
	}
	p, err := oneProduct(ctx, s.pool, "p.sku = $1", sku)
	if err != nil && !isDomainError(err) {
		return p, fmt.Errorf("product %s: %w", sku, err)
	}
	return p, err
}

// SaveProduct inserts p, or updates the product with p's SKU, in one transaction, and returns it
// as stored.
//
// An empty SKU gets a new one made from the first words of the name and a number, such as
// KAOS-POLOS-1. The variants in p become the product's active variants, in p's order, matched by
// SKU; a variant without a SKU keeps the SKU of the active variant with its name, or gets
// <SKU>-<NAME>. Variants not in p are deactivated, and Variant.Active is not read. A zero
// SupplierID keeps an existing product's supplier. When the base or maximum price changes,
// resellers' own prices outside the new limits move to them.
//
// Refusals are *lapak.Error: KindInvalid with a key saying which rule p breaks
// (product.name_length, product.base_price, product.retail_below_base, product.max_below_retail,
// commission.invalid, product.commission_above_base, product.stock_invalid, product.sku_invalid,
// product.variant_duplicate and others), KindNotFound for an unknown supplier, and KindConflict
// product.variant_sku_taken for a variant SKU that another product uses.
func (s *Store) SaveProduct(ctx context.Context, p lapak.Product) (lapak.Product, error) {
	var out lapak.Product
	err := s.tx(ctx, func(tx pgx.Tx) error {
		id, _, err := saveProduct(ctx, tx, p, s.clock.Now())
		if err != nil {
			return err
		}
		out, err = oneProduct(ctx, tx, "p.id = $1", id)
		return err
	})
	if err != nil && !isDomainError(err) {
		return out, fmt.Errorf("save product %q: %w", p.SKU, err)
	}
	return out, err
}

// saveProduct inserts or updates p in tx and reports what it did.
func saveProduct(ctx context.Context, tx pgx.Tx, p lapak.Product, now time.Time) (int64, catalog.Status, error) {
	p, err := normalizeProduct(p)
	if err != nil {
		return 0, catalog.Refused, err
	}
	if p.SKU != "" {
		old, found, err := lockProduct(ctx, tx, p.SKU)
		if err != nil {
			return 0, catalog.Refused, err
		}
		if found {
			return updateProduct(ctx, tx, old, p, now)
		}
	}
	return insertProduct(ctx, tx, p, now)
}

// lockProduct returns the product with sku, locked for update, and false when there is none.
func lockProduct(ctx context.Context, tx pgx.Tx, sku string) (lapak.Product, bool, error) {
	var id int64
	err := tx.QueryRow(ctx, "SELECT id FROM products WHERE sku = $1 FOR UPDATE", sku).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return lapak.Product{}, false, nil
	}
	if err != nil {
		return lapak.Product{}, false, fmt.Errorf("lock product %s: %w", sku, err)
	}
	p, err := oneProduct(ctx, tx, "p.id = $1", id)
	return p, err == nil, err
}

// insertProduct inserts p, making its SKU when it has none. A product with p's SKU inserted by
// someone else in the meantime is updated instead.
func insertProduct(ctx context.Context, tx pgx.Tx, p lapak.Product, now time.Time) (int64, catalog.Status, error) {
	if p.SupplierID == 0 {
		return 0, catalog.Refused, lapak.Errorf(lapak.KindInvalid, "product.supplier_missing")
	}
	if err := checkSupplier(ctx, tx, p.SupplierID); err != nil {
		return 0, catalog.Refused, err
	}
	skus, err := skuCandidates(ctx, tx, p)
	if err != nil {
		return 0, catalog.Refused, err
	}
	for _, sku := range skus {
		vs, err := variantSKUs(sku, p.Variants, nil)
		if err != nil {
			return 0, catalog.Refused, err
		}
		var id int64
		err = tx.QueryRow(ctx, `
			INSERT INTO products (supplier_id, sku, name, description, category, base_price, retail_price,
				max_price, commission_percent_bp, commission_fixed, stock, low_stock, weight_grams, active,
				created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, 0), $9, $10, $11, $12, $13, $14, $15, $15)
			ON CONFLICT (sku) DO NOTHING RETURNING id`,
			p.SupplierID, sku, p.Name, p.Description, p.Category, p.BasePrice, p.RetailPrice,
			p.MaxPrice, p.Commission.Percent, p.Commission.Fixed, p.Stock, p.LowStock, p.WeightGrams, p.Active,
			now).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			if len(skus) > 1 {
				continue // a made SKU someone took meanwhile: the next number
			}
			old, found, err := lockProduct(ctx, tx, sku)
			if err != nil || !found {
				return 0, catalog.Refused, fmt.Errorf("insert product %s: conflict without a product: %w", sku, err)
			}
			return updateProduct(ctx, tx, old, p, now)
		}
		if err != nil {
			return 0, catalog.Refused, fmt.Errorf("insert product %s: %w", sku, err)
		}
		return id, catalog.Created, syncVariants(ctx, tx, id, vs)
	}
	return 0, catalog.Refused, fmt.Errorf("no free SKU from %s to %s", skus[0], skus[len(skus)-1])
}

// updateProduct writes p over old, the same product locked for update, unless nothing changes.
func updateProduct(ctx context.Context, tx pgx.Tx, old, p lapak.Product, now time.Time) (int64, catalog.Status, error) {
	if p.SupplierID == 0 {
		p.SupplierID = old.SupplierID
	}
	var err error
	if p.Variants, err = variantSKUs(p.SKU, p.Variants, old.Variants); err != nil {
		return 0, catalog.Refused, err
	}
	if sameProduct(old, p) {
		return old.ID, catalog.Unchanged, nil
	}
	if p.SupplierID != old.SupplierID {
		if err := checkSupplier(ctx, tx, p.SupplierID); err != nil {
			return 0, catalog.Refused, err
		}
	}
	_, err = tx.Exec(ctx, `
		UPDATE products SET supplier_id = $2, name = $3, description = $4, category = $5, base_price = $6,
			retail_price = $7, max_price = nullif($8, 0), commission_percent_bp = $9, commission_fixed = $10,
			stock = $11, low_stock = $12, weight_grams = $13, active = $14, updated_at = $15
		WHERE id = $1`,
		old.ID, p.SupplierID, p.Name, p.Description, p.Category, p.BasePrice, p.RetailPrice, p.MaxPrice,
		p.Commission.Percent, p.Commission.Fixed, p.Stock, p.LowStock, p.WeightGrams, p.Active, now)
	if err != nil {
		return 0, catalog.Refused, fmt.Errorf("update product %s: %w", p.SKU, err)
	}
	if err := syncVariants(ctx, tx, old.ID, p.Variants); err != nil {
		return 0, catalog.Refused, err
	}
	return old.ID, catalog.Updated, clampResellerPrices(ctx, tx, old.ID, p.BasePrice, p.MaxPrice, now)
}

// checkSupplier refuses a supplier ID that does not exist.
func checkSupplier(ctx context.Context, db DB, id int64) error {
	var ok bool
	if err := db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM suppliers WHERE id = $1)", id).Scan(&ok); err != nil {
		return fmt.Errorf("find supplier %d: %w", id, err)
	}
	if !ok {
		return notFound("supplier.not_found")
	}
	return nil
}

// sameProduct reports whether saving p would change nothing of old.
func sameProduct(old, p lapak.Product) bool {
	same := old.SupplierID == p.SupplierID && old.Name == p.Name && old.Description == p.Description &&
		old.Category == p.Category && old.BasePrice == p.BasePrice && old.RetailPrice == p.RetailPrice &&
		old.MaxPrice == p.MaxPrice && old.Commission == p.Commission && sameStock(old.Stock, p.Stock) &&
		old.LowStock == p.LowStock && old.WeightGrams == p.WeightGrams && old.Active == p.Active &&
		len(old.Variants) == len(p.Variants)
	for i := 0; same && i < len(p.Variants); i++ {
		a, b := old.Variants[i], p.Variants[i]
		same = a.SKU == b.SKU && a.Name == b.Name && sameStock(a.Stock, b.Stock)
	}
	return same
}

func sameStock(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// syncVariants makes vs the product's active variants, in order, and deactivates the others.
func syncVariants(ctx context.Context, tx pgx.Tx, productID int64, vs []lapak.Variant) error {
	if _, err := tx.Exec(ctx, "UPDATE variants SET active = false WHERE product_id = $1 AND active", productID); err != nil {
		return fmt.Errorf("deactivate variants of product %d: %w", productID, err)
	}
	for i, v := range vs {
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO variants (product_id, sku, name, stock, active, position) VALUES ($1, $2, $3, $4, true, $5)
			ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, stock = EXCLUDED.stock, active = true, position = EXCLUDED.position
			WHERE variants.product_id = EXCLUDED.product_id
			RETURNING id`, productID, v.SKU, v.Name, v.Stock, i).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return lapak.Errorf(lapak.KindConflict, "product.variant_sku_taken", v.SKU)
		}
		if err != nil {
			return fmt.Errorf("save variant %s: %w", v.SKU, err)
		}
	}
	return nil
}

// clampResellerPrices moves resellers' own prices of a product into its new limits, so that no
// stored price is below the base price or above the maximum.
func clampResellerPrices(ctx context.Context, tx pgx.Tx, productID int64, base, maxPrice lapak.Money, now time.Time) error {
	_, err := tx.Exec(ctx, `
		UPDATE reseller_prices SET price = LEAST(GREATEST(price, $2), CASE WHEN $3 > 0 THEN $3 ELSE price END), updated_at = $4
		WHERE product_id = $1 AND (price < $2 OR ($3 > 0 AND price > $3))`, productID, base, maxPrice, now)
	if err != nil {
		return fmt.Errorf("clamp reseller prices of product %d: %w", productID, err)
	}
	return nil
}

// normalizeProduct tidies p's text and checks it against the catalog's rules.
func normalizeProduct(p lapak.Product) (lapak.Product, error) {
	p.Name = oneLine(p.Name)
	p.Category = oneLine(p.Category)
	p.Description = strings.TrimSpace(strings.ReplaceAll(p.Description, "\r\n", "\n"))
	if p.SKU != "" {
		sku, ok := lapak.NormalizeSKU(p.SKU)
		if !ok {
			return p, lapak.Errorf(lapak.KindInvalid, "product.sku_invalid", strings.TrimSpace(p.SKU))
		}
		p.SKU = sku
	}
	vs := make([]lapak.Variant, len(p.Variants))
	for i, v := range p.Variants {
		v.Name, v.SKU, v.Active = oneLine(v.Name), strings.TrimSpace(v.SKU), true
		vs[i] = v
	}
	p.Variants = vs
	return p, validateProduct(p)
}

// oneLine trims s and collapses its runs of spaces, tabs and line breaks into one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// validateProduct checks p against the catalog's rules, returning the first it breaks.
func validateProduct(p lapak.Product) error {
	invalid := func(key string, args ...any) error { return lapak.Errorf(lapak.KindInvalid, key, args...) }
	switch n := utf8.RuneCountInString(p.Name); {
	case n < 2 || n > 120:
		return invalid("product.name_length")
	case utf8.RuneCountInString(p.Description) > 2000:
		return invalid("product.description_too_long")
	case utf8.RuneCountInString(p.Category) > 60:
		return invalid("product.category_too_long")
	case p.BasePrice <= 0:
		return invalid("product.base_price")
	case p.BasePrice > lapak.MaxPrice || p.RetailPrice > lapak.MaxPrice || p.MaxPrice > lapak.MaxPrice:
		return invalid("price.too_large", lapak.MaxPrice)
	case p.RetailPrice < p.BasePrice:
		return invalid("product.retail_below_base", p.BasePrice)
	case p.MaxPrice != 0 && p.MaxPrice < p.RetailPrice:
		return invalid("product.max_below_retail", p.RetailPrice)
	}
	if err := p.Commission.Validate(); err != nil {
		return err
	}
	switch {
	case p.Commission.Fixed > p.BasePrice:
		return invalid("product.commission_above_base", p.BasePrice)
	case !validStock(p.Stock) || p.LowStock < 0 || p.LowStock > maxStock:
		return invalid("product.stock_invalid")
	case p.WeightGrams < 0 || p.WeightGrams > maxWeightGrams:
		return invalid("product.weight_invalid")
	}
	return validateVariants(p.Variants)
}

func validStock(n *int) bool { return n == nil || *n >= 0 && *n <= maxStock }

// validateVariants checks the variants' names and stock.
func validateVariants(vs []lapak.Variant) error {
	if len(vs) > maxVariants {
		return lapak.Errorf(lapak.KindInvalid, "product.too_many_variants", maxVariants)
	}
	seen := make(map[string]bool, len(vs))
	for _, v := range vs {
		if n := utf8.RuneCountInString(v.Name); n < 1 || n > 60 {
			return lapak.Errorf(lapak.KindInvalid, "product.variant_name")
		}
		if key := strings.ToLower(v.Name); seen[key] {
			return lapak.Errorf(lapak.KindInvalid, "product.variant_duplicate", v.Name)
		} else {
			seen[key] = true
		}
		if !validStock(v.Stock) {
			return lapak.Errorf(lapak.KindInvalid, "product.stock_invalid")
		}
	}
	return nil
}

// variantSKUs gives each variant its SKU: its own, normalised; else that of the old variant with
// its name; else the product's SKU and its name. It refuses invalid and repeated SKUs.
func variantSKUs(sku string, vs, old []lapak.Variant) ([]lapak.Variant, error) {
	byName := make(map[string]string, len(old))
	for _, v := range old {
		byName[strings.ToLower(v.Name)] = v.SKU
	}
	taken := make(map[string]bool, len(vs))
	for _, v := range vs {
		if v.SKU != "" {
			taken[strings.ToUpper(v.SKU)] = true
		}
	}
	out := make([]lapak.Variant, len(vs))
	for i, v := range vs {
		switch {
		case v.SKU != "":
			s, ok := lapak.NormalizeSKU(v.SKU)
			if !ok {
				return nil, lapak.Errorf(lapak.KindInvalid, "product.sku_invalid", v.SKU)
			}
			v.SKU = s
		case byName[strings.ToLower(v.Name)] != "" && !taken[byName[strings.ToLower(v.Name)]]:
			v.SKU = byName[strings.ToLower(v.Name)]
			taken[v.SKU] = true
		default:
			v.SKU = freeSKU(sku, codeWords(v.Name, 0), strconv.Itoa(i+1), taken)
			taken[v.SKU] = true
		}
		out[i] = v
	}
	seen := make(map[string]bool, len(out))
	for _, v := range out {
		if seen[v.SKU] {
			return nil, lapak.Errorf(lapak.KindInvalid, "product.variant_sku_duplicate", v.SKU)
		}
		seen[v.SKU] = true
	}
	return out, nil
}

// freeSKU joins a product SKU and a variant's name, cut to fit a SKU, with a number when the
// result is taken already.
func freeSKU(sku, name, fallback string, taken map[string]bool) string {
	if name == "" {
		name = fallback
	}
	for n := 1; ; n++ {
		suffix := ""
		if n > 1 {
			suffix = "-" + strconv.Itoa(n)
		}
		s := strings.TrimRight(cut(sku+"-"+name, 40-len(suffix)), "-") + suffix
		if !taken[s] {
			return s
		}
	}
}

// skuCandidates returns the SKUs to try for a new product: its own, or the next few numbers after
// the highest one in use for its name, such as KAOS-POLOS-3.
func skuCandidates(ctx context.Context, db DB, p lapak.Product) ([]string, error) {
	if p.SKU != "" {
		return []string{p.SKU}, nil
	}
	base := codeWords(p.Name, 2)
	if base == "" {
		base = "PRODUK"
	}
	base = strings.TrimRight(cut(base, 30), "-")
	var last int64
	err := db.QueryRow(ctx, `
		SELECT coalesce(max(substring(sku FROM length($1) + 2)::bigint), 0) FROM products
		WHERE sku ~ ('^' || $1 || '-[0-9]{1,9}$')`, base).Scan(&last)
	if err != nil {
		return nil, fmt.Errorf("find a free SKU for %q: %w", p.Name, err)
	}
	out := make([]string, 5)
	for i := range out {
		out[i] = base + "-" + strconv.FormatInt(last+int64(i)+1, 10)
	}
	return out, nil
}

// codeWords upper-cases the ASCII letters and digits of s and joins its first words (all when
// words is 0) with dashes: "Kaos Polos Hitam" gives KAOS-POLOS with two words.
func codeWords(s string, words int) string {
	parts := strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool {
		return (r < 'A' || r > 'Z') && (r < '0' || r > '9')
	})
	if words > 0 && len(parts) > words {
		parts = parts[:words]
	}
	return strings.Join(parts, "-")
}

// cut returns the first n bytes of an ASCII string.
func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Products returns a page of the products q selects and how many it selects in all. Without a
// search they are sorted by name; with one, best match first, where a product matches when its
// name contains every word of the search or, forgiving typos, has a word close to each one, or
// when the search is its SKU. Limit defaults to 10 and is at most 100.
func (s *Store) Products(ctx context.Context, q lapak.ProductQuery) ([]lapak.Product, int, error) {
	limit, offset := q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = defaultPageSize
	}
	limit = min(limit, maxPageSize)
	f := productFilter(q)
	var total int
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM products p WHERE "+f.where, f.args[:f.nWhere]...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count products: %w", err)
	}
	if total <= offset {
		return nil, total, nil
	}
	sql := fmt.Sprintf("SELECT %s WHERE %s ORDER BY %s LIMIT %d OFFSET %d", productColumns, f.where, f.order, limit, offset)
	ps, err := queryProducts(ctx, s.pool, sql, f.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list products: %w", err)
	}
	return ps, total, nil
}

// filter is the WHERE and ORDER BY of a product query, with their arguments: the first nWhere
// are the WHERE's.
type filter struct {
	where, order string
	args         []any
	nWhere       int
}

// arg adds an argument and returns its placeholder.
func (f *filter) arg(v any) string {
	f.args = append(f.args, v)
	return "$" + strconv.Itoa(len(f.args))
}

// wordSimilarity is how close, from 0 to 1, a searched word must be to a word of a product's name
// for the product to match: "hitm" is 0.6 from "hitam", "kemja" 0.5 from "kemeja".
const wordSimilarity = 0.45

func productFilter(q lapak.ProductQuery) filter {
	f := filter{where: "true", order: "lower(p.name), p.id"}
	if !q.IncludeInactive {
		f.where += " AND p.active"
	}
	if len(q.SupplierIDs) > 0 {
		f.where += " AND p.supplier_id = ANY(" + f.arg(q.SupplierIDs) + ")"
	}
	if c := oneLine(q.Category); c != "" {
		f.where += " AND lower(p.category) = lower(" + f.arg(c) + ")"
	}
	words := searchWords(q.Search)
	if f.nWhere = len(f.args); len(words) == 0 {
		return f
	}
	likes := make([]string, len(words))
	for i, w := range words {
		likes[i] = "%" + w + "%"
	}
	w, l, sku := f.arg(words), f.arg(likes), f.arg(strings.ToUpper(strings.TrimSpace(q.Search)))
	contains := "lower(p.name) LIKE ALL(" + l + "::text[])"
	near := fmt.Sprintf("(SELECT bool_and(public.word_similarity(w, lower(p.name)) >= %v) FROM unnest(%s::text[]) w)", wordSimilarity, w)
	f.where += fmt.Sprintf(" AND (%s OR %s OR p.sku = %s)", contains, near, sku)
	f.nWhere = len(f.args)
	whole := f.arg(strings.Join(words, " "))
	f.order = fmt.Sprintf(`(p.sku = %s) DESC, (%s) DESC,
		(SELECT avg(public.word_similarity(w, lower(p.name))) FROM unnest(%s::text[]) w) DESC,
		public.similarity(lower(p.name), %s) DESC, lower(p.name), p.id`, sku, contains, w, whole)
	return f
}

// searchWords returns the distinct lower-case words of a search, letters and digits only, at most
// eight of at most 40 characters.
func searchWords(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if utf8.RuneCountInString(w) > 40 {
			w = string([]rune(w)[:40])
		}
		if !seen[w] && len(out) < 8 {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// Categories returns the categories of the active products of the given suppliers (of all when
// supplierIDs is empty) with how many products each has, by name. Products without a category are
// not counted.
func (s *Store) Categories(ctx context.Context, supplierIDs []int64) ([]lapak.Category, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT min(category), count(*)::int FROM products
		WHERE active AND category <> '' AND (coalesce(cardinality($1::bigint[]), 0) = 0 OR supplier_id = ANY($1))
		GROUP BY lower(category) ORDER BY lower(category)`, supplierIDs)
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[lapak.Category])
}

// SetActive shows (true) or hides (false) a product from resellers and customers.
func (s *Store) SetActive(ctx context.Context, productID int64, active bool) error {
	tag, err := s.pool.Exec(ctx, "UPDATE products SET active = $2, updated_at = $3 WHERE id = $1 AND active <> $2", productID, active, s.clock.Now())
	if err != nil {
		return fmt.Errorf("set product %d active %t: %w", productID, active, err)
	}
	if tag.RowsAffected() == 0 {
		var exists bool
		if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM products WHERE id = $1)", productID).Scan(&exists); err != nil {
			return fmt.Errorf("find product %d: %w", productID, err)
		}
		if !exists {
			return notFound("product.not_found")
		}
	}
	return nil
}

// CatalogItems returns the products with the given SKUs, or every product when skus is nil, sorted
// by SKU, inactive ones too, each with its supplier's name, its active variants and the address
// its photo was imported from.
func (s *Store) CatalogItems(ctx context.Context, skus []string) ([]catalog.Item, error) {
	where, args := "true", []any(nil)
	if skus != nil {
		where, args = "p.sku = ANY($1)", []any{skus}
	}
	ps, err := queryProducts(ctx, s.pool, "SELECT "+productColumns+" WHERE "+where+` ORDER BY p.sku COLLATE "C"`, args...)
	if err != nil {
		return nil, fmt.Errorf("list products for export: %w", err)
	}
	urls, err := importedImageURLs(ctx, s.pool, ps)
	if err != nil {
		return nil, err
	}
	items := make([]catalog.Item, len(ps))
	for i, p := range ps {
		items[i] = catalog.Item{Product: p, ImageURL: urls[p.ID]}
	}
	return items, nil
}

// ImportItems saves items in one transaction, each under its own savepoint, so that a refused item
// leaves no trace and the others are saved. Each product's supplier is found by name in
// Product.Supplier, in any letter case, and created when missing; without a name an existing
// product keeps its supplier and a new one goes to the only supplier there is. ImageURL becomes
// the address of the product's imported photo. Refusals are in the results; an error means the
// transaction failed and nothing was saved.
func (s *Store) ImportItems(ctx context.Context, items []catalog.Item) ([]catalog.Result, error) {
	out := make([]catalog.Result, len(items))
	err := s.tx(ctx, func(tx pgx.Tx) error {
		for i, it := range items {
			var status catalog.Status
			err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
				var err error
				status, err = importItem(ctx, sp, it, s.clock.Now())
				return err
			})
			if err != nil && !refusal(err) {
				return fmt.Errorf("import product %q: %w", it.Product.SKU, err)
			}
			if err != nil {
				status = catalog.Refused
			}
			out[i] = catalog.Result{Status: status, Err: asDomainError(err)}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// importItem saves one imported product and its photo's address.
func importItem(ctx context.Context, tx pgx.Tx, it catalog.Item, now time.Time) (catalog.Status, error) {
	p := it.Product
	p.SupplierID = 0
	if p.Supplier != "" {
		sup, err := supplierByName(ctx, tx, p.Supplier)
		if err != nil {
			return catalog.Refused, err
		}
		p.SupplierID = sup.ID
	} else if id, ok, err := defaultSupplier(ctx, tx, p.SKU); err != nil {
		return catalog.Refused, err
	} else if ok {
		p.SupplierID = id
	}
	id, status, err := saveProduct(ctx, tx, p, now)
	if err != nil {
		return catalog.Refused, err
	}
	changed, err := setImportedImage(ctx, tx, id, it.ImageURL)
	if changed && status == catalog.Unchanged {
		status = catalog.Updated
	}
	return status, err
}

// defaultSupplier returns the supplier of a new product whose file names none: the only supplier
// there is. It returns false for an existing product, which keeps its own, and when there are
// several suppliers or none.
func defaultSupplier(ctx context.Context, db DB, sku string) (int64, bool, error) {
	sku, _ = lapak.NormalizeSKU(sku)
	var exists bool
	if err := db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM products WHERE sku = $1)", sku).Scan(&exists); err != nil {
		return 0, false, fmt.Errorf("find product %s: %w", sku, err)
	}
	if exists {
		return 0, false, nil
	}
	return onlySupplier(ctx, db)
}

// refusal reports whether err refuses one imported product rather than the whole import: a
// domain error, or a constraint the product breaks.
func refusal(err error) bool {
	var pgErr *pgconn.PgError
	return isDomainError(err) || errors.As(err, &pgErr) && (strings.HasPrefix(pgErr.Code, "23") || strings.HasPrefix(pgErr.Code, "22"))
}

// asDomainError returns err as a *lapak.Error, wrapping a constraint violation in
// product.invalid. It returns nil for nil.
func asDomainError(err error) error {
	if err == nil || isDomainError(err) {
		return err
	}
	return &lapak.Error{Kind: lapak.KindInvalid, Key: "product.invalid", Err: err}
}
