package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/storage"
)

const checkoutUsage = `Usage: lapakbench checkout [flags]

Measures checkouts per second through Lapak's PlaceOrder under contention for a few hot
products, next to a plain pgx transaction of the same shape, on a fresh database. Flags:
`

// minCheckoutRatio is the target: PlaceOrder's checkouts/s at least this share of the plain
// transaction's.
const minCheckoutRatio = 0.5

// benchStock is every product's stock when the benchmark starts: limited, so every line takes
// the conditional decrement, and enough that no checkout runs out.
const benchStock = 10_000_000

// checkoutOptions are the checkout benchmark's flags.
type checkoutOptions struct {
	concurrency int           // goroutines placing orders at once
	duration    time.Duration // length of each measured phase
	rounds      int           // phases per side, alternating, after a warm-up of each
	hot         int           // products every order has one of
	products    int           // other products, one of which every order also has
	customers   int           // customers placing the orders
	databaseURL string        // the Postgres server to create the benchmark's database on
}

// dispatch runs `lapakbench checkout` and hands every other benchmark to run.
func dispatch(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "checkout":
			return runCheckout(ctx, args[1:], getenv, stdout)
		case "settle":
			return settleBench(ctx, args[1:], getenv, stdout)
		case "reports":
			return reportsBench(ctx, args[1:], getenv, stdout)
		}
	}
	return run(ctx, args, getenv, stdout)
}

// runCheckout is the checkout benchmark:
//
//	go run ./cmd/lapakbench checkout [-concurrency 16] [-duration 5s] [-rounds 2] [-hot 4] [-products 200] [-customers 500]
//
// It creates a fresh database on the server at LAPAKBENCH_DATABASE_URL (default
// postgres://root@127.0.0.1:5432/), migrates it, seeds a reseller with a markup and some own
// prices, a shipping zone, customers and products with limited stock, and drops it at the end.
// Every order has two lines: one of the hot products and one of the others, for a reseller, with
// a shipping zone. Two sides place orders for the same duration, in alternating phases after a
// warm-up: Lapak's PlaceOrder (prices from the catalog, idempotency, the release job and two
// notifications enqueued, stock reserved) and a plain pgx transaction of the same shape (insert
// the order and its items, decrement the stock on the condition that it stays at zero or more,
// commit) with prices computed once beforehand. It prints both checkouts/s and the ratio, with a
// PASS or FAIL line for the target of 0.5. Any failed checkout, or stock that does not add up
// afterwards, fails the run and makes lapakbench exit non-zero.
func runCheckout(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var o checkoutOptions
	fs := flag.NewFlagSet("lapakbench checkout", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() { fmt.Fprint(stdout, checkoutUsage); fs.PrintDefaults() }
	fs.IntVar(&o.concurrency, "concurrency", 16, "goroutines placing orders at once")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of each measured phase")
	fs.IntVar(&o.rounds, "rounds", 2, "measured phases per side, alternating")
	fs.IntVar(&o.hot, "hot", 4, "hot products: every order has one of them")
	fs.IntVar(&o.products, "products", 200, "other products: every order also has one of them")
	fs.IntVar(&o.customers, "customers", 500, "customers placing the orders")
	fs.StringVar(&o.databaseURL, "db", orDefault(getenv("LAPAKBENCH_DATABASE_URL"), "postgres://root@127.0.0.1:5432/"),
		"Postgres server to create the benchmark database on (LAPAKBENCH_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if o.concurrency < 1 || o.rounds < 1 || o.hot < 1 || o.products < 1 || o.customers < 1 || o.duration < 100*time.Millisecond {
		return errors.New("-concurrency, -rounds, -hot, -products and -customers must be at least 1, -duration at least 100ms")
	}
	return benchCheckout(ctx, o, stdout)
}

// benchCheckout creates the database, seeds it, runs the phases, checks the stock and reports.
func benchCheckout(ctx context.Context, o checkoutOptions, out io.Writer) (err error) {
	db, err := openBenchDatabase(ctx, o.databaseURL, o.concurrency+4)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.close(context.WithoutCancel(ctx), out, false)) }()
	pool := db.pool
	inserter, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "seeding …")
	shop, err := seedShop(ctx, storage.New(pool, inserter, nil), o)
	if err != nil {
		return err
	}
	b := &checkoutBench{opts: o, out: out, pool: pool, shop: shop, store: storage.New(pool, inserter, nil)}
	return b.measure(ctx, db.stores.postgresVer)
}

