package storage_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// pageSeed writes catalog rows straight into a test schema.
type pageSeed struct {
	t    *testing.T
	pool *pgxpool.Pool
}

func (s pageSeed) id(sql string, args ...any) int64 {
	s.t.Helper()
	var id int64
	if err := s.pool.QueryRow(context.Background(), sql+" RETURNING id", args...).Scan(&id); err != nil {
		s.t.Fatalf("seed %q: %v", sql, err)
	}
	return id
}

func (s pageSeed) exec(sql string, args ...any) {
	s.t.Helper()
	if _, err := s.pool.Exec(context.Background(), sql, args...); err != nil {
		s.t.Fatalf("seed %q: %v", sql, err)
	}
}

// reseller adds an approved reseller with code and markup.
func (s pageSeed) reseller(code string, m lapak.Markup) int64 {
	s.t.Helper()
	user := s.id("INSERT INTO users (channel, external_id, chat_id, name) VALUES ('telegram', $1, $1, $1)", code)
	var pct, fixed any
	if m.Percent > 0 {
		pct = int(m.Percent)
	}
	if m.Fixed > 0 {
		fixed = int64(m.Fixed)
	}
	return s.id(`INSERT INTO resellers (user_id, name, phone, city, code, status, markup_percent_bp, markup_fixed)
		VALUES ($1, $2, '+6281200000000', 'Bandung', $2, 'approved', $3, $4)`, user, code, pct, fixed)
}

// product adds a product of supplier with base and retail prices and stock (nil: unlimited).
func (s pageSeed) product(supplier int64, sku, name, category string, base, retail lapak.Money, stock *int, active bool) int64 {
	s.t.Helper()
	return s.id(`INSERT INTO products (supplier_id, sku, name, description, category, base_price, retail_price, stock, active)
		VALUES ($1, $2, $3, 'Bahan katun', $4, $5, $6, $7, $8)`, supplier, sku, name, category, base, retail, stock, active)
}

func stock(n int) *int { return &n }

func TestStorefront(t *testing.T) {
	t.Parallel()
	pool := storagetest.Pool(t)
	store := storage.New(pool, nil, nil)
	seed := pageSeed{t, pool}
	ctx := context.Background()
	supplier := seed.id("INSERT INTO suppliers (name) VALUES ('Batik Bu Rina')")
	kaos := seed.product(supplier, "KAOS-01", "Kaos Polos", "Pakaian", 50_000, 75_000, stock(10), true)
	seed.product(supplier, "TOPI-01", "Topi Rajut", "Aksesoris", 20_000, 35_000, stock(0), true)
	seed.product(supplier, "LAMA-01", "Barang Lama", "Aksesoris", 10_000, 15_000, nil, false)
	seed.exec("INSERT INTO variants (product_id, sku, name, stock, position) VALUES ($1, 'KAOS-01-L', 'L', 0, 2), ($1, 'KAOS-01-M', 'M', 3, 1)", kaos)
	seed.exec("INSERT INTO variants (product_id, sku, name, stock, active) VALUES ($1, 'KAOS-01-XL', 'XL', 9, false)", kaos)
	seed.exec(`INSERT INTO product_images (id, product_id, position, jpeg, width, height)
		VALUES ('img-b', $1, 1, '\xffd8', 1, 1), ('img-a', $1, 0, '\xffd8', 1, 1)`, kaos)
	seed.exec(`INSERT INTO product_images (id, product_id, position, source_url) VALUES ('img-not-fetched', $1, 2, 'https://example.com/k.jpg')`, kaos)
	andi := seed.reseller("ANDI7", lapak.Markup{Percent: 1_000})
	seed.exec("INSERT INTO reseller_prices (reseller_id, product_id, price) VALUES ($1, $2, 80000)", andi, kaos)
	seed.exec("INSERT INTO share_links (token, reseller_id, product_id) VALUES ('tok-andi-kaos', $1, $2)", andi, kaos)
	seed.reseller("SARI3", lapak.Markup{})
	seed.reseller("BUDI4", lapak.Markup{Fixed: 7_000})

	t.Run("PricesAreTheResellers", func(t *testing.T) {
		tests := []struct {
			code       string
			kaos, topi lapak.Money
		}{
			{"ANDI7", 80_000, 22_000}, // own price for the kaos; 10 % markup on the topi's base price
			{"sari3", 75_000, 35_000}, // no markup: retail
			{"BUDI4", 57_000, 27_000}, // fixed markup on the base price
		}
		for _, tt := range tests {
			sf, err := store.Storefront(ctx, tt.code)
			if err != nil {
				t.Fatalf("Storefront(%s): %v", tt.code, err)
			}
			got := map[string]lapak.Money{}
			for _, it := range sf.Items {
				got[it.Product.SKU] = it.Price
			}
			if got["KAOS-01"] != tt.kaos || got["TOPI-01"] != tt.topi {
				t.Errorf("%s sells kaos at %v and topi at %v, want %v and %v", tt.code, got["KAOS-01"], got["TOPI-01"], tt.kaos, tt.topi)
			}
		}
	})

	t.Run("OnlyActiveProductsByCategory", func(t *testing.T) {
		sf, err := store.Storefront(ctx, "ANDI7")
		if err != nil {
			t.Fatal(err)
		}
		var skus []string
		for _, it := range sf.Items {
			skus = append(skus, it.Product.SKU)
		}
		if len(skus) != 2 || skus[0] != "TOPI-01" || skus[1] != "KAOS-01" {
			t.Errorf("storefront shows %v, want [TOPI-01 KAOS-01]: Aksesoris before Pakaian, no inactive product", skus)
		}
	})

	t.Run("ImagesVariantsStockAndToken", func(t *testing.T) {
		sf, err := store.Storefront(ctx, "ANDI7")
		if err != nil {
			t.Fatal(err)
		}
		topi, kaos := sf.Items[0], sf.Items[1]
		if got := kaos.Product.Images; len(got) != 2 || got[0] != "img-a" || got[1] != "img-b" {
			t.Errorf("kaos images = %v, want the cover img-a, then img-b, and no photo not fetched yet", got)
		}
		if got := kaos.Product.Variants; len(got) != 2 || got[0].Name != "M" || got[1].Name != "L" || *got[0].Stock != 3 {
			t.Errorf("kaos variants = %+v, want the active ones M (3 left) then L", got)
		}
		if !kaos.Product.InStock() || topi.Product.InStock() {
			t.Errorf("in stock: kaos %v, topi %v; want the kaos (size M) and not the topi", kaos.Product.InStock(), topi.Product.InStock())
		}
		if kaos.Token != "tok-andi-kaos" || topi.Token != "" {
			t.Errorf("tokens: kaos %q, topi %q; want the existing link and none", kaos.Token, topi.Token)
		}
		if kaos.Product.Description != "" {
			t.Errorf("the catalog loads descriptions it does not show: %q", kaos.Product.Description)
		}
	})

	t.Run("UnknownCode", func(t *testing.T) {
		if _, err := store.Storefront(ctx, "NOPE9"); !errors.Is(err, lapak.ErrNotFound) {
			t.Errorf("Storefront(NOPE9) error = %v, want lapak.ErrNotFound", err)
		}
	})

	t.Run("OneProduct", func(t *testing.T) {
		r, it, err := store.StoreProduct(ctx, "andi7", "kaos-01")
		if err != nil {
			t.Fatal(err)
		}
		if r.Code != "ANDI7" || it.Product.Name != "Kaos Polos" || it.Price != 80_000 || it.Product.Description != "Bahan katun" {
			t.Errorf("StoreProduct = %s, %+v", r.Code, it)
		}
		for _, sku := range []string{"LAMA-01", "NOPE-01"} {
			if _, _, err := store.StoreProduct(ctx, "ANDI7", sku); !errors.Is(err, lapak.ErrNotFound) {
				t.Errorf("StoreProduct(%s) error = %v, want lapak.ErrNotFound", sku, err)
			}
		}
	})

	t.Run("ShareTarget", func(t *testing.T) {
		code, sku, err := store.ShareTarget(ctx, "tok-andi-kaos")
		if err != nil || code != "ANDI7" || sku != "KAOS-01" {
			t.Errorf("ShareTarget = %q, %q, %v; want ANDI7, KAOS-01", code, sku, err)
		}
		if _, _, err := store.ShareTarget(ctx, "nope"); !errors.Is(err, lapak.ErrNotFound) {
			t.Errorf("ShareTarget(nope) error = %v, want lapak.ErrNotFound", err)
		}
	})
}

