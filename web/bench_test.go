package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// queryCounter counts the queries a pool runs and the time they take, from sending to the last row.
type queryCounter struct{ n, nanos atomic.Int64 }

type queryStart struct{}

func (q *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	return context.WithValue(ctx, queryStart{}, time.Now())
}

func (q *queryCounter) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	if start, ok := ctx.Value(queryStart{}).(time.Time); ok {
		q.nanos.Add(int64(time.Since(start)))
	}
}

func (q *queryCounter) reset() { q.n.Store(0); q.nanos.Store(0) }

// countedShop is a shop on a fresh schema whose pool counts its queries.
func countedShop(b *testing.B) (*shop, *queryCounter) {
	_, dsn := storagetest.Schema(b)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		b.Fatal(err)
	}
	counter := &queryCounter{}
	cfg.ConnConfig.Tracer = counter
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if _, err := storage.Migrate(ctx, pool); err != nil {
		b.Fatal(err)
	}
	return &shop{t: b, pool: pool, store: storage.New(pool, nil, nil)}, counter
}

// seedLargeShop adds 500 active products in 10 categories, each with a 20 KB photo (every fifth
// with a second one), three sizes on every fourth, a few sold out, and a reseller with a markup
// and their own price on every third product.
func seedLargeShop(s *shop) {
	sup := s.supplier()
	s.exec(`INSERT INTO products (supplier_id, sku, name, description, category, base_price, retail_price, stock)
		SELECT $1, 'SKU-' || i, 'Produk nomor ' || i, repeat('Deskripsi panjang. ', 40), 'Kategori ' || (i % 10),
		       10000 + i * 100, 15000 + i * 100, CASE WHEN i % 17 = 0 THEN 0 ELSE i % 40 END
		FROM generate_series(1, 500) AS i`, sup)
	s.exec(`INSERT INTO products (supplier_id, sku, name, base_price, retail_price, active)
		SELECT $1, 'OLD-' || i, 'Produk lama ' || i, 10000, 15000, false FROM generate_series(1, 50) AS i`, sup)
	s.exec(`INSERT INTO product_images (id, product_id, position, jpeg, width, height)
		SELECT 'img-' || p.id || '-' || n, p.id, n, decode(repeat('ff', 20000), 'hex'), 640, 640
		FROM products p, generate_series(0, 1) AS n WHERE n = 0 OR p.id % 5 = 0`)
	s.exec(`INSERT INTO variants (product_id, sku, name, stock, position)
		SELECT p.id, p.sku || '-' || v.name, v.name, (p.id + v.pos) % 4, v.pos
		FROM products p, (VALUES ('S', 1), ('M', 2), ('L', 3)) AS v (name, pos) WHERE p.id % 4 = 0`)
	r := s.reseller("ANDI7", lapak.Markup{Percent: 1_500})
	s.exec(`INSERT INTO reseller_prices (reseller_id, product_id, price)
		SELECT $1, id, retail_price + 2000 FROM products WHERE id % 3 = 0`, r)
	s.exec("ANALYZE")
}

// BenchmarkCatalogPage500 measures the server time of a reseller's catalog page with 500
// products, once every product has its share link (made by the first visit, before timing).
func BenchmarkCatalogPage500(b *testing.B) {
	s, queries := countedShop(b)
	seedLargeShop(s)
	h := s.handler(storeNumber)
	first := time.Now()
	res, body := fetch(b, h, "/r/ANDI7")
	if res.StatusCode != http.StatusOK || strings.Count(body, `<li class="card`) != 500 {
		b.Fatalf("status %d with %d products, want 500", res.StatusCode, strings.Count(body, `<li class="card`))
	}
	b.Logf("first visit, making the share links: %v", time.Since(first).Round(time.Millisecond))
	req := httptest.NewRequest(http.MethodGet, "/r/ANDI7", nil)
	queries.reset()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(queries.n.Load())/float64(b.N), "queries/op")
	b.ReportMetric(float64(queries.nanos.Load())/1e6/float64(b.N), "db-ms/op")
	b.ReportMetric(float64(len(body))/1024, "KB/page")
}