// benchShop is the seeded catalog: who orders, what, and at which prices.
type benchShop struct {
	reseller  lapak.Reseller
	owner     lapak.User
	zone      lapak.ShippingZone
	hot       []int64
	others    []int64
	customers []int64
	lines     map[int64]lapak.OrderItem // each product's line of one item, priced as PlaceOrder prices it
}

// seedShop makes the owner, the reseller with a 20 % markup and own prices on every tenth
// product, the zone, the customers and the products.
func seedShop(ctx context.Context, store *storage.Store, o checkoutOptions) (*benchShop, error) {
	s := &benchShop{lines: make(map[int64]lapak.OrderItem)}
	var err error
	if s.owner, err = store.TouchUser(ctx, lapak.Telegram, "1", "1", "Bu Rina", lapak.Indonesian); err != nil {
		return nil, err
	}
	supplier, err := store.CreateSupplier(ctx, "Kaos Nusantara", s.owner.ID)
	if err != nil {
		return nil, err
	}
	if s.reseller, err = benchReseller(ctx, store, s.owner.ID); err != nil {
		return nil, err
	}
	markup := lapak.Markup{Percent: 2000}
	if err := store.SetMarkup(ctx, s.reseller.ID, markup); err != nil {
		return nil, err
	}
	if err := store.SetShippingZones(ctx, []lapak.ShippingZone{{Name: "Jawa", Fee: 15_000}, {Name: "Luar Jawa", Fee: 35_000}}); err != nil {
		return nil, err
	}
	zones, err := store.ShippingZones(ctx)
	if err != nil {
		return nil, err
	}
	s.zone = zones[0]
	for i := range o.hot + o.products {
		id, err := s.addProduct(ctx, store, supplier.ID, i, markup)
		if err != nil {
			return nil, err
		}
		if i < o.hot {
			s.hot = append(s.hot, id)
		} else {
			s.others = append(s.others, id)
		}
	}
	for i := range o.customers {
		phone := fmt.Sprintf("62812%08d", i)
		u, err := store.TouchUser(ctx, lapak.WhatsApp, phone, phone, "Pelanggan", lapak.Indonesian)
		if err != nil {
			return nil, err
		}
		s.customers = append(s.customers, u.ID)
	}
	return s, nil
}

// addProduct saves the i-th product with benchStock units and records its priced line.
func (s *benchShop) addProduct(ctx context.Context, store *storage.Store, supplierID int64, i int, markup lapak.Markup) (int64, error) {
	stock := benchStock
	p, err := store.SaveProduct(ctx, lapak.Product{
		SupplierID: supplierID, SKU: fmt.Sprintf("KAOS-%d", i), Name: fmt.Sprintf("Kaos Polos %d", i),
		BasePrice: lapak.Money(50_000 + 1_000*(i%20)), RetailPrice: 90_000, Commission: lapak.CommissionRule{Percent: 1000},
		Stock: &stock, Active: true,
	})
	if err != nil {
		return 0, err
	}
	var own lapak.Money
	if i%10 == 0 {
		own = 85_000
		if err := store.SetResellerPrice(ctx, s.reseller.ID, p.ID, own); err != nil {
			return 0, err
		}
	}
	price := lapak.ResellerPrice(p, own, markup)
	e, err := lapak.Split(p.BasePrice, price, p.Commission, 1)
	if err != nil {
		return 0, err
	}
	s.lines[p.ID] = lapak.OrderItem{ProductID: p.ID, SKU: p.SKU, Name: p.Name, Qty: 1, UnitPrice: price,
		BasePrice: p.BasePrice, Commission: p.Commission, Earnings: e}
	return p.ID, nil
}

