package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/reports"
)

var (
	_ reports.Store     = (*Store)(nil)
	_ jobs.ReportOutbox = (*Store)(nil)
)

// scoped filters a report query to a scope's order lines: nothing for the whole store, the
// scope's suppliers' products otherwise. Its argument is added to args as the last one.
type scoped struct {
	sc   reports.Scope
	args []any
}

func newScoped(sc reports.Scope, args ...any) *scoped {
	q := &scoped{sc: sc, args: args}
	if !sc.All {
		q.args = append(q.args, sc.SupplierIDs)
	}
	return q
}

// lines is the condition on the order line alias i.
func (q *scoped) lines(i string) string {
	if q.sc.All {
		return ""
	}
	return fmt.Sprintf(" AND %s.product_id IN (SELECT id FROM products WHERE supplier_id = ANY($%d))", i, len(q.args))
}

// orders is the condition that order alias o has a line of the scope.
func (q *scoped) orders(o string) string {
	if q.sc.All {
		return ""
	}
	return " AND EXISTS (SELECT 1 FROM order_items si WHERE si.order_id = " + o + ".id" + q.lines("si") + ")"
}

// products is the condition on product alias p.
func (q *scoped) products(p string) string {
	if q.sc.All {
		return ""
	}
	return fmt.Sprintf(" AND %s.supplier_id = ANY($%d)", p, len(q.args))
}

// ReportFigures returns the figures of period p for scope sc, and the comparable headline of the
// period before (see reports.Headline.Comparable), read from one snapshot of the database by a
// few queries at once.
func (s *Store) ReportFigures(ctx context.Context, sc reports.Scope, p reports.Period) (reports.Figures, reports.Headline, error) {
	var f reports.Figures
	var prev reports.Headline
	err := s.readSnapshot(ctx,
		[]func(tx pgx.Tx) error{
			func(tx pgx.Tx) error { return paidFigures(ctx, tx, sc, p, &f.Headline, &f, true) },
			func(tx pgx.Tx) error { return closedFigures(ctx, tx, sc, p, &f.Headline) },
			func(tx pgx.Tx) error { return stockFigures(ctx, tx, sc, &f.Stock) },
			func(tx pgx.Tx) error { return moneyFigures(ctx, tx, sc, p, &f) },
			func(tx pgx.Tx) error { return paidFigures(ctx, tx, sc, p.Previous(), &prev, &f, false) },
		},
		[]func(tx pgx.Tx) error{
			func(tx pgx.Tx) error { return createdFigures(ctx, tx, sc, p, &f, &prev) },
			func(tx pgx.Tx) error { return newCustomers(ctx, tx, sc, p, &f.Headline, &prev) },
		})
	if err != nil {
		return f, prev, fmt.Errorf("report figures of %s: %w", p.Code(), err)
	}
	return f, prev, nil
}

// readSnapshot runs two groups of fns in read-only transactions that all see the same snapshot
// of the database, which the first group's transaction exports. The second group runs on a
// connection of its own at the same time, when the pool has one to spare, and otherwise after the
// first on the same connection. A report reads much of two months of orders: two connections use
// two cores.
func (s *Store) readSnapshot(ctx context.Context, first, second []func(tx pgx.Tx) error) error {
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	tx, err := s.pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read only
	var snapshot string
	if err := tx.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&snapshot); err != nil {
		return fmt.Errorf("export snapshot: %w", err)
	}
	var secondErr error
	var wg sync.WaitGroup
	conn := s.spareConn(ctx)
	if conn != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Release()
			secondErr = pgx.BeginTxFunc(ctx, conn, opts, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "SET TRANSACTION SNAPSHOT "+quote(snapshot)); err != nil {
					return fmt.Errorf("import snapshot: %w", err)
				}
				return reportTx(ctx, tx, second)
			})
		}()
	} else {
		first = append(first, second...)
	}
	err = reportTx(ctx, tx, first)
	wg.Wait()
	return errors.Join(err, secondErr)
}

// spareConnWait is how long a report waits for a second connection before it makes do with one:
// a report holding a connection must never wait for the pool indefinitely, or reports started
// together could hold every connection and wait for each other.
const spareConnWait = 50 * time.Millisecond

// spareConn is another connection when the pool gives one within spareConnWait, and nil otherwise.
func (s *Store) spareConn(ctx context.Context) *pgxpool.Conn {
	actx, cancel := context.WithTimeout(ctx, spareConnWait)
	defer cancel()
	c, err := s.pool.Acquire(actx)
	if err != nil {
		return nil
	}
	return c
}

// reportTx runs fns in turn with the settings report queries run best with: memory enough to hash a
// month's lines without spilling to disk, plans made for each period's actual bounds rather than
// a generic plan that guesses them, and no JIT compilation, which costs more than it saves on
// queries of this size.
func reportTx(ctx context.Context, tx pgx.Tx, fns []func(tx pgx.Tx) error) error {
	if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '64MB'; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL jit = off"); err != nil {
		return err
	}
	for _, fn := range fns {
		if err := fn(tx); err != nil {
			return err
		}
	}
	return nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// paidFigures reads the scope's lines of the orders paid in p, once: the sales, paid orders,
