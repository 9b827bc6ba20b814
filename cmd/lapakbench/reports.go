package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/reports"
	"github.com/lapak-id/lapak/storage"
)

const reportsUsage = `Usage: lapakbench reports [flags]

Times a monthly sales report on a big store next to one plain aggregate query over the same
month's orders, on a fresh database. Flags:
`

// Targets of the reports benchmark.
const (
	maxReportTime  = time.Second // the monthly report at most this
	maxReportRatio = 3.0         // and at most this many times the plain query
)

// reportsOptions are the reports benchmark's flags.
type reportsOptions struct {
	orders, resellers, products, customers, suppliers, months, runs int
	databaseURL                                                     string
	keep                                                            bool // keep the database, to look into it
}

// reportsBench is the reports benchmark:
//
//	go run ./cmd/lapakbench reports [-orders 1000000] [-resellers 10000] [-products 2000] [-months 12]
//
// It creates a fresh database on the server at LAPAKBENCH_DATABASE_URL (default
// postgres://root@127.0.0.1:5432/), migrates it and seeds it in SQL (generate_series): the
// orders spread evenly over the last -months whole months in WIB (85 % paid, 10 % expired, 4 %
// cancelled, 1 % refunded; nine in ten through a reseller; one or two lines each), one link
// click per order, chats and carts, each paid order's payment and each reseller's monthly payouts
// in the ledger; the big
// tables' indexes are made after they fill, and a superuser skips the foreign-key checks of rows
// consistent by construction. After VACUUM ANALYZE it makes the days' rollups, as the
// report_rollups job would have, and times, -runs times each after a warm-up, alternating, the last month's
// report as the scheduler makes it for the owner of the whole store (figures, the period
// before's, the text and the PNG chart), and one plain aggregate query over that month's paid
// orders (count and sum by day). It prints the medians, their ratio and a PASS or FAIL line for
// each target (the report at most 1 s, and at most 3 times the plain query), then drops the
// database.
func reportsBench(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var o reportsOptions
	fs := flag.NewFlagSet("lapakbench reports", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() { fmt.Fprint(stdout, reportsUsage); fs.PrintDefaults() }
	fs.IntVar(&o.orders, "orders", 1_000_000, "orders")
	fs.IntVar(&o.resellers, "resellers", 10_000, "resellers")
	fs.IntVar(&o.products, "products", 2_000, "products")
	fs.IntVar(&o.customers, "customers", 250_000, "customers")
	fs.IntVar(&o.suppliers, "suppliers", 20, "suppliers the products belong to")
	fs.IntVar(&o.months, "months", 12, "whole months the orders are spread over; the report is the last one's")
	fs.IntVar(&o.runs, "runs", 5, "timed runs of each side")
	fs.StringVar(&o.databaseURL, "db", orDefault(getenv("LAPAKBENCH_DATABASE_URL"), "postgres://root@127.0.0.1:5432/"),
		"Postgres server to create the benchmark database on (LAPAKBENCH_DATABASE_URL)")
	fs.BoolVar(&o.keep, "keep", false, "keep the database at the end, to look into it, instead of dropping it")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if o.orders < 1 || o.resellers < 1 || o.products < 1 || o.customers < 1 || o.suppliers < 1 || o.months < 1 || o.runs < 1 {
		return errors.New("every flag must be at least 1")
	}
	return benchReports(ctx, o, stdout)
}

// benchReports creates the database, seeds it, times both sides and reports.
func benchReports(ctx context.Context, o reportsOptions, out io.Writer) (err error) {
	db, err := openBenchDatabase(ctx, o.databaseURL, 0)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.close(context.WithoutCancel(ctx), out, o.keep)) }()
	pool := db.pool
	// The report is of the last whole month before this one, in WIB.
	month := reports.Month(time.Now(), reports.WIB).Previous()
	first := month.Start.AddDate(0, 1-o.months, 0)
	fmt.Fprintf(out, "seeding %d orders over %s to %s, %d resellers, %d products, %d customers…\n",
		o.orders, first.Format("2006-01-02"), month.End.Format("2006-01-02"), o.resellers, o.products, o.customers)
	began := time.Now()
	if err := seedReports(ctx, pool, o, first, month.End, out); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(out, "seeded and analyzed in %s\n", time.Since(began).Round(time.Second))
	return timeReports(ctx, pool, o, month, out)
}