// benchReseller registers and approves the reseller every order is for.
func benchReseller(ctx context.Context, store *storage.Store, ownerID int64) (lapak.Reseller, error) {
	u, err := store.TouchUser(ctx, lapak.Telegram, "2", "2", "Andi", lapak.Indonesian)
	if err != nil {
		return lapak.Reseller{}, err
	}
	if _, err := store.SubmitReseller(ctx, lapak.Reseller{UserID: u.ID, Name: "Andi", Phone: "+6281234567890", City: "Bandung"}, nil); err != nil {
		return lapak.Reseller{}, err
	}
	return store.DecideReseller(ctx, u.ID, ownerID, true, nil)
}

// checkoutBench is one run of the checkout benchmark.
type checkoutBench struct {
	opts  checkoutOptions
	out   io.Writer
	pool  *pgxpool.Pool
	store *storage.Store
	shop  *benchShop
	seq   atomic.Int64 // numbers each checkout, for keys and the plain side's references
}

// checkoutSide places one order: Lapak's PlaceOrder or the plain transaction.
type checkoutSide struct {
	name  string
	place func(ctx context.Context, o lapak.NewOrder) error
}

// phaseResult is what one phase of one side did.
type phaseResult struct {
	placed  int
	failed  int
	first   error
	elapsed time.Duration
}

// measure warms both sides up, runs the alternating phases, checks the stock and prints the report.
func (b *checkoutBench) measure(ctx context.Context, postgresVer string) error {
	sides := []checkoutSide{{"plain pgx transaction", b.placePlain}, {"Lapak PlaceOrder", b.placeLapak}}
	totals := make([]phaseResult, len(sides))
	load := loadAverage()
	fmt.Fprintf(b.out, "warming up …\n")
	for _, s := range sides {
		if r := b.phase(ctx, s, b.opts.duration/5); r.failed > 0 {
			return fmt.Errorf("%s: %d checkouts failed in the warm-up, the first: %w", s.name, r.failed, r.first)
		}
	}
	for round := range b.opts.rounds {
		for i := range sides {
			k := (i + round) % len(sides) // alternate which side goes first
			fmt.Fprintf(b.out, "round %d: %s …\n", round+1, sides[k].name)
			r := b.phase(ctx, sides[k], b.opts.duration)
			t := &totals[k]
			t.placed, t.failed, t.elapsed = t.placed+r.placed, t.failed+r.failed, t.elapsed+r.elapsed
			if t.first == nil {
				t.first = r.first
			}
		}
	}
	stockErr := b.checkStock(ctx)
	b.report(sides, totals, load, postgresVer, stockErr)
	for i, t := range totals {
		if t.failed > 0 {
			return fmt.Errorf("%s: %d checkouts failed, the first: %w", sides[i].name, t.failed, t.first)
		}
	}
	return stockErr
}

// phase places orders from every goroutine for d and counts them.
func (b *checkoutBench) phase(ctx context.Context, side checkoutSide, d time.Duration) phaseResult {
	var mu sync.Mutex
	var r phaseResult
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for g := range b.opts.concurrency {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), uint64(start.UnixNano())))
			placed, failed := 0, 0
			var first error
			for time.Now().Before(deadline) && ctx.Err() == nil {
				if err := side.place(ctx, b.newOrder(rng)); err != nil {
					if failed++; first == nil {
						first = err
					}
					continue
				}
				placed++
			}
			mu.Lock()
			defer mu.Unlock()
			r.placed, r.failed = r.placed+placed, r.failed+failed
			if r.first == nil {
				r.first = first
			}
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	return r
}

