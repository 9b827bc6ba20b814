package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/flows"
)

var _ flows.Pricing = (*Store)(nil)

// shareTokenLength is how long a share link's token is: 10 letters and digits, about 59 bits,
// too many to guess and short enough for a chat message.
const shareTokenLength = 10

// maxMarkupPercent is the largest markup a reseller may set: 1000 %.
const maxMarkupPercent lapak.BasisPoints = 100_000

// ResellerPrices returns the reseller's own prices for the given products (absent when not set)
// and their markup for everything else.
func (s *Store) ResellerPrices(ctx context.Context, resellerID int64, productIDs []int64) (map[int64]lapak.Money, lapak.Markup, error) {
	var m lapak.Markup
	var pct *lapak.BasisPoints
	var fixed *lapak.Money
	err := s.pool.QueryRow(ctx, "SELECT markup_percent_bp, markup_fixed FROM resellers WHERE id = $1", resellerID).Scan(&pct, &fixed)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, m, notFound("reseller.not_found")
	}
	if err != nil {
		return nil, m, fmt.Errorf("markup of reseller %d: %w", resellerID, err)
	}
	if pct != nil {
		m.Percent = *pct
	}
	if fixed != nil {
		m.Fixed = *fixed
	}
	rows, err := s.pool.Query(ctx, "SELECT product_id, price FROM reseller_prices WHERE reseller_id = $1 AND product_id = ANY($2)", resellerID, productIDs)
	if err != nil {
		return nil, m, fmt.Errorf("prices of reseller %d: %w", resellerID, err)
	}
	prices := make(map[int64]lapak.Money, len(productIDs))
	var id int64
	var price lapak.Money
	if _, err := pgx.ForEachRow(rows, []any{&id, &price}, func() error { prices[id] = price; return nil }); err != nil {
		return nil, m, fmt.Errorf("prices of reseller %d: %w", resellerID, err)
	}
	return prices, m, nil
}

// SetResellerPrice sets what a reseller sells a product at. The price is checked against the
// product's base and maximum price with lapak.CheckResellerPrice while the product is locked, so
// no price below the floor is ever stored, even when the owner changes it at the same moment.
func (s *Store) SetResellerPrice(ctx context.Context, resellerID, productID int64, price lapak.Money) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var p lapak.Product
		err := tx.QueryRow(ctx, "SELECT base_price, coalesce(max_price, 0) FROM products WHERE id = $1 FOR SHARE", productID).Scan(&p.BasePrice, &p.MaxPrice)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("product.not_found")
		}
		if err != nil {
			return err
		}
		if err := lapak.CheckResellerPrice(p, price); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO reseller_prices (reseller_id, product_id, price, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (reseller_id, product_id) DO UPDATE SET price = EXCLUDED.price, updated_at = EXCLUDED.updated_at`,
			resellerID, productID, price, s.clock.Now())
		if isForeignKeyViolation(err) {
			return notFound("reseller.not_found")
		}
		return err
	})
	if err != nil && !isDomainError(err) {
		return fmt.Errorf("set price of product %d for reseller %d: %w", productID, resellerID, err)
	}
	return err
}

// SetMarkup sets one markup for all the reseller's products, percent or fixed, and forgets their
// per-product prices. A zero markup goes back to the suggested retail prices. A markup that sets
// both, is negative or is above 1000 % gives a KindInvalid error with the key markup.invalid.
func (s *Store) SetMarkup(ctx context.Context, resellerID int64, m lapak.Markup) error {
	if m.Percent < 0 || m.Fixed < 0 || m.Percent > maxMarkupPercent || m.Fixed > lapak.MaxPrice || m.Percent != 0 && m.Fixed != 0 {
		return lapak.Errorf(lapak.KindInvalid, "markup.invalid")
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE resellers SET markup_percent_bp = nullif($2, 0), markup_fixed = nullif($3, 0) WHERE id = $1",
			resellerID, m.Percent, m.Fixed)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound("reseller.not_found")
		}
		_, err = tx.Exec(ctx, "DELETE FROM reseller_prices WHERE reseller_id = $1", resellerID)
		return err
	})
	if err != nil && !isDomainError(err) {
		return fmt.Errorf("set markup of reseller %d: %w", resellerID, err)
	}
	return err
}

// ShareLink returns the reseller's link token for a product, making it on first use. Calls at the
// same moment get the same token.
func (s *Store) ShareLink(ctx context.Context, resellerID, productID int64) (string, error) {
	for range 5 {
		var token string
		err := s.pool.QueryRow(ctx, `
			INSERT INTO share_links (token, reseller_id, product_id, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (reseller_id, product_id) DO NOTHING RETURNING token`,
			randomToken(shareTokenLength), resellerID, productID, s.clock.Now()).Scan(&token)
		if errors.Is(err, pgx.ErrNoRows) { // made already, perhaps just now by another call
			err = s.pool.QueryRow(ctx, "SELECT token FROM share_links WHERE reseller_id = $1 AND product_id = $2", resellerID, productID).Scan(&token)
		}
		switch {
		case err == nil:
			return token, nil
		case isUniqueViolation(err, "share_links_pkey"):
			continue // another pair has this token: draw again
		case isForeignKeyViolation(err):
			return "", notFound("link.not_found")
		}
		return "", fmt.Errorf("share link of product %d for reseller %d: %w", productID, resellerID, err)
	}
	return "", fmt.Errorf("share link of product %d for reseller %d: no free token", productID, resellerID)
}

// Click records that someone opened a share link and returns what the redirect needs: the
// reseller's code and the product's SKU and name. A token that does not exist, or whose reseller
// is no longer approved, gives a KindNotFound error that is also lapak.ErrNotFound. Links to
// deactivated products still work, so the customer hears from the shop that the product is gone.
func (s *Store) Click(ctx context.Context, token string) (resellerCode, sku, productName string, err error) {
	err = s.pool.QueryRow(ctx, `
		WITH link AS (
			SELECT l.reseller_id, l.product_id, r.code, p.sku, p.name
			FROM share_links l JOIN resellers r ON r.id = l.reseller_id JOIN products p ON p.id = l.product_id
			WHERE l.token = $1 AND r.status = 'approved'
		), click AS (
			INSERT INTO link_clicks (reseller_id, product_id, clicked_at) SELECT reseller_id, product_id, $2 FROM link
		)
		SELECT code, sku, name FROM link`, token, s.clock.Now()).Scan(&resellerCode, &sku, &productName)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", "", notFound("link.not_found")
	}
	if err != nil {
		return "", "", "", fmt.Errorf("click share link: %w", err)
	}
	return resellerCode, sku, productName, nil
}