// timeReports warms both sides up, then times them in turn and prints the verdicts.
func timeReports(ctx context.Context, pool *pgxpool.Pool, o reportsOptions, month reports.Period, out io.Writer) error {
	inserter, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return err
	}
	store := storage.New(pool, inserter, lapak.SystemClock{})
	// The days that are over get their rollups, as the report_rollups job makes them every 15
	// minutes in production; a store that has just upgraded gets them all on the job's first run.
	began := time.Now()
	days, err := store.MakeRollups(ctx, time.Now(), 1<<20)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "rolled up %d days (in three zones) in %s\n", days, time.Since(began).Round(time.Millisecond))
	// As autovacuum would have by the time they are read, so that they are read from the index.
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE report_days, report_day_resellers, report_day_products"); err != nil {
		return err
	}
	svc := reports.NewService(reports.Config{Store: store, Zone: reports.WIB})
	owner, err := store.User(ctx, 1)
	if err != nil {
		return err
	}
	report := func() (reports.Report, error) {
		sc, err := store.ReportScope(ctx, owner.ID)
		if err != nil {
			return reports.Report{}, err
		}
		r, err := svc.Build(ctx, reports.Monthly, sc, month, owner.ID)
		if err != nil {
			return r, err
		}
		_ = reports.Text(r, lapak.Indonesian)
		_, err = reports.Chart(r.Period, r.Current.Series, lapak.Indonesian)
		return r, err
	}
	var paid int64
	var sales lapak.Money
	plain := func() error {
		rows, err := pool.Query(ctx, `
			SELECT date_trunc('day', paid_at AT TIME ZONE 'Asia/Jakarta') AS day, count(*), sum(total)
			FROM orders WHERE paid_at >= $1 AND paid_at < $2 GROUP BY day ORDER BY day`, month.Start, month.End)
		if err != nil {
			return err
		}
		paid, sales = 0, 0
		var day time.Time
		var n int64
		var sum lapak.Money
		for rows.Next() {
			if err := rows.Scan(&day, &n, &sum); err != nil {
				return err
			}
			paid, sales = paid+n, sales+sum
		}
		return rows.Err()
	}
	var r reports.Report
	if r, err = report(); err != nil { // warm-up
		return err
	}
	if err := plain(); err != nil {
		return err
	}
	loadBefore := loadAverage()
	var reportTimes, plainTimes []time.Duration
	for range o.runs {
		began := time.Now()
		if r, err = report(); err != nil {
			return err
		}
		reportTimes = append(reportTimes, time.Since(began))
		began = time.Now()
		if err := plain(); err != nil {
			return err
		}
		plainTimes = append(plainTimes, time.Since(began))
	}
	if int64(r.Current.Paid) != paid {
		return fmt.Errorf("the report counts %d paid orders in %s, the plain query %d", r.Current.Paid, month.Code(), paid)
	}
	csvTime, lines, err := timeCSV(ctx, store, r)
	if err != nil {
		return err
	}
	load := fmt.Sprintf("1-minute load average %s before the timed runs, %s after: other work on the machine skews the figures",
		loadBefore, loadAverage())
	return printReports(out, o, r, medianOf(reportTimes), medianOf(plainTimes), sales, csvTime, lines, load)
}

// timeCSV times the month's spreadsheet: its lines read and written as CSV.
func timeCSV(ctx context.Context, store *storage.Store, r reports.Report) (time.Duration, int, error) {
	began := time.Now()
	lines, err := store.ReportLines(ctx, r.Scope, r.Period, 0)
	if err != nil {
		return 0, 0, err
	}
	if _, err := reports.CSV(lines, r.Period.Zone); err != nil {
		return 0, 0, err
	}
	return time.Since(began), len(lines), nil
}