// newOrder is one hot product and one other, for the reseller, shipped in the zone.
func (b *checkoutBench) newOrder(rng *rand.Rand) lapak.NewOrder {
	s := b.shop
	n := b.seq.Add(1)
	return lapak.NewOrder{
		Key:            fmt.Sprintf("bench:%d", n),
		CustomerUserID: s.customers[rng.IntN(len(s.customers))],
		ResellerID:     s.reseller.ID,
		Items: []lapak.CartItem{
			{ProductID: s.hot[rng.IntN(len(s.hot))], Qty: 1},
			{ProductID: s.others[rng.IntN(len(s.others))], Qty: 1},
		},
		ZoneID:    s.zone.ID,
		Name:      "Siti Aminah",
		Phone:     "+6281234567890",
		Address:   lapak.Address{Street: "Jl. Merdeka 10", Kelurahan: "Citarum", Kecamatan: "Bandung Wetan", City: "Bandung", PostalCode: "40115"},
		ExpiresAt: time.Now().Add(time.Hour),
	}
}

// placeLapak places o through PlaceOrder, telling the reseller and the owner as checkout does.
func (b *checkoutBench) placeLapak(ctx context.Context, o lapak.NewOrder) error {
	_, err := b.store.PlaceOrder(ctx, o, func(placed lapak.Order) []bot.Outbound {
		text := fmt.Sprintf("Pesanan baru %s: total %s", placed.Ref, placed.Total)
		return []bot.Outbound{
			{To: bot.Address{Channel: lapak.Telegram, ChatID: "2"}, Reply: bot.Reply{Text: text}},
			{To: bot.Address{Channel: lapak.Telegram, ChatID: "1"}, Reply: bot.Reply{Text: text}},
		}
	})
	return err
}

// benchRefAlphabet is the alphabet of order references, as the schema checks them.
const benchRefAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// benchRef is a reference made from a number, so the plain side's references are distinct.
func benchRef(n int64) string {
	b := make([]byte, 6)
	for i := range b {
		b[5-i] = benchRefAlphabet[n%32]
		n /= 32
	}
	return "LPK-" + string(b)
}

// placePlain places o in the least a checkout could do: insert the order and its items with the
// prices computed beforehand, decrement the stock of each line in product order if it stays at
// zero or more, and commit. A reference PlaceOrder drew already is skipped for the next number.
func (b *checkoutBench) placePlain(ctx context.Context, o lapak.NewOrder) error {
	lines := make([]lapak.OrderItem, len(o.Items))
	var subtotal lapak.Money
	for i, it := range o.Items {
		lines[i] = b.shop.lines[it.ProductID]
		subtotal += lines[i].UnitPrice
	}
	for {
		err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error { return b.plainTx(ctx, tx, o, lines, subtotal) })
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.ConstraintName == "orders_ref_key" {
			continue
		}
		return err
	}
}