func TestShareLinks(t *testing.T) {
	t.Parallel()
	pool := storagetest.Pool(t)
	store := storage.New(pool, nil, nil)
	seed := pageSeed{t, pool}
	ctx := context.Background()
	supplier := seed.id("INSERT INTO suppliers (name) VALUES ('Batik Bu Rina')")
	var products []int64
	for _, sku := range []string{"A-1", "B-1", "C-1", "D-1"} {
		products = append(products, seed.product(supplier, sku, "Produk "+sku, "", 10_000, 12_000, nil, true))
	}
	andi := seed.reseller("ANDI7", lapak.Markup{})
	seed.exec("INSERT INTO share_links (token, reseller_id, product_id) VALUES ('old-token', $1, $2)", andi, products[0])

	t.Run("KeepsOldTokensAndMakesTheRest", func(t *testing.T) {
		got, err := store.ShareLinks(ctx, andi, products[:2])
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[products[0]] != "old-token" || len(got[products[1]]) != 10 {
			t.Errorf("ShareLinks = %v, want the old token and a new one of 10 characters", got)
		}
		again, _ := store.ShareLink(ctx, andi, products[1])
		if again != got[products[1]] {
			t.Errorf("ShareLink gives %q after ShareLinks made %q", again, got[products[1]])
		}
	})

	t.Run("SameTokensAtTheSameMoment", func(t *testing.T) {
		const callers = 8
		results := make([]map[int64]string, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				var err error
				if results[i], err = store.ShareLinks(ctx, andi, products); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for i := range callers {
			for _, id := range products {
				if results[i][id] == "" || results[i][id] != results[0][id] {
					t.Fatalf("caller %d got token %q for product %d, caller 0 got %q", i, results[i][id], id, results[0][id])
				}
			}
		}
		var n int
		pool.QueryRow(ctx, "SELECT count(*) FROM share_links WHERE reseller_id = $1", andi).Scan(&n)
		if n != len(products) {
			t.Errorf("%d share links for %d products", n, len(products))
		}
	})
}