func medianOf(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func printReports(out io.Writer, o reportsOptions, r reports.Report, report, plain time.Duration, sales lapak.Money,
	csvTime time.Duration, lines int, load string) error {
	f := r.Current
	ratio := float64(report) / float64(plain)
	fmt.Fprintf(out, "\nMonthly report vs one plain aggregate query, %s (WIB), whole store\n", r.Period.Code())
	fmt.Fprintf(out, "machine    %d CPUs, GOMAXPROCS %d, %s %s/%s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(out, "load       %s\n", load)
	fmt.Fprintf(out, "data       %d orders over %d months, %d resellers, %d products, %d customers\n", o.orders, o.months, o.resellers, o.products, o.customers)
	fmt.Fprintf(out, "month      %d orders placed, %d paid; sales %s of %s paid with shipping; %d of the orders through resellers\n",
		f.Created, f.Paid, f.Sales, sales, f.FunnelTotal.Orders)
	fmt.Fprintf(out, "report     %s  (median of %d: figures, the month before's, text and chart)\n", ms(report), o.runs)
	fmt.Fprintf(out, "plain      %s  (median of %d: SELECT day, count(*), sum(total) … GROUP BY day over the month's paid orders)\n", ms(plain), o.runs)
	fmt.Fprintf(out, "ratio      %.2f×\n", ratio)
	fmt.Fprintf(out, "csv        %s for %d order lines (the spreadsheet as lapak report --format csv writes it; not timed above)\n", ms(csvTime), lines)
	failed := false
	verdict := func(ok bool, what string) {
		word := "PASS"
		if !ok {
			word, failed = "FAIL", true
		}
		fmt.Fprintf(out, "%s  %s\n", word, what)
	}
	verdict(report <= maxReportTime, fmt.Sprintf("monthly report %s ≤ %s", ms(report), ms(maxReportTime)))
	verdict(ratio <= maxReportRatio, fmt.Sprintf("monthly report %.2f× the plain query ≤ %.0f×", ratio, maxReportRatio))
	if failed {
		return errors.New("the reports benchmark missed its targets")
	}
	return nil
}

// seedReports fills the database in SQL, each table in one statement, with deterministic
// pseudo-random spreads; orders fall between first and end.
func seedReports(ctx context.Context, pool *pgxpool.Pool, o reportsOptions, first, end time.Time, out io.Writer) error {
	span := int64(end.Sub(first) / time.Second)
	steps := []struct{ what, sql string }{
		{"helpers", `
			CREATE FUNCTION bench_hash(g bigint, salt bigint) RETURNS bigint IMMUTABLE LANGUAGE sql AS
				$$ SELECT ((g * 2654435761 + salt * 40503) % 4294967291 + 4294967291) % 4294967291 $$;
			CREATE FUNCTION bench_base(p bigint) RETURNS bigint IMMUTABLE LANGUAGE sql AS $$ SELECT 10000 + (p * 37 % 90) * 1000 $$;
			CREATE FUNCTION bench_unit(p bigint, via bool) RETURNS bigint IMMUTABLE LANGUAGE sql AS
				$$ SELECT CASE WHEN via THEN bench_base(p) * 6 / 5 ELSE bench_base(p) * 3 / 2 END $$;
			-- References in the order of g, so that their unique index fills from the right.
			CREATE FUNCTION bench_ref(g bigint) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT 'LPK-'
				|| substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', (g >> 25 & 31)::int + 1, 1) || substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', (g >> 20 & 31)::int + 1, 1)
				|| substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', (g >> 15 & 31)::int + 1, 1) || substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', (g >> 10 & 31)::int + 1, 1)
				|| substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', (g >> 5 & 31)::int + 1, 1) || substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', (g >> 0 & 31)::int + 1, 1) $$;
			-- Moments spread evenly over the months, in order, as rows arrive in a real store.
			CREATE FUNCTION bench_at(g bigint, n bigint) RETURNS timestamptz IMMUTABLE LANGUAGE sql AS
				$$ SELECT @first::timestamptz + ((g - 1) * @span / n + bench_hash(g, 13) % 600) * interval '1 second' $$;`},
		{"users", `
			INSERT INTO users (id, channel, external_id, chat_id, name, role)
			SELECT 1, 'telegram', '1', '1', 'Pemilik', 'owner'
			UNION ALL SELECT 1 + g, 'telegram', (1000 + g)::text, (1000 + g)::text, 'Reseller ' || g, 'reseller' FROM generate_series(1, @resellers) g
			UNION ALL SELECT 1 + @resellers + g, 'whatsapp', (6281000000000 + g)::text, (6281000000000 + g)::text, 'Pembeli ' || g, 'customer'
				FROM generate_series(1, @customers) g`},
		{"suppliers", `
			INSERT INTO suppliers (id, name) SELECT g, 'Supplier ' || g FROM generate_series(1, @suppliers) g;
			INSERT INTO supplier_members (supplier_id, user_id) SELECT g, 1 FROM generate_series(1, @suppliers) g`},
		{"products", `
			INSERT INTO products (id, supplier_id, sku, name, base_price, retail_price, commission_percent_bp, stock, low_stock)
			SELECT g, g % @suppliers + 1, 'SKU-' || g, 'Produk ' || g, bench_base(g), bench_base(g) * 3 / 2, 1000,
				bench_hash(g, 1) % 200, 5 FROM generate_series(1, @products) g`},
		{"resellers", `
			INSERT INTO resellers (id, user_id, name, phone, city, code, status)
			SELECT g, 1 + g, 'Reseller ' || g, '+62812' || lpad(g::text, 8, '0'), 'Bandung', 'R' || g, 'approved'
			FROM generate_series(1, @resellers) g`},
		{"orders", `
			INSERT INTO orders (id, ref, customer_user_id, reseller_id, status, subtotal, shipping, total, name, phone, address,
				idempotency_key, created_at, updated_at, expires_at, paid_at, completed_at, released_at, cancelled_at, refunded_at,
				earnings_released_at)
			SELECT g, bench_ref(g), customer, reseller, status, subtotal, 15000, subtotal + 15000, 'Pembeli', '+6281' || lpad((g % 100000000)::text, 8, '0'),
				'{}', 'k' || lpad(g::text, 10, '0'), created, created, created + interval '1 day', paid,
				CASE WHEN released < @end THEN released END,
				CASE WHEN status IN ('expired', 'cancelled') AND paid IS NULL THEN created + CASE WHEN status = 'expired' THEN interval '1 day 1 minute' ELSE interval '30 minutes' END END,
				CASE WHEN kind = 99 THEN paid + interval '3 days' END, CASE WHEN kind = 99 THEN paid + interval '3 days' END,
				CASE WHEN kind < 85 AND released < @end THEN released END
			FROM (
				SELECT g, kind, 1 + @resellers + bench_hash(g, 2) % @customers AS customer,
					CASE WHEN g % 10 <> 0 THEN bench_hash(g, 3) % @resellers + 1 END AS reseller,
					CASE WHEN kind < 85 AND created + interval '11 days' < @end THEN 'completed' WHEN kind < 85 THEN 'paid'
						WHEN kind < 95 THEN 'expired' ELSE 'cancelled' END AS status,
					bench_unit(g * 7919 % @products + 1, g % 10 <> 0) * (g % 3 + 1)
						+ CASE WHEN g % 2 = 0 THEN bench_unit(g * 104729 % @products + 1, g % 10 <> 0) ELSE 0 END AS subtotal,
					created, CASE WHEN kind < 85 OR kind = 99 THEN created + ((g % 50) + 1) * interval '1 minute' END AS paid,
					created + interval '10 days' AS released
				FROM (SELECT g, bench_hash(g, 4) % 100 AS kind, bench_at(g, @orders) AS created FROM generate_series(1::bigint, @orders) g) x
			) o`},
		{"order_items", `
			INSERT INTO order_items (order_id, line, product_id, sku, name, qty, unit_price, base_price, commission_percent_bp,
				commission, reseller_earning, owner_share, rounding, reserved)
			SELECT g, line, p, 'SKU-' || p, 'Produk ' || p, qty, bench_unit(p, via), CASE WHEN via THEN bench_base(p) ELSE bench_unit(p, false) END,
				CASE WHEN via THEN 1000 ELSE 0 END,
				CASE WHEN via THEN bench_base(p) / 10 * qty ELSE 0 END,
				CASE WHEN via THEN (bench_unit(p, true) - bench_base(p) + bench_base(p) / 10) * qty ELSE 0 END,
				CASE WHEN via THEN (bench_base(p) - bench_base(p) / 10) * qty ELSE bench_unit(p, false) * qty END,
				'exact', true
			FROM (
				SELECT g, 1 AS line, g * 7919 % @products + 1 AS p, (g % 3 + 1)::int AS qty, g % 10 <> 0 AS via FROM generate_series(1::bigint, @orders) g
				UNION ALL
				SELECT g, 2, g * 104729 % @products + 1, 1, g % 10 <> 0 FROM generate_series(2::bigint, @orders, 2) g
			) l`},
		{"link_clicks", `
			INSERT INTO link_clicks (reseller_id, product_id, clicked_at)
			SELECT bench_hash(g, 6) % @resellers + 1, bench_hash(g, 7) % @products + 1, bench_at(g, @orders)
			FROM generate_series(1::bigint, @orders) g`},
		{"funnel_events", `
			INSERT INTO funnel_events (kind, reseller_id, user_id, product_id, at)
			SELECT CASE WHEN g % 5 < 3 THEN 'chat' ELSE 'cart' END, bench_hash(g, 9) % @resellers + 1,
				1 + @resellers + bench_hash(g, 10) % @customers, CASE WHEN g % 5 >= 3 THEN bench_hash(g, 11) % @products + 1 END,
				bench_at(g, @orders / 2)
			FROM generate_series(1::bigint, @orders / 2) g`},
		{"ledger", `
			ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_balanced;
			INSERT INTO ledger_accounts (id, kind, holder) SELECT 1, 'payout_bank', 0;
			INSERT INTO ledger_accounts (id, kind, holder)
			SELECT 1 + (k - 1) * @resellers + r, (ARRAY['reseller_pending', 'reseller_available', 'reseller_payout_in_transit'])[k], r
			FROM generate_series(1, 3) k, generate_series(1, @resellers) r;
			INSERT INTO ledger_transactions (id, key, kind, memo, created_at)
			SELECT 2 * ((m - 1) * @resellers + r) - 1 + s, 'payout:' || ((m - 1) * @resellers + r) || (ARRAY[':reserve', ':paid'])[s + 1],
				(ARRAY['payout', 'payout_paid'])[s + 1]::text, 'bench', @first::timestamptz + (m - 1) * interval '1 month' + interval '5 days' + s * interval '1 day'
			FROM generate_series(1, @months) m, generate_series(1, @resellers) r, generate_series(0, 1) s;
			INSERT INTO ledger_entries (txn_id, account_id, amount)
			SELECT t.id, CASE e WHEN 0 THEN (CASE WHEN t.kind = 'payout' THEN 1 + @resellers + r ELSE 1 + 2 * @resellers + r END)
					ELSE (CASE WHEN t.kind = 'payout' THEN 1 + 2 * @resellers + r ELSE 1 END) END,
				CASE e WHEN 0 THEN -1 ELSE 1 END * (10000 + (r * 7 % 50) * 1000)
			FROM ledger_transactions t, LATERAL (SELECT ((t.id + 1) / 2 - 1) % @resellers + 1 AS r) x, generate_series(0, 1) e;
			INSERT INTO ledger_accounts (id, kind, holder) VALUES (2 + 3 * @resellers, 'xendit_clearing', 0), (3 + 3 * @resellers, 'owner_revenue', 0);
			INSERT INTO ledger_transactions (id, key, kind, order_id, memo, created_at)
			SELECT 2 * @months * @resellers + id, 'xendit:invoice:bench-' || id || ':paid', 'payment', id, 'bench', paid_at
			FROM orders WHERE paid_at IS NOT NULL;
			INSERT INTO ledger_entries (txn_id, account_id, amount)
			SELECT 2 * @months * @resellers + x.id, a.account, a.amount FROM (
				SELECT o.id, o.total, o.reseller_id, sum(i.reseller_earning) AS earning
				FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.paid_at IS NOT NULL GROUP BY o.id) x,
				LATERAL (VALUES (2 + 3 * @resellers, -x.total), (3 + 3 * @resellers, x.total - x.earning), (1 + x.reseller_id, x.earning)) a (account, amount)
			WHERE a.account IS NOT NULL AND a.amount <> 0;
			UPDATE ledger_accounts a SET balance = s.total FROM (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) s
			WHERE a.id = s.account_id;
			ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_balanced`},
		{"customer_firsts", `
			INSERT INTO customer_firsts (scope, user_id, first_paid_at)
			SELECT 0, customer_user_id, min(paid_at) FROM orders WHERE paid_at IS NOT NULL GROUP BY customer_user_id
			UNION ALL
			SELECT p.supplier_id, o.customer_user_id, min(o.paid_at) FROM orders o JOIN order_items i ON i.order_id = o.id
			JOIN products p ON p.id = i.product_id WHERE o.paid_at IS NOT NULL GROUP BY p.supplier_id, o.customer_user_id`},
		{"sequences", `
			SELECT setval('users_id_seq', 1 + @resellers + @customers), setval('orders_id_seq', @orders),
				setval('products_id_seq', @products), setval('resellers_id_seq', @resellers), setval('suppliers_id_seq', @suppliers),
				setval('ledger_transactions_id_seq', (SELECT max(id) FROM ledger_transactions)),
				setval('ledger_accounts_id_seq', (SELECT max(id) FROM ledger_accounts))`},
	}
	vars := map[string]string{
		"@resellers": fmt.Sprint(o.resellers), "@customers": fmt.Sprint(o.customers), "@suppliers": fmt.Sprint(o.suppliers),
		"@products": fmt.Sprint(o.products), "@orders": fmt.Sprint(o.orders), "@months": fmt.Sprint(o.months),
		"@span": fmt.Sprint(span), "@first": "'" + first.UTC().Format(time.RFC3339) + "'", "@end": "'" + end.UTC().Format(time.RFC3339) + "'::timestamptz",
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	// Rows made here are consistent by construction: skip the foreign-key checks when this user
	// may (a superuser), and the ledger's balance check, which the owner may turn off.
	if _, err := conn.Exec(ctx, "SET jit = off"); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "SET session_replication_role = replica"); err != nil {
		fmt.Fprintf(out, "  (foreign keys checked while seeding: %v)\n", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "RESET session_replication_role") //nolint:errcheck // the connection is closed with the pool
	// Indexes are built faster once than row by row: the big tables' are dropped while they
	// fill, and made again after, all but those behind primary keys and unique constraints.
	indexes, err := dropIndexes(ctx, conn.Conn(), "orders", "order_items", "link_clicks", "funnel_events", "customer_firsts",
		"ledger_entries", "ledger_transactions")
	if err != nil {
		return err
	}
	for _, s := range steps {
		sql := s.sql
		for k, v := range vars {
			sql = strings.ReplaceAll(sql, k, v)
		}
		began := time.Now()
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
		fmt.Fprintf(out, "  %-14s %s\n", s.what, time.Since(began).Round(time.Millisecond))
	}
	began := time.Now()
	if _, err := conn.Exec(ctx, "SET maintenance_work_mem = '256MB'"); err != nil {
		return err
	}
	for _, def := range indexes {
		if _, err := conn.Exec(ctx, def); err != nil {
			return fmt.Errorf("%s: %w", def, err)
		}
	}
	fmt.Fprintf(out, "  %-14s %s\n", "indexes", time.Since(began).Round(time.Millisecond))
	for _, table := range []string{"users", "products", "resellers", "orders", "order_items", "link_clicks", "funnel_events",
		"customer_firsts", "ledger_accounts", "ledger_transactions", "ledger_entries"} {
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE "+table); err != nil {
			return fmt.Errorf("vacuum %s: %w", table, err)
		}
	}
	return nil
}

// dropIndexes drops the tables' indexes that no constraint stands behind and returns the
// statements that make them again.
func dropIndexes(ctx context.Context, conn *pgx.Conn, tables ...string) ([]string, error) {
	rows, err := conn.Query(ctx, `
		SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, tables)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	var name, def string
	if _, err := pgx.ForEachRow(rows, []any{&name, &def}, func() error {
		names, defs = append(names, name), append(defs, def)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := conn.Exec(ctx, "DROP INDEX "+pgx.Identifier{n}.Sanitize()); err != nil {
			return nil, err
		}
	}
	return defs, nil
}