func (b *checkoutBench) plainTx(ctx context.Context, tx pgx.Tx, o lapak.NewOrder, lines []lapak.OrderItem, subtotal lapak.Money) error {
	now := time.Now()
	fee := b.shop.zone.Fee
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO orders (ref, customer_user_id, reseller_id, subtotal, shipping, total, shipping_zone, name, phone,
			address, notes, idempotency_key, created_at, updated_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id`,
		benchRef(b.seq.Add(1)), o.CustomerUserID, o.ResellerID, subtotal, fee, subtotal+fee, b.shop.zone.Name,
		o.Name, o.Phone, o.Address, o.Notes, o.Key, now, o.ExpiresAt).Scan(&id)
	if err != nil {
		return err
	}
	a, c := lines[0], lines[1]
	_, err = tx.Exec(ctx, `
		INSERT INTO order_items (order_id, line, product_id, sku, name, qty, unit_price, base_price, commission_percent_bp,
			commission_fixed, commission, reseller_earning, owner_share, rounding, reserved)
		VALUES ($1, 1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, true),
		       ($1, 2, $13, $14, $15, 1, $16, $17, $18, $19, $20, $21, $22, $23, true)`,
		id, a.ProductID, a.SKU, a.Name, a.UnitPrice, a.BasePrice, a.Commission.Percent, a.Commission.Fixed,
		a.Earnings.Commission, a.Earnings.Reseller, a.Earnings.Owner, a.Earnings.Rounding,
		c.ProductID, c.SKU, c.Name, c.UnitPrice, c.BasePrice, c.Commission.Percent, c.Commission.Fixed,
		c.Earnings.Commission, c.Earnings.Reseller, c.Earnings.Owner, c.Earnings.Rounding)
	if err != nil {
		return err
	}
	for _, it := range []lapak.CartItem{o.Items[0], o.Items[1]} { // hot products have the lower IDs
		tag, err := tx.Exec(ctx, "UPDATE products SET stock = stock - $2 WHERE id = $1 AND stock >= $2", it.ProductID, it.Qty)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("product %d sold out", it.ProductID)
		}
	}
	return nil
}

// checkStock checks that every product's stock plus what orders reserved is what it started with.
func (b *checkoutBench) checkStock(ctx context.Context) error {
	var off, negative int
	err := b.pool.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE p.stock + coalesce(r.qty, 0) <> $1), count(*) FILTER (WHERE p.stock < 0)
		FROM products p LEFT JOIN (SELECT product_id, sum(qty) AS qty FROM order_items WHERE reserved GROUP BY product_id) r
			ON r.product_id = p.id`, benchStock).Scan(&off, &negative)
	if err != nil {
		return fmt.Errorf("check stock: %w", err)
	}
	if off > 0 || negative > 0 {
		return fmt.Errorf("stock does not add up: %d products off, %d negative", off, negative)
	}
	return nil
}

// report prints the figures and the verdict.
func (b *checkoutBench) report(sides []checkoutSide, totals []phaseResult, load, postgresVer string, stockErr error) {
	o := b.opts
	fmt.Fprintf(b.out, "\nCheckouts through Lapak's PlaceOrder vs a plain pgx transaction of the same shape\n")
	fmt.Fprintf(b.out, "machine   %d CPUs, GOMAXPROCS %d, %s %s/%s; PostgreSQL %s on this machine; load %s before, %s after\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, postgresVer, load, loadAverage())
	fmt.Fprintf(b.out, "workload  %d goroutines; each order: 1 of %d hot products + 1 of %d others, for a reseller, %d customers\n",
		o.concurrency, o.hot, o.products, o.customers)
	fmt.Fprintf(b.out, "          %d rounds of %s per side, alternating, after a warm-up\n\n", o.rounds, o.duration)
	fmt.Fprintf(b.out, "%-24s %10s %8s %8s %12s\n", "", "checkouts", "failed", "seconds", "checkouts/s")
	rate := make([]float64, len(totals))
	for i, t := range totals {
		rate[i] = float64(t.placed) / t.elapsed.Seconds()
		fmt.Fprintf(b.out, "%-24s %10d %8d %8.1f %12.0f\n", sides[i].name, t.placed, t.failed, t.elapsed.Seconds(), rate[i])
	}
	ratio := rate[1] / rate[0]
	fmt.Fprintf(b.out, "\n%s  throughput: PlaceOrder makes %.2f× the plain transaction's checkouts/s (target ≥ %.2f×)\n",
		verdict(ratio >= minCheckoutRatio), ratio, minCheckoutRatio)
	if stockErr != nil {
		fmt.Fprintf(b.out, "FAIL  stock: %v\n", stockErr)
	} else {
		fmt.Fprintf(b.out, "PASS  stock: every product's stock plus its reserved lines is the %d it started with; none negative\n", benchStock)
	}
}