// customers and accrued earnings into h, and with detail also p's chart series and top products
// and resellers into f. Lines are found by the range of their orders' IDs, which follow time,
// and joined to the orders paid. For the whole store, the days of p that are rolled up come from
// their rollups instead, and only the rest from the orders; customers, who are not summed over
// days, are counted on the orders paid in the whole of p, from an index alone.
func paidFigures(ctx context.Context, tx pgx.Tx, sc reports.Scope, p reports.Period, h *reports.Headline, f *reports.Figures, detail bool) error {
	r, err := rolledUp(ctx, tx, sc, p)
	if err != nil {
		return err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	from, to := arg(r.end), arg(p.End) // the orders read
	var start, bucket, zone, firstDay, rawDay, monthsFrom, monthsTo string
	if detail || sc.All {
		start = arg(p.Start)
	}
	if detail {
		bucket = arg(int64(p.Bucket() / time.Second))
	}
	if sc.All {
		zone, firstDay, rawDay = arg(string(p.Zone)), arg(p.Start.Format(dateLayout)), arg(r.end.Format(dateLayout))
		if detail {
			monthsFrom, monthsTo = arg(r.monthsFrom.Format(dateLayout)), arg(r.monthsTo.Format(dateLayout))
		}
	}
	q := newScoped(sc, args...)
	// Each order is counted on its first line: line 1 for the store, the first of the scope's
	// lines for some suppliers.
	first := "i.line = 1"
	if !sc.All {
		first = "i.line = (SELECT min(x.line) FROM order_items x WHERE x.order_id = i.order_id" + q.lines("x") + ")"
	}
	// Rows of the rolled-up days and months, for the whole store: none for a supplier. The best
	// sellers come from the whole months' rollups and the other days'.
	days, resellerDays, productDays := "SELECT 0 AS paid, 0 AS sales, 0 AS accrued WHERE false",
		"SELECT 0::bigint AS reseller_id, 0 AS paid, 0 AS sales, 0 AS earning WHERE false",
		"SELECT 0::bigint AS product_id, 0 AS qty, 0 AS sales WHERE false"
	if sc.All {
		days = "SELECT day, paid, sales, accrued FROM report_days WHERE zone = " + zone + " AND day >= " + firstDay + "::date AND day < " + rawDay + "::date"
		otherDays := " WHERE zone = " + zone + " AND (day >= " + firstDay + "::date AND day < " + monthsFrom + "::date OR day >= " +
			monthsTo + "::date AND day < " + rawDay + "::date)"
		months := " WHERE zone = " + zone + " AND month >= " + monthsFrom + "::date AND month < " + monthsTo + "::date"
		resellerDays = "SELECT reseller_id, paid, sales, earning FROM report_day_resellers" + otherDays +
			" UNION ALL SELECT reseller_id, paid, sales, earning FROM report_month_resellers" + months
		productDays = "SELECT product_id, qty, sales FROM report_day_products" + otherDays +
			" UNION ALL SELECT product_id, qty, sales FROM report_month_products" + months
	}
	customers := `SELECT 'c', 0, count(*), 0, 0, '', '' FROM (SELECT DISTINCT customer FROM l WHERE first) c`
	if sc.All {
		customers = `SELECT 'c', 0, count(DISTINCT customer_user_id), 0, 0, '', '' FROM orders
			WHERE paid_at >= ` + start + ` AND paid_at < ` + to
	}
	parts := []string{
		`SELECT 't', 0::bigint, coalesce(sum(paid), 0)::bigint, coalesce(sum(sales), 0)::bigint, coalesce(sum(accrued), 0)::bigint, '', ''
			FROM (SELECT count(*) FILTER (WHERE first) AS paid, sum(amount) AS sales, sum(earning) AS accrued FROM l
				UNION ALL SELECT paid, sales, accrued FROM d) t`,
		customers,
	}
	if detail {
		top := strconv.Itoa(reports.TopN)
		parts = append(parts,
			`SELECT 'b', floor(extract(epoch FROM paid_at - `+start+`::timestamptz) / `+bucket+`)::bigint AS bucket, count(*) FILTER (WHERE first),
				sum(amount)::bigint, 0, '', '' FROM l GROUP BY bucket`,
			`SELECT 'p', x.product_id, x.qty, x.sales, 0, pr.sku, pr.name FROM (
				SELECT product_id, sum(qty)::bigint AS qty, sum(sales)::bigint AS sales FROM (
					SELECT product_id, qty, amount AS sales FROM l UNION ALL `+productDays+`) u
				GROUP BY product_id ORDER BY sales DESC, product_id LIMIT `+top+`) x JOIN products pr ON pr.id = x.product_id`,
			`SELECT 'r', x.reseller_id, x.paid, x.sales, x.earning, coalesce(r.code, ''), r.name FROM (
				SELECT reseller_id, sum(paid)::bigint AS paid, sum(sales)::bigint AS sales, sum(earning)::bigint AS earning FROM (
					SELECT reseller_id, count(*) FILTER (WHERE first) AS paid, sum(amount) AS sales, sum(earning) AS earning
					FROM l WHERE reseller_id IS NOT NULL GROUP BY reseller_id
					UNION ALL `+resellerDays+`) u
				GROUP BY reseller_id ORDER BY sales DESC, reseller_id LIMIT `+top+`) x JOIN resellers r ON r.id = x.reseller_id`)
		if sc.All {
			parts = append(parts, `SELECT 'b', (day - `+firstDay+`::date)::bigint, paid, sales, 0, '', '' FROM d`)
		}
	}
	rows, err := tx.Query(ctx, `
		WITH o AS MATERIALIZED (
			SELECT id, customer_user_id AS customer, reseller_id, paid_at FROM orders WHERE paid_at >= `+from+` AND paid_at < `+to+`),
		l AS MATERIALIZED (
			SELECT o.id, o.customer, o.reseller_id, o.paid_at, i.product_id, i.qty, i.unit_price * i.qty AS amount,
				i.reseller_earning AS earning, `+first+` AS first
			FROM order_items i JOIN o ON o.id = i.order_id, (SELECT min(id) AS lo, max(id) AS hi FROM o) b
			WHERE i.order_id BETWEEN b.lo AND b.hi`+q.lines("i")+`),
		d AS (`+days+`)
		(`+strings.Join(parts, ")\nUNION ALL\n(")+`)`, q.args...)
	if err != nil {
		return fmt.Errorf("paid orders: %w", err)
	}
	if detail {
		f.Series = make([]reports.Bucket, p.Buckets())
	}
	var tag, s1, s2 string
	var id, n1, n2, n3 int64
	_, err = pgx.ForEachRow(rows, []any{&tag, &id, &n1, &n2, &n3, &s1, &s2}, func() error {
		switch tag {
		case "t":
			h.Paid, h.Sales, h.Accrued = int(n1), lapak.Money(n2), lapak.Money(n3)
		case "c":
			h.Customers = int(n1)
		case "b":
			if id >= 0 && int(id) < len(f.Series) {
				f.Series[id].Paid += int(n1)
				f.Series[id].Sales += lapak.Money(n2)
			}
		case "p":
			f.TopProducts = append(f.TopProducts, reports.ProductSales{ID: id, Qty: int(n1), Sales: lapak.Money(n2), SKU: s1, Name: s2})
		case "r":
			f.TopResellers = append(f.TopResellers, reports.ResellerSales{ID: id, Paid: int(n1), Sales: lapak.Money(n2),
				Earnings: lapak.Money(n3), Code: s1, Name: s2})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("paid orders: %w", err)
	}
	if detail {
		sortTops(f)
	}
	return nil
}

// newCustomers counts the customers whose first payment, to the store or to the scope's
// suppliers, falls in p and in the period before.
func newCustomers(ctx context.Context, tx pgx.Tx, sc reports.Scope, p reports.Period, h, prev *reports.Headline) error {
	firsts := "SELECT first_paid_at FROM customer_firsts WHERE scope = 0 AND first_paid_at >= $1 AND first_paid_at < $3"
	args := []any{p.Previous().Start, p.Start, p.End}
	switch {
	case len(sc.SupplierIDs) == 1 && !sc.All:
		firsts, args = "SELECT first_paid_at FROM customer_firsts WHERE scope = $4 AND first_paid_at >= $1 AND first_paid_at < $3",
			append(args, sc.SupplierIDs[0])
	case !sc.All: // new to any of the suppliers is not new to them all
		firsts, args = `SELECT first_paid_at FROM (SELECT min(first_paid_at) AS first_paid_at FROM customer_firsts
			WHERE scope = ANY($4) GROUP BY user_id) m WHERE first_paid_at >= $1 AND first_paid_at < $3`, append(args, sc.SupplierIDs)
	}
	err := tx.QueryRow(ctx, "SELECT count(*) FILTER (WHERE first_paid_at >= $2), count(*) FILTER (WHERE first_paid_at < $2) FROM ("+
		firsts+") f", args...).Scan(&h.NewCustomers, &prev.NewCustomers)
	if err != nil {
		return fmt.Errorf("new customers: %w", err)
	}
	return nil
}

// sortTops puts the top lists in order again: UNION ALL keeps no order.
func sortTops(f *reports.Figures) {
	sortBy(f.TopProducts, func(a, b reports.ProductSales) bool { return a.Sales > b.Sales || a.Sales == b.Sales && a.ID < b.ID })
	sortBy(f.TopResellers, func(a, b reports.ResellerSales) bool { return a.Sales > b.Sales || a.Sales == b.Sales && a.ID < b.ID })
}

// funnelLess orders resellers by how far their customers got: paid, then orders, carts, chats,
// clicks.
func funnelLess(a, b reports.FunnelRow) bool {
	for _, d := range [][2]int{{a.Paid, b.Paid}, {a.Orders, b.Orders}, {a.Carts, b.Carts}, {a.Chats, b.Chats}, {a.Clicks, b.Clicks}} {
		if d[0] != d[1] {
			return d[0] > d[1]
		}
	}
	return a.ResellerID < b.ResellerID
}

func sortBy[T any](s []T, less func(a, b T) bool) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// funnelCTEs are the common table expressions of a funnel between $2 and $3 for q's scope: o, the
// orders placed per reseller and how many of them were paid by $3; a, each reseller's clicks,
// chats (distinct customers), carts, orders and paid orders.
func funnelCTEs(q *scoped) string {
	return `o AS MATERIALIZED (
			SELECT reseller_id, count(*) AS orders, count(*) FILTER (WHERE paid_at < $3) AS paid
			FROM orders o WHERE o.created_at >= $2 AND o.created_at < $3` + q.orders("o") + ` GROUP BY reseller_id),
		c AS (SELECT reseller_id, count(*) AS n FROM link_clicks lc
			WHERE lc.clicked_at >= $2 AND lc.clicked_at < $3` + q.lines("lc") + ` GROUP BY reseller_id),
		ch AS (SELECT reseller_id, count(*) AS n FROM (SELECT DISTINCT reseller_id, user_id FROM funnel_events
			WHERE kind = 'chat' AND at >= $2 AND at < $3) d GROUP BY reseller_id),
		ca AS (SELECT reseller_id, count(*) AS n FROM funnel_events fe
			WHERE fe.kind = 'cart' AND fe.at >= $2 AND fe.at < $3` + q.lines("fe") + ` GROUP BY reseller_id),
		a AS MATERIALIZED (
			SELECT coalesce(o.reseller_id, c.reseller_id, ch.reseller_id, ca.reseller_id) AS id, coalesce(c.n, 0) AS clicks,
				coalesce(ch.n, 0) AS chats, coalesce(ca.n, 0) AS carts, coalesce(o.orders, 0) AS orders, coalesce(o.paid, 0) AS paid
			FROM (SELECT * FROM o WHERE reseller_id IS NOT NULL) o
			FULL JOIN c ON c.reseller_id = o.reseller_id
			FULL JOIN ch ON ch.reseller_id = coalesce(o.reseller_id, c.reseller_id)
			FULL JOIN ca ON ca.reseller_id = coalesce(o.reseller_id, c.reseller_id, ch.reseller_id))
		`
}

// monthFunnel reads the orders placed and the funnel of p, and the orders placed in the period
// before, from the months' rollups when p is a month of the whole store and both months have
// them; it returns nil rows otherwise.
func monthFunnel(ctx context.Context, tx pgx.Tx, sc reports.Scope, p reports.Period) (pgx.Rows, error) {
	if !sc.All || p.Span != reports.SpanMonth {
		return nil, nil
	}
	month, before := p.Start.Format(dateLayout), p.Previous().Start.Format(dateLayout)
	var n int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM report_months WHERE zone = $1 AND month IN ($2::date, $3::date)",
		string(p.Zone), month, before).Scan(&n); err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	if n < 2 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `
		(SELECT CASE WHEN month = $2::date THEN -1 ELSE -2 END, '', '', 0::bigint, 0::bigint, 0::bigint, created::bigint, created_paid::bigint
			FROM report_months WHERE zone = $1 AND month IN ($2::date, $3::date))
		UNION ALL
		(SELECT 0, '', '', coalesce(sum(clicks), 0)::bigint, coalesce(sum(chats), 0)::bigint, coalesce(sum(carts), 0)::bigint,
			coalesce(sum(orders), 0)::bigint, coalesce(sum(paid), 0)::bigint FROM report_month_funnel WHERE zone = $1 AND month = $2::date)
		UNION ALL
		(SELECT f.reseller_id, coalesce(r.code, ''), r.name, clicks, chats, carts, orders, paid
			FROM report_month_funnel f JOIN resellers r ON r.id = f.reseller_id WHERE f.zone = $1 AND f.month = $2::date
			ORDER BY paid DESC, orders DESC, carts DESC, chats DESC, clicks DESC, f.reseller_id LIMIT `+strconv.Itoa(reports.FunnelN)+`)`,
		string(p.Zone), month, before)
	if err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	return rows, nil
}

// createdFigures counts the orders created in p and in the period before, and those of them
// paid before their period ended; and p's funnel per reseller. The funnel's orders are
// resellers' orders only: the owner's own sales come through no reseller. A month of the whole
// store after a month, both rolled up, is read from their rollups.
func createdFigures(ctx context.Context, tx pgx.Tx, sc reports.Scope, p reports.Period, f *reports.Figures, prev *reports.Headline) error {
	rows, err := monthFunnel(ctx, tx, sc, p)
	if err != nil {
		return err
	}
	if rows == nil {
		q := newScoped(sc, p.Previous().Start, p.Start, p.End)
		rows, err = tx.Query(ctx, `
		WITH `+funnelCTEs(q)+`
		(SELECT -2, '', '', 0::bigint, 0::bigint, 0::bigint, count(*), count(*) FILTER (WHERE paid_at < $2)
			FROM orders o WHERE o.created_at >= $1 AND o.created_at < $2`+q.orders("o")+`)
		UNION ALL
		(SELECT -1, '', '', 0::bigint, 0::bigint, 0::bigint, coalesce(sum(orders), 0)::bigint, coalesce(sum(paid), 0)::bigint FROM o)
		UNION ALL
		(SELECT 0, '', '', coalesce(sum(clicks), 0)::bigint, coalesce(sum(chats), 0)::bigint, coalesce(sum(carts), 0)::bigint,
			coalesce(sum(orders), 0)::bigint, coalesce(sum(paid), 0)::bigint FROM a)
		UNION ALL
		(SELECT a.id, coalesce(r.code, ''), r.name, clicks, chats, carts, orders, paid FROM a JOIN resellers r ON r.id = a.id
			ORDER BY paid DESC, orders DESC, carts DESC, chats DESC, clicks DESC, a.id LIMIT `+strconv.Itoa(reports.FunnelN)+`)`,
			q.args...)
	}
	if err != nil {
		return fmt.Errorf("funnel: %w", err)
	}
	var r reports.FunnelRow
	var clicks, chats, carts, orders, paid int64
	_, err = pgx.ForEachRow(rows, []any{&r.ResellerID, &r.Code, &r.Name, &clicks, &chats, &carts, &orders, &paid}, func() error {
		r.Clicks, r.Chats, r.Carts, r.Orders, r.Paid = int(clicks), int(chats), int(carts), int(orders), int(paid)
		switch r.ResellerID {
		case -2:
			prev.Created, prev.CreatedPaid = r.Orders, r.Paid
		case -1:
			f.Created, f.CreatedPaid = r.Orders, r.Paid
		case 0:
			f.FunnelTotal = r
		default:
			f.Funnel = append(f.Funnel, r)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("funnel: %w", err)
	}
	sortBy(f.Funnel, funnelLess)
	return nil
}

// closedFigures counts the orders that expired or were cancelled unpaid in p, and the refunds
// and released earnings of p, on the scope's lines: for the whole store, the rolled-up days' from
// their rollups and the rest from the orders. These are recorded when they happen, so the period
// before's never change and are not read again.
func closedFigures(ctx context.Context, tx pgx.Tx, sc reports.Scope, p reports.Period, h *reports.Headline) error {
	r, err := rolledUp(ctx, tx, sc, p)
	if err != nil {
		return err
	}
	if r.any() {
		err := tx.QueryRow(ctx, `
			SELECT coalesce(sum(expired), 0), coalesce(sum(cancelled), 0), coalesce(sum(refunded), 0),
				coalesce(sum(refunds), 0)::bigint, coalesce(sum(reversed), 0)::bigint, coalesce(sum(released), 0)::bigint
			FROM report_days WHERE zone = $1 AND day >= $2::date AND day < $3::date`,
			string(p.Zone), p.Start.Format(dateLayout), r.end.Format(dateLayout)).
			Scan(&h.Expired, &h.Cancelled, &h.Refunded, &h.Refunds, &h.Reversed, &h.Released)
		if err != nil {
			return fmt.Errorf("closed orders: %w", err)
		}
	}
	var raw reports.Headline
	q := newScoped(sc, r.end, p.End)
	err = tx.QueryRow(ctx, `
		WITH released AS MATERIALIZED (SELECT id FROM orders WHERE earnings_released_at >= $1 AND earnings_released_at < $2),
		refunded AS MATERIALIZED (SELECT id FROM orders WHERE refunded_at >= $1 AND refunded_at < $2)
		SELECT
			(SELECT count(*) FROM orders o WHERE o.status = 'expired'
				AND coalesce(o.cancelled_at, o.released_at) >= $1 AND coalesce(o.cancelled_at, o.released_at) < $2`+q.orders("o")+`),
			(SELECT count(*) FROM orders o WHERE o.status = 'cancelled' AND o.paid_at IS NULL
				AND coalesce(o.cancelled_at, o.released_at) >= $1 AND coalesce(o.cancelled_at, o.released_at) < $2`+q.orders("o")+`),
			r.orders, r.amount, r.earning,
			(SELECT coalesce(sum(i.reseller_earning), 0)::bigint FROM order_items i JOIN released r ON r.id = i.order_id,
					(SELECT min(id) AS lo, max(id) AS hi FROM released) b
				WHERE i.order_id BETWEEN b.lo AND b.hi`+q.lines("i")+`)
		FROM (SELECT count(DISTINCT i.order_id) AS orders, coalesce(sum(i.unit_price * i.qty), 0)::bigint AS amount,
				coalesce(sum(i.reseller_earning), 0)::bigint AS earning
			FROM order_items i WHERE i.order_id IN (SELECT id FROM refunded)`+q.lines("i")+`) r`, q.args...).
		Scan(&raw.Expired, &raw.Cancelled, &raw.Refunded, &raw.Refunds, &raw.Reversed, &raw.Released)
	if err != nil {
		return fmt.Errorf("closed orders: %w", err)
	}
	h.Expired += raw.Expired
	h.Cancelled += raw.Cancelled
	h.Refunded += raw.Refunded
	h.Refunds += raw.Refunds
	h.Reversed += raw.Reversed
	h.Released += raw.Released
	return nil
}

// stockFigures lists the scope's active products, or their variants, out of stock or at or
// below their low-stock mark now.
func stockFigures(ctx context.Context, tx pgx.Tx, sc reports.Scope, st *reports.Stock) error {
	q := newScoped(sc)
	rows, err := tx.Query(ctx, `
		SELECT sku, name, stock FROM (
			SELECT p.sku, p.name, p.stock, p.low_stock FROM products p
			WHERE p.active AND p.stock IS NOT NULL`+q.products("p")+`
				AND NOT EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.active)
			UNION ALL
			SELECT v.sku, p.name || ' – ' || v.name, v.stock, p.low_stock FROM variants v JOIN products p ON p.id = v.product_id
			WHERE p.active AND v.active AND v.stock IS NOT NULL`+q.products("p")+`
		) s WHERE stock <= low_stock ORDER BY stock, name, sku`, q.args...)
	if err != nil {
		return fmt.Errorf("stock: %w", err)
	}
	var it reports.StockItem
	_, err = pgx.ForEachRow(rows, []any{&it.SKU, &it.Name, &it.Stock}, func() error {
		if it.Stock == 0 {
			st.OutCount++
			if len(st.Out) < reports.MaxStockItems {
				st.Out = append(st.Out, it)
			}
			return nil
		}
		st.LowCount++
		if len(st.Low) < reports.MaxStockItems {
			st.Low = append(st.Low, it)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("stock: %w", err)
	}
	return nil
}

// moneyFigures reads what resellers are owed: for the whole store, the payouts of p and the
// ledger's balances at p's end; for some suppliers, the earnings on their lines still pending at
// p's end, since payouts are not per supplier.
func moneyFigures(ctx context.Context, tx pgx.Tx, sc reports.Scope, p reports.Period, f *reports.Figures) error {
	if !sc.All {
		q := newScoped(sc, p.End)
		err := tx.QueryRow(ctx, `
			SELECT coalesce(sum(i.reseller_earning), 0)::bigint FROM order_items i WHERE i.order_id IN (
				SELECT id FROM orders WHERE paid_at < $1 AND earnings_released_at IS NULL AND refunded_at IS NULL
				UNION ALL
				SELECT id FROM orders WHERE earnings_released_at >= $1 AND paid_at < $1 AND (refunded_at IS NULL OR refunded_at >= $1)
				UNION ALL
				SELECT id FROM orders WHERE refunded_at >= $1 AND paid_at < $1 AND earnings_released_at IS NULL
			)`+q.lines("i"), q.args...).Scan(&f.Pending)
		if err != nil {
			return fmt.Errorf("pending earnings: %w", err)
		}
		return nil
	}
	// What is owed at p's end is what is owed now less what changed since: from the rollups of the
	// days after p that have them, and from the ledger after those.
	since, changed, err := owedSince(ctx, tx, p)
	if err != nil {
		return err
	}
	po := &reports.Payouts{}
	// Each payout journal moves its amount once: its positive entry is the money sent, paid or
	// returned. Entries are found by the range of their transactions' IDs, which follow time.
	err = tx.QueryRow(ctx, `
		WITH t AS MATERIALIZED (SELECT id, kind FROM ledger_transactions
			WHERE created_at >= $1 AND created_at < $2 AND kind IN ('payout', 'payout_paid', 'payout_failed', 'payout_reversed')),
		e AS MATERIALIZED (SELECT t.kind, count(DISTINCT t.id) AS n, sum(le.amount) AS amount
			FROM ledger_entries le JOIN t ON t.id = le.txn_id, (SELECT min(id) AS lo, max(id) AS hi FROM t) b
			WHERE le.txn_id BETWEEN b.lo AND b.hi AND le.amount > 0 GROUP BY t.kind),
		later AS MATERIALIZED (SELECT id FROM ledger_transactions WHERE created_at >= $3)
		SELECT
			coalesce((SELECT n FROM e WHERE kind = 'payout'), 0), coalesce((SELECT amount FROM e WHERE kind = 'payout'), 0)::bigint,
			coalesce((SELECT n FROM e WHERE kind = 'payout_paid'), 0), coalesce((SELECT amount FROM e WHERE kind = 'payout_paid'), 0)::bigint,
			coalesce((SELECT sum(n) FROM e WHERE kind IN ('payout_failed', 'payout_reversed')), 0)::bigint,
			coalesce((SELECT sum(amount) FROM e WHERE kind IN ('payout_failed', 'payout_reversed')), 0)::bigint,
			(SELECT coalesce(sum(balance), 0) FROM ledger_accounts
				WHERE kind IN ('reseller_pending', 'reseller_available', 'reseller_payout_in_transit'))::bigint
			- (SELECT coalesce(sum(le.amount), 0) FROM ledger_entries le JOIN later ON later.id = le.txn_id
				JOIN ledger_accounts la ON la.id = le.account_id, (SELECT min(id) AS lo FROM later) b
				WHERE le.txn_id >= b.lo AND la.kind IN ('reseller_pending', 'reseller_available', 'reseller_payout_in_transit'))::bigint
			- $4::bigint`,
		p.Start, p.End, since, changed).Scan(&po.Sent, &po.SentAmount, &po.Paid, &po.PaidAmount, &po.Failed, &po.FailedAmount, &po.Owed)
	if err != nil {
		return fmt.Errorf("payouts: %w", err)
	}
	f.Payouts = po
	return nil
}

// owedSince returns the end of the run of days after p that are rolled up, and how much what
// resellers are owed changed in them.
func owedSince(ctx context.Context, tx pgx.Tx, p reports.Period) (time.Time, int64, error) {
	rows, err := tx.Query(ctx, "SELECT day, owed FROM report_days WHERE zone = $1 AND day >= $2::date ORDER BY day",
		string(p.Zone), p.End.In(p.Zone.Location()).Format(dateLayout))
	if err != nil {
		return p.End, 0, fmt.Errorf("owed: %w", err)
	}
	since, changed := p.End.In(p.Zone.Location()), int64(0)
	var day time.Time
	var owed int64
	_, err = pgx.ForEachRow(rows, []any{&day, &owed}, func() error {
		if day.Format(dateLayout) == since.Format(dateLayout) {
			since, changed = since.AddDate(0, 0, 1), changed+owed
		}
		return nil
	})
	if err != nil {
		return p.End, 0, fmt.Errorf("owed: %w", err)
	}
	return since, changed, nil
}

// ReportLines returns the scope's lines of the orders created or paid in p, oldest order first,
// for the spreadsheet: at most limit of them, or all when limit is 0.
func (s *Store) ReportLines(ctx context.Context, sc reports.Scope, p reports.Period, limit int) ([]reports.Line, error) {
	var max any // NULL: no limit
	if limit > 0 {
		max = limit
	}
	q := newScoped(sc, p.Start, p.End, max)
	rows, err := s.pool.Query(ctx, `
		SELECT o.ref, i.line, o.created_at, o.paid_at, o.status, su.name, i.sku, i.name, i.qty, i.unit_price, i.base_price,
			i.commission, i.reseller_earning, i.owner_share, coalesce(r.code, ''), coalesce(r.name, ''), o.name
		FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products pr ON pr.id = i.product_id
		JOIN suppliers su ON su.id = pr.supplier_id LEFT JOIN resellers r ON r.id = o.reseller_id
		WHERE (o.created_at >= $1 AND o.created_at < $2 OR o.paid_at >= $1 AND o.paid_at < $2)`+q.lines("i")+`
		ORDER BY o.created_at, o.id, i.line LIMIT $3`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("report lines of %s: %w", p.Code(), err)
	}
	var out []reports.Line
	var l reports.Line
	var paid *time.Time
	_, err = pgx.ForEachRow(rows, []any{&l.OrderRef, &l.Line, &l.CreatedAt, &paid, &l.Status, &l.Supplier, &l.SKU, &l.Product,
		&l.Qty, &l.UnitPrice, &l.BasePrice, &l.Commission, &l.Earning, &l.OwnerShare, &l.ResellerCode, &l.Reseller, &l.Customer}, func() error {
		l.PaidAt = time.Time{}
		if paid != nil {
			l.PaidAt = *paid
		}
		l.Total = l.UnitPrice * lapak.Money(l.Qty)
		out = append(out, l)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report lines of %s: %w", p.Code(), err)
	}
	return out, nil
}

// ReportScope returns whose figures userID sees: the suppliers they are a member of, or the
// whole store when they are a member of every supplier. A user of no supplier gets an empty
// scope.
func (s *Store) ReportScope(ctx context.Context, userID int64) (reports.Scope, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT s.id, s.name, (SELECT count(*) FROM suppliers) FROM suppliers s JOIN supplier_members m ON m.supplier_id = s.id
		WHERE m.user_id = $1 ORDER BY lower(s.name), s.id`, userID)
	if err != nil {
		return reports.Scope{}, fmt.Errorf("report scope of user %d: %w", userID, err)
	}
	var sc reports.Scope
	var names []string
	var id, total int64
	var name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name, &total}, func() error {
		sc.SupplierIDs, names = append(sc.SupplierIDs, id), append(names, name)
		return nil
	})
	if err != nil {
		return sc, fmt.Errorf("report scope of user %d: %w", userID, err)
	}
	sc.Name = strings.Join(names, ", ")
	sc.All = len(names) > 0 && int64(len(names)) == total
	return sc, nil
}

// SupplierScope returns the scope of the supplier called name, whatever its case, or a
// KindNotFound error with the key report.no_supplier.
func (s *Store) SupplierScope(ctx context.Context, name string) (reports.Scope, error) {
	var sc reports.Scope
	var id int64
	err := s.pool.QueryRow(ctx, "SELECT id, name FROM suppliers WHERE lower(name) = lower($1)", strings.TrimSpace(name)).Scan(&id, &sc.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return sc, notFound("report.no_supplier", name)
	}
	if err != nil {
		return sc, fmt.Errorf("supplier %q: %w", name, err)
	}
	sc.SupplierIDs = []int64{id}
	return sc, nil
}

// ReportPrefs returns which scheduled reports userID gets, and false when they never chose.
func (s *Store) ReportPrefs(ctx context.Context, userID int64) (reports.Prefs, bool, error) {
	var p reports.Prefs
	err := s.pool.QueryRow(ctx, "SELECT daily, weekly, monthly, zone FROM report_prefs WHERE user_id = $1", userID).
		Scan(&p.Daily, &p.Weekly, &p.Monthly, &p.Zone)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("report schedule of user %d: %w", userID, err)
	}
	return p, true, nil
}

// SetReportPrefs records which scheduled reports userID gets and in which zone.
func (s *Store) SetReportPrefs(ctx context.Context, userID int64, p reports.Prefs) error {
	if _, ok := reports.ParseZone(string(p.Zone)); !ok {
		return lapak.Errorf(lapak.KindInvalid, "report.bad_zone")
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO report_prefs (user_id, daily, weekly, monthly, zone, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (user_id) DO UPDATE SET daily = $2, weekly = $3, monthly = $4, zone = $5, updated_at = $6`,
		userID, p.Daily, p.Weekly, p.Monthly, p.Zone, s.clock.Now())
	if err != nil {
		return fmt.Errorf("set report schedule of user %d: %w", userID, err)
	}
	return nil
}

// ReportRecipients returns every owner with their report schedule; found is false for owners
// who never chose one.
func (s *Store) ReportRecipients(ctx context.Context) ([]reports.Recipient, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT u.id, u.channel, u.external_id, u.chat_id, u.name, u.lang, u.role, u.created_at,
			p.user_id IS NOT NULL, coalesce(p.daily, false), coalesce(p.weekly, false), coalesce(p.monthly, false), coalesce(p.zone, '')
		FROM users u LEFT JOIN report_prefs p ON p.user_id = u.id WHERE u.role = 'owner' ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("report recipients: %w", err)
	}
	var out []reports.Recipient
	var r reports.Recipient
	u := &r.User
	_, err = pgx.ForEachRow(rows, []any{&u.ID, &u.Channel, &u.ExternalID, &u.ChatID, &u.Name, &u.Lang, &u.Role, &u.CreatedAt,
		&r.Chosen, &r.Prefs.Daily, &r.Prefs.Weekly, &r.Prefs.Monthly, &r.Prefs.Zone}, func() error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report recipients: %w", err)
	}
	return out, nil
}

// SentReport returns the report of kind sent to userID for the period starting at start, and
// false when there is none.
func (s *Store) SentReport(ctx context.Context, userID int64, kind reports.Kind, start time.Time) (reports.Report, time.Time, bool, error) {
	var rep reports.Report
	var raw []byte
	var at time.Time
	err := s.pool.QueryRow(ctx, "SELECT snapshot, created_at FROM report_runs WHERE user_id = $1 AND kind = $2 AND period_start = $3",
		userID, kind, start).Scan(&raw, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return rep, at, false, nil
	}
	if err != nil {
		return rep, at, false, fmt.Errorf("sent %s report of user %d: %w", kind, userID, err)
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		return rep, at, false, fmt.Errorf("sent %s report of user %d: %w", kind, userID, err)
	}
	return rep, at, true, nil
}

// ReportSent reports whether the report of kind for the period starting at start was made for
// userID already.
func (s *Store) ReportSent(ctx context.Context, userID int64, kind reports.Kind, start time.Time) (bool, error) {
	var sent bool
	err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM report_runs WHERE user_id = $1 AND kind = $2 AND period_start = $3)",
		userID, kind, start).Scan(&sent)
	if err != nil {
		return false, fmt.Errorf("is %s report of user %d sent: %w", kind, userID, err)
	}
	return sent, nil
}

// SaveReports records scheduled reports and, in the same transaction, the jobs that send them.
// A report made already for its recipient, kind and period is left as it was and not sent again,
// however many instances try at once. It returns how many reports were new.
func (s *Store) SaveReports(ctx context.Context, runs []reports.Run) (int, error) {
	if len(runs) == 0 {
		return 0, nil
	}
	n := 0
	err := s.tx(ctx, func(tx pgx.Tx) error {
		n = 0
		b := &pgx.Batch{}
		for _, r := range runs {
			snap, err := json.Marshal(r.Snapshot)
			if err != nil {
				return fmt.Errorf("encode report: %w", err)
			}
			b.Queue(`
				INSERT INTO report_runs (user_id, kind, period_start, period_end, zone, snapshot, text, chart, chart_caption,
					csv, csv_name, csv_caption, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
				ON CONFLICT (user_id, kind, period_start) DO NOTHING RETURNING id`,
				r.UserID, r.Kind, r.Period.Start, r.Period.End, r.Period.Zone, snap, r.Text,
				nilIfEmpty(r.Chart), r.ChartCaption, nilIfEmpty(r.CSV), r.CSVName, r.CSVCaption, s.clock.Now())
		}
		results := tx.SendBatch(ctx, b)
		var params []river.InsertManyParams
		for range runs {
			var id int64
			err := results.QueryRow().Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			if err != nil {
				results.Close()
				return fmt.Errorf("record report: %w", err)
			}
			params = append(params, river.InsertManyParams{Args: jobs.SendReportArgs{RunID: id}})
		}
		if err := results.Close(); err != nil {
			return fmt.Errorf("record reports: %w", err)
		}
		if len(params) == 0 {
			return nil
		}
		if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
			return fmt.Errorf("enqueue %d reports: %w", len(params), err)
		}
		n = len(params)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("save reports: %w", err)
	}
	return n, nil
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// ReportMessages returns a recorded report as the messages that deliver it, in order (the text,
// then the chart, then the spreadsheet), where to, and how many of them were delivered already.
// An unknown report gives a KindNotFound error that is also lapak.ErrNotFound.
func (s *Store) ReportMessages(ctx context.Context, runID int64) (bot.Address, []bot.Reply, int, error) {
	var to bot.Address
	var text, chartCaption, csvName, csvCaption string
	var chart, csv []byte
	var sent int
	err := s.pool.QueryRow(ctx, `
		SELECT u.channel, u.chat_id, r.text, r.chart, r.chart_caption, r.csv, r.csv_name, r.csv_caption, r.parts_sent
		FROM report_runs r JOIN users u ON u.id = r.user_id WHERE r.id = $1`, runID).
		Scan(&to.Channel, &to.ChatID, &text, &chart, &chartCaption, &csv, &csvName, &csvCaption, &sent)
	if errors.Is(err, pgx.ErrNoRows) {
		return to, nil, 0, notFound("report.not_found")
	}
	if err != nil {
		return to, nil, 0, fmt.Errorf("report %d: %w", runID, err)
	}
	parts := []bot.Reply{{Text: text}}
	if len(chart) > 0 {
		parts = append(parts, bot.Reply{Text: chartCaption, Photo: &bot.Photo{Bytes: chart}})
	}
	switch {
	case len(csv) > 0:
		parts = append(parts, bot.Reply{Text: csvCaption, Document: &bot.Document{Name: csvName, Bytes: csv}})
	case csvCaption != "": // too many lines for chat: how to get them instead
		parts = append(parts, bot.Reply{Text: csvCaption})
	}
	return to, parts, sent, nil
}

// ReportDelivered records that the first n messages of a report were delivered, and when all were.
func (s *Store) ReportDelivered(ctx context.Context, runID int64, n int, all bool) error {
	var at *time.Time
	if all {
		now := s.clock.Now()
		at = &now
	}
	_, err := s.pool.Exec(ctx, "UPDATE report_runs SET parts_sent = greatest(parts_sent, $2), sent_at = coalesce(sent_at, $3) WHERE id = $1",
		runID, n, at)
	if err != nil {
		return fmt.Errorf("report %d delivered: %w", runID, err)
	}
	return nil
}

// CartStarted records that a customer bound to a reseller started a cart with productID, unless
// they started one since their last order: the funnel counts carts, not items added.
func (s *Store) CartStarted(ctx context.Context, customerUserID, productID int64) error {
	now := s.clock.Now()
	_, err := s.pool.Exec(ctx, `
		INSERT INTO funnel_events (kind, reseller_id, user_id, product_id, at)
		SELECT 'cart', b.reseller_id, b.user_id, $2, $3 FROM customer_bindings b
		WHERE b.user_id = $1 AND b.expires_at > $3
			AND NOT EXISTS (SELECT 1 FROM funnel_events e WHERE e.kind = 'cart' AND e.user_id = $1
				AND e.at > coalesce((SELECT max(created_at) FROM orders WHERE customer_user_id = $1), '-infinity'))`,
		customerUserID, productID, now)
	if err != nil {
		return fmt.Errorf("cart started by customer %d: %w", customerUserID, err)
	}
	return nil
}

// BatchSent reports whether any report of kind was made for the period starting at start.
func (s *Store) BatchSent(ctx context.Context, kind reports.Kind, start time.Time) (bool, error) {
	var sent bool
	err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM report_runs WHERE kind = $1 AND period_start = $2)", kind, start).Scan(&sent)
	if err != nil {
		return false, fmt.Errorf("are %s reports sent: %w", kind, err)
	}
	return sent, nil
}

// ResellerFigures returns resellers' own figures for period p, with their rank by sales among
// the resellers who sold in month and their balance now: the reseller only's, whatever they did,
// or with only 0 every approved reseller who had a click, chat, cart or order in p, by ID.
func (s *Store) ResellerFigures(ctx context.Context, only int64, p, month reports.Period) ([]reports.ResellerFigures, error) {
	var out []reports.ResellerFigures
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
		var err error
		out, err = resellerFigures(ctx, tx, only, p, month)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reseller figures of %s: %w", p.Code(), err)
	}
	return out, nil
}

// resellerFigures reads ResellerFigures in tx. The month's leaderboard adds up the month's
// rollups and reads only the rest of the month from the orders.
func resellerFigures(ctx context.Context, tx pgx.Tx, only int64, p, month reports.Period) ([]reports.ResellerFigures, error) {
	r, err := rolledUp(ctx, tx, reports.Scope{All: true}, month)
	if err != nil {
		return nil, err
	}
	args := []any{p.Start, p.End, r.end, month.End, only, string(month.Zone), month.Start.Format(dateLayout),
		r.monthsFrom.Format(dateLayout), r.monthsTo.Format(dateLayout), r.end.Format(dateLayout)}
	filter := func(col string) string { return "" }
	where := `$5::bigint = 0 AND r.status = 'approved' AND (paid.reseller_id IS NOT NULL OR created.reseller_id IS NOT NULL
		OR clicks.reseller_id IS NOT NULL OR ev.reseller_id IS NOT NULL)`
	if only != 0 {
		filter = func(col string) string { return " AND " + col + " = $5" }
		where = "r.id = $5"
	}
	rows, err := tx.Query(ctx, `
		WITH paid AS (
			SELECT o.reseller_id, count(DISTINCT o.id) AS n, sum(i.unit_price * i.qty)::bigint AS sales,
				sum(i.reseller_earning)::bigint AS earned, count(DISTINCT o.customer_user_id) AS customers
			FROM orders o JOIN order_items i ON i.order_id = o.id
			WHERE o.paid_at >= $1 AND o.paid_at < $2 AND o.reseller_id IS NOT NULL`+filter("o.reseller_id")+`
			GROUP BY o.reseller_id),
		fresh AS (
			SELECT c.reseller_id, count(*) AS n FROM (
				SELECT DISTINCT reseller_id, customer_user_id FROM orders o
				WHERE o.paid_at >= $1 AND o.paid_at < $2 AND o.reseller_id IS NOT NULL`+filter("o.reseller_id")+`) c
			WHERE NOT EXISTS (SELECT 1 FROM orders po WHERE po.customer_user_id = c.customer_user_id
				AND po.reseller_id = c.reseller_id AND po.paid_at < $1)
			GROUP BY c.reseller_id),
		created AS (SELECT reseller_id, count(*) AS n FROM orders o
			WHERE o.created_at >= $1 AND o.created_at < $2 AND o.reseller_id IS NOT NULL`+filter("o.reseller_id")+` GROUP BY reseller_id),
		clicks AS (SELECT reseller_id, count(*) AS n FROM link_clicks lc
			WHERE lc.clicked_at >= $1 AND lc.clicked_at < $2`+filter("lc.reseller_id")+` GROUP BY reseller_id),
		ev AS (SELECT reseller_id, count(DISTINCT user_id) FILTER (WHERE kind = 'chat') AS chats,
				count(*) FILTER (WHERE kind = 'cart') AS carts
			FROM funnel_events fe WHERE fe.at >= $1 AND fe.at < $2`+filter("fe.reseller_id")+` GROUP BY reseller_id),
		board AS MATERIALIZED (SELECT reseller_id, rank() OVER (ORDER BY sum(sales) DESC) AS rnk FROM (
				SELECT o.reseller_id, i.unit_price * i.qty AS sales FROM orders o JOIN order_items i ON i.order_id = o.id
				WHERE o.paid_at >= $3 AND o.paid_at < $4 AND o.reseller_id IS NOT NULL
				UNION ALL
				SELECT reseller_id, sales FROM report_day_resellers WHERE zone = $6
					AND (day >= $7::date AND day < $8::date OR day >= $9::date AND day < $10::date)
				UNION ALL
				SELECT reseller_id, sales FROM report_month_resellers WHERE zone = $6 AND month >= $8::date AND month < $9::date) s
			GROUP BY reseller_id),
		bal AS (SELECT holder,
				sum(balance) FILTER (WHERE kind = 'reseller_pending') AS pending,
				sum(balance) FILTER (WHERE kind = 'reseller_available') AS available,
				sum(balance) FILTER (WHERE kind = 'reseller_payout_in_transit') AS in_transit
			FROM ledger_accounts la WHERE kind IN ('reseller_pending', 'reseller_available', 'reseller_payout_in_transit')`+filter("la.holder")+`
			GROUP BY holder),
		po AS (SELECT a.holder, -sum(e.amount) AS paid FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id
			JOIN ledger_accounts a ON a.id = e.account_id
			WHERE t.kind = 'payout_paid' AND a.kind = 'reseller_payout_in_transit'`+filter("a.holder")+` GROUP BY a.holder)
		SELECT r.id, coalesce(r.code, ''), r.name, u.id, u.channel, u.external_id, u.chat_id, u.name, u.lang, u.role, u.created_at,
			coalesce(clicks.n, 0), coalesce(ev.chats, 0), coalesce(ev.carts, 0), coalesce(created.n, 0),
			coalesce(paid.n, 0), coalesce(paid.sales, 0), coalesce(paid.earned, 0), coalesce(paid.customers, 0), coalesce(fresh.n, 0),
			coalesce(board.rnk, 0), (SELECT count(*) FROM board),
			coalesce(bal.pending, 0)::bigint, coalesce(bal.available, 0)::bigint, coalesce(bal.in_transit, 0)::bigint, coalesce(po.paid, 0)::bigint
		FROM resellers r JOIN users u ON u.id = r.user_id
		LEFT JOIN paid ON paid.reseller_id = r.id LEFT JOIN fresh ON fresh.reseller_id = r.id
		LEFT JOIN created ON created.reseller_id = r.id LEFT JOIN clicks ON clicks.reseller_id = r.id
		LEFT JOIN ev ON ev.reseller_id = r.id LEFT JOIN board ON board.reseller_id = r.id
		LEFT JOIN bal ON bal.holder = r.id LEFT JOIN po ON po.holder = r.id
		WHERE `+where+` ORDER BY r.id`, args...)
	if err != nil {
		return nil, err
	}
	var out []reports.ResellerFigures
	var f reports.ResellerFigures
	u := &f.User
	var clicks, chats, carts, created, paid, customers, fresh, rank, ranked int64
	_, err = pgx.ForEachRow(rows, []any{&f.ResellerID, &f.Code, &f.Name, &u.ID, &u.Channel, &u.ExternalID, &u.ChatID, &u.Name,
		&u.Lang, &u.Role, &u.CreatedAt, &clicks, &chats, &carts, &created, &paid, &f.Sales, &f.Earned, &customers, &fresh,
		&rank, &ranked, &f.Balance.Pending, &f.Balance.Available, &f.Balance.InTransit, &f.Balance.Paid}, func() error {
		f.Clicks, f.Chats, f.Carts, f.Created, f.Paid = int(clicks), int(chats), int(carts), int(created), int(paid)
		f.Customers, f.NewCustomers, f.Rank, f.Ranked = int(customers), int(fresh), int(rank), int(ranked)
		f.Period, f.Month = p, month
		out = append(out, f)
		return nil
	})
	return out, err
}
